"""The widget gateway routes, against a fake Rasa on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.widget import Limits, post_rep_message
from tests.bot.widget.conftest import ORIGIN, gateway_app
from tests.bot.widget.fake_rasa import TOKEN, FakeRasa

pytestmark = pytest.mark.asyncio

SENDER = "visitor_0123456789"
OTHER_ORIGIN = "https://evil.example"


def message(text: str = "hi there", **extra: Any) -> dict[str, Any]:
    """Return a well-formed send body."""
    body: dict[str, Any] = {
        "sender": SENDER,
        "message": text,
        "client_id": "client-000001",
        "metadata": {"page_url": "https://example.com/pricing", "timezone": "UTC"},
    }
    body.update(extra)
    return body


async def test_script_served_with_cache_headers(client: TestClient) -> None:
    response = await client.get("/widget.js")

    assert response.status == 200
    assert response.content_type == "text/javascript"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "attachShadow" in await response.text()


async def test_script_revalidates_by_etag(client: TestClient) -> None:
    first = await client.get("/widget.js")

    again = await client.get(
        "/widget.js", headers={"If-None-Match": first.headers["ETag"]}
    )

    assert again.status == 304


async def test_demo_served_and_root_redirects(client: TestClient) -> None:
    root = await client.get("/", allow_redirects=False)
    demo = await client.get("/demo")

    assert root.status == 302
    assert root.headers["Location"] == "/demo"
    assert demo.content_type == "text/html"
    assert '<script src="/widget.js"' in await demo.text()
    assert "script-src 'self'" in demo.headers["Content-Security-Policy"]


async def test_send_returns_bot_replies(
    client: TestClient, fake_rasa: tuple[FakeRasa, str]
) -> None:
    fake, _ = fake_rasa

    response = await client.post(
        "/chat/send", json=message(), headers={"Origin": ORIGIN}
    )

    body = await response.json()
    assert response.status == 200
    assert [m["text"] for m in body["messages"]] == [
        "Hello! I'm the Leadline assistant.",
        "What brings you here?",
    ]
    assert body["messages"][1]["buttons"][0] == {
        "title": "Book a demo",
        "payload": "/request_demo",
    }
    assert all(isinstance(m["id"], float) for m in body["messages"])
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert fake.webhook_calls[0]["metadata"]["client_id"] == "client-000001"


async def test_send_forwards_only_page_metadata(
    client: TestClient, fake_rasa: tuple[FakeRasa, str]
) -> None:
    fake, _ = fake_rasa
    metadata = {
        "page_url": "https://example.com/pricing",
        "utm": {"source": "newsletter"},
        "pages_seen": ["https://example.com/"],
        "is_admin": True,
    }

    await client.post(
        "/chat/send", json=message(metadata=metadata, shown_as="Book a demo")
    )

    sent = fake.webhook_calls[0]["metadata"]
    assert sent["utm"] == {"source": "newsletter"}
    assert sent["shown_as"] == "Book a demo"
    assert "is_admin" not in sent


async def test_send_refuses_other_origin(
    client: TestClient, fake_rasa: tuple[FakeRasa, str]
) -> None:
    fake, _ = fake_rasa

    response = await client.post(
        "/chat/send", json=message(), headers={"Origin": OTHER_ORIGIN}
    )

    assert response.status == 403
    assert (await response.json())["error"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response.headers
    assert fake.webhook_calls == []


@pytest.mark.parametrize(
    ("origin", "status"),
    [
        pytest.param(ORIGIN, 204, id="allowed"),
        pytest.param(OTHER_ORIGIN, 403, id="other"),
    ],
)
async def test_preflight_answers_only_allowed_origins(
    client: TestClient, origin: str, status: int
) -> None:
    headers = {"Origin": origin, "Access-Control-Request-Method": "POST"}

    response = await client.options("/chat/send", headers=headers)

    assert response.status == status
    allowed = response.headers.get("Access-Control-Allow-Origin")
    assert allowed == (origin if status == 204 else None)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b'{"sender": ', id="truncated"),
        pytest.param(b"[1, 2]", id="array"),
        pytest.param(b"\xff\xfe", id="not-utf8"),
    ],
)
async def test_send_refuses_malformed_json(client: TestClient, raw: bytes) -> None:
    response = await client.post(
        "/chat/send", data=raw, headers={"Content-Type": "application/json"}
    )

    body = await response.json()
    assert response.status == 400
    assert body["error"] == "malformed_json"
    assert "JSON" in body["message"]


@pytest.mark.parametrize(
    "sender",
    [
        pytest.param("short", id="too-short"),
        pytest.param("x" * 65, id="too-long"),
        pytest.param("../../status", id="path"),
        pytest.param(None, id="missing"),
        pytest.param(12345678, id="number"),
    ],
)
async def test_send_refuses_invalid_sender(client: TestClient, sender: Any) -> None:
    response = await client.post("/chat/send", json=message(sender=sender))

    assert response.status == 400
    assert (await response.json())["error"] == "invalid_sender"


async def test_send_refuses_empty_message(client: TestClient) -> None:
    response = await client.post("/chat/send", json=message(text="   "))

    assert response.status == 400


async def test_send_refuses_long_message_with_413(client: TestClient) -> None:
    response = await client.post("/chat/send", json=message(text="a" * 2001))

    body = await response.json()
    assert response.status == 413
    assert body["error"] == "message_too_long"
    assert "2001 characters" in body["message"]


async def test_send_refuses_large_metadata_with_413(client: TestClient) -> None:
    metadata = {"pages_seen": ["https://example.com/" + "p" * 500] * 20}

    response = await client.post("/chat/send", json=message(metadata=metadata))

    assert response.status == 413
    assert (await response.json())["error"] == "metadata_too_large"


async def test_send_refuses_huge_body_with_json_413(client: TestClient) -> None:
    response = await client.post(
        "/chat/send", data=b"x" * 200_000, headers={"Content-Type": "application/json"}
    )

    assert response.status == 413
    assert (await response.json())["error"] == "too_large"


async def test_send_rate_limits_a_sender(
    fake_rasa: tuple[FakeRasa, str],
) -> None:
    _, url = fake_rasa
    app = gateway_app(url, Limits(sender_per_minute=2, ip_per_minute=100))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        for number in range(2):
            ok = await client.post(
                "/chat/send", json=message(client_id=f"client-{number:06}")
            )
            assert ok.status == 200

        response = await client.post(
            "/chat/send", json=message(client_id="client-000009")
        )
        body = await response.json()

    assert response.status == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert body["retry_after"] == int(response.headers["Retry-After"])
    assert "wait" in body["message"]


async def test_send_rate_limits_an_ip_across_senders(
    fake_rasa: tuple[FakeRasa, str],
) -> None:
    _, url = fake_rasa
    app = gateway_app(url, Limits(sender_per_minute=100, ip_per_minute=2))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        statuses = [
            (
                await client.post("/chat/send", json=message(sender=f"sender-{n:08}"))
            ).status
            for n in range(3)
        ]

    assert statuses == [200, 200, 429]


async def test_send_answers_503_when_rasa_is_down() -> None:
    app = gateway_app("http://127.0.0.1:9")
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.post("/chat/send", json=message())
        body = await response.json()

    assert response.status == 503
    assert response.headers["Retry-After"] == "5"
    assert "not sent" in body["message"]


async def test_send_answers_502_when_rasa_fails(
    client: TestClient, fake_rasa: tuple[FakeRasa, str]
) -> None:
    fake, _ = fake_rasa
    fake.fail_status = 500

    response = await client.post("/chat/send", json=message())

    assert response.status == 502
    assert (await response.json())["error"] == "assistant_error"


async def test_send_retry_after_failure_reaches_rasa(
    client: TestClient, fake_rasa: tuple[FakeRasa, str]
) -> None:
    fake, _ = fake_rasa
    fake.fail_status = 500
    await client.post("/chat/send", json=message())
    fake.fail_status = None

    response = await client.post("/chat/send", json=message())

    assert response.status == 200
    assert len(fake.webhook_calls) == 2


async def test_send_delivers_a_retried_client_id_once(
    client: TestClient, fake_rasa: tuple[FakeRasa, str]
) -> None:
    fake, _ = fake_rasa

    first = await client.post("/chat/send", json=message())
    second = await client.post("/chat/send", json=message())

    first_body, second_body = await first.json(), await second.json()
    assert len(fake.webhook_calls) == 1
    assert second_body["messages"] == first_body["messages"]
    assert (first_body["duplicate"], second_body["duplicate"]) == (False, True)


async def test_send_delivers_concurrent_retries_once(
    client: TestClient, fake_rasa: tuple[FakeRasa, str]
) -> None:
    fake, _ = fake_rasa

    responses = await asyncio.gather(
        *(client.post("/chat/send", json=message()) for _ in range(3))
    )

    assert [r.status for r in responses] == [200, 200, 200]
    assert len(fake.webhook_calls) == 1


async def test_send_replays_a_retry_the_cache_forgot_from_the_tracker(
    fake_rasa: tuple[FakeRasa, str],
) -> None:
    fake, url = fake_rasa
    app = gateway_app(url, Limits(dedupe_seconds=0))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        first = await (await client.post("/chat/send", json=message())).json()
        retry = await client.post("/chat/send", json=message(retry=True))
        body = await retry.json()

    assert len(fake.webhook_calls) == 1
    assert body["duplicate"] is True
    assert [m["text"] for m in body["messages"]] == [
        m["text"] for m in first["messages"]
    ]


async def test_send_delivers_a_retry_rasa_never_saw(
    client: TestClient, fake_rasa: tuple[FakeRasa, str]
) -> None:
    fake, _ = fake_rasa

    response = await client.post("/chat/send", json=message(retry=True))

    assert (await response.json())["duplicate"] is False
    assert len(fake.webhook_calls) == 1


async def test_send_paused_conversation_returns_no_reply(
    client: TestClient, fake_rasa: tuple[FakeRasa, str]
) -> None:
    fake, _ = fake_rasa
    fake.paused.add(SENDER)

    response = await client.post("/chat/send", json=message())

    assert (await response.json())["messages"] == []
    assert fake.events[SENDER][-1]["event"] == "user"


async def test_history_returns_user_and_bot_messages(client: TestClient) -> None:
    await client.post("/chat/send", json=message())
    await client.post(
        "/chat/send",
        json=message(
            text="/request_demo", client_id="client-000002", shown_as="Book a demo"
        ),
    )

    response = await client.get(f"/chat/history?sender={SENDER}")

    body = await response.json()
    roles = [(m["role"], m["text"]) for m in body["messages"]]
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert roles[0] == ("user", "hi there")
    assert roles[3] == ("user", "Book a demo")
    assert body["messages"][4]["buttons"][0]["payload"] == "2026-12-07T09:00:00Z"
    assert body["messages"][3]["client_id"] == "client-000002"
    assert body["paused"] is False


async def test_history_of_a_new_sender_is_empty(client: TestClient) -> None:
    response = await client.get("/chat/history?sender=nobody-yet-123")

    assert (await response.json())["messages"] == []


@pytest.mark.parametrize("query", ["", "?sender=abc", "?sender=a%2Fb%2Fcdefgh"])
async def test_history_refuses_invalid_sender(client: TestClient, query: str) -> None:
    response = await client.get(f"/chat/history{query}")

    assert response.status == 400


async def test_history_refuses_other_origin(client: TestClient) -> None:
    response = await client.get(
        f"/chat/history?sender={SENDER}", headers={"Origin": OTHER_ORIGIN}
    )

    assert response.status == 403


async def test_history_answers_503_when_rasa_is_down() -> None:
    app = gateway_app("http://127.0.0.1:9")
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.get(f"/chat/history?sender={SENDER}")

    assert response.status == 503


async def read_events(
    response: aiohttp.ClientResponse, wanted: int, timeout: float = 3.0
) -> list[tuple[str, dict[str, Any]]]:
    """Read server-sent events until ``wanted`` message events arrived."""
    events: list[tuple[str, dict[str, Any]]] = []
    kind = ""
    async with asyncio.timeout(timeout):
        while sum(1 for k, _ in events if k == "message") < wanted:
            line = (await response.content.readline()).decode().rstrip("\n")
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((kind, json.loads(line.removeprefix("data: "))))

    return events


async def test_stream_delivers_a_rep_message(
    client: TestClient, fake_rasa: tuple[FakeRasa, str]
) -> None:
    fake, url = fake_rasa
    sent = await (await client.post("/chat/send", json=message())).json()
    fake.paused.add(SENDER)
    after = sent["messages"][-1]["id"]
    stream = await client.get(
        f"/chat/stream?sender={SENDER}&after={after}", headers={"Origin": ORIGIN}
    )

    async with aiohttp.ClientSession() as session:
        await post_rep_message(session, url, TOKEN, SENDER, "Hi, I'm Dana from sales.")
    events = await read_events(stream, wanted=1)
    stream.close()

    messages = [data for kind, data in events if kind == "message"]
    assert stream.headers["Content-Type"] == "text/event-stream"
    assert stream.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert ("status", {"paused": True}) in events
    assert [(m["text"], m["rep"]) for m in messages] == [
        ("Hi, I'm Dana from sales.", True)
    ]


async def test_stream_sends_only_messages_after_the_cursor(client: TestClient) -> None:
    first = await (await client.post("/chat/send", json=message())).json()
    await client.post(
        "/chat/send", json=message(text="later", client_id="client-000002")
    )

    stream = await client.get(
        f"/chat/stream?sender={SENDER}&after={first['messages'][-1]['id']}"
    )
    events = await read_events(stream, wanted=2)
    stream.close()

    texts = [data["text"] for kind, data in events if kind == "message"]
    assert texts == ["later", "Thanks! Tell me more about your team."]


async def test_stream_refuses_a_bad_cursor(client: TestClient) -> None:
    response = await client.get(f"/chat/stream?sender={SENDER}&after=yesterday")

    assert response.status == 400


async def test_stream_refuses_other_origin(client: TestClient) -> None:
    response = await client.get(
        f"/chat/stream?sender={SENDER}", headers={"Origin": OTHER_ORIGIN}
    )

    assert response.status == 403


async def test_stream_limits_open_streams_per_sender(client: TestClient) -> None:
    streams = [await client.get(f"/chat/stream?sender={SENDER}") for _ in range(3)]

    refused = await client.get(f"/chat/stream?sender={SENDER}")

    assert refused.status == 429
    for stream in streams:
        stream.close()


@pytest.mark.parametrize(
    ("sender", "text"),
    [
        pytest.param("ab", "hello", id="bad-sender"),
        pytest.param(SENDER, "  ", id="empty"),
        pytest.param(SENDER, "x" * 4001, id="too-long"),
    ],
)
async def test_post_rep_message_refuses_bad_input(
    fake_rasa: tuple[FakeRasa, str], sender: str, text: str
) -> None:
    _, url = fake_rasa

    async with aiohttp.ClientSession() as session:
        with pytest.raises(ValueError, match="got"):
            await post_rep_message(session, url, TOKEN, sender, text)
