"""The chat widget's routes in the web app: script, demo page and chat API.

``setup_widget`` adds them to the app. The browser talks only to these
routes; they forward messages to Rasa's REST webhook and read transcripts
from Rasa's tracker API.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.widget.config import Limits
from bot.widget.limits import RateLimiter, ReplyCache
from bot.widget.rasa import (
    SENDER_PATTERN,
    RasaError,
    RasaResponseError,
    RasaUnavailableError,
    fetch_tracker,
    post_rep_message,
    send_message,
)
from bot.widget.transcript import (
    CLIENT_ID_KEY,
    SHOWN_AS_KEY,
    attach_ids,
    message_from_reply,
    messages_from_events,
    turn_messages,
)

__all__ = ["WIDGET", "WidgetState", "post_rep_message", "setup_widget"]

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
CLIENT_ID_PATTERN = SENDER_PATTERN
PAGE_KEYS = ("page_url", "referrer", "utm", "timezone", "pages_seen")
MAX_SHOWN_AS_CHARS = 200
RASA_RETRY_SECONDS = 5
HEARTBEAT_SECONDS = 15.0
SCRIPT_CACHE = "public, max-age=300"
DEMO_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Asset:
    """A static file held in memory with its validator."""

    body: bytes
    etag: str


@dataclass
class WidgetState:
    """What the widget routes share: settings, limits and the Rasa session."""

    rasa_url: str
    api_token: str
    allowed_origins: frozenset[str]
    limits: Limits
    sender_limiter: RateLimiter
    ip_limiter: RateLimiter
    replies: ReplyCache
    assets: dict[str, Asset]
    streams: Counter[str] = field(default_factory=Counter)
    session: aiohttp.ClientSession | None = None

    def rasa(self) -> aiohttp.ClientSession:
        """Return the session opened at start-up."""
        if self.session is None:
            msg = "the widget's HTTP session is not open; is the app started?"
            raise RuntimeError(msg)

        return self.session


WIDGET = web.AppKey("widget", WidgetState)


class Refusal(Exception):
    """Raised by a validation step to answer with a JSON error."""

    def __init__(
        self, status: int, code: str, message: str, *, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


def setup_widget(
    app: web.Application,
    *,
    rasa_url: str,
    allowed_origins: list[str] | tuple[str, ...],
    api_token: str = "",
    limits: Limits | None = None,
) -> WidgetState:
    """Add the widget script, the demo page and the chat API to the app."""
    limits = limits or Limits()
    state = WidgetState(
        rasa_url=rasa_url.rstrip("/"),
        api_token=api_token,
        allowed_origins=frozenset(origin.lower() for origin in allowed_origins),
        limits=limits,
        sender_limiter=RateLimiter(limits.sender_per_minute),
        ip_limiter=RateLimiter(limits.ip_per_minute),
        replies=ReplyCache(limits.dedupe_seconds),
        assets={name: _load_asset(name) for name in ("widget.js", "demo.html")},
    )
    app[WIDGET] = state
    app.cleanup_ctx.append(_rasa_session)
    _add_routes(app.router)
    return state


def _add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/", redirect_to_demo)
    router.add_get("/demo", serve_demo)
    router.add_get("/widget.js", serve_script)
    router.add_post("/chat/send", _guarded(send))
    router.add_route("OPTIONS", "/chat/send", preflight)
    router.add_get("/chat/history", _guarded(history))
    router.add_get("/chat/stream", _guarded(stream))


async def _rasa_session(app: web.Application) -> AsyncIterator[None]:
    state = app[WIDGET]
    state.session = aiohttp.ClientSession(raise_for_status=False)
    yield
    await state.session.close()
    state.session = None


def _load_asset(name: str) -> Asset:
    body = (STATIC_DIR / name).read_bytes()
    return Asset(body=body, etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"')


async def redirect_to_demo(request: web.Request) -> web.StreamResponse:
    """Send the site root to the demo page."""
    raise web.HTTPFound("/demo")


async def serve_demo(request: web.Request) -> web.StreamResponse:
    """Serve the demo landing page with the widget embedded."""
    asset = request.app[WIDGET].assets["demo.html"]
    headers = {"Cache-Control": "no-cache", "Content-Security-Policy": DEMO_POLICY}
    return web.Response(
        body=asset.body, content_type="text/html", charset="utf-8", headers=headers
    )


async def serve_script(request: web.Request) -> web.StreamResponse:
    """Serve widget.js, cacheable for a few minutes and revalidated by ETag."""
    asset = request.app[WIDGET].assets["widget.js"]
    headers = {
        "Cache-Control": SCRIPT_CACHE,
        "ETag": asset.etag,
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if asset.etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)

    return web.Response(
        body=asset.body,
        content_type="text/javascript",
        charset="utf-8",
        headers=headers,
    )


async def preflight(request: web.Request) -> web.StreamResponse:
    """Answer the browser's CORS preflight for POST /chat/send."""
    origin = request.headers.get("Origin")
    state = request.app[WIDGET]
    if origin is None or origin.lower() not in state.allowed_origins:
        return _refusal_response(_origin_refusal(origin))

    headers = {
        **_cors_headers(origin),
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "600",
    }
    return web.Response(status=204, headers=headers)


