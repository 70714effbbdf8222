"""Small helpers for character spans and the clauses around them."""

from __future__ import annotations

import re

from qualifier.facts import Span

_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n")
_CLAUSE_BREAK = re.compile(r",|;|\s(?:and|but|so|while|whereas|although)\s", re.I)


def make_span(text: str, start: int, end: int) -> Span:
    """Build a Span over text[start:end], trimmed of spaces."""
    while start < end and text[start].isspace():
        start += 1

    while end > start and text[end - 1].isspace():
        end -= 1

    return Span(start, end, text[start:end])


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Find the sentence that holds text[start:end]."""
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()

    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    return left, right


def before(text: str, start: int, width: int = 40) -> str:
    """Return the words before start, stopping at a clause break."""
    left, _ = sentence_bounds(text, start, start)
    window = text[max(left, start - width) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    return window[breaks[-1].end() :] if breaks else window


def after(text: str, end: int, width: int = 30) -> str:
    """Return the words after end, stopping at a clause break."""
    _, right = sentence_bounds(text, end, end)
    window = text[end : min(right, end + width)]
    first = _CLAUSE_BREAK.search(window)
    return window[: first.start()] if first else window


def sentence(text: str, start: int, end: int) -> str:
    """Return the sentence that holds text[start:end]."""
    left, right = sentence_bounds(text, start, end)
    return text[left:right]
