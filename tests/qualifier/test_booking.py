"""Tests for demo slots: availability config, free slots, choice parsing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from qualifier.booking import (
    Availability,
    Slot,
    day_slots,
    format_slot,
    free_slots,
    load_availability,
    parse_slot_choice,
)
from qualifier.errors import BookingConfigError, QualifierError

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config" / "availability.yml"


def local(
    tz: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> datetime:
    """Build an aware wall-clock time in ``tz``."""
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def wall(slot: Slot, tz: ZoneInfo) -> str:
    """Show a slot's local start as 'YYYY-MM-DD HH:MM'."""
    return slot.start.astimezone(tz).strftime("%Y-%m-%d %H:%M")


# --- free_slots across daylight-saving changes --------------------------------


@pytest.mark.parametrize(
    ("tz", "now", "expected"),
    [
        pytest.param(
            BERLIN,
            local(BERLIN, 2026, 3, 26, 8, 0),
            [
                ("2026-03-26 10:00", "2026-03-26T09:00"),
                ("2026-03-27 13:00", "2026-03-27T12:00"),
                ("2026-03-30 09:00", "2026-03-30T07:00"),
            ],
            id="berlin-spring-forward",
        ),
        pytest.param(
            BERLIN,
            local(BERLIN, 2026, 10, 23, 8, 0),
            [
                ("2026-10-23 10:00", "2026-10-23T08:00"),
                ("2026-10-26 13:00", "2026-10-26T12:00"),
                ("2026-10-27 09:00", "2026-10-27T08:00"),
            ],
            id="berlin-fall-back",
        ),
        pytest.param(
            NEW_YORK,
            local(NEW_YORK, 2026, 3, 5, 8, 0),
            [
                ("2026-03-05 10:00", "2026-03-05T15:00"),
                ("2026-03-06 13:00", "2026-03-06T18:00"),
                ("2026-03-09 09:00", "2026-03-09T13:00"),
            ],
            id="new-york-spring-forward",
        ),
        pytest.param(
            NEW_YORK,
            local(NEW_YORK, 2026, 10, 30, 8, 0),
            [
                ("2026-10-30 10:00", "2026-10-30T14:00"),
                ("2026-11-02 13:00", "2026-11-02T18:00"),
                ("2026-11-03 09:00", "2026-11-03T14:00"),
            ],
            id="new-york-fall-back",
        ),
    ],
)
def test_free_slots_keeps_wall_hours_across_dst(
    tz: ZoneInfo, now: datetime, expected: list[tuple[str, str]]
) -> None:
    availability = Availability(timezone=tz)

    slots = free_slots(availability, now=now, taken=[])

    got = [(wall(slot, tz), slot.start.strftime("%Y-%m-%dT%H:%M")) for slot in slots]
    assert got == expected


def test_day_slots_skips_missing_hour_on_spring_forward() -> None:
    availability = Availability(
        timezone=BERLIN,
        working_days=frozenset(range(7)),
        day_start=time(1),
        day_end=time(4),
    )

    slots = day_slots(availability, date(2026, 3, 29))

    assert [wall(slot, BERLIN) for slot in slots] == [
        "2026-03-29 01:00",
        "2026-03-29 03:00",
        "2026-03-29 03:30",
    ]


def test_day_slots_offers_repeated_hour_once_on_fall_back() -> None:
    availability = Availability(
        timezone=BERLIN,
        working_days=frozenset(range(7)),
        day_start=time(1),
        day_end=time(4),
    )

    slots = day_slots(availability, date(2026, 10, 25))

    assert [wall(slot, BERLIN) for slot in slots] == [
        "2026-10-25 01:00",
        "2026-10-25 01:30",
        "2026-10-25 02:00",
        "2026-10-25 03:00",
        "2026-10-25 03:30",
    ]
    assert all(slot.end - slot.start == timedelta(minutes=30) for slot in slots)


# --- free_slots rules ---------------------------------------------------------


def test_free_slots_skips_the_weekend() -> None:
    availability = Availability(timezone=BERLIN)
    friday_afternoon = local(BERLIN, 2026, 3, 27, 16, 0)

    slots = free_slots(availability, now=friday_afternoon, taken=[], count=5)

    assert wall(slots[0], BERLIN) == "2026-03-30 09:00"
    assert all(slot.start.astimezone(BERLIN).weekday() < 5 for slot in slots)


