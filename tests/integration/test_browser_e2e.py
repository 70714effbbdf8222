"""End to end in Debian's Chromium: the widget, the trained assistant, the console.

The session's ``assistant`` (trained model and action server) answers; the real
web app (``bot.web.create_app``) runs on a free 127.0.0.1 port in the test's
event loop, on the assistant's lead store and tracker store. A warm visitor
qualifies through the demo page's widget, reloads the page half-way, books a
demo, and a sales rep then finds the lead in the console. Screenshots go to
test-artifacts/.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from sqlalchemy import select

from bot.web import create_app
from qualifier.models import Lead
from qualifier.settings import load_settings
from qualifier.store import LeadStore
from qualifier.users import Accounts
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from tests.integration.conftest import Assistant
from tests.integration.test_conversations import WARM_ANSWERS

playwright_api = pytest.importorskip("playwright.async_api")

pytestmark = [pytest.mark.integration, pytest.mark.browser]

TURN_TIMEOUT_MS = 60_000

OPENER = "Hi, I'd like a demo of Leadline"
SCRIPT_NEED = "<script>alert(1)</script> we also need CRM sync"
ANSWERS: dict[str, str] = {**WARM_ANSWERS, "need": SCRIPT_NEED}
EXPECTED_ORDER = [
    "need",
    "company_size",
    "budget",
    "authority",
    "timing",
    "consent",
    "contact_name",
    "contact_email",
    "company",
]
# The question each bot text asks, checked in order; the summary first, since
# it repeats the visitor's answers (a budget among them).
QUESTIONS = (
    ("Here's what I understood", "summary"),
    ("What problem are you hoping to solve", "need"),
    ("How many people work at your company", "company_size"),
    ("Roughly how big is your company", "company_size"),
    ("budget", "budget"),
    ("What's your role", "authority"),
    ("Which of these fits you best", "authority"),
    ("When would you like to have a solution", "timing"),
    ("Which time frame is closest", "timing"),
    ("To follow up I'll need your name", "consent"),
    ("What's your name", "contact_name"),
    ("What's your work email", "contact_email"),
    ("Which company are you with", "company"),
)
ICS_LINK = re.compile(r"/bookings/([A-Za-z0-9_-]{16,64})\.ics$")

# Resolves when the widget has no message in flight and shows more bot
# messages than before; an error shown by the widget ends the wait too.
TURN_DONE = """
([before]) => {
  const host = document.querySelector("[data-leadline]");
  if (!host || !host.shadowRoot) return false;
  const root = host.shadowRoot;
  const error = root.querySelector(".error");
  if (error && error.textContent) return "error: " + error.textContent;
  if (localStorage.getItem("leadline:pending")) return false;
  return root.querySelectorAll(".msg.bot").length > before ? "ok" : false;
}
"""


@dataclass
class WebApp:
    """The running web app and where its stores are."""

    url: str
    store: LeadStore
    tracker_url: str


def bound_socket() -> socket.socket:
    """Return a socket bound to a free loopback port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest_asyncio.fixture
async def webapp(assistant: Assistant) -> AsyncIterator[WebApp]:
    """Serve the real web app in front of the session's assistant."""
    store_url = assistant.store.engine.url
    database = store_url.database
    assert store_url.get_backend_name() == "sqlite" and database, store_url
    # The assistant fixture keeps both SQLite files in one temporary folder.
    tracker_file = Path(database).parent / "tracker.db"
    assert tracker_file.is_file(), (
        f"the assistant wrote no tracker store at {tracker_file}"
    )

    sock = bound_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    env = {
        "LEADLINE_DATABASE_URL": store_url.render_as_string(hide_password=False),
        "LEADLINE_TRACKER_URL": f"sqlite:///{tracker_file}",
        "LEADLINE_RASA_URL": assistant.url,
        "LEADLINE_API_TOKEN": assistant.token,
        "LEADLINE_ALLOWED_ORIGINS": url,
        "LEADLINE_PUBLIC_URL": url,
    }
    # create_app reads the widget and tracker settings from os.environ.
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        settings = load_settings(env)
        store = LeadStore.connect(settings.database_url)
        app = create_app(settings, store, worker=False)

    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        yield WebApp(url=url, store=store, tracker_url=env["LEADLINE_TRACKER_URL"])
    finally:
        await runner.cleanup()
        store.engine.dispose()


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


def expect(target: Any) -> Any:
    """Return Playwright's assertion helper for a locator or page."""
    return playwright_api.expect(target)


def watch(page: Any, dialogs: list[str], errors: list[str]) -> None:
    """Record (and dismiss) any dialog and any uncaught script error of a page."""

    async def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: errors.append(str(error)))


def question_of(text: str) -> str:
    """Return the question (slot, or "summary") a bot message asks."""
    for marker, slot in QUESTIONS:
        if marker in text:
            return slot

    pytest.fail(f"the widget shows no known question: {text!r}")


