"""Read conversations back from Rasa's SQL tracker store.

Rasa writes one row per event to a table ``events`` in its own database. This
module reads the user and bot messages of that table with SQLAlchemy Core; the
table is declared here rather than reflected, so a missing database reads as
"no transcript" instead of failing at start-up.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    create_engine,
    func,
    select,
)
from sqlalchemy.exc import OperationalError, ProgrammingError

from qualifier.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

TRACKER_URL_VAR = "LEADLINE_TRACKER_URL"
MESSAGE_EVENTS = ("user", "bot")
MAX_LINES = 2000

_metadata = MetaData()
events = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


@dataclass(frozen=True)
class TranscriptLine:
    """One message of a conversation.

    Attributes:
        speaker: ``"visitor"`` for user events, ``"bot"`` for bot events.
        text: What was written; empty when the event carried no text.
        sent_at: When the message was sent, in UTC.
    """

    speaker: str
    text: str
    sent_at: datetime


def tracker_url_from_env(environ: Mapping[str, str]) -> str:
    """Return the tracker store URL from LEADLINE_TRACKER_URL, or the default."""
    return environ.get(TRACKER_URL_VAR, f"sqlite:///{PROJECT_ROOT}/var/tracker.db")


class TranscriptReader:
    """Read messages from the tracker store's ``events`` table.

    A tracker store that is missing or has no ``events`` table yet reads as
    empty and logs a warning, so the console keeps working without Rasa.
    """

    def __init__(self, engine: Engine | None, tracker_url: str | None = None) -> None:
        self.engine = engine
        self._tracker_url = tracker_url

    @classmethod
    def connect(cls, tracker_url: str) -> TranscriptReader:
        """Open a reader on ``tracker_url``; a missing SQLite file reads as empty.

        Rasa creates its SQLite file on its first message, often after the web
        app started, so a missing file is looked for again on each read.
        """
        reader = cls(None, tracker_url)
        reader.engine = reader._open()
        if reader.engine is None:
            logger.warning("transcripts.unavailable reason=no_sqlite_file")

        return reader

    def _open(self) -> Engine | None:
        url = self._tracker_url
        if url is None:
            return None

        sqlite_path = Path(url.removeprefix("sqlite:///"))
        if url.startswith("sqlite:///") and not sqlite_path.is_file():
            return None

        return create_engine(url, pool_pre_ping=True)

    def transcript(self, sender_id: str) -> list[TranscriptLine]:
        """Return the user and bot messages of one conversation, oldest first."""
        query = (
            select(events.c.type_name, events.c.timestamp, events.c.data)
            .where(
                events.c.sender_id == sender_id,
                events.c.type_name.in_(MESSAGE_EVENTS),
            )
            .order_by(events.c.id)
            .limit(MAX_LINES)
        )
        rows = self._fetch(query)
        return [_line(type_name, stamp, data) for type_name, stamp, data in rows]

    def count_conversations(self, start: datetime, end: datetime) -> int:
        """Count conversations with a message from ``start`` up to ``end``."""
        query = select(func.count(events.c.sender_id.distinct())).where(
            events.c.type_name == "user",
            events.c.timestamp >= start.timestamp(),
            events.c.timestamp < end.timestamp(),
        )
        rows = self._fetch(query)
        return int(rows[0][0]) if rows else 0

    def _fetch(self, query: Select[Any]) -> list[tuple[Any, ...]]:
        if self.engine is None:
            self.engine = self._open()

        if self.engine is None:
            return []

        try:
            with self.engine.connect() as connection:
                return [tuple(row) for row in connection.execute(query)]
        except (OperationalError, ProgrammingError) as exc:
            logger.warning("transcripts.unavailable reason=%s", type(exc.orig).__name__)
            return []


def _line(type_name: str, stamp: float | None, data: str | None) -> TranscriptLine:
    speaker = "visitor" if type_name == "user" else "bot"
    sent_at = datetime.fromtimestamp(float(stamp or 0), UTC)
    return TranscriptLine(speaker=speaker, text=_text_of(data), sent_at=sent_at)


def _text_of(data: str | None) -> str:
    if not isinstance(data, str):
        return ""

    try:
        event = json.loads(data)
    except ValueError:
        return ""

    if not isinstance(event, dict):
        return ""

    # A clicked button is sent as its payload; the widget adds the title shown.
    metadata = event.get("metadata")
    shown = metadata.get("shown_as") if isinstance(metadata, dict) else None
    text = shown if isinstance(shown, str) and shown else event.get("text")
    return text if isinstance(text, str) else ""
