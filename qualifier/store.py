"""The lead store: leads, their answers, bookings, handoffs and the outbox."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from qualifier.errors import SlotTakenError, StoreError
from qualifier.facts import PageContext
from qualifier.models import Answer, Booking, Handoff, Lead, OutboxMessage

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class AnswerRecord:
    """One understood value, ready to be stored with its evidence."""

    dimension: str
    value: dict[str, Any]
    evidence: str | None
    confidence: float = 1.0


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` in UTC; naive values from SQLite are taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)

    return moment.astimezone(UTC)


class LeadStore:
    """Read and write leads through one SQLAlchemy engine.

    Each method is one transaction, so a failure never leaves half a lead.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def connect(cls, database_url: str) -> LeadStore:
        """Create a store on ``database_url``, creating a SQLite folder if needed."""
        if database_url.startswith("sqlite:///"):
            Path(database_url.removeprefix("sqlite:///")).parent.mkdir(
                parents=True, exist_ok=True
            )

        engine = create_engine(database_url, pool_pre_ping=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _tune_sqlite)

        return cls(engine)

    def migrate(self) -> None:
        """Bring the schema up to the newest migration."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except OperationalError as exc:
            msg = (
                f"cannot migrate the lead store at {self.engine.url!r}: {exc.orig}; "
                "check LEADLINE_DATABASE_URL and that the database is running"
            )
            raise StoreError(msg) from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Open a session that commits on success and rolls back on error."""
        with self._sessions.begin() as session:
            yield session

    def get_lead(self, sender_id: str) -> Lead | None:
        """Return the lead of a conversation with its answers, or None."""
        with self._sessions() as session:
            query = (
                select(Lead)
                .where(Lead.sender_id == sender_id)
                .options(
                    selectinload(Lead.answers),
                    selectinload(Lead.bookings),
                    selectinload(Lead.handoffs),
                )
            )
            return session.scalars(query).one_or_none()

    def ensure_lead(self, sender_id: str, *, now: datetime) -> None:
        """Create the lead of a conversation if it does not exist yet."""
        now = as_utc(now)
        with self.session() as session:
            _lead_for(session, sender_id, now)

    def record_answers(
        self,
        sender_id: str,
        message: str,
        answers: Sequence[AnswerRecord],
        *,
        now: datetime,
    ) -> None:
        """Store understood values with the message they came from."""
        now = as_utc(now)
        with self.session() as session:
            lead = _lead_for(session, sender_id, now)
            for answer in answers:
                lead.answers.append(
                    Answer(
                        dimension=answer.dimension,
                        value=answer.value,
                        evidence=answer.evidence,
                        message=message,
                        confidence=answer.confidence,
                        created_at=now,
                    )
                )

            lead.updated_at = now

    def update_lead(self, sender_id: str, *, now: datetime, **fields: Any) -> None:
        """Set columns of a lead, creating it if needed.

        Times are stored in UTC, whatever zone the visitor's messages use.
        """
        now = as_utc(now)
        fields = {
            name: as_utc(value) if isinstance(value, datetime) else value
            for name, value in fields.items()
        }
        with self.session() as session:
            lead = _lead_for(session, sender_id, now)
            for name, value in fields.items():
                if not hasattr(Lead, name):
                    msg = f"leads have no column {name!r}; see qualifier/models.py"
                    raise StoreError(msg)

                setattr(lead, name, value)

            lead.updated_at = now

    def save_page_context(
        self, sender_id: str, page: PageContext, *, time_zone: str | None, now: datetime
    ) -> None:
        """Remember where the visitor chats from; later pages are added."""
        now = as_utc(now)
        with self.session() as session:
            lead = _lead_for(session, sender_id, now)
            lead.page_url = lead.page_url or page.page_url
            lead.referrer = lead.referrer or page.referrer
            lead.utm = {**_utm_of(page), **(lead.utm or {})}
            seen = list(lead.pages_seen or [])
            for url in (*page.pages_seen, page.page_url):
                if url and url not in seen:
                    seen.append(url)

            lead.pages_seen = seen
            lead.time_zone = time_zone or lead.time_zone

    def taken_starts(
        self, *, since: datetime, calendar: str = "sales"
    ) -> list[datetime]:
        """Return the start of every booked slot from ``since`` on."""
        with self._sessions() as session:
            query = select(Booking.start).where(
                Booking.calendar == calendar, Booking.start >= as_utc(since)
            )
            return [as_utc(start) for start in session.scalars(query)]

    def book(
        self,
        sender_id: str,
        *,
        start: datetime,
        end: datetime,
        time_zone: str,
        token: str,
        now: datetime,
        calendar: str = "sales",
    ) -> Booking:
        """Book a slot for a lead.

        Raises:
            SlotTakenError: The slot was booked by another conversation first.
        """
        now = as_utc(now)
        booking = Booking(
            calendar=calendar,
            start=as_utc(start),
            end=as_utc(end),
            time_zone=time_zone,
            token=token,
            created_at=now,
        )
        try:
            with self.session() as session:
                lead = _lead_for(session, sender_id, now)
                booking.lead = lead
                session.add(booking)
        except IntegrityError as exc:
            msg = f"the slot starting {start.isoformat()} is already booked"
            raise SlotTakenError(msg) from exc

        return booking

    def booking_by_token(self, token: str) -> Booking | None:
        """Return the booking an .ics link points at, or None."""
        with self._sessions() as session:
            query = (
                select(Booking)
                .where(Booking.token == token)
                .options(selectinload(Booking.lead))
            )
            return session.scalars(query).one_or_none()

    def record_handoff(
        self,
        sender_id: str,
        *,
        reason: str,
        notification: dict[str, Any] | None,
        target_url: str,
        now: datetime,
    ) -> int | None:
        """Store a handoff and, in the same transaction, its notification.

        Returns:
            The id of the queued outbox message, or None when no target is set.
        """
        now = as_utc(now)
        with self.session() as session:
            lead = _lead_for(session, sender_id, now)
            lead.status = "handed-off"
            session.add(Handoff(lead=lead, reason=reason, created_at=now))
            if not target_url or notification is None:
                return None

            message = OutboxMessage(
                kind="handoff",
                target_url=target_url,
                payload=notification,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
            session.add(message)
            session.flush()
            return message.id

    def due_messages(self, *, now: datetime, limit: int = 20) -> list[OutboxMessage]:
        """Return undelivered outbox messages whose next attempt is due."""
        with self._sessions() as session:
            query = (
                select(OutboxMessage)
                .where(
                    OutboxMessage.delivered_at.is_(None),
                    OutboxMessage.next_attempt_at <= as_utc(now),
                )
                .order_by(OutboxMessage.id)
                .limit(limit)
            )
            return list(session.scalars(query))

    def mark_delivered(self, message_id: int, *, now: datetime) -> None:
        """Record that an outbox message reached its target."""
        now = as_utc(now)
        with self.session() as session:
            message = session.get_one(OutboxMessage, message_id)
            message.attempts += 1
            message.delivered_at = now
            message.last_error = None

    def mark_failed(self, message_id: int, *, error: str, retry_at: datetime) -> int:
        """Record a failed delivery and when to try again; return the attempts."""
        with self.session() as session:
            message = session.get_one(OutboxMessage, message_id)
            message.attempts += 1
            message.last_error = error[:500]
            message.next_attempt_at = as_utc(retry_at)
            return message.attempts


def _lead_for(session: Session, sender_id: str, now: datetime) -> Lead:
    lead = session.scalars(
        select(Lead).where(Lead.sender_id == sender_id)
    ).one_or_none()
    if lead is not None:
        return lead

    lead = Lead(
        sender_id=sender_id,
        created_at=now,
        updated_at=now,
        status="open",
        score_breakdown=[],
        facts={},
        utm={},
        pages_seen=[],
    )
    session.add(lead)
    session.flush()
    logger.info("lead.created lead_id=%s", lead.id)
    return lead


def _utm_of(page: PageContext) -> dict[str, str]:
    fields = {
        "source": page.utm_source,
        "medium": page.utm_medium,
        "campaign": page.utm_campaign,
        "term": page.utm_term,
        "content": page.utm_content,
    }
    return {key: value for key, value in fields.items() if value}


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web app read while the action server writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
