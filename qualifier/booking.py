"""Demo booking: the sales team's availability, free slots, the visitor's pick.

Slots lie on a grid that starts at the beginning of the working day and steps
by the meeting length, in the team's own time zone, so "09:00" stays 09:00 on
both sides of a daylight-saving change.

Offers are spread so a visitor sees real alternatives rather than three
consecutive half hours of one morning:

- each local day gives at most ``max_offers_per_day`` offers (1 by default);
- two offers on the same day start at least half a working day apart
  (09:00 and 13:00 for 09:00-17:00);
- days that give offers alternate between the earliest free slot and the
  earliest free slot in the second half of the working day, so the visitor
  sees a morning and an afternoon (Mon 09:00, Tue 13:00, Wed 09:00). A day
  with nothing free in the preferred half falls back to the other half.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from qualifier.errors import BookingConfigError

logger = logging.getLogger(__name__)

_EN_DASH = "\u2013"
_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_LABELS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_CONFIG_KEYS = frozenset(
    {
        "timezone",
        "working_days",
        "working_hours",
        "meeting_minutes",
        "buffer_minutes",
        "minimum_notice_minutes",
        "days_ahead",
        "offer_count",
        "max_offers_per_day",
    }
)
_INT_KEYS = (
    "meeting_minutes",
    "buffer_minutes",
    "days_ahead",
    "offer_count",
    "max_offers_per_day",
)


@dataclass(frozen=True)
class Availability:
    """When demos can be booked, in the sales team's time zone.

    Attributes:
        timezone: The IANA zone the working hours are written in.
        working_days: Weekday numbers that take meetings, Monday is 0.
        day_start: Local wall time the first meeting may start.
        day_end: Local wall time the last meeting must end by.
        meeting_minutes: Length of one demo, also the grid step.
        buffer_minutes: Free time kept on both sides of a booked demo.
        min_notice: How long after now the earliest offer may start.
        days_ahead: How many local calendar days, today included, to search.
        offer_count: How many slots to offer when the caller names no count.
        max_offers_per_day: How many offers may share one local day.

    Raises:
        BookingConfigError: A value is out of range; the message names it.
    """

    timezone: ZoneInfo
    working_days: frozenset[int] = frozenset(range(5))
    day_start: time = time(9)
    day_end: time = time(17)
    meeting_minutes: int = 30
    buffer_minutes: int = 0
    min_notice: timedelta = timedelta(hours=2)
    days_ahead: int = 14
    offer_count: int = 3
    max_offers_per_day: int = 1

    def __post_init__(self) -> None:
        problem = _availability_problem(self)
        if problem is not None:
            key, message = problem
            raise BookingConfigError(message, key=key)


@dataclass(frozen=True)
class Slot:
    """One bookable meeting, stored in UTC.

    Attributes:
        start: When the meeting starts; any aware value is stored in UTC.
        end: When the meeting ends, after ``start``.

    Raises:
        ValueError: A time is naive, or ``end`` is not after ``start``.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _require_aware("Slot start", self.start)
        _require_aware("Slot end", self.end)
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))

        if self.end <= self.start:
            msg = (
                f"Slot end must be after its start, got {self.start!r} to {self.end!r}"
            )
            raise ValueError(msg)

    @property
    def payload(self) -> str:
        """Return the ISO 8601 UTC start, for a button payload."""
        return self.start.strftime("%Y-%m-%dT%H:%M:%SZ")

    def in_zone(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """Return start and end as wall times in ``tz``."""
        return self.start.astimezone(tz), self.end.astimezone(tz)


def load_availability(path: Path) -> Availability:
    """Load and validate the availability config from a YAML file.

    Args:
        path: The YAML file, a mapping with the keys of ``config/availability.yml``.

    Returns:
        The validated availability.

    Raises:
        BookingConfigError: The file is missing, unreadable, not YAML, or holds
            an unknown key or a bad value; the message names file and key.
    """
    raw = _read_config(path)

    try:
        return _availability_from_mapping(raw)
    except BookingConfigError as exc:
        raise BookingConfigError(str(exc), path=path, key=exc.key) from exc


def day_slots(availability: Availability, day: date) -> list[Slot]:
    """List every grid slot of one local day, ignoring notice and bookings.

    Slots whose local start does not exist (the spring-forward gap) or whose
    wall-clock length differs from the meeting length (they cross a clock
    change) are left out, so every offer reads as it will happen.

    Args:
        availability: The working days, hours and meeting length.
        day: The calendar day in the availability's time zone.

    Returns:
        The day's slots in time order; empty on a day off.
    """
    if day.weekday() not in availability.working_days:
        return []

    length = timedelta(minutes=availability.meeting_minutes)
    wall = datetime.combine(day, availability.day_start)
    day_end = datetime.combine(day, availability.day_end)
    slots: list[Slot] = []
    while wall + length <= day_end:
        slot = _slot_at_wall_time(wall, length, availability.timezone)
        if slot is not None:
            slots.append(slot)

        wall += length

    return slots


def free_slots(
    availability: Availability,
    *,
    now: datetime,
    taken: Iterable[datetime],
    count: int | None = None,
) -> list[Slot]:
    """Find the next free slots to offer, spread over the coming days.

    A slot is free when it starts at least ``min_notice`` after ``now`` and
    does not come within ``buffer_minutes`` of a booked demo. Offers are
    spread over days and times of day as the module docstring describes.

    Args:
        availability: The team's availability.
        now: The current time, timezone-aware.
        taken: Start times of demos already booked, timezone-aware.
        count: How many slots to return; ``availability.offer_count`` if None.

    Returns:
        Up to ``count`` slots in time order; fewer when the window is full.

    Raises:
        ValueError: ``now`` or a taken start is naive, or ``count`` is negative.
    """
    _require_aware("now", now)
    wanted = availability.offer_count if count is None else count
    if wanted < 0:
        msg = f"count must be zero or more, got {wanted!r}"
        raise ValueError(msg)

    busy = _busy_ranges(availability, taken)
    earliest = now + availability.min_notice
    first_day = now.astimezone(availability.timezone).date()
    offers: list[Slot] = []
    offer_days = 0
    for offset in range(availability.days_ahead):
        if len(offers) >= wanted:
            break

        day = first_day + timedelta(days=offset)
        free = [
            slot
            for slot in day_slots(availability, day)
            if slot.start >= earliest and not _overlaps_any(slot, busy)
        ]
        afternoon_first = offer_days % 2 == 1
        picked = _spread_day(free, availability, afternoon_first=afternoon_first)
        offers.extend(picked[: wanted - len(offers)])
        offer_days += 1 if picked else 0

    logger.debug("booking.slots_found wanted=%d found=%d", wanted, len(offers))
    return offers


def format_slot(slot: Slot, tz: ZoneInfo) -> str:
    """Render a slot for people in the given zone.

    For example "Tue 8 Dec, 10:00-10:30 (Europe/Berlin)", with an en dash
    between the times. Labels are English and do not follow the locale.
    """
    start, end = slot.in_zone(tz)
    weekday, month = _DAY_LABELS[start.weekday()], _MONTH_LABELS[start.month - 1]
    return (
        f"{weekday} {start.day} {month}, {start:%H:%M}{_EN_DASH}{end:%H:%M} ({tz.key})"
    )


def parse_slot_choice(
    text: str,
    offered: list[Slot],
    tz: ZoneInfo,
    *,
    now: datetime | None = None,
) -> Slot | None:
    """Read which offered slot the visitor picked.

    Understood, in this order: an ISO start from a button payload; a day
    and/or time ("tuesday 10am", "Tue 8 Dec, 10:00", "tomorrow afternoon");
    a position ("2", "the second one", "last"). Anything that matches no
    offer, or more than one, or that sounds like a refusal ("none of them",
    "not the first") gives None so the bot can ask again.

    Args:
        text: The visitor's message or button payload.
        offered: The slots that were offered, in the order shown.
        tz: The zone the visitor's times are read in (the one shown).
        now: The current time, needed only for "today" and "tomorrow".

    Returns:
        The chosen offered slot, or None when the choice is not clear.
    """
    if not offered:
        return None

    iso = _ISO_RE.search(text)
    if iso is not None:
        return _choice_by_iso(iso.group(0), offered, tz)

    lowered = " ".join(text.lower().split())
    if not lowered or _REFUSAL_RE.search(lowered):
        return None

    wanted = _read_wanted_time(lowered, tz, now)
    if wanted is not None:
        matches = [slot for slot in offered if wanted.matches(slot, tz)]
        return matches[0] if len(matches) == 1 else None

    return _choice_by_position(lowered, offered)


# --- config -------------------------------------------------------------------


def _read_config(path: Path) -> Mapping[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        msg = f"cannot read the availability config ({exc.strerror}); check the path"
        raise BookingConfigError(msg, path=path) from exc
    except yaml.YAMLError as exc:
        msg = f"is not valid YAML ({exc}); fix the syntax"
        raise BookingConfigError(msg, path=path) from exc

    if not isinstance(raw, Mapping):
        msg = f"must hold a mapping of settings, got {type(raw).__name__}"
        raise BookingConfigError(msg, path=path)

    return raw


def _availability_from_mapping(raw: Mapping[str, Any]) -> Availability:
    unknown = sorted(str(key) for key in raw if key not in _CONFIG_KEYS)
    if unknown:
        msg = f"unknown keys {unknown!r}; allowed are {sorted(_CONFIG_KEYS)!r}"
        raise BookingConfigError(msg, key=unknown[0])

    settings: dict[str, Any] = {"timezone": _parse_zone(raw.get("timezone"))}
    if "working_days" in raw:
        settings["working_days"] = _parse_days(raw["working_days"])

    if "working_hours" in raw:
        settings["day_start"], settings["day_end"] = _parse_hours(raw["working_hours"])

    if "minimum_notice_minutes" in raw:
        minutes = _parse_int("minimum_notice_minutes", raw["minimum_notice_minutes"])
        settings["min_notice"] = timedelta(minutes=minutes)

    for key in _INT_KEYS:
        if key in raw:
            settings[key] = _parse_int(key, raw[key])

    return Availability(**settings)


def _parse_zone(value: object) -> ZoneInfo:
    if not isinstance(value, str) or not value.strip():
        msg = f"timezone must be an IANA zone name like 'Europe/Berlin', got {value!r}"
        raise BookingConfigError(msg, key="timezone")

    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        msg = f"timezone {value!r} is not a known IANA zone; use e.g. 'Europe/Berlin'"
        raise BookingConfigError(msg, key="timezone") from exc


def _parse_days(value: object) -> frozenset[int]:
    if not isinstance(value, list) or not value:
        msg = f"working_days must be a non-empty list like [mon, tue], got {value!r}"
        raise BookingConfigError(msg, key="working_days")

    days: set[int] = set()
    for item in value:
        key = str(item).strip().lower()[:3]
        if not isinstance(item, str) or key not in _DAY_KEYS:
            msg = f"working_days has {item!r}; use day names mon, tue, ... sun"
            raise BookingConfigError(msg, key="working_days")

        days.add(_DAY_KEYS.index(key))

    return frozenset(days)


def _parse_hours(value: object) -> tuple[time, time]:
    if not isinstance(value, Mapping) or set(value) != {"start", "end"}:
        msg = f"working_hours must be a mapping with start and end, got {value!r}"
        raise BookingConfigError(msg, key="working_hours")

    start = _parse_wall_time("working_hours.start", value["start"])
    end = _parse_wall_time("working_hours.end", value["end"])
    return start, end


def _parse_wall_time(key: str, value: object) -> time:
    # YAML 1.1 reads an unquoted 10:00 as the number 600, hence the hint.
    if not isinstance(value, str):
        msg = f"{key} must be a quoted time like '09:00', got {value!r}"
        raise BookingConfigError(msg, key=key)

    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
    if match is None:
        msg = f"{key} must be a 24-hour time like '09:00', got {value!r}"
        raise BookingConfigError(msg, key=key)

    return time(int(match.group(1)), int(match.group(2)))


def _parse_int(key: str, value: object) -> int:
    # bool is an int subclass; "yes" for a number is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{key} must be a whole number, got {value!r}"
        raise BookingConfigError(msg, key=key)

    return value


def _availability_problem(availability: Availability) -> tuple[str, str] | None:
    a = availability
    window = datetime.combine(date.min, a.day_end) - datetime.combine(
        date.min, a.day_start
    )
    checks = (
        (
            "working_days",
            bool(a.working_days) and a.working_days <= frozenset(range(7)),
            f"working_days must hold 0 (Monday) to 6, got {sorted(a.working_days)!r}",
        ),
        (
            "working_hours",
            a.day_start.tzinfo is None and a.day_end.tzinfo is None,
            "working hours must be wall times without a zone; set timezone instead",
        ),
        (
            "working_hours",
            a.day_start < a.day_end,
            f"working_hours end {a.day_end:%H:%M} must be after start "
            f"{a.day_start:%H:%M}",
        ),
        (
            "meeting_minutes",
            0 < a.meeting_minutes <= window.total_seconds() // 60,
            f"meeting_minutes must be 1 to the working-day length, "
            f"got {a.meeting_minutes!r}",
        ),
        (
            "buffer_minutes",
            a.buffer_minutes >= 0,
            f"buffer_minutes must be zero or more, got {a.buffer_minutes!r}",
        ),
        (
            "minimum_notice_minutes",
            a.min_notice >= timedelta(0),
            f"minimum notice must be zero or more, got {a.min_notice!r}",
        ),
        (
            "days_ahead",
            a.days_ahead >= 1,
            f"days_ahead must be 1 or more, got {a.days_ahead!r}",
        ),
        (
            "offer_count",
            a.offer_count >= 1,
            f"offer_count must be 1 or more, got {a.offer_count!r}",
        ),
        (
            "max_offers_per_day",
            a.max_offers_per_day >= 1,
            f"max_offers_per_day must be 1 or more, got {a.max_offers_per_day!r}",
        ),
    )
    for key, ok, message in checks:
        if not ok:
            return key, message

    return None


# --- slots --------------------------------------------------------------------


def _require_aware(name: str, value: datetime) -> None:
    if value.utcoffset() is None:
        msg = f"{name} must be timezone-aware, got naive {value!r}; attach a zone"
        raise ValueError(msg)


def _slot_at_wall_time(wall: datetime, length: timedelta, tz: ZoneInfo) -> Slot | None:
    start = wall.replace(tzinfo=tz).astimezone(UTC)
    end = start + length
    start_wall = start.astimezone(tz).replace(tzinfo=None)
    end_wall = end.astimezone(tz).replace(tzinfo=None)
    if start_wall != wall or end_wall - start_wall != length:
        return None

    return Slot(start, end)


def _busy_ranges(
    availability: Availability, taken: Iterable[datetime]
) -> list[tuple[datetime, datetime]]:
    buffer = timedelta(minutes=availability.buffer_minutes)
    length = timedelta(minutes=availability.meeting_minutes)
    ranges: list[tuple[datetime, datetime]] = []
    for start in taken:
        _require_aware("taken start", start)
        ranges.append((start - buffer, start + length + buffer))

    return ranges


def _overlaps_any(slot: Slot, busy: list[tuple[datetime, datetime]]) -> bool:
    return any(slot.start < end and start < slot.end for start, end in busy)


def _spread_day(
    free: list[Slot], availability: Availability, *, afternoon_first: bool
) -> list[Slot]:
    gap = _half_working_day(availability)
    ordered = _afternoon_first(free, availability) if afternoon_first else free
    picked: list[Slot] = []
    for slot in ordered:
        if len(picked) == availability.max_offers_per_day:
            break

        if all(abs(slot.start - other.start) >= gap for other in picked):
            picked.append(slot)

    return sorted(picked, key=lambda slot: slot.start)


def _afternoon_first(free: list[Slot], availability: Availability) -> list[Slot]:
    day_start = datetime.combine(date.min, availability.day_start)
    midpoint = (day_start + _half_working_day(availability)).time()
    tz = availability.timezone
    later = [slot for slot in free if slot.start.astimezone(tz).time() >= midpoint]
    earlier = [slot for slot in free if slot not in later]
    return later + earlier


def _half_working_day(availability: Availability) -> timedelta:
    day_start = datetime.combine(date.min, availability.day_start)
    return (datetime.combine(date.min, availability.day_end) - day_start) / 2


# --- choice parsing -----------------------------------------------------------

_ISO_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_REFUSAL_RE = re.compile(
    r"\b(?:not|none|neither|nor|no|cannot|other|another|different|else|"
    r"(?:don|can|won)[\u2019']?t)\b"
)
_WEEKDAY_RE = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|r|rs|rsday|urday)?\b"
)
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY_OF_MONTH = r"(\d{1,2})(?:st|nd|rd|th)?"
_DATE_DAY_FIRST_RE = re.compile(rf"\b{_DAY_OF_MONTH}\s+(?:of\s+)?{_MONTH}")
_DATE_MONTH_FIRST_RE = re.compile(rf"\b{_MONTH}\s+{_DAY_OF_MONTH}\b")
_CLOCK_12H_RE = re.compile(r"(?<![\d:.])(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\b\.?")
_CLOCK_24H_RE = re.compile(r"(?<![\d:.])(\d{1,2})[:.](\d{2})(?![\d:.])")
_NOON_RE = re.compile(r"\b(?:noon|midday)\b")
_BARE_HOUR_RE = re.compile(r"(?<![\d:.])(\d{1,2})(?![\d:.])")
_AT_HOUR_RE = re.compile(r"\bat\s+(\d{1,2})(?![\d:.])")
_PARTS_OF_DAY = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}
_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_CARDINAL_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