async def bot_texts(page: Any) -> list[str]:
    """Return the text of every bot message the widget shows."""
    texts: list[str] = await page.locator(".msg.bot").all_inner_texts()
    return texts


async def user_texts(page: Any) -> list[str]:
    """Return the visitor's messages as the widget shows them."""
    texts = await page.locator(".msg.user").all_inner_texts()
    return [re.sub(r"^You:\s*", "", text).strip() for text in texts]


async def open_chat(page: Any) -> None:
    """Open the panel with the launcher unless it is open already."""
    panel = page.get_by_role("dialog")
    if not await panel.is_visible():
        await page.locator("button.launcher").click()
    await expect(panel).to_be_visible()


async def take_turn(page: Any, act: Any) -> list[str]:
    """Do ``act`` (send a message, click a choice); return the new bot texts."""
    before = await page.locator(".msg.bot").count()
    await act()
    handle = await page.wait_for_function(
        TURN_DONE, arg=[before], timeout=TURN_TIMEOUT_MS
    )
    outcome = await handle.json_value()
    assert outcome == "ok", outcome
    return (await bot_texts(page))[before:]


async def say(page: Any, text: str) -> list[str]:
    """Type a message, press Enter and return the bot's new messages."""

    async def act() -> None:
        box = page.get_by_label("Message", exact=True)
        await box.fill(text)
        await box.press("Enter")

    return await take_turn(page, act)


async def sender_of(page: Any) -> str:
    """Return the sender id the widget keeps in localStorage."""
    sender: str | None = await page.evaluate("localStorage.getItem('leadline:sender')")
    assert sender, "the widget stored no sender id"
    return sender


async def requested_slot(assistant: Assistant, sender: str) -> str | None:
    """Return the question the assistant's form has open, from its tracker."""
    tracker = await asyncio.to_thread(assistant.tracker, sender)
    if (tracker.get("active_loop") or {}).get("name") != "qualification_form":
        return None

    slot: str | None = tracker["slots"].get("requested_slot")
    return slot


def lead_senders(store: LeadStore) -> set[str]:
    """Return the sender id of every stored lead."""
    with store.session() as session:
        return set(session.scalars(select(Lead.sender_id)))


