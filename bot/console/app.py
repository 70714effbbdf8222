"""Mount the console and the JSON API on the web app."""

from __future__ import annotations

import os
from pathlib import Path

from aiohttp import web

from bot.console import api, auth, dashboard, leads, live
from bot.console.keys import (
    ACCOUNTS,
    CONFIG,
    STORE,
    TEMPLATES,
    TRANSCRIPTS,
    ConsoleConfig,
)
from bot.console.pages import build_templates, render
from bot.console.security import add_security_headers, error_pages, require_session
from qualifier.settings import Settings
from qualifier.store import LeadStore
from qualifier.transcripts import TranscriptReader, tracker_url_from_env
from qualifier.users import Accounts

STATIC_DIR = Path(__file__).resolve().parent / "static"


def setup_console(
    app: web.Application,
    *,
    store: LeadStore,
    settings: Settings,
    tracker_url: str | None = None,
    config: ConsoleConfig | None = None,
) -> None:
    """Add the console under /console and the JSON API under /api to ``app``.

    Args:
        app: The web app, not yet started.
        store: The open, migrated lead store.
        settings: Deployment settings; ``public_url`` is the trusted origin.
        tracker_url: Rasa's tracker store; LEADLINE_TRACKER_URL by default.
        config: Console behaviour; built from ``settings`` by default.
    """
    reader = TranscriptReader.connect(tracker_url or tracker_url_from_env(os.environ))
    app[STORE] = store
    app[ACCOUNTS] = Accounts(store)
    app[TRANSCRIPTS] = reader
    app[TEMPLATES] = build_templates()
    app[CONFIG] = config or ConsoleConfig(public_url=settings.public_url)
    app.router.add_get("/console", _to_leads)
    app.add_subapp("/console", _console_app())
    app.add_subapp("/api", _api_app())
    app.on_cleanup.append(_close_transcripts)


def _console_app() -> web.Application:
    console = web.Application(middlewares=[error_pages, require_session])
    console.on_response_prepare.append(add_security_headers)
    routes = console.router
    routes.add_get("/", _to_leads)
    routes.add_get("/login", auth.login_page)
    routes.add_post("/login", auth.login)
    routes.add_post("/logout", auth.logout)
    routes.add_get("/leads", leads.leads_page)
    routes.add_get("/leads.csv", leads.leads_csv)
    routes.add_get("/leads/{lead_id}", leads.lead_page)
    routes.add_post("/leads/{lead_id}/outcome", leads.post_outcome)
    routes.add_get("/events", live.hot_lead_events)
    routes.add_get("/dashboard", dashboard.dashboard_page)
    routes.add_get("/embed", embed_page)
    routes.add_static("/static", STATIC_DIR)
    return console


def _api_app() -> web.Application:
    api_app = web.Application(middlewares=[api.require_token])
    api_app.router.add_get("/leads", api.api_leads)
    api_app.router.add_get("/leads/{lead_id}", api.api_lead)
    api_app.router.add_get("/openapi.json", api.api_openapi)
    return api_app


async def embed_page(request: web.Request) -> web.Response:
    """Show the script tag marketing pastes into landing pages."""
    return render(request, "embed.html", snippet=embed_snippet(request))


def embed_snippet(request: web.Request) -> str:
    """Return the widget's script tag for this server's public URL."""
    public_url = request.config_dict[CONFIG].public_url
    return (
        f'<script src="{public_url}/widget.js" data-server="{public_url}" '
        "async></script>"
    )


async def _to_leads(request: web.Request) -> web.Response:
    raise web.HTTPFound("/console/leads")


async def _close_transcripts(app: web.Application) -> None:
    engine = app[TRANSCRIPTS].engine
    if engine is not None:
        engine.dispose()
