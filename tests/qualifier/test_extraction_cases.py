"""Regression test pinning every labelled phrase in extraction_cases.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from qualifier.cli import flatten

from .conftest import Extract

CASES_FILE = Path(__file__).parents[1] / "data" / "extraction_cases.yaml"
# Keys that must be null unless a case lists them.
CORE_KEYS = (
    "budget.min", "budget.max", "budget.currency", "budget.period", "budget.status",
    "timing.start", "timing.end", "timing.status", "authority.title",
    "authority.seniority", "authority.decision_role", "need.category", "company_size",
)  # fmt: skip


def _load_cases() -> list[Any]:
    """Read the cases, marking known weaknesses as strict xfail."""
    data = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    params = []
    for index, case in enumerate(data["cases"]):
        marks = (
            [pytest.mark.xfail(reason=case["xfail"], strict=True)]
            if "xfail" in case
            else []
        )
        label = f"{index:03d}-{case.get('expected') or 'any'}-{case['text'][:40]}"
        params.append(pytest.param(case, id=label, marks=marks))

    return params


@pytest.mark.parametrize("case", _load_cases())
def test_extraction_case(extract: Extract, case: dict[str, Any]) -> None:
    want = {key: None for key in CORE_KEYS} | case["want"]

    row = flatten(extract(case["text"], case.get("expected")))

    got = {key: row[key] for key in want}
    assert got == want
