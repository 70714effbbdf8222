"""The widget in a real browser: Debian's Chromium driven by Playwright.

Each test runs a fake Rasa, the gateway and a second "customer site" on
free 127.0.0.1 ports. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from bot.widget import Limits, post_rep_message, setup_widget
from tests.bot.widget.fake_rasa import TOKEN, FakeRasa
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

playwright_api = pytest.importorskip("playwright.async_api")

pytestmark = [pytest.mark.browser, pytest.mark.asyncio]

CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
SITE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Customer site</title></head><body><h1>Customer site</h1>
<p style="height:3000px">Long page</p>
<script src="{gateway}/widget.js" async {attributes}></script></body></html>"""


@dataclass
class Stack:
    """The running servers of one test."""

    gateway: str
    site: str
    blocked_site: str
    rasa_url: str
    fake: FakeRasa
    site_attributes: dict[str, str] = field(default_factory=dict)

    def sender_ids(self) -> list[str]:
        """Return the senders the fake Rasa has heard from."""
        return list(self.fake.events)

    def user_texts(self) -> list[str]:
        """Return every user message Rasa logged, across senders."""
        return [
            event["text"]
            for events in self.fake.events.values()
            for event in events
            if event["event"] == "user"
        ]


def bound_socket() -> socket.socket:
    """Return a listening socket on a free loopback port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def url_of(sock: socket.socket) -> str:
    """Return the base URL of a bound socket."""
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


async def serve(app: web.Application, sock: socket.socket) -> web.AppRunner:
    """Start an app on a bound socket."""
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    return runner


def site_app(stack: Stack) -> web.Application:
    """Build the customer site: any path serves a page embedding the widget."""

    async def page(request: web.Request) -> web.Response:
        attributes = " ".join(f'{k}="{v}"' for k, v in stack.site_attributes.items())
        html = SITE_PAGE.format(gateway=stack.gateway, attributes=attributes)
        return web.Response(text=html, content_type="text/html")

    app = web.Application()
    app.router.add_get("/{path:.*}", page)
    return app


async def calendar(request: web.Request) -> web.Response:
    """Serve a tiny calendar file, as the web app does for bookings."""
    headers = {"Content-Disposition": 'attachment; filename="leadline-demo.ics"'}
    return web.Response(text=CALENDAR, content_type="text/calendar", headers=headers)


@pytest_asyncio.fixture
async def stack(request: pytest.FixtureRequest) -> AsyncIterator[Stack]:
    """Run the fake Rasa, the gateway, an allowed and a refused customer site.

    Tests may pass their own ``Limits`` with indirect parametrization.
    """
    limits = getattr(request, "param", Limits(poll_seconds=0.2, stream_seconds=30))
    rasa_sock, gateway_sock = bound_socket(), bound_socket()
    site_sock, blocked_sock = bound_socket(), bound_socket()
    fake = FakeRasa(public_url=url_of(gateway_sock))
    stack = Stack(
        gateway=url_of(gateway_sock),
        site=url_of(site_sock),
        blocked_site=url_of(blocked_sock),
        rasa_url=url_of(rasa_sock),
        fake=fake,
    )
    gateway = web.Application(client_max_size=64 * 1024)
    setup_widget(
        gateway,
        rasa_url=stack.rasa_url,
        allowed_origins=[stack.gateway, stack.site],
        api_token=TOKEN,
        limits=limits,
    )
    gateway.router.add_get("/bookings/{token}.ics", calendar)
    runners = [
        await serve(fake.app(), rasa_sock),
        await serve(gateway, gateway_sock),
        await serve(site_app(stack), site_sock),
        await serve(site_app(stack), blocked_sock),
    ]
    yield stack
    for runner in reversed(runners):
        await runner.cleanup()


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[object]:
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
async def page(browser: object) -> AsyncIterator[object]:
    """Open a desktop-sized page that fails the test on any dialog."""
    context = await browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 800}, accept_downloads=True
    )
    page = await context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: page.dialogs.append(dialog.message))
    yield page
    await context.close()


def expect(locator: object) -> object:
    """Return Playwright's assertion helper for a locator or page."""
    return playwright_api.expect(locator)


async def open_chat(page: object) -> None:
    """Click the launcher and wait for the panel."""
    await page.locator("button.launcher").click()  # type: ignore[attr-defined]
    await expect(page.get_by_role("dialog")).to_be_visible()  # type: ignore[attr-defined]


async def say(page: object, text: str) -> None:
    """Type a message and press Enter."""
    box = page.get_by_label("Message", exact=True)  # type: ignore[attr-defined]
    await box.fill(text)
    await box.press("Enter")


