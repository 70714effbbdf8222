"""Tests for timing extraction; NOW is Friday 4 December 2026."""

from __future__ import annotations

from datetime import date

import pytest

from qualifier.facts import TimingStatus
from qualifier.timing import parse_timing

from .conftest import Extract

D = date
KNOWN = [
    # text, expected slot, start, end
    ("Q3", None, D(2027, 7, 1), D(2027, 9, 30)),
    ("we want this live by Q3", None, D(2026, 12, 4), D(2027, 9, 30)),
    ("next quarter", None, D(2027, 1, 1), D(2027, 3, 31)),
    ("end of Q3", None, D(2027, 9, 1), D(2027, 9, 30)),
    ("H2 2027", None, D(2027, 7, 1), D(2027, 12, 31)),
    ("FY27", None, D(2027, 1, 1), D(2027, 12, 31)),
    ("in March", None, D(2027, 3, 1), D(2027, 3, 31)),
    ("between March and May", None, D(2027, 3, 1), D(2027, 5, 31)),
    ("in 2 weeks", None, D(2026, 12, 18), D(2026, 12, 18)),
    ("within 6 months", None, D(2026, 12, 4), D(2027, 6, 4)),
    ("in 90 days", None, D(2027, 3, 4), D(2027, 3, 4)),
    ("by 15 March", None, D(2026, 12, 4), D(2027, 3, 15)),
    ("3 months", "timing", D(2026, 12, 4), D(2027, 3, 4)),
    ("early next year", None, D(2027, 1, 1), D(2027, 3, 31)),
    ("by the end of the year", None, D(2026, 12, 4), D(2026, 12, 31)),
    ("this month", None, D(2026, 12, 4), D(2026, 12, 31)),
    ("January 2027", None, D(2027, 1, 1), D(2027, 1, 31)),
    ("in 2-3 months", None, D(2027, 2, 4), D(2027, 3, 4)),
    ("second half of next year", None, D(2027, 7, 1), D(2027, 12, 31)),
    ("Q1 2027", None, D(2027, 1, 1), D(2027, 3, 31)),
    ("sometime in 2027", None, D(2027, 1, 1), D(2027, 12, 31)),
    ("next fiscal year", None, D(2027, 1, 1), D(2027, 12, 31)),
    ("on 2027-02-01", None, D(2027, 2, 1), D(2027, 2, 1)),
]


@pytest.mark.parametrize(
    ("text", "expected", "start", "end"), KNOWN, ids=[row[0] for row in KNOWN]
)
def test_timing_resolves_interval(
    extract: Extract, text: str, expected: str | None, start: date, end: date
) -> None:
    timing = extract(text, expected).timing

    assert timing is not None
    assert (timing.status, timing.start, timing.end) == (TimingStatus.KNOWN, start, end)


STATUSES = [
    ("ASAP", None, TimingStatus.ASAP),
    ("we need this urgently", None, TimingStatus.ASAP),
    ("honestly we needed it yesterday", None, TimingStatus.ASAP),
    ("no rush", None, TimingStatus.NONE),
    ("no timeline yet", None, TimingStatus.NONE),
    ("just researching for now", None, TimingStatus.NONE),
    ("not sure", "timing", TimingStatus.UNKNOWN),
    ("not sure about the timeline", None, TimingStatus.UNKNOWN),
]


@pytest.mark.parametrize(
    ("text", "expected", "status"), STATUSES, ids=[row[0] for row in STATUSES]
)
def test_timing_status(
    extract: Extract, text: str, expected: str | None, status: TimingStatus
) -> None:
    timing = extract(text, expected).timing

    assert timing is not None
    assert timing.status == status


def test_timing_asap_spans_fourteen_days(extract: Extract) -> None:
    timing = extract("asap please").timing

    assert timing is not None
    assert (timing.start, timing.end) == (D(2026, 12, 4), D(2026, 12, 18))


NOTHING = [
    "Q1 2024",
    "we started in 2020",
    "we may need help",
    "we march on",
    "3 months",
    "hi, I want a demo",
    "not sure",
    "we've been around for 5 years",
]


@pytest.mark.parametrize("text", NOTHING, ids=NOTHING)
def test_timing_ignores_past_and_non_dates(extract: Extract, text: str) -> None:
    timing = extract(text).timing

    assert timing is None


@pytest.mark.parametrize(
    ("fiscal_start", "start", "end"),
    [(1, D(2027, 1, 1), D(2027, 12, 31)), (4, D(2026, 12, 4), D(2027, 3, 31))],
    ids=["january-start", "april-start"],
)
def test_timing_fiscal_year_follows_start_month(
    fiscal_start: int, start: date, end: date
) -> None:
    timing, _ = parse_timing("FY27", D(2026, 12, 4), fiscal_start=fiscal_start)

    assert timing is not None
    assert (timing.start, timing.end) == (start, end)


def test_timing_quarter_rolls_to_next_year_when_past() -> None:
    timing, _ = parse_timing("Q2", D(2026, 12, 4))

    assert timing is not None
    assert (timing.start, timing.end) == (D(2027, 4, 1), D(2027, 6, 30))


def test_timing_past_date_leaves_a_note() -> None:
    timing, notes = parse_timing("Q1 2024", D(2026, 12, 4))

    assert timing is None
    assert notes == ["timing.ignored:past"]
