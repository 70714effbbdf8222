"""Facts understood from a visitor's message, before any scoring."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo


class BudgetStatus(enum.StrEnum):
    """Whether the visitor gave a budget, does not know, or has none."""

    KNOWN = "known"
    UNKNOWN = "unknown"
    NONE = "none"


class BudgetPeriod(enum.StrEnum):
    """How often the budget amount is spent."""

    ONE_OFF = "one-off"
    MONTH = "month"
    YEAR = "year"


class TimingStatus(enum.StrEnum):
    """Whether the visitor named a time frame."""

    KNOWN = "known"
    ASAP = "asap"
    UNKNOWN = "unknown"
    NONE = "none"


class Seniority(enum.StrEnum):
    """A job title reduced to its level."""

    OWNER = "owner"
    C_LEVEL = "c-level"
    VP = "vp"
    DIRECTOR = "director"
    MANAGER = "manager"
    INDIVIDUAL = "individual-contributor"


class DecisionRole(enum.StrEnum):
    """The visitor's part in the buying decision."""

    DECISION_MAKER = "decision-maker"
    INFLUENCER = "influencer"
    USER = "user"
    GATEKEEPER = "gatekeeper"


@dataclass(frozen=True)
class Span:
    """Where in the message a value was read: character offsets and text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Budget:
    """A budget as stated: an amount or range, or a status without one."""

    status: BudgetStatus
    min: float | None = None
    max: float | None = None
    currency: str | None = None
    period: BudgetPeriod | None = None
    approximate: bool = False
    confidence: float = 1.0
    span: Span | None = None


@dataclass(frozen=True)
class Timing:
    """When the visitor needs a solution, as a date interval."""

    status: TimingStatus
    start: date | None = None
    end: date | None = None
    confidence: float = 1.0
    span: Span | None = None


@dataclass(frozen=True)
class Authority:
    """Who the visitor is in the buying decision."""

    title: str | None = None
    seniority: Seniority | None = None
    decision_role: DecisionRole | None = None
    confidence: float = 1.0
    span: Span | None = None


@dataclass(frozen=True)
class Need:
    """The problem the visitor wants solved."""

    category: str | None = None
    pain: str | None = None
    urgent: bool = False
    confidence: float = 1.0
    span: Span | None = None


@dataclass(frozen=True)
class CompanySize:
    """The number of employees, or a range of it."""

    employees: int
    confidence: float = 1.0
    span: Span | None = None


@dataclass(frozen=True)
class Industry:
    """The visitor's industry, from the profile's list."""

    name: str
    confidence: float = 1.0
    span: Span | None = None


@dataclass(frozen=True)
class Contact:
    """A contact detail: a person's name, a business email or a company."""

    value: str
    confidence: float = 1.0
    span: Span | None = None


@dataclass(frozen=True)
class MessageContext:
    """What the extractor needs to know besides the text itself.

    Attributes:
        now: When the message was sent, aware of its time zone.
        tz: The visitor's time zone, for resolving dates.
        expected: The slot the assistant just asked for, if any. An answer
            that only makes sense as a reply ("Acme", "3 months") is read as
            that slot and no other.
    """

    now: datetime
    tz: ZoneInfo
    expected: str | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything understood from one message; None where nothing was."""

    budget: Budget | None = None
    timing: Timing | None = None
    authority: Authority | None = None
    need: Need | None = None
    company_size: CompanySize | None = None
    industry: Industry | None = None
    name: Contact | None = None
    email: Contact | None = None
    company: Contact | None = None
    phone: Contact | None = None
    trial: Span | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PageContext:
    """Where the visitor chats from, as the channel reported it."""

    page_url: str | None = None
    referrer: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_term: str | None = None
    utm_content: str | None = None
    pages_seen: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeadFacts:
    """What is known of a lead when it is scored.

    Attributes:
        email: The business email, if given; free-mail domains score lower.
        trial: True when the visitor already uses a trial of the product.
        disqualified_reason: Set when the visitor is not a fit (a student,
            a job seeker, a vendor pitching); the lead is then disqualified.
    """

    budget: Budget | None = None
    timing: Timing | None = None
    authority: Authority | None = None
    need: Need | None = None
    company_size: CompanySize | None = None
    industry: Industry | None = None
    email: str | None = None
    trial: bool = False
    page: PageContext | None = None
    disqualified_reason: str | None = None
