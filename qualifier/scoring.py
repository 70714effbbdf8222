"""Lead scoring: points per dimension, a 0-100 total, a tier and a stage.

Everything here is a pure function of the facts, the profile and today's date,
so a lead can be rescored at any time, for instance after marketing changes
the profile. Each dimension carries a short reason a sales rep can read.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from fnmatch import fnmatchcase

from qualifier.facts import (
    Authority,
    Budget,
    BudgetPeriod,
    BudgetStatus,
    CompanySize,
    Industry,
    LeadFacts,
    Need,
    PageContext,
    Timing,
    TimingStatus,
)
from qualifier.profile import (
    AuthorityRules,
    BudgetRules,
    ContactRules,
    Dimension,
    EngagementRules,
    FitRules,
    NeedRules,
    PageField,
    ScoringProfile,
    Signal,
    SizeRange,
    TimingRules,
)

SCALE = 100.0


class Tier(enum.StrEnum):
    """How warm a lead is, from its total score."""

    HOT = "hot"
    WARM = "warm"
    COLD = "cold"
    DISQUALIFIED = "disqualified"


class Stage(enum.StrEnum):
    """How far a lead has come in qualification."""

    IQL = "IQL"
    MQL = "MQL"
    SQL = "SQL"
    PQL = "PQL"


@dataclass(frozen=True)
class DimensionScore:
    """The points one dimension earned and why, in words for a sales rep."""

    name: str
    points: float
    max_points: float
    reason: str


@dataclass(frozen=True)
class LeadScore:
    """A scored lead.

    Attributes:
        total: The score on a 0-100 scale, rounded to one decimal.
        max_total: The top of that scale, always 100.
        dimensions: One score per profile dimension, in profile order; empty
            for a disqualified lead.
        reasons: The stage explanation first, then each dimension's reason.
    """

    total: float
    max_total: float
    dimensions: tuple[DimensionScore, ...]
    tier: Tier
    stage: Stage
    reasons: tuple[str, ...]


def score_lead(facts: LeadFacts, profile: ScoringProfile, *, today: date) -> LeadScore:
    """Score a lead against a profile.

    A disqualified lead scores 0 with tier ``disqualified`` and stays an IQL.
    Otherwise the stage is, from the first that applies: SQL (hot, with a
    decision role and the required dimensions known, as the profile says),
    PQL (a trial user reaching the MQL threshold), MQL, then IQL.

    Args:
        facts: What is known of the lead.
        profile: The points and thresholds to apply.
        today: The date timing bands count days from.
    """
    if facts.disqualified_reason is not None:
        return _disqualified(facts.disqualified_reason)

    assessed = [
        (dimension, _assess(dimension, facts, profile, today))
        for dimension in profile.dimensions
    ]
    dimensions = tuple(_dimension_score(dim, result) for dim, result in assessed)
    known = {dimension.name: result.known for dimension, result in assessed}

    total = _normalise(dimensions)
    tier = _tier(total, profile)
    stage, explanation = _stage(facts, profile, total, tier, known)

    return LeadScore(
        total=total,
        max_total=SCALE,
        dimensions=dimensions,
        tier=tier,
        stage=stage,
        reasons=(explanation, *(dimension.reason for dimension in dimensions)),
    )


def is_free_mail(email: str, domains: Iterable[str]) -> bool:
    """Tell whether an email address is on a free-mail domain.

    Args:
        email: The address as given.
        domains: Lower-case glob patterns, such as ``gmx.*``.
    """
    domain = email.rpartition("@")[2].strip().lower()
    return any(fnmatchcase(domain, pattern) for pattern in domains)


# -- the lead as a whole -------------------------------------------------------


@dataclass(frozen=True)
class _Assessment:
    """A dimension's uncapped points, whether its facts are known, and why."""

    points: float
    known: bool
    reason: str


