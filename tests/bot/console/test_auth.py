"""Signing in and out, sessions, CSRF and origin checks of the console."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.console.auth import safe_next
from qualifier.models import ConsoleSession
from qualifier.store import LeadStore
from qualifier.users import Accounts, hash_password, verify_password
from tests.bot.console.conftest import (
    NOW,
    PUBLIC_URL,
    REP_EMAIL,
    REP_PASSWORD,
    SeedLead,
    csrf_in,
    session_csrf,
    sign_in,
)

Client = TestClient[Any, Any]
PROTECTED_PAGES = [
    "/console/leads",
    "/console/leads/1",
    "/console/leads.csv",
    "/console/dashboard",
    "/console/embed",
    "/console/events",
]


@pytest.mark.asyncio
@pytest.mark.parametrize("path", PROTECTED_PAGES, ids=lambda path: path)
async def test_console_without_session_redirects_to_login(
    client: Client, path: str
) -> None:
    response = await client.get(path, allow_redirects=False)

    assert response.status == 302
    assert response.headers["Location"].startswith("/console/login?next=")


@pytest.mark.asyncio
async def test_console_root_redirects_to_leads(client: Client) -> None:
    response = await client.get("/console", allow_redirects=False)

    assert response.status == 302
    assert response.headers["Location"] == "/console/leads"


@pytest.mark.asyncio
async def test_login_page_sets_strict_security_headers(client: Client) -> None:
    response = await client.get("/console/login")

    policy = response.headers["Content-Security-Policy"]
    assert response.status == 200
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.asyncio
async def test_login_with_right_password_sets_http_only_lax_cookie(
    client: Client, rep_id: int
) -> None:
    page = await client.get("/console/login")
    token = csrf_in(await page.text())

    response = await client.post(
        "/console/login",
        data={"email": REP_EMAIL, "password": REP_PASSWORD, "csrf_token": token},
        headers={"Origin": PUBLIC_URL},
        allow_redirects=False,
    )

    cookie = response.headers["Set-Cookie"]
    assert response.status == 303
    assert response.headers["Location"] == "/console/leads"
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.asyncio
async def test_login_with_wrong_password_is_refused(
    client: Client, rep_id: int
) -> None:
    status = await sign_in(client, REP_EMAIL, "not the password")

    assert status == 401
    assert (await client.get("/console/leads", allow_redirects=False)).status == 302


@pytest.mark.asyncio
async def test_login_with_unknown_email_is_refused(client: Client, rep_id: int) -> None:
    assert await sign_in(client, "nobody@example.com", REP_PASSWORD) == 401


@pytest.mark.asyncio
async def test_login_without_form_token_is_forbidden(
    client: Client, rep_id: int
) -> None:
    response = await client.post(
        "/console/login",
        data={"email": REP_EMAIL, "password": REP_PASSWORD},
        headers={"Origin": PUBLIC_URL},
    )

    assert response.status == 403


@pytest.mark.asyncio
async def test_login_from_another_origin_is_forbidden(
    client: Client, rep_id: int
) -> None:
    page = await client.get("/console/login")
    token = csrf_in(await page.text())

    response = await client.post(
        "/console/login",
        data={"email": REP_EMAIL, "password": REP_PASSWORD, "csrf_token": token},
        headers={"Origin": "http://127.0.0.2:8080"},
    )

    assert response.status == 403


@pytest.mark.asyncio
async def test_login_returns_to_the_page_asked_for(client: Client, rep_id: int) -> None:
    page = await client.get("/console/login?next=/console/dashboard")
    token = csrf_in(await page.text())

    response = await client.post(
        "/console/login",
        data={
            "email": REP_EMAIL,
            "password": REP_PASSWORD,
            "csrf_token": token,
            "next": "/console/dashboard",
        },
        headers={"Origin": PUBLIC_URL},
        allow_redirects=False,
    )

    assert response.headers["Location"] == "/console/dashboard"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (None, "/console/leads"),
        ("/console/leads/3", "/console/leads/3"),
        ("https://127.0.0.2/phish", "/console/leads"),
        ("//127.0.0.2/phish", "/console/leads"),
        ("/console/login", "/console/leads"),
        ("/console/\\evil", "/console/leads"),
    ],
    ids=["none", "console-page", "absolute", "protocol-relative", "login", "backslash"],
)
def test_safe_next_keeps_only_console_paths(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


@pytest.mark.asyncio
async def test_session_token_is_stored_hashed(rep: Client, store: LeadStore) -> None:
    cookie = rep.session.cookie_jar.filter_cookies(rep.make_url("/console/leads"))
    token = cookie["leadline_session"].value

    with store.session() as session:
        hashes = list(session.scalars(select(ConsoleSession.token_hash)))

    assert token not in hashes
    assert len(hashes) == 1


@pytest.mark.asyncio
async def test_expired_session_redirects_to_login(
    rep: Client, store: LeadStore
) -> None:
    with store.session() as session:
        for record in session.scalars(select(ConsoleSession)):
            record.expires_at = datetime.now(UTC) - timedelta(minutes=1)

    response = await rep.get("/console/leads", allow_redirects=False)

    assert response.status == 302


@pytest.mark.asyncio
async def test_logout_ends_the_session(rep: Client) -> None:
    token = await session_csrf(rep)

    response = await rep.post(
        "/console/logout",
        data={"csrf_token": token},
        headers={"Origin": PUBLIC_URL},
        allow_redirects=False,
    )

    assert response.status == 303
    assert (await rep.get("/console/leads", allow_redirects=False)).status == 302


@pytest.mark.asyncio
async def test_logout_with_bad_csrf_token_is_forbidden(rep: Client) -> None:
    response = await rep.post(
        "/console/logout", data={"csrf_token": "forged"}, headers={"Origin": PUBLIC_URL}
    )

    assert response.status == 403
    assert (await rep.get("/console/leads", allow_redirects=False)).status == 200


@pytest.mark.asyncio
async def test_post_without_csrf_token_is_forbidden(
    rep: Client, seed_lead: SeedLead
) -> None:
    lead_id = seed_lead("visitor-1", tier="hot")

    response = await rep.post(
        f"/console/leads/{lead_id}/outcome",
        data={"outcome": "won"},
        headers={"Origin": PUBLIC_URL},
    )

    assert response.status == 403


@pytest.mark.asyncio
async def test_post_from_another_origin_is_forbidden(
    rep: Client, seed_lead: SeedLead
) -> None:
    lead_id = seed_lead("visitor-1", tier="hot")
    token = await session_csrf(rep)

    response = await rep.post(
        f"/console/leads/{lead_id}/outcome",
        data={"outcome": "won", "csrf_token": token},
        headers={"Origin": "http://127.0.0.2:8080"},
    )

    assert response.status == 403
    assert "must be sent from the console" in await response.text()


@pytest.mark.asyncio
async def test_post_with_csrf_header_is_accepted(
    rep: Client, seed_lead: SeedLead
) -> None:
    lead_id = seed_lead("visitor-1", tier="hot")
    token = await session_csrf(rep)

    response = await rep.post(
        f"/console/leads/{lead_id}/outcome",
        data={"outcome": "won"},
        headers={"Origin": PUBLIC_URL, "X-CSRF-Token": token},
        allow_redirects=False,
    )

    assert response.status == 303


@pytest.mark.asyncio
async def test_oversized_form_is_refused(rep: Client) -> None:
    token = await session_csrf(rep)

    response = await rep.post(
        "/console/logout",
        data={"csrf_token": token, "padding": "x" * 40_000},
        headers={"Origin": PUBLIC_URL},
    )

    assert response.status == 413


def test_verify_password_accepts_only_the_hashed_password() -> None:
    encoded = hash_password("a long passphrase")

    assert verify_password("a long passphrase", encoded)
    assert not verify_password("a long passphrasE", encoded)
    assert not verify_password("a long passphrase", "md5$abc")


def test_create_user_refuses_a_short_password(store: LeadStore) -> None:
    from qualifier.users import AccountError

    with pytest.raises(AccountError, match="password must have"):
        Accounts(store).create_user("a@example.com", "short", is_admin=False, now=NOW)


def test_create_user_refuses_a_taken_email(store: LeadStore, rep_id: int) -> None:
    from qualifier.users import AccountError

    with pytest.raises(AccountError, match="already exists"):
        Accounts(store).create_user(
            REP_EMAIL.upper(), REP_PASSWORD, is_admin=False, now=NOW
        )
