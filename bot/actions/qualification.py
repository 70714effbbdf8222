"""The qualification form: validation, questions, summary and scoring."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions import turn
from bot.actions.edge import answers_gracefully
from bot.runtime import services
from qualifier import leads
from qualifier.answers import CONTACT_SLOTS, SKIPPED, WITHHELD, placeholder
from qualifier.settings import CONSENT_VERSION
from qualifier.summary import summarize

logger = logging.getLogger(__name__)

MAX_UNCLEAR_TURNS = 2
# What "no" means when it answers each question.
NO_MEANS = {"budget": "none", "timing": "none"}


class ValidateQualificationForm(Action):
    """Decide what the visitor's reply to an open question means."""

    def name(self) -> str:
        """Name the validation action Rasa calls for the form."""
        return "validate_qualification_form"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Accept what was understood; count unclear replies; step aside."""
        requested = tracker.get_slot("requested_slot")
        intent = turn.intent_of(tracker)
        if tracker.get_slot("change_pending"):
            # A contradiction waits for the visitor's yes or no; a rule asks.
            return []

        answered = turn.slots_set_this_turn(tracker)
        if intent in turn.INTERRUPTIONS and (
            turn.is_interruption(tracker) or not answered
        ):
            return []

        if requested is None:
            # The form is starting: nothing was asked, so nothing is unclear.
            return []

        if requested == "consent":
            return self._consent(dispatcher, tracker, intent)

        if tracker.get_slot(requested) is not None:
            return [SlotSet("unclear_turns", 0)]

        if answered:
            return [SlotSet("unclear_turns", tracker.get_slot("unclear_turns") or 0)]

        if intent == "not_sure":
            dispatcher.utter_message(response="utter_noted_unknown")
            return self._leave_open(tracker, requested, "unknown")

        if requested in NO_MEANS and intent == "deny":
            return self._leave_open(tracker, requested, NO_MEANS[requested])

        return self._unclear(dispatcher, tracker, requested)

    def _consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, intent: str | None
    ) -> list[EventType]:
        svc = services()
        now = turn.sent_at(tracker, svc.settings.default_tz)
        # Volunteering contact details in reply to the consent question agrees too.
        offered = set(turn.slots_set_this_turn(tracker)) & set(CONTACT_SLOTS)
        if intent == "affirm" or (offered and intent != "deny"):
            svc.store.update_lead(
                tracker.sender_id,
                now=now,
                consent_at=now,
                consent_version=CONSENT_VERSION,
                **leads.contact_columns(tracker.current_slot_values()),
            )
            logger.info("lead.consent_given version=%s", CONSENT_VERSION)
            consent = {"given": True, "at": now.isoformat(), "version": CONSENT_VERSION}
            return [SlotSet("consent", consent), SlotSet("unclear_turns", 0)]

        if intent == "deny":
            return _refused_consent(now.isoformat())

        return self._unclear(dispatcher, tracker, "consent")

    def _leave_open(
        self, tracker: Tracker, requested: str, status: str
    ) -> list[EventType]:
        value = placeholder(status)
        svc = services()
        now = turn.sent_at(tracker, svc.settings.default_tz)
        leads.record_answers(
            svc.store,
            tracker.sender_id,
            message=turn.text_of(tracker),
            values={requested: {**value, "evidence": turn.text_of(tracker)}},
            consent_given=turn.consent_given(tracker),
            now=now,
        )
        return [SlotSet(requested, value), SlotSet("unclear_turns", 0)]

    def _unclear(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, requested: str
    ) -> list[EventType]:
        unclear = int(tracker.get_slot("unclear_turns") or 0) + 1
        if turn.intent_of(tracker) == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")

        if unclear < MAX_UNCLEAR_TURNS:
            return [SlotSet("unclear_turns", unclear)]

        dispatcher.utter_message(response="utter_unclear_moving_on")
        if requested == "consent":
            now = turn.sent_at(tracker, services().settings.default_tz)
            return _refused_consent(now.isoformat())

        return [
            SlotSet(requested, placeholder(SKIPPED)),
            SlotSet("unclear_turns", 0),
        ]


def _refused_consent(at: str) -> list[EventType]:
    """Record that consent was not given and leave every contact slot empty."""
    consent = {"given": False, "at": at, "version": CONSENT_VERSION}
    withheld = [SlotSet(slot, placeholder(WITHHELD)) for slot in CONTACT_SLOTS]
    return [SlotSet("consent", consent), *withheld, SlotSet("unclear_turns", 0)]


class _AskWithChoices(Action):
    """Ask a question plainly, or with choices once a reply was unclear."""

    slot = ""

    def name(self) -> str:
        """Name the ask action Rasa's form calls for this slot."""
        return f"action_ask_{self.slot}"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Utter the question, with buttons after an unclear reply."""
        unclear = int(tracker.get_slot("unclear_turns") or 0)
        suffix = "_choices" if unclear else ""
        dispatcher.utter_message(response=f"utter_ask_{self.slot}{suffix}")
        return []


class ActionAskBudget(_AskWithChoices):
    """Ask for the budget."""

    slot = "budget"


class ActionAskAuthority(_AskWithChoices):
    """Ask for the visitor's role in the decision."""

    slot = "authority"


