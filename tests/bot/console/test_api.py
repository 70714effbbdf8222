"""The JSON API, its bearer tokens, the OpenAPI description and the CLI."""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from qualifier import users_cli
from qualifier.models import ApiToken, User
from qualifier.store import AnswerRecord, LeadStore
from qualifier.users import Accounts, verify_password
from tests.bot.console.conftest import NOW, SeedLead, TrackerEvents

Client = TestClient[Any, Any]


@pytest.fixture
def api_token(store: LeadStore) -> str:
    """Create an API token and return it."""
    return Accounts(store).create_api_token("crm sync", now=NOW)


def bearer(token: str) -> dict[str, str]:
    """Return the Authorization header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/api/leads", "/api/leads/1"])
async def test_api_without_token_gives_401(client: Client, path: str) -> None:
    response = await client.get(path)

    assert response.status == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert (await response.json())["error"] == "Unauthorized"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "header",
    ["Bearer ll_wrong", "Basic dXNlcjpwYXNz", "Bearer", "ll_wrong"],
    ids=["wrong-token", "basic", "empty", "no-scheme"],
)
async def test_api_with_wrong_token_gives_401(
    client: Client, api_token: str, header: str
) -> None:
    response = await client.get("/api/leads", headers={"Authorization": header})

    assert response.status == 401


@pytest.mark.asyncio
async def test_api_revoked_token_gives_401(
    client: Client, store: LeadStore, api_token: str
) -> None:
    with store.session() as session:
        for record in session.scalars(select(ApiToken)):
            record.revoked_at = NOW

    response = await client.get("/api/leads", headers=bearer(api_token))

    assert response.status == 401


@pytest.mark.asyncio
async def test_api_token_is_stored_hashed(store: LeadStore, api_token: str) -> None:
    with store.session() as session:
        hashes = list(session.scalars(select(ApiToken.token_hash)))

    assert api_token not in hashes
    assert len(hashes) == 1


@pytest.mark.asyncio
async def test_api_lists_leads_filtered_without_support(
    client: Client, store: LeadStore, seed_lead: SeedLead, api_token: str
) -> None:
    seed_lead("a", company="Acme", tier="hot", score=90.0)
    seed_lead("b", company="Globex", tier="warm", score=60.0)
    seed_lead("c", company="Helpdesk", tier="hot", status="support")

    response = await client.get("/api/leads?tier=hot", headers=bearer(api_token))

    body = await response.json()
    assert response.status == 200
    assert [item["company"] for item in body["items"]] == ["Acme"]
    assert body["total"] == 1
    assert body["pages"] == 1


@pytest.mark.asyncio
async def test_api_bad_parameter_gives_400_json(client: Client, api_token: str) -> None:
    response = await client.get("/api/leads?page=-3", headers=bearer(api_token))

    body = await response.json()
    assert response.status == 400
    assert "page must be a whole number" in body["detail"]


@pytest.mark.asyncio
async def test_api_lead_has_answers_and_transcript(
    client: Client,
    store: LeadStore,
    seed_lead: SeedLead,
    add_events: TrackerEvents,
    api_token: str,
) -> None:
    lead_id = seed_lead("v1", company="Acme", tier="hot")
    store.record_answers(
        "v1", "we have 50k", [AnswerRecord("budget", {"min": 50000}, "50k")], now=NOW
    )
    add_events([("v1", "user", 1796385600.0, {"text": "we have 50k"})])

    response = await client.get(f"/api/leads/{lead_id}", headers=bearer(api_token))

    body = await response.json()
    assert response.status == 200
    assert body["answers"][0]["evidence"] == "50k"
    assert body["transcript"] == [
        {
            "speaker": "visitor",
            "text": "we have 50k",
            "sent_at": "2026-12-04T12:00:00+00:00",
        }
    ]


@pytest.mark.asyncio
@pytest.mark.parametrize("lead_path", ["777", "x1"])
async def test_api_unknown_lead_gives_404_json(
    client: Client, api_token: str, lead_path: str
) -> None:
    response = await client.get(f"/api/leads/{lead_path}", headers=bearer(api_token))

    assert response.status == 404
    assert (await response.json())["error"] == "Not Found"


@pytest.mark.asyncio
async def test_openapi_describes_the_api(client: Client) -> None:
    response = await client.get("/api/openapi.json")

    document = await response.json()
    assert response.status == 200
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {"/api/leads", "/api/leads/{lead_id}"}
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def run_cli(argv: list[str]) -> int:
    """Run the console subcommands as python -m qualifier would."""
    parser = argparse.ArgumentParser(prog="python -m qualifier")
    users_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


def test_cli_create_user_reads_password_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("LEADLINE_DATABASE_URL", url)
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))

    code = run_cli(
        ["create-user", "--email", "Boss@Example.com", "--admin", "--password-stdin"]
    )

    store = LeadStore.connect(url)
    with store.session() as session:
        user = session.scalars(select(User)).one()
        assert (user.email, user.is_admin) == ("boss@example.com", True)
        assert verify_password("a long passphrase", user.password_hash)
    assert code == 0
    assert "a long passphrase" not in capsys.readouterr().out
    store.engine.dispose()


def test_cli_create_user_refuses_a_bad_email(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEADLINE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))

    code = run_cli(["create-user", "--email", "boss", "--password-stdin"])

    assert code == 1
    assert "is not an email address" in capsys.readouterr().err


def test_cli_create_api_token_prints_a_working_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("LEADLINE_DATABASE_URL", url)

    code = run_cli(["create-api-token", "--name", "crm"])

    token = capsys.readouterr().out.strip()
    store = LeadStore.connect(url)
    assert code == 0
    assert Accounts(store).api_token_id(token) is not None
    assert run_cli(["create-api-token", "--name", "crm"]) == 1
    store.engine.dispose()
