"""Read when the visitor needs a solution, as a date interval.

Intervals are resolved against the message's local date ("today"):

* A quarter, half, fiscal year, month or year means its whole interval; when
  it has no year it is the next one that has not ended yet ("Q3" in November
  is next year's Q3). A part already past is cut off: the interval starts
  today at the earliest.
* "early", "mid" and "end of" narrow an interval to a part of it: a month of a
  quarter, two months of a half, a quarter of a year, ten days of a month. So
  "end of Q3" is the whole of September.
* "by X" and "until X" run from today to the end of X; "before X" to the day
  before X. "after X" and "from X" are read as X itself.
* "in 2 weeks" is a target date (start = end = today + 14 days); "within 2
  weeks" and "in the next 2 weeks" run from today to that date.
* "ASAP", "urgently" or "we needed it yesterday" is status asap, from today to
  today + 14 days, the horizon sales teams treat as "now".
* "FY27" is the fiscal year ending in 2027; with a fiscal year starting in
  April that is 1 April 2026 to 31 March 2027.
* An interval wholly in the past is not a timeline and is ignored.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from qualifier.facts import Span, Timing, TimingStatus
from qualifier.spans import make_span, sentence

_I = re.IGNORECASE
ASAP_DAYS = 14
MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORDINAL |= {"fourth": 4, "4th": 4, "last": 4}
_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_COUNT |= {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12}
_COUNT |= {"couple of": 2, "couple": 2, "few": 3, "a couple of": 2, "a few": 3}
_COUNT |= {"eighteen": 18, "several": 3}

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_N = r"\d{1,3}|a couple of|couple of|a few|few|several|an?|one|two|three|four|five"
_N += r"|six|seven|eight|nine|ten|twelve|eighteen"
_UNIT = r"(?P<unit>day|week|month|year|quarter)s?"

_ASAP = re.compile(
    r"\b(?:asap|a\.s\.a\.p\.?|as soon as (?:possible|we can|you can)|urgent(?:ly)?|"
    r"right away|immediately|(?:need|want)(?: it| this| something)? right now|"
    r"straight away|(?:needed|need|wanted) "
    r"(?:it |this |that |them |something )?(?:by )?yesterday|yesterday would be "
    r"(?:good|great|nice)|(?:the )?next (?:few|couple of) days|(?:by|for|need it|"
    r"needed|live|up and running) (?:today|tomorrow))",
    _I,
)
_NONE = re.compile(
    r"\b(?:no rush|no hurry|not in a (?:rush|hurry)|no (?:set |fixed |specific |"
    r"real |hard )?(?:timeline|timeframe|time frame|deadline|date)s?|"
    r"just (?:researching|looking|browsing|exploring|curious|checking)|"
    r"(?:only|still) (?:researching|exploring|in (?:the )?research)|"
    r"early (?:stages|days)|someday|some day|eventually|no plans? (?:yet|to buy)|"
    r"not (?:buying|looking to buy) (?:yet|now|anytime soon)|nothing planned)\b",
    _I,
)
_UNKNOWN = re.compile(
    r"\b(?:not sure|unsure|no idea|(?:don'?t|do not|dunno) (?:know|really know)|"
    r"(?:it )?depends|hard to say|tbd|to be (?:determined|confirmed|decided)|"
    r"(?:haven'?t|have not|not) (?:yet )?(?:decided|defined|set|figured)|"
    r"undecided|no clue|not (?:yet )?(?:known|clear)|unclear)\b",
    _I,
)
_TIMING_TOPIC = re.compile(
    r"\b(?:when|timeline|timeframe|time frame|timing|deadline|start|launch|go live|"
    r"go-live|roll ?out|implement\w*|date)\b",
    _I,
)
_PAST = re.compile(
    r"\b(?:last|previous|past|ago|since|back in|started in|founded|was in|did in|"
    r"used to)\b",
    _I,
)
_PREFIX = re.compile(
    r"(?P<prefix>by(?: the)? end of|by|before|until|till|til|no later than|after|"
    r"from|starting(?: in| from)?|not before|early|earlier in|beginning of|"
    r"start of|late|(?:towards|toward|at|in)? ?the end of|end of|mid|middle of|"
    r"in the middle of)(?:\s+the)?\s*-?\s*$",
    _I,
)


@dataclass(frozen=True)
class Candidate:
    """A time expression read from the text, before the prefix is applied."""

    start: int
    end: int
    first: date
    last: date
    confidence: float = 0.9
    modifiable: bool = True


Reader = Callable[[str, date, int], Iterator[Candidate]]


def parse_timing(
    text: str, today: date, *, fiscal_start: int = 1, expected: bool = False
) -> tuple[Timing | None, list[str]]:
    """Read the visitor's time frame from one message.

    Args:
        text: The visitor's message.
        today: The message's date in the visitor's time zone.
        fiscal_start: The month (1-12) the fiscal year starts in.
        expected: True when the assistant just asked for the time frame, so
            a bare "3 months" counts.

    Returns:
        The time frame or None, and notes about expressions that were
        skipped (dates in the past).
    """
    notes: list[str] = []
    match = _ASAP.search(text)
    if match:
        return _asap(text, today, match), notes

    match = _NONE.search(text)
    if match:
        return Timing(
            TimingStatus.NONE, confidence=0.85, span=_span(text, match)
        ), notes

    timing, notes = _interval(text, today, fiscal_start, expected)
    if (
        timing is not None
        and timing.span is not None
        and _negated(text, timing.span.start)
    ):
        # "not this year" names a time it is not; it is no time frame.
        notes.append("timing.ignored:negated")
        return None, notes

    if timing is not None:
        return timing, notes

    return _unknown(text, expected), notes


_NEGATION_BEFORE = re.compile(
    r"\b(?:not|no|never|isn't|won't|wont|can't|cannot)\s+(?:until\s+|before\s+)?$",
    re.IGNORECASE,
)


def _negated(text: str, start: int) -> bool:
    """Tell whether a time expression is negated ("not this year")."""
    return bool(_NEGATION_BEFORE.search(text[max(0, start - 20) : start]))


def _asap(text: str, today: date, match: re.Match[str]) -> Timing:
    """Build the asap interval: today to today + ASAP_DAYS."""
    return Timing(
        TimingStatus.ASAP,
        start=today,
        end=today + timedelta(days=ASAP_DAYS),
        confidence=0.9,
        span=_span(text, match),
    )


def _unknown(text: str, expected: bool) -> Timing | None:
    """Read "not sure" as an unknown time frame when it is about timing."""
    for match in _UNKNOWN.finditer(text):
        topical = _TIMING_TOPIC.search(sentence(text, match.start(), match.end()))
        if expected or topical:
            confidence = 0.8 if topical else 0.7
            return Timing(
                TimingStatus.UNKNOWN, confidence=confidence, span=_span(text, match)
            )

    return None


def _interval(
    text: str, today: date, fiscal_start: int, expected: bool
) -> tuple[Timing | None, list[str]]:
    """Find the first time expression that resolves to a future interval."""
    readers: list[Reader] = [
        _ranges, _iso_dates, _day_month, _quarters, _halves, _fiscal_years,
        _relative_words, _months, _years, _durations,
    ]  # fmt: skip
    candidates: list[Candidate] = []
    for reader in readers:
        for found in reader(text, today, fiscal_start):
            if not any(c.start < found.end and found.start < c.end for c in candidates):
                candidates.append(found)

    if expected and not candidates:
        candidates = list(_bare_durations(text, today))

    notes: list[str] = []
    for candidate in sorted(candidates, key=lambda c: c.start):
        timing = _resolve(text, today, candidate)
        if timing is None:
            notes.append("timing.ignored:past")
            continue

        return timing, notes

    return None, notes


def _resolve(text: str, today: date, found: Candidate) -> Timing | None:
    """Apply the prefix ("by", "end of") and drop intervals in the past."""
    first, last, span_start = found.first, found.last, found.start
    prefix = _PREFIX.search(text[max(0, found.start - 30) : found.start])
    if prefix and found.modifiable:
        span_start = found.start - (
            len(text[max(0, found.start - 30) : found.start]) - prefix.start()
        )
        first, last = _apply_prefix(prefix.group("prefix").lower(), first, last, today)

    head = text[max(0, found.start - 30) : found.start]
    if (last is not None and last < today) or (_PAST.search(head) and first < today):
        return None

    start = max(first, today) if first is not None else None
    return Timing(
        TimingStatus.KNOWN,
        start=start,
        end=last,
        confidence=found.confidence,
        span=make_span(text, span_start, found.end),
    )


def _apply_prefix(
    prefix: str, first: date, last: date, today: date
) -> tuple[date, date]:
    """Narrow or open an interval according to the words before it."""
    prefix = re.sub(r"\s+", " ", prefix.strip())
    if prefix.startswith("by") and "end of" in prefix:
        return today, last

    if prefix in {"by", "until", "till", "til", "no later than"}:
        return today, last

    if prefix == "before":
        return today, first - timedelta(days=1)

    if prefix in {"early", "earlier in", "beginning of", "start of"}:
        return _part(first, last, 0)

    if prefix in {"mid", "middle of", "in the middle of"}:
        return _part(first, last, 1)

    if "end of" in prefix or prefix == "late":
        return _part(first, last, 2)

    return first, last


def _part(first: date, last: date, which: int) -> tuple[date, date]:
    """Return the early (0), middle (1) or late (2) part of an interval."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= 1:
        bounds = ((1, 10), (11, 20), (21, _last_day(first.year, first.month)))
        low, high = bounds[which]
        return first.replace(day=low), first.replace(day=high)

    size = 3 if months >= 12 else max(1, months // 3)
    offset = (0, (months - size) // 2, months - size)[which]
    start = _add_months(first, offset)
    end = _add_months(start, size) - timedelta(days=1)
    return start, end


def _ranges(text: str, today: date, _fiscal: int) -> Iterator[Candidate]:
    """Read "between March and May" and "from June to August"."""
    pattern = re.compile(
        rf"\b(?:between|from)\s+(?P<a>{_MONTH_RE})\.?\s+(?:and|to|through|till|until|-)"
        rf"\s+(?P<b>{_MONTH_RE})\b(?:\s+(?P<year>\d{{4}}))?|"
        rf"\b(?P<c>{_MONTH_RE})\s*[-\u2013]\s*"
        rf"(?P<d>{_MONTH_RE})\b(?:\s+(?P<year2>\d{{4}}))?",
        _I,
    )
    for match in pattern.finditer(text):
        a = MONTHS[(match.group("a") or match.group("c")).lower()]
        b = MONTHS[(match.group("b") or match.group("d")).lower()]
        year_text = match.group("year") or match.group("year2")
        year = int(year_text) if year_text else _year_for_month(today, b)
        start_year = year if a <= b else year - 1
        yield Candidate(
            match.start(), match.end(), date(start_year, a, 1),
            date(year, b, _last_day(year, b)), modifiable=False,
        )  # fmt: skip


def _iso_dates(text: str, today: date, _fiscal: int) -> Iterator[Candidate]:
    """Read ISO dates such as 2027-03-15."""
    for match in re.finditer(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        day = _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if day is not None:
            yield Candidate(match.start(), match.end(), day, day)


def _day_month(text: str, today: date, _fiscal: int) -> Iterator[Candidate]:
    """Read "15 March", "March 15th" and "the 15th of March 2027"."""
    pattern = re.compile(
        rf"\b(?:the\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
        rf"(?P<m1>{_MONTH_RE})\b\.?|\b(?P<m2>{_MONTH_RE})\.?\s+(?:the\s+)?"
        rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:k|%|people))",
        _I,
    )
    for match in pattern.finditer(text):
        month = MONTHS[(match.group("m1") or match.group("m2")).lower()]
        day_number = int(match.group("d1") or match.group("d2"))
        year_match = re.match(r",?\s+(\d{4})\b", text[match.end() :])
        end = match.end() + (year_match.end() if year_match else 0)
        year = int(year_match.group(1)) if year_match else today.year
        day = _safe_date(year, month, day_number)
        if day is not None and day < today and not year_match:
            day = _safe_date(year + 1, month, day_number)

        if day is not None:
            yield Candidate(match.start(), end, day, day)


def _quarters(text: str, today: date, _fiscal: int) -> Iterator[Candidate]:
    """Read "Q3", "Q1 2027", "third quarter", "this quarter", "next quarter"."""
    pattern = re.compile(
        r"\b(?:q(?P<q>[1-4])|(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last)"
        r"\s+quarter)(?:\s*(?:of\s+)?(?:(?P<year>\d{4})|'(?P<yy>\d{2})|(?P<rel>this|"
        r"next) year))?\b|\b(?P<which>this|next|the next|current|following|coming)"
        r"\s+quarter\b|\bthe quarter\b",
        _I,
    )
    current = (today.month - 1) // 3 + 1
    for match in pattern.finditer(text):
        if match.group("which") or match.group(0).lower() == "the quarter":
            shift = (
                0
                if (match.group("which") or "this").lower() in {"this", "current"}
                else 1
            )
            index = today.year * 4 + current - 1 + shift
            year, quarter = divmod(index, 4)
            quarter += 1
        else:
            quarter = int(match.group("q") or _ORDINAL[match.group("ord").lower()])
            year = _explicit_year(match, today) or today.year
            if (
                _explicit_year(match, today) is None
                and _quarter_end(year, quarter) < today
            ):
                year += 1

        first = date(year, quarter * 3 - 2, 1)
        yield Candidate(match.start(), match.end(), first, _quarter_end(year, quarter))


def _halves(text: str, today: date, _fiscal: int) -> Iterator[Candidate]:
    """Read "H2", "H1 2027" and "second half of next year"."""
    pattern = re.compile(
        r"\bh(?P<h>[12])(?:\s*(?P<year>\d{4})|\s*'(?P<yy>\d{2}))?\b|\b(?P<ord>first|"
        r"second|1st|2nd|latter|back)\s+half\s+of\s+(?:the\s+)?(?:(?P<rel>this|next)\s+"
        r"year|year|(?P<year3>\d{4}))",
        _I,
    )
    for match in pattern.finditer(text):
        ordinal = (match.group("ord") or "").lower()
        half = int(match.group("h") or (1 if ordinal in {"first", "1st"} else 2))
        explicit = _explicit_year(match, today)
        year3 = match.group("year3")
        year = int(year3) if year3 else explicit or today.year
        first = date(year, 1 if half == 1 else 7, 1)
        last = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        if not explicit and not year3 and last < today:
            first, last = first.replace(year=year + 1), last.replace(year=year + 1)

        yield Candidate(match.start(), match.end(), first, last)


def _fiscal_years(text: str, today: date, fiscal_start: int) -> Iterator[Candidate]:
    """Read "FY27", "FY 2027", "fiscal 2027" and "next fiscal year"."""
    pattern = re.compile(
        r"\bfy\s?'?(?P<fy>\d{4}|\d{2})\b|\bfiscal(?: year)?\s+(?P<fy2>\d{4})\b|"
        r"\b(?P<rel>this|next|current|coming|the next)\s+(?:fiscal(?: year)?|fy)\b",
        _I,
    )
    for match in pattern.finditer(text):
        label = match.group("fy") or match.group("fy2")
        if label:
            fiscal = int(label) + (2000 if len(label) == 2 else 0)
        else:
            fiscal = _current_fiscal(today, fiscal_start)
            fiscal += 0 if match.group("rel").lower() in {"this", "current"} else 1

        first, last = _fiscal_bounds(fiscal, fiscal_start)
        yield Candidate(match.start(), match.end(), first, last)


def _relative_words(text: str, today: date, _fiscal: int) -> Iterator[Candidate]:
    """Read "next month", "this year", "end of the year", "this summer"."""
    pattern = re.compile(
        r"\b(?P<which>this|next|the next|the following|later this|early next|"
        r"the end of the|end of the|end of|the end of this|end of this|end of next|"
        r"the coming|coming)\s+(?P<unit>week|month|year|summer|spring|autumn|fall|"
        r"winter)\b|\bthe new year\b",
        _I,
    )
    seasons = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
    for match in pattern.finditer(text):
        if match.group(0).lower() == "the new year":
            first = date(today.year + 1, 1, 1)
            yield Candidate(
                match.start(), match.end(), first, date(today.year + 1, 1, 31)
            )
            continue

        which = match.group("which").lower()
        unit = match.group("unit").lower()
        shift = 1 if "next" in which or "following" in which or "coming" in which else 0
        if unit == "week":
            first = today - timedelta(days=today.weekday()) + timedelta(weeks=shift)
            last = first + timedelta(days=6)
        elif unit == "month":
            first = _add_months(today.replace(day=1), shift)
            last = _add_months(first, 1) - timedelta(days=1)
        elif unit == "year":
            first, last = (
                date(today.year + shift, 1, 1),
                date(today.year + shift, 12, 31),
            )
        else:
            start_month = seasons[unit]
            first = date(today.year + shift, start_month, 1)
            if _add_months(first, 3) <= today:
                first = first.replace(year=first.year + 1)
            last = _add_months(first, 3) - timedelta(days=1)

        if which.startswith("later"):
            first = today
        elif which.startswith("early"):
            first, last = _part(first, last, 0)
        elif "end of" in which:
            first, last = _part(first, last, 2)

        yield Candidate(
            match.start(), match.end(), first, last, modifiable="end of" not in which
        )


def _months(text: str, today: date, _fiscal: int) -> Iterator[Candidate]:
    """Read month names, with or without a year ("March", "June 2027")."""
    pattern = re.compile(
        rf"\b(?P<m>{_MONTH_RE})\b\.?(?:\s*,?\s*(?P<year>\d{{4}}))?", _I
    )
    for match in pattern.finditer(text):
        name = match.group("m")
        if not _month_is_meant(text, match, name):
            continue

        month = MONTHS[name.lower()]
        year = (
            int(match.group("year"))
            if match.group("year")
            else _year_for_month(today, month)
        )
        first = date(year, month, 1)
        confidence = 0.9 if match.group("year") or name[0].isupper() else 0.7
        yield Candidate(
            match.start(), match.end(), first,
            date(year, month, _last_day(year, month)), confidence,
        )  # fmt: skip


def _month_is_meant(text: str, match: re.Match[str], name: str) -> bool:
    """Tell a month from a word such as "may" (verb) or "march" (walk)."""
    head = text[max(0, match.start() - 25) : match.start()]
    has_prefix = bool(
        _PREFIX.search(head)
        or re.search(r"\b(?:in|of|for|around|during)\s+$", head, _I)
    )
    if name.lower() in {
        "may",
        "march",
        "mar",
        "jan",
        "sep",
        "dec",
        "oct",
        "jun",
        "jul",
    }:
        return has_prefix or match.group("year") is not None or text.strip() == name

    return True


def _years(text: str, today: date, _fiscal: int) -> Iterator[Candidate]:
    """Read a year with a preposition, such as "in 2027" or "by 2028"."""
    pattern = re.compile(
        r"\b(?:in|by|for|during|before|until|early|late|mid|end of|from|after)\s+"
        r"(?:the\s+)?(?:year\s+)?(?P<year>20\d{2})\b",
        _I,
    )
    for match in pattern.finditer(text):
        year = int(match.group("year"))
        start = match.start("year")
        yield Candidate(start, match.end(), date(year, 1, 1), date(year, 12, 31))


def _durations(text: str, today: date, _fiscal: int) -> Iterator[Candidate]:
    """Read "in 2 weeks", "within 6 months", "in the next 90 days"."""
    pattern = re.compile(
        rf"\b(?P<kind>in|within|in the next|over the next|during the next|in about|"
        rf"in around|the next|next|inside of|in roughly)\s+(?P<n>{_N})"
        rf"(?:\s*(?:-|to|or)\s*(?P<n2>{_N}))?\s+{_UNIT}\b(?:'?s? time)?|"
        rf"\b(?P<n3>{_N})\s+{_UNIT.replace('unit', 'unit3')}\s+from now\b",
        _I,
    )
    for match in pattern.finditer(text):
        unit = match.group("unit") or match.group("unit3")
        count = _count(match.group("n") or match.group("n3"))
        kind = (match.group("kind") or "in").lower()
        upper = _count(match.group("n2")) if match.group("n2") else None
        yield _duration_candidate(match, today, unit, count, upper, kind)


def _bare_durations(text: str, today: date) -> Iterator[Candidate]:
    """Read a bare answer such as "3 months" or "6-8 weeks" as "within"."""
    pattern = re.compile(
        rf"^\W*(?:about |around |roughly |maybe |probably |~)?(?P<n>{_N})"
        rf"(?:\s*(?:-|to|or)\s*(?P<n2>{_N}))?\s+{_UNIT}\W*$",
        _I,
    )
    match = pattern.match(text)
    if match:
        upper = _count(match.group("n2")) if match.group("n2") else None
        count = _count(match.group("n"))
        yield _duration_candidate(
            match, today, match.group("unit"), count, upper, "within"
        )


def _duration_candidate(
    match: re.Match[str],
    today: date,
    unit: str,
    count: int,
    upper: int | None,
    kind: str,
) -> Candidate:
    """Build the interval for "in N units" (a date) or "within N" (up to)."""
    target = _shift(today, unit.lower(), count)
    if upper is not None:
        return Candidate(
            match.start(), match.end(), target, _shift(today, unit.lower(), upper),
            modifiable=False,
        )  # fmt: skip

    if kind in {"in", "in about", "in around", "in roughly"}:
        return Candidate(match.start(), match.end(), target, target, modifiable=False)

    return Candidate(match.start(), match.end(), today, target, modifiable=False)


def _shift(today: date, unit: str, count: int) -> date:
    """Move today forward by count units."""
    if unit == "day":
        return today + timedelta(days=count)

    if unit == "week":
        return today + timedelta(weeks=count)

    months = {"month": 1, "quarter": 3, "year": 12}[unit] * count
    return _add_months(today, months)


def _count(word: str) -> int:
    """Read a small count written in digits or words."""
    word = word.lower().strip()
    return int(word) if word.isdigit() else _COUNT.get(word, 1)


def _explicit_year(match: re.Match[str], today: date) -> int | None:
    """Read the year written with a quarter or half, if any."""
    groups = match.groupdict()
    if groups.get("year"):
        return int(groups["year"])

    if groups.get("yy"):
        return 2000 + int(groups["yy"])

    if groups.get("rel"):
        return today.year + (1 if groups["rel"].lower() == "next" else 0)

    return None


def _current_fiscal(today: date, fiscal_start: int) -> int:
    """Name the fiscal year that holds today, by the year it ends in."""
    if fiscal_start == 1 or today.month < fiscal_start:
        return today.year

    return today.year + 1


def _fiscal_bounds(fiscal: int, fiscal_start: int) -> tuple[date, date]:
    """Give the first and last day of fiscal year `fiscal`."""
    if fiscal_start == 1:
        return date(fiscal, 1, 1), date(fiscal, 12, 31)

    first = date(fiscal - 1, fiscal_start, 1)
    return first, _add_months(first, 12) - timedelta(days=1)


def _year_for_month(today: date, month: int) -> int:
    """Pick this year for a month not yet over, else next year."""
    return today.year if month >= today.month else today.year + 1


def _quarter_end(year: int, quarter: int) -> date:
    """Give the last day of a quarter."""
    return date(year, quarter * 3, _last_day(year, quarter * 3))


def _last_day(year: int, month: int) -> int:
    """Give the number of days in a month."""
    return calendar.monthrange(year, month)[1]


def _add_months(day: date, months: int) -> date:
    """Move a date by whole months, clamping the day to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _last_day(year, month + 1)))


def _safe_date(year: int, month: int, day: int) -> date | None:
    """Build a date, or None when the numbers do not make one."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _span(text: str, match: re.Match[str]) -> Span:
    """Build the span of a regex match."""
    return make_span(text, match.start(), match.end())
