"""Console pages about leads: the list, one lead, the CSV export, outcomes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web

from bot.console.keys import CONFIG, SIGNED_IN, STORE, TRANSCRIPTS
from bot.console.pages import render, see_other, url_with
from bot.console.queries import (
    OUTCOMES,
    SORT_KEYS,
    STAGES,
    TIERS,
    LeadFilter,
    QueryError,
    export_leads,
    filter_params,
    lead_detail,
    list_leads,
    outcome_history,
    parse_filter,
    parse_lead_id,
    record_outcome,
    utm_source,
)
from bot.console.security import read_form
from qualifier.models import Answer, Lead

BANT = (
    ("budget", "Budget"),
    ("authority", "Authority"),
    ("need", "Need"),
    ("timing", "Timing"),
)
CONTACT_DIMENSIONS = ("contact_name", "contact_email", "company", "consent")
CSV_COLUMNS = (
    "id",
    "created_at",
    "company",
    "name",
    "email",
    "tier",
    "stage",
    "score",
    "status",
    "utm_source",
    "page_url",
    "outcome",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ScorePart:
    """One line of a lead's score breakdown, tolerant of missing keys."""

    name: str
    points: object
    max_points: object
    reason: str


@dataclass(frozen=True)
class BantLine:
    """One BANT dimension of a lead and the answer that settled it, if any."""

    key: str
    label: str
    answer: Answer | None


async def leads_page(request: web.Request) -> web.Response:
    """List leads with filters, sorting and paging."""
    lead_filter = filter_from(request)
    page = list_leads(request.config_dict[STORE], lead_filter)
    params = filter_params(lead_filter)
    return render(
        request,
        "leads.html",
        page=page,
        filter=lead_filter,
        params=params,
        tiers=TIERS,
        stages=STAGES,
        sort_links=_sort_links(lead_filter, params),
        previous_url=_page_url(params, page.page - 1, page.pages),
        next_url=_page_url(params, page.page + 1, page.pages),
        csv_url=url_with("/console/leads.csv", params),
        utm_source=utm_source,
    )


async def lead_page(request: web.Request) -> web.Response:
    """Show one lead: BANT with evidence, score, context and transcript."""
    lead = _lead_or_404(request)
    transcript = request.config_dict[TRANSCRIPTS].transcript(lead.sender_id)
    return render(
        request,
        "lead.html",
        lead=lead,
        bant=bant_lines(lead.answers),
        breakdown=score_parts(lead.score_breakdown),
        other_answers=_other_answers(lead.answers),
        transcript=transcript,
        outcomes=OUTCOMES,
        history=outcome_history(request.config_dict[STORE], lead.id),
        utm_source=utm_source(lead),
    )


async def leads_csv(request: web.Request) -> web.Response:
    """Export the filtered lead list as CSV, safe to open in a spreadsheet."""
    leads = export_leads(request.config_dict[STORE], filter_from(request))
    return web.Response(
        text=render_csv(leads),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="leads.csv"'},
    )


async def post_outcome(request: web.Request) -> web.Response:
    """Record won, lost or no-show on a lead for the signed-in rep."""
    lead_id = parse_lead_id(request.match_info["lead_id"])
    form = await read_form(request)
    if lead_id is None:
        raise web.HTTPNotFound(text="No lead has that id.")

    try:
        found = record_outcome(
            request.config_dict[STORE],
            lead_id,
            outcome=form.get("outcome", ""),
            user_id=request[SIGNED_IN].user_id,
            now=datetime.now(UTC),
        )
    except QueryError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc

    if not found:
        raise web.HTTPNotFound(text="No lead has that id.")

    return see_other(f"/console/leads/{lead_id}")


def filter_from(request: web.Request) -> LeadFilter:
    """Read the lead filter of a request, answering 400 when it is invalid."""
    try:
        return parse_filter(
            request.query, per_page=request.config_dict[CONFIG].page_size
        )
    except QueryError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc


def bant_lines(answers: Iterable[Answer]) -> list[BantLine]:
    """Return the latest answer of each BANT dimension, in BANT order."""
    latest = {answer.dimension: answer for answer in answers}
    return [BantLine(key, label, latest.get(key)) for key, label in BANT]


def score_parts(breakdown: object) -> list[ScorePart]:
    """Return the score breakdown stored on a lead as display lines."""
    items = breakdown if isinstance(breakdown, list) else []
    return [
        ScorePart(
            name=str(item.get("name", "")),
            points=item.get("points", ""),
            max_points=item.get("max_points", ""),
            reason=str(item.get("reason", "")),
        )
        for item in items
        if isinstance(item, dict)
    ]


def render_csv(leads: Iterable[Lead]) -> str:
    """Write leads as CSV, neutralising cells a spreadsheet would run."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for lead in leads:
        writer.writerow([safe_cell(value) for value in _csv_row(lead)])

    return buffer.getvalue()


def safe_cell(value: object) -> object:
    """Prefix text a spreadsheet would read as a formula with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value

    return value


def _csv_row(lead: Lead) -> list[object]:
    return [
        lead.id,
        lead.created_at.isoformat(),
        lead.company or "",
        lead.name or "",
        lead.email or "",
        lead.tier or "",
        lead.stage or "",
        "" if lead.score is None else lead.score,
        lead.status,
        utm_source(lead) or "",
        lead.page_url or "",
        lead.outcome or "",
    ]


def _lead_or_404(request: web.Request) -> Lead:
    lead_id = parse_lead_id(request.match_info["lead_id"])
    lead = None if lead_id is None else lead_detail(request.config_dict[STORE], lead_id)
    if lead is None:
        raise web.HTTPNotFound(text="No lead has that id; it may have been removed.")

    return lead


def _other_answers(answers: Iterable[Answer]) -> list[Answer]:
    skipped = {key for key, _label in BANT} | set(CONTACT_DIMENSIONS)
    return [answer for answer in answers if answer.dimension not in skipped]


def _sort_links(lead_filter: LeadFilter, params: dict[str, str]) -> dict[str, str]:
    links = {}
    for key in SORT_KEYS:
        descending = not (lead_filter.sort == key and lead_filter.descending)
        links[key] = url_with(
            "/console/leads", params, sort=("-" if descending else "") + key
        )

    return links


def _page_url(params: dict[str, str], page: int, pages: int) -> str | None:
    if not 1 <= page <= pages:
        return None

    return url_with("/console/leads", params, page=page)
