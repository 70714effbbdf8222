"""Confirm an answer that contradicts an earlier one before keeping it."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions import turn
from bot.actions.extraction import save_answers
from bot.runtime import services
from qualifier.summary import LABELS, describe

logger = logging.getLogger(__name__)


class ActionConfirmChange(Action):
    """Ask, in one short question, whether a new value replaces the old one."""

    def name(self) -> str:
        """Name the action the conflict rule runs."""
        return "action_confirm_change"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Utter the question with the old and new values."""
        held: dict[str, Any] = tracker.get_slot("pending_change") or {}
        slot = held.get("slot", "")
        new = (held.get("values") or {}).get(slot)
        old = tracker.get_slot(slot)
        dispatcher.utter_message(
            response="utter_confirm_change",
            label=dict(LABELS).get(slot, slot).lower(),
            old=describe(old) or "nothing yet",
            new=describe(new) or "something new",
        )
        return []


class ActionApplyChange(Action):
    """Keep the held values; the contested one only if the visitor agreed."""

    def name(self) -> str:
        """Name the action that runs on the visitor's yes or no."""
        return "action_apply_change"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Set and store the accepted values, then clear the pending change."""
        held: dict[str, Any] = tracker.get_slot("pending_change") or {}
        values: dict[str, Any] = dict(held.get("values") or {})
        accepted = turn.intent_of(tracker) == "affirm"
        if not accepted:
            values.pop(held.get("slot", ""), None)

        logger.info("answer.change_confirmed accepted=%s", accepted)
        now = turn.sent_at(tracker, services().settings.default_tz)
        saved = save_answers(tracker, values, held.get("message", ""), now)

        cleared = [SlotSet("pending_change", None), SlotSet("change_pending", False)]
        applied = [SlotSet(slot, value) for slot, value in values.items()]
        return [*applied, *saved, *cleared]
