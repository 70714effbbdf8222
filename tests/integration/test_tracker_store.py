"""Rasa's SQL tracker store keeps transcripts across restarts, on PostgreSQL too.

Runs Rasa's own tracker store code in the Rasa environment, against the
PostgreSQL server named by LEADLINE_TEST_POSTGRES_URL.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

SAVE_AND_RELOAD = """
import asyncio
import sys
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered, BotUttered
from rasa.shared.core.trackers import DialogueStateTracker


async def main(url, sender):
    domain = Domain.load("domain.yml")
    tracker = DialogueStateTracker(sender, domain.slots)
    tracker.update(UserUttered("around 50k a year"))
    tracker.update(BotUttered("Thanks!"))
    await SQLTrackerStore(domain, host=url).save(tracker)

    # A new store object stands for a restarted server.
    reloaded = await SQLTrackerStore(domain, host=url).retrieve(sender)
    said = [e for e in reloaded.events if e.type_name in {"user", "bot"}]
    print([e.as_dict().get("text") for e in said])


asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_tracker_store_on_postgres_survives_a_restart() -> None:
    url = os.environ.get("LEADLINE_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("LEADLINE_REQUIRE_POSTGRES") == "1":
            pytest.fail(
                "LEADLINE_REQUIRE_POSTGRES=1 but LEADLINE_TEST_POSTGRES_URL is unset"
            )
        pytest.skip(
            "set LEADLINE_TEST_POSTGRES_URL to test the tracker store on PostgreSQL"
        )

    sender = f"tracker-test-{secrets.token_hex(4)}"
    result = subprocess.run(
        [str(ROOT / ".venvs/rasa/bin/python"), "-c", SAVE_AND_RELOAD, url, sender],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "['around 50k a year', 'Thanks!']"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("DELETE FROM events WHERE sender_id = :s"), {"s": sender}
        )
    engine.dispose()
