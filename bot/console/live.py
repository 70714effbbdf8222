"""Tell open console pages about hot leads as they come, over server-sent events."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aiohttp import web

from bot.console.keys import CONFIG, STORE
from bot.console.queries import hot_leads_since
from qualifier.models import Lead
from qualifier.store import as_utc

logger = logging.getLogger(__name__)

MAX_REPLAY = timedelta(minutes=10)
RETRY_MS = 5000


@dataclass(frozen=True)
class Cursor:
    """The last hot lead a stream has sent: its update time and id."""

    updated_at: datetime
    lead_id: int = 0

    def encode(self) -> str:
        """Return the cursor as an SSE event id."""
        return f"{self.updated_at.isoformat()}|{self.lead_id}"


async def hot_lead_events(request: web.Request) -> web.StreamResponse:
    """Stream a ``lead.hot`` event whenever a hot lead appears or changes."""
    config = request.config_dict[CONFIG]
    now = datetime.now(UTC)
    cursor = resume_cursor(request.headers.get("Last-Event-ID"), now=now)
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"}
    )
    await response.prepare(request)
    await response.write(f"retry: {RETRY_MS}\n\n".encode())
    deadline = asyncio.get_running_loop().time() + config.stream_lifetime
    try:
        await _stream(request, response, cursor, deadline)
    except ConnectionResetError:
        logger.debug("console.stream_closed_by_client")

    return response


def resume_cursor(last_event_id: str | None, *, now: datetime) -> Cursor:
    """Return where a (re)connecting stream starts, at most MAX_REPLAY back."""
    earliest = Cursor(now - MAX_REPLAY)
    stamp, _, lead_id = (last_event_id or "").partition("|")
    try:
        cursor = Cursor(as_utc(datetime.fromisoformat(stamp)), int(lead_id))
    except ValueError:
        return Cursor(now)

    return cursor if cursor.updated_at >= earliest.updated_at else earliest


def hot_event(lead: Lead, cursor: Cursor) -> bytes:
    """Encode one hot lead as a ``lead.hot`` server-sent event."""
    data = {
        "id": lead.id,
        "company": lead.company,
        "score": lead.score,
        "stage": lead.stage,
        "url": f"/console/leads/{lead.id}",
    }
    return (
        f"id: {cursor.encode()}\nevent: lead.hot\ndata: {json.dumps(data)}\n\n"
    ).encode()


async def _stream(
    request: web.Request, response: web.StreamResponse, cursor: Cursor, deadline: float
) -> None:
    config = request.config_dict[CONFIG]
    store = request.config_dict[STORE]
    loop = asyncio.get_running_loop()
    while loop.time() < deadline:
        leads = hot_leads_since(store, cursor.updated_at, after_id=cursor.lead_id)
        for lead in leads:
            cursor = Cursor(as_utc(lead.updated_at), lead.id)
            await response.write(hot_event(lead, cursor))
            logger.debug("console.hot_lead_sent lead_id=%s", lead.id)

        await response.write(b": keep-alive\n\n")
        await asyncio.sleep(config.poll_interval)