def _guarded(handler: Handler) -> Handler:
    """Refuse other origins, add CORS headers, turn refusals into JSON."""

    @wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if (
            origin is not None
            and origin.lower() not in request.app[WIDGET].allowed_origins
        ):
            return _refusal_response(_origin_refusal(origin))

        try:
            response = await handler(request)
        except Refusal as refusal:
            response = _refusal_response(refusal)
        except web.HTTPException:
            raise
        except Exception:
            logger.exception("widget.unexpected_error path=%s", request.path)
            msg = "Something went wrong on our side. Please try again in a moment."
            response = _refusal_response(Refusal(500, "internal_error", msg))

        if origin is not None and not response.prepared:
            response.headers.update(_cors_headers(origin))

        return response

    return guarded


async def send(request: web.Request) -> web.StreamResponse:
    """Forward one visitor message to Rasa and return the bot's replies."""
    state = request.app[WIDGET]
    body = await _read_json(request, state.limits)
    sender = _sender(body.get("sender"))
    message = _message(body.get("message"), state.limits)
    client_id = _client_id(body.get("client_id"))
    metadata = _metadata(body, client_id, state.limits)

    key = (sender, client_id)
    earlier = state.replies.get(key) if client_id else None
    if earlier is not None:
        logger.info("widget.duplicate sender=%s", sender)
        return web.json_response({**await _outcome(earlier), "duplicate": True})

    if client_id and body.get("retry") is True:
        replayed = await _replay(state, sender, client_id)
        if replayed is not None:
            logger.info("widget.duplicate sender=%s source=tracker", sender)
            return web.json_response(replayed)

    _check_rate(state, sender, request.remote or "unknown")
    work = _deliver(state, sender, message, metadata, client_id)
    attempt = (
        state.replies.start(key, work) if client_id else asyncio.ensure_future(work)
    )
    return web.json_response({**await _outcome(attempt), "duplicate": False})


async def history(request: web.Request) -> web.StreamResponse:
    """Return the conversation so far, so a reloaded page can show it."""
    state = request.app[WIDGET]
    sender = _sender(request.query.get("sender"))
    try:
        tracker = await fetch_tracker(
            state.rasa(), state.rasa_url, state.api_token, sender
        )
    except RasaError as exc:
        raise _rasa_refusal(exc) from exc

    messages = messages_from_events(tracker.events)[-state.limits.history_messages :]
    body = {"sender": sender, "messages": messages, "paused": tracker.paused}
    return web.json_response(body, headers={"Cache-Control": "no-store"})


async def stream(request: web.Request) -> web.StreamResponse:
    """Stream new conversation messages (a rep's, say) as server-sent events."""
    state = request.app[WIDGET]
    sender = _sender(request.query.get("sender"))
    cursor = _cursor(request.headers.get("Last-Event-ID") or request.query.get("after"))
    _check_streams(state, sender)

    response = web.StreamResponse(headers=_stream_headers(request))
    state.streams[sender] += 1
    try:
        await response.prepare(request)
        await response.write(b"retry: 3000\n\n")
        await _pump(request, response, state, sender, cursor)
    except ConnectionResetError:
        logger.debug("widget.stream_closed sender=%s", sender)
    finally:
        state.streams[sender] -= 1
        if state.streams[sender] <= 0:
            del state.streams[sender]

    return response


