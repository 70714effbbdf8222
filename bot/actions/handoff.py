"""Hand the conversation to a sales rep and pause the bot."""

from __future__ import annotations

import logging

import aiohttp
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions import turn
from bot.actions.edge import answers_gracefully
from bot.runtime import services
from qualifier import leads
from qualifier.outbox import deliver_due

logger = logging.getLogger(__name__)


class ActionHandoff(Action):
    """Record a handoff, notify the sales webhook and pause the bot."""

    def name(self) -> str:
        """Name the handoff action."""
        return "action_handoff"

    @answers_gracefully
    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Store the handoff with its notification, then try to deliver it."""
        svc = services()
        now = turn.sent_at(tracker, svc.settings.default_tz)
        reason = (
            "visitor-asked"
            if turn.intent_of(tracker) == "human_handoff"
            else "hot-lead"
        )
        notification = leads.handoff_notification(
            svc.store, tracker.sender_id, reason=reason, now=now
        )
        svc.store.record_handoff(
            tracker.sender_id,
            reason=reason,
            notification=notification,
            target_url=svc.settings.handoff_webhook_url,
            now=now,
        )
        logger.info("lead.handed_off reason=%s", reason)
        await _deliver_now(svc.settings.webhook_secret)

        available = svc.settings.rep_available
        dispatcher.utter_message(
            response="utter_handoff" if available else "utter_handoff_later"
        )
        # The rules expect the loop closed whether or not a form was open.
        return [SlotSet("offer", "done"), ActiveLoop(None), ConversationPaused()]


async def _deliver_now(secret: bytes) -> None:
    # Failures stay in the outbox; the delivery worker retries them.
    async with aiohttp.ClientSession() as session:
        await deliver_due(services().store, secret=secret, session=session)
