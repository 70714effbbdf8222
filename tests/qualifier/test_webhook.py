"""Tests for webhook signing and delivery against a local aiohttp server."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from qualifier.errors import WebhookPayloadError
from qualifier.webhook import (
    SIGNATURE_HEADER,
    DeliveryResult,
    deliver,
    encode_payload,
    next_attempt_delay,
    sign_payload,
    signature_header,
    verify_signature,
)

SECRET = b"whsec_test"
BODY = b'{"lead_id":"L-1","tier":"hot"}'
TIMESTAMP = 1_700_000_000
PAYLOAD = {"tier": "hot", "lead_id": "L-1", "note": "caf\u00e9 \U0001f525"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def serve(routes: dict[str, Handler]) -> AsyncIterator[TestServer]:
    """Run an aiohttp server on 127.0.0.1 with POST routes."""
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_post(path, handler)

    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield server
    finally:
        await server.close()


def closed_port() -> int:
    """Return a loopback port that nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]

    return port


# --- signing ------------------------------------------------------------------


def test_sign_payload_matches_known_vector() -> None:
    signature = sign_payload(SECRET, BODY, TIMESTAMP)

    assert (
        signature == "e37cd7aed4dffa10b2ac4a4fe5ebde37a5d37c0c374b15b20db46e4e4b26b591"
    )


def test_verify_signature_accepts_own_header() -> None:
    header = signature_header(SECRET, BODY, TIMESTAMP)

    assert header.startswith(f"t={TIMESTAMP},v1=")
    assert verify_signature(SECRET, BODY, header, now=TIMESTAMP + 10)


@pytest.mark.parametrize(
    ("secret", "body", "now"),
    [
        pytest.param(b"other", BODY, TIMESTAMP, id="wrong-secret"),
        pytest.param(SECRET, BODY + b" ", TIMESTAMP, id="tampered-body"),
        pytest.param(SECRET, BODY, TIMESTAMP + 301, id="stale"),
        pytest.param(SECRET, BODY, TIMESTAMP - 301, id="from-the-future"),
    ],
)
def test_verify_signature_rejects_mismatch(
    secret: bytes, body: bytes, now: int
) -> None:
    header = signature_header(SECRET, BODY, TIMESTAMP)

    assert not verify_signature(secret, body, header, now=now)


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("", id="empty"),
        pytest.param("garbage", id="no-pairs"),
        pytest.param(f"t={TIMESTAMP}", id="no-signature"),
        pytest.param("v1=abc", id="no-timestamp"),
        pytest.param("t=soon,v1=abc", id="non-numeric-time"),
        pytest.param("t=\u00b2,v1=abc", id="unicode-digit"),
        pytest.param(f"t={TIMESTAMP},v1=\u00fc\u00fc", id="non-ascii-signature"),
    ],
)
def test_verify_signature_rejects_malformed_header(header: str) -> None:
    assert not verify_signature(SECRET, BODY, header, now=TIMESTAMP)


def test_verify_signature_accepts_any_listed_v1() -> None:
    good = sign_payload(SECRET, BODY, TIMESTAMP)
    header = f"t={TIMESTAMP},v1={'0' * 64},v1={good}"

    assert verify_signature(SECRET, BODY, header, now=TIMESTAMP)


def test_verify_signature_honours_tolerance() -> None:
    header = signature_header(SECRET, BODY, TIMESTAMP)

    assert verify_signature(SECRET, BODY, header, now=TIMESTAMP + 50, tolerance_s=60)
    assert not verify_signature(
        SECRET, BODY, header, now=TIMESTAMP + 70, tolerance_s=60
    )


# --- payload encoding ---------------------------------------------------------


def test_encode_payload_is_compact_sorted_utf8() -> None:
    body = encode_payload({"b": 1, "a": "caf\u00e9"})

    assert body == '{"a":"caf\u00e9","b":1}'.encode()


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"score": float("nan")}, id="nan"),
        pytest.param({"when": timedelta(1)}, id="not-json"),
    ],
)
def test_encode_payload_refuses_non_json(payload: dict[str, object]) -> None:
    with pytest.raises(WebhookPayloadError, match="plain JSON"):
        encode_payload(payload)


# --- retry schedule -----------------------------------------------------------


@pytest.mark.parametrize(
    ("attempt", "expected"),
    [
        pytest.param(1, timedelta(seconds=10), id="first"),
        pytest.param(2, timedelta(seconds=30), id="second"),
        pytest.param(3, timedelta(minutes=2), id="third"),
        pytest.param(4, timedelta(minutes=10), id="fourth"),
        pytest.param(5, timedelta(hours=1), id="cap"),
        pytest.param(500, timedelta(hours=1), id="far-past-cap"),
    ],
)
def test_next_attempt_delay_backs_off_to_cap(attempt: int, expected: timedelta) -> None:
    assert next_attempt_delay(attempt) == expected