@dataclass(frozen=True)
class _WantedTime:
    """What the visitor said about a slot's day and time of day."""

    weekdays: frozenset[int] | None = None
    month_day: tuple[int, int] | None = None
    day: date | None = None
    clock: frozenset[tuple[int, int]] | None = None
    hours: tuple[int, int] | None = None

    def matches(self, slot: Slot, tz: ZoneInfo) -> bool:
        """Tell whether the slot's local start fits every stated part."""
        start = slot.start.astimezone(tz)
        checks = (
            self.weekdays is None or start.weekday() in self.weekdays,
            self.month_day is None or (start.month, start.day) == self.month_day,
            self.day is None or start.date() == self.day,
            self.clock is None or (start.hour, start.minute) in self.clock,
            self.hours is None or self.hours[0] <= start.hour < self.hours[1],
        )
        return all(checks)


def _choice_by_iso(value: str, offered: list[Slot], tz: ZoneInfo) -> Slot | None:
    try:
        start = datetime.fromisoformat(value.upper())
    except ValueError:
        return None

    if start.utcoffset() is None:
        start = start.replace(tzinfo=tz)

    return next((slot for slot in offered if slot.start == start), None)


def _read_wanted_time(
    text: str, tz: ZoneInfo, now: datetime | None
) -> _WantedTime | None:
    month_day, text = _take_month_day(text)
    clock, text = _take_clock(text)
    weekdays = _find_weekdays(text)
    day = _find_relative_day(text, tz, now)
    hours = next((span for word, span in _PARTS_OF_DAY.items() if word in text), None)
    has_day = month_day is not None or weekdays is not None or day is not None
    if clock is None:
        clock = _find_bare_hour(text, has_day or hours is not None)

    wanted = _WantedTime(weekdays, month_day, day, clock, hours)
    return None if wanted == _WantedTime() else wanted


