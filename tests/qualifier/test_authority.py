"""Tests for authority extraction: title, seniority and decision role."""

from __future__ import annotations

import pytest

from qualifier.facts import DecisionRole, Seniority

from .conftest import Extract

DM, INF = DecisionRole.DECISION_MAKER, DecisionRole.INFLUENCER
GK, USER = DecisionRole.GATEKEEPER, DecisionRole.USER
CASES = [
    # text, expected slot, title, seniority, role
    (
        "I'm the Head of Marketing at Acme",
        None,
        "Head of Marketing",
        Seniority.DIRECTOR,
        None,
    ),
    ("CTO", "authority", "CTO", Seniority.C_LEVEL, DM),
    ("I'm the CEO", None, "CEO", Seniority.C_LEVEL, DM),
    ("VP Sales here", None, "VP Sales", Seniority.VP, None),
    ("I'm the founder", None, "founder", Seniority.OWNER, DM),
    (
        "I'm a marketing manager at Globex",
        None,
        "marketing manager",
        Seniority.MANAGER,
        None,
    ),
    ("I'm a software engineer", None, "software engineer", Seniority.INDIVIDUAL, None),
    ("I sign off on these purchases", None, None, None, DM),
    ("it's my call", None, None, None, DM),
    ("I own the budget", None, None, None, DM),
    ("I'd have to run it by my boss", None, None, None, INF),
    ("I make the recommendation", None, None, None, INF),
    ("it's not my call", None, None, None, INF),
    ("the board approves anything over 20k", None, None, None, INF),
    ("I'm gathering info for my manager", None, None, None, GK),
    (
        "I'm an executive assistant",
        None,
        "executive assistant",
        Seniority.INDIVIDUAL,
        GK,
    ),
    ("I'd be using it daily", None, None, None, USER),
    ("I'm the CTO but the CEO signs off", None, "CTO", Seniority.C_LEVEL, INF),
    (
        "As Director of Sales I decide",
        None,
        "Director of Sales",
        Seniority.DIRECTOR,
        DM,
    ),
]


@pytest.mark.parametrize(
    ("text", "expected", "title", "seniority", "role"),
    CASES,
    ids=[row[0] for row in CASES],
)
def test_authority_reads_title_and_role(
    extract: Extract,
    text: str,
    expected: str | None,
    title: str | None,
    seniority: Seniority | None,
    role: DecisionRole | None,
) -> None:
    authority = extract(text, expected).authority

    assert authority is not None
    assert (authority.title, authority.seniority, authority.decision_role) == (
        title,
        seniority,
        role,
    )


NOTHING = [
    "hi, I want a demo",
    "my boss is the CFO",
    "I'm looking for a lead gen tool",
    "can your bot talk to our sales team?",
]


@pytest.mark.parametrize("text", NOTHING, ids=NOTHING)
def test_authority_ignores_other_people_and_lookalikes(
    extract: Extract, text: str
) -> None:
    authority = extract(text).authority

    assert authority is None


def test_authority_board_threshold_is_not_a_budget(extract: Extract) -> None:
    extraction = extract("the board approves anything over 20k")

    assert extraction.budget is None
    assert "budget.ignored:approval-threshold" in extraction.notes
