"""Load the rule data under qualifier/patterns into compiled patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from qualifier.facts import DecisionRole, Seniority

DEFAULT_PATTERNS_DIR = Path(__file__).with_name("patterns")
ROLE_ORDER = (
    DecisionRole.GATEKEEPER,
    DecisionRole.INFLUENCER,
    DecisionRole.DECISION_MAKER,
    DecisionRole.USER,
)


class PatternFileError(ValueError):
    """Raised when a rule data file is missing, unreadable or malformed."""


@dataclass(frozen=True)
class TitleRule:
    """A job-title core and the seniority it implies."""

    pattern: re.Pattern[str]
    seniority: Seniority
    role: DecisionRole | None = None


@dataclass(frozen=True)
class Lexicon:
    """Every rule table the extractors use, compiled once."""

    currency_symbols: dict[str, str]
    currency_codes: frozenset[str]
    currency_words: dict[str, str]
    titles: tuple[TitleRule, ...]
    title_functions: tuple[str, ...]
    decisions: tuple[tuple[DecisionRole, tuple[re.Pattern[str], ...]], ...]
    needs: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    urgency: tuple[re.Pattern[str], ...]
    industries: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]


def compile_word_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a rule so that it matches whole words, ignoring case."""
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Read and compile every rule data file in directory.

    Args:
        directory: Folder holding currencies.yaml, titles.yaml,
            decisions.yaml, needs.yaml and industries.yaml; the packaged
            defaults when None.

    Returns:
        The compiled rules.

    Raises:
        PatternFileError: A file is missing or does not have the expected shape.
    """
    folder = directory or DEFAULT_PATTERNS_DIR
    currencies = _read(folder / "currencies.yaml")
    titles = _read(folder / "titles.yaml")
    decisions = _read(folder / "decisions.yaml")
    needs = _read(folder / "needs.yaml")
    industries = _read(folder / "industries.yaml")

    return Lexicon(
        currency_symbols=dict(currencies["symbols"]),
        currency_codes=frozenset(currencies["codes"]),
        currency_words=dict(currencies["words"]),
        titles=tuple(_title_rule(entry, folder) for entry in titles["titles"]),
        title_functions=tuple(titles["functions"]),
        decisions=_decision_rules(decisions, folder),
        needs=_category_rules(needs["categories"], folder / "needs.yaml"),
        urgency=tuple(_compile(p, folder / "needs.yaml") for p in needs["urgency"]),
        industries=_category_rules(
            industries["industries"], folder / "industries.yaml"
        ),
    )


def _read(path: Path) -> dict[str, Any]:
    """Read one YAML mapping, saying what is wrong if it cannot."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        msg = f"cannot read rule file {str(path)!r}: {exc}; check patterns_dir"
        raise PatternFileError(msg) from exc
    except yaml.YAMLError as exc:
        msg = f"rule file {str(path)!r} is not valid YAML: {exc}"
        raise PatternFileError(msg) from exc

    if not isinstance(data, dict):
        msg = f"rule file {str(path)!r} must hold a mapping, got {type(data).__name__}"
        raise PatternFileError(msg)

    return data


def _compile(pattern: str, path: Path) -> re.Pattern[str]:
    """Compile one rule, naming the file if it is not a valid expression."""
    try:
        return compile_word_pattern(pattern)
    except re.error as exc:
        msg = f"invalid pattern {pattern!r} in {str(path)!r}: {exc}"
        raise PatternFileError(msg) from exc


def _title_rule(entry: dict[str, str], folder: Path) -> TitleRule:
    """Build one title rule from its YAML entry."""
    path = folder / "titles.yaml"
    try:
        seniority = Seniority(entry["seniority"])
        role = DecisionRole(entry["role"]) if "role" in entry else None
    except (KeyError, ValueError) as exc:
        msg = f"bad title entry {entry!r} in {str(path)!r}: {exc}"
        raise PatternFileError(msg) from exc

    return TitleRule(_compile(entry["pattern"], path), seniority, role)


def _decision_rules(
    data: dict[str, Any], folder: Path
) -> tuple[tuple[DecisionRole, tuple[re.Pattern[str], ...]], ...]:
    """Compile decision phrases, ordered by role precedence."""
    path = folder / "decisions.yaml"
    unknown = set(data) - {role.value for role in DecisionRole}
    if unknown:
        msg = f"unknown decision roles {sorted(unknown)!r} in {str(path)!r}"
        raise PatternFileError(msg)

    return tuple(
        (role, tuple(_compile(p, path) for p in data.get(role.value, [])))
        for role in ROLE_ORDER
    )


def _category_rules(
    data: dict[str, list[str]], path: Path
) -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    """Compile a category table (name to patterns), keeping file order."""
    if not isinstance(data, dict):
        msg = f"expected a mapping of categories in {str(path)!r}"
        raise PatternFileError(msg)

    return tuple(
        (name, tuple(_compile(p, path) for p in patterns))
        for name, patterns in data.items()
    )
