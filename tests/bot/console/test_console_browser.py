"""The sales console in a real browser: Debian's Chromium driven by Playwright.

Each test serves the real web app (``bot.web.create_app``) on a free
127.0.0.1 port, with a fresh SQLite lead store and a SQLite tracker file seeded
with Rasa-style events. No Rasa is needed. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web

from bot.web import create_app
from qualifier.settings import load_settings
from qualifier.store import LeadStore
from qualifier.users import Accounts
from tests.bot.console.conftest import REP_EMAIL, REP_PASSWORD, TrackerEvents
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

playwright_api = pytest.importorskip("playwright.async_api")

pytestmark = [pytest.mark.browser, pytest.mark.asyncio]

XSS_COMPANY = "<img src=x onerror=alert(1)>"
XSS_NAME = "<script>alert(2)</script>"
# Keeps the real Notification's permission but records every notification
# shown instead of handing it to the desktop.
RECORD_NOTIFICATIONS = """
(() => {
  const Real = window.Notification;
  const shown = [];
  class RecordingNotification {
    constructor(title, options) {
      this.title = title;
      this.options = options || {};
      this.onclick = null;
      shown.push(this);
    }
    static get permission() { return Real ? Real.permission : "denied"; }
    static requestPermission(...args) { return Real.requestPermission(...args); }
  }
  Object.defineProperty(window, "Notification", {
    value: RecordingNotification, configurable: true, writable: true,
  });
  window.__shownNotifications = shown;
})();
"""
SHOWN_NOTIFICATIONS = """
() => window.__shownNotifications.map(n => ({
  title: n.title, body: n.options.body ?? null, tag: n.options.tag ?? null,
  data: JSON.stringify(n.options),
}))
"""

Seed = Callable[..., Awaitable[int]]


@dataclass
class Console:
    """The running web app of one test and its lead store."""

    url: str
    store: LeadStore
    dialogs: list[str] = field(default_factory=list)


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def expect(target: object) -> Any:
    """Return Playwright's assertion helper for a locator or page."""
    return playwright_api.expect(target)


@pytest_asyncio.fixture
async def console(
    sqlite_store: LeadStore, tracker_path: Path
) -> AsyncIterator[Console]:
    """Serve the real web app, without the delivery worker, on 127.0.0.1."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LEADLINE_PUBLIC_URL", url)
        env.setenv("LEADLINE_TRACKER_URL", f"sqlite:///{tracker_path}")
        env.setenv("LEADLINE_ALLOWED_ORIGINS", url)
        # Nothing here talks to Rasa; a closed loopback port makes sure of it.
        env.setenv("LEADLINE_RASA_URL", "http://127.0.0.1:9")
        env.setenv("LEADLINE_HANDOFF_WEBHOOK_URL", "")
        app = create_app(load_settings(), sqlite_store, worker=False)

    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.to_thread(
        Accounts(sqlite_store).create_user,
        REP_EMAIL,
        REP_PASSWORD,
        is_admin=False,
        now=datetime.now(UTC),
    )
    yield Console(url=url, store=sqlite_store)
    await runner.cleanup()


@pytest.fixture
def seed(console: Console) -> Seed:
    """Create or change a lead off the event loop; return its id.

    ``booked_at`` books a demo for the lead starting at that time.
    """

    def write(
        sender_id: str, now: datetime, booked_at: datetime | None, fields: dict
    ) -> int:
        store = console.store
        store.update_lead(sender_id, now=now, **fields)
        if booked_at is not None:
            store.book(
                sender_id,
                start=booked_at,
                end=booked_at + timedelta(minutes=30),
                time_zone="Europe/Berlin",
                token=f"token-{sender_id}-0123456789abcdef",
                now=now,
            )

        lead = store.get_lead(sender_id)
        assert lead is not None
        return lead.id

    async def seed_lead(
        sender_id: str,
        *,
        now: datetime | None = None,
        booked_at: datetime | None = None,
        **fields: Any,
    ) -> int:
        moment = now or datetime.now(UTC)
        return await asyncio.to_thread(write, sender_id, moment, booked_at, fields)

    return seed_lead


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Any]:
    """Launch Debian's Chromium; never a browser Playwright downloads."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; run scripts/install-browser.sh")

    async with playwright_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        await browser.close()


@pytest_asyncio.fixture
async def page(browser: Any, console: Console) -> AsyncIterator[Any]:
    """Open a desktop-sized page that records (and dismisses) every dialog."""
    context = await browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = await context.new_page()

    async def on_dialog(dialog: Any) -> None:
        console.dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    await context.close()


