"""iCalendar (RFC 5545) files for booked demos.

The METHOD follows iTIP (RFC 5546), which sets what each method must carry:

- ``REQUEST`` when an attendee is given. The file is then an invitation from
  the organizer: calendar clients show accept/decline and file it under its
  UID, so a later file with the same UID and a higher SEQUENCE moves it.
  RFC 5546 requires an ORGANIZER and at least one ATTENDEE for REQUEST, so an
  attendee without an organizer is refused.
- ``PUBLISH`` otherwise: a plain "add to calendar" file. RFC 5546 forbids
  ATTENDEE in PUBLISH, which is why the method depends on the attendee.

All times are written in UTC ("Z" form), so no VTIMEZONE block is needed and
no client can misread a local time around a daylight-saving change.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

PRODID = "-//Leadline//Lead Qualifier//EN"

# RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, CRLF excluded.
_MAX_LINE_OCTETS = 75
_CRLF = "\r\n"
# Conservative on purpose: every character is safe unescaped in a mailto URI
# and in an iCalendar property value. Rare valid addresses are refused.
_MAILBOX_RE = re.compile(
    r"[A-Za-z0-9._+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
# Characters that Python or a reader may take for a line break.
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def render_ics(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    organizer_email: str | None,
    attendee_email: str | None,
    now: datetime,
    sequence: int = 0,
) -> str:
    """Render one event as an iCalendar file.

    Args:
        uid: Stable id of the booking; reuse it to update the same event.
        start: Meeting start, timezone-aware.
        end: Meeting end, timezone-aware and after ``start``.
        summary: Event title; any text, escaped here.
        description: Event body; any text, escaped here.
        organizer_email: The sales contact's address, or None.
        attendee_email: The visitor's address, or None for a PUBLISH file.
        now: The creation time, written as DTSTAMP.
        sequence: Revision number; raise it when the event is moved.

    Returns:
        The file as text with CRLF line endings; encode it as UTF-8.

    Raises:
        ValueError: A time is naive, ``end`` is not after ``start``, ``uid`` is
            blank, ``sequence`` is negative, an address is not a plain
            mailbox, or an attendee is given without an organizer.
    """
    _check_event(uid, start, end, sequence)
    method = _choose_method(organizer_email, attendee_email)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{escape_text(uid)}",
        f"DTSTAMP:{_utc_stamp(now)}",
        f"DTSTART:{_utc_stamp(start)}",
        f"DTEND:{_utc_stamp(end)}",
        f"SEQUENCE:{sequence}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        *_people_lines(organizer_email, attendee_email),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(folded + _CRLF for line in lines for folded in fold_line(line))


def escape_text(value: str) -> str:
    """Escape free text for an iCalendar TEXT value (RFC 5545 3.3.11).

    Backslashes, semicolons and commas get a backslash; every kind of line
    break becomes the two characters ``\\n``; other control characters, which
    TEXT does not allow, are dropped; unpaired surrogates become "?".
    """
    value = value.encode("utf-8", "replace").decode("utf-8")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = _LINE_BREAKS.sub("\\\\n", value)
    return "".join(char for char in value if not _is_forbidden_control(char))


def fold_line(line: str) -> list[str]:
    """Split a content line into physical lines of at most 75 octets.

    Continuation lines start with one space (RFC 5545 3.1). A UTF-8 sequence
    is never split, so each physical line is valid UTF-8 on its own.
    """
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > _MAX_LINE_OCTETS:
            parts.append(current)
            current, size = " ", 1

        current += char
        size += width

    parts.append(current)
    return parts


def _check_event(uid: str, start: datetime, end: datetime, sequence: int) -> None:
    for name, value in (("start", start), ("end", end)):
        if value.utcoffset() is None:
            msg = f"{name} must be timezone-aware, got naive {value!r}; attach a zone"
            raise ValueError(msg)

    if end <= start:
        msg = f"end must be after start, got {start.isoformat()} to {end.isoformat()}"
        raise ValueError(msg)

    if not uid.strip():
        msg = f"uid must not be blank, got {uid!r}; pass the booking id"
        raise ValueError(msg)

    if sequence < 0:
        msg = f"sequence must be zero or more, got {sequence!r}"
        raise ValueError(msg)


def _choose_method(organizer_email: str | None, attendee_email: str | None) -> str:
    if attendee_email is None:
        return "PUBLISH"

    if organizer_email is None:
        msg = "an invitation (attendee_email) needs organizer_email for the replies"
        raise ValueError(msg)

    return "REQUEST"


def _people_lines(organizer_email: str | None, attendee_email: str | None) -> list[str]:
    lines: list[str] = []
    if organizer_email is not None:
        lines.append(f"ORGANIZER:{_mailto('organizer_email', organizer_email)}")

    if attendee_email is not None:
        uri = _mailto("attendee_email", attendee_email)
        lines.append(
            f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:{uri}"
        )

    return lines


def _mailto(name: str, address: str) -> str:
    # The address is personal data, so the message leaves it out.
    if _MAILBOX_RE.fullmatch(address) is None:
        msg = f"{name} is not a plain mailbox like name@example.com; check it first"
        raise ValueError(msg)

    return f"mailto:{address}"


def _utc_stamp(value: datetime) -> str:
    if value.utcoffset() is None:
        msg = f"times must be timezone-aware, got naive {value!r}; attach a zone"
        raise ValueError(msg)

    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _is_forbidden_control(char: str) -> bool:
    return char != "\t" and unicodedata.category(char) == "Cc"
