"""Tests for iCalendar rendering, read back with a small RFC 5545 parser."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from qualifier.ics import PRODID, escape_text, fold_line, render_ics

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 30, 9, tzinfo=BERLIN)
END = datetime(2026, 3, 30, 9, 30, tzinfo=BERLIN)
NOW = datetime(2026, 3, 27, 15, 4, 5, tzinfo=UTC)


def render(**overrides: object) -> str:
    """Render with sensible defaults, replaced by ``overrides``."""
    arguments: dict[str, object] = {
        "uid": "booking-42@leadline.invalid",
        "start": START,
        "end": END,
        "summary": "Product demo",
        "description": "A 30 minute walkthrough.",
        "organizer_email": "sales@example.com",
        "attendee_email": "visitor@example.org",
        "now": NOW,
    }
    arguments.update(overrides)
    return render_ics(**arguments)  # type: ignore[arg-type]


def unfold(text: str) -> list[str]:
    """Split on CRLF and join continuation lines (RFC 5545 3.1)."""
    assert text.endswith("\r\n")
    lines: list[str] = []
    for physical in text[:-2].split("\r\n"):
        if physical[:1] in (" ", "\t"):
            lines[-1] += physical[1:]
        else:
            lines.append(physical)

    return lines


def split_property(line: str) -> tuple[str, dict[str, str], str]:
    """Split a content line into name, parameters and raw value."""
    head, _, value = line.partition(":")
    name, *params = head.split(";")
    return name, dict(param.split("=", 1) for param in params), value


def unescape(value: str) -> str:
    """Undo TEXT escaping, refusing anything RFC 5545 does not allow."""
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        assert char not in ",;", f"unescaped {char!r} in {value!r}"
        if char != "\\":
            out.append(char)
            continue

        escaped = next(chars)
        assert escaped in "\\;,nN", f"bad escape \\{escaped} in {value!r}"
        out.append("\n" if escaped in "nN" else escaped)

    return "".join(out)


def properties(text: str) -> dict[str, tuple[dict[str, str], str]]:
    """Map each property name to its parameters and raw value."""
    found: dict[str, tuple[dict[str, str], str]] = {}
    for line in unfold(text):
        name, params, value = split_property(line)
        if name not in ("BEGIN", "END"):
            assert name not in found, f"{name} appears twice"
            found[name] = (params, value)

    return found


# --- structure ----------------------------------------------------------------


def test_render_ics_has_calendar_structure() -> None:
    lines = unfold(render())

    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert [line for line in lines if line.startswith(("BEGIN:", "END:"))] == [
        "BEGIN:VCALENDAR",
        "BEGIN:VEVENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]


def test_render_ics_writes_required_properties_in_utc() -> None:
    props = properties(render())

    assert props["VERSION"][1] == "2.0"
    assert props["PRODID"][1] == PRODID
    assert props["UID"][1] == "booking-42@leadline.invalid"
    assert props["DTSTAMP"][1] == "20260327T150405Z"
    assert props["DTSTART"][1] == "20260330T070000Z"
    assert props["DTEND"][1] == "20260330T073000Z"


def test_render_ics_is_request_with_attendee() -> None:
    props = properties(render())

    assert props["METHOD"][1] == "REQUEST"
    assert props["ORGANIZER"][1] == "mailto:sales@example.com"
    assert props["ATTENDEE"] == (
        {"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"},
        "mailto:visitor@example.org",
    )


def test_render_ics_is_publish_without_attendee() -> None:
    props = properties(render(attendee_email=None))

    assert props["METHOD"][1] == "PUBLISH"
    assert "ATTENDEE" not in props
    assert props["ORGANIZER"][1] == "mailto:sales@example.com"


def test_render_ics_publish_may_omit_organizer() -> None:
    props = properties(render(attendee_email=None, organizer_email=None))

    assert props["METHOD"][1] == "PUBLISH"
    assert "ORGANIZER" not in props


# --- line endings and folding -------------------------------------------------


def test_render_ics_uses_crlf_only() -> None:
    text = render(description="one\ntwo\rthree\r\nfour")

    assert text.endswith("\r\n")
    assert "\r" not in text.replace("\r\n", "")
    assert "\n" not in text.replace("\r\n", "")


@pytest.mark.parametrize(
    "summary",
    [
        pytest.param("x" * 300, id="ascii"),
        pytest.param("\u00e9" * 200, id="two-byte"),
        pytest.param("\U0001f680\U0001f469\u200d\U0001f4bb" * 60, id="emoji"),
        pytest.param("a" + "\u20ac" * 100, id="offset-three-byte"),
    ],
)
def test_render_ics_folds_at_75_octets_on_char_boundaries(summary: str) -> None:
    raw = render(summary=summary).encode("utf-8")

    physical = raw.split(b"\r\n")[:-1]

    assert all(len(line) <= 75 for line in physical)
    # Each physical line decodes alone, so no UTF-8 sequence was split.
    assert all(line.decode("utf-8") for line in physical)
    assert unescape(properties(raw.decode("utf-8"))["SUMMARY"][1]) == summary


def test_fold_line_keeps_short_lines_whole() -> None:
    assert fold_line("SUMMARY:Demo") == ["SUMMARY:Demo"]


def test_fold_line_starts_continuations_with_a_space() -> None:
    parts = fold_line("DESCRIPTION:" + "y" * 100)

    assert [len(part) for part in parts] == [75, 38]
    assert parts[1].startswith(" ")


# --- escaping hostile text ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Demo, Q3; plan\\draft", "Demo, Q3; plan\\draft", id="specials"),
        pytest.param("line one\nline two", "line one\nline two", id="lf"),
        pytest.param("a\r\nb\rc", "a\nb\nc", id="crlf-and-cr"),
        pytest.param("a\u2028b\x85c", "a\nb\nc", id="unicode-breaks"),
        pytest.param(
            "<script>alert('x')</script>", "<script>alert('x')</script>", id="html"
        ),
        pytest.param("bell\x07nul\x00esc\x1b", "bellnulesc", id="controls-dropped"),
        pytest.param("tab\tkept", "tab\tkept", id="tab"),
        pytest.param(
            "\U0001f525 Hot lead \u2014 caf\u00e9",
            "\U0001f525 Hot lead \u2014 caf\u00e9",
            id="unicode",
        ),
        pytest.param("bad \ud800 surrogate", "bad ? surrogate", id="lone-surrogate"),
        pytest.param(
            "\\n is not a newline", "\\n is not a newline", id="literal-backslash-n"
        ),
    ],
)
def test_render_ics_round_trips_text(text: str, expected: str) -> None:
    props = properties(render(summary=text, description=text))

    assert unescape(props["SUMMARY"][1]) == expected
    assert unescape(props["DESCRIPTION"][1]) == expected


def test_render_ics_blocks_property_injection() -> None:
    hostile = "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nATTENDEE:mailto:evil@example.net"

    text = render(summary=hostile, description=hostile, uid=hostile)

    lines = unfold(text)
    assert lines.count("BEGIN:VEVENT") == 1
    assert sum(line.startswith("ATTENDEE") for line in lines) == 1
    assert unescape(properties(text)["UID"][1]) == hostile.replace("\r\n", "\n")


def test_escape_text_escapes_backslash_first() -> None:
    assert escape_text("a\\,b") == "a\\\\\\,b"


# --- refused input ------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        pytest.param({"start": datetime(2026, 3, 30, 9)}, "naive", id="naive-start"),
        pytest.param({"now": datetime(2026, 3, 27)}, "naive", id="naive-now"),
        pytest.param({"end": START}, "after start", id="empty-event"),
        pytest.param({"uid": "  "}, "blank", id="blank-uid"),
        pytest.param({"sequence": -1}, "sequence", id="negative-sequence"),
        pytest.param({"organizer_email": None}, "organizer_email", id="attendee-alone"),
        pytest.param(
            {"attendee_email": "v@example.org\r\nATTENDEE:mailto:x@y.z"},
            "attendee_email",
            id="email-injection",
        ),
        pytest.param(
            {"organizer_email": "sales"}, "organizer_email", id="not-an-email"
        ),
        pytest.param(
            {"attendee_email": "a;b@example.org"},
            "attendee_email",
            id="email-semicolon",
        ),
    ],
)
def test_render_ics_refuses_bad_input(
    overrides: dict[str, object], fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment):
        render(**overrides)


def test_render_ics_error_leaves_address_out() -> None:
    with pytest.raises(ValueError, match="attendee_email") as caught:
        render(attendee_email="jane.doe at example.org")

    assert "jane" not in str(caught.value)


def test_render_ics_writes_sequence() -> None:
    props = properties(render(sequence=2))

    assert props["SEQUENCE"][1] == "2"