async def sign_in(page: Any, console: Console, path: str = "/console/leads") -> None:
    """Open a console page, sign in as the rep on the form, land on ``path``."""
    await page.goto(console.url + path)
    await expect(page).to_have_url(re.compile(r"/console/login\?next="))
    await page.get_by_label("Email").fill(REP_EMAIL)
    await page.get_by_label("Password").fill(REP_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(console.url + path)


async def table_rows(page: Any) -> list[dict[str, str]]:
    """Return the lead list's rows as dicts of column heading to cell text."""
    return list(
        await page.locator("table.leads").evaluate(
            """table => {
              const heads = [...table.tHead.rows[0].cells].map(c => c.innerText.trim());
              return [...table.tBodies[0].rows].map(row => {
                const cells = Object.fromEntries([...row.cells].map(
                  (cell, i) => [heads[i], cell.innerText.trim()]));
                const link = row.querySelector("a");
                cells.href = link ? link.getAttribute("href") : "";
                return cells;
              });
            }"""
        )
    )


# 1. Hot leads arrive live, with a desktop notification --------------------------


async def test_a_lead_turning_hot_shows_live_and_notifies_once(
    console: Console, page: Any, seed: Seed
) -> None:
    earlier = datetime.now(UTC) - timedelta(hours=2)
    await seed("warm-one", now=earlier, company="Globex", tier="warm", stage="MQL")
    await seed("hot-before", now=earlier, company="Initech", tier="hot", stage="SQL")
    await page.context.grant_permissions(["notifications"], origin=console.url)
    await page.add_init_script(RECORD_NOTIFICATIONS)
    await sign_in(page, console, "/console/leads?tier=hot")
    async with page.expect_response(lambda r: "/console/events" in r.url) as stream:
        await page.reload()
    assert (await stream.value).status == 200
    button = page.get_by_role("button", name="Notify me of hot leads")
    if await button.is_visible():
        await button.click()
    await expect(button).to_be_hidden()
    assert await page.evaluate("Notification.permission") == "granted"
    rows_before = await table_rows(page)

    lead_id = await seed(
        "fresh-hot",
        company="Northwind Traders",
        name="Dana Scully",
        email="dana.scully@northwind.example",
        tier="hot",
        stage="SQL",
        score=88.5,
        utm={"source": "google"},
        page_url="https://www.example.com/pricing",
    )

    banner = page.locator("#hot-banner")
    await expect(banner).to_be_visible(timeout=10_000)
    await expect(banner).to_have_text("Northwind Traders is hot (score 88.5)")
    await expect(banner.get_by_role("link")).to_have_attribute(
        "href", f"/console/leads/{lead_id}"
    )
    await page.wait_for_timeout(2_500)  # one more poll of the stream
    shown = await page.evaluate(SHOWN_NOTIFICATIONS)
    page_text = await page.locator("body").inner_text()
    assert [(n["title"], n["body"], n["tag"]) for n in shown] == [
        ("Hot lead", "Northwind Traders is hot", f"lead-{lead_id}")
    ]
    assert shown[0]["body"] in page_text
    assert "Dana" not in shown[0]["data"]
    assert "northwind.example" not in shown[0]["data"]
    assert [row["Company"] for row in rows_before] == ["Initech"]
    assert console.dialogs == []

    await page.evaluate("window.__shownNotifications[0].onclick()")
    await expect(page).to_have_url(f"{console.url}/console/leads/{lead_id}")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Northwind Traders"
    )


# 2. The dashboard ----------------------------------------------------------------


async def seed_dashboard(seed: Seed, add_events: TrackerEvents) -> None:
    """Seed five counted leads, three that must be left out, and transcripts."""
    now = datetime.now(UTC)
    day = timedelta(days=1)
    meeting = (now + 3 * day).replace(minute=0, second=0, microsecond=0)
    counted = [
        ("a1", "google", "https://acme.example/pricing?plan=pro", "SQL", "hot", True),
        ("a2", "google", "https://acme.example/pricing", "MQL", "warm", False),
        ("a3", "newsletter", "https://acme.example/blog/post", "IQL", "cold", False),
        ("a4", None, "https://acme.example/pricing#faq", "PQL", "warm", True),
        ("a5", "newsletter", "https://acme.example/demo", "SQL", "hot", False),
    ]
    for index, (sender, source, page_url, stage, tier, booked) in enumerate(counted):
        await seed(
            sender,
            now=now - (index + 1) * day,
            company=f"Company {sender}",
            utm={"source": source} if source else {},
            page_url=page_url,
            stage=stage,
            tier=tier,
            score=50.0 + index,
            booked_at=meeting + index * timedelta(hours=1) if booked else None,
        )
    # Left out: a support request, an unscored lead and one before the period.
    await seed(
        "x-support",
        now=now - 2 * day,
        status="support",
        stage="SQL",
        utm={"source": "google"},
        booked_at=meeting + 10 * timedelta(hours=1),
    )
    await seed("x-unscored", now=now - 2 * day, utm={"source": "google"})
    await seed(
        "x-old",
        now=now - 45 * day,
        stage="SQL",
        tier="hot",
        utm={"source": "google"},
        page_url="https://acme.example/pricing",
        booked_at=now - 44 * day,
    )
    stamp = (now - 2 * day).timestamp()
    old_stamp = (now - 45 * day).timestamp()
    visitors = ["a1", "a2", "a3", "a4", "a5", "bounce-1", "bounce-2"]
    add_events(
        [
            (sender, "user", stamp, {"event": "user", "text": "hi"})
            for sender in visitors
        ]
        + [
            (sender, "bot", stamp + 1, {"event": "bot", "text": "Hello!"})
            for sender in visitors
        ]
        + [
            ("a1", "user", stamp + 5, {"event": "user", "text": "a demo"}),
            ("bot-only", "bot", stamp, {"event": "bot", "text": "Hello!"}),
            ("x-old", "user", old_stamp, {"event": "user", "text": "hi"}),
        ]
    )


