"""Read contact details: a person's name, an email, a company and a phone."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from qualifier.facts import Contact
from qualifier.spans import make_span

_I = re.IGNORECASE
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
)
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d\s().-]{5,}\d(?![\w])")
_NAME_WORD = r"[A-Z][a-z'\u2019-]+|[A-Z]\.?"
_NAME = rf"(?P<name>(?:{_NAME_WORD})(?:\s+(?:{_NAME_WORD})){{0,2}})"
_NAME_CUES = (
    re.compile(rf"\bmy name(?:'s| is)\s+{_NAME}"),
    re.compile(
        rf"\b(?:[Ii]'m|[Ii] am|[Tt]his is|[Ii]t's|[Nn]ame's|[Cc]all me)\s+{_NAME}"
    ),
    re.compile(rf"^(?:hi|hey|hello)?[,!]?\s*{_NAME}\s+here\b", _I),
    re.compile(rf"^(?:[Hh]i|[Hh]ey|[Hh]ello)?[,!]?\s*{_NAME},\s+(?=\w)"),
    re.compile(
        rf"(?:^|\n)\s*(?:-|\u2013|—|[Tt]hanks,?|[Cc]heers,?|[Bb]est,?|[Rr]egards,?)"
        rf"\s*{_NAME}\s*$"
    ),
)
_LOWER_NAME = re.compile(
    r"\bmy name(?:'s| is)\s+(?P<name>[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?)\b", _I
)
_NOT_NAMES = {
    "looking", "interested", "not", "just", "the", "a", "an", "here", "from",
    "with", "at", "in", "on", "so", "trying", "wondering", "curious", "new",
    "currently", "also", "still", "working", "responsible", "based", "hoping",
    "sure", "good", "fine", "ok", "okay", "ready", "evaluating", "gathering",
    "researching", "head", "vp", "ceo", "cto", "cfo", "coo", "cmo", "founder",
    "owner", "director", "manager", "one", "part", "hi", "hello", "hey",
    "thanks", "yes", "no", "we", "our", "my", "i", "it", "this", "that", "sorry",
    "reaching", "asking", "after", "about", "using", "building", "planning",
}  # fmt: skip
_COMPANY_WORD = r"[A-Z0-9][\w&.'\u2019-]*"
_COMPANY = (
    rf"(?P<company>{_COMPANY_WORD}(?:\s+(?:&\s+)?{_COMPANY_WORD}){{0,3}}"
    rf"(?:,?\s+(?:Inc|LLC|Ltd|Corp|GmbH|Co|AG|SA|BV|PLC|Pty)\.?)?)"
)
_COMPANY_CUES = (
    re.compile(
        rf"\b(?:[Ii] work (?:for|at)|[Ii]'m with|[Ii] am with|[Ww]e are|[Ww]e're)"
        rf"\s+{_COMPANY}"
    ),
    re.compile(
        rf"\b(?:[Oo]ur|[Mm]y|[Tt]he) (?:company|business|firm|startup|agency|org|"
        rf"organi[sz]ation)(?:'s name)? is(?: called)?\s+{_COMPANY}"
    ),
    re.compile(rf"\b(?:[Cc]ompany(?: name)?(?: is|:))\s+{_COMPANY}"),
    re.compile(rf"\b(?:from|at|@)\s+{_COMPANY}"),
)
_NOT_COMPANIES = {
    "the", "a", "an", "i", "we", "our", "my", "this", "that", "it", "q1", "q2",
    "q3", "q4", "h1", "h2", "asap", "ceo", "cto", "cfo", "coo", "cmo", "vp",
    "head", "saas", "b2b", "b2c", "us", "least", "most", "first", "home",
    "google", "linkedin", "twitter", "facebook", "reddit", "youtube", "bing",
    "capterra", "g2", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december",
    "looking", "interested", "hi", "hello", "thanks", "around", "about", "over",
    "under", "up", "ok", "yes", "no", "not", "just", "sure", "all", "both",
    "scratch", "work", "night", "midnight", "noon", "lunch", "some", "any",
}  # fmt: skip
_REFERRAL = re.compile(
    r"\b(?:found|heard|came|coming|saw|seen|read|referred|clicked|learned|"
    r"learnt|discovered|know|knew)\b[^.,;]*$",
    _I,
)
_REFUSALS = re.compile(
    r"^\W*(?:no|nope|none|n/?a|why\??|not telling|(?:i'?d )?rather not"
    r"(?: say| tell| share)?|skip|pass|no thanks|prefer not to say|not sure|idk|"
    r"i don'?t know|nothing|anonymous)\W*$",
    _I,
)


def parse_email(text: str) -> Contact | None:
    """Find an email address."""
    match = _EMAIL.search(text)
    if match is None:
        return None

    return Contact(match.group().lower(), 0.95, make_span(text, *match.span()))


def parse_phone(text: str, *, expected: bool = False) -> Contact | None:
    """Find a phone number of 7 to 15 digits, kept as digits and a "+"."""
    for match in _PHONE.finditer(text):
        raw = match.group()
        digits = re.sub(r"\D", "", raw)
        if not 7 <= len(digits) <= 15 or _looks_like_date(raw):
            continue

        value = ("+" if raw.startswith(("+", "00")) else "") + digits.removeprefix(
            "00" if raw.startswith("00") else ""
        )
        confidence = 0.9 if expected or re.search(r"[+()\s-]", raw) else 0.6
        return Contact(value, confidence, make_span(text, *match.span()))

    return None


def _looks_like_date(raw: str) -> bool:
    """Tell an ISO date or a money amount from a phone number."""
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip())) or "," in raw


def parse_name(text: str, doc: Doc | None, *, expected: bool) -> Contact | None:
    """Find the visitor's own name, introduced by a cue or asked for.

    Args:
        text: The visitor's message.
        doc: The message run through the NER pipeline, or None when it was not
            needed; PERSON entities help only when the name was asked for.
        expected: True when the assistant just asked for the visitor's name.

    Returns:
        The name as written, or None.
    """
    for pattern in _NAME_CUES:
        for match in pattern.finditer(text):
            name = _trim_name(match.group("name"))
            if name:
                start = match.start("name")
                return Contact(name, 0.85, make_span(text, start, start + len(name)))

    lower = _LOWER_NAME.search(text)
    if lower and lower.group("name").split()[0].lower() not in _NOT_NAMES:
        return Contact(
            lower.group("name").title(), 0.7, make_span(text, *lower.span("name"))
        )

    if expected:
        return _expected_name(text, doc)

    return None


def _trim_name(raw: str) -> str | None:
    """Cut words that are not part of a name from a candidate."""
    words = raw.split()
    kept: list[str] = []
    for word in words:
        if word.lower().strip(".") in _NOT_NAMES or (word.isupper() and len(word) > 1):
            break

        kept.append(word)

    return " ".join(kept) if kept else None


def _expected_name(text: str, doc: Doc | None) -> Contact | None:
    """Read a short reply as the name the assistant asked for."""
    if doc is not None:
        for ent in doc.ents:
            if ent.label_ == "PERSON" and not _REFUSALS.match(text):
                return Contact(
                    ent.text, 0.85, make_span(text, ent.start_char, ent.end_char)
                )

    reply = text.strip().strip(".!")
    words = reply.split()
    if _REFUSALS.match(reply) or not 1 <= len(words) <= 4:
        return None

    if not all(re.fullmatch(r"[^\W\d_][\w'\u2019.-]*", w) for w in words):
        return None

    if words[0].lower() in _NOT_NAMES:
        return None

    value = reply if any(c.isupper() for c in reply) else reply.title()
    start = text.find(reply)
    return Contact(value, 0.75, make_span(text, start, start + len(reply)))


def parse_company(text: str, doc: Doc | None, *, expected: bool) -> Contact | None:
    """Find the visitor's company, introduced by a cue or asked for.

    Args:
        text: The visitor's message.
        doc: The message run through the NER pipeline, or None.
        expected: True when the assistant just asked for the company.

    Returns:
        The company name as written, or None.
    """
    for pattern in _COMPANY_CUES:
        for match in pattern.finditer(text):
            company = _trim_company(match.group("company"))
            head = text[: match.start()]
            if company is None or _REFERRAL.search(head):
                continue

            start = match.start("company")
            return Contact(company, 0.8, make_span(text, start, start + len(company)))

    if expected:
        return _expected_company(text, doc)

    return None


def _trim_company(raw: str) -> str | None:
    """Cut trailing words that are not part of a company name."""
    words = raw.split()
    kept: list[str] = []
    for word in words:
        bare = word.lower().strip(".,'\u2019")
        if bare in _NOT_COMPANIES or (kept and bare in {"and", "we", "i"}):
            break

        kept.append(word)
        if word.endswith((".", ",")):
            break

    name = " ".join(kept).rstrip(".,")
    if not name or name.lower() in _NOT_COMPANIES or name.isdigit():
        return None

    return name


def _expected_company(text: str, doc: Doc | None) -> Contact | None:
    """Read a short reply as the company the assistant asked for."""
    if doc is not None:
        for ent in doc.ents:
            if ent.label_ == "ORG" and not _REFUSALS.match(text):
                value = ent.text.rstrip(".,")
                start = ent.start_char
                return Contact(value, 0.85, make_span(text, start, start + len(value)))

    reply = re.sub(
        r"^(?:it'?s|we'?re|we are|called|the company is)\s+", "", text.strip(), flags=_I
    )
    reply = reply.strip().rstrip(".!")
    words = reply.split()
    if _REFUSALS.match(reply) or not 1 <= len(words) <= 6:
        return None

    start = text.find(reply)
    return Contact(reply, 0.75, make_span(text, start, start + len(reply)))
