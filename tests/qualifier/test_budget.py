"""Tests for budget extraction."""

from __future__ import annotations

import pytest

from qualifier.budget import parse_budget
from qualifier.facts import BudgetPeriod, BudgetStatus
from qualifier.lexicon import Lexicon

from .conftest import Extract

M, Y, ONCE = BudgetPeriod.MONTH, BudgetPeriod.YEAR, BudgetPeriod.ONE_OFF

AMOUNTS = [
    # text, expected slot, min, max, currency, period, approximate
    ("between 10 and 20 thousand dollars", None, 10_000, 20_000, "USD", None, False),
    ("our budget is up to 50k", None, None, 50_000, "USD", None, False),
    ("at least 20k for this", "budget", 20_000, None, "USD", None, False),
    ("around 50k", "budget", 50_000, 50_000, "USD", None, True),
    ("we have 120 grand to spend", None, 120_000, 120_000, "USD", None, False),
    ("budget of 1.5M", None, 1_500_000, 1_500_000, "USD", None, False),
    ("€50-100k/yr", None, 50_000, 100_000, "EUR", Y, False),
    ("50.000 € for the project", "budget", 50_000, 50_000, "EUR", None, False),
    ("$2,500 a month", None, 2_500, 2_500, "USD", M, False),
    ("fifty thousand dollars", None, 50_000, 50_000, "USD", None, False),
    ("50k", "budget", 50_000, 50_000, "USD", None, False),
    ("10-20k a year", "budget", 10_000, 20_000, "USD", Y, False),
    ("£3k per month", None, 3_000, 3_000, "GBP", M, False),
    ("$10k-$20k", None, 10_000, 20_000, "USD", None, False),
    ("50k+", "budget", 50_000, None, "USD", None, False),
    ("We have about $40,000 set aside", None, 40_000, 40_000, "USD", None, True),
    ("budget is $5k, one-off", None, 5_000, 5_000, "USD", ONCE, False),
    ("no more than 2k monthly", "budget", None, 2_000, "USD", M, False),
    ("roughly 30k euros annually", None, 30_000, 30_000, "EUR", Y, True),
    ("20k EUR per year", None, 20_000, 20_000, "EUR", Y, False),
    ("half a million dollars", None, 500_000, 500_000, "USD", None, False),
    (
        "we do $5M in revenue and our budget is 50k",
        None,
        50_000,
        50_000,
        "USD",
        None,
        False,
    ),
]


@pytest.mark.parametrize(
    ("text", "expected", "low", "high", "currency", "period", "approximate"),
    AMOUNTS,
    ids=[row[0] for row in AMOUNTS],
)
def test_budget_amounts(
    extract: Extract,
    text: str,
    expected: str | None,
    low: float | None,
    high: float | None,
    currency: str,
    period: BudgetPeriod | None,
    approximate: bool,
) -> None:
    budget = extract(text, expected).budget

    assert budget is not None
    assert (budget.status, budget.min, budget.max) == (BudgetStatus.KNOWN, low, high)
    assert (budget.currency, budget.period, budget.approximate) == (
        currency,
        period,
        approximate,
    )


NOT_BUDGET = [
    "we do $5M in revenue",
    "we raised 10M last year",
    "$20 per seat for 50 seats",
    "we're 50 people",
    "the board approves anything over 20k",
    "we pay $20/user/month today",
    "we're losing $10k a month in missed deals",
    "we want to launch in 2027",
    "hi, I want a demo",
    "not sure",
    "we made 2M ARR last year",
]


@pytest.mark.parametrize("text", NOT_BUDGET, ids=NOT_BUDGET)
def test_budget_ignores_money_that_is_not_a_budget(extract: Extract, text: str) -> None:
    budget = extract(text).budget

    assert budget is None


STATUSES = [
    ("no budget yet", None, BudgetStatus.NONE),
    ("we don't have budget for this", None, BudgetStatus.NONE),
    ("budget hasn't been allocated", None, BudgetStatus.NONE),
    ("not sure", "budget", BudgetStatus.UNKNOWN),
    ("depends on the price", "budget", BudgetStatus.UNKNOWN),
    ("no idea about budget", None, BudgetStatus.UNKNOWN),
    ("none", "budget", BudgetStatus.NONE),
]


@pytest.mark.parametrize(
    ("text", "expected", "status"), STATUSES, ids=[row[0] for row in STATUSES]
)
def test_budget_status_without_amount(
    extract: Extract, text: str, expected: str | None, status: BudgetStatus
) -> None:
    budget = extract(text, expected).budget

    assert budget is not None
    assert (budget.status, budget.min, budget.max) == (status, None, None)


def test_budget_default_currency_is_configurable(lexicon: Lexicon) -> None:
    budget, _ = parse_budget(
        "budget is 40k", lexicon, default_currency="EUR", expected=False
    )

    assert budget is not None
    assert budget.currency == "EUR"


def test_budget_notes_name_skipped_amounts(lexicon: Lexicon) -> None:
    _, notes = parse_budget(
        "we raised 10M", lexicon, default_currency="USD", expected=False
    )

    assert notes == ["budget.ignored:funding"]


def test_budget_span_points_at_the_amount(extract: Extract) -> None:
    text = "Our budget is around $50k a year."

    budget = extract(text).budget

    assert budget is not None and budget.span is not None
    assert text[budget.span.start : budget.span.end] == "around $50k a year"
