"""Hand-built trackers and test services for the action tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker

from bot import runtime
from qualifier.booking import load_availability
from qualifier.extract import Extractor
from qualifier.profile import default_profile_path, load_profile
from qualifier.settings import PROJECT_ROOT, load_settings
from qualifier.store import LeadStore

# Friday 4 December 2026, 12:00 UTC, as a Rasa event timestamp.
SENT_AT = 1796385600.0
DOMAIN: dict[str, Any] = {
    "responses": {
        "utter_explain_budget": [{"text": "why budget"}],
        "utter_explain_default": [{"text": "why"}],
    }
}

MakeTracker = Callable[..., Tracker]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """Load the extraction pipeline once for the session."""
    return Extractor.load()


@pytest.fixture
def services(
    tmp_path: Path, extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> Iterator[runtime.Services]:
    """Install test services (fresh SQLite store) where actions look them up."""
    settings = load_settings(
        {
            "LEADLINE_DATABASE_URL": f"sqlite:///{tmp_path}/leads.db",
            "LEADLINE_HANDOFF_WEBHOOK_URL": "http://127.0.0.1:9/closed",
            "LEADLINE_REP_AVAILABLE": "true",
        }
    )
    store = LeadStore.connect(settings.database_url)
    store.migrate()
    built = runtime.Services(
        settings=settings,
        store=store,
        extractor=extractor,
        profile=load_profile(default_profile_path("bant")),
        availability=load_availability(PROJECT_ROOT / "config" / "availability.yml"),
    )
    monkeypatch.setattr(runtime, "services", lambda: built)
    for module in ("extraction", "qualification", "booking", "handoff", "routing"):
        monkeypatch.setattr(f"bot.actions.{module}.services", lambda: built)

    yield built
    store.engine.dispose()


def _slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value, "timestamp": SENT_AT}


@pytest.fixture
def make_tracker() -> MakeTracker:
    """Build a tracker whose latest message is ``text`` with ``intent``."""

    def build(
        text: str,
        intent: str = "inform",
        *,
        slots: dict[str, Any] | None = None,
        active_loop: str | None = None,
        metadata: dict[str, Any] | None = None,
        set_this_turn: dict[str, Any] | None = None,
        sender_id: str = "visitor-1",
        confidence: float = 0.95,
    ) -> Tracker:
        message = {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": [],
            "metadata": metadata or {},
        }
        events: list[dict[str, Any]] = [
            {"event": "user", "timestamp": SENT_AT, "text": text, "parse_data": message}
        ]
        # Rasa sets requested_slot again in the tracker it sends to validation.
        if active_loop and slots and "requested_slot" in slots:
            events.append(_slot_event("requested_slot", slots["requested_slot"]))

        events += [
            _slot_event(name, value) for name, value in (set_this_turn or {}).items()
        ]
        all_slots = {**(slots or {}), **(set_this_turn or {})}
        return Tracker(
            sender_id=sender_id,
            slots=all_slots,
            latest_message=message,
            events=events,
            paused=False,
            followup_action=None,
            active_loop={"name": active_loop} if active_loop else {},
            latest_action_name="action_listen",
        )

    return build
