"""The hot-lead event stream, the dashboard, the embed page and transcripts."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from bot.console.dashboard import landing_page, parse_period
from bot.console.live import resume_cursor
from bot.console.queries import QueryError
from qualifier.facts import PageContext
from qualifier.store import LeadStore
from qualifier.transcripts import TranscriptReader
from tests.bot.console.conftest import NOW, PUBLIC_URL, SeedLead, TrackerEvents

Client = TestClient[Any, Any]
DAY = 86400.0
NOW_STAMP = NOW.timestamp()


async def next_event(response: ClientResponse, name: str) -> dict[str, Any]:
    """Read the stream until an event called ``name``; return its data."""
    current = None
    while True:
        line = (await response.content.readline()).decode().strip()
        if not line and response.content.at_eof():
            raise AssertionError(f"the stream ended before a {name} event")

        if line.startswith("event: "):
            current = line.removeprefix("event: ")
        elif line.startswith("data: ") and current == name:
            return dict(json.loads(line.removeprefix("data: ")))


@pytest.mark.asyncio
async def test_events_stream_sends_a_lead_that_turns_hot(
    rep: Client, store: LeadStore, seed_lead: SeedLead
) -> None:
    seed_lead(
        "old-hot", company="Old", tier="hot", now=datetime.now(UTC) - timedelta(hours=1)
    )
    response = await rep.get("/console/events")
    assert response.headers["Content-Type"] == "text/event-stream"

    seed_lead(
        "new-hot",
        company="Fresh Co",
        tier="hot",
        score=91.0,
        now=datetime.now(UTC) + timedelta(seconds=1),
    )
    data = await asyncio.wait_for(next_event(response, "lead.hot"), timeout=5)

    assert data["company"] == "Fresh Co"
    assert data["url"] == f"/console/leads/{data['id']}"
    response.close()


@pytest.mark.asyncio
async def test_events_stream_skips_warm_and_support_leads(
    rep: Client, store: LeadStore, seed_lead: SeedLead
) -> None:
    response = await rep.get("/console/events")

    later = datetime.now(UTC) + timedelta(seconds=1)
    seed_lead("warm", company="Warm", tier="warm", now=later)
    seed_lead("help", company="Help", tier="hot", status="support", now=later)
    seed_lead("hot", company="Hot", tier="hot", now=later + timedelta(seconds=1))
    data = await asyncio.wait_for(next_event(response, "lead.hot"), timeout=5)

    assert data["company"] == "Hot"
    response.close()


def test_resume_cursor_replays_at_most_ten_minutes() -> None:
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)

    assert resume_cursor(None, now=now).updated_at == now
    assert resume_cursor("garbage", now=now).updated_at == now
    assert resume_cursor("2026-12-04T11:58:00+00:00|7", now=now).lead_id == 7
    assert resume_cursor("2026-12-01T00:00:00+00:00|7", now=now).updated_at == (
        now - timedelta(minutes=10)
    )


@pytest.fixture
def funnel_data(
    store: LeadStore, seed_lead: SeedLead, add_events: TrackerEvents
) -> None:
    """Seed leads, a booking and tracker events around 1-4 December 2026."""
    leads = [
        ("a", "SQL", "google", "https://example.com/pricing?utm_source=google", 0),
        ("b", "MQL", "google", "https://example.com/pricing#plans", 1),
        ("c", "IQL", "linkedin", "https://example.com/", 2),
        ("d", "PQL", None, "https://example.com/trial", 3),
        ("e", "SQL", "google", "https://example.com/pricing", 20),
        ("f", "SQL", "google", "https://example.com/pricing", 0),
    ]
    for sender, stage, source, page_url, days_ago in leads:
        now = NOW - timedelta(days=days_ago)
        seed_lead(sender, stage=stage, now=now)
        store.save_page_context(
            sender,
            PageContext(page_url=page_url, utm_source=source),
            time_zone="UTC",
            now=now,
        )

    store.update_lead("f", now=NOW, status="support")
    seed_lead("unscored", now=NOW)
    store.book(
        "a",
        start=NOW + timedelta(days=2),
        end=NOW + timedelta(days=2, hours=1),
        time_zone="UTC",
        token="t" * 24,
        now=NOW,
    )
    add_events(
        [
            ("a", "user", NOW_STAMP, {"text": "hi"}),
            ("a", "user", NOW_STAMP + 5, {"text": "again"}),
            ("b", "user", NOW_STAMP - DAY, {"text": "hi"}),
            ("c", "bot", NOW_STAMP - DAY, {"text": "only the bot spoke"}),
            ("x", "user", NOW_STAMP - 2 * DAY, {"text": "hi"}),
            ("old", "user", NOW_STAMP - 30 * DAY, {"text": "hi"}),
        ]
    )


def funnel_numbers(html: str) -> dict[str, int]:
    """Return the funnel table of the dashboard as label: count."""
    numbers = {}
    for label in ("Conversations", "Leads", "MQL or better", "SQL", "Meetings booked"):
        start = html.index(f"<th>{label}</th>") + len(f"<th>{label}</th>")
        cell = html[start : html.index("</td>", start)]
        numbers[label] = int(cell.split(">")[-1])

    return numbers


@pytest.mark.asyncio
async def test_dashboard_counts_the_funnel(rep: Client, funnel_data: None) -> None:
    response = await rep.get("/console/dashboard?from=2026-12-01&to=2026-12-04")

    html = await response.text()
    assert response.status == 200
    assert funnel_numbers(html) == {
        "Conversations": 3,
        "Leads": 4,
        "MQL or better": 3,
        "SQL": 1,
        "Meetings booked": 1,
    }
    assert "<svg" in html


@pytest.mark.asyncio
async def test_dashboard_groups_by_source_and_page(
    rep: Client, funnel_data: None
) -> None:
    response = await rep.get("/console/dashboard?from=2026-12-01&to=2026-12-04")

    html = await response.text()
    assert (
        '<tr><td>google</td><td class="num">2</td><td class="num">2</td>'
        '<td class="num">1</td><td class="num">100%</td></tr>'
    ) in html
    assert '<tr><td>(direct)</td><td class="num">1</td>' in html
    assert '<tr><td>https://example.com/pricing</td><td class="num">2</td>' in html
    assert "utm_source=google" not in html


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "query",
    [
        "from=yesterday",
        "from=2026-12-05&to=2026-12-01",
        "from=2020-01-01&to=2026-01-01",
    ],
    ids=["not-a-date", "reversed", "too-long"],
)
async def test_dashboard_bad_period_gives_400(rep: Client, query: str) -> None:
    response = await rep.get(f"/console/dashboard?{query}")

    assert response.status == 400


def test_parse_period_defaults_to_the_last_30_days() -> None:
    start, end = parse_period({}, today=NOW.date())

    assert (end - start).days == 29
    assert end == NOW.date()
    with pytest.raises(QueryError):
        parse_period({"to": "2026-02-30"}, today=NOW.date())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=1", "https://example.com/a"),
        ("https://example.com/a#top", "https://example.com/a"),
        (None, "(unknown)"),
    ],
)
def test_landing_page_drops_query_and_fragment(url: str | None, expected: str) -> None:
    assert landing_page(url) == expected


@pytest.mark.asyncio
async def test_embed_page_shows_the_snippet_as_text(rep: Client) -> None:
    response = await rep.get("/console/embed")

    html = await response.text()
    assert response.status == 200
    assert (
        f"&lt;script src=&#34;{PUBLIC_URL}/widget.js&#34; "
        f"data-server=&#34;{PUBLIC_URL}&#34; async&gt;&lt;/script&gt;"
    ) in html
    assert '<script src="/console/static/console.js"' in html
    assert html.count("<script") == 1


@pytest.mark.asyncio
async def test_static_script_is_served(rep: Client) -> None:
    response = await rep.get("/console/static/console.js")

    assert response.status == 200
    assert "EventSource" in await response.text()


def test_transcript_reader_without_tracker_file_reads_empty(tmp_path: Path) -> None:
    reader = TranscriptReader.connect(f"sqlite:///{tmp_path}/missing.db")

    assert reader.transcript("anyone") == []
    assert reader.count_conversations(NOW, NOW) == 0
    assert not (tmp_path / "missing.db").exists()


def test_transcript_reader_without_events_table_reads_empty(tmp_path: Path) -> None:
    (tmp_path / "empty.db").write_bytes(b"")
    reader = TranscriptReader.connect(f"sqlite:///{tmp_path}/empty.db")

    assert reader.transcript("anyone") == []
    assert reader.engine is not None
    reader.engine.dispose()


def test_transcript_reader_keeps_user_and_bot_text_in_order(
    tracker_path: Path, add_events: TrackerEvents
) -> None:
    add_events(
        [
            ("s", "bot", 5.0, {"text": "second"}),
            ("s", "slot", 6.0, {"name": "budget"}),
            ("s", "user", 1.0, {"text": "third, stored last"}),
            ("s", "user", 7.0, {"no_text": True}),
        ]
    )
    reader = TranscriptReader.connect(f"sqlite:///{tracker_path}")

    lines = reader.transcript("s")

    assert [(line.speaker, line.text) for line in lines] == [
        ("bot", "second"),
        ("visitor", "third, stored last"),
        ("visitor", ""),
    ]
    assert reader.engine is not None
    reader.engine.dispose()
