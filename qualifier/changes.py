"""Decide when a new answer must be confirmed instead of overwriting one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qualifier.answers import is_answered

# The fields that make two answers different, per slot. Free-text slots such
# as the need are left out: visitors add to them rather than contradict them.
_COMPARED = {
    "budget": ("status", "min", "max", "currency", "period"),
    "timing": ("status", "start", "end"),
    "authority": ("decision_role", "seniority"),
    "company_size": ("employees",),
    "contact_email": ("value",),
    "company": ("value",),
}
LOW_CONFIDENCE = 0.6


def change_to_confirm(
    known: Mapping[str, Any], found: Mapping[str, Mapping[str, Any]]
) -> str | None:
    """Return the first slot whose new value needs the visitor's confirmation.

    A value needs confirming when it contradicts an answer already given, or
    when the extractor was unsure of it.
    """
    for slot, fields in _COMPARED.items():
        new = found.get(slot)
        if new is None:
            continue

        old = known.get(slot)
        if isinstance(old, Mapping) and is_answered(old) and _differs(old, new, fields):
            return slot

        if float(new.get("confidence", 1.0)) < LOW_CONFIDENCE:
            return slot

    return None


def _differs(
    old: Mapping[str, Any], new: Mapping[str, Any], fields: tuple[str, ...]
) -> bool:
    return any(old.get(field) != new.get(field) for field in fields)
