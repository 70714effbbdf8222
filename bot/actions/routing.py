"""Visitors who are not leads: support requests and those who are not a fit."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions import turn
from bot.actions.edge import answers_gracefully
from bot.runtime import services
from qualifier import leads

logger = logging.getLogger(__name__)

NOT_A_FIT = {
    "student": "utter_not_fit_student",
    "job_seeker": "utter_not_fit_job_seeker",
    "vendor_pitch": "utter_not_fit_vendor",
}


class ActionRouteSupport(Action):
    """Send an existing customer to support; the chat is not kept as a lead."""

    def name(self) -> str:
        """Name the support routing action."""
        return "action_route_support"

    @answers_gracefully
    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Mark any lead row as support and point to the support team."""
        svc = services()
        if svc.store.get_lead(tracker.sender_id) is not None:
            now = turn.sent_at(tracker, svc.settings.default_tz)
            svc.store.update_lead(tracker.sender_id, now=now, status="support")

        logger.info("conversation.routed_to_support")
        dispatcher.utter_message(response="utter_support")
        return _closing_events(tracker)


class ActionDisqualify(Action):
    """Close politely with a student, job seeker or vendor; store why."""

    def name(self) -> str:
        """Name the disqualification action."""
        return "action_disqualify"

    @answers_gracefully
    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Store the lead as disqualified with the reason and say goodbye."""
        if not turn.is_interruption(tracker):
            # A guess is not enough to close the door on a possible buyer.
            dispatcher.utter_message(response="utter_ask_what_brings_you")
            return [ActiveLoop(None)]

        svc = services()
        intent = turn.intent_of(tracker) or "vendor_pitch"
        reason = intent.replace("_", "-")
        now = turn.sent_at(tracker, svc.settings.default_tz)
        leads.rescore(
            svc.store,
            tracker.sender_id,
            slots=tracker.current_slot_values(),
            page=turn.page_of(tracker),
            profile=svc.profile,
            now=now,
            disqualified=reason,
            status="disqualified",
            disqualified_reason=reason,
        )
        logger.info("lead.disqualified reason=%s", reason)
        dispatcher.utter_message(response=NOT_A_FIT.get(intent, "utter_not_fit_vendor"))
        return _closing_events(tracker)


class ActionRecordFollowup(Action):
    """Record whether a cold lead agreed to a follow-up email."""

    def name(self) -> str:
        """Name the follow-up consent action."""
        return "action_record_followup"

    @answers_gracefully
    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Store the answer and close."""
        svc = services()
        agreed = turn.intent_of(tracker) == "affirm"
        now = turn.sent_at(tracker, svc.settings.default_tz)
        svc.store.update_lead(tracker.sender_id, now=now, followup_consent=agreed)
        logger.info("lead.followup_recorded agreed=%s", agreed)
        dispatcher.utter_message(
            response="utter_followup_yes" if agreed else "utter_followup_no"
        )
        return [SlotSet("offer", "done")]


def _closing_events(tracker: Tracker) -> list[EventType]:
    # The rules expect the loop closed whether or not a form was open.
    return [SlotSet("offer", "closed"), ActiveLoop(None)]