async def test_widget_qualifies_books_and_continues_after_reload(
    stack: Stack, page: object
) -> None:
    await page.goto(f"{stack.gateway}/demo?utm_source=newsletter&utm_campaign=q4")
    await open_chat(page)
    await expect(page.locator("#leadline-input")).to_be_focused()
    await expect(page.locator(".log")).to_contain_text("set up a demo")

    await say(page, "hi there")
    await expect(page.locator(".log")).to_contain_text("What brings you here?")
    await page.get_by_role("button", name="Book a demo").click()
    slots = page.locator("ul.slots button[data-slot]")
    await expect(slots).to_have_count(3)
    await slots.first.click()
    link = page.locator("a.ics")
    await expect(link).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / "widget-desktop.png")
    async with page.expect_download() as download_info:
        await link.click()
    download = await download_info.value

    sender = stack.sender_ids()
    metadata = stack.fake.webhook_calls[0]["metadata"]
    assert download.suggested_filename.endswith(".ics")
    assert await link.get_attribute("href") == (
        f"{stack.gateway}/bookings/abcdefghijklmnop1234.ics"
    )
    assert stack.user_texts() == ["hi there", "/request_demo", "2026-12-07T09:00:00Z"]
    assert metadata["utm"] == {"source": "newsletter", "campaign": "q4"}
    assert metadata["timezone"]
    assert metadata["pages_seen"][-1].endswith("utm_campaign=q4")

    await page.reload()
    log = page.locator(".log")
    await expect(log).to_contain_text("You're booked for Mon 7 Dec, 10:00")
    await expect(log).to_contain_text("Book a demo")
    await expect(log).not_to_contain_text("set up a demo")
    await say(page, "we are 40 people")
    await expect(log).to_contain_text("Tell me more about your team")

    assert stack.sender_ids() == sender
    assert stack.user_texts()[-1] == "we are 40 people"


async def test_widget_renders_script_like_text_as_text(
    stack: Stack, page: object
) -> None:
    await page.goto(f"{stack.gateway}/demo")
    await open_chat(page)

    await say(page, "xss")
    await expect(page.locator(".log")).to_contain_text("<script>alert(1)</script>")
    await page.wait_for_timeout(300)

    assert page.dialogs == []
    assert await page.locator(".log img, .log script").count() == 0


async def test_widget_works_by_keyboard(stack: Stack, page: object) -> None:
    await page.goto(f"{stack.gateway}/demo")
    launcher = page.locator("button.launcher")
    for _ in range(12):
        await page.keyboard.press("Tab")
        if await launcher.evaluate("b => b.getRootNode().activeElement === b"):
            break

    await page.keyboard.press("Enter")
    await expect(launcher).to_have_attribute("aria-expanded", "true")
    await expect(page.locator("#leadline-input")).to_be_focused()
    await page.keyboard.press("Escape")

    await expect(page.get_by_role("dialog")).to_be_hidden()
    await expect(launcher).to_be_focused()
    await expect(launcher).to_have_attribute("aria-expanded", "false")


async def test_widget_fills_a_phone_screen(stack: Stack, browser: object) -> None:
    context = await browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = await context.new_page()
    await page.goto(f"{stack.gateway}/demo")
    await open_chat(page)
    await say(page, "hi there")
    await expect(page.locator(".log")).to_contain_text("What brings you here?")

    box = await page.get_by_role("dialog").bounding_box()
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / "widget-phone.png")
    await context.close()

    assert (box["width"], box["height"]) == (390, 844)


async def test_widget_shows_a_rep_message(stack: Stack, page: object) -> None:
    await page.goto(f"{stack.gateway}/demo")
    await open_chat(page)
    await say(page, "hi there")
    await expect(page.locator(".log")).to_contain_text("What brings you here?")
    (sender,) = stack.sender_ids()
    stack.fake.paused.add(sender)

    async with aiohttp.ClientSession() as session:
        await post_rep_message(
            session, stack.rasa_url, TOKEN, sender, "Hi, Dana from sales."
        )

    rep = page.locator(".msg.rep")
    await expect(rep).to_contain_text("Hi, Dana from sales.")
    await expect(rep).to_contain_text("Sales team")
    await expect(page.locator(".status")).to_contain_text("sales team")
    await page.wait_for_timeout(600)
    await expect(page.locator(".msg.bot")).to_have_count(4)


async def test_widget_keeps_an_unsent_message_to_retry(
    stack: Stack, page: object
) -> None:
    await page.goto(f"{stack.gateway}/demo")
    await open_chat(page)
    stack.fake.fail_status = 500

    await say(page, "hi there")
    await expect(page.locator(".error")).to_contain_text("not sent")
    stack.fake.fail_status = None
    await page.get_by_role("button", name="Retry").click()

    await expect(page.locator(".log")).to_contain_text("What brings you here?")
    assert stack.user_texts() == ["hi there"]


async def test_widget_resends_once_after_a_dropped_network(
    stack: Stack, page: object
) -> None:
    await page.goto(f"{stack.gateway}/demo")
    await open_chat(page)
    await page.context.set_offline(True)

    await say(page, "hi there")
    await expect(page.locator(".status")).to_contain_text("Reconnecting")
    await page.context.set_offline(False)

    await expect(page.locator(".log")).to_contain_text("What brings you here?")
    await expect(page.locator(".status")).to_be_empty()
    assert stack.user_texts() == ["hi there"]
    assert await page.locator(".msg.user").count() == 1


