"""Rate limits, the reply cache, transcripts and settings of the widget."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.web import create_app
from bot.widget import load_widget_config
from bot.widget.limits import RateLimiter, ReplyCache
from bot.widget.transcript import attach_ids, message_from_event, message_from_reply
from qualifier.errors import SettingsError
from qualifier.settings import load_settings
from qualifier.store import LeadStore


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_refuses_past_the_limit_until_the_window_moves() -> None:
    clock = Clock()
    limiter = RateLimiter(2, window=60, clock=clock)
    limiter.hit("a")
    clock.now += 10
    limiter.hit("a")

    refused = limiter.retry_after("a")
    clock.now += 51
    allowed = limiter.retry_after("a")

    assert refused == 50
    assert allowed == 0


def test_rate_limiter_counts_keys_apart() -> None:
    limiter = RateLimiter(1, clock=Clock())
    limiter.hit("a")

    assert (limiter.retry_after("a") > 0, limiter.retry_after("b")) == (True, 0)


@pytest.mark.asyncio
async def test_reply_cache_forgets_a_failed_attempt() -> None:
    cache = ReplyCache(ttl=60)

    async def fail() -> None:
        raise RuntimeError("rasa down")

    task = cache.start("key", fail())
    with pytest.raises(RuntimeError):
        await task
    await asyncio.sleep(0)

    assert cache.get("key") is None


@pytest.mark.asyncio
async def test_reply_cache_expires_entries() -> None:
    clock = Clock()
    cache = ReplyCache(ttl=60, clock=clock)

    async def reply() -> str:
        return "ok"

    await cache.start("key", reply())
    fresh = cache.get("key")
    clock.now += 61

    assert fresh is not None
    assert cache.get("key") is None


def bot_event(text: str, timestamp: float, **metadata: Any) -> dict[str, Any]:
    """Return a Rasa bot event."""
    return {"event": "bot", "text": text, "timestamp": timestamp, "metadata": metadata}


def test_message_from_event_marks_rep_messages() -> None:
    message = message_from_event(bot_event("Hi, Dana here", 5.0, leadline_rep=True))

    assert message is not None
    assert (message["role"], message["rep"], message["id"]) == ("bot", True, 5.0)


def test_message_from_event_shows_button_title_for_user() -> None:
    event = {
        "event": "user",
        "text": "/affirm",
        "timestamp": 1.0,
        "metadata": {"shown_as": "Yes", "client_id": "c-12345678"},
    }

    message = message_from_event(event)

    assert message is not None
    assert (message["text"], message["client_id"]) == ("Yes", "c-12345678")


@pytest.mark.parametrize("kind", ["action", "slot", "session_started", None])
def test_message_from_event_skips_other_events(kind: str | None) -> None:
    assert message_from_event({"event": kind, "timestamp": 1.0}) is None


def test_message_from_reply_drops_malformed_buttons() -> None:
    reply = {"text": "Pick", "buttons": [{"title": "A", "payload": "a"}, {"title": 1}]}

    assert message_from_reply(reply)["buttons"] == [{"title": "A", "payload": "a"}]


def test_attach_ids_uses_the_turn_of_the_client_id() -> None:
    events = [
        {"event": "user", "timestamp": 1.0, "metadata": {"client_id": "old"}},
        bot_event("Hello", 2.0),
        {"event": "user", "timestamp": 3.0, "metadata": {"client_id": "new"}},
        {"event": "action", "timestamp": 3.5},
        bot_event("Hello", 4.0),
        bot_event("Second", 5.0),
    ]
    replies = [
        message_from_reply({"text": "Hello"}),
        message_from_reply({"text": "Second"}),
    ]

    attach_ids(replies, events, "new")

    assert [reply["id"] for reply in replies] == [4.0, 5.0]


def test_load_widget_config_defaults_to_the_public_url() -> None:
    config = load_widget_config({"LEADLINE_PUBLIC_URL": "https://chat.example.com/"})

    assert config.rasa_url == "http://127.0.0.1:5005"
    assert config.allowed_origins == (
        "https://chat.example.com",
        "http://localhost:8080",
    )
    assert config.api_token == ""


def test_load_widget_config_reads_origins_and_token() -> None:
    env = {
        "LEADLINE_ALLOWED_ORIGINS": "https://www.example.com, https://Example.com/",
        "LEADLINE_API_TOKEN": "secret-token",
        "LEADLINE_RASA_URL": "http://127.0.0.1:5006/",
    }

    config = load_widget_config(env)

    assert config.allowed_origins == ("https://www.example.com", "https://example.com")
    assert (config.api_token, config.rasa_url) == (
        "secret-token",
        "http://127.0.0.1:5006",
    )


def test_load_widget_config_refuses_a_url_with_a_path() -> None:
    with pytest.raises(SettingsError, match="not an origin"):
        load_widget_config({"LEADLINE_ALLOWED_ORIGINS": "https://example.com/page"})


@pytest.mark.asyncio
async def test_setup_widget_fits_the_web_app(tmp_path: Path) -> None:
    settings = load_settings({"LEADLINE_DATABASE_URL": f"sqlite:///{tmp_path}/l.db"})
    store = LeadStore.connect(settings.database_url)
    store.migrate()
    # create_app wires the widget in itself.
    app = create_app(settings, store, worker=False)

    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        health = await client.get("/health")
        script = await client.get("/widget.js")

    assert (health.status, script.status) == (200, 200)
