"""Understand every visitor message, whatever question is open."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from bot.actions import turn
from bot.runtime import services
from qualifier import leads
from qualifier.answers import page_context, page_context_json, slot_values
from qualifier.changes import change_to_confirm
from qualifier.facts import MessageContext

logger = logging.getLogger(__name__)

# The message that opens the conversation names no problem yet, even when the
# extractor finds need-like words in it ("I want a demo of lead scoring").
OPENING_INTENTS = frozenset({"request_demo"})
# The extractor names contact fields without the slot prefix.
EXPECTED_NAMES = {"contact_name": "name", "contact_email": "email"}


class ValidateSlotMappings(Action):
    """Run extraction on each message and fill every slot it understood."""

    def name(self) -> str:
        """Name the global slot-mapping hook Rasa calls after each message."""
        return "action_validate_slot_mappings"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Extract values from the latest message and store them as evidence."""
        svc = services()
        tz = turn.visitor_zone(tracker, svc.settings.default_tz)
        now = turn.sent_at(tracker, tz)
        events = self._page_events(tracker, now)

        values = self._understood(tracker, now)
        conflict = self._conflict(tracker, values)
        if conflict:
            held = {
                "slot": conflict,
                "values": values,
                "message": turn.text_of(tracker),
            }
            return [
                *events,
                SlotSet("pending_change", held),
                SlotSet("change_pending", True),
            ]

        events += [SlotSet(slot, value) for slot, value in values.items()]
        events += save_answers(tracker, values, turn.text_of(tracker), now)

        return events

    def _conflict(self, tracker: Tracker, values: dict[str, Any]) -> str | None:
        # Inside the questions a contradiction is confirmed; after the summary
        # the visitor is correcting on purpose, so the new value simply wins.
        if tracker.active_loop_name != "qualification_form" or not values:
            return None

        return change_to_confirm(tracker.current_slot_values(), values)

    def _page_events(self, tracker: Tracker, now: Any) -> list[EventType]:
        page = turn.page_of(tracker)
        reported = page_context(turn.metadata_of(tracker))
        if reported is None or reported == page:
            return []

        try:
            services().store.save_page_context(
                tracker.sender_id,
                reported,
                time_zone=turn.metadata_of(tracker).get("timezone"),
                now=now,
            )
        except SQLAlchemyError:
            # Not remembered as saved, so the next message tries again.
            logger.exception("lead.page_context_failed")
            return []

        return [SlotSet("page_context", page_context_json(reported))]

    def _understood(self, tracker: Tracker, now: Any) -> dict[str, Any]:
        text = turn.text_of(tracker)
        intent = turn.intent_of(tracker)
        if not text.strip() or text.startswith("/") or turn.is_interruption(tracker):
            return {}

        # Outside the questions a low-confidence interruption is still not an
        # answer: "what integrations do you support?" must not become the need.
        if tracker.active_loop_name is None and intent in turn.INTERRUPTIONS:
            return {}

        if tracker.active_loop_name == "booking_form":
            return {}

        expected = None
        if tracker.active_loop_name == "qualification_form":
            requested = tracker.get_slot("requested_slot")
            expected = EXPECTED_NAMES.get(requested, requested)

        context = MessageContext(now=now, tz=now.tzinfo, expected=expected)
        values = slot_values(services().extractor.extract(text, context))
        if expected != "need" and intent in OPENING_INTENTS:
            values.pop("need", None)

        # An answer about something else ("we have 30k for this") is not the
        # problem the visitor wants solved, unless it names one.
        need = values.get("need") or {}
        other_answers = set(values) - {"need", "trial", "industry"}
        if expected == "need" and other_answers and not need.get("category"):
            values.pop("need", None)

        return values


def save_answers(
    tracker: Tracker, values: dict[str, Any], message: str, now: Any
) -> list[EventType]:
    """Store understood values as evidence and rescore the lead.

    Answers that cannot be stored (the database is down) are kept in a slot
    and stored with the next message, so none is lost.

    Returns:
        Events that keep or clear the backlog of unsaved answers.
    """
    had_backlog = bool(tracker.get_slot("unsaved_answers"))
    backlog = list(tracker.get_slot("unsaved_answers") or [])
    if values:
        backlog.append({"message": message, "values": values})

    while backlog:
        try:
            _record(tracker, backlog[0]["values"], backlog[0]["message"], now)
        except SQLAlchemyError:
            logger.exception("lead.store_failed pending=%d", len(backlog))
            return [SlotSet("unsaved_answers", backlog)]

        backlog.pop(0)

    # The slots already hold every earlier answer, so one score covers them all.
    _rescore(tracker, values, now)
    return [SlotSet("unsaved_answers", None)] if had_backlog else []


def _record(tracker: Tracker, values: dict[str, Any], message: str, now: Any) -> None:
    leads.record_answers(
        services().store,
        tracker.sender_id,
        message=message,
        values=values,
        consent_given=turn.consent_given(tracker),
        now=now,
    )
    logger.debug("turn.understood slots=%s", ",".join(sorted(values)))


def _rescore(tracker: Tracker, values: dict[str, Any], now: Any) -> None:
    svc = services()
    try:
        leads.rescore(
            svc.store,
            tracker.sender_id,
            slots={**tracker.current_slot_values(), **values},
            page=turn.page_of(tracker),
            profile=svc.profile,
            now=now,
        )
    except SQLAlchemyError:
        # The answers are stored; the next message scores the lead again.
        logger.warning("lead.rescore_failed", exc_info=True)
