"""The web app's own routes: calendar files and health."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from bot.web import create_app
from qualifier.settings import load_settings
from qualifier.store import LeadStore

START = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
TOKEN = "Abcdefghijklmnopqrstuvwx"


@pytest_asyncio.fixture
async def client(tmp_path: Path) -> AsyncIterator[tuple[TestClient, LeadStore]]:
    settings = load_settings(
        {
            "LEADLINE_DATABASE_URL": f"sqlite:///{tmp_path}/leads.db",
            "LEADLINE_TRACKER_URL": f"sqlite:///{tmp_path}/tracker.db",
        }
    )
    store = LeadStore.connect(settings.database_url)
    store.migrate()
    app = create_app(settings, store, worker=False)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client, store


@pytest.mark.asyncio
async def test_web_serves_the_booking_calendar_file(
    client: tuple[TestClient, LeadStore],
) -> None:
    test_client, store = client
    store.book(
        "visitor-1",
        start=START,
        end=START + timedelta(minutes=30),
        time_zone="Europe/Berlin",
        token=TOKEN,
        now=START - timedelta(days=1),
    )

    response = await test_client.get(f"/bookings/{TOKEN}.ics")

    assert response.status == 200
    assert response.content_type == "text/calendar"
    body = await response.text()
    assert "BEGIN:VEVENT" in body
    assert "DTSTART:20261208T090000Z" in body


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "token", ["unknown-token-123456", "short", "%3Cscript%3Ealert(1)"]
)
async def test_web_unknown_booking_link_is_a_clear_404(
    client: tuple[TestClient, LeadStore], token: str
) -> None:
    test_client, _ = client

    response = await test_client.get(f"/bookings/{token}.ics")

    assert response.status == 404
    assert "No booking has that link" in await response.text()


@pytest.mark.asyncio
async def test_web_health(client: tuple[TestClient, LeadStore]) -> None:
    test_client, _ = client

    response = await test_client.get("/health")

    assert (await response.json()) == {"status": "ok"}


@pytest.mark.asyncio
async def test_web_calendar_file_of_a_lead_with_an_email_is_a_plain_event(
    client: tuple[TestClient, LeadStore],
) -> None:
    test_client, store = client
    now = START - timedelta(days=1)
    store.update_lead("visitor-2", now=now, email="maria@brightwave.io")
    store.book(
        "visitor-2",
        start=START,
        end=START + timedelta(minutes=30),
        time_zone="UTC",
        token=TOKEN,
        now=now,
    )

    response = await test_client.get(f"/bookings/{TOKEN}.ics")

    assert response.status == 200
    body = await response.text()
    assert "METHOD:PUBLISH" in body
    assert "ATTENDEE" not in body
