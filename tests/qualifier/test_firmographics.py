"""Tests for company size and industry extraction."""

from __future__ import annotations

import pytest

from .conftest import Extract

SIZES = [
    ("we're 50 people", None, 50),
    ("team of 12", None, 12),
    ("about 200 employees", None, 200),
    ("a 5-person startup", None, 5),
    ("500+ staff", None, 500),
    ("we have 50-100 employees", None, 75),
    ("just me for now", None, 1),
    ("about 40", "company_size", 40),
    ("120", "company_size", 120),
    ("we are a team of fifty people", None, 50),
]


@pytest.mark.parametrize(
    ("text", "expected", "employees"), SIZES, ids=[r[0] for r in SIZES]
)
def test_firmographics_company_size(
    extract: Extract, text: str, expected: str | None, employees: int
) -> None:
    size = extract(text, expected).company_size

    assert size is not None
    assert size.employees == employees


NOT_SIZES = [
    "we do $5M in revenue",
    "$20 per seat for 50 seats",
    "50 people visit our site daily",
    "about 40",
    "we have 3000 customers",
    "budget is 50k",
]


@pytest.mark.parametrize("text", NOT_SIZES, ids=NOT_SIZES)
def test_firmographics_ignores_non_headcounts(extract: Extract, text: str) -> None:
    assert extract(text).company_size is None


INDUSTRIES = [
    ("we're a SaaS company selling to hospitals", "saas"),
    ("we run an online store on Shopify", "ecommerce"),
    ("I work at a fintech startup", "fintech"),
    ("we're a dental clinic", "healthcare"),
    ("we are a digital marketing agency", "agency"),
    ("we're in real estate", "real-estate"),
    ("we're a manufacturer of industrial pumps", "manufacturing"),
    ("an edtech platform for schools", "education"),
]


@pytest.mark.parametrize(
    ("text", "industry"), INDUSTRIES, ids=[r[0] for r in INDUSTRIES]
)
def test_firmographics_industry(extract: Extract, text: str, industry: str) -> None:
    found = extract(text).industry

    assert found is not None
    assert found.name == industry


@pytest.mark.parametrize("text", ["hi, I want a demo", "we sell to hospitals"])
def test_firmographics_no_industry(extract: Extract, text: str) -> None:
    assert extract(text).industry is None
