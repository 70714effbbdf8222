"""Booking, handoff and routing actions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.booking import (
    ActionAskMeetingSlot,
    ActionConfirmBooking,
    ValidateBookingForm,
)
from bot.actions.handoff import ActionHandoff
from bot.actions.routing import ActionDisqualify, ActionRouteSupport
from bot.runtime import Services
from tests.bot.conftest import DOMAIN, MakeTracker


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        event["name"]: event["value"] for event in events if event["event"] == "slot"
    }


async def offer_slots(
    make_tracker: MakeTracker, sender_id: str = "visitor-1"
) -> list[str]:
    tracker = make_tracker(
        "", sender_id=sender_id, metadata={"timezone": "America/New_York"}
    )
    events = await ActionAskMeetingSlot().run(CollectingDispatcher(), tracker, DOMAIN)
    offered: list[str] = slot_events(events)["offered_slots"]
    return offered


async def pick(
    make_tracker: MakeTracker, text: str, offered: list[str], sender_id: str
) -> tuple[dict[str, Any], CollectingDispatcher]:
    tracker = make_tracker(
        text,
        sender_id=sender_id,
        active_loop="booking_form",
        slots={"requested_slot": "meeting_slot", "offered_slots": offered},
        metadata={"timezone": "America/New_York"},
    )
    dispatcher = CollectingDispatcher()
    events = await ValidateBookingForm().run(dispatcher, tracker, DOMAIN)
    return slot_events(events), dispatcher


@pytest.mark.asyncio
async def test_booking_offers_buttons_in_the_visitor_zone(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker("", metadata={"timezone": "America/New_York"})
    dispatcher = CollectingDispatcher()

    await ActionAskMeetingSlot().run(dispatcher, tracker, DOMAIN)

    buttons = dispatcher.messages[0]["buttons"]
    assert len(buttons) == services.availability.offer_count + 1
    assert all("America/New_York" in b["title"] for b in buttons[:-1])


@pytest.mark.asyncio
async def test_booking_books_the_picked_slot_and_links_the_ics(
    services: Services, make_tracker: MakeTracker
) -> None:
    offered = await offer_slots(make_tracker)

    slots, _ = await pick(make_tracker, "the second one", offered, "visitor-1")
    confirm = make_tracker("", slots={"meeting_slot": slots["meeting_slot"]})
    dispatcher = CollectingDispatcher()
    await ActionConfirmBooking().run(dispatcher, confirm, DOMAIN)

    assert slots["meeting_slot"]["start"].startswith(offered[1][:16])
    lead = services.store.get_lead("visitor-1")
    assert lead is not None and len(lead.bookings) == 1
    assert dispatcher.messages[0]["ics_url"].endswith(
        f"/bookings/{lead.bookings[0].token}.ics"
    )


@pytest.mark.asyncio
async def test_booking_never_gives_one_slot_to_two_visitors(
    services: Services, make_tracker: MakeTracker
) -> None:
    offered = await offer_slots(make_tracker)
    await pick(make_tracker, offered[0], offered, "first")

    slots, dispatcher = await pick(make_tracker, offered[0], offered, "second")

    assert slots["meeting_slot"] is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_slot_taken"]
    second = services.store.get_lead("second")
    assert second is None or second.bookings == []


@pytest.mark.asyncio
async def test_handoff_pauses_and_keeps_the_notification_when_webhook_is_down(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "can I talk to a person",
        intent="human_handoff",
        active_loop="qualification_form",
    )

    events = await ActionHandoff().run(CollectingDispatcher(), tracker, DOMAIN)

    kinds = [event["event"] for event in events]
    assert "pause" in kinds
    assert {"event": "active_loop", "name": None} in [
        {k: e.get(k) for k in ("event", "name")}
        for e in events
        if e["event"] == "active_loop"
    ]
    lead = services.store.get_lead("visitor-1")
    assert lead is not None
    assert lead.status == "handed-off"
    assert [h.reason for h in lead.handoffs] == ["visitor-asked"]
    pending = services.store.due_messages(now=lead.created_at.replace(year=2100))
    assert len(pending) == 1
    assert pending[0].attempts == 1
    assert pending[0].last_error


@pytest.mark.asyncio
@pytest.mark.parametrize("intent", ["student", "job_seeker", "vendor_pitch"])
async def test_disqualify_stores_the_reason(
    services: Services, make_tracker: MakeTracker, intent: str
) -> None:
    tracker = make_tracker("...", intent=intent)

    await ActionDisqualify().run(CollectingDispatcher(), tracker, DOMAIN)

    lead = services.store.get_lead("visitor-1")
    assert lead is not None
    assert lead.tier == "disqualified"
    assert lead.disqualified_reason == intent.replace("_", "-")


@pytest.mark.asyncio
async def test_support_request_is_not_left_as_an_open_lead(
    services: Services, make_tracker: MakeTracker
) -> None:
    services.store.ensure_lead("visitor-1", now=datetime.now(UTC))
    tracker = make_tracker("my widget is broken", intent="support_request")

    await ActionRouteSupport().run(CollectingDispatcher(), tracker, DOMAIN)

    lead = services.store.get_lead("visitor-1")
    assert lead is not None and lead.status == "support"


@pytest.mark.asyncio
async def test_handoff_failure_is_answered_kindly_not_raised(
    services: Services, make_tracker: MakeTracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database is down")

    monkeypatch.setattr(services.store, "record_handoff", broken)
    tracker = make_tracker("a person please", intent="human_handoff")
    dispatcher = CollectingDispatcher()

    events = await ActionHandoff().run(dispatcher, tracker, DOMAIN)

    assert events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_technical_problem"]


@pytest.mark.asyncio
async def test_booking_picked_slot_wins_over_a_misread_intent(
    services: Services, make_tracker: MakeTracker
) -> None:
    offered = await offer_slots(make_tracker)
    tracker = make_tracker(
        offered[0],
        intent="greet",
        active_loop="booking_form",
        slots={"requested_slot": "meeting_slot", "offered_slots": offered},
        metadata={"timezone": "America/New_York"},
    )

    events = await ValidateBookingForm().run(CollectingDispatcher(), tracker, DOMAIN)

    assert slot_events(events)["meeting_slot"]["token"]


@pytest.mark.asyncio
async def test_booking_declined_slots_get_an_email_follow_up(
    services: Services, make_tracker: MakeTracker
) -> None:
    offered = await offer_slots(make_tracker)
    slots, _ = await pick(make_tracker, "none of these work", offered, "visitor-1")
    confirm = make_tracker("", slots={"meeting_slot": slots["meeting_slot"]})
    dispatcher = CollectingDispatcher()

    await ActionConfirmBooking().run(dispatcher, confirm, DOMAIN)

    assert slots["meeting_slot"] == {"status": "declined"}
    assert [m["response"] for m in dispatcher.messages] == ["utter_slots_declined"]


@pytest.mark.asyncio
async def test_disqualify_needs_a_confident_intent(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "just looking around tbh", intent="job_seeker", confidence=0.55
    )
    dispatcher = CollectingDispatcher()

    await ActionDisqualify().run(dispatcher, tracker, DOMAIN)

    assert services.store.get_lead("visitor-1") is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_what_brings_you"]


@pytest.mark.asyncio
async def test_handoff_without_a_rep_online_promises_a_reply_later(
    services: Services, make_tracker: MakeTracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    offline = replace(
        services, settings=replace(services.settings, rep_available=False)
    )
    monkeypatch.setattr("bot.actions.handoff.services", lambda: offline)
    tracker = make_tracker("can I talk to a person", intent="human_handoff")
    dispatcher = CollectingDispatcher()

    await ActionHandoff().run(dispatcher, tracker, DOMAIN)

    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_later"]
