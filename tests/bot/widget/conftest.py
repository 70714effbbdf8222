"""A fake Rasa server and the gateway in front of it, both on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.widget import Limits, setup_widget
from tests.bot.widget.fake_rasa import TOKEN, FakeRasa

ORIGIN = "http://127.0.0.1:8080"
FAST_LIMITS = Limits(poll_seconds=0.05, stream_seconds=5.0, rasa_timeout=5.0)


@pytest_asyncio.fixture
async def fake_rasa() -> AsyncIterator[tuple[FakeRasa, str]]:
    """Run the fake Rasa on a free loopback port; yield it and its URL."""
    fake = FakeRasa()
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    yield fake, str(server.make_url("")).rstrip("/")
    await server.close()


def gateway_app(rasa_url: str, limits: Limits = FAST_LIMITS) -> web.Application:
    """Build a bare app with only the widget routes."""
    app = web.Application(client_max_size=64 * 1024)
    setup_widget(
        app,
        rasa_url=rasa_url,
        allowed_origins=[ORIGIN, "http://localhost:8080"],
        api_token=TOKEN,
        limits=limits,
    )
    return app


@pytest_asyncio.fixture
async def client(fake_rasa: tuple[FakeRasa, str]) -> AsyncIterator[TestClient]:
    """Return a test client of the gateway in front of the fake Rasa."""
    _, url = fake_rasa
    async with TestClient(TestServer(gateway_app(url), host="127.0.0.1")) as client:
        yield client
