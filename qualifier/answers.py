"""Answers as the conversation keeps them: plain JSON values per slot.

The assistant keeps each understood value in a slot as a small JSON object
(the tracker store persists it); this module converts between those objects,
the extraction results and the facts that scoring reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from typing import Any

from qualifier.facts import (
    Authority,
    Budget,
    BudgetPeriod,
    BudgetStatus,
    CompanySize,
    Contact,
    DecisionRole,
    Extraction,
    Industry,
    LeadFacts,
    Need,
    PageContext,
    Seniority,
    Span,
    Timing,
    TimingStatus,
)
from qualifier.store import AnswerRecord

CONTACT_SLOTS = ("contact_name", "contact_email", "company")
SKIPPED = "skipped"
WITHHELD = "withheld"


def slot_values(extraction: Extraction) -> dict[str, dict[str, Any]]:
    """Turn an extraction into slot values, leaving out what was not found."""
    found: dict[str, Any] = {
        "need": extraction.need,
        "company_size": extraction.company_size,
        "budget": extraction.budget,
        "authority": extraction.authority,
        "timing": extraction.timing,
        "industry": extraction.industry,
        "contact_name": extraction.name,
        "contact_email": extraction.email,
        "company": extraction.company,
    }
    values = {slot: _to_json(fact) for slot, fact in found.items() if fact is not None}
    if extraction.trial is not None:
        values["trial"] = {"value": True, "evidence": extraction.trial.text}

    return values


def placeholder(status: str) -> dict[str, Any]:
    """Return the value of a slot the visitor left open (unknown, skipped)."""
    return {"status": status, "evidence": None}


def is_answered(value: Any) -> bool:
    """Tell whether a slot value holds an actual answer, not a placeholder."""
    if not isinstance(value, dict):
        return False

    return value.get("status") not in {SKIPPED, WITHHELD, "unknown"} or bool(
        value.get("value")
    )


def answer_records(values: Mapping[str, Mapping[str, Any]]) -> list[AnswerRecord]:
    """Prepare slot values for the store, each with its evidence."""
    return [
        AnswerRecord(
            dimension=slot,
            value={key: item for key, item in value.items() if key != "evidence"},
            evidence=value.get("evidence"),
            confidence=float(value.get("confidence", 1.0)),
        )
        for slot, value in values.items()
    ]


def lead_facts(
    slots: Mapping[str, Any], page: PageContext | None, *, disqualified: str | None
) -> LeadFacts:
    """Rebuild the facts scoring needs from the conversation's slots."""
    email = _plain(slots.get("contact_email"))
    return LeadFacts(
        budget=_budget(slots.get("budget")),
        timing=_timing(slots.get("timing")),
        authority=_authority(slots.get("authority")),
        need=_need(slots.get("need")),
        company_size=_company_size(slots.get("company_size")),
        industry=_industry(slots.get("industry")),
        email=email,
        trial=bool(_plain(slots.get("trial"))),
        page=page,
        disqualified_reason=disqualified,
    )


def page_context(metadata: Mapping[str, Any] | None) -> PageContext | None:
    """Read the page context a channel sent as message metadata."""
    if not metadata:
        return None

    raw_utm = metadata.get("utm")
    utm: Mapping[str, Any] = raw_utm if isinstance(raw_utm, dict) else {}
    pages = metadata.get("pages_seen")
    return PageContext(
        page_url=_text(metadata.get("page_url")),
        referrer=_text(metadata.get("referrer")),
        utm_source=_text(utm.get("source") or metadata.get("utm_source")),
        utm_medium=_text(utm.get("medium") or metadata.get("utm_medium")),
        utm_campaign=_text(utm.get("campaign") or metadata.get("utm_campaign")),
        utm_term=_text(utm.get("term") or metadata.get("utm_term")),
        utm_content=_text(utm.get("content") or metadata.get("utm_content")),
        pages_seen=tuple(
            url
            for url in (pages if isinstance(pages, list) else [])[:50]
            if isinstance(url, str)
        ),
    )


def page_context_json(page: PageContext | None) -> dict[str, Any] | None:
    """Return a page context as a JSON object for a slot."""
    return (
        None if page is None else {**asdict(page), "pages_seen": list(page.pages_seen)}
    )


def page_context_from_json(value: Any) -> PageContext | None:
    """Read a page context back from its slot value."""
    if not isinstance(value, dict):
        return None

    texts = {
        key: _text(value.get(key))
        for key in PageContext.__dataclass_fields__
        if key != "pages_seen"
    }
    pages = tuple(url for url in value.get("pages_seen") or () if isinstance(url, str))
    return PageContext(**texts, pages_seen=pages)


def _to_json(fact: Any) -> dict[str, Any]:
    if isinstance(fact, Contact):
        return {
            "value": fact.value,
            "confidence": fact.confidence,
            "evidence": _said(fact.span),
        }

    data = {
        key: _json_scalar(item) for key, item in asdict(fact).items() if key != "span"
    }
    data["evidence"] = _said(fact.span)
    return data


def _json_scalar(item: Any) -> Any:
    if isinstance(item, date):
        return item.isoformat()

    return item


def _said(span: Span | None) -> str | None:
    return None if span is None else span.text


def _text(value: Any, limit: int = 2000) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


def _plain(value: Any) -> Any:
    return value.get("value") if isinstance(value, dict) else None


def _budget(value: Any) -> Budget | None:
    if not isinstance(value, dict) or value.get("status") not in set(BudgetStatus):
        return None

    period = value.get("period")
    return Budget(
        status=BudgetStatus(value["status"]),
        min=value.get("min"),
        max=value.get("max"),
        currency=value.get("currency"),
        period=BudgetPeriod(period) if period in set(BudgetPeriod) else None,
        approximate=bool(value.get("approximate")),
        confidence=float(value.get("confidence", 1.0)),
    )


def _timing(value: Any) -> Timing | None:
    if not isinstance(value, dict) or value.get("status") not in set(TimingStatus):
        return None

    return Timing(
        status=TimingStatus(value["status"]),
        start=_date(value.get("start")),
        end=_date(value.get("end")),
        confidence=float(value.get("confidence", 1.0)),
    )


def _authority(value: Any) -> Authority | None:
    if not isinstance(value, dict) or not is_answered(value):
        return None

    seniority = value.get("seniority")
    role = value.get("decision_role")
    return Authority(
        title=value.get("title"),
        seniority=Seniority(seniority) if seniority in set(Seniority) else None,
        decision_role=DecisionRole(role) if role in set(DecisionRole) else None,
        confidence=float(value.get("confidence", 1.0)),
    )


def _need(value: Any) -> Need | None:
    if not isinstance(value, dict) or not is_answered(value):
        return None

    return Need(
        category=value.get("category"),
        pain=value.get("pain"),
        urgent=bool(value.get("urgent")),
        confidence=float(value.get("confidence", 1.0)),
    )


def _company_size(value: Any) -> CompanySize | None:
    if not isinstance(value, dict) or not isinstance(value.get("employees"), int):
        return None

    return CompanySize(employees=value["employees"])


def _industry(value: Any) -> Industry | None:
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        return None

    return Industry(name=value["name"])


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None
