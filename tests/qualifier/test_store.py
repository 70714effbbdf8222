"""The lead store, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from qualifier.errors import SlotTakenError, StoreError
from qualifier.facts import PageContext
from qualifier.store import AnswerRecord, LeadStore, as_utc

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
MONDAY_NINE = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def test_store_migrate_twice_is_harmless(store: LeadStore) -> None:
    store.migrate()

    assert store.get_lead("nobody") is None


def test_store_record_answers_keeps_evidence_and_message(store: LeadStore) -> None:
    answers = [
        AnswerRecord("budget", {"status": "known", "min": 50000.0}, "around 50k", 0.9),
        AnswerRecord(
            "timing", {"status": "known", "end": "2027-09-30"}, "by end of Q3"
        ),
    ]

    store.record_answers("visitor-1", "around 50k, by end of Q3", answers, now=NOW)

    lead = store.get_lead("visitor-1")
    assert lead is not None
    assert [a.dimension for a in lead.answers] == ["budget", "timing"]
    assert lead.answers[0].value == {"status": "known", "min": 50000.0}
    assert lead.answers[0].evidence == "around 50k"
    assert lead.answers[1].message == "around 50k, by end of Q3"


def test_store_update_lead_refuses_unknown_columns(store: LeadStore) -> None:
    with pytest.raises(StoreError, match="no column 'shoe_size'"):
        store.update_lead("visitor-1", now=NOW, shoe_size=44)


def test_store_page_context_keeps_first_page_and_adds_later_ones(
    store: LeadStore,
) -> None:
    first = PageContext(page_url="https://x.test/pricing", utm_source="newsletter")
    later = PageContext(page_url="https://x.test/demo", pages_seen=("https://x.test/",))

    store.save_page_context("visitor-1", first, time_zone="Europe/Berlin", now=NOW)
    store.save_page_context("visitor-1", later, time_zone=None, now=NOW)

    lead = store.get_lead("visitor-1")
    assert lead is not None
    assert lead.page_url == "https://x.test/pricing"
    assert lead.utm == {"source": "newsletter"}
    assert lead.pages_seen == [
        "https://x.test/pricing",
        "https://x.test/",
        "https://x.test/demo",
    ]
    assert lead.time_zone == "Europe/Berlin"


def test_store_book_never_double_books_a_slot(store: LeadStore) -> None:
    end = MONDAY_NINE + timedelta(minutes=30)
    store.book(
        "a", start=MONDAY_NINE, end=end, time_zone="UTC", token="t" * 20, now=NOW
    )

    with pytest.raises(SlotTakenError):
        store.book(
            "b", start=MONDAY_NINE, end=end, time_zone="UTC", token="u" * 20, now=NOW
        )

    assert store.taken_starts(since=NOW) == [MONDAY_NINE]
    lead_b = store.get_lead("b")
    assert lead_b is None or lead_b.bookings == []


def test_store_booking_by_token_finds_the_lead(store: LeadStore) -> None:
    end = MONDAY_NINE + timedelta(minutes=30)
    store.book(
        "a", start=MONDAY_NINE, end=end, time_zone="Asia/Tokyo", token="k" * 24, now=NOW
    )

    booking = store.booking_by_token("k" * 24)

    assert booking is not None
    assert booking.lead.sender_id == "a"
    assert booking.time_zone == "Asia/Tokyo"
    assert store.booking_by_token("missing-token-000") is None


def test_store_handoff_queues_notification_in_same_transaction(
    store: LeadStore,
) -> None:
    message_id = store.record_handoff(
        "a",
        reason="visitor-asked",
        notification={"x": 1},
        target_url="http://127.0.0.1:9/h",
        now=NOW,
    )

    lead = store.get_lead("a")
    assert lead is not None
    assert lead.status == "handed-off"
    assert [h.reason for h in lead.handoffs] == ["visitor-asked"]
    assert [m.id for m in store.due_messages(now=NOW)] == [message_id]


def test_store_handoff_without_target_queues_nothing(store: LeadStore) -> None:
    message_id = store.record_handoff(
        "a", reason="hot-lead", notification={"x": 1}, target_url="", now=NOW
    )

    assert message_id is None
    assert store.due_messages(now=NOW) == []


def test_store_failed_delivery_is_kept_and_rescheduled(store: LeadStore) -> None:
    message_id = store.record_handoff(
        "a",
        reason="hot-lead",
        notification={"x": 1},
        target_url="http://127.0.0.1:9/h",
        now=NOW,
    )
    assert message_id is not None

    attempts = store.mark_failed(
        message_id, error="HTTP 500", retry_at=NOW + timedelta(seconds=10)
    )

    assert attempts == 1
    assert store.due_messages(now=NOW) == []
    assert [m.id for m in store.due_messages(now=NOW + timedelta(seconds=11))] == [
        message_id
    ]


def test_store_delivered_message_is_not_due_again(store: LeadStore) -> None:
    message_id = store.record_handoff(
        "a",
        reason="hot-lead",
        notification={"x": 1},
        target_url="http://127.0.0.1:9/h",
        now=NOW,
    )
    assert message_id is not None

    store.mark_delivered(message_id, now=NOW)

    assert store.due_messages(now=NOW + timedelta(days=1)) == []


def test_store_keeps_times_in_utc_whatever_the_visitors_zone(store: LeadStore) -> None:
    berlin = NOW.astimezone(ZoneInfo("Europe/Berlin"))

    store.update_lead("visitor-1", now=berlin, consent_at=berlin)

    lead = store.get_lead("visitor-1")
    assert lead is not None
    assert as_utc(lead.created_at) == NOW
    assert as_utc(lead.updated_at) == NOW
    assert lead.consent_at is not None and as_utc(lead.consent_at) == NOW
