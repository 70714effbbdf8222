"""The lead list, the lead page, the CSV export and outcome recording."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.console.leads import safe_cell
from qualifier.facts import PageContext
from qualifier.models import LeadOutcome
from qualifier.store import AnswerRecord, LeadStore
from tests.bot.console.conftest import (
    NOW,
    PUBLIC_URL,
    SeedLead,
    TrackerEvents,
    session_csrf,
)

Client = TestClient[Any, Any]
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def lead_table(store: LeadStore, seed_lead: SeedLead) -> dict[str, int]:
    """Seed five leads of varied tier, stage, score, date and source."""
    rows = [
        ("acme", "Acme Corp", "Ann Lee", "hot", "SQL", 88.0, 0, "google"),
        ("globex", "Globex", "Bob Stone", "warm", "MQL", 61.5, 1, "linkedin"),
        ("initech", "Initech", "Cara Diaz", "cold", "IQL", 20.0, 3, "google"),
        ("umbrella", "Umbrella 100%", "Dan Wu", "warm", "MQL", 55.0, 10, None),
        ("support", "Acme Support", "Eve Roe", "hot", "SQL", 90.0, 0, "google"),
    ]
    ids = {}
    for key, company, name, tier, stage, score, days_ago, source in rows:
        now = NOW - timedelta(days=days_ago)
        ids[key] = seed_lead(
            key,
            now=now,
            company=company,
            name=name,
            tier=tier,
            stage=stage,
            score=score,
            utm={"source": source} if source else {},
        )

    store.update_lead("support", now=NOW, status="support")
    return ids


def companies_in(html: str) -> list[str]:
    """Return the companies of the lead table, in order."""
    names = ["Acme Corp", "Globex", "Initech", "Umbrella 100%", "Acme Support"]
    found = [(html.index(f">{name}<"), name) for name in names if f">{name}<" in html]
    return [name for _position, name in sorted(found)]


@pytest.mark.asyncio
async def test_leads_list_leaves_out_support_requests(
    rep: Client, lead_table: dict[str, int]
) -> None:
    response = await rep.get("/console/leads")

    html = await response.text()
    assert response.status == 200
    assert "Acme Support" not in html
    assert companies_in(html) == ["Acme Corp", "Globex", "Initech", "Umbrella 100%"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tier=warm", ["Globex", "Umbrella 100%"]),
        ("stage=SQL", ["Acme Corp"]),
        ("min_score=55&max_score=70", ["Globex", "Umbrella 100%"]),
        ("from=2026-12-01&to=2026-12-03", ["Globex", "Initech"]),
        ("source=google", ["Acme Corp", "Initech"]),
        ("q=glob", ["Globex"]),
        ("q=dan", ["Umbrella 100%"]),
        ("q=100%25", ["Umbrella 100%"]),
        ("q=_", []),
        ("sort=score", ["Initech", "Umbrella 100%", "Globex", "Acme Corp"]),
        ("sort=-score", ["Acme Corp", "Globex", "Umbrella 100%", "Initech"]),
        ("sort=company", ["Acme Corp", "Globex", "Initech", "Umbrella 100%"]),
        ("sort=-created&per_page=2&page=2", ["Initech", "Umbrella 100%"]),
        ("sort=-created&per_page=3&page=2", ["Umbrella 100%"]),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
async def test_leads_list_filters_sorts_and_pages(
    rep: Client, lead_table: dict[str, int], query: str, expected: list[str]
) -> None:
    response = await rep.get(f"/console/leads?{query}")

    assert response.status == 200
    assert companies_in(await response.text()) == expected


@pytest.mark.asyncio
async def test_leads_list_links_to_the_next_page(
    rep: Client, lead_table: dict[str, int]
) -> None:
    response = await rep.get("/console/leads?per_page=3&tier=warm")

    html = await response.text()
    assert "2 leads" in html
    assert 'rel="next"' not in html


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("tier=boiling", "tier must be one of"),
        ("stage=XQL", "stage must be one of"),
        ("min_score=abc", "min_score must be a number"),
        ("min_score=nan", "min_score must be a number"),
        ("min_score=80&max_score=10", "must not be above"),
        ("from=2026-13-01", "from must be a date"),
        ("from=2026-12-05&to=2026-12-01", "must not be after"),
        ("to=9999-12-31", "to must be a date"),
        ("page=0", "page must be a whole number"),
        ("per_page=1000", "per_page must be a whole number"),
        ("sort=password", "sort must be one of"),
        ("q=" + "x" * 300, "q must have at most"),
    ],
    ids=lambda value: value[:30] if isinstance(value, str) else None,
)
async def test_leads_list_bad_parameter_gives_400(
    rep: Client, query: str, message: str
) -> None:
    response = await rep.get(f"/console/leads?{query}")

    assert response.status == 400
    assert message in await response.text()


@pytest.mark.asyncio
async def test_lead_page_shows_bant_evidence_score_and_transcript(
    rep: Client, store: LeadStore, seed_lead: SeedLead, add_events: TrackerEvents
) -> None:
    breakdown = [
        {"name": "budget", "points": 25, "max_points": 25, "reason": "budget fits"}
    ]
    lead_id = seed_lead(
        "visitor-7",
        company="Acme",
        tier="hot",
        stage="SQL",
        score=81.0,
        score_breakdown=breakdown,
    )
    store.record_answers(
        "visitor-7",
        "around 50k, need it by end of Q3",
        [AnswerRecord("budget", {"min": 50000, "currency": "USD"}, "around 50k")],
        now=NOW,
    )
    store.save_page_context(
        "visitor-7",
        PageContext(page_url="https://example.com/pricing?x=1", utm_source="google"),
        time_zone="UTC",
        now=NOW,
    )
    add_events(
        [
            ("visitor-7", "user", 1.0, {"text": "hi, I want a demo"}),
            ("visitor-7", "action", 2.0, {"name": "action_listen"}),
            ("visitor-7", "bot", 3.0, {"text": "What budget do you have in mind?"}),
            ("visitor-8", "user", 4.0, {"text": "someone else"}),
        ]
    )

    response = await rep.get(f"/console/leads/{lead_id}")

    html = await response.text()
    assert response.status == 200
    assert "around 50k" in html
    assert "around 50k, need it by end of Q3" in html
    assert "budget fits" in html
    assert "google" in html
    assert html.index("hi, I want a demo") < html.index("What budget do you")
    assert "someone else" not in html
    assert "action_listen" not in html


@pytest.mark.asyncio
async def test_lead_page_escapes_visitor_script(
    rep: Client, store: LeadStore, seed_lead: SeedLead, add_events: TrackerEvents
) -> None:
    lead_id = seed_lead("visitor-x", company=SCRIPT, name=SCRIPT)
    store.record_answers(
        "visitor-x", SCRIPT, [AnswerRecord("need", {"pain": SCRIPT}, SCRIPT)], now=NOW
    )
    add_events([("visitor-x", "user", 1.0, {"text": SCRIPT})])

    response = await rep.get(f"/console/leads/{lead_id}")

    html = await response.text()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.asyncio
async def test_leads_list_escapes_visitor_script(
    rep: Client, seed_lead: SeedLead
) -> None:
    seed_lead("visitor-x", company=SCRIPT)

    html = await (await rep.get("/console/leads")).text()

    assert SCRIPT not in html
    assert "&lt;script&gt;" in html


@pytest.mark.asyncio
@pytest.mark.parametrize("lead_path", ["999999", "abc", "-1", "1e3", "9" * 40])
async def test_lead_page_unknown_id_gives_404(rep: Client, lead_path: str) -> None:
    response = await rep.get(f"/console/leads/{lead_path}")

    assert response.status == 404
    assert "No lead has that id" in await response.text()


@pytest.mark.asyncio
async def test_lead_page_hides_support_requests(
    rep: Client, lead_table: dict[str, int]
) -> None:
    response = await rep.get(f"/console/leads/{lead_table['support']}")

    assert response.status == 404


@pytest.mark.asyncio
async def test_csv_export_follows_the_filter(
    rep: Client, lead_table: dict[str, int]
) -> None:
    response = await rep.get("/console/leads.csv?tier=warm&sort=company")

    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert [row["company"] for row in rows] == ["Globex", "Umbrella 100%"]


@pytest.mark.asyncio
async def test_csv_export_neutralises_formulas(
    rep: Client, seed_lead: SeedLead
) -> None:
    seed_lead("visitor-f", company='=HYPERLINK("http://127.0.0.1")', name="@SUM(A1)")

    response = await rep.get("/console/leads.csv")

    row = next(csv.DictReader(io.StringIO(await response.text())))
    assert row["company"] == '\'=HYPERLINK("http://127.0.0.1")'
    assert row["name"] == "'@SUM(A1)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("Acme", "Acme"),
        (42.5, 42.5),
    ],
    ids=["equals", "plus", "minus", "at", "tab", "plain", "number"],
)
def test_safe_cell_prefixes_formula_starts(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


@pytest.mark.asyncio
async def test_outcome_is_recorded_with_time_and_user(
    rep: Client, store: LeadStore, seed_lead: SeedLead, rep_id: int
) -> None:
    lead_id = seed_lead("visitor-1", company="Acme", tier="hot")
    token = await session_csrf(rep)

    response = await rep.post(
        f"/console/leads/{lead_id}/outcome",
        data={"outcome": "no-show", "csrf_token": token},
        headers={"Origin": PUBLIC_URL},
        allow_redirects=False,
    )

    lead = store.get_lead("visitor-1")
    with store.session() as session:
        history = list(session.scalars(select(LeadOutcome)))
    assert response.status == 303
    assert response.headers["Location"] == f"/console/leads/{lead_id}"
    assert lead is not None and lead.outcome == "no-show"
    assert lead.outcome_at is not None
    assert [(item.outcome, item.user_id) for item in history] == [("no-show", rep_id)]
    assert datetime.now(UTC) - history[0].recorded_at.replace(tzinfo=UTC) < timedelta(
        minutes=1
    )


@pytest.mark.asyncio
async def test_outcome_page_shows_the_recorded_outcome(
    rep: Client, seed_lead: SeedLead
) -> None:
    lead_id = seed_lead("visitor-1", company="Acme")
    token = await session_csrf(rep)

    response = await rep.post(
        f"/console/leads/{lead_id}/outcome",
        data={"outcome": "won", "csrf_token": token},
        headers={"Origin": PUBLIC_URL},
    )

    assert response.status == 200
    assert '<strong class="outcome">won</strong>' in await response.text()


@pytest.mark.asyncio
async def test_outcome_unknown_value_gives_400(
    rep: Client, seed_lead: SeedLead
) -> None:
    lead_id = seed_lead("visitor-1", company="Acme")
    token = await session_csrf(rep)

    response = await rep.post(
        f"/console/leads/{lead_id}/outcome",
        data={"outcome": "maybe", "csrf_token": token},
        headers={"Origin": PUBLIC_URL},
    )

    assert response.status == 400
    assert "outcome must be one of" in await response.text()


@pytest.mark.asyncio
async def test_outcome_unknown_lead_gives_404(rep: Client) -> None:
    token = await session_csrf(rep)

    response = await rep.post(
        "/console/leads/424242/outcome",
        data={"outcome": "won", "csrf_token": token},
        headers={"Origin": PUBLIC_URL},
    )

    assert response.status == 404