async def _pump(
    request: web.Request,
    response: web.StreamResponse,
    state: WidgetState,
    sender: str,
    cursor: float,
) -> None:
    deadline = time.monotonic() + state.limits.stream_seconds
    paused: bool | None = None
    failing = False
    quiet_since = time.monotonic()
    while time.monotonic() < deadline and not _gone(request):
        try:
            tracker = await fetch_tracker(
                state.rasa(), state.rasa_url, state.api_token, sender
            )
        except RasaError:
            if not failing:
                logger.warning("widget.stream_poll_failed sender=%s", sender)

            failing = True
            await asyncio.sleep(state.limits.poll_seconds * 2)
            continue

        failing = False
        if tracker.paused != paused:
            paused = tracker.paused
            await response.write(_sse("status", {"paused": paused}))

        for message in messages_from_events(tracker.events):
            if message["id"] is not None and message["id"] > cursor:
                cursor = message["id"]
                quiet_since = time.monotonic()
                await response.write(_sse("message", message, event_id=cursor))

        if time.monotonic() - quiet_since > HEARTBEAT_SECONDS:
            quiet_since = time.monotonic()
            await response.write(b": ping\n\n")

        await asyncio.sleep(state.limits.poll_seconds)


async def _deliver(
    state: WidgetState,
    sender: str,
    message: str,
    metadata: dict[str, Any],
    client_id: str | None,
) -> dict[str, Any]:
    session = state.rasa()
    replies = await send_message(
        session,
        state.rasa_url,
        sender=sender,
        message=message,
        metadata=metadata,
        timeout=state.limits.rasa_timeout,
    )
    messages = [message_from_reply(reply) for reply in replies]
    if client_id and messages:
        await _attach_ids(state, sender, messages, client_id)

    logger.info("widget.message sender=%s replies=%d", sender, len(messages))
    return {"client_id": client_id, "messages": messages}


async def _replay(
    state: WidgetState, sender: str, client_id: str
) -> dict[str, Any] | None:
    # A retry after the reply cache forgot the message: Rasa's tracker still
    # knows whether it arrived, and what the bot answered.
    try:
        tracker = await fetch_tracker(
            state.rasa(), state.rasa_url, state.api_token, sender
        )
    except RasaError:
        return None

    messages = turn_messages(tracker.events, client_id)
    if messages is None:
        return None

    return {"client_id": client_id, "messages": messages, "duplicate": True}


async def _attach_ids(
    state: WidgetState, sender: str, messages: list[dict[str, Any]], client_id: str
) -> None:
    # The ids let the widget skip these replies when the stream repeats them.
    try:
        tracker = await fetch_tracker(
            state.rasa(), state.rasa_url, state.api_token, sender
        )
    except RasaError:
        logger.debug("widget.reply_ids_unknown sender=%s", sender)
        return

    attach_ids(messages, tracker.events, client_id)


async def _outcome(attempt: asyncio.Future[Any]) -> dict[str, Any]:
    # Shielded: a visitor who drops the connection must not cancel delivery,
    # so that their retry finds the reply.
    try:
        result: dict[str, Any] = await asyncio.shield(attempt)
    except RasaError as exc:
        raise _rasa_refusal(exc) from exc

    return result


async def _read_json(request: web.Request, limits: Limits) -> dict[str, Any]:
    ceiling = limits.max_message_chars * 6 + limits.max_metadata_bytes + 4096
    if (request.content_length or 0) > ceiling:
        raise _too_large(f"The request body is over {ceiling} bytes.")

    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        raise _too_large("The request body is too large.") from exc

    if len(raw) > ceiling:
        raise _too_large(f"The request body is over {ceiling} bytes.")

    try:
        body = json.loads(raw)
    except ValueError as exc:
        msg = f"The request body is not valid JSON ({exc}); send a JSON object."
        raise Refusal(400, "malformed_json", msg) from exc

    if not isinstance(body, dict):
        msg = f"The request body must be a JSON object, got {type(body).__name__}."
        raise Refusal(400, "malformed_json", msg)

    return body


def _sender(value: Any) -> str:
    if not isinstance(value, str) or not SENDER_PATTERN.fullmatch(value):
        msg = "The sender id must be 8 to 64 characters of A-Z, a-z, 0-9, _ and -."
        raise Refusal(400, "invalid_sender", msg)

    return value


def _message(value: Any, limits: Limits) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Refusal(400, "empty_message", "The message must be non-empty text.")

    if len(value) > limits.max_message_chars:
        msg = (
            f"Your message is {len(value)} characters long; the limit is "
            f"{limits.max_message_chars}. Please shorten it and send it again."
        )
        raise Refusal(413, "message_too_long", msg)

    return value


def _client_id(value: Any) -> str | None:
    if value is None:
        return None

    if not isinstance(value, str) or not CLIENT_ID_PATTERN.fullmatch(value):
        msg = "The client_id must be 8 to 64 characters of A-Z, a-z, 0-9, _ and -."
        raise Refusal(400, "invalid_client_id", msg)

    return value


