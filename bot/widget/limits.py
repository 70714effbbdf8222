"""In-memory rate limits and the reply cache that makes retries safe.

Both live in one gateway process; several processes behind a load balancer
would each count on their own.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

Clock = Callable[[], float]
MAX_KEYS = 50_000


class RateLimiter:
    """Allow at most ``limit`` hits per key in any sliding ``window``."""

    def __init__(self, limit: int, window: float = 60.0, clock: Clock = time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[Hashable, deque[float]] = {}

    def retry_after(self, key: Hashable) -> int:
        """Return 0 when the key may hit now, else seconds until it may."""
        now = self._clock()
        hits = self._hits.get(key)
        if hits is None:
            return 0

        while hits and hits[0] <= now - self.window:
            hits.popleft()

        if len(hits) < self.limit:
            return 0

        return max(1, math.ceil(hits[0] + self.window - now))

    def hit(self, key: Hashable) -> None:
        """Count one hit for the key."""
        if len(self._hits) >= MAX_KEYS:
            self._forget_idle()

        self._hits.setdefault(key, deque()).append(self._clock())

    def _forget_idle(self) -> None:
        cutoff = self._clock() - self.window
        idle = [
            key for key, hits in self._hits.items() if not hits or hits[-1] <= cutoff
        ]
        for key in idle:
            del self._hits[key]


class ReplyCache:
    """Remember each message's reply for a while, keyed by its client id.

    A retried message (same sender and client id) waits for the first
    attempt, or gets its stored reply, instead of reaching Rasa again.
    A failed attempt is forgotten, so the retry can go through.
    """

    def __init__(self, ttl: float, clock: Clock = time.monotonic):
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[Hashable, tuple[float, asyncio.Task[Any]]] = {}

    def get(self, key: Hashable) -> asyncio.Task[Any] | None:
        """Return the attempt stored for the key, if still fresh."""
        entry = self._entries.get(key)
        if entry is None or entry[0] <= self._clock():
            self._entries.pop(key, None)
            return None

        return entry[1]

    def start(self, key: Hashable, work: Awaitable[Any]) -> asyncio.Task[Any]:
        """Run the work as the key's attempt, remembered until it expires."""
        if len(self._entries) >= MAX_KEYS:
            self._forget_expired()

        task = asyncio.ensure_future(work)
        self._entries[key] = (self._clock() + self.ttl, task)
        task.add_done_callback(lambda done: self._forget_failed(key, done))
        return task

    def _forget_failed(self, key: Hashable, task: asyncio.Task[Any]) -> None:
        if task.cancelled() or task.exception() is not None:
            entry = self._entries.get(key)
            if entry is not None and entry[1] is task:
                del self._entries[key]

    def _forget_expired(self) -> None:
        now = self._clock()
        expired = [key for key, (until, _) in self._entries.items() if until <= now]
        for key in expired:
            del self._entries[key]
