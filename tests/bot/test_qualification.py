"""The qualification form's validation, questions, summary and scoring."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.qualification import (
    ActionAskBudget,
    ActionExplainQuestion,
    ActionQualifyLead,
    ActionSummarize,
    ValidateQualificationForm,
)
from bot.runtime import Services
from tests.bot.conftest import DOMAIN, MakeTracker

FORM = "qualification_form"


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        event["name"]: event["value"] for event in events if event["event"] == "slot"
    }


async def validate(tracker: Any) -> tuple[dict[str, Any], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = await ValidateQualificationForm().run(dispatcher, tracker, DOMAIN)
    return slot_events(events), dispatcher


@pytest.mark.asyncio
async def test_validate_steps_aside_for_interruptions(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "why do you need that?",
        intent="ask_why",
        active_loop=FORM,
        slots={"requested_slot": "budget"},
    )

    slots, _ = await validate(tracker)

    assert slots == {}


@pytest.mark.asyncio
async def test_validate_records_not_sure_as_unknown(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "not sure",
        intent="not_sure",
        active_loop=FORM,
        slots={"requested_slot": "budget"},
    )

    slots, dispatcher = await validate(tracker)

    assert slots["budget"]["status"] == "unknown"
    assert [m["response"] for m in dispatcher.messages] == ["utter_noted_unknown"]


@pytest.mark.asyncio
async def test_validate_moves_on_after_two_unclear_replies(
    services: Services, make_tracker: MakeTracker
) -> None:
    first = make_tracker(
        "hmm", active_loop=FORM, slots={"requested_slot": "timing", "unclear_turns": 0}
    )
    second = make_tracker(
        "hmm", active_loop=FORM, slots={"requested_slot": "timing", "unclear_turns": 1}
    )

    after_first, _ = await validate(first)
    after_second, dispatcher = await validate(second)

    assert after_first == {"unclear_turns": 1}
    assert after_second["timing"]["status"] == "skipped"
    assert [m["response"] for m in dispatcher.messages] == ["utter_unclear_moving_on"]


@pytest.mark.asyncio
async def test_validate_no_to_budget_means_no_budget(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "no", intent="deny", active_loop=FORM, slots={"requested_slot": "budget"}
    )

    slots, _ = await validate(tracker)

    assert slots["budget"]["status"] == "none"


@pytest.mark.asyncio
async def test_validate_consent_records_time_version_and_known_contact(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "yes",
        intent="affirm",
        active_loop=FORM,
        slots={
            "requested_slot": "consent",
            "contact_email": {"value": "jane@acme.io", "evidence": "jane@acme.io"},
        },
    )

    slots, _ = await validate(tracker)

    assert slots["consent"]["given"] is True
    lead = services.store.get_lead("visitor-1")
    assert lead is not None
    assert lead.consent_version == slots["consent"]["version"]
    assert lead.consent_at is not None
    assert lead.email == "jane@acme.io"


@pytest.mark.asyncio
async def test_validate_refused_consent_withholds_contact_slots(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "no thanks",
        intent="deny",
        active_loop=FORM,
        slots={"requested_slot": "consent"},
    )

    slots, _ = await validate(tracker)

    assert slots["consent"]["given"] is False
    assert slots["contact_email"]["status"] == "withheld"
    assert slots["contact_name"]["status"] == "withheld"
    assert slots["company"]["status"] == "withheld"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("unclear", "response"), [(0, "utter_ask_budget"), (1, "utter_ask_budget_choices")]
)
async def test_ask_budget_offers_choices_after_an_unclear_reply(
    services: Services, make_tracker: MakeTracker, unclear: int, response: str
) -> None:
    tracker = make_tracker("hmm", active_loop=FORM, slots={"unclear_turns": unclear})
    dispatcher = CollectingDispatcher()

    await ActionAskBudget().run(dispatcher, tracker, DOMAIN)

    assert [m["response"] for m in dispatcher.messages] == [response]


@pytest.mark.asyncio
async def test_explain_question_names_the_open_question(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker("why?", intent="ask_why", slots={"requested_slot": "budget"})
    dispatcher = CollectingDispatcher()

    await ActionExplainQuestion().run(dispatcher, tracker, DOMAIN)

    assert [m["response"] for m in dispatcher.messages] == ["utter_explain_budget"]


HOT_SLOTS = {
    "need": {
        "category": "lead-qualification",
        "pain": "reps drown in leads",
        "urgent": True,
    },
    "company_size": {"employees": 200},
    "industry": {"name": "saas"},
    "budget": {
        "status": "known",
        "min": 60000,
        "max": 60000,
        "currency": "USD",
        "period": "year",
    },
    "authority": {
        "title": "CEO",
        "seniority": "c-level",
        "decision_role": "decision-maker",
    },
    "timing": {"status": "known", "start": "2026-12-04", "end": "2026-12-31"},
    "contact_email": {"value": "jane@acme.io"},
}
COLD_SLOTS = {
    "need": {"status": "unknown"},
    "budget": {"status": "none"},
    "authority": {
        "title": None,
        "seniority": "individual-contributor",
        "decision_role": "user",
    },
    "timing": {"status": "none"},
    "contact_email": {"value": "someone@gmail.com"},
}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("slots", "offer", "tier"),
    [(HOT_SLOTS, "handoff", "hot"), (COLD_SLOTS, "followup", "cold")],
    ids=["hot-lead-gets-live-handoff", "cold-lead-gets-resources"],
)
async def test_qualify_lead_scores_and_offers_next_step(
    services: Services,
    make_tracker: MakeTracker,
    slots: dict[str, Any],
    offer: str,
    tier: str,
) -> None:
    tracker = make_tracker("yes", intent="affirm", slots=slots)

    events = await ActionQualifyLead().run(CollectingDispatcher(), tracker, DOMAIN)

    assert slot_events(events)["offer"] == offer
    lead = services.store.get_lead("visitor-1")
    assert lead is not None
    assert lead.tier == tier
    assert lead.status == "qualified"
    assert lead.score_breakdown


@pytest.mark.asyncio
async def test_summarize_lists_answers_and_waits_for_confirmation(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "x",
        slots={**HOT_SLOTS, "budget": {"status": "known", "evidence": "60k a year"}},
    )
    dispatcher = CollectingDispatcher()

    events = await ActionSummarize().run(dispatcher, tracker, DOMAIN)

    assert slot_events(events) == {"summary_pending": True}
    summary = dispatcher.messages[0]["summary"]
    assert "Budget: 60k a year" in summary
    assert "Email: jane@acme.io" in summary


@pytest.mark.asyncio
async def test_validate_counts_nothing_when_the_form_starts(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker("I'd like a demo", intent="request_demo", active_loop=FORM)

    slots, _ = await validate(tracker)

    assert slots == {}


@pytest.mark.asyncio
async def test_qualify_lead_never_books_a_second_demo(
    services: Services, make_tracker: MakeTracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    offline = replace(
        services, settings=replace(services.settings, rep_available=False)
    )
    monkeypatch.setattr("bot.actions.qualification.services", lambda: offline)
    start = datetime(2026, 12, 8, 9, tzinfo=UTC)
    services.store.book(
        "visitor-1",
        start=start,
        end=start + timedelta(minutes=30),
        time_zone="UTC",
        token="t" * 24,
        now=start - timedelta(days=2),
    )
    tracker = make_tracker("yes", intent="affirm", slots=HOT_SLOTS)
    dispatcher = CollectingDispatcher()

    events = await ActionQualifyLead().run(dispatcher, tracker, DOMAIN)

    assert slot_events(events)["offer"] == "done"
    assert [m["response"] for m in dispatcher.messages] == ["utter_already_booked"]
