"""Guards of the console: sessions, CSRF, origin checks, headers, error pages."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from aiohttp import web

from bot.console.keys import ACCOUNTS, CONFIG, SIGNED_IN
from bot.console.pages import render
from qualifier.users import SignedIn

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SESSION_COOKIE = "leadline_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
MAX_FORM_BYTES = 16 * 1024
PUBLIC_PATHS = ("/console/login",)
STATIC_PREFIX = "/console/static/"
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)


@web.middleware
async def error_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer refusals with an HTML page and unexpected errors with a 500 page."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise

        return render(
            request, "error.html", status=exc.status, title=exc.reason, message=exc.text
        )
    except Exception:
        logger.exception("console.request_failed path=%s", request.path)
        return render(
            request,
            "error.html",
            status=500,
            title="Server error",
            message="Something went wrong on our side; try again in a moment.",
        )


@web.middleware
async def require_session(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Let only signed-in reps past, and check POSTs for origin and CSRF token."""
    if request.path in PUBLIC_PATHS or request.path.startswith(STATIC_PREFIX):
        return await handler(request)

    signed_in = _current_session(request)
    if signed_in is None:
        raise web.HTTPFound(login_url(request.path_qs))

    request[SIGNED_IN] = signed_in
    if request.method == "POST":
        check_origin(request)
        await check_csrf(request, signed_in.csrf_token)

    return await handler(request)


async def add_security_headers(
    request: web.Request, response: web.StreamResponse
) -> None:
    """Set a strict CSP and related headers on every console response."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if not request.path.startswith(STATIC_PREFIX):
        response.headers.setdefault("Cache-Control", "no-store")


def login_url(next_path: str) -> str:
    """Return the login page URL that leads back to ``next_path``."""
    return "/console/login?" + urlencode({"next": next_path})


def check_origin(request: web.Request) -> None:
    """Refuse a POST whose Origin (or Referer) is not the public URL's origin.

    Raises:
        web.HTTPForbidden: The request names another origin.
    """
    expected = origin_of(request.config_dict[CONFIG].public_url)
    origin = request.headers.get("Origin")
    if origin is None and "Referer" in request.headers:
        origin = origin_of(request.headers["Referer"])

    if origin is not None and origin != expected:
        logger.info("console.post_refused reason=origin path=%s", request.path)
        raise web.HTTPForbidden(text="This form must be sent from the console itself.")


async def check_csrf(request: web.Request, expected: str) -> None:
    """Refuse a POST without the session's CSRF token.

    Raises:
        web.HTTPRequestEntityTooLarge: The form body is too large.
        web.HTTPForbidden: The token is missing or wrong.
    """
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await read_form(request)
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None

    if sent is None or not hmac.compare_digest(sent.encode(), expected.encode()):
        logger.info("console.post_refused reason=csrf path=%s", request.path)
        raise web.HTTPForbidden(
            text="The form has expired or was not sent by the console; "
            "reload the page and try again."
        )


async def read_form(request: web.Request) -> dict[str, str]:
    """Read a small urlencoded form body as text fields.

    Raises:
        web.HTTPRequestEntityTooLarge: The body is over MAX_FORM_BYTES.
    """
    length = request.content_length
    if length is not None and length > MAX_FORM_BYTES:
        raise web.HTTPRequestEntityTooLarge(
            max_size=MAX_FORM_BYTES,
            actual_size=length,
            text=f"Forms are limited to {MAX_FORM_BYTES} bytes.",
        )

    form = await request.post()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def origin_of(url: str) -> str:
    """Return ``scheme://host[:port]`` of a URL, lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _current_session(request: web.Request) -> SignedIn | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 100:
        return None

    return request.config_dict[ACCOUNTS].session_for(token, now=datetime.now(UTC))
