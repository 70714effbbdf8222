"""Find leads for the console and the API: filters, sorting, paging, outcomes."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from qualifier.models import Lead, LeadOutcome
from qualifier.scoring import Stage, Tier
from qualifier.store import LeadStore

logger = logging.getLogger(__name__)

TIERS = tuple(tier.value for tier in Tier)
STAGES = tuple(stage.value for stage in Stage)
OUTCOMES = ("won", "lost", "no-show")
SORT_KEYS = ("created", "updated", "score", "company", "name", "tier", "stage")
HIDDEN_STATUSES = ("support",)
MAX_PER_PAGE = 100
MAX_TEXT_PARAM = 200
EXPORT_LIMIT = 10_000
MIN_YEAR = 1970
MAX_YEAR = 9000


class QueryError(ValueError):
    """Raised when a query parameter has a value the console cannot use."""


@dataclass(frozen=True)
class LeadFilter:
    """Which leads to list, in what order, and which page of them.

    Attributes:
        tier: Only leads of this tier.
        stage: Only leads of this stage.
        min_score: Only leads scoring at least this.
        max_score: Only leads scoring at most this.
        start: Only leads created on or after this day (UTC).
        end: Only leads created on or before this day (UTC).
        source: Only leads whose UTM source is this.
        search: Text found in the company or the contact's name.
        sort: One of SORT_KEYS.
        descending: Whether the sort runs from high to low.
        page: The page to show, from 1.
        per_page: Leads per page.
    """

    tier: str | None = None
    stage: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    start: date | None = None
    end: date | None = None
    source: str | None = None
    search: str | None = None
    sort: str = "created"
    descending: bool = True
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class LeadPage:
    """One page of leads and how many match in all."""

    leads: list[Lead]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Return the number of pages, at least 1."""
        return max(1, math.ceil(self.total / self.per_page))


def parse_filter(params: Mapping[str, str], *, per_page: int = 25) -> LeadFilter:
    """Read a LeadFilter from query parameters.

    Raises:
        QueryError: A parameter has a value that is not allowed; the message
            names the parameter, the value and what would be accepted.
    """
    sort = _text(params, "sort") or "-created"
    lead_filter = LeadFilter(
        tier=_choice(params, "tier", TIERS),
        stage=_choice(params, "stage", STAGES),
        min_score=_number(params, "min_score"),
        max_score=_number(params, "max_score"),
        start=_day(params, "from"),
        end=_day(params, "to"),
        source=_text(params, "source"),
        search=_text(params, "q"),
        sort=sort.removeprefix("-"),
        descending=sort.startswith("-"),
        page=_whole(params, "page", default=1, top=1_000_000),
        per_page=_whole(params, "per_page", default=per_page, top=MAX_PER_PAGE),
    )
    _check_consistent(lead_filter)
    return lead_filter


def filter_params(lead_filter: LeadFilter) -> dict[str, str]:
    """Return the query parameters that give ``lead_filter`` back, page aside."""
    values = {
        "tier": lead_filter.tier,
        "stage": lead_filter.stage,
        "min_score": _plain_number(lead_filter.min_score),
        "max_score": _plain_number(lead_filter.max_score),
        "from": lead_filter.start.isoformat() if lead_filter.start else None,
        "to": lead_filter.end.isoformat() if lead_filter.end else None,
        "source": lead_filter.source,
        "q": lead_filter.search,
        "sort": ("-" if lead_filter.descending else "") + lead_filter.sort,
        "per_page": str(lead_filter.per_page),
    }
    return {key: value for key, value in values.items() if value is not None}


def list_leads(store: LeadStore, lead_filter: LeadFilter) -> LeadPage:
    """Return the page of leads that ``lead_filter`` asks for."""
    conditions = _conditions(lead_filter)
    offset = (lead_filter.page - 1) * lead_filter.per_page
    query = _ordered(select(Lead).where(*conditions), lead_filter)
    with store.session() as session:
        total = session.scalar(select(func.count(Lead.id)).where(*conditions)) or 0
        leads = session.scalars(query.offset(offset).limit(lead_filter.per_page))
        return LeadPage(list(leads), total, lead_filter.page, lead_filter.per_page)


