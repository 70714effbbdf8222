"""Read the visitor's job title, seniority and part in the buying decision."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qualifier.facts import Authority, DecisionRole, Seniority
from qualifier.lexicon import Lexicon, TitleRule
from qualifier.spans import make_span

_I = re.IGNORECASE
# A title is the visitor's own when one of these stands right before it.
_SELF_CUE = re.compile(
    r"(?:\bi(?:'m| am)|\bi work as|\bmy (?:role|title|position|job) is|\bas|"
    r"\bi'm working as|\bworking as|\bi serve as|\bi run|\bi head|\bi lead|"
    r"^|[,(-]\s*|\bjust|\bthis is \w+(?: \w+)?,)\s*(?:the|a|an|our|acme's)?\s*"
    r"(?:[\w&-]+\s+){0,3}$",
    _I,
)
_OTHER_CUE = re.compile(
    r"\b(?:my|our|the|his|her|their|your|with|to|by|from|for|a|an)\s+"
    r"(?:[\w&-]+\s+){0,2}$",
    _I,
)
_SELF_TAIL = re.compile(r"^\s*(?:here\b|at\b|of\b|for\b|@|,|\.|$)", _I)
_OWNER_DEFAULT = {Seniority.OWNER, Seniority.C_LEVEL}
_ROLE_CONFIDENCE = 0.85


@dataclass(frozen=True)
class TitleMatch:
    """A job title found in the text."""

    start: int
    end: int
    rule: TitleRule
    own: bool


def parse_authority(text: str, lexicon: Lexicon, *, expected: bool) -> Authority | None:
    """Read who the visitor is in the buying decision.

    Args:
        text: The visitor's message.
        lexicon: Title and decision-phrase tables.
        expected: True when the assistant just asked for the visitor's role,
            so a bare "CTO" counts as their title.

    Returns:
        The authority, or None when the message says nothing about it.
    """
    title = _find_title(text, lexicon, expected)
    role, role_match = _find_role(text, lexicon)
    if title is None and role is None:
        return None

    if role is None and title is not None:
        role = _default_role(title.rule)

    return _build(text, title, role, role_match)


def _build(
    text: str,
    title: TitleMatch | None,
    role: DecisionRole | None,
    role_match: re.Match[str] | None,
) -> Authority:
    """Combine a title and a decision role into an Authority."""
    spans = [(title.start, title.end)] if title else []
    if role_match is not None:
        spans.append(role_match.span())

    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    confidence = _ROLE_CONFIDENCE if role_match is not None or title is None else 0.7
    if title is not None and title.own:
        confidence = max(confidence, 0.8)

    return Authority(
        title=text[title.start : title.end] if title else None,
        seniority=title.rule.seniority if title else None,
        decision_role=role,
        confidence=confidence,
        span=make_span(text, start, end),
    )


def _default_role(rule: TitleRule) -> DecisionRole | None:
    """Give the role a title implies when nothing else is said."""
    if rule.role is not None:
        return rule.role

    if rule.seniority in _OWNER_DEFAULT:
        return DecisionRole.DECISION_MAKER

    return None


def _find_role(
    text: str, lexicon: Lexicon
) -> tuple[DecisionRole | None, re.Match[str] | None]:
    """Find the first decision phrase, by role precedence."""
    for role, patterns in lexicon.decisions:
        for pattern in patterns:
            match = pattern.search(text)
            if match:
                return role, match

    return None, None


def _find_title(text: str, lexicon: Lexicon, expected: bool) -> TitleMatch | None:
    """Find the visitor's own title, with its function words."""
    found: list[TitleMatch] = []
    for rule in lexicon.titles:
        for match in rule.pattern.finditer(text):
            if any(t.start <= match.start() < t.end for t in found):
                continue

            if not _looks_like_title(text, match):
                continue

            start, end = _widen(text, match.start(), match.end(), lexicon)
            own = _is_own(text, start, end, expected)
            found.append(TitleMatch(start, end, rule, own))

    own_titles = [t for t in found if t.own]
    return min(own_titles, key=lambda t: t.start) if own_titles else None


def _looks_like_title(text: str, match: re.Match[str]) -> bool:
    """Reject words that are titles only sometimes ("lead", "head", "rep")."""
    word = match.group().lower()
    tail = text[match.end() : match.end() + 12]
    if re.match(r"['\u2019]s\b", tail):
        return False

    if word == "head":
        return bool(re.match(r"\s+of\b", tail, _I))

    if word == "lead" and re.match(
        r"\s*(?:gen|generation|qualification|scoring|routing|capture|forms?|magnets?|"
        r"lists?|sources?|nurtur\w*|management|flows?|data|tools?|s\b)",
        tail,
        _I,
    ):
        return False

    if word in {"lead", "agent", "associate", "admin", "rep", "ae", "gm", "md"}:
        head = text[max(0, match.start() - 12) : match.start()]
        return bool(
            re.search(r"\b(?:a|an|the|as|team|tech|sales|support|i'm)\s+$", head, _I)
        )

    if word in {"owner", "partner", "president"}:
        return not re.match(
            r"\s+of\s+(?:the\s+)?(?:lead|deal|account|project)", tail, _I
        )

    return True


def _widen(text: str, start: int, end: int, lexicon: Lexicon) -> tuple[int, int]:
    """Extend a title core over its function words and qualifiers."""
    functions = "|".join(
        re.escape(f) for f in sorted(lexicon.title_functions, key=len, reverse=True)
    )
    after = re.match(
        rf"\s+(?:(?:of|for)\s+(?:the\s+)?(?:{functions}|(?-i:[A-Z][\w&]+))|"
        rf"(?:{functions}))(?:\s+(?:&|and)\s+(?:{functions}))?"
        rf"(?:\s+(?:{functions}))?\b",
        text[end:],
        _I,
    )
    if after:
        end += after.end()

    before = re.search(
        rf"\b(?:(?:senior|sr\.?|junior|jr\.?|deputy|interim|acting|global|regional|"
        rf"group|associate|assistant|executive|principal|lead|chief|head)\s+)?"
        rf"(?:(?:{functions})\s+(?:&\s+|and\s+)?)*(?:{functions})\s+$",
        text[max(0, start - 60) : start],
        _I,
    )
    if before:
        start -= len(text[max(0, start - 60) : start]) - before.start()

    qualifier = re.search(
        r"\b(?:senior|sr\.?|junior|jr\.?|deputy|interim|acting|global|regional|"
        r"co-)\s*$",
        text[max(0, start - 15) : start],
        _I,
    )
    if qualifier:
        start -= len(text[max(0, start - 15) : start]) - qualifier.start()

    return start, end


def _is_own(text: str, start: int, end: int, expected: bool) -> bool:
    """Tell whether a title describes the visitor rather than someone else."""
    head = text[max(0, start - 50) : start]
    if re.search(
        r"\b(?:my|our|the|his|her|their|your)\s+(?:[\w-]+\s+){0,1}$", head, _I
    ):
        return bool(re.search(r"\b(?:i(?:'m| am)|as|i work as)\s+the\s+$", head, _I))

    if re.search(
        r"\b(?:i(?:'m| am)|i work as|my (?:role|title|position|job) is|as|"
        r"working as|i serve as)\s+(?:the\s+|a\s+|an\s+|one of the\s+)?"
        r"(?:[\w&-]+\s+){0,4}$",
        head,
        _I,
    ):
        return True

    if expected:
        return True

    tail = text[end : end + 8]
    at_start = (
        not text[:start].strip() or re.search(r"[,\-\u2013(]\s*$", head) is not None
    )
    return at_start and bool(_SELF_TAIL.match(tail))
