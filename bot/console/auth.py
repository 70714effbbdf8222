"""Sign reps in and out of the console."""

from __future__ import annotations

import asyncio
import hmac
import secrets
from datetime import UTC, datetime

from aiohttp import web

from bot.console.keys import ACCOUNTS, CONFIG
from bot.console.pages import render, see_other
from bot.console.security import (
    CSRF_FIELD,
    SESSION_COOKIE,
    check_origin,
    read_form,
)

LOGIN_CSRF_COOKIE = "leadline_login_csrf"
LOGIN_PATH = "/console/login"
HOME_PATH = "/console/leads"
MAX_FIELD_LENGTH = 1024


async def login_page(request: web.Request) -> web.Response:
    """Show the sign-in form, with a fresh token against login CSRF."""
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        login_csrf=token,
        next_path=safe_next(request.query.get("next")),
        error=None,
    )
    _set_login_cookie(request, response, token)
    return response


async def login(request: web.Request) -> web.StreamResponse:
    """Check the credentials and open a session, or show the form again."""
    check_origin(request)
    form = await read_form(request)
    _check_login_csrf(request, form.get(CSRF_FIELD, ""))
    email = form.get("email", "")[:MAX_FIELD_LENGTH]
    password = form.get("password", "")[:MAX_FIELD_LENGTH]
    accounts = request.config_dict[ACCOUNTS]
    now = datetime.now(UTC)
    new_session = await asyncio.to_thread(accounts.sign_in, email, password, now=now)
    if new_session is None:
        return _login_refused(request, form.get("next"))

    response = see_other(safe_next(form.get("next")))
    response.set_cookie(
        SESSION_COOKIE,
        new_session.token,
        path="/console",
        httponly=True,
        samesite="Lax",
        secure=request.config_dict[CONFIG].secure_cookies,
        max_age=int((new_session.signed_in.expires_at - now).total_seconds()),
    )
    response.del_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    """End the session (the middleware already checked the CSRF token)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    request.config_dict[ACCOUNTS].sign_out(token)
    response = see_other(LOGIN_PATH)
    response.del_cookie(SESSION_COOKIE, path="/console")
    return response


def safe_next(target: str | None) -> str:
    """Return ``target`` when it is a console path, else the leads page."""
    if not target or not target.startswith("/console/") or "\\" in target:
        return HOME_PATH

    if target.startswith(LOGIN_PATH) or any(ord(char) < 32 for char in target):
        return HOME_PATH

    return target


def _login_refused(request: web.Request, next_path: str | None) -> web.Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        status=401,
        login_csrf=token,
        next_path=safe_next(next_path),
        error="That email and password do not match an account.",
    )
    _set_login_cookie(request, response, token)
    return response


def _check_login_csrf(request: web.Request, sent: str) -> None:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise web.HTTPForbidden(
            text="The sign-in form has expired; reload the page and try again."
        )


def _set_login_cookie(
    request: web.Request, response: web.StreamResponse, token: str
) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        path=LOGIN_PATH,
        httponly=True,
        samesite="Strict",
        secure=request.config_dict[CONFIG].secure_cookies,
        max_age=3600,
    )