class ActionAskTiming(_AskWithChoices):
    """Ask when a solution is needed."""

    slot = "timing"


class ActionAskCompanySize(_AskWithChoices):
    """Ask how many people work at the company."""

    slot = "company_size"


class ActionExplainQuestion(Action):
    """Say why the open question is asked; the form then asks it again."""

    def name(self) -> str:
        """Name the action the ask-why rule runs."""
        return "action_explain_question"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Utter the explanation that belongs to the requested slot."""
        requested = tracker.get_slot("requested_slot")
        response = f"utter_explain_{requested}"
        if response not in domain.get("responses", {}):
            response = "utter_explain_default"

        dispatcher.utter_message(response=response)
        return []


class ActionSummarize(Action):
    """Sum up what was understood and ask the visitor to confirm it."""

    def name(self) -> str:
        """Name the action that runs when the form is complete."""
        return "action_summarize"

    @answers_gracefully
    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Utter the summary with confirm buttons."""
        summary = summarize(tracker.current_slot_values())
        dispatcher.utter_message(response="utter_summary", summary=summary)
        return [SlotSet("summary_pending", True)]


class ActionQualifyLead(Action):
    """Score the confirmed lead and offer the next step that fits its tier."""

    def name(self) -> str:
        """Name the action that runs once the summary is confirmed."""
        return "action_qualify_lead"

    @answers_gracefully
    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Score, save, and utter the offer."""
        svc = services()
        now = turn.sent_at(tracker, svc.settings.default_tz)
        score = leads.rescore(
            svc.store,
            tracker.sender_id,
            slots=tracker.current_slot_values(),
            page=turn.page_of(tracker),
            profile=svc.profile,
            now=now,
            status="qualified",
        )
        offer = leads.next_offer(score, rep_available=svc.settings.rep_available)
        if offer == "booking" and _already_booked(tracker.sender_id):
            # A second summary (a correction, a resent button) books nothing new.
            offer = "done"
        logger.info(
            "lead.qualified tier=%s stage=%s score=%.1f offer=%s",
            score.tier,
            score.stage,
            score.total,
            offer,
        )
        dispatcher.utter_message(response=_OFFER_RESPONSES[offer])
        return [SlotSet("summary_pending", False), SlotSet("offer", offer)]


def _already_booked(sender_id: str) -> bool:
    lead = services().store.get_lead(sender_id)
    return lead is not None and bool(lead.bookings)


_OFFER_RESPONSES: dict[str, Any] = {
    "handoff": "utter_offer_handoff",
    "booking": "utter_offer_booking",
    "followup": "utter_offer_resources",
    "closed": "utter_goodbye",
    "done": "utter_already_booked",
}