def _take_month_day(text: str) -> tuple[tuple[int, int] | None, str]:
    match = _DATE_DAY_FIRST_RE.search(text)
    if match is not None:
        day, month = match.group(1), match.group(2)
    else:
        match = _DATE_MONTH_FIRST_RE.search(text)
        if match is None:
            return None, text

        month, day = match.group(1), match.group(2)

    month_number = [label.lower() for label in _MONTH_LABELS].index(month) + 1
    rest = text[: match.start()] + " " + text[match.end() :]
    return (month_number, int(day)), rest


def _take_clock(text: str) -> tuple[frozenset[tuple[int, int]] | None, str]:
    match = _CLOCK_12H_RE.search(text)
    if match is not None:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12:
            return frozenset(), text

        hour = hour % 12 + (12 if match.group(3) == "p" else 0)
        return frozenset({(hour, minute)}), _cut(text, match)

    match = _CLOCK_24H_RE.search(text)
    if match is not None:
        hour, minute = int(match.group(1)), int(match.group(2))
        return _hour_readings(hour, minute), _cut(text, match)

    if _NOON_RE.search(text):
        return frozenset({(12, 0)}), text

    return None, text


def _find_bare_hour(text: str, has_context: bool) -> frozenset[tuple[int, int]] | None:
    match = _AT_HOUR_RE.search(text)
    if match is None and has_context:
        match = _BARE_HOUR_RE.search(text)

    if match is None:
        return None

    return _hour_readings(int(match.group(1)), 0)