async def chart_rows(section: Any) -> list[dict[str, Any]]:
    """Return each bar group of a section's chart: its label and rect widths."""
    return list(
        await section.locator("svg.chart").evaluate(
            """svg => [...svg.querySelectorAll(":scope > g")].map(g => ({
              label: g.querySelector("text").textContent.trim(),
              widths: [...g.querySelectorAll("rect")].map(
                r => Number(r.getAttribute("width"))),
              value: g.querySelectorAll("text")[1].textContent.trim(),
            }))"""
        )
    )


async def segment_table(section: Any) -> dict[str, list[str]]:
    """Return a section's segment table as key -> the other cells' text."""
    rows = await section.locator("table.segments tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    return {cells[0]: cells[1:] for cells in rows}


async def test_dashboard_charts_match_the_seeded_leads(
    console: Console, page: Any, seed: Seed, add_events: TrackerEvents
) -> None:
    await seed_dashboard(seed, add_events)

    await sign_in(page, console, "/console/dashboard")
    funnel = page.locator("section").filter(
        has=page.get_by_role("heading", name="Funnel")
    )
    sources = page.locator("section").filter(
        has=page.get_by_role("heading", name="By source")
    )
    pages = page.locator("section").filter(
        has=page.get_by_role("heading", name="By landing page")
    )
    await expect(funnel.locator("svg.chart")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / "console-dashboard.png", full_page=True)
    funnel_table = await funnel.locator("table.funnel tr").evaluate_all(
        "rows => rows.map(r => [r.cells[0].innerText.trim(), r.cells[1].innerText])"
    )
    funnel_bars = await chart_rows(funnel)
    source_bars = await chart_rows(sources)
    page_bars = await chart_rows(pages)

    expected = [
        ("Conversations", 7),
        ("Leads", 5),
        ("MQL or better", 4),
        ("SQL", 2),
        ("Meetings booked", 2),
    ]
    assert [(label, int(count)) for label, count in funnel_table] == expected
    assert [(b["label"], int(b["value"])) for b in funnel_bars] == expected
    assert [b["widths"] for b in funnel_bars] == [
        [round(360 * count / 7)] for _label, count in expected
    ]
    assert {b["label"]: b["widths"] for b in source_bars} == {
        "google": [360, 360],
        "newsletter": [360, 180],
        "(direct)": [180, 180],
    }
    assert await segment_table(sources) == {
        "google": ["2", "2", "1", "100%"],
        "newsletter": ["2", "1", "0", "50%"],
        "(direct)": ["1", "1", "1", "100%"],
    }
    assert {b["label"]: b["widths"] for b in page_bars} == {
        "https://acme.example/pricing": [360, 360],
        "https://acme.example/blog/post": [120, 0],
        "https://acme.example/demo": [120, 120],
    }
    assert await segment_table(pages) == {
        "https://acme.example/pricing": ["3", "3", "2", "100%"],
        "https://acme.example/blog/post": ["1", "0", "0", "0%"],
        "https://acme.example/demo": ["1", "1", "0", "100%"],
    }
    assert console.dialogs == []


# 3. CSV export -------------------------------------------------------------------


async def test_csv_export_has_the_rows_of_the_filtered_list(
    console: Console, page: Any, seed: Seed
) -> None:
    now = datetime.now(UTC)
    leads = [
        ("c1", "Acme Analytics", "Ann Lee", "warm", "MQL", 61.0, "google"),
        ("c2", "Beta Builders", "Bo Chen", "hot", "SQL", 90.0, "google"),
        ("c3", "=SUM(A1:A9)", "Cy Dunn", "warm", "MQL", 64.5, "newsletter"),
        ("c4", "Delta Dynamics", "Di Eve", "warm", "IQL", 58.25, "google"),
        ("c5", "Echo Energy", "Ed Fox", "cold", "IQL", 20.0, None),
        ("c6", "Acme Support", "Flo Gil", "warm", "MQL", 70.0, "google"),
    ]
    for index, (sender, company, name, tier, stage, score, source) in enumerate(leads):
        await seed(
            sender,
            now=now - timedelta(hours=index + 1),
            company=company,
            name=name,
            email=f"{sender}@customer.example",
            tier=tier,
            stage=stage,
            score=score,
            utm={"source": source} if source else {},
        )
    await seed("c6", now=now, status="support")

    await sign_in(page, console)
    await page.get_by_label("Tier").select_option("warm")
    await page.get_by_label("Source").fill("google")
    await page.get_by_role("button", name="Filter").click()
    await expect(page.locator("p.count")).to_have_text("2 leads · page 1 of 1")
    rows = await table_rows(page)
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Export CSV").click()
    download = await download_info.value
    text = Path(await download.path()).read_text(encoding="utf-8")
    exported = list(csv.DictReader(io.StringIO(text)))

    assert download.suggested_filename == "leads.csv"
    assert [row["Company"] for row in rows] == ["Acme Analytics", "Delta Dynamics"]
    assert [
        (f"/console/leads/{r['id']}", r["company"], r["name"], r["tier"], r["stage"])
        for r in exported
    ] == [
        (row["href"], row["Company"], row["Name"], row["Tier"], row["Stage"])
        for row in rows
    ]
    assert [f"{float(r['score']):.1f}" for r in exported] == [
        row["Score"] for row in rows
    ]
    assert [r["created_at"][:16].replace("T", " ") for r in exported] == [
        row["Created"] for row in rows
    ]
    assert {r["utm_source"] for r in exported} == {"google"}
    assert [r["email"] for r in exported] == [
        "c1@customer.example",
        "c4@customer.example",
    ]


async def test_csv_export_neutralises_a_formula_company(
    console: Console, page: Any, seed: Seed
) -> None:
    await seed("f1", company="=SUM(A1:A9)", tier="warm", stage="MQL", score=64.5)
    await seed("f2", company="Plain Co", tier="cold", stage="IQL", score=10.0)

    await sign_in(page, console, "/console/leads?tier=warm")
    rows = await table_rows(page)
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Export CSV").click()
    download = await download_info.value
    text = Path(await download.path()).read_text(encoding="utf-8")
    exported = list(csv.DictReader(io.StringIO(text)))

    assert [row["Company"] for row in rows] == ["=SUM(A1:A9)"]
    assert [r["company"] for r in exported] == ["'=SUM(A1:A9)"]


# 4. Keyboard use and escaping ----------------------------------------------------


async def test_script_like_company_shows_as_text_and_opens_by_keyboard(
    console: Console, page: Any, seed: Seed
) -> None:
    lead_id = await seed(
        "xss",
        now=datetime.now(UTC) - timedelta(hours=1),
        company=XSS_COMPANY,
        name=XSS_NAME,
        tier="warm",
        stage="MQL",
        score=72.0,
    )
    await sign_in(page, console)
    link = page.get_by_role("link", name=XSS_COMPANY, exact=True)
    await expect(link).to_be_visible()
    await expect(page.locator("table.leads")).to_contain_text(XSS_NAME)

    for _ in range(60):
        await page.keyboard.press("Tab")
        if await link.evaluate("a => document.activeElement === a"):
            break
    await expect(link).to_be_focused()
    await page.keyboard.press("Enter")

    await expect(page).to_have_url(f"{console.url}/console/leads/{lead_id}")
    heading = page.get_by_role("heading", level=1)
    await expect(heading).to_have_text(f"{XSS_COMPANY} lead {lead_id}")
    await expect(page.locator("dl.facts").first).to_contain_text(XSS_NAME)
    await page.wait_for_timeout(300)
    assert await page.locator("main img, main script").count() == 0
    assert console.dialogs == []


async def test_script_like_company_turning_hot_shows_as_text(
    console: Console, page: Any, seed: Seed
) -> None:
    await seed(
        "xss-live",
        now=datetime.now(UTC) - timedelta(hours=1),
        company=XSS_COMPANY,
        tier="warm",
    )
    await page.add_init_script(RECORD_NOTIFICATIONS)
    await page.context.grant_permissions(["notifications"], origin=console.url)
    await sign_in(page, console, "/console/leads?tier=hot")
    async with page.expect_response(lambda r: "/console/events" in r.url):
        await page.reload()

    await seed("xss-live", tier="hot", stage="SQL", score=91.0)

    banner = page.locator("#hot-banner")
    await expect(banner).to_have_text(
        f"{XSS_COMPANY} is hot (score 91)", timeout=10_000
    )
    shown = await page.evaluate(SHOWN_NOTIFICATIONS)
    assert [n["body"] for n in shown] == [f"{XSS_COMPANY} is hot"]
    assert await page.locator("main img").count() == 0
    assert console.dialogs == []
