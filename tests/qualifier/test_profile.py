"""Tests of loading and checking scoring profiles."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from qualifier.errors import ProfileError, QualifierError
from qualifier.facts import DecisionRole, Seniority
from qualifier.profile import (
    AuthorityRules,
    BudgetRules,
    DimensionKind,
    EngagementRules,
    PageField,
    ScoringProfile,
    TimingRules,
    default_profile_path,
    load_profile,
)

Mutation = Callable[[dict[str, Any]], None]


def _shipped(name: str) -> dict[str, Any]:
    """Return a shipped profile as plain YAML data, to mutate in a test."""
    data: dict[str, Any] = yaml.safe_load(default_profile_path(name).read_text())
    return data


def _write(tmp_path: Path, data: object) -> Path:
    """Write profile data to a YAML file and return its path."""
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _load_mutated(tmp_path: Path, mutate: Mutation) -> ScoringProfile:
    """Load the BANT profile after applying a mutation to its data."""
    data = copy.deepcopy(_shipped("bant"))
    mutate(data)
    return load_profile(_write(tmp_path, data))


# -- shipped profiles ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "bant",
            ["budget", "authority", "need", "timing", "fit", "engagement", "contact"],
            id="bant",
        ),
        pytest.param(
            "champ",
            [
                "challenges",
                "authority",
                "money",
                "prioritization",
                "fit",
                "engagement",
                "contact",
            ],
            id="champ",
        ),
    ],
)
def test_load_profile_reads_shipped_dimensions(name: str, expected: list[str]) -> None:
    path = default_profile_path(name)

    profile = load_profile(path)

    assert [dimension.name for dimension in profile.dimensions] == expected
    assert profile.name == name.upper()


@pytest.mark.parametrize(
    ("dimension", "kind"),
    [
        pytest.param("challenges", DimensionKind.NEED, id="challenges-from-need"),
        pytest.param("money", DimensionKind.BUDGET, id="money-from-budget"),
        pytest.param(
            "prioritization", DimensionKind.TIMING, id="prioritization-from-timing"
        ),
        pytest.param("authority", DimensionKind.AUTHORITY, id="authority"),
    ],
)
def test_load_profile_maps_champ_names_to_kinds(
    dimension: str, kind: DimensionKind
) -> None:
    path = default_profile_path("champ")

    profile = load_profile(path)

    kinds = {item.name: item.kind for item in profile.dimensions}
    assert kinds[dimension] is kind


def test_load_profile_counts_urgency_as_prioritization_in_champ() -> None:
    path = default_profile_path("champ")

    profile = load_profile(path)

    rules = {item.name: item.rules for item in profile.dimensions}
    assert isinstance(rules["prioritization"], TimingRules)
    assert rules["prioritization"].urgent_points > 0


@pytest.mark.parametrize("name", ["bant", "champ"])
def test_load_profile_reads_thresholds_in_order(name: str) -> None:
    path = default_profile_path(name)

    profile = load_profile(path)

    thresholds = profile.thresholds
    assert 0 <= thresholds.warm < thresholds.hot <= 100
    assert thresholds.mql <= thresholds.hot


def test_load_profile_sorts_budget_bands_from_highest(tmp_path: Path) -> None:
    def shuffle(data: dict[str, Any]) -> None:
        data["dimensions"]["budget"]["bands"].reverse()

    profile = _load_mutated(tmp_path, shuffle)

    rules = profile.dimensions[0].rules
    assert isinstance(rules, BudgetRules)
    minimums = [band.min_annual for band in rules.bands]
    assert minimums == sorted(minimums, reverse=True)


def test_load_profile_reads_enums_and_patterns() -> None:
    path = default_profile_path("bant")

    profile = load_profile(path)

    authority = next(d.rules for d in profile.dimensions if d.name == "authority")
    assert isinstance(authority, AuthorityRules)
    assert DecisionRole.DECISION_MAKER in authority.role_points
    assert Seniority.C_LEVEL in authority.seniority_points
    assert DecisionRole.DECISION_MAKER in profile.sql.decision_roles
    assert "gmx.*" in profile.free_mail_domains
    assert profile.currency_rates["USD"] == 1.0


def test_load_profile_reads_page_signal_fields() -> None:
    path = default_profile_path("bant")

    profile = load_profile(path)

    engagement = next(d.rules for d in profile.dimensions if d.name == "engagement")
    assert isinstance(engagement, EngagementRules)
    signals = {signal.name: signal for signal in engagement.signals}
    assert PageField.UTM_SOURCE in signals["referral"].patterns
    assert PageField.PAGES_SEEN in signals["pricing-page"].patterns


# -- invalid profiles ----------------------------------------------------------


def _drop(*keys: str) -> Mutation:
    """Build a mutation that deletes a nested key."""

    def mutate(data: dict[str, Any]) -> None:
        parent = data
        for key in keys[:-1]:
            parent = parent[key]
        del parent[keys[-1]]

    return mutate


def _set(*keys: str, value: object) -> Mutation:
    """Build a mutation that sets a nested key."""

    def mutate(data: dict[str, Any]) -> None:
        parent = data
        for key in keys[:-1]:
            parent = parent[key]
        parent[keys[-1]] = value

    return mutate


@pytest.mark.parametrize(
    ("mutate", "key", "fragment"),
    [
        pytest.param(_drop("name"), "name", "missing", id="missing-name"),
        pytest.param(
            _drop("thresholds", "hot"), "thresholds.hot", "missing", id="missing-hot"
        ),
        pytest.param(
            _drop("dimensions", "budget", "max_points"),
            "dimensions.budget.max_points",
            "missing",
            id="missing-max-points",
        ),
        pytest.param(_drop("dimensions"), "dimensions", "missing", id="missing-dims"),
        pytest.param(
            _set("thresholds", "warm", value=80),
            "thresholds.warm",
            "must be below hot (70), got 80",
            id="warm-above-hot",
        ),
        pytest.param(
            _set("thresholds", "warm", value=70),
            "thresholds.warm",
            "must be below hot",
            id="warm-equals-hot",
        ),
        pytest.param(
            _set("thresholds", "mql", value=90),
            "thresholds.mql",
            "must not exceed hot (70), got 90",
            id="mql-above-hot",
        ),
        pytest.param(
            _set("thresholds", "hot", value=120),
            "thresholds.hot",
            "at most 100, got 120",
            id="hot-above-100",
        ),
        pytest.param(
            _set("thresholds", "warm", value="high"),
            "thresholds.warm",
            "must be a number, got 'high'",
            id="threshold-not-number",
        ),
        pytest.param(
            _set("dimensions", "growth", value={"max_points": 5}),
            "dimensions.growth.kind",
            "unknown dimension kind 'growth'",
            id="unknown-dimension",
        ),
        pytest.param(
            _set("dimensions", "budget", "kind", value="velocity"),
            "dimensions.budget.kind",
            "unknown dimension kind 'velocity'",
            id="unknown-dimension-kind",
        ),
        pytest.param(
            _set("sql", "required", value=["need", "budgett"]),
            "sql.required",
            "got unknown 'budgett'",
            id="sql-requires-unknown-dimension",
        ),
        pytest.param(
            _set(
                "dimensions",
                "money",
                value={"kind": "budget", "max_points": 5, "bands": []},
            ),
            "dimensions.money",
            "repeats kind 'budget'",
            id="kind-used-twice",
        ),
        pytest.param(
            _set("dimensions", "budget", "max_pionts", value=25),
            "dimensions.budget.max_pionts",
            "is not known here",
            id="typo-key",
        ),
        pytest.param(
            _set("dimensions", "authority", "decision_roles", "boss", value=5),
            "dimensions.authority.decision_roles.boss",
            "got 'boss'",
            id="unknown-decision-role",
        ),
        pytest.param(
            _set("sql", "decision_roles", value=["decision-maker", "ceo"]),
            "sql.decision_roles",
            "got 'ceo'",
            id="unknown-sql-role",
        ),
        pytest.param(
            _set("dimensions", "need", "pain_points", value=-1),
            "dimensions.need.pain_points",
            "at least 0",
            id="negative-points",
        ),
        pytest.param(
            _set("dimensions", "need", "pain_points", value=99),
            "dimensions.need.pain_points",
            "at most 15, got 99",
            id="points-above-max",
        ),
        pytest.param(
            _set("dimensions", "contact", "free_mail_points", value=5.5),
            "dimensions.contact.free_mail_points",
            "at most 5",
            id="free-mail-above-max",
        ),
        pytest.param(
            _set("dimensions", "contact", "business_email_points", value=1),
            "dimensions.contact.free_mail_points",
            "must not exceed business_email_points (1), got 2",
            id="free-mail-above-business",
        ),
        pytest.param(
            _set("dimensions", "engagement", "signals", "referral", "match", value={}),
            "dimensions.engagement.signals.referral.match",
            "is empty",
            id="signal-without-patterns",
        ),
        pytest.param(
            _set(
                "dimensions",
                "engagement",
                "signals",
                "referral",
                "match",
                value={"utm_sauce": ["x"]},
            ),
            "dimensions.engagement.signals.referral.match.utm_sauce",
            "is not known here",
            id="signal-unknown-page-field",
        ),
        pytest.param(
            _set("dimensions", "fit", "company_sizes", value=[{"min": 50, "max": 10}]),
            "dimensions.fit.company_sizes[0].max",
            "must not be below min (50), got 10",
            id="size-range-reversed",
        ),
        pytest.param(
            _set("currency_rates", "EUR", value=0),
            "currency_rates.EUR",
            "rate above 0",
            id="zero-currency-rate",
        ),
        pytest.param(
            _set("free_mail_domains", value="gmail.com"),
            "free_mail_domains",
            "must be a list of strings",
            id="free-mail-not-list",
        ),
        pytest.param(
            _set("dimensions", value={}),
            "dimensions",
            "is empty",
            id="no-dimensions",
        ),
    ],
)
def test_load_profile_rejects_invalid_value(
    tmp_path: Path, mutate: Mutation, key: str, fragment: str
) -> None:
    path = tmp_path / "profile.yml"

    with pytest.raises(ProfileError) as caught:
        _load_mutated(tmp_path, mutate)

    assert caught.value.key == key
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert f"'{key}'" in str(caught.value)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        pytest.param("name: [unclosed", "not valid YAML", id="bad-yaml"),
        pytest.param("- just\n- a list\n", "must be a mapping", id="not-a-mapping"),
        pytest.param("", "must be a mapping", id="empty-file"),
    ],
)
def test_load_profile_rejects_unparsable_file(
    tmp_path: Path, content: str, fragment: str
) -> None:
    path = tmp_path / "profile.yml"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(ProfileError, match=fragment) as caught:
        load_profile(path)

    assert caught.value.path == path


def test_load_profile_rejects_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yml"

    with pytest.raises(ProfileError, match="cannot read the profile") as caught:
        load_profile(path)

    assert isinstance(caught.value.__cause__, OSError)


def test_default_profile_path_rejects_unknown_name() -> None:
    name = "meddic"

    with pytest.raises(ProfileError, match=r"use one of \['bant', 'champ'\]"):
        default_profile_path(name)


def test_profile_error_is_a_qualifier_error() -> None:
    error = ProfileError("bad", path=Path("p.yml"), key="name")

    caught = isinstance(error, QualifierError)

    assert caught
    assert str(error) == "p.yml: bad"
