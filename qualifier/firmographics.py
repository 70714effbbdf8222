"""Read firmographics: the company's size in employees and its industry."""

from __future__ import annotations

import re

from qualifier.facts import CompanySize, Industry
from qualifier.lexicon import Lexicon
from qualifier.numbers import Quantity, find_quantities
from qualifier.spans import make_span

_I = re.IGNORECASE
_STAFF = r"(?:employees?|staff(?:ers)?|ftes?|full[- ]timers?|headcount|workers)"
_PEOPLE = r"(?:people|persons?|folks|ppl|heads|members|souls|of us|humans)"
_WE_CUE = re.compile(
    r"(?:\b(?:we(?:'re| are| have| employ| got)|there (?:are|'re)|team of|company of|"
    r"staff of|headcount(?: of| is)?|we're about|we number|crew of|total of|"
    r"employ|employing|a|an|our team is|our company is|the company is|team is|"
    r"company has|business has|we've got|size is|size:|roughly|about|around)\s*"
    r"(?:about|around|roughly|~|over|almost|nearly|just over|just under|"
    r"under|approximately|approx\.?|some|like|only|just)?\s*)$",
    _I,
)
_SOLO = re.compile(
    r"\b(?:just me|only me|one[- ]man band|one[- ]person (?:company|business|shop)|"
    r"solo(?:preneur| founder)?|i'm a freelancer|i am a freelancer|"
    r"i work alone|sole trader)\b",
    _I,
)
_NOT_SIZE = re.compile(
    r"^\s*(?:\w+\s+)?(?:seats?|users?|licen[cs]es?|customers?|clients?|visitors?|"
    r"leads?|reps? using|accounts?|locations?|stores?)\b",
    _I,
)
_EXPECTED = re.compile(
    r"^\W*(?:about|around|roughly|~|approx\.?|approximately|maybe|over|under|"
    r"almost|nearly|just over|just under|like)?\s*$",
    _I,
)


def parse_company_size(text: str, *, expected: bool) -> CompanySize | None:
    """Read the number of employees.

    Args:
        text: The visitor's message.
        expected: True when the assistant just asked for the company size, so
            a bare number ("about 40") counts.

    Returns:
        The size, or None; a range ("50-100 employees") gives its midpoint.
    """
    solo = _SOLO.search(text)
    if solo:
        return CompanySize(1, 0.8, make_span(text, *solo.span()))

    quantities = [q for q in find_quantities(text) if not _is_money(text, q)]
    for index, quantity in enumerate(quantities):
        upper = _range_upper(text, quantity, quantities[index + 1 :])
        last = upper or quantity
        size = _size_at(text, quantity, last, expected)
        if size is not None:
            return size

    return None


def _is_money(text: str, quantity: Quantity) -> bool:
    """Tell whether a quantity is written as money."""
    head = text[max(0, quantity.start - 2) : quantity.start]
    tail = text[quantity.end : quantity.end + 9].lower()
    return bool(re.search(r"[$€£¥₹]\s?$", head)) or (
        quantity.scale >= 1_000
        and not re.match(rf"\s*\+?\s*(?:{_STAFF}|{_PEOPLE})", tail)
    )


def _range_upper(text: str, first: Quantity, rest: list[Quantity]) -> Quantity | None:
    """Return the upper bound when first starts a range such as "50-100"."""
    if not rest:
        return None

    gap = text[first.end : rest[0].start]
    return rest[0] if re.fullmatch(r"\s*(?:-|\u2013|to|or)\s*", gap) else None


def _size_at(
    text: str, first: Quantity, last: Quantity, expected: bool
) -> CompanySize | None:
    """Build a size if the words around the number make it a headcount."""
    tail = text[last.end : last.end + 30]
    head = text[max(0, first.start - 40) : first.start]
    employees = round((first.value + last.value) / 2)
    if employees < 1 or employees > 5_000_000 or _NOT_SIZE.match(tail):
        return None

    staff = re.match(
        rf"\s*\+?\s*(?:-\s*)?(?:person|people|man|employee|strong)?\s*{_STAFF}\b|"
        rf"\s*-\s*(?:person|people|man|employee|strong)\b|\s+strong\b",
        tail,
        _I,
    )
    people = re.match(rf"\s*\+?\s*{_PEOPLE}\b", tail, _I)
    if staff or (people and _WE_CUE.search(head)):
        match_end = last.end + (staff or people).end()  # type: ignore[union-attr]
        return CompanySize(employees, 0.85, make_span(text, first.start, match_end))

    if re.search(r"\bteam of\s*(?:about|around|~)?\s*$", head, _I):
        return CompanySize(employees, 0.8, make_span(text, first.start, last.end))

    if (
        expected
        and _EXPECTED.match(head)
        and re.fullmatch(r"\W*(?:ish|people|employees)?\W*", tail, _I)
    ):
        return CompanySize(employees, 0.75, make_span(text, first.start, last.end))

    return None


def parse_industry(text: str, lexicon: Lexicon, *, expected: bool) -> Industry | None:
    """Read the visitor's industry from the profile's list.

    Args:
        text: The visitor's message.
        lexicon: The industry table.
        expected: True when the assistant just asked for the industry.

    Returns:
        The industry, or None; words naming the visitor's customers ("we sell
        to hospitals") are skipped.
    """
    found: list[tuple[int, float, str, re.Match[str]]] = []
    for name, patterns in lexicon.industries:
        for pattern in patterns:
            for match in pattern.finditer(text):
                confidence = _industry_confidence(text, match, expected)
                if confidence:
                    found.append((match.start(), confidence, name, match))

    if not found:
        return None

    _, confidence, name, match = max(found, key=lambda f: (f[1], -f[0]))
    return Industry(name, confidence, make_span(text, *match.span()))


def _industry_confidence(text: str, match: re.Match[str], expected: bool) -> float:
    """Say how sure we are that a matched industry is the visitor's own."""
    head = text[max(0, match.start() - 40) : match.start()]
    if re.search(
        r"\b(?:to|for|with|like|than|customers? (?:are|in)|clients? in|"
        r"selling to|serve|serving)\s+(?:\w+\s+){0,2}$",
        head,
        _I,
    ):
        return 0.0

    if expected:
        return 0.85

    cue = re.search(
        r"\b(?:we(?:'re| are)|i(?:'m| am)|our (?:company|business|firm) is|"
        r"i work (?:in|at|for)|we work in|in the|industry(?: is|:)?|sector(?: is|:)?|"
        r"we run|i run|i own|we own)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}$",
        head,
        _I,
    )
    return 0.85 if cue else 0.6
