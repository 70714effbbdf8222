"""The marketing dashboard: funnel and conversion by source and landing page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from aiohttp import web
from sqlalchemy import select

from bot.console.keys import STORE, TRANSCRIPTS
from bot.console.pages import render
from bot.console.queries import HIDDEN_STATUSES, QueryError, parse_day, start_of
from qualifier.models import Booking, Lead
from qualifier.store import LeadStore
from qualifier.transcripts import TranscriptReader

DEFAULT_DAYS = 30
MAX_DAYS = 366
TOP_ROWS = 15
BAR_WIDTH = 360
QUALIFIED_STAGES = ("MQL", "SQL", "PQL")


@dataclass(frozen=True)
class Step:
    """One step of the funnel and its bar length in pixels."""

    label: str
    count: int
    width: int


@dataclass(frozen=True)
class Segment:
    """Leads of one source or landing page and how far they got."""

    key: str
    leads: int
    qualified: int
    meetings: int
    width: int
    qualified_width: int

    @property
    def rate(self) -> str:
        """Return the share of leads that reached MQL or beyond, as text."""
        return f"{100 * self.qualified / self.leads:.0f}%" if self.leads else "-"


@dataclass(frozen=True)
class LeadRow:
    """The few columns of a lead the dashboard counts."""

    source: str
    page: str
    stage: str
    booked: bool


async def dashboard_page(request: web.Request) -> web.Response:
    """Show the funnel and conversion by source and page over a period."""
    try:
        start, end = parse_period(request.query, today=datetime.now(UTC).date())
    except QueryError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc

    rows = lead_rows(request.config_dict[STORE], start, end)
    conversations = count_conversations(request.config_dict[TRANSCRIPTS], start, end)
    return render(
        request,
        "dashboard.html",
        start=start,
        end=end,
        funnel=funnel_steps(conversations, rows),
        by_source=segments(rows, key="source"),
        by_page=segments(rows, key="page"),
        bar_width=BAR_WIDTH,
    )


def parse_period(params: Mapping[str, str], *, today: date) -> tuple[date, date]:
    """Read ``from`` and ``to`` (YYYY-MM-DD); default to the last 30 days.

    Raises:
        QueryError: A date is malformed, reversed or the period is too long.
    """
    end = parse_day(params.get("to"), "to") or today
    start = parse_day(params.get("from"), "from") or end - timedelta(
        days=DEFAULT_DAYS - 1
    )
    if start > end:
        msg = f"from ({start}) must not be after to ({end})"
        raise QueryError(msg)

    if (end - start).days >= MAX_DAYS:
        msg = (
            f"the period may span at most {MAX_DAYS} days, got {(end - start).days + 1}"
        )
        raise QueryError(msg)

    return start, end


def lead_rows(store: LeadStore, start: date, end: date) -> list[LeadRow]:
    """Return the scored, visible leads created from ``start`` to ``end``."""
    booked = select(Booking.lead_id).distinct()
    query = select(Lead.id, Lead.utm, Lead.page_url, Lead.stage).where(
        Lead.created_at >= start_of(start),
        Lead.created_at < start_of(end + timedelta(days=1)),
        Lead.status.not_in(HIDDEN_STATUSES),
        Lead.stage.is_not(None),
    )
    with store.session() as session:
        booked_ids = set(session.scalars(booked))
        return [
            LeadRow(
                source=_source(utm),
                page=landing_page(page_url),
                stage=stage or "",
                booked=lead_id in booked_ids,
            )
            for lead_id, utm, page_url, stage in session.execute(query)
        ]


def count_conversations(reader: TranscriptReader, start: date, end: date) -> int:
    """Count conversations with a visitor message in the period."""
    return reader.count_conversations(
        start_of(start), start_of(end + timedelta(days=1))
    )


def funnel_steps(conversations: int, rows: list[LeadRow]) -> list[Step]:
    """Return the funnel from conversations down to meetings booked."""
    counts = [
        ("Conversations", conversations),
        ("Leads", len(rows)),
        ("MQL or better", sum(row.stage in QUALIFIED_STAGES for row in rows)),
        ("SQL", sum(row.stage == "SQL" for row in rows)),
        ("Meetings booked", sum(row.booked for row in rows)),
    ]
    top = max(count for _label, count in counts)
    return [Step(label, count, bar(count, top)) for label, count in counts]


def segments(rows: Iterable[LeadRow], *, key: str) -> list[Segment]:
    """Group leads by ``key`` ("source" or "page"), largest groups first."""
    groups: dict[str, list[LeadRow]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)

    sizes = Counter({name: len(members) for name, members in groups.items()})
    top = max(sizes.values(), default=0)
    return [
        _segment(name, groups[name], top) for name, _size in sizes.most_common(TOP_ROWS)
    ]


def landing_page(page_url: str | None) -> str:
    """Return a page URL without its query string and fragment."""
    if not page_url:
        return "(unknown)"

    return page_url.split("#", 1)[0].split("?", 1)[0]


def bar(count: int, top: int) -> int:
    """Return the bar length of ``count`` when ``top`` fills BAR_WIDTH."""
    return round(BAR_WIDTH * count / top) if top else 0


def _segment(name: str, members: list[LeadRow], top: int) -> Segment:
    qualified = sum(row.stage in QUALIFIED_STAGES for row in members)
    return Segment(
        key=name,
        leads=len(members),
        qualified=qualified,
        meetings=sum(row.booked for row in members),
        width=bar(len(members), top),
        qualified_width=bar(qualified, top),
    )


def _source(utm: object) -> str:
    source = utm.get("source") if isinstance(utm, dict) else None
    return source if isinstance(source, str) and source else "(direct)"
