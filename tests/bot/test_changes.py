"""Contradicting answers are confirmed before they replace earlier ones."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.changes import ActionApplyChange, ActionConfirmChange
from bot.actions.extraction import ValidateSlotMappings
from bot.runtime import Services
from tests.bot.conftest import DOMAIN, MakeTracker

FORM = "qualification_form"
KNOWN = {
    "requested_slot": "authority",
    "company_size": {"employees": 40, "evidence": "40 people"},
}


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


@pytest.mark.asyncio
async def test_contradiction_is_held_not_overwritten(
    services: Services, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker("actually we're 80 people", active_loop=FORM, slots=KNOWN)

    slots = slot_events(
        await ValidateSlotMappings().run(CollectingDispatcher(), tracker, DOMAIN)
    )

    assert "company_size" not in slots
    assert slots["change_pending"] is True
    assert slots["pending_change"]["slot"] == "company_size"
    assert slots["pending_change"]["values"]["company_size"]["employees"] == 80


@pytest.mark.asyncio
async def test_confirm_change_names_old_and_new_values(
    services: Services, make_tracker: MakeTracker
) -> None:
    held = {"slot": "company_size", "values": {"company_size": {"employees": 80}}}
    tracker = make_tracker("x", slots={**KNOWN, "pending_change": held})
    dispatcher = CollectingDispatcher()

    await ActionConfirmChange().run(dispatcher, tracker, DOMAIN)

    message = dispatcher.messages[0]
    assert message["response"] == "utter_confirm_change"
    assert (message["old"], message["new"]) == ("40 people", "80 people")


@pytest.mark.asyncio
@pytest.mark.parametrize(("intent", "employees"), [("affirm", 80), ("deny", None)])
async def test_apply_change_follows_the_visitors_answer(
    services: Services, make_tracker: MakeTracker, intent: str, employees: int | None
) -> None:
    held = {
        "slot": "company_size",
        "values": {"company_size": {"employees": 80}, "industry": {"name": "fintech"}},
        "message": "we're an 80 person fintech",
    }
    tracker = make_tracker(
        "yes", intent=intent, slots={**KNOWN, "pending_change": held}
    )

    slots = slot_events(
        await ActionApplyChange().run(CollectingDispatcher(), tracker, DOMAIN)
    )

    assert slots.get("company_size", {}).get("employees") == employees
    assert slots["industry"] == {"name": "fintech"}
    assert slots["change_pending"] is False
    assert slots["pending_change"] is None