def _hour_readings(hour: int, minute: int) -> frozenset[tuple[int, int]]:
    # Without am/pm, "3:30" at work most likely means 15:30; accept both.
    if hour > 23 or minute > 59:
        return frozenset()

    if 1 <= hour < 12:
        return frozenset({(hour, minute), (hour + 12, minute)})

    return frozenset({(hour, minute)})


def _find_weekdays(text: str) -> frozenset[int] | None:
    found = {_DAY_KEYS.index(match.group(1)) for match in _WEEKDAY_RE.finditer(text)}
    return frozenset(found) if found else None


def _find_relative_day(text: str, tz: ZoneInfo, now: datetime | None) -> date | None:
    if now is None:
        return None

    today = now.astimezone(tz).date()
    if re.search(r"\btomorrow\b", text):
        return today + timedelta(days=1)

    if re.search(r"\btoday\b", text):
        return today

    return None


def _cut(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " " + text[match.end() :]


def _choice_by_position(text: str, offered: list[Slot]) -> Slot | None:
    positions = _read_positions(text, len(offered))
    if len(positions) != 1:
        return None

    position = positions.pop()
    return offered[position - 1] if 1 <= position <= len(offered) else None


def _read_positions(text: str, size: int) -> set[int]:
    words = set(re.findall(r"[a-z]+", text))
    positions = {_ORDINAL_WORDS[word] for word in words if word in _ORDINAL_WORDS}
    if "last" in words:
        positions.add(size)

    if positions:
        return positions

    numbers = {int(number) for number in re.findall(r"(?<![\d:.])\d{1,2}(?!\d)", text)}
    if numbers:
        return numbers

    cardinal = re.search(r"(?:^|\b(?:option|number|slot)\s+)([a-z]+)$", text)
    if cardinal is not None and cardinal.group(1) in _CARDINAL_WORDS:
        return {_CARDINAL_WORDS[cardinal.group(1)]}

    return set()