def test_free_slots_offers_weekend_when_configured() -> None:
    availability = Availability(timezone=BERLIN, working_days=frozenset({5}))
    friday_afternoon = local(BERLIN, 2026, 3, 27, 16, 0)

    slots = free_slots(availability, now=friday_afternoon, taken=[], count=1)

    assert wall(slots[0], BERLIN) == "2026-03-28 09:00"


@pytest.mark.parametrize(
    ("notice_minutes", "expected_first"),
    [
        pytest.param(0, "2026-03-30 09:30", id="no-notice-next-grid-slot"),
        pytest.param(120, "2026-03-30 11:30", id="two-hours"),
        pytest.param(440, "2026-03-30 16:30", id="last-slot-of-day"),
        pytest.param(470, "2026-03-31 09:00", id="rolls-to-next-day"),
    ],
)
def test_free_slots_respects_minimum_notice(
    notice_minutes: int, expected_first: str
) -> None:
    availability = Availability(
        timezone=BERLIN, min_notice=timedelta(minutes=notice_minutes)
    )
    now = local(BERLIN, 2026, 3, 30, 9, 10)

    slots = free_slots(availability, now=now, taken=[], count=1)

    assert wall(slots[0], BERLIN) == expected_first


@pytest.mark.parametrize(
    ("buffer_minutes", "expected_first"),
    [
        pytest.param(0, "2026-03-30 09:30", id="no-buffer"),
        pytest.param(15, "2026-03-30 10:00", id="buffer-blocks-neighbour"),
    ],
)
def test_free_slots_skips_taken_slots(buffer_minutes: int, expected_first: str) -> None:
    availability = Availability(timezone=BERLIN, buffer_minutes=buffer_minutes)
    now = local(BERLIN, 2026, 3, 27, 16, 0)
    taken = [local(BERLIN, 2026, 3, 30, 9, 0).astimezone(UTC)]

    slots = free_slots(availability, now=now, taken=taken, count=1)

    assert wall(slots[0], BERLIN) == expected_first


def test_free_slots_spreads_offers_over_days_and_times() -> None:
    availability = Availability(timezone=BERLIN, min_notice=timedelta(0))
    now = local(BERLIN, 2026, 3, 30, 7, 0)

    slots = free_slots(availability, now=now, taken=[], count=4)

    assert [wall(slot, BERLIN) for slot in slots] == [
        "2026-03-30 09:00",
        "2026-03-31 13:00",
        "2026-04-01 09:00",
        "2026-04-02 13:00",
    ]


def test_free_slots_keeps_same_day_offers_half_a_day_apart() -> None:
    availability = Availability(
        timezone=BERLIN, min_notice=timedelta(0), max_offers_per_day=2
    )
    now = local(BERLIN, 2026, 3, 30, 7, 0)

    slots = free_slots(availability, now=now, taken=[], count=3)

    assert [wall(slot, BERLIN) for slot in slots] == [
        "2026-03-30 09:00",
        "2026-03-30 13:00",
        "2026-03-31 09:00",
    ]


def test_free_slots_afternoon_day_falls_back_to_morning() -> None:
    availability = Availability(timezone=BERLIN, min_notice=timedelta(0))
    now = local(BERLIN, 2026, 3, 30, 7, 0)
    tuesday_afternoon = [
        local(BERLIN, 2026, 3, 31, 13, 0) + timedelta(minutes=30 * step)
        for step in range(8)
    ]

    slots = free_slots(availability, now=now, taken=tuesday_afternoon, count=2)

    assert [wall(slot, BERLIN) for slot in slots] == [
        "2026-03-30 09:00",
        "2026-03-31 09:00",
    ]


def test_free_slots_returns_fewer_when_window_is_full() -> None:
    availability = Availability(timezone=BERLIN, days_ahead=1)
    late_monday = local(BERLIN, 2026, 3, 30, 16, 0)

    slots = free_slots(availability, now=late_monday, taken=[])

    assert slots == []


def test_free_slots_count_zero_gives_nothing() -> None:
    availability = Availability(timezone=BERLIN)

    slots = free_slots(
        availability, now=local(BERLIN, 2026, 3, 30, 7), taken=[], count=0
    )

    assert slots == []


@pytest.mark.parametrize(
    ("now", "taken", "count"),
    [
        pytest.param(datetime(2026, 3, 30, 9), [], None, id="naive-now"),
        pytest.param(
            local(BERLIN, 2026, 3, 30, 9),
            [datetime(2026, 3, 30, 9)],
            None,
            id="naive-taken",
        ),
        pytest.param(local(BERLIN, 2026, 3, 30, 9), [], -1, id="negative-count"),
    ],
)
def test_free_slots_rejects_bad_arguments(
    now: datetime, taken: list[datetime], count: int | None
) -> None:
    availability = Availability(timezone=BERLIN)

    with pytest.raises(ValueError, match=r"naive|count"):
        free_slots(availability, now=now, taken=taken, count=count)


