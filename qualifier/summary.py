"""A short recap of what the assistant understood, for the visitor to check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qualifier.answers import is_answered

# Labels of the recap lines, in the order the visitor reads them.
LABELS = (
    ("need", "Need"),
    ("company_size", "Company size"),
    ("budget", "Budget"),
    ("authority", "Role"),
    ("timing", "Timing"),
    ("contact_name", "Name"),
    ("contact_email", "Email"),
    ("company", "Company"),
)


def summarize(slots: Mapping[str, Any]) -> str:
    """Return one line per known answer, in the visitor's own words."""
    lines = []
    for slot, label in LABELS:
        shown = describe(slots.get(slot))
        if shown:
            lines.append(f"- {label}: {shown}")

    return "\n".join(lines) if lines else "- nothing yet"


def describe(value: Any) -> str | None:
    """Describe one slot value briefly; None when there is nothing to show."""
    if not isinstance(value, Mapping):
        return None

    if not is_answered(value):
        return "not decided" if value.get("status") == "unknown" else None

    if value.get("status") == "none":
        return "none yet"

    for key in ("value", "evidence", "pain", "title", "name"):
        if isinstance(value.get(key), str) and value[key].strip():
            return _shorten(value[key])

    if isinstance(value.get("employees"), int):
        return f"{value['employees']} people"

    return None


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
