"""Tests for the `python -m qualifier extract` command."""

from __future__ import annotations

import io
import json

import pytest

from qualifier.cli import build_parser, main

NOW = "2026-12-04T12:00:00+00:00"
KEYS = {
    "budget.min", "budget.max", "budget.currency", "budget.period", "budget.status",
    "timing.start", "timing.end", "timing.status", "authority.title",
    "authority.seniority", "authority.decision_role", "need.category", "company_size",
}  # fmt: skip


def test_cli_extract_argument_prints_flat_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["extract", "--now", NOW, "budget around $50k a year, by Q3"])

    row = json.loads(capsys.readouterr().out)
    assert code == 0
    assert row.keys() >= KEYS
    assert (row["budget.max"], row["budget.period"], row["timing.end"]) == (
        50000.0,
        "year",
        "2027-09-30",
    )


def test_cli_extract_reads_stdin_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("hi, I want a demo\nwe're 50 people\n\n")
    )

    main(["extract", "--now", NOW, "--tz", "Europe/Berlin"])

    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["company_size"] for row in rows] == [None, 50]
    assert all(row["budget.status"] is None for row in rows)


def test_cli_extract_expected_slot(capsys: pytest.CaptureFixture[str]) -> None:
    main(["extract", "--now", NOW, "--expected", "company", "Acme"])

    assert json.loads(capsys.readouterr().out)["company"] == "Acme"


@pytest.mark.parametrize(
    "argv",
    [
        ["extract", "--now", "2026-12-04T12:00:00", "x"],
        ["extract", "--tz", "Mars/Base", "x"],
    ],
    ids=["naive-now", "bad-zone"],
)
def test_cli_extract_rejects_bad_options(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(argv)

    assert exc.value.code == 2