def export_leads(store: LeadStore, lead_filter: LeadFilter) -> list[Lead]:
    """Return every lead ``lead_filter`` matches, up to EXPORT_LIMIT, unpaged."""
    query = _ordered(select(Lead).where(*_conditions(lead_filter)), lead_filter)
    with store.session() as session:
        return list(session.scalars(query.limit(EXPORT_LIMIT)))


def lead_detail(store: LeadStore, lead_id: int) -> Lead | None:
    """Return a visible lead with answers, bookings and handoffs, or None."""
    query = (
        select(Lead)
        .where(Lead.id == lead_id, Lead.status.not_in(HIDDEN_STATUSES))
        .options(
            selectinload(Lead.answers),
            selectinload(Lead.bookings),
            selectinload(Lead.handoffs),
        )
    )
    with store.session() as session:
        return session.scalars(query).one_or_none()


def parse_lead_id(text: str) -> int | None:
    """Return the lead id in a URL segment, or None when it cannot be one."""
    if not text.isdigit() or len(text) > 12:
        return None

    return int(text)


def record_outcome(
    store: LeadStore, lead_id: int, *, outcome: str, user_id: int, now: datetime
) -> bool:
    """Record what became of a lead; return False when there is no such lead.

    Raises:
        QueryError: ``outcome`` is not one of OUTCOMES.
    """
    if outcome not in OUTCOMES:
        msg = f"outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}"
        raise QueryError(msg)

    with store.session() as session:
        lead = session.get(Lead, lead_id)
        if lead is None or lead.status in HIDDEN_STATUSES:
            return False

        lead.outcome = outcome
        lead.outcome_at = now
        session.add(
            LeadOutcome(
                lead_id=lead_id, user_id=user_id, outcome=outcome, recorded_at=now
            )
        )

    logger.info(
        "lead.outcome_recorded lead_id=%s outcome=%s user_id=%s",
        lead_id,
        outcome,
        user_id,
    )
    return True


def outcome_history(store: LeadStore, lead_id: int) -> list[LeadOutcome]:
    """Return the outcomes recorded on a lead, newest first."""
    query = (
        select(LeadOutcome)
        .where(LeadOutcome.lead_id == lead_id)
        .order_by(LeadOutcome.id.desc())
    )
    with store.session() as session:
        return list(session.scalars(query))


def hot_leads_since(
    store: LeadStore, since: datetime, *, after_id: int = 0, limit: int = 20
) -> list[Lead]:
    """Return visible hot leads updated after a cursor, oldest update first.

    The cursor is the update time and id of the last lead already seen, so
    leads updated in the same instant are neither lost nor repeated.
    """
    later = or_(
        Lead.updated_at > since, and_(Lead.updated_at == since, Lead.id > after_id)
    )
    query = (
        select(Lead)
        .where(
            Lead.tier == Tier.HOT.value,
            later,
            Lead.status.not_in(HIDDEN_STATUSES),
        )
        .order_by(Lead.updated_at, Lead.id)
        .limit(limit)
    )
    with store.session() as session:
        return list(session.scalars(query))


def utm_source(lead: Lead) -> str | None:
    """Return a lead's UTM source, or None."""
    utm: Any = lead.utm
    source = utm.get("source") if isinstance(utm, dict) else None
    return source if isinstance(source, str) else None


def start_of(day: date) -> datetime:
    """Return midnight UTC at the start of ``day``."""
    return datetime.combine(day, time(), UTC)


