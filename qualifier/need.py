"""Read the visitor's need: a taxonomy category, the pain and its urgency."""

from __future__ import annotations

import re

from qualifier.facts import Need, Span
from qualifier.lexicon import Lexicon
from qualifier.spans import make_span, sentence_bounds

_I = re.IGNORECASE
_GREETING_ONLY = re.compile(
    r"^\W*(?:hi|hey|hello|yo|good (?:morning|afternoon|evening))?\W*"
    r"(?:i(?:'d| would)? (?:like|want|need) (?:a |to (?:see|book|get|schedule) a )?"
    r"(?:demo|call|quote|pricing|price|trial)|(?:can|could) i (?:get|see|book) a "
    r"(?:demo|call|quote)|pricing\??|demo\??)?\W*$",
    _I,
)
_TRIAL = (
    re.compile(
        r"\b(?:we|i)(?:'re|'m| are| am)\s+(?:currently\s+|already\s+|still\s+|now\s+)?"
        r"(?:on|using|in|doing|running|testing|trying)\s+(?:your|the|a)\s+(?:free\s+)?"
        r"trial\b",
        _I,
    ),
    re.compile(
        r"\b(?:we|i)(?:'ve| have)?\s+been\s+(?:trialing|trialling|testing|trying)\s+"
        r"(?:it|this|your \w+|the \w+|you(?:r product)?)\b",
        _I,
    ),
    re.compile(
        r"\b(?:our|my)\s+(?:free\s+)?trial\s+(?:account|ends|expires|is|runs|period)\b",
        _I,
    ),
    re.compile(
        r"\b(?:signed up for|started|activated|began)\s+(?:your|the|a)\s+(?:free\s+)?"
        r"(?:\d+-day\s+)?trial\b",
        _I,
    ),
    re.compile(r"\b(?:trialing|trialling)\s+(?:it|your|the)\b", _I),
    re.compile(
        r"\b(?:we|i)(?:'ve| have)\s+been\s+(?:on|using)\s+(?:your|the|a)\s+"
        r"(?:free\s+)?trial\b",
        _I,
    ),
)
# An answer names a problem only if it has at least two real words.
_WORD = re.compile(r"[^\W\d_]{2,}")


def parse_need(text: str, lexicon: Lexicon, *, expected: bool) -> Need | None:
    """Read what problem the visitor wants solved.

    Args:
        text: The visitor's message.
        lexicon: The need taxonomy and urgency words.
        expected: True when the assistant just asked about the need, so the
            whole message is the pain even if no category fits.

    Returns:
        The need, or None for messages that state none ("hi, I want a demo").
    """
    if _GREETING_ONLY.match(text):
        return None

    category, match = _best_category(text, lexicon)
    urgent = any(pattern.search(text) for pattern in lexicon.urgency)
    if expected and len(_WORD.findall(text)) >= 2:
        span = make_span(text, 0, len(text))
        confidence = 0.85 if category else 0.6
        return Need(category, span.text, urgent, confidence, span)

    if category is None or match is None:
        return None

    span = _pain_span(text, match)
    return Need(category, span.text, urgent, 0.75, span)


def _best_category(
    text: str, lexicon: Lexicon
) -> tuple[str | None, re.Match[str] | None]:
    """Score each category by its matching patterns and keep the best."""
    best: tuple[int, str | None, re.Match[str] | None] = (0, None, None)
    for name, patterns in lexicon.needs:
        matches = [m for p in patterns if (m := p.search(text))]
        if len(matches) > best[0]:
            best = (len(matches), name, min(matches, key=lambda m: m.start()))

    return best[1], best[2]


def _pain_span(text: str, match: re.Match[str]) -> Span:
    """Take the sentence around the matched words as the pain."""
    start, end = sentence_bounds(text, match.start(), match.end())
    return make_span(text, start, end)


def parse_trial(text: str) -> Span | None:
    """Find where the visitor says they already use a trial of the product."""
    for pattern in _TRIAL:
        match = pattern.search(text)
        if match:
            return make_span(text, *match.span())

    return None
