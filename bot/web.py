"""The web app: widget gateway, sales console, .ics files and delivery worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from aiohttp import web

from bot.console import setup_console
from bot.widget import load_widget_config, setup_widget
from qualifier.ics import render_ics
from qualifier.outbox import run_worker
from qualifier.settings import Settings, load_settings
from qualifier.store import LeadStore, as_utc

logger = logging.getLogger(__name__)

STORE = web.AppKey("store", LeadStore)
SETTINGS = web.AppKey("settings", Settings)
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


async def booking_calendar(request: web.Request) -> web.Response:
    """Serve the .ics file of one booking, found by its secret token."""
    token = request.match_info["token"]
    if not TOKEN_PATTERN.fullmatch(token):
        raise web.HTTPNotFound(text="No booking has that link; check the URL.")

    booking = request.app[STORE].booking_by_token(token)
    if booking is None:
        raise web.HTTPNotFound(text="No booking has that link; check the URL.")

    # An invitation needs an organizer to reply to; without one configured the
    # file publishes the event for the visitor's own calendar.
    organizer = request.app[SETTINGS].organizer_email or None
    body = render_ics(
        uid=f"{booking.token}@leadline",
        start=as_utc(booking.start),
        end=as_utc(booking.end),
        summary="Leadline demo",
        description="Your Leadline product demo.",
        organizer_email=organizer,
        attendee_email=booking.lead.email if organizer else None,
        now=datetime.now(UTC),
    )
    return web.Response(
        body=body.encode(),
        content_type="text/calendar",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="leadline-demo.ics"'},
    )


async def health(request: web.Request) -> web.Response:
    """Answer a liveness probe."""
    return web.json_response({"status": "ok"})


def create_app(
    settings: Settings, store: LeadStore, *, worker: bool = True
) -> web.Application:
    """Build the web app around an open store."""
    app = web.Application(client_max_size=64 * 1024)
    app[STORE] = store
    app[SETTINGS] = settings
    app.router.add_get("/health", health)
    app.router.add_get("/bookings/{token}.ics", booking_calendar)
    setup_console(app, store=store, settings=settings)
    widget = load_widget_config(public_url=settings.public_url)
    setup_widget(
        app,
        rasa_url=widget.rasa_url,
        allowed_origins=widget.allowed_origins,
        api_token=widget.api_token,
        limits=widget.limits,
    )
    if worker:
        app.cleanup_ctx.append(_delivery_worker)

    return app


async def _delivery_worker(app: web.Application) -> AsyncIterator[None]:
    task = asyncio.create_task(
        run_worker(app[STORE], secret=app[SETTINGS].webhook_secret)
    )
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def main() -> None:
    """Run the web app on LEADLINE_WEB_PORT (8080) on the loopback address."""
    import os

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = load_settings()
    store = LeadStore.connect(settings.database_url)
    store.migrate()
    port = int(os.environ.get("LEADLINE_WEB_PORT", "8080"))
    host = os.environ.get("LEADLINE_WEB_HOST", "127.0.0.1")
    web.run_app(create_app(settings, store), host=host, port=port, print=None)


if __name__ == "__main__":
    main()