def _disqualified(reason: str) -> LeadScore:
    """Build the score of a lead that is not a fit."""
    return LeadScore(
        total=0.0,
        max_total=SCALE,
        dimensions=(),
        tier=Tier.DISQUALIFIED,
        stage=Stage.IQL,
        reasons=(f"Disqualified: {reason}",),
    )


def _dimension_score(dimension: Dimension, result: _Assessment) -> DimensionScore:
    """Cap an assessment at the dimension's maximum."""
    return DimensionScore(
        name=dimension.name,
        points=min(result.points, dimension.max_points),
        max_points=dimension.max_points,
        reason=result.reason,
    )


def _normalise(dimensions: tuple[DimensionScore, ...]) -> float:
    """Scale the sum of points to 0-100."""
    earned = sum(dimension.points for dimension in dimensions)
    possible = sum(dimension.max_points for dimension in dimensions)

    return round(SCALE * earned / possible, 1)


def _tier(total: float, profile: ScoringProfile) -> Tier:
    """Pick the tier the total reaches."""
    if total >= profile.thresholds.hot:
        return Tier.HOT

    if total >= profile.thresholds.warm:
        return Tier.WARM

    return Tier.COLD


def _stage(
    facts: LeadFacts,
    profile: ScoringProfile,
    total: float,
    tier: Tier,
    known: Mapping[str, bool],
) -> tuple[Stage, str]:
    """Pick the stage and explain it in one sentence."""
    gaps = _sql_gaps(facts, profile, tier, known)
    if not gaps:
        reason = f"SQL: hot at {total:g}, decision role and required facts known"
        return Stage.SQL, reason

    mql = profile.thresholds.mql
    missing = f"; not SQL yet: {', '.join(gaps)}" if tier is Tier.HOT else ""
    if total >= mql and facts.trial:
        reason = f"PQL: trial user scoring {total:g} (MQL from {mql:g}){missing}"
        return Stage.PQL, reason

    if total >= mql:
        return Stage.MQL, f"MQL: score {total:g} reaches {mql:g}{missing}"

    return Stage.IQL, f"IQL: score {total:g} is below the MQL threshold {mql:g}"


def _sql_gaps(
    facts: LeadFacts, profile: ScoringProfile, tier: Tier, known: Mapping[str, bool]
) -> list[str]:
    """List what keeps the lead from being sales-qualified."""
    gaps = [] if tier is Tier.HOT else [f"tier {tier.value}"]
    roles = profile.sql.decision_roles
    role = facts.authority.decision_role if facts.authority else None
    if roles and role not in roles:
        gaps.append("decision role unknown" if role is None else f"role {role.value}")

    gaps.extend(f"{name} unknown" for name in profile.sql.required if not known[name])
    return gaps


def _assess(
    dimension: Dimension, facts: LeadFacts, profile: ScoringProfile, today: date
) -> _Assessment:
    """Assess one dimension with the rules of its kind."""
    rules = dimension.rules
    match rules:
        case BudgetRules():
            return _assess_budget(facts.budget, rules, profile)
        case TimingRules():
            return _assess_timing(facts.timing, facts.need, rules, today)
        case AuthorityRules():
            return _assess_authority(facts.authority, rules)
        case NeedRules():
            return _assess_need(facts.need, rules)
        case FitRules():
            return _assess_fit(facts.company_size, facts.industry, rules)
        case EngagementRules():
            return _assess_engagement(facts.page, facts.trial, rules)
        case ContactRules():
            return _assess_contact(facts.email, rules, profile)


# -- budget --------------------------------------------------------------------