def test_next_attempt_delay_never_shrinks() -> None:
    delays = [next_attempt_delay(attempt) for attempt in range(1, 12)]

    assert delays == sorted(delays)


def test_next_attempt_delay_rejects_attempt_zero() -> None:
    with pytest.raises(ValueError, match="got 0"):
        next_attempt_delay(0)


# --- delivery -----------------------------------------------------------------


@pytest.mark.asyncio
async def test_deliver_sends_verifiable_signed_json() -> None:
    received: list[tuple[bytes, dict[str, str]]] = []

    async def accept(request: web.Request) -> web.Response:
        received.append((await request.read(), dict(request.headers)))
        return web.Response(status=204)

    async with serve({"/hook": accept}) as server, aiohttp.ClientSession() as session:
        result = await deliver(
            str(server.make_url("/hook")),
            PAYLOAD,
            secret=SECRET,
            session=session,
            now=lambda: TIMESTAMP,
        )

    body, headers = received[0]
    assert result == DeliveryResult(ok=True, status=204, error=None)
    assert verify_signature(SECRET, body, headers[SIGNATURE_HEADER], now=TIMESTAMP)
    assert json.loads(body) == PAYLOAD
    assert body == encode_payload(PAYLOAD)
    assert headers["Content-Type"] == "application/json"


@pytest.mark.asyncio
async def test_deliver_reports_server_error() -> None:
    async def fail(request: web.Request) -> web.Response:
        return web.Response(status=500, text="boom")

    async with serve({"/hook": fail}) as server, aiohttp.ClientSession() as session:
        result = await deliver(
            str(server.make_url("/hook")), PAYLOAD, secret=SECRET, session=session
        )

    assert result == DeliveryResult(ok=False, status=500, error="HTTP 500")


@pytest.mark.asyncio
async def test_deliver_does_not_follow_redirects() -> None:
    hits: list[str] = []

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect("/elsewhere")

    async def elsewhere(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(status=200)

    routes: dict[str, Handler] = {"/hook": redirect, "/elsewhere": elsewhere}
    async with serve(routes) as server, aiohttp.ClientSession() as session:
        result = await deliver(
            str(server.make_url("/hook")), PAYLOAD, secret=SECRET, session=session
        )

    assert result == DeliveryResult(ok=False, status=307, error="HTTP 307")
    assert hits == []


@pytest.mark.asyncio
async def test_deliver_reports_timeout() -> None:
    release = asyncio.Event()

    async def stall(request: web.Request) -> web.Response:
        # Bounded, so a broken client timeout cannot hang the suite.
        await asyncio.wait_for(release.wait(), timeout=5)
        return web.Response(status=200)

    async with serve({"/hook": stall}) as server, aiohttp.ClientSession() as session:
        result = await deliver(
            str(server.make_url("/hook")),
            PAYLOAD,
            secret=SECRET,
            session=session,
            timeout_s=0.1,
        )
        release.set()

    assert not result.ok
    assert result.status is None
    assert result.error == "timeout after 0.1s"


@pytest.mark.asyncio
async def test_deliver_reports_connection_refused() -> None:
    url = f"http://127.0.0.1:{closed_port()}/hook"

    async with aiohttp.ClientSession() as session:
        result = await deliver(url, PAYLOAD, secret=SECRET, session=session)

    assert not result.ok
    assert result.status is None
    assert result.error is not None
    assert "ClientConnectorError" in result.error


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "url",
    [
        pytest.param("not a url", id="garbage"),
        pytest.param("ftp://127.0.0.1/hook?token=s3cret", id="non-http"),
    ],
)
async def test_deliver_reports_bad_url_without_echoing_it(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        result = await deliver(url, PAYLOAD, secret=SECRET, session=session)

    assert not result.ok
    assert result.error is not None
    assert "s3cret" not in result.error


@pytest.mark.asyncio
async def test_deliver_raises_for_unencodable_payload() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(WebhookPayloadError):
            await deliver(
                "http://127.0.0.1:9/hook",
                {"score": float("inf")},
                secret=SECRET,
                session=session,
            )


@pytest.mark.asyncio
async def test_deliver_logs_no_payload(caplog: pytest.LogCaptureFixture) -> None:
    async def accept(request: web.Request) -> web.Response:
        return web.Response(status=200)

    async with serve({"/hook": accept}) as server, aiohttp.ClientSession() as session:
        with caplog.at_level("INFO", logger="qualifier.webhook"):
            await deliver(
                str(server.make_url("/hook?token=s3cret")),
                {"email": "jane@example.org"},
                secret=SECRET,
                session=session,
            )

    assert "webhook.delivered status=200" in caplog.text
    assert "jane" not in caplog.text
    assert "s3cret" not in caplog.text
