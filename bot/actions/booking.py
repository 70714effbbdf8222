"""The booking form: offer free demo slots, book one, confirm it."""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions import turn
from bot.actions.edge import answers_gracefully
from bot.runtime import services
from qualifier.booking import Slot, format_slot, free_slots, parse_slot_choice
from qualifier.errors import SlotTakenError

logger = logging.getLogger(__name__)

MAX_UNCLEAR_TURNS = 2
NO_SLOT = {"status": "none"}
DECLINED_SLOT = {"status": "declined"}
DECLINED = re.compile(r"\bnone\b|\bno\b.*\b(?:work|good|suit)|\bother times?\b", re.I)


class ActionAskMeetingSlot(Action):
    """Offer the next free demo slots as buttons, in the visitor's zone."""

    def name(self) -> str:
        """Name the ask action of the booking form."""
        return "action_ask_meeting_slot"

    @answers_gracefully
    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Utter the free slots, or say a rep will email when none are free."""
        svc = services()
        tz = turn.visitor_zone(tracker, svc.settings.default_tz)
        now = turn.sent_at(tracker, tz)
        taken = svc.store.taken_starts(since=now)
        offered = free_slots(svc.availability, now=now, taken=taken)
        if not offered:
            dispatcher.utter_message(response="utter_no_slots")
            return [SlotSet("meeting_slot", NO_SLOT)]

        buttons = [
            {"title": format_slot(slot, tz), "payload": slot.payload}
            for slot in offered
        ]
        buttons.append({"title": "None of these work", "payload": "none of these work"})
        dispatcher.utter_message(
            response="utter_ask_meeting_slot", buttons=buttons, time_zone=tz.key
        )
        return [SlotSet("offered_slots", [slot.payload for slot in offered])]


class ValidateBookingForm(Action):
    """Book the slot the visitor picked, or offer fresh ones."""

    def name(self) -> str:
        """Name the validation action of the booking form."""
        return "validate_booking_form"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Parse the choice and book it; a taken slot is offered again."""
        svc = services()
        tz = turn.visitor_zone(tracker, svc.settings.default_tz)
        now = turn.sent_at(tracker, tz)
        offered = _offered(tracker)
        # A slot the visitor clearly picked wins over the intent guess
        # ("tuesday afternoon works" can read as a greeting).
        choice = parse_slot_choice(turn.text_of(tracker), offered, tz, now=now)
        if choice is None and turn.is_interruption(tracker):
            return []

        if choice is None:
            return self._unclear(dispatcher, tracker)

        try:
            booking = svc.store.book(
                tracker.sender_id,
                start=choice.start,
                end=choice.end,
                time_zone=tz.key,
                token=secrets.token_urlsafe(24),
                now=now,
            )
        except SlotTakenError:
            dispatcher.utter_message(response="utter_slot_taken")
            return [SlotSet("meeting_slot", None)]

        logger.info("booking.created booking_id=%s", booking.id)
        value = {
            "start": choice.start.isoformat(),
            "end": choice.end.isoformat(),
            "time_zone": tz.key,
            "token": booking.token,
        }
        return [SlotSet("meeting_slot", value), SlotSet("unclear_turns", 0)]

    def _unclear(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        unclear = int(tracker.get_slot("unclear_turns") or 0) + 1
        declined = DECLINED.search(turn.text_of(tracker)) is not None
        if unclear < MAX_UNCLEAR_TURNS and not declined:
            return [SlotSet("meeting_slot", None), SlotSet("unclear_turns", unclear)]

        return [SlotSet("meeting_slot", DECLINED_SLOT), SlotSet("unclear_turns", 0)]


class ActionConfirmBooking(Action):
    """Confirm the booked demo with its time and a calendar file link."""

    def name(self) -> str:
        """Name the action that runs when the booking form is complete."""
        return "action_confirm_booking"

    @answers_gracefully
    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Utter the confirmation, or that a rep will be in touch."""
        svc = services()
        booked = tracker.get_slot("meeting_slot") or {}
        if booked.get("status") == "declined":
            dispatcher.utter_message(response="utter_slots_declined")
            return [SlotSet("offer", "done")]

        if not booked.get("token"):
            dispatcher.utter_message(response="utter_no_slots")
            return [SlotSet("offer", "done")]

        slot = Slot(start=_aware(booked["start"]), end=_aware(booked["end"]))
        tz = turn.visitor_zone(tracker, svc.settings.default_tz)
        dispatcher.utter_message(
            response="utter_booking_confirmed",
            when=format_slot(slot, tz),
            ics_url=f"{svc.settings.public_url}/bookings/{booked['token']}.ics",
        )
        return [SlotSet("offer", "done")]


def _offered(tracker: Tracker) -> list[Slot]:
    payloads: Any = tracker.get_slot("offered_slots") or []
    length = timedelta(minutes=services().availability.meeting_minutes)
    starts = [_aware(payload) for payload in payloads]
    return [Slot(start=start, end=start + length) for start in starts]


def _aware(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))
