"""Tests for the Extractor as a whole: loading, leniency and speed."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from qualifier.extract import Extractor, ExtractorConfigError
from qualifier.facts import BudgetStatus, DecisionRole
from qualifier.lexicon import PatternFileError

from .conftest import Extract


def test_extract_reads_every_dimension_of_one_message(extract: Extract) -> None:
    text = (
        "I'm Jane Doe, Head of Marketing at Acme Corp. We're 50 people, a SaaS "
        "company. We need more qualified leads; budget around $50k a year, by Q3. "
        "I sign off. jane@acme.com"
    )

    found = extract(text)

    assert found.budget is not None and found.budget.max == 50_000
    assert found.timing is not None and found.timing.end is not None
    assert found.authority is not None
    assert found.authority.decision_role == DecisionRole.DECISION_MAKER
    assert found.need is not None and found.need.category == "lead-generation"
    assert found.company_size is not None and found.company_size.employees == 50
    assert found.industry is not None and found.industry.name == "saas"
    assert (found.name and found.name.value, found.company and found.company.value) == (
        "Jane Doe",
        "Acme Corp",
    )
    assert found.email is not None and found.email.value == "jane@acme.com"


def test_extract_opening_message_fills_nothing(extract: Extract) -> None:
    found = extract("hi, I want a demo")

    assert found == type(found)()


@pytest.mark.parametrize(
    ("text", "expected", "field"),
    [
        ("Acme", "company", "company"),
        ("Jane Doe", "name", "name"),
        ("3 months", "timing", "timing"),
        ("50k", "budget", "budget"),
        ("about 40", "company_size", "company_size"),
        ("our site gets traffic but nobody talks to us", "need", "need"),
    ],
    ids=["company", "name", "timing", "budget", "company-size", "need"],
)
def test_extract_expected_slot_is_read_leniently(
    extract: Extract, text: str, expected: str, field: str
) -> None:
    lenient = extract(text, expected)
    strict = extract(text)

    assert getattr(lenient, field) is not None
    assert getattr(strict, field) is None


def test_extract_leniency_applies_to_the_expected_slot_only(extract: Extract) -> None:
    found = extract("Acme", "name")

    assert found.company is None


def test_extract_unknown_expected_slot_is_ignored(extract: Extract) -> None:
    found = extract("Acme", "favourite_colour")

    assert found.company is None


def test_extract_budget_status_from_any_message(extract: Extract) -> None:
    found = extract("no budget yet, we're 12 people", "timing")

    assert found.budget is not None and found.budget.status == BudgetStatus.NONE
    assert found.company_size is not None and found.company_size.employees == 12


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"default_currency": "usd"}, "default_currency"),
        ({"fiscal_year_start_month": 13}, "fiscal_year_start_month"),
        ({"model": "no_such_model_xyz"}, "no_such_model_xyz"),
    ],
    ids=["currency", "fiscal-month", "model"],
)
def test_extract_load_rejects_bad_settings(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ExtractorConfigError, match=re.escape(message)):
        Extractor.load(**kwargs)  # type: ignore[arg-type]


def test_extract_load_reports_missing_patterns(tmp_path: Path) -> None:
    with pytest.raises(PatternFileError, match=re.escape("currencies.yaml")):
        Extractor.load(patterns_dir=tmp_path)


def test_extract_is_fast_once_loaded(extract: Extract) -> None:
    messages = [
        "I'm Jane Doe, Head of Marketing at Acme Corp, we're 50 people",
        "budget around $50k a year, need it by Q3",
        "the board approves anything over 20k",
        "we're losing deals because our reps follow up too slowly",
        "Acme",
    ] * 40
    timings: list[float] = []

    for index, text in enumerate(messages):
        started = time.perf_counter()
        extract(text, "company" if index % 5 == 4 else None)
        timings.append(time.perf_counter() - started)

    timings.sort()
    assert timings[int(len(timings) * 0.95)] < 0.010
