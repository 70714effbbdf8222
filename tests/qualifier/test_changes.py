"""When a new answer is confirmed instead of silently overwriting."""

from __future__ import annotations

from typing import Any

import pytest

from qualifier.changes import change_to_confirm

BUDGET_50K = {"status": "known", "min": 50000.0, "max": 50000.0, "currency": "USD"}


@pytest.mark.parametrize(
    ("known", "found", "expected"),
    [
        ({}, {"budget": BUDGET_50K}, None),
        ({"budget": BUDGET_50K}, {"budget": dict(BUDGET_50K)}, None),
        ({"budget": BUDGET_50K}, {"budget": {**BUDGET_50K, "min": 80000.0}}, "budget"),
        ({"budget": {"status": "unknown"}}, {"budget": BUDGET_50K}, None),
        (
            {"company_size": {"employees": 40}},
            {"company_size": {"employees": 80}},
            "company_size",
        ),
        ({}, {"timing": {"status": "known", "confidence": 0.4}}, "timing"),
        ({"need": {"pain": "a"}}, {"need": {"pain": "b"}}, None),
    ],
    ids=[
        "first-answer",
        "same-answer-again",
        "contradicting-budget",
        "unknown-then-known",
        "contradicting-size",
        "low-confidence",
        "need-is-free-text",
    ],
)
def test_change_to_confirm(
    known: dict[str, Any], found: dict[str, Any], expected: str | None
) -> None:
    assert change_to_confirm(known, found) == expected
