"""What an action needs to know about the visitor's latest message."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rasa_sdk import Tracker

from qualifier.answers import page_context_from_json
from qualifier.facts import PageContext

MAX_MESSAGE_CHARS = 2000

# Intents that are not answers: the form steps aside and a rule answers them.
# Off-topic messages are not among them: the form counts them as unclear
# replies, so a visitor who keeps going off-topic cannot loop for ever.
INTERRUPTIONS = frozenset(
    {
        "ask_why",
        "human_handoff",
        "support_request",
        "student",
        "job_seeker",
        "vendor_pitch",
        "ask_pricing",
        "ask_integrations",
        "ask_privacy",
        "ask_trial",
        "bot_challenge",
        "greet",
        "goodbye",
        "thanks",
    }
)


# Below this confidence an "interruption" that came with an answer is read as
# the answer: a misread intent must not close the conversation.
INTERRUPTION_CONFIDENCE = 0.8


def is_interruption(tracker: Tracker) -> bool:
    """Tell whether the latest message is confidently not an answer."""
    intent = tracker.latest_message.get("intent") or {}
    confidence = float(intent.get("confidence") or 0.0)
    return intent.get("name") in INTERRUPTIONS and confidence >= INTERRUPTION_CONFIDENCE


def intent_of(tracker: Tracker) -> str | None:
    """Return the name of the latest message's intent."""
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name")


def text_of(tracker: Tracker) -> str:
    """Return the latest message's text, cut to a length we process."""
    text = tracker.latest_message.get("text") or ""
    return text[:MAX_MESSAGE_CHARS]


def metadata_of(tracker: Tracker) -> dict[str, Any]:
    """Return the channel metadata of the latest message."""
    metadata = tracker.latest_message.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def visitor_zone(tracker: Tracker, default: ZoneInfo) -> ZoneInfo:
    """Return the visitor's time zone from the channel, else ``default``."""
    name = metadata_of(tracker).get("timezone")
    if not isinstance(name, str) or not name:
        return default

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default


def sent_at(tracker: Tracker, tz: ZoneInfo) -> datetime:
    """Return when the latest message was sent, in the visitor's zone."""
    for event in reversed(tracker.events):
        if event.get("event") == "user" and event.get("timestamp"):
            return datetime.fromtimestamp(float(event["timestamp"]), tz)

    return datetime.now(UTC).astimezone(tz)


def page_of(tracker: Tracker) -> PageContext | None:
    """Return the page context kept for this conversation."""
    return page_context_from_json(tracker.get_slot("page_context"))


def consent_given(tracker: Tracker) -> bool:
    """Tell whether the visitor agreed to us storing contact details."""
    consent = tracker.get_slot("consent")
    return isinstance(consent, dict) and consent.get("given") is True


# Bookkeeping slots that say nothing about what the visitor answered; Rasa
# also sets requested_slot itself in the tracker it sends to validation.
NOT_ANSWERS = frozenset(
    {"requested_slot", "unclear_turns", "page_context", "unsaved_answers"}
)


def slots_set_this_turn(tracker: Tracker) -> dict[str, Any]:
    """Return the answer slots set since the visitor's latest message."""
    found: dict[str, Any] = {}
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break

        if event.get("event") == "slot" and event["name"] not in NOT_ANSWERS:
            found.setdefault(event["name"], event.get("value"))

    return found
