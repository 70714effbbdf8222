"""Deliver queued notifications, retrying with backoff until they arrive."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp

from qualifier.store import LeadStore
from qualifier.webhook import deliver, next_attempt_delay

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryRound:
    """How many due messages one round delivered and how many failed."""

    delivered: int
    failed: int


async def deliver_due(
    store: LeadStore,
    *,
    secret: bytes,
    session: aiohttp.ClientSession,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> DeliveryRound:
    """Try every due outbox message once; failures are rescheduled, never lost."""
    delivered = failed = 0
    for message in store.due_messages(now=now()):
        result = await deliver(
            message.target_url, message.payload, secret=secret, session=session
        )
        if result.ok:
            store.mark_delivered(message.id, now=now())
            delivered += 1
            continue

        retry_at = now() + next_attempt_delay(message.attempts + 1)
        attempts = store.mark_failed(
            message.id, error=result.error or f"HTTP {result.status}", retry_at=retry_at
        )
        logger.warning(
            "outbox.retry_scheduled message_id=%s attempts=%d", message.id, attempts
        )
        failed += 1

    return DeliveryRound(delivered=delivered, failed=failed)


async def run_worker(
    store: LeadStore,
    *,
    secret: bytes,
    interval_s: float = 5.0,
    rounds: int | None = None,
) -> None:
    """Deliver due messages every ``interval_s`` seconds, for ever by default."""
    async with aiohttp.ClientSession() as session:
        done = 0
        while rounds is None or done < rounds:
            await deliver_due(store, secret=secret, session=session)
            done += 1
            await asyncio.sleep(interval_s)