async def test_widget_embeds_on_an_allowed_customer_site(
    stack: Stack, page: object
) -> None:
    await page.goto(f"{stack.site}/pricing")
    await open_chat(page)

    await say(page, "hi there")

    await expect(page.locator(".log")).to_contain_text("What brings you here?")


async def test_widget_opens_by_itself_after_a_delay(stack: Stack, page: object) -> None:
    stack.site_attributes["data-open-after"] = "1"

    await page.goto(f"{stack.site}/pricing")

    await expect(page.get_by_role("dialog")).to_be_visible(timeout=4000)
    assert not await page.locator("#leadline-input").evaluate(
        "i => i.getRootNode().activeElement === i"
    )


async def test_widget_opens_on_scroll(stack: Stack, page: object) -> None:
    stack.site_attributes["data-open-scroll"] = "50"
    await page.goto(f"{stack.site}/pricing")
    await expect(page.locator("button.launcher")).to_be_visible()

    await page.mouse.wheel(0, 2000)

    await expect(page.get_by_role("dialog")).to_be_visible()


async def test_widget_stays_off_pages_outside_its_patterns(
    stack: Stack, page: object
) -> None:
    stack.site_attributes["data-pages"] = "/pricing*,/demo*"

    await page.goto(f"{stack.site}/blog/post")
    await page.wait_for_timeout(500)
    on_blog = await page.locator("[data-leadline]").count()
    await page.goto(f"{stack.site}/pricing/enterprise")

    await expect(page.locator("button.launcher")).to_be_visible()
    assert on_blog == 0


CONTRAST_SCRIPT = """
root => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(c => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => {
    for (; el; el = el.parentElement || el.getRootNode().host) {
      const color = getComputedStyle(el).backgroundColor;
      if (rgb(color)[3] !== 0) return color;
    }
    return "rgb(255, 255, 255)";
  };
  const selectors = [".msg.user", ".msg.bot", ".who", "h2", ".send", ".choice",
                     ".status", "textarea", ".note"];
  return selectors.flatMap(sel => [...root.querySelectorAll(sel)]).map(el => {
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(background(el)))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    return [el.className || el.tagName, ratio];
  });
}
"""


@pytest.mark.parametrize("color", ["#1f5fbf", "#ffd400", "#00a36c"])
async def test_widget_text_contrast_is_at_least_4_5(
    stack: Stack, page: object, color: str
) -> None:
    stack.site_attributes["data-color"] = color
    await page.goto(f"{stack.site}/pricing")
    await open_chat(page)
    await say(page, "hi there")
    await page.get_by_role("button", name="Book a demo").click()
    await expect(page.locator("ul.slots")).to_be_visible()

    ratios = await page.locator("[data-leadline]").evaluate(
        f"host => ({CONTRAST_SCRIPT})(host.shadowRoot)"
    )

    low = [(name, round(ratio, 2)) for name, ratio in ratios if ratio < 4.5]
    assert len(ratios) > 8
    assert low == []


@pytest.mark.parametrize(
    "stack", [Limits(sender_per_minute=1, poll_seconds=0.2)], indirect=True
)
async def test_widget_shows_the_rate_limit_message(stack: Stack, page: object) -> None:
    await page.goto(f"{stack.gateway}/demo")
    await open_chat(page)
    await say(page, "hi there")
    await expect(page.locator(".log")).to_contain_text("What brings you here?")

    await say(page, "one more")

    await expect(page.locator(".error")).to_contain_text("Please wait")
    await expect(page.get_by_role("button", name="Retry")).to_be_visible()
    assert stack.user_texts() == ["hi there"]


async def test_widget_keeps_an_overlong_message_in_the_box(
    stack: Stack, page: object
) -> None:
    await page.goto(f"{stack.gateway}/demo")
    await open_chat(page)

    await say(page, "a" * 2001)

    await expect(page.locator(".error")).to_contain_text("the limit is 2000")
    await expect(page.locator("#leadline-input")).to_have_value("a" * 2001)
    assert stack.user_texts() == []


async def test_widget_opens_on_exit_intent(stack: Stack, page: object) -> None:
    stack.site_attributes["data-open-exit"] = "true"
    await page.goto(f"{stack.site}/pricing")
    await expect(page.locator("button.launcher")).to_be_visible()

    await page.evaluate(
        "document.dispatchEvent(new MouseEvent('mouseout', {clientY: -2}))"
    )

    await expect(page.get_by_role("dialog")).to_be_visible()


async def test_widget_refuses_a_site_that_is_not_allowed(
    stack: Stack, page: object
) -> None:
    await page.goto(f"{stack.blocked_site}/pricing")
    await open_chat(page)

    await say(page, "hi there")

    await expect(page.locator(".status")).to_contain_text("Reconnecting")
    assert stack.user_texts() == []
