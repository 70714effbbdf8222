"""The OpenAPI 3.1 description of the JSON API."""

from __future__ import annotations

from typing import Any

from bot.console.queries import MAX_PER_PAGE, OUTCOMES, SORT_KEYS, STAGES, TIERS

NULLABLE_STRING = {"type": ["string", "null"]}


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI document as a JSON-ready dict."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Leadline leads API",
            "version": "1.0.0",
            "description": "Read the leads the Leadline assistant qualified. "
            "Create a token with `python -m qualifier create-api-token --name x`.",
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": _schemas(),
            "responses": _error_responses(),
        },
        "security": [{"bearer": []}],
        "paths": {"/api/leads": _list_path(), "/api/leads/{lead_id}": _lead_path()},
    }


def _list_path() -> dict[str, Any]:
    return {
        "get": {
            "operationId": "listLeads",
            "summary": "List leads, filtered, sorted and paged",
            "parameters": _filter_parameters(),
            "responses": {
                "200": _json_response(
                    "A page of leads", "#/components/schemas/LeadPage"
                ),
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
            },
        }
    }


def _lead_path() -> dict[str, Any]:
    return {
        "get": {
            "operationId": "getLead",
            "summary": "Get one lead with its answers, score and transcript",
            "parameters": [
                {
                    "name": "lead_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1},
                }
            ],
            "responses": {
                "200": _json_response("The lead", "#/components/schemas/LeadDetail"),
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        }
    }


def _filter_parameters() -> list[dict[str, Any]]:
    sorts = [*SORT_KEYS, *(f"-{key}" for key in SORT_KEYS)]
    specs: list[tuple[str, dict[str, Any], str]] = [
        ("tier", {"type": "string", "enum": list(TIERS)}, "only this tier"),
        ("stage", {"type": "string", "enum": list(STAGES)}, "only this stage"),
        ("min_score", {"type": "number"}, "lowest score"),
        ("max_score", {"type": "number"}, "highest score"),
        ("from", {"type": "string", "format": "date"}, "created on or after (UTC)"),
        ("to", {"type": "string", "format": "date"}, "created on or before (UTC)"),
        ("source", {"type": "string"}, "UTM source"),
        ("q", {"type": "string"}, "text in the company or contact name"),
        ("sort", {"type": "string", "enum": sorts, "default": "-created"}, "order"),
        ("page", {"type": "integer", "minimum": 1, "default": 1}, "page number"),
        (
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 25},
            "leads per page",
        ),
    ]
    return [
        {"name": name, "in": "query", "schema": schema, "description": text}
        for name, schema, text in specs
    ]


def _schemas() -> dict[str, Any]:
    summary = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "status": {"type": "string"},
            "tier": {"type": ["string", "null"], "enum": [*TIERS, None]},
            "stage": {"type": ["string", "null"], "enum": [*STAGES, None]},
            "score": {"type": ["number", "null"]},
            "company": NULLABLE_STRING,
            "name": NULLABLE_STRING,
            "email": NULLABLE_STRING,
            "utm_source": NULLABLE_STRING,
            "page_url": NULLABLE_STRING,
            "outcome": {"type": ["string", "null"], "enum": [*OUTCOMES, None]},
        },
        "required": ["id", "created_at", "status"],
    }
    return {
        "LeadSummary": summary,
        "LeadPage": _page_schema(),
        "LeadDetail": _detail_schema(),
        "Error": {
            "type": "object",
            "properties": {"error": {"type": "string"}, "detail": {"type": "string"}},
            "required": ["error"],
        },
    }


def _page_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/LeadSummary"},
            },
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "pages": {"type": "integer"},
        },
        "required": ["items", "total", "page", "per_page", "pages"],
    }


def _detail_schema() -> dict[str, Any]:
    answer = {
        "type": "object",
        "properties": {
            "dimension": {"type": "string"},
            "value": {"type": "object"},
            "evidence": NULLABLE_STRING,
            "message": {"type": "string"},
            "confidence": {"type": "number"},
        },
    }
    line = {
        "type": "object",
        "properties": {
            "speaker": {"type": "string", "enum": ["visitor", "bot"]},
            "text": {"type": "string"},
            "sent_at": {"type": "string", "format": "date-time"},
        },
    }
    return {
        "allOf": [
            {"$ref": "#/components/schemas/LeadSummary"},
            {
                "type": "object",
                "properties": {
                    "score_breakdown": {"type": "array", "items": {"type": "object"}},
                    "answers": {"type": "array", "items": answer},
                    "utm": {"type": "object"},
                    "referrer": NULLABLE_STRING,
                    "pages_seen": {"type": "array", "items": {"type": "string"}},
                    "bookings": {"type": "array", "items": {"type": "object"}},
                    "handoffs": {"type": "array", "items": {"type": "object"}},
                    "transcript": {"type": "array", "items": line},
                },
            },
        ]
    }


def _error_responses() -> dict[str, Any]:
    texts = {
        "BadRequest": "A query parameter has a value that is not allowed",
        "Unauthorized": "The bearer token is missing or not valid",
        "NotFound": "No lead has that id",
    }
    return {
        name: _json_response(text, "#/components/schemas/Error")
        for name, text in texts.items()
    }


def _json_response(description: str, ref: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": ref}}},
    }
