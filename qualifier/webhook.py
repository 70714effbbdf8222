"""Signed webhook delivery for handing hot leads to sales.

The receiver checks ``X-Leadline-Signature: t=<unix seconds>,v1=<hex>``, where
the hex is HMAC-SHA256 with the shared secret over ``b"<t>." + body``. The
timestamp in the signed text stops an old request from being replayed later.

Delivery never raises for a failed request; it reports the failure so the
caller can store the outbox row and try again after ``next_attempt_delay``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp

from qualifier.errors import WebhookPayloadError

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Leadline-Signature"
USER_AGENT = "leadline-webhook/1"
# Waits after the 1st, 2nd, ... failed attempt; later attempts keep the last.
RETRY_DELAYS = (
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
)


@dataclass(frozen=True)
class DeliveryResult:
    """What happened to one delivery attempt.

    Attributes:
        ok: True when the receiver answered with a 2xx status.
        status: The HTTP status, or None when no response arrived.
        error: Why the attempt failed, or None when it succeeded.
    """

    ok: bool
    status: int | None
    error: str | None


def sign_payload(secret: bytes, body: bytes, timestamp: int) -> str:
    """Return the hex HMAC-SHA256 of ``b"<timestamp>." + body``."""
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret, signed, hashlib.sha256).hexdigest()


def signature_header(secret: bytes, body: bytes, timestamp: int) -> str:
    """Return the ``X-Leadline-Signature`` value for a body."""
    return f"t={timestamp},v1={sign_payload(secret, body, timestamp)}"


def verify_signature(
    secret: bytes,
    body: bytes,
    header: str,
    *,
    now: float,
    tolerance_s: int = 300,
) -> bool:
    """Check a signature header against a received body.

    Args:
        secret: The shared secret.
        body: The raw request body, exactly as received.
        header: The ``X-Leadline-Signature`` value.
        now: The receiver's current Unix time in seconds.
        tolerance_s: Largest accepted clock difference, either way.

    Returns:
        True when the timestamp is fresh and one ``v1`` signature matches.
        A malformed header gives False.
    """
    parsed = _parse_header(header)
    if parsed is None:
        return False

    timestamp, candidates = parsed
    if abs(now - timestamp) > tolerance_s:
        return False

    expected = sign_payload(secret, body, timestamp).encode()
    # Compare every candidate as bytes: compare_digest refuses non-ASCII str,
    # and checking all of them keeps the time taken uninformative.
    matches = [
        hmac.compare_digest(expected, candidate.encode("utf-8", "replace"))
        for candidate in candidates
    ]
    return any(matches)


def encode_payload(payload: Mapping[str, Any]) -> bytes:
    """Encode a payload as compact, key-sorted, strict JSON in UTF-8.

    Raises:
        WebhookPayloadError: The payload holds a value JSON cannot carry, such
            as a datetime or NaN; convert it to a string or number first.
    """
    try:
        text = json.dumps(
            payload,
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            allow_nan=False,
        )
    except (TypeError, ValueError) as exc:
        msg = f"webhook payload is not plain JSON ({exc}); convert the value first"
        raise WebhookPayloadError(msg) from exc

    # "surrogatepass" would emit invalid UTF-8; replace unpaired surrogates.
    return text.encode("utf-8", "replace")


async def deliver(
    url: str,
    payload: Mapping[str, Any],
    *,
    secret: bytes,
    session: aiohttp.ClientSession,
    timeout_s: float = 5.0,
    now: Callable[[], float] = time.time,
) -> DeliveryResult:
    """POST a signed payload to the handoff URL once.

    Redirects are not followed: a signed lead should reach only the
    configured URL, so a 3xx counts as a failure.

    Args:
        url: The receiver's URL from configuration.
        payload: The JSON object to send.
        secret: The shared signing secret.
        session: The application's HTTP session.
        timeout_s: Limit for the whole request, connection included.
        now: Clock giving Unix seconds, for the signature timestamp.

    Returns:
        The outcome; network errors, timeouts and non-2xx answers give
        ``ok=False`` with the reason.

    Raises:
        WebhookPayloadError: The payload cannot be encoded as JSON, which no
            retry would fix.
    """
    body = encode_payload(payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(secret, body, int(now())),
    }
    result = await _post(url, body, headers, session=session, timeout_s=timeout_s)
    _log_result(result, len(body))
    return result


def next_attempt_delay(attempt: int) -> timedelta:
    """Return how long to wait after the given failed attempt.

    The schedule is 10 s, 30 s, 2 min, 10 min, then 1 h for every later
    attempt, so a receiver that is down for a day gets about 30 requests.

    Args:
        attempt: How many attempts have failed so far, 1 after the first.

    Raises:
        ValueError: ``attempt`` is below 1.
    """
    if attempt < 1:
        msg = f"attempt counts failed attempts from 1, got {attempt!r}"
        raise ValueError(msg)

    return RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]


async def _post(
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    session: aiohttp.ClientSession,
    timeout_s: float,
) -> DeliveryResult:
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    try:
        async with session.post(
            url, data=body, headers=headers, timeout=timeout, allow_redirects=False
        ) as response:
            status = response.status
    except TimeoutError:
        return DeliveryResult(
            ok=False, status=None, error=f"timeout after {timeout_s}s"
        )
    except (aiohttp.ClientError, OSError, ValueError) as exc:
        # ValueError covers URLs aiohttp rejects before any connection.
        return DeliveryResult(ok=False, status=None, error=_describe(exc))

    if 200 <= status < 300:
        return DeliveryResult(ok=True, status=status, error=None)

    return DeliveryResult(ok=False, status=status, error=f"HTTP {status}")


def _describe(exc: BaseException) -> str:
    # Only connection errors explain themselves without quoting the URL, which
    # may hold a token; for the rest (a bad URL, say) the class name is enough.
    detail = str(exc) if isinstance(exc, aiohttp.ClientConnectionError) else ""
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _parse_header(header: str) -> tuple[int, list[str]] | None:
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            return None

        if key == "t" and value.isdigit() and value.isascii():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)

    if timestamp is None or not candidates:
        return None

    return timestamp, candidates


def _log_result(result: DeliveryResult, size: int) -> None:
    # The URL may carry a token and the payload personal data: neither is logged.
    if result.ok:
        logger.info("webhook.delivered status=%s bytes=%d", result.status, size)
        return

    logger.warning(
        "webhook.failed status=%s error=%s bytes=%d", result.status, result.error, size
    )
