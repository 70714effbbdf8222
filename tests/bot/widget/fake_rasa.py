"""A fake Rasa server for the widget tests: webhook and tracker API.

It answers a short scripted qualification, keeps events per sender the way
Rasa's tracker does, and can be paused (a rep took over) or made to fail.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "test-token"
SLOTS = (
    ("2026-12-07T09:00:00Z", "Mon 7 Dec, 10:00"),
    ("2026-12-07T14:30:00Z", "Mon 7 Dec, 15:30"),
    ("2026-12-08T08:00:00Z", "Tue 8 Dec, 09:00"),
)
SCRIPT_TEXT = (
    "Sure: <script>alert(1)</script> <img src=x onerror=alert(2)> is plain text"
)


@dataclass
class FakeRasa:
    """State of the fake server; tests read and change it directly."""

    public_url: str = "http://127.0.0.1:8080"
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    paused: set[str] = field(default_factory=set)
    webhook_calls: list[dict[str, Any]] = field(default_factory=list)
    fail_status: int | None = None
    _last: float = 0.0

    def app(self) -> web.Application:
        """Build the aiohttp app with the three Rasa endpoints the widget uses."""
        app = web.Application()
        app.router.add_post("/webhooks/rest_meta/webhook", self.webhook)
        app.router.add_get("/conversations/{sender}/tracker", self.tracker)
        app.router.add_post("/conversations/{sender}/tracker/events", self.append)
        return app

    def stamp(self) -> float:
        """Return a strictly increasing timestamp, as Rasa's are in practice."""
        self._last = max(time.time(), self._last + 1e-6)
        return self._last

    async def webhook(self, request: web.Request) -> web.Response:
        """Log the user event, answer from the script, log the bot events."""
        body = await request.json()
        self.webhook_calls.append(body)
        if self.fail_status:
            return web.json_response({"error": "boom"}, status=self.fail_status)

        sender = body["sender"]
        events = self.events.setdefault(sender, [])
        events.append(
            {
                "event": "user",
                "timestamp": self.stamp(),
                "text": body["message"],
                "metadata": body.get("metadata") or {},
                "parse_data": {"intent": {"name": "x"}},
            }
        )
        if sender in self.paused:
            return web.json_response([])

        replies = self.replies_to(body["message"])
        events.append({"event": "action", "timestamp": self.stamp(), "name": "x"})
        for reply in replies:
            events.append(
                {
                    "event": "bot",
                    "timestamp": self.stamp(),
                    "text": reply.get("text"),
                    "data": {"buttons": reply.get("buttons")},
                    "metadata": {"utter_action": "utter_x"},
                }
            )

        return web.json_response([{"recipient_id": sender, **r} for r in replies])

    def replies_to(self, message: str) -> list[dict[str, Any]]:
        """Answer a tiny scripted qualification."""
        slot_titles = dict(SLOTS)
        if message == "/request_demo":
            buttons = [{"title": title, "payload": iso} for iso, title in SLOTS]
            buttons.append({"title": "None of these work", "payload": "none"})
            return [{"text": "Great. Which time suits you?", "buttons": buttons}]

        if message in slot_titles:
            ics = f"{self.public_url}/bookings/abcdefghijklmnop1234.ics"
            text = f"You're booked for {slot_titles[message]}. Add it: {ics}"
            return [{"text": text}]

        if message == "xss":
            return [{"text": SCRIPT_TEXT}]

        if message.lower().startswith("hi"):
            buttons = [
                {"title": "Book a demo", "payload": "/request_demo"},
                {"title": "Just browsing", "payload": "/browse"},
            ]
            return [
                {"text": "Hello! I'm the Leadline assistant."},
                {"text": "What brings you here?", "buttons": buttons},
            ]

        return [{"text": "Thanks! Tell me more about your team."}]

    async def tracker(self, request: web.Request) -> web.Response:
        """Return the sender's events, as GET /conversations/{id}/tracker."""
        self.check_token(request)
        sender = request.match_info["sender"]
        body = {
            "sender_id": sender,
            "events": self.events.get(sender, []),
            "paused": sender in self.paused,
        }
        return web.json_response(body)

    async def append(self, request: web.Request) -> web.Response:
        """Append events, as POST /conversations/{id}/tracker/events."""
        self.check_token(request)
        sender = request.match_info["sender"]
        given = await request.json()
        for event in given if isinstance(given, list) else [given]:
            event.setdefault("timestamp", self.stamp())
            self.events.setdefault(sender, []).append(event)

        return web.json_response({"sender_id": sender, "events": None})

    def check_token(self, request: web.Request) -> None:
        """Refuse API calls without the token, as Rasa with --auth-token does."""
        if request.query.get("token") != TOKEN:
            raise web.HTTPUnauthorized(text="bad token")
