"""The global extraction hook that runs after every visitor message."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from bot.actions.extraction import ValidateSlotMappings
from bot.runtime import Services
from tests.bot.conftest import DOMAIN, MakeTracker


async def run_hook(tracker: Any) -> dict[str, Any]:
    events = await ValidateSlotMappings().run(CollectingDispatcher(), tracker, DOMAIN)
    return {
        event["name"]: event["value"] for event in events if event["event"] == "slot"
    }


@pytest.mark.asyncio
async def test_extraction_fills_several_slots_from_one_message(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "I'm the CTO, we're about 120 people and need this live within 3 months",
        active_loop="qualification_form",
        slots={"requested_slot": "need"},
    )

    slots = await run_hook(tracker)

    assert slots["authority"]["decision_role"] == "decision-maker"
    assert slots["company_size"]["employees"] == 120
    assert slots["timing"]["status"] == "known"


@pytest.mark.asyncio
async def test_extraction_stores_each_value_with_its_evidence(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "between 10 and 20 thousand dollars",
        active_loop="qualification_form",
        slots={"requested_slot": "budget"},
    )

    await run_hook(tracker)

    lead = services.store.get_lead("visitor-1")
    assert lead is not None
    budget = next(answer for answer in lead.answers if answer.dimension == "budget")
    assert budget.value["min"] == 10000
    assert budget.value["max"] == 20000
    assert budget.message == "between 10 and 20 thousand dollars"
    assert budget.evidence


@pytest.mark.asyncio
async def test_extraction_opening_message_does_not_become_the_need(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "hi, we want a demo of your lead qualification chatbot", intent="request_demo"
    )

    slots = await run_hook(tracker)

    assert "need" not in slots


@pytest.mark.asyncio
@pytest.mark.parametrize("intent", ["ask_why", "human_handoff", "ask_pricing"])
async def test_extraction_skips_interruptions(
    services: Services, make_tracker: MakeTracker, intent: str
) -> None:
    tracker = make_tracker(
        "why do you need my budget of 50k?",
        intent=intent,
        active_loop="qualification_form",
        slots={"requested_slot": "budget"},
    )

    assert await run_hook(tracker) == {}


@pytest.mark.asyncio
async def test_extraction_keeps_contact_details_out_of_the_store_without_consent(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "you can reach me at jane@acme.io",
        active_loop="qualification_form",
        slots={"requested_slot": "budget"},
    )

    slots = await run_hook(tracker)

    assert slots["contact_email"]["value"] == "jane@acme.io"
    lead = services.store.get_lead("visitor-1")
    assert lead is None or lead.email is None
    assert lead is None or all(a.dimension != "contact_email" for a in lead.answers)


@pytest.mark.asyncio
async def test_extraction_saves_page_context_from_metadata(
    services: Services, make_tracker: MakeTracker
) -> None:
    metadata = {
        "page_url": "https://leadline.example/pricing",
        "referrer": "https://partner.example/",
        "utm": {"source": "partner", "campaign": "q4-launch"},
        "timezone": "Europe/Berlin",
    }
    tracker = make_tracker("hello", intent="greet", metadata=metadata)

    slots = await run_hook(tracker)

    assert slots["page_context"]["page_url"] == "https://leadline.example/pricing"
    lead = services.store.get_lead("visitor-1")
    assert lead is not None
    assert lead.utm == {"source": "partner", "campaign": "q4-launch"}
    assert lead.time_zone == "Europe/Berlin"


@pytest.mark.asyncio
async def test_extraction_keeps_answers_when_the_store_is_down_and_saves_them_later(
    services: Services, make_tracker: MakeTracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("INSERT", {}, Exception("database is down"))

    first = make_tracker(
        "around 50k a year",
        active_loop="qualification_form",
        slots={"requested_slot": "budget"},
    )
    with monkeypatch.context() as patch:
        patch.setattr(services.store, "record_answers", broken)
        kept = await run_hook(first)

    second = make_tracker(
        "by end of Q3",
        active_loop="qualification_form",
        slots={"requested_slot": "timing", "unsaved_answers": kept["unsaved_answers"]},
    )
    saved = await run_hook(second)

    assert kept["budget"]["min"] == 50000
    assert len(kept["unsaved_answers"]) == 1
    assert saved["unsaved_answers"] is None
    lead = services.store.get_lead("visitor-1")
    assert lead is not None
    assert [a.dimension for a in lead.answers] == ["budget", "timing"]
    assert lead.answers[0].message == "around 50k a year"


@pytest.mark.asyncio
async def test_extraction_question_after_the_summary_is_not_a_correction(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(
        "what integrations do you support?",
        intent="ask_integrations",
        confidence=0.6,
        slots={"summary_pending": True, "need": {"category": "lead-qualification"}},
    )

    slots = await run_hook(tracker)

    assert "need" not in slots
