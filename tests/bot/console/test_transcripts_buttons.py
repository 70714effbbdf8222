"""The console transcript shows what the visitor saw, not button payloads."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

from qualifier.transcripts import TranscriptReader, _text_of


def test_transcript_shows_the_clicked_button_title() -> None:
    data = json.dumps(
        {"text": "/affirm", "metadata": {"shown_as": "Yes, that's right"}}
    )

    assert _text_of(data) == "Yes, that's right"


def test_transcript_shows_typed_text_as_is() -> None:
    data = json.dumps({"text": "<script>alert(1)</script>", "metadata": {}})

    assert _text_of(data) == "<script>alert(1)</script>"


def test_transcript_reader_finds_a_tracker_file_created_after_start(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/tracker.db"
    reader = TranscriptReader.connect(url)
    assert reader.transcript("visitor-1") == []

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                "type_name TEXT, timestamp REAL, intent_name TEXT, "
                "action_name TEXT, data TEXT)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO events (sender_id, type_name, timestamp, data) "
                "VALUES ('visitor-1', 'user', 1.0, :data)"
            ),
            {"data": json.dumps({"text": "hello"})},
        )
    engine.dispose()

    assert [line.text for line in reader.transcript("visitor-1")] == ["hello"]
    assert reader.engine is not None
    reader.engine.dispose()