def _metadata(
    body: dict[str, Any], client_id: str | None, limits: Limits
) -> dict[str, Any]:
    given = body.get("metadata") or {}
    if not isinstance(given, dict):
        raise Refusal(400, "invalid_metadata", "The metadata must be a JSON object.")

    size = len(json.dumps(given, separators=(",", ":")).encode())
    if size > limits.max_metadata_bytes:
        msg = f"The metadata is {size} bytes; the limit is {limits.max_metadata_bytes}."
        raise Refusal(413, "metadata_too_large", msg)

    metadata = {key: given[key] for key in PAGE_KEYS if key in given}
    if client_id:
        metadata[CLIENT_ID_KEY] = client_id

    shown_as = body.get("shown_as")
    if isinstance(shown_as, str) and shown_as.strip():
        metadata[SHOWN_AS_KEY] = shown_as[:MAX_SHOWN_AS_CHARS]

    return metadata


def _cursor(value: str | None) -> float:
    if value is None or value == "":
        return 0.0

    try:
        cursor = float(value)
    except ValueError:
        cursor = -1.0

    if not 0 <= cursor < 1e11:
        msg = "The 'after' value must be the id (timestamp) of the last message seen."
        raise Refusal(400, "invalid_after", msg)

    return cursor


def _check_rate(state: WidgetState, sender: str, ip: str) -> None:
    wait = max(
        state.sender_limiter.retry_after(sender), state.ip_limiter.retry_after(ip)
    )
    if wait:
        logger.warning("widget.rate_limited sender=%s retry_after=%d", sender, wait)
        msg = f"You're sending messages quickly. Please wait {wait} s and try again."
        raise Refusal(429, "rate_limited", msg, retry_after=wait)

    state.sender_limiter.hit(sender)
    state.ip_limiter.hit(ip)


def _check_streams(state: WidgetState, sender: str) -> None:
    per_sender = state.streams[sender] >= state.limits.streams_per_sender
    if per_sender or state.streams.total() >= state.limits.max_streams:
        msg = "Too many open chat streams; close another tab and reload."
        raise Refusal(429, "too_many_streams", msg, retry_after=30)


def _gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


def _stream_headers(request: web.Request) -> dict[str, str]:
    headers = {
        "Content-Type": "text/event-stream",
        "Cache-Control": "no-store",
        "X-Accel-Buffering": "no",
    }
    origin = request.headers.get("Origin")
    if origin is not None:
        headers.update(_cors_headers(origin))

    return headers


def _sse(event: str, data: dict[str, Any], *, event_id: float | None = None) -> bytes:
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id!r}")

    lines.append(f"data: {json.dumps(data, separators=(',', ':'))}")
    return ("\n".join(lines) + "\n\n").encode()


def _cors_headers(origin: str) -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Expose-Headers": "Retry-After",
        "Vary": "Origin",
    }


def _origin_refusal(origin: str | None) -> Refusal:
    logger.warning("widget.origin_refused origin=%s", origin)
    msg = (
        f"The origin {origin!r} may not use this chat; "
        "add it to LEADLINE_ALLOWED_ORIGINS."
    )
    return Refusal(403, "origin_not_allowed", msg)


def _rasa_refusal(exc: RasaError) -> Refusal:
    if isinstance(exc, RasaUnavailableError):
        logger.warning("widget.rasa_unavailable")
        msg = (
            "The assistant is unavailable right now. Your message was not sent; "
            "try again in a moment."
        )
        return Refusal(
            503, "assistant_unavailable", msg, retry_after=RASA_RETRY_SECONDS
        )

    status = exc.status if isinstance(exc, RasaResponseError) else 0
    logger.error("widget.rasa_error status=%d", status)
    msg = (
        "The assistant ran into a problem. Your message was not sent; "
        "try again in a moment."
    )
    return Refusal(502, "assistant_error", msg, retry_after=RASA_RETRY_SECONDS)


def _too_large(detail: str) -> Refusal:
    return Refusal(413, "too_large", f"{detail} Please send less text.")


def _refusal_response(refusal: Refusal) -> web.Response:
    body: dict[str, str | int] = {"error": refusal.code, "message": refusal.message}
    headers = {"Cache-Control": "no-store"}
    if refusal.retry_after is not None:
        body["retry_after"] = refusal.retry_after
        headers["Retry-After"] = str(refusal.retry_after)

    return web.json_response(body, status=refusal.status, headers=headers)
