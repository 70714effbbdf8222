"""The console transcript shows what the visitor saw, not button payloads."""

from __future__ import annotations

import json

from qualifier.transcripts import _text_of


def test_transcript_shows_the_clicked_button_title() -> None:
    data = json.dumps(
        {"text": "/affirm", "metadata": {"shown_as": "Yes, that's right"}}
    )

    assert _text_of(data) == "Yes, that's right"


def test_transcript_shows_typed_text_as_is() -> None:
    data = json.dumps({"text": "<script>alert(1)</script>", "metadata": {}})

    assert _text_of(data) == "<script>alert(1)</script>"
