"""Settings of the chat widget gateway, read from the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from qualifier.errors import SettingsError

DEFAULT_RASA_URL = "http://127.0.0.1:5005"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8080"
LOCALHOST_ORIGIN = "http://localhost:8080"
ORIGIN_PATTERN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")


@dataclass(frozen=True)
class Limits:
    """How much one visitor may send, and how long replies are remembered.

    Attributes:
        max_message_chars: Longest message accepted, in characters.
        max_metadata_bytes: Largest metadata object, as compact JSON.
        sender_per_minute: Messages one sender may send per minute.
        ip_per_minute: Messages one IP address may send per minute.
        dedupe_seconds: How long a reply is kept for a retried client id.
        rasa_timeout: Seconds to wait for Rasa's reply to one message.
        poll_seconds: Interval of the stream's tracker polls.
        stream_seconds: Lifetime of one event stream; the browser reconnects.
        streams_per_sender: Open event streams allowed per sender.
        max_streams: Open event streams allowed in total.
        history_messages: Most recent messages returned by the history.
    """

    max_message_chars: int = 2000
    max_metadata_bytes: int = 8192
    sender_per_minute: int = 20
    ip_per_minute: int = 60
    dedupe_seconds: float = 300.0
    rasa_timeout: float = 30.0
    poll_seconds: float = 1.5
    stream_seconds: float = 300.0
    streams_per_sender: int = 3
    max_streams: int = 200
    history_messages: int = 200


@dataclass(frozen=True)
class WidgetConfig:
    """Where Rasa is, who may embed the widget, and the visitor limits."""

    rasa_url: str
    api_token: str
    allowed_origins: tuple[str, ...]
    limits: Limits = field(default_factory=Limits)


def load_widget_config(
    environ: Mapping[str, str] | None = None, *, public_url: str | None = None
) -> WidgetConfig:
    """Read the widget settings from ``LEADLINE_*`` environment variables."""
    env = os.environ if environ is None else environ
    public = (public_url or env.get("LEADLINE_PUBLIC_URL", DEFAULT_PUBLIC_URL)).rstrip(
        "/"
    )
    default_origins = f"{origin_of(public)},{LOCALHOST_ORIGIN}"

    return WidgetConfig(
        rasa_url=env.get("LEADLINE_RASA_URL", DEFAULT_RASA_URL).rstrip("/"),
        api_token=env.get("LEADLINE_API_TOKEN", ""),
        allowed_origins=parse_origins(
            env.get("LEADLINE_ALLOWED_ORIGINS", default_origins)
        ),
    )


def parse_origins(value: str) -> tuple[str, ...]:
    """Parse a comma-separated list of origins such as ``https://example.com``."""
    origins = []
    for item in value.split(","):
        origin = item.strip().rstrip("/")
        if not origin:
            continue

        if not ORIGIN_PATTERN.fullmatch(origin):
            msg = (
                f"LEADLINE_ALLOWED_ORIGINS has {origin!r}, which is not an origin; "
                "use scheme://host[:port] such as 'https://www.example.com'"
            )
            raise SettingsError(msg)

        origins.append(origin.lower())

    return tuple(dict.fromkeys(origins))


def origin_of(url: str) -> str:
    """Return the ``scheme://host[:port]`` origin of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
