"""Tests of lead scoring: points per dimension, tiers and stages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from qualifier.facts import (
    Authority,
    Budget,
    BudgetPeriod,
    BudgetStatus,
    CompanySize,
    DecisionRole,
    Industry,
    LeadFacts,
    Need,
    PageContext,
    Seniority,
    Timing,
    TimingStatus,
)
from qualifier.profile import ScoringProfile, default_profile_path, load_profile
from qualifier.scoring import LeadScore, Stage, Tier, is_free_mail, score_lead

TODAY = date(2025, 3, 3)

# A small profile with round numbers: its points add up to 100, so the total
# equals the sum of points and each rule can be checked exactly.
UNIT_PROFILE: dict[str, Any] = {
    "name": "unit",
    "currency": "USD",
    "currency_rates": {"EUR": 1.5},
    "free_mail_domains": ["gmail.com", "gmx.*"],
    "thresholds": {"hot": 70, "warm": 40, "mql": 30},
    "sql": {"decision_roles": ["decision-maker", "influencer"], "required": ["need"]},
    "dimensions": {
        "budget": {
            "max_points": 20,
            "bands": [
                {"min_annual": 1200, "points": 10, "label": "small"},
                {"min_annual": 12000, "points": 20, "label": "target"},
            ],
            "unknown_points": 4,
        },
        "authority": {
            "max_points": 20,
            "decision_roles": {"decision-maker": 15, "influencer": 10, "user": 2},
            "seniority": {"c-level": 10, "manager": 5},
        },
        "need": {
            "max_points": 20,
            "categories": {"lead-qualification": 12},
            "other_category_points": 5,
            "pain_points": 4,
            "urgent_points": 2,
        },
        "timing": {
            "max_points": 20,
            "bands": [
                {"max_days": 90, "points": 10, "label": "this quarter"},
                {"max_days": 30, "points": 20, "label": "this month"},
            ],
            "later_points": 2,
            "asap_points": 20,
            "unknown_points": 4,
        },
        "fit": {
            "max_points": 10,
            "company_sizes": [{"min": 50, "max": 500, "points": 5, "label": "core"}],
            "industries": ["Software"],
            "industry_points": 5,
            "other_industry_points": 1,
        },
        "engagement": {
            "max_points": 5,
            "trial_points": 1,
            "signals": {
                "referral": {
                    "points": 3,
                    "reason": "came from a referral",
                    "match": {"utm_source": ["partner*"], "referrer": ["*partner*"]},
                },
                "pricing-page": {
                    "points": 2,
                    "reason": "visited the pricing page",
                    "match": {"page_url": ["*/pricing*"], "pages_seen": ["*/pricing"]},
                },
            },
        },
        "contact": {"max_points": 5, "business_email_points": 5, "free_mail_points": 2},
    },
}


def _write_profile(directory: Path, data: dict[str, Any]) -> ScoringProfile:
    """Write profile data as YAML and load it."""
    path = directory / f"{data['name']}.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_profile(path)


@pytest.fixture(scope="module")
def unit_profile(tmp_path_factory: pytest.TempPathFactory) -> ScoringProfile:
    """Load the round-number profile."""
    return _write_profile(tmp_path_factory.mktemp("profiles"), UNIT_PROFILE)


@pytest.fixture(scope="module", params=["bant", "champ"])
def shipped_profile(request: pytest.FixtureRequest) -> ScoringProfile:
    """Load each profile shipped with the package."""
    return load_profile(default_profile_path(request.param))


def _points(score: LeadScore, name: str) -> float:
    """Return the points of one dimension of a score."""
    return next(d.points for d in score.dimensions if d.name == name)


def _reason(score: LeadScore, name: str) -> str:
    """Return the reason of one dimension of a score."""
    return next(d.reason for d in score.dimensions if d.name == name)


def _in_days(days: int) -> Timing:
    """Build a time frame starting some days after TODAY."""
    return Timing(TimingStatus.KNOWN, start=TODAY + timedelta(days=days))


def _usd(amount: float, period: BudgetPeriod = BudgetPeriod.YEAR) -> Budget:
    """Build a stated budget in US dollars."""
    return Budget(BudgetStatus.KNOWN, min=amount, currency="USD", period=period)


# Leads the shipped profiles must place the same way, whatever their weights.
HOT = LeadFacts(
    budget=_usd(60_000),
    timing=_in_days(20),
    authority=Authority(
        seniority=Seniority.C_LEVEL, decision_role=DecisionRole.DECISION_MAKER
    ),
    need=Need(category="lead-qualification", pain="slow follow-up", urgent=True),
    company_size=CompanySize(200),
    industry=Industry("Software"),
    email="ann@acme.example",
    page=PageContext(page_url="https://example.com/pricing", utm_source="partner"),
)
WARM = LeadFacts(
    budget=Budget(BudgetStatus.UNKNOWN),
    timing=_in_days(60),
    authority=Authority(
        seniority=Seniority.MANAGER, decision_role=DecisionRole.INFLUENCER
    ),
    need=Need(category="lead-qualification"),
    email="bob@acme.example",
)
COLD = LeadFacts(email="carol@gmail.com")


# -- tiers and stages on the shipped profiles ----------------------------------


@pytest.mark.parametrize(
    ("facts", "tier"),
    [
        pytest.param(HOT, Tier.HOT, id="hot"),
        pytest.param(WARM, Tier.WARM, id="warm"),
        pytest.param(COLD, Tier.COLD, id="cold"),
        pytest.param(
            replace(HOT, disqualified_reason="a student"),
            Tier.DISQUALIFIED,
            id="disqualified",
        ),
    ],
)
def test_score_lead_places_lead_in_tier(
    shipped_profile: ScoringProfile, facts: LeadFacts, tier: Tier
) -> None:
    score = score_lead(facts, shipped_profile, today=TODAY)

    assert score.tier is tier


@pytest.mark.parametrize(
    ("facts", "stage"),
    [
        pytest.param(COLD, Stage.IQL, id="iql-contact-only"),
        pytest.param(WARM, Stage.MQL, id="mql-warm"),
        pytest.param(HOT, Stage.SQL, id="sql-hot-decision-maker"),
        pytest.param(replace(WARM, trial=True), Stage.PQL, id="pql-trial-warm"),
        pytest.param(replace(COLD, trial=True), Stage.IQL, id="iql-trial-cold"),
        pytest.param(replace(HOT, trial=True), Stage.SQL, id="sql-before-pql"),
        pytest.param(
            replace(HOT, authority=Authority(decision_role=DecisionRole.USER)),
            Stage.MQL,
            id="mql-hot-but-user",
        ),
        pytest.param(
            replace(HOT, timing=Timing(TimingStatus.UNKNOWN)),
            Stage.MQL,
            id="mql-hot-but-timing-unknown",
        ),
        pytest.param(
            replace(HOT, disqualified_reason="a vendor"), Stage.IQL, id="disqualified"
        ),
    ],
)
def test_score_lead_sets_stage(
    shipped_profile: ScoringProfile, facts: LeadFacts, stage: Stage
) -> None:
    score = score_lead(facts, shipped_profile, today=TODAY)

    assert score.stage is stage


def test_score_lead_explains_missing_sql_facts(
    shipped_profile: ScoringProfile,
) -> None:
    facts = replace(HOT, timing=Timing(TimingStatus.UNKNOWN))

    score = score_lead(facts, shipped_profile, today=TODAY)

    assert score.tier is Tier.HOT
    assert "not SQL yet" in score.reasons[0]
    assert "unknown" in score.reasons[0]


def test_score_lead_disqualifies_with_zero_and_reason(
    shipped_profile: ScoringProfile,
) -> None:
    facts = replace(HOT, disqualified_reason="looking for a job")

    score = score_lead(facts, shipped_profile, today=TODAY)

    assert score.total == 0
    assert score.dimensions == ()
    assert score.reasons == ("Disqualified: looking for a job",)


def test_score_lead_normalises_to_hundred(shipped_profile: ScoringProfile) -> None:
    facts = HOT

    score = score_lead(facts, shipped_profile, today=TODAY)

    assert score.max_total == 100
    assert 0 <= score.total <= 100
    assert all(0 <= d.points <= d.max_points for d in score.dimensions)
    assert len(score.reasons) == len(score.dimensions) + 1


@pytest.mark.parametrize(
    ("email", "better_than"),
    [
        pytest.param("dan@gmail.com", None, id="gmail-above-missing"),
        pytest.param("dan@gmx.de", None, id="gmx-glob-above-missing"),
        pytest.param("dan@acme.example", "dan@gmail.com", id="business-above-gmail"),
    ],
)
def test_score_lead_scores_free_mail_lower_but_keeps_it(
    shipped_profile: ScoringProfile, email: str, better_than: str | None
) -> None:
    lead = replace(WARM, email=email)
    other = replace(WARM, email=better_than)

    score = score_lead(lead, shipped_profile, today=TODAY)
    baseline = score_lead(other, shipped_profile, today=TODAY)

    assert score.total > baseline.total
    assert score.tier is not Tier.DISQUALIFIED


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(PageContext(utm_source="partner"), id="referral-utm-source"),
        pytest.param(PageContext(utm_medium="referral"), id="referral-utm-medium"),
        pytest.param(
            PageContext(referrer="https://partner.example/blog"), id="referral-referrer"
        ),
        pytest.param(
            PageContext(page_url="https://example.com/pricing"), id="pricing-page-url"
        ),
        pytest.param(
            PageContext(
                pages_seen=("https://example.com/", "https://example.com/Pricing")
            ),
            id="pricing-page-seen",
        ),
        pytest.param(PageContext(utm_campaign="spring-webinar"), id="campaign"),
    ],
)
def test_score_lead_counts_page_signals(
    shipped_profile: ScoringProfile, page: PageContext
) -> None:
    lead = replace(WARM, page=page)

    score = score_lead(lead, shipped_profile, today=TODAY)
    baseline = score_lead(WARM, shipped_profile, today=TODAY)

    assert _points(score, "engagement") > 0
    assert score.total > baseline.total


def test_score_lead_weights_referral_above_campaign(
    shipped_profile: ScoringProfile,
) -> None:
    referral = replace(WARM, page=PageContext(utm_source="referral"))
    campaign = replace(WARM, page=PageContext(utm_campaign="spring"))

    referral_score = score_lead(referral, shipped_profile, today=TODAY)
    campaign_score = score_lead(campaign, shipped_profile, today=TODAY)

    assert referral_score.total > campaign_score.total


@pytest.mark.parametrize(
    ("profile_name", "urgency_dimension"),
    [
        pytest.param("bant", "need", id="bant-urgency-in-need"),
        pytest.param("champ", "prioritization", id="champ-urgency-in-prioritization"),
    ],
)
def test_score_lead_counts_urgency_where_the_profile_says(
    profile_name: str, urgency_dimension: str
) -> None:
    profile = load_profile(default_profile_path(profile_name))
    calm = replace(WARM, need=Need(category="lead-qualification"))
    urgent = replace(WARM, need=Need(category="lead-qualification", urgent=True))

    calm_score = score_lead(calm, profile, today=TODAY)
    urgent_score = score_lead(urgent, profile, today=TODAY)

    assert _points(urgent_score, urgency_dimension) > _points(
        calm_score, urgency_dimension
    )


def test_score_lead_names_champ_dimensions() -> None:
    profile = load_profile(default_profile_path("champ"))

    score = score_lead(HOT, profile, today=TODAY)

    names = [dimension.name for dimension in score.dimensions]
    assert names[:4] == ["challenges", "authority", "money", "prioritization"]


# -- exact rules on the round-number profile -----------------------------------


@pytest.mark.parametrize(
    ("budget", "points", "fragment"),
    [
        pytest.param(_usd(12_000), 20, "12,000 USD/year is in the target", id="year"),
        pytest.param(
            _usd(1_000, BudgetPeriod.MONTH),
            20,
            "(12,000 USD/year) is in the target",
            id="month-times-twelve",
        ),
        pytest.param(
            _usd(11_000, BudgetPeriod.ONE_OFF),
            10,
            "11,000 USD one-off is in the small",
            id="one-off-as-is",
        ),
        pytest.param(_usd(500), 0, "below every band", id="below-bands"),
        pytest.param(
            Budget(
                BudgetStatus.KNOWN, min=700, currency="EUR", period=BudgetPeriod.MONTH
            ),
            20,
            "700 EUR/month (12,600 USD/year)",
            id="converts-currency",
        ),
        pytest.param(
            Budget(BudgetStatus.KNOWN, min=5_000),
            10,
            "5,000 USD",
            id="default-currency",
        ),
        pytest.param(
            Budget(BudgetStatus.KNOWN, min=2_000, max=20_000, currency="USD"),
            10,
            "2,000-20,000 USD",
            id="range-scores-lower-bound",
        ),
        pytest.param(
            Budget(BudgetStatus.KNOWN, max=20_000, currency="USD"),
            20,
            "20,000 USD",
            id="up-to-scores-upper-bound",
        ),
        pytest.param(
            Budget(BudgetStatus.KNOWN, min=9_000, currency="CHF"),
            4,
            "no exchange rate for CHF",
            id="unknown-currency-as-unknown",
        ),
        pytest.param(Budget(BudgetStatus.UNKNOWN), 4, "not known", id="status-unknown"),
        pytest.param(Budget(BudgetStatus.NONE), 0, "No budget yet", id="status-none"),
        pytest.param(None, 0, "not discussed", id="not-asked"),
    ],
)
def test_score_lead_bands_annual_budget(
    unit_profile: ScoringProfile, budget: Budget | None, points: float, fragment: str
) -> None:
    facts = LeadFacts(budget=budget)

    score = score_lead(facts, unit_profile, today=TODAY)

    assert _points(score, "budget") == points
    assert fragment in _reason(score, "budget")


@pytest.mark.parametrize(
    ("timing", "points", "fragment"),
    [
        pytest.param(_in_days(10), 20, "Starts in 10 days (this month)", id="month"),
        pytest.param(_in_days(30), 20, "(this month)", id="band-edge"),
        pytest.param(_in_days(60), 10, "(this quarter)", id="quarter"),
        pytest.param(_in_days(200), 2, "later than every band", id="later"),
        pytest.param(_in_days(-5), 20, "Starts in 0 days", id="already-started"),
        pytest.param(
            Timing(TimingStatus.KNOWN, end=TODAY + timedelta(days=45)),
            10,
            "Due in 45 days",
            id="end-only",
        ),
        pytest.param(Timing(TimingStatus.ASAP), 20, "as soon as possible", id="asap"),
        pytest.param(Timing(TimingStatus.UNKNOWN), 4, "not known", id="unknown"),
        pytest.param(Timing(TimingStatus.KNOWN), 4, "not known", id="known-no-date"),
        pytest.param(Timing(TimingStatus.NONE), 0, "No time frame", id="none"),
    ],
)
def test_score_lead_bands_days_until_start(
    unit_profile: ScoringProfile, timing: Timing, points: float, fragment: str
) -> None:
    facts = LeadFacts(timing=timing)

    score = score_lead(facts, unit_profile, today=TODAY)

    assert _points(score, "timing") == points
    assert fragment in _reason(score, "timing")


@pytest.mark.parametrize(
    ("authority", "points"),
    [
        pytest.param(Authority(decision_role=DecisionRole.INFLUENCER), 10, id="role"),
        pytest.param(Authority(seniority=Seniority.MANAGER), 5, id="seniority"),
        pytest.param(
            Authority(seniority=Seniority.MANAGER, decision_role=DecisionRole.USER),
            7,
            id="role-plus-seniority",
        ),
        pytest.param(
            Authority(
                seniority=Seniority.C_LEVEL, decision_role=DecisionRole.DECISION_MAKER
            ),
            20,
            id="capped-at-max",
        ),
        pytest.param(
            Authority(decision_role=DecisionRole.GATEKEEPER), 0, id="unlisted"
        ),
        pytest.param(Authority(title="Head of Growth"), 0, id="title-only"),
    ],
)
def test_score_lead_adds_authority_points(
    unit_profile: ScoringProfile, authority: Authority, points: float
) -> None:
    facts = LeadFacts(authority=authority)

    score = score_lead(facts, unit_profile, today=TODAY)

    assert _points(score, "authority") == points


@pytest.mark.parametrize(
    ("need", "points"),
    [
        pytest.param(Need(category="Lead-Qualification"), 12, id="listed-category"),
        pytest.param(Need(category="payroll"), 5, id="other-category"),
        pytest.param(Need(pain="too many unqualified leads"), 4, id="pain-only"),
        pytest.param(
            Need(category="lead-qualification", pain="slow", urgent=True),
            18,
            id="category-pain-urgent",
        ),
        pytest.param(Need(urgent=True), 0, id="urgency-alone-unknown"),
    ],
)
def test_score_lead_adds_need_points(
    unit_profile: ScoringProfile, need: Need, points: float
) -> None:
    facts = LeadFacts(need=need)

    score = score_lead(facts, unit_profile, today=TODAY)

    assert _points(score, "need") == points


@pytest.mark.parametrize(
    ("size", "industry", "points"),
    [
        pytest.param(CompanySize(50), None, 5, id="size-at-icp-edge"),
        pytest.param(CompanySize(5_000), None, 0, id="size-outside-icp"),
        pytest.param(None, Industry("software"), 5, id="target-industry"),
        pytest.param(None, Industry("Mining"), 1, id="other-industry"),
        pytest.param(CompanySize(120), Industry("Software"), 10, id="full-fit"),
    ],
)
def test_score_lead_matches_icp_fit(
    unit_profile: ScoringProfile,
    size: CompanySize | None,
    industry: Industry | None,
    points: float,
) -> None:
    facts = LeadFacts(company_size=size, industry=industry)

    score = score_lead(facts, unit_profile, today=TODAY)

    assert _points(score, "fit") == points


@pytest.mark.parametrize(
    ("page", "trial", "points"),
    [
        pytest.param(PageContext(utm_source="Partner-Acme"), False, 3, id="referral"),
        pytest.param(
            PageContext(referrer="https://www.partner.example/"),
            False,
            3,
            id="referral-referrer",
        ),
        pytest.param(
            PageContext(page_url="https://example.com/pricing?plan=pro"),
            False,
            2,
            id="pricing-url",
        ),
        pytest.param(
            PageContext(pages_seen=("https://example.com/pricing",)),
            False,
            2,
            id="pricing-seen",
        ),
        pytest.param(
            PageContext(utm_source="partner", page_url="https://x.example/pricing"),
            True,
            5,
            id="all-capped",
        ),
        pytest.param(PageContext(utm_source="google"), False, 0, id="no-match"),
        pytest.param(None, True, 1, id="trial-only"),
    ],
)
def test_score_lead_adds_engagement_points(
    unit_profile: ScoringProfile, page: PageContext | None, trial: bool, points: float
) -> None:
    facts = LeadFacts(page=page, trial=trial)

    score = score_lead(facts, unit_profile, today=TODAY)

    assert _points(score, "engagement") == points


@pytest.mark.parametrize(
    ("email", "points", "reason"),
    [
        pytest.param("eve@acme.example", 5, "Business email", id="business"),
        pytest.param("eve@gmail.com", 2, "Free-mail address (gmail.com)", id="gmail"),
        pytest.param("eve@GMX.net", 2, "Free-mail address (gmx.net)", id="gmx-glob"),
        pytest.param(None, 0, "No email yet", id="missing"),
        pytest.param("not-an-email", 0, "No email yet", id="malformed"),
    ],
)
def test_score_lead_scores_email_domain(
    unit_profile: ScoringProfile, email: str | None, points: float, reason: str
) -> None:
    facts = LeadFacts(email=email)

    score = score_lead(facts, unit_profile, today=TODAY)

    assert _points(score, "contact") == points
    assert _reason(score, "contact") == reason


@pytest.mark.parametrize(
    ("facts", "total", "tier", "stage"),
    [
        pytest.param(
            LeadFacts(
                budget=_usd(12_000),
                timing=_in_days(60),
                authority=Authority(decision_role=DecisionRole.INFLUENCER),
                need=Need(category="lead-qualification"),
                email="eve@acme.example",
            ),
            57,
            Tier.WARM,
            Stage.MQL,
            id="warm-mql",
        ),
        pytest.param(
            LeadFacts(
                budget=_usd(12_000),
                timing=_in_days(10),
                authority=Authority(decision_role=DecisionRole.INFLUENCER),
                need=Need(category="lead-qualification", pain="slow follow-up"),
                email="eve@acme.example",
            ),
            71,
            Tier.HOT,
            Stage.SQL,
            id="hot-sql",
        ),
        pytest.param(
            LeadFacts(budget=_usd(12_000), email="eve@gmail.com", trial=True),
            23,
            Tier.COLD,
            Stage.IQL,
            id="cold-iql",
        ),
        pytest.param(
            LeadFacts(
                budget=_usd(12_000),
                timing=_in_days(60),
                email="eve@gmail.com",
                trial=True,
            ),
            33,
            Tier.COLD,
            Stage.PQL,
            id="cold-trial-pql",
        ),
    ],
)
def test_score_lead_applies_thresholds(
    unit_profile: ScoringProfile,
    facts: LeadFacts,
    total: float,
    tier: Tier,
    stage: Stage,
) -> None:
    score = score_lead(facts, unit_profile, today=TODAY)

    assert score.total == total
    assert score.tier is tier
    assert score.stage is stage


def test_score_lead_rounds_normalised_total(tmp_path: Path) -> None:
    contact = {"max_points": 3, "business_email_points": 3, "free_mail_points": 1}
    data = {
        **UNIT_PROFILE,
        "sql": {"decision_roles": [], "required": []},
        "dimensions": {"contact": contact},
    }
    profile = _write_profile(tmp_path, data)

    score = score_lead(LeadFacts(email="eve@gmail.com"), profile, today=TODAY)

    assert score.total == 33.3


@pytest.mark.parametrize(
    ("sql", "stage"),
    [
        pytest.param(
            {"decision_roles": ["decision-maker", "influencer"], "required": ["need"]},
            Stage.MQL,
            id="default-needs-role",
        ),
        pytest.param(
            {"decision_roles": [], "required": ["need"]}, Stage.SQL, id="any-role"
        ),
        pytest.param(
            {"decision_roles": [], "required": ["need", "authority"]},
            Stage.MQL,
            id="authority-required",
        ),
    ],
)
def test_score_lead_reads_sql_rule_from_profile(
    tmp_path: Path, sql: dict[str, Any], stage: Stage
) -> None:
    profile = _write_profile(tmp_path, {**UNIT_PROFILE, "sql": sql})
    facts = LeadFacts(
        budget=_usd(12_000),
        timing=_in_days(10),
        need=Need(category="lead-qualification", pain="slow", urgent=True),
        company_size=CompanySize(100),
        email="eve@acme.example",
        page=PageContext(utm_source="partner", page_url="https://x.example/pricing"),
    )

    score = score_lead(facts, profile, today=TODAY)

    assert score.tier is Tier.HOT
    assert score.stage is stage


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        pytest.param("a@gmail.com", True, id="listed"),
        pytest.param("a@GMX.AT", True, id="glob-any-case"),
        pytest.param("a@mygmail.com", False, id="lookalike"),
        pytest.param("a@acme.example", False, id="business"),
    ],
)
def test_is_free_mail_matches_domain_patterns(email: str, expected: bool) -> None:
    domains = ("gmail.com", "gmx.*")

    result = is_free_mail(email, domains)

    assert result is expected


def test_score_lead_timing_counts_the_deadline_not_the_start() -> None:
    profile = load_profile(default_profile_path("bant"))
    today = date(2026, 12, 4)
    soon = LeadFacts(timing=Timing(TimingStatus.KNOWN, today, date(2026, 12, 18)))
    later = LeadFacts(timing=Timing(TimingStatus.KNOWN, today, date(2027, 6, 4)))

    soon_score = score_lead(soon, profile, today=today)
    later_score = score_lead(later, profile, today=today)

    timing = {d.name: d for d in soon_score.dimensions}["timing"]
    assert soon_score.total > later_score.total
    assert "Due in 14 days" in timing.reason
