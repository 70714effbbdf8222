"""Tests for contact extraction: name, email, company and phone."""

from __future__ import annotations

import pytest

from .conftest import Extract

NAMES = [
    ("I'm Jane Doe, CTO at Acme", None, "Jane Doe"),
    ("my name is jane", None, "Jane"),
    ("Jane here from Globex", None, "Jane"),
    ("Hi, this is Raj Patel", None, "Raj Patel"),
    ("Jane Doe", "name", "Jane Doe"),
    ("jane doe", "name", "Jane Doe"),
    ("Thanks, Maria", None, "Maria"),
]


@pytest.mark.parametrize(("text", "expected", "name"), NAMES, ids=[r[0] for r in NAMES])
def test_contact_reads_name(
    extract: Extract, text: str, expected: str | None, name: str
) -> None:
    contact = extract(text, expected).name

    assert contact is not None
    assert contact.value == name


COMPANIES = [
    ("I'm Jane from Acme Corp", None, "Acme Corp"),
    ("I work at Globex", None, "Globex"),
    ("I work for Initech", None, "Initech"),
    ("our company is called Hooli", None, "Hooli"),
    ("Acme", "company", "Acme"),
    ("it's Acme Logistics Ltd.", "company", "Acme Logistics Ltd"),
    ("I'm the CTO at Acme Corp. We're 50 people.", None, "Acme Corp"),
]


@pytest.mark.parametrize(
    ("text", "expected", "company"), COMPANIES, ids=[r[0] for r in COMPANIES]
)
def test_contact_reads_company(
    extract: Extract, text: str, expected: str | None, company: str
) -> None:
    contact = extract(text, expected).company

    assert contact is not None
    assert contact.value == company


NO_NAME_OR_COMPANY = [
    "Acme",
    "hi, I want a demo",
    "I'm looking for a chatbot",
    "I'm interested in pricing",
    "I found you from Google",
    "we're 50 people",
    "I'm the CTO",
]


@pytest.mark.parametrize("text", NO_NAME_OR_COMPANY, ids=NO_NAME_OR_COMPANY)
def test_contact_needs_a_cue_or_a_question(extract: Extract, text: str) -> None:
    extraction = extract(text)

    assert (extraction.name, extraction.company) == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("no", "name"), ("rather not say", "company")],
    ids=["no", "refusal"],
)
def test_contact_refusals_are_not_values(
    extract: Extract, text: str, expected: str
) -> None:
    extraction = extract(text, expected)

    assert (extraction.name, extraction.company) == (None, None)


def test_contact_reads_email(extract: Extract) -> None:
    email = extract("reach me at Jane.Doe@acme.io please").email

    assert email is not None
    assert email.value == "jane.doe@acme.io"


@pytest.mark.parametrize(
    ("text", "phone"),
    [("call me on +44 20 7946 0958", "+442079460958"), ("555-123-4567", "5551234567")],
    ids=["international", "dashed"],
)
def test_contact_reads_phone(extract: Extract, text: str, phone: str) -> None:
    contact = extract(text).phone

    assert contact is not None
    assert contact.value == phone


@pytest.mark.parametrize(
    "text", ["budget is $25,000", "on 2027-03-15"], ids=["money", "date"]
)
def test_contact_phone_ignores_money_and_dates(extract: Extract, text: str) -> None:
    assert extract(text).phone is None
