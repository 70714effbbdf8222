"""A console app on a fresh store and tracker file, and signed-in clients."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from bot.console import setup_console
from bot.console.keys import ConsoleConfig
from bot.web import create_app
from qualifier.settings import load_settings
from qualifier.store import LeadStore
from qualifier.users import Accounts

PUBLIC_URL = "http://127.0.0.1:8080"
REP_EMAIL = "rep@example.com"
REP_PASSWORD = "correct horse battery"
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')

SeedLead = Callable[..., int]
TrackerEvents = Callable[[list[tuple[str, str, float, dict[str, Any]]]], None]


@pytest.fixture
def tracker_path(tmp_path: Path) -> Path:
    """Return a tracker store SQLite file with Rasa's events table, empty."""
    path = tmp_path / "tracker.db"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) "
            "NOT NULL, type_name VARCHAR(255) NOT NULL, timestamp FLOAT, "
            "intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
        )

    return path


@pytest.fixture
def add_events(tracker_path: Path) -> TrackerEvents:
    """Append (sender_id, type_name, timestamp, data) rows to the tracker file."""

    def add(rows: list[tuple[str, str, float, dict[str, Any]]]) -> None:
        with sqlite3.connect(tracker_path) as connection:
            connection.executemany(
                "INSERT INTO events (sender_id, type_name, timestamp, data) "
                "VALUES (?, ?, ?, ?)",
                [
                    (sender, kind, stamp, json.dumps(data))
                    for sender, kind, stamp, data in rows
                ],
            )

    return add


@pytest.fixture
def seed_lead(store: LeadStore) -> SeedLead:
    """Create a lead with the given columns and return its id."""

    def seed(sender_id: str, *, now: datetime = NOW, **fields: Any) -> int:
        store.ensure_lead(sender_id, now=now)
        if fields:
            store.update_lead(sender_id, now=now, **fields)

        lead = store.get_lead(sender_id)
        assert lead is not None
        return lead.id

    return seed


@pytest.fixture
def rep_id(store: LeadStore) -> int:
    """Create the console user the tests sign in as."""
    return Accounts(store).create_user(REP_EMAIL, REP_PASSWORD, is_admin=False, now=NOW)


@pytest_asyncio.fixture
async def client(
    store: LeadStore, tracker_path: Path
) -> AsyncIterator[TestClient[Any, Any]]:
    """Serve the web app with the console mounted, not signed in."""
    settings = load_settings({"LEADLINE_PUBLIC_URL": PUBLIC_URL})
    app = create_app(settings, store, worker=False)
    config = ConsoleConfig(public_url=PUBLIC_URL, poll_interval=0.05, stream_lifetime=3)
    setup_console(
        app,
        store=store,
        settings=settings,
        tracker_url=f"sqlite:///{tracker_path}",
        config=config,
    )
    test_client: TestClient[Any, Any] = TestClient(TestServer(app))
    await test_client.start_server()
    yield test_client
    await test_client.close()


@pytest_asyncio.fixture
async def rep(client: TestClient[Any, Any], rep_id: int) -> TestClient[Any, Any]:
    """Return the client signed in as the test rep."""
    await sign_in(client, REP_EMAIL, REP_PASSWORD)
    return client


async def sign_in(client: TestClient[Any, Any], email: str, password: str) -> int:
    """Sign in through the login form; return the status of the POST."""
    page = await client.get("/console/login")
    token = csrf_in(await page.text())
    response = await client.post(
        "/console/login",
        data={"email": email, "password": password, "csrf_token": token},
        headers={"Origin": PUBLIC_URL},
        allow_redirects=False,
    )
    return response.status


def csrf_in(html: str) -> str:
    """Return the CSRF token of the first form in a page."""
    found = CSRF_PATTERN.search(html)
    assert found is not None, "no csrf_token field in the page"
    return found.group(1)


async def session_csrf(client: TestClient[Any, Any]) -> str:
    """Return the CSRF token of the signed-in session, read from a page."""
    page = await client.get("/console/embed")
    return csrf_in(await page.text())