def _assess_budget(
    budget: Budget | None, rules: BudgetRules, profile: ScoringProfile
) -> _Assessment:
    """Band the annual budget in the profile's currency."""
    if budget is None:
        return _Assessment(0.0, False, "Budget not discussed yet")

    if budget.status is BudgetStatus.NONE:
        return _Assessment(rules.none_points, False, "No budget yet")

    amount = budget.min if budget.min is not None else budget.max
    if budget.status is BudgetStatus.UNKNOWN or amount is None:
        return _Assessment(rules.unknown_points, False, "Budget not known yet")

    currency = (budget.currency or profile.currency).upper()
    rate = profile.currency_rates.get(currency)
    stated = _describe_budget(budget, currency)
    if rate is None:
        reason = f"Budget {stated} scored as unknown: no exchange rate for {currency}"
        return _Assessment(rules.unknown_points, False, reason)

    annual = amount * rate * (12 if budget.period is BudgetPeriod.MONTH else 1)
    if currency != profile.currency or budget.period is BudgetPeriod.MONTH:
        stated += f" ({_describe_annual(annual, profile.currency, budget.period)})"

    band = next((band for band in rules.bands if annual >= band.min_annual), None)
    if band is None:
        return _Assessment(0.0, True, f"Budget {stated} is below every band")

    return _Assessment(
        band.points, True, f"Budget {stated} is in the {band.label} band"
    )


_PERIOD_SUFFIX: dict[BudgetPeriod | None, str] = {
    BudgetPeriod.ONE_OFF: " one-off",
    BudgetPeriod.MONTH: "/month",
    BudgetPeriod.YEAR: "/year",
    None: "",
}


def _describe_budget(budget: Budget, currency: str) -> str:
    """Write a stated budget as a sales rep would, such as 4,000 EUR/month."""
    amounts = [value for value in (budget.min, budget.max) if value is not None]
    span = "-".join(f"{value:,.0f}" for value in sorted(set(amounts)))
    about = "about " if budget.approximate else ""

    return f"{about}{span} {currency}{_PERIOD_SUFFIX[budget.period]}"


def _describe_annual(annual: float, currency: str, period: BudgetPeriod | None) -> str:
    """Write the amount the bands compare, such as 51,840 USD/year."""
    suffix = " one-off" if period is BudgetPeriod.ONE_OFF else "/year"
    return f"{annual:,.0f} {currency}{suffix}"


# -- timing --------------------------------------------------------------------


def _assess_timing(
    timing: Timing | None, need: Need | None, rules: TimingRules, today: date
) -> _Assessment:
    """Band the days until the start, adding points for an urgent need."""
    result = _assess_time_frame(timing, rules, today)
    if need is None or not need.urgent or not rules.urgent_points:
        return result

    return replace(
        result,
        points=result.points + rules.urgent_points,
        reason=f"{result.reason}; the need is urgent",
    )


def _assess_time_frame(
    timing: Timing | None, rules: TimingRules, today: date
) -> _Assessment:
    """Band the days until the visitor needs a solution in place."""
    if timing is None:
        return _Assessment(0.0, False, "Timing not discussed yet")

    if timing.status is TimingStatus.NONE:
        return _Assessment(rules.none_points, False, "No time frame yet")

    if timing.status is TimingStatus.ASAP:
        return _Assessment(
            rules.asap_points, True, "Wants to start as soon as possible"
        )

    # The end is when a solution must be in place ("within 6 months" starts
    # today but is not urgent), so it decides; a bare start date stands in.
    day = timing.end or timing.start
    if timing.status is TimingStatus.UNKNOWN or day is None:
        return _Assessment(rules.unknown_points, False, "Time frame not known yet")

    days = max(0, (day - today).days)
    when = f"{'Due' if timing.end else 'Starts'} in {days} days"
    band = next((band for band in rules.bands if days <= band.max_days), None)
    if band is None:
        return _Assessment(rules.later_points, True, f"{when}, later than every band")

    return _Assessment(band.points, True, f"{when} ({band.label})")


# -- authority and need --------------------------------------------------------


