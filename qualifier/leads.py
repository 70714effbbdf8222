"""What happens to a lead as the conversation goes: record, score, hand off."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any

from qualifier.answers import CONTACT_SLOTS, answer_records, lead_facts
from qualifier.facts import PageContext
from qualifier.profile import ScoringProfile
from qualifier.scoring import LeadScore, Tier, score_lead
from qualifier.store import LeadStore

logger = logging.getLogger(__name__)


def record_answers(
    store: LeadStore,
    sender_id: str,
    *,
    message: str,
    values: Mapping[str, Mapping[str, Any]],
    consent_given: bool,
    now: datetime,
) -> None:
    """Store what one message told us, keeping contact details only with consent."""
    kept = {
        slot: value
        for slot, value in values.items()
        if consent_given or slot not in CONTACT_SLOTS
    }
    if not kept:
        return

    store.record_answers(sender_id, message, answer_records(kept), now=now)
    contact = contact_columns(kept) if consent_given else {}
    if contact:
        store.update_lead(sender_id, now=now, **contact)


def contact_columns(values: Mapping[str, Any]) -> dict[str, str]:
    """Return the lead columns that contact slot values fill."""
    columns = {"contact_name": "name", "contact_email": "email", "company": "company"}
    found = {}
    for slot, column in columns.items():
        value = values.get(slot)
        if isinstance(value, Mapping) and isinstance(value.get("value"), str):
            found[column] = value["value"]

    return found


def rescore(
    store: LeadStore,
    sender_id: str,
    *,
    slots: Mapping[str, Any],
    page: PageContext | None,
    profile: ScoringProfile,
    now: datetime,
    disqualified: str | None = None,
    **columns: Any,
) -> LeadScore:
    """Score a lead from what the conversation knows and save the result.

    Extra ``columns`` (a status, say) are saved in the same write.
    """
    facts = lead_facts(slots, page, disqualified=disqualified)
    score = score_lead(facts, profile, today=now.date())
    store.update_lead(
        sender_id,
        now=now,
        tier=score.tier.value,
        stage=score.stage.value,
        score=score.total,
        score_breakdown=[asdict(dimension) for dimension in score.dimensions],
        profile=profile.name,
        facts={slot: slots.get(slot) for slot in _SCORED_SLOTS},
        **columns,
    )
    logger.debug("lead.rescored tier=%s score=%s", score.tier, score.total)
    return score


def next_offer(score: LeadScore, *, rep_available: bool) -> str:
    """Choose what to offer the visitor once the lead is scored."""
    if score.tier is Tier.DISQUALIFIED:
        return "closed"

    if score.tier is Tier.HOT and rep_available:
        return "handoff"

    if score.tier in {Tier.HOT, Tier.WARM}:
        return "booking"

    return "followup"


def handoff_notification(
    store: LeadStore, sender_id: str, *, reason: str, now: datetime
) -> dict[str, Any]:
    """Build the JSON a sales team's webhook receives on a handoff."""
    lead = store.get_lead(sender_id)
    if lead is None:
        return {"event": "lead.handoff", "reason": reason, "sender_id": sender_id}

    return {
        "event": "lead.handoff",
        "reason": reason,
        "sent_at": now.isoformat(),
        "lead": {
            "id": lead.id,
            "sender_id": lead.sender_id,
            "tier": lead.tier,
            "stage": lead.stage,
            "score": lead.score,
            "name": lead.name,
            "email": lead.email,
            "company": lead.company,
            "page_url": lead.page_url,
            "utm": lead.utm,
            "answers": {
                answer.dimension: {"value": answer.value, "evidence": answer.evidence}
                for answer in lead.answers
            },
        },
    }


_SCORED_SLOTS = (
    "need",
    "company_size",
    "industry",
    "budget",
    "authority",
    "timing",
    "trial",
)