# --- Slot and format_slot -----------------------------------------------------


def test_slot_stores_utc() -> None:
    slot = Slot(local(BERLIN, 2026, 12, 8, 10), local(BERLIN, 2026, 12, 8, 10, 30))

    assert slot.start == datetime(2026, 12, 8, 9, tzinfo=UTC)
    assert slot.start.tzinfo is UTC
    assert slot.payload == "2026-12-08T09:00:00Z"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(datetime(2026, 12, 8, 9), datetime(2026, 12, 8, 10), id="naive"),
        pytest.param(
            local(BERLIN, 2026, 12, 8, 10), local(BERLIN, 2026, 12, 8, 10), id="empty"
        ),
    ],
)
def test_slot_rejects_bad_times(start: datetime, end: datetime) -> None:
    with pytest.raises(ValueError, match=r"naive|after"):
        Slot(start, end)


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        pytest.param(
            BERLIN, "Tue 8 Dec, 10:00\u201310:30 (Europe/Berlin)", id="berlin"
        ),
        pytest.param(
            NEW_YORK, "Tue 8 Dec, 04:00\u201304:30 (America/New_York)", id="new-york"
        ),
    ],
)
def test_format_slot_renders_in_zone(tz: ZoneInfo, expected: str) -> None:
    slot = Slot(local(BERLIN, 2026, 12, 8, 10), local(BERLIN, 2026, 12, 8, 10, 30))

    assert format_slot(slot, tz) == expected


# --- load_availability --------------------------------------------------------


def test_load_availability_reads_default_config() -> None:
    availability = load_availability(DEFAULT_CONFIG)

    assert availability.timezone == BERLIN
    assert availability.working_days == frozenset(range(5))
    assert (availability.day_start, availability.day_end) == (time(9), time(17))
    assert availability.min_notice == timedelta(hours=2)
    assert availability.offer_count == 3


def test_load_availability_fills_defaults(tmp_path: Path) -> None:
    path = tmp_path / "availability.yml"
    path.write_text("timezone: America/New_York\n", encoding="utf-8")

    availability = load_availability(path)

    assert availability == Availability(timezone=NEW_YORK)


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        pytest.param("working_days: [mon]\n", "timezone", "IANA", id="no-timezone"),
        pytest.param(
            "timezone: Mars/Olympus\n", "timezone", "Mars/Olympus", id="bad-zone"
        ),
        pytest.param(
            "timezone: UTC\nwork_days: [mon]\n", "work_days", "unknown", id="typo"
        ),
        pytest.param(
            "timezone: UTC\nworking_days: [mon, funday]\n",
            "working_days",
            "funday",
            id="bad-day",
        ),
        pytest.param(
            "timezone: UTC\nworking_hours: {start: '17:00', end: '09:00'}\n",
            "working_hours",
            "after start",
            id="end-before-start",
        ),
        pytest.param(
            "timezone: UTC\nworking_hours: {start: '09:00', end: 17:00}\n",
            "working_hours.end",
            "quoted",
            id="unquoted-time",
        ),
        pytest.param(
            "timezone: UTC\nworking_hours: {start: '9am', end: '17:00'}\n",
            "working_hours.start",
            "'9am'",
            id="bad-time-format",
        ),
        pytest.param(
            "timezone: UTC\nmeeting_minutes: true\n",
            "meeting_minutes",
            "True",
            id="bool",
        ),
        pytest.param(
            "timezone: UTC\nmeeting_minutes: 600\n",
            "meeting_minutes",
            "600",
            id="meeting-longer-than-day",
        ),
        pytest.param(
            "timezone: UTC\noffer_count: 0\n", "offer_count", "0", id="zero-offers"
        ),
        pytest.param(
            "timezone: UTC\nminimum_notice_minutes: -5\n",
            "minimum_notice_minutes",
            "zero or more",
            id="negative-notice",
        ),
    ],
)
def test_load_availability_rejects_bad_values(
    tmp_path: Path, text: str, key: str, fragment: str
) -> None:
    path = tmp_path / "availability.yml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(BookingConfigError) as caught:
        load_availability(path)

    assert caught.value.key == key
    assert caught.value.path == path
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("timezone: [unclosed\n", id="bad-yaml"),
        pytest.param("- just\n- a list\n", id="not-a-mapping"),
        pytest.param("", id="empty"),
    ],
)
def test_load_availability_rejects_bad_files(tmp_path: Path, text: str) -> None:
    path = tmp_path / "availability.yml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(BookingConfigError, match=r"availability\.yml"):
        load_availability(path)