def _assess_authority(
    authority: Authority | None, rules: AuthorityRules
) -> _Assessment:
    """Add the points for the decision role and the seniority."""
    role = authority.decision_role if authority else None
    seniority = authority.seniority if authority else None
    if role is None and seniority is None:
        return _Assessment(0.0, False, "Role in the decision not known yet")

    points = rules.role_points.get(role, 0.0) if role else 0.0
    points += rules.seniority_points.get(seniority, 0.0) if seniority else 0.0
    parts = [member.value for member in (role, seniority) if member is not None]

    return _Assessment(points, True, f"Authority: {', '.join(parts)}")


def _assess_need(need: Need | None, rules: NeedRules) -> _Assessment:
    """Add the points for the category, a described pain and urgency."""
    if need is None or (need.category is None and need.pain is None):
        return _Assessment(0.0, False, "Need not known yet")

    points, parts = 0.0, []
    if need.category is not None:
        category = need.category.lower()
        listed = category in rules.category_points
        points += rules.category_points.get(category, rules.other_category_points)
        parts.append(category if listed else f"{category} (not a listed category)")

    if need.pain is not None:
        points += rules.pain_points
        parts.append("pain described")

    if need.urgent:
        points += rules.urgent_points
        parts.append("urgent")

    return _Assessment(points, True, f"Need: {', '.join(parts)}")


# -- fit, engagement and contact -----------------------------------------------


def _assess_fit(
    size: CompanySize | None, industry: Industry | None, rules: FitRules
) -> _Assessment:
    """Add the points for the company size and the industry."""
    if size is None and industry is None:
        return _Assessment(0.0, False, "Company size and industry not known yet")

    points, parts = 0.0, []
    if size is not None:
        size_range = _find_size_range(size.employees, rules)
        points += size_range.points if size_range else 0.0
        label = size_range.label if size_range else "outside the ICP sizes"
        parts.append(f"{size.employees:,} employees ({label})")

    if industry is not None:
        target = industry.name.lower() in rules.industries
        points += rules.industry_points if target else rules.other_industry_points
        parts.append(f"{industry.name} ({'target' if target else 'other'} industry)")

    return _Assessment(points, True, f"Fit: {'; '.join(parts)}")


def _find_size_range(employees: int, rules: FitRules) -> SizeRange | None:
    """Return the first ICP size range that holds the head count."""
    for size_range in rules.size_ranges:
        high = size_range.max_employees
        if employees >= size_range.min_employees and (
            high is None or employees <= high
        ):
            return size_range

    return None


def _assess_engagement(
    page: PageContext | None, trial: bool, rules: EngagementRules
) -> _Assessment:
    """Add the points for page signals and for using a trial."""
    signals = [s for s in rules.signals if page is not None and _matches(s, page)]
    points = sum(signal.points for signal in signals)
    parts = [signal.reason for signal in signals]
    if trial:
        points += rules.trial_points
        parts.append("uses a trial")

    if not parts:
        return _Assessment(0.0, False, "No page signals")

    return _Assessment(points, True, f"Signals: {', '.join(parts)}")


def _matches(signal: Signal, page: PageContext) -> bool:
    """Tell whether any page field matches any of the signal's patterns."""
    return any(
        fnmatchcase(value.lower(), pattern)
        for field, patterns in signal.patterns.items()
        for value in _page_values(page, field)
        for pattern in patterns
    )


def _page_values(page: PageContext, field: PageField) -> tuple[str, ...]:
    """Return the values of a page field; pages seen has several."""
    if field is PageField.PAGES_SEEN:
        return page.pages_seen

    value: str | None = getattr(page, field.value)
    return () if value is None else (value,)


def _assess_contact(
    email: str | None, rules: ContactRules, profile: ScoringProfile
) -> _Assessment:
    """Score the email: a free-mail domain scores lower but is kept."""
    if email is None or "@" not in email:
        return _Assessment(rules.missing_points, False, "No email yet")

    if is_free_mail(email, profile.free_mail_domains):
        domain = email.rpartition("@")[2].strip().lower()
        return _Assessment(
            rules.free_mail_points, True, f"Free-mail address ({domain})"
        )

    return _Assessment(rules.business_email_points, True, "Business email")
