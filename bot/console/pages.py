"""Render console pages from Jinja templates, always autoescaped."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from aiohttp import web

from bot.console.keys import SIGNED_IN, TEMPLATES

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def build_templates() -> jinja2.Environment:
    """Create the template environment; every value is HTML-escaped."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["describe"] = describe_value
    environment.filters["when"] = format_when
    return environment


def render(
    request: web.Request, template: str, *, status: int = 200, **context: Any
) -> web.Response:
    """Render ``template`` with the signed-in user and CSRF token in context."""
    signed_in = request.get(SIGNED_IN)
    page = request.config_dict[TEMPLATES].get_template(template)
    body = page.render(signed_in=signed_in, **context)
    return web.Response(
        text=body, status=status, content_type="text/html", charset="utf-8"
    )


def describe_value(value: Any) -> str:
    """Describe an answer's value as short ``key: value`` text."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)

    parts = [
        f"{key}: {item}"
        for key, item in value.items()
        if item not in (None, "", [], {}) and key not in {"confidence", "status"}
    ]
    return ", ".join(parts) or str(value.get("status") or "")


def format_when(moment: Any) -> str:
    """Format a datetime as ``YYYY-MM-DD HH:MM`` UTC; empty for None."""
    if moment is None:
        return ""

    return str(moment.strftime("%Y-%m-%d %H:%M"))


def url_with(path: str, params: dict[str, str], **changes: str | int | None) -> str:
    """Return ``path`` with ``params`` updated by ``changes`` as a query string."""
    merged = {**params, **{key: str(value) for key, value in changes.items()}}
    kept = {key: value for key, value in merged.items() if value not in ("", "None")}
    return f"{path}?{urlencode(kept)}" if kept else path


def see_other(location: str) -> web.Response:
    """Return a 303 redirect to ``location`` (after a POST)."""
    return web.Response(status=303, headers={"Location": location})
