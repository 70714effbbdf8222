"""The JSON API for CRMs and scripts, authenticated by bearer tokens."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from bot.console.keys import ACCOUNTS, API_TOKEN_ID, STORE, TRANSCRIPTS
from bot.console.openapi import openapi_document
from bot.console.queries import (
    QueryError,
    lead_detail,
    list_leads,
    parse_filter,
    parse_lead_id,
    utm_source,
)
from bot.console.security import Handler
from qualifier.models import Answer, Lead
from qualifier.store import as_utc
from qualifier.transcripts import TranscriptLine

logger = logging.getLogger(__name__)

PUBLIC_API_PATHS = ("/api/openapi.json",)


@web.middleware
async def require_token(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Let only requests with a valid bearer token past; errors become JSON."""
    try:
        if request.path not in PUBLIC_API_PATHS:
            request[API_TOKEN_ID] = _token_id(request)

        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise

        return _json_error(exc)


async def api_leads(request: web.Request) -> web.Response:
    """Return one page of leads, filtered and sorted like the console list."""
    try:
        lead_filter = parse_filter(request.query)
    except QueryError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc

    page = list_leads(request.config_dict[STORE], lead_filter)
    return web.json_response(
        {
            "items": [lead_summary(lead) for lead in page.leads],
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
            "pages": page.pages,
        }
    )


async def api_lead(request: web.Request) -> web.Response:
    """Return one lead with answers, score, bookings, handoffs and transcript."""
    lead_id = parse_lead_id(request.match_info["lead_id"])
    lead = None if lead_id is None else lead_detail(request.config_dict[STORE], lead_id)
    if lead is None:
        raise web.HTTPNotFound(text="no lead has that id")

    transcript = request.config_dict[TRANSCRIPTS].transcript(lead.sender_id)
    return web.json_response(lead_document(lead, transcript))


async def api_openapi(request: web.Request) -> web.Response:
    """Serve the OpenAPI 3.1 description of this API."""
    return web.json_response(openapi_document())


def lead_summary(lead: Lead) -> dict[str, Any]:
    """Return the fields of a lead shown in lists."""
    return {
        "id": lead.id,
        "created_at": as_utc(lead.created_at).isoformat(),
        "updated_at": as_utc(lead.updated_at).isoformat(),
        "status": lead.status,
        "tier": lead.tier,
        "stage": lead.stage,
        "score": lead.score,
        "company": lead.company,
        "name": lead.name,
        "email": lead.email,
        "utm_source": utm_source(lead),
        "page_url": lead.page_url,
        "outcome": lead.outcome,
    }


def lead_document(lead: Lead, transcript: list[TranscriptLine]) -> dict[str, Any]:
    """Return everything the API tells about one lead."""
    return {
        **lead_summary(lead),
        "score_breakdown": lead.score_breakdown or [],
        "answers": [_answer(answer) for answer in lead.answers],
        "utm": lead.utm or {},
        "referrer": lead.referrer,
        "pages_seen": lead.pages_seen or [],
        "outcome_at": as_utc(lead.outcome_at).isoformat() if lead.outcome_at else None,
        "bookings": [
            {
                "start": as_utc(item.start).isoformat(),
                "end": as_utc(item.end).isoformat(),
            }
            for item in lead.bookings
        ],
        "handoffs": [
            {"reason": item.reason, "created_at": as_utc(item.created_at).isoformat()}
            for item in lead.handoffs
        ],
        "transcript": [
            {
                "speaker": line.speaker,
                "text": line.text,
                "sent_at": line.sent_at.isoformat(),
            }
            for line in transcript
        ],
    }


def _answer(answer: Answer) -> dict[str, Any]:
    return {
        "dimension": answer.dimension,
        "value": answer.value,
        "evidence": answer.evidence,
        "message": answer.message,
        "confidence": answer.confidence,
    }


def _token_id(request: web.Request) -> int:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token_id = None
    if scheme.lower() == "bearer" and token:
        token_id = request.config_dict[ACCOUNTS].api_token_id(token.strip())

    if token_id is None:
        logger.info("api.refused reason=token path=%s", request.path)
        raise web.HTTPUnauthorized(
            text="send a valid API token as 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="leadline"'},
        )

    return token_id


def _json_error(exc: web.HTTPException) -> web.Response:
    headers = {
        key: value for key, value in exc.headers.items() if key == "WWW-Authenticate"
    }
    return web.json_response(
        {"error": exc.reason, "detail": exc.text}, status=exc.status, headers=headers
    )
