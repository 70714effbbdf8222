"""Calls to the Rasa server: the REST webhook and the tracker HTTP API.

Nothing here logs a URL: tracker URLs carry the API token as a query
parameter, and messages are personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import aiohttp

WEBHOOK_PATH = "/webhooks/rest_meta/webhook"
REP_METADATA = {"leadline_rep": True}
MAX_REP_CHARS = 4000
SENDER_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")


class RasaError(Exception):
    """Base of the errors raised when talking to Rasa."""


class RasaUnavailableError(RasaError):
    """Raised when Rasa cannot be reached or does not answer in time."""


class RasaResponseError(RasaError):
    """Raised when Rasa answers with an error status or an unexpected body.

    Attributes:
        status: The HTTP status Rasa answered with.
    """

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Tracker:
    """The part of a Rasa tracker the widget needs."""

    events: list[dict[str, Any]]
    paused: bool


async def send_message(
    session: aiohttp.ClientSession,
    rasa_url: str,
    *,
    sender: str,
    message: str,
    metadata: dict[str, Any],
    timeout: float,
) -> list[dict[str, Any]]:
    """Post one visitor message to the REST webhook and return the replies."""
    body = {"sender": sender, "message": message, "metadata": metadata}
    replies = await _request_json(
        session,
        "POST",
        f"{rasa_url}{WEBHOOK_PATH}",
        json=body,
        timeout=timeout,
    )
    if not isinstance(replies, list):
        msg = f"Rasa's webhook answered a {type(replies).__name__}, not a list"
        raise RasaResponseError(msg, status=200)

    return [reply for reply in replies if isinstance(reply, dict)]


async def fetch_tracker(
    session: aiohttp.ClientSession,
    rasa_url: str,
    token: str,
    sender: str,
    *,
    timeout: float = 10.0,
) -> Tracker:
    """Fetch a conversation's events since its last restart."""
    _check_sender(sender)
    params = {"include_events": "AFTER_RESTART", **_token_param(token)}
    body = await _request_json(
        session,
        "GET",
        f"{rasa_url}/conversations/{sender}/tracker",
        params=params,
        timeout=timeout,
    )
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list):
        msg = "Rasa's tracker answer has no 'events' list"
        raise RasaResponseError(msg, status=200)

    valid = [event for event in events if isinstance(event, dict)]
    return Tracker(events=valid, paused=bool(body.get("paused")))


async def post_rep_message(
    session: aiohttp.ClientSession,
    rasa_url: str,
    token: str,
    sender: str,
    text: str,
) -> None:
    """Append a sales rep's message to a conversation as a ``bot`` event.

    The widget's event stream picks it up from the tracker and shows it to
    the visitor.

    Raises:
        ValueError: When the sender id is malformed, or the text is empty or
            longer than ``MAX_REP_CHARS``.
        RasaUnavailableError: When Rasa cannot be reached.
        RasaResponseError: When Rasa refuses the event.
    """
    _check_sender(sender)
    if not text.strip() or len(text) > MAX_REP_CHARS:
        msg = f"a rep message needs 1 to {MAX_REP_CHARS} characters, got {len(text)}"
        raise ValueError(msg)

    # No timestamp: Rasa stamps the event with its own clock, so it sorts
    # after the events the widget has already seen.
    event = {"event": "bot", "text": text, "metadata": dict(REP_METADATA)}
    await _request_json(
        session,
        "POST",
        f"{rasa_url}/conversations/{sender}/tracker/events",
        params={"include_events": "NONE", **_token_param(token)},
        json=event,
        timeout=10.0,
    )


async def _request_json(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    timeout: float,
    params: dict[str, str] | None = None,
    json: Any = None,
) -> Any:
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    try:
        async with session.request(
            method, url, params=params, json=json, timeout=client_timeout
        ) as response:
            if response.status >= 400:
                msg = f"Rasa answered HTTP {response.status} to {method}"
                raise RasaResponseError(msg, status=response.status)

            return await response.json(content_type=None)
    except (aiohttp.ClientConnectionError, TimeoutError) as exc:
        msg = f"Rasa is unreachable ({type(exc).__name__})"
        raise RasaUnavailableError(msg) from exc
    except (aiohttp.ContentTypeError, ValueError) as exc:
        # Not chained: the library error's text holds the URL, and so the token.
        msg = f"Rasa answered a body that is not JSON ({type(exc).__name__})"
        raise RasaResponseError(msg, status=200) from None


def _token_param(token: str) -> dict[str, str]:
    return {"token": token} if token else {}


def _check_sender(sender: str) -> None:
    if not SENDER_PATTERN.fullmatch(sender):
        msg = (
            f"sender ids are 8-64 characters of A-Z, a-z, 0-9, _ and -, got {sender!r}"
        )
        raise ValueError(msg)