@pytest.mark.asyncio
async def test_visitor_qualifies_in_the_widget_and_a_rep_reads_the_lead(
    assistant: Assistant, webapp: WebApp, browser: Any
) -> None:
    senders_before = await asyncio.to_thread(lead_senders, assistant.store)
    dialogs: list[str] = []
    errors: list[str] = []
    context = await browser.new_context(
        viewport={"width": 1280, "height": 800}, accept_downloads=False
    )
    page = await context.new_page()
    watch(page, dialogs, errors)

    # 1. The visitor opens the demo page and the chat.
    await page.goto(f"{webapp.url}/demo")
    await open_chat(page)
    await expect(page.locator(".log")).to_contain_text("What brings you here?")
    replies = await say(page, OPENER)
    sender = await sender_of(page)
    sent = [OPENER]
    asked: list[str] = []
    reloaded = False

    # 2. Answer whichever question the widget shows, until the summary.
    for _ in range(len(EXPECTED_ORDER) + 3):
        question = question_of(replies[-1])
        if question == "summary":
            break

        assert await requested_slot(assistant, sender) == question, replies
        asked.append(question)
        replies = await say(page, ANSWERS[question])
        sent.append(ANSWERS[question])

        if question == "budget" and not reloaded:
            # Half-way: reload, reopen, and carry on with the same conversation.
            reloaded = True
            await page.reload()
            await open_chat(page)
            log = page.locator(".log")
            await expect(log).to_contain_text(ANSWERS["budget"])
            await expect(log).to_contain_text(SCRIPT_NEED)
            await expect(page.locator(".msg.bot").last).to_contain_text(
                "What's your role"
            )
            assert await sender_of(page) == sender
            assert await user_texts(page) == sent
            replies = await bot_texts(page)
    else:
        pytest.fail(f"no summary after answering {asked}: {replies[-1]!r}")

    assert reloaded, f"the budget question never came: {asked}"
    assert asked == EXPECTED_ORDER
    assert "Here's what I understood" in replies[-1]

    # The script the visitor typed is text in their message and in the summary.
    log = page.locator(".log")
    await expect(page.locator(".msg.user").filter(has_text=SCRIPT_NEED)).to_have_count(
        1
    )
    assert await log.locator("script, img, iframe").count() == 0

    # 3. Confirm the summary and book the first slot offered.
    replies = await take_turn(
        page, page.get_by_role("button", name="Yes, that's right").click
    )
    assert any("find a time for a demo" in text for text in replies), replies
    slots = page.locator("ul.slots button[data-slot]")
    await expect(slots.first).to_be_enabled()
    assert await slots.count() >= 1
    replies = await take_turn(page, slots.first.click)
    assert any("You're booked for" in text for text in replies), replies
    link = page.locator(".msg.bot a.ics").last
    await expect(link).to_be_visible()
    href = await link.get_attribute("href")
    booked = ICS_LINK.search(href or "")
    assert booked, f"not a calendar link: {href!r}"

    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / "e2e-widget.png")
    await page.wait_for_timeout(300)
    assert dialogs == []
    assert errors == []
    assert await sender_of(page) == sender

    # The store holds one new lead, of this sender, warm, with the booking.
    lead = await asyncio.to_thread(assistant.store.get_lead, sender)
    assert lead is not None, f"no lead stored for {sender}"
    new_senders = await asyncio.to_thread(lead_senders, assistant.store)
    assert new_senders - senders_before == {sender}
    assert lead.tier == "warm"
    assert lead.status == "qualified"
    assert lead.company == "Brightwave"
    assert lead.email == WARM_ANSWERS["contact_email"]
    assert [b.token for b in lead.bookings] == [booked.group(1)]
    assert lead.score is not None

    # The link is not followed: the action server writes it with the assistant
    # fixture's LEADLINE_PUBLIC_URL (port 8080), not this web app's URL; the
    # calendar file itself is checked by the test below.

    await context.close()

    # 4. A rep signs in to the console in a fresh browser and opens the lead.
    email = f"rep-{secrets.token_hex(4)}@example.com"
    password = "correct horse battery staple"
    await asyncio.to_thread(
        Accounts(assistant.store).create_user,
        email,
        password,
        is_admin=False,
        now=datetime.now(UTC),
    )
    context = await browser.new_context(viewport={"width": 1280, "height": 1000})
    console = await context.new_page()
    console_dialogs: list[str] = []
    console_errors: list[str] = []
    watch(console, console_dialogs, console_errors)

    await console.goto(f"{webapp.url}/console/login")
    await console.get_by_label("Email").fill(email)
    await console.get_by_label("Password").fill(password)
    await console.get_by_role("button", name="Sign in").click()
    await expect(console).to_have_url(f"{webapp.url}/console/leads")

    await console.get_by_label("Search").fill("Brightwave")
    await console.get_by_role("button", name="Filter").click()
    await expect(console).to_have_url(re.compile(r"/console/leads\?.*q=Brightwave"))
    row_link = console.locator(f'table.leads a[href="/console/leads/{lead.id}"]')
    await expect(row_link).to_have_text("Brightwave")
    await row_link.click()
    await expect(console).to_have_url(f"{webapp.url}/console/leads/{lead.id}")

    await expect(console.locator("h1")).to_contain_text("Brightwave")
    budget_row = console.locator("table.bant tr").filter(has_text="Budget")
    await expect(budget_row).to_contain_text(ANSWERS["budget"])
    await expect(
        console.get_by_role("heading", name=f"Score {lead.score:.1f}")
    ).to_be_visible()
    await expect(
        console.locator("section").filter(has_text="Booking and handoff")
    ).to_contain_text("Demo booked for")
    transcript = console.locator("ol.transcript")
    visitor_lines = transcript.locator("li.from-visitor")
    for text in (
        OPENER,
        ANSWERS["company_size"],
        ANSWERS["budget"],
        ANSWERS["authority"],
        ANSWERS["contact_email"],
    ):
        await expect(visitor_lines.filter(has_text=text)).not_to_have_count(0)
    # The script shows literally, as text, and never ran.
    await expect(visitor_lines.filter(has_text=SCRIPT_NEED)).to_have_count(1)
    need_row = console.locator("table.bant tr").filter(has_text="Need")
    await expect(need_row).to_contain_text(SCRIPT_NEED)
    assert not await console.evaluate(
        "[...document.scripts].some(s => s.textContent.includes('alert(1)'))"
    )

    await console.screenshot(path=ARTIFACTS / "e2e-console-lead.png", full_page=True)
    await console.wait_for_timeout(300)
    await context.close()
    assert console_dialogs == []
    assert console_errors == []


@pytest.mark.asyncio
async def test_web_app_serves_the_calendar_file_of_a_visitor_with_an_email(
    assistant: Assistant, webapp: WebApp
) -> None:
    # The state the widget flow above leaves: a lead with an email and a booking.
    sender = f"e2e-ics-{secrets.token_hex(6)}"
    token = secrets.token_urlsafe(24)
    now = datetime.now(UTC)
    start = datetime(2031, 1, 6, 9, 0, tzinfo=UTC) + timedelta(
        minutes=30 * secrets.randbelow(10_000)
    )
    store = assistant.store
    await asyncio.to_thread(
        store.update_lead, sender, now=now, email=WARM_ANSWERS["contact_email"]
    )
    await asyncio.to_thread(
        store.book,
        sender,
        start=start,
        end=start + timedelta(minutes=30),
        time_zone="Europe/Berlin",
        token=token,
        now=now,
    )

    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{webapp.url}/bookings/{token}.ics") as response,
    ):
        status, content_type = response.status, response.content_type
        body = await response.text()

    assert status == 200, body
    assert content_type == "text/calendar"
    assert "BEGIN:VCALENDAR" in body