def _conditions(lead_filter: LeadFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Lead.status.not_in(HIDDEN_STATUSES)]
    if lead_filter.tier:
        conditions.append(Lead.tier == lead_filter.tier)

    if lead_filter.stage:
        conditions.append(Lead.stage == lead_filter.stage)

    if lead_filter.min_score is not None:
        conditions.append(Lead.score >= lead_filter.min_score)

    if lead_filter.max_score is not None:
        conditions.append(Lead.score <= lead_filter.max_score)

    conditions += _date_conditions(lead_filter)
    if lead_filter.source:
        conditions.append(Lead.utm["source"].as_string() == lead_filter.source)

    if lead_filter.search:
        pattern = "%" + _escape_like(lead_filter.search.lower()) + "%"
        conditions.append(
            or_(
                func.lower(Lead.company).like(pattern, escape="\\"),
                func.lower(Lead.name).like(pattern, escape="\\"),
            )
        )

    return conditions


def _date_conditions(lead_filter: LeadFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if lead_filter.start:
        conditions.append(Lead.created_at >= start_of(lead_filter.start))

    if lead_filter.end:
        conditions.append(
            Lead.created_at < start_of(lead_filter.end + timedelta(days=1))
        )

    return conditions


def _ordered(query: Select[Lead], lead_filter: LeadFilter) -> Select[Lead]:
    column = {
        "created": Lead.created_at,
        "updated": Lead.updated_at,
        "score": Lead.score,
        "company": Lead.company,
        "name": Lead.name,
        "tier": Lead.tier,
        "stage": Lead.stage,
    }[lead_filter.sort]
    if lead_filter.descending:
        return query.order_by(column.desc().nulls_last(), Lead.id.desc())

    return query.order_by(column.asc().nulls_last(), Lead.id.asc())


def _check_consistent(lead_filter: LeadFilter) -> None:
    if lead_filter.sort not in SORT_KEYS:
        keys = ", ".join(SORT_KEYS)
        msg = (
            f"sort must be one of {keys} (prefix - for descending), "
            f"got {lead_filter.sort!r}"
        )
        raise QueryError(msg)

    low, high = lead_filter.min_score, lead_filter.max_score
    if low is not None and high is not None and low > high:
        msg = f"min_score ({low:g}) must not be above max_score ({high:g})"
        raise QueryError(msg)

    if lead_filter.start and lead_filter.end and lead_filter.start > lead_filter.end:
        msg = f"from ({lead_filter.start}) must not be after to ({lead_filter.end})"
        raise QueryError(msg)


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name, "").strip()
    if len(value) > MAX_TEXT_PARAM:
        msg = f"{name} must have at most {MAX_TEXT_PARAM} characters, got {len(value)}"
        raise QueryError(msg)

    return value or None


def _choice(
    params: Mapping[str, str], name: str, allowed: tuple[str, ...]
) -> str | None:
    value = _text(params, name)
    if value is not None and value not in allowed:
        msg = f"{name} must be one of {', '.join(allowed)}, got {value!r}"
        raise QueryError(msg)

    return value


def _number(params: Mapping[str, str], name: str) -> float | None:
    value = _text(params, name)
    if value is None:
        return None

    try:
        number = float(value)
    except ValueError:
        number = math.nan

    if not math.isfinite(number):
        msg = f"{name} must be a number such as 60 or 72.5, got {value!r}"
        raise QueryError(msg)

    return number


def _whole(params: Mapping[str, str], name: str, *, default: int, top: int) -> int:
    value = _text(params, name)
    if value is None:
        return default

    if not value.isdigit() or not 1 <= int(value) <= top:
        msg = f"{name} must be a whole number from 1 to {top}, got {value!r}"
        raise QueryError(msg)

    return int(value)


def _day(params: Mapping[str, str], name: str) -> date | None:
    return parse_day(_text(params, name), name)


def parse_day(value: str | None, name: str) -> date | None:
    """Read a YYYY-MM-DD parameter called ``name``; None when empty.

    Raises:
        QueryError: The value is not a date in a sensible range.
    """
    if not value:
        return None

    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None

    if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
        msg = f"{name} must be a date as YYYY-MM-DD, got {value!r}"
        raise QueryError(msg)

    return day


def _plain_number(number: float | None) -> str | None:
    return None if number is None else f"{number:g}"


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
