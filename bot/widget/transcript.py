"""Turn Rasa tracker events and webhook replies into widget messages.

A widget message is a small JSON object: ``role`` ("user" or "bot"),
``text``, ``buttons`` (title and payload), ``id`` (the tracker timestamp,
or ``None`` when unknown), ``client_id`` (the widget's id of a visitor
message) and ``rep`` (true for a message a sales rep wrote).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

SHOWN_AS_KEY = "shown_as"
CLIENT_ID_KEY = "client_id"
REP_KEY = "leadline_rep"


def messages_from_events(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the visitor and bot messages of tracker events, in order."""
    messages = (message_from_event(event) for event in events)
    return [message for message in messages if message is not None]


def message_from_event(event: dict[str, Any]) -> dict[str, Any] | None:
    """Return the widget message of one user or bot event, else ``None``."""
    kind = event.get("event")
    metadata = _mapping(event.get("metadata"))
    if kind == "user":
        shown_as = metadata.get(SHOWN_AS_KEY)
        return {
            "id": _timestamp(event),
            "role": "user",
            "text": shown_as if isinstance(shown_as, str) else _str(event.get("text")),
            "buttons": [],
            "client_id": _str(metadata.get(CLIENT_ID_KEY)),
            "rep": False,
        }

    if kind == "bot":
        data = _mapping(event.get("data"))
        return {
            "id": _timestamp(event),
            "role": "bot",
            "text": _str(event.get("text")),
            "buttons": buttons_of(data.get("buttons")),
            "client_id": None,
            "rep": metadata.get(REP_KEY) is True,
        }

    return None


def message_from_reply(reply: dict[str, Any]) -> dict[str, Any]:
    """Return the widget message of one REST webhook reply."""
    return {
        "id": None,
        "role": "bot",
        "text": _str(reply.get("text")),
        "buttons": buttons_of(reply.get("buttons")),
        "client_id": None,
        "rep": False,
    }


def attach_ids(
    replies: list[dict[str, Any]], events: list[dict[str, Any]], client_id: str
) -> None:
    """Give replies the tracker timestamps of the bot events they became.

    The bot events of a turn follow the user event that carries the
    message's client id, in the order of the webhook replies.
    """
    turn = _turn_after(events, client_id)
    bot_events = [event for event in turn if event.get("event") == "bot"]
    for reply, event in zip(replies, bot_events, strict=False):
        if reply["text"] == _str(event.get("text")):
            reply["id"] = _timestamp(event)


def turn_messages(
    events: list[dict[str, Any]], client_id: str
) -> list[dict[str, Any]] | None:
    """Return the bot messages that answered a message, or ``None`` if unseen."""
    if not _has_user_event(events, client_id):
        return None

    turn = _turn_after(events, client_id)
    return [m for m in messages_from_events(turn) if m["role"] == "bot"]


def buttons_of(value: Any) -> list[dict[str, str]]:
    """Return the well-formed buttons of a reply or event."""
    if not isinstance(value, list):
        return []

    return [
        {"title": button["title"], "payload": button["payload"]}
        for button in value
        if isinstance(button, dict)
        and isinstance(button.get("title"), str)
        and isinstance(button.get("payload"), str)
    ]


def _has_user_event(events: list[dict[str, Any]], client_id: str) -> bool:
    return any(
        event.get("event") == "user"
        and _mapping(event.get("metadata")).get(CLIENT_ID_KEY) == client_id
        for event in events
    )


def _turn_after(events: list[dict[str, Any]], client_id: str) -> list[dict[str, Any]]:
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        metadata = _mapping(event.get("metadata"))
        if event.get("event") == "user" and metadata.get(CLIENT_ID_KEY) == client_id:
            following = events[index + 1 :]
            ends = [i for i, e in enumerate(following) if e.get("event") == "user"]
            return following[: ends[0]] if ends else following

    return []


def _timestamp(event: dict[str, Any]) -> float | None:
    value = event.get("timestamp")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None

    return float(value)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