def test_load_availability_reports_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.yml"

    with pytest.raises(QualifierError, match=r"missing\.yml"):
        load_availability(path)


def test_availability_rejects_bad_values_directly() -> None:
    with pytest.raises(BookingConfigError, match="working_days"):
        Availability(timezone=BERLIN, working_days=frozenset({7}))


# --- parse_slot_choice --------------------------------------------------------

OFFERED = [
    Slot(local(BERLIN, 2026, 3, 30, 9), local(BERLIN, 2026, 3, 30, 9, 30)),
    Slot(local(BERLIN, 2026, 3, 31, 13), local(BERLIN, 2026, 3, 31, 13, 30)),
    Slot(local(BERLIN, 2026, 4, 1, 9), local(BERLIN, 2026, 4, 1, 9, 30)),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2026-03-31T11:00:00Z", 1, id="payload-utc"),
        pytest.param("2026-03-31T13:00:00+02:00", 1, id="payload-offset"),
        pytest.param("2026-03-31T13:00", 1, id="payload-naive-is-local"),
        pytest.param('/choose_slot{"start":"2026-04-01T07:00:00Z"}', 2, id="intent"),
        pytest.param("2026-03-31T12:00:00Z", None, id="payload-not-offered"),
        pytest.param("1", 0, id="digit"),
        pytest.param(" 2 ", 1, id="digit-spaces"),
        pytest.param("#3", 2, id="hash-digit"),
        pytest.param("2nd", 1, id="numeric-ordinal"),
        pytest.param("the second one", 1, id="ordinal-word"),
        pytest.param("First please", 0, id="ordinal-capital"),
        pytest.param("the last one", 2, id="last"),
        pytest.param("option two", 1, id="cardinal-word"),
        pytest.param("4", None, id="out-of-range"),
        pytest.param("0", None, id="zero"),
        pytest.param("1 or 2", None, id="two-positions"),
        pytest.param("tuesday 1pm", 1, id="weekday-12h"),
        pytest.param("Tue 1 p.m.", 1, id="weekday-abbrev-dotted"),
        pytest.param("wednesday", 2, id="weekday-only"),
        pytest.param("monday at 9", 0, id="weekday-bare-hour"),
        pytest.param("9am", None, id="time-matches-two"),
        pytest.param("13:00", 1, id="24h"),
        pytest.param(
            "Wed 1 Apr, 09:00\u201309:30 (Europe/Berlin)", 2, id="echoed-label"
        ),
        pytest.param("april 1st", 2, id="month-day"),
        pytest.param("31 march 13:00", 1, id="day-month-time"),
        pytest.param("tuesday afternoon", 1, id="part-of-day"),
        pytest.param("monday or tuesday at 1pm", 1, id="either-day-one-fits"),
        pytest.param("friday", None, id="not-offered-day"),
        pytest.param("tuesday 10am", None, id="not-offered-time"),
        pytest.param("none of them", None, id="refusal"),
        pytest.param("not the first", None, id="negated"),
        pytest.param("can\u2019t make any", None, id="curly-apostrophe"),
        pytest.param("", None, id="empty"),
        pytest.param("sounds good", None, id="no-choice"),
    ],
)
def test_parse_slot_choice_reads_visitor_pick(text: str, expected: int | None) -> None:
    choice = parse_slot_choice(text, OFFERED, BERLIN)

    assert choice == (None if expected is None else OFFERED[expected])


def test_parse_slot_choice_reads_tomorrow_with_now() -> None:
    now = local(BERLIN, 2026, 3, 30, 8)

    choice = parse_slot_choice("tomorrow works", OFFERED, BERLIN, now=now)

    assert choice == OFFERED[1]


def test_parse_slot_choice_reads_times_in_given_zone() -> None:
    # 13:00 Berlin is 07:00 in New York.
    choice = parse_slot_choice("tuesday 7am", OFFERED, NEW_YORK)

    assert choice == OFFERED[1]


def test_parse_slot_choice_without_offers_is_none() -> None:
    assert parse_slot_choice("1", [], BERLIN) is None


def test_availability_is_frozen() -> None:
    availability = Availability(timezone=BERLIN)

    with pytest.raises(dataclasses.FrozenInstanceError):
        availability.offer_count = 5  # type: ignore[misc]
