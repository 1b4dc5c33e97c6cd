"""Issue 19, "Dates and small things": far-off years are a clear error (or a bad line), never a
traceback; `pause --until` takes a clock time only; [schedule] takes ASCII digits only; each
warning is printed once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.core.errors import DataError
from breakctl.core.record_codec import decode_block, decode_item, decode_line, from_dict
from breakctl.core.records import BadLine
from breakctl.core.schedule import parse_schedule
from breakctl.core.settings import pause_end
from breakctl.host.context import AppContext
from breakctl.store.paths import Paths
from tests.conftest import CET
from tests.fakes import FakeClock
from tests.test_stats import FRIDAY_EVENING, HAND_BUILT


def run(paths: Paths, *args: str, env: dict[str, str] | None = None):
    context = AppContext(paths=paths, clock=FakeClock(FRIDAY_EVENING), env=env or {})
    result = CliRunner().invoke(app, list(args), obj=context)
    assert result.exception is None or isinstance(result.exception, SystemExit), result
    assert "Traceback" not in result.output
    return result


def far_off(started: str, ended: str) -> dict:
    return {
        "v": 1,
        "id": f"far-{started[:4]}",
        "kind": "work",
        "started": started,
        "ended": ended,
        "active_s": 60,
        "outcome": "completed",
    }


FAR_OFF = [
    far_off("0001-01-01T00:00:00+05:00", "0001-01-01T00:10:00+05:00"),
    far_off("9999-12-31T23:50:00-05:00", "9999-12-31T23:59:00-05:00"),
    far_off("2026-03-04T09:00:00+01:00", "9999-12-31T23:59:59+14:00"),
]


def test_a_record_in_year_1_or_9999_is_a_bad_line_for_every_reader(paths: Paths) -> None:
    lines = [json.dumps(r).encode() for r in FAR_OFF]
    for number, raw in enumerate(lines, start=1):
        bad = decode_line(raw, number)
        assert isinstance(bad, BadLine) and "years 1900 to 9998" in bad.reason
    good = json.dumps(HAND_BUILT[0]).encode()
    assert decode_block([good, lines[0]]) is None  # the run goes one line at a time
    assert decode_block([good]) is not None
    with pytest.raises(ValueError, match="years"):
        from_dict(FAR_OFF[1])  # a block in progress kept in the state file
    correction = {
        "v": 1,
        "kind": "correction",
        "id": "c1",
        "action": "add",
        "target": "far-0001",
        "made": "2026-03-04T10:00:00+01:00",
        "record": FAR_OFF[0],
    }
    assert isinstance(decode_item(json.dumps(correction).encode(), 1), BadLine)

    folder = paths.data_dir / "history"
    folder.mkdir(parents=True)
    body = [*HAND_BUILT[:4], *FAR_OFF, correction]
    (folder / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in body))
    for args in (
        ("history",),
        ("history", "--csv"),
        ("stats",),
        ("stats", "--json"),
        ("stats", "--weeks", "4"),
        ("history", "export", "--format", "ics"),
        ("history", "export", "--format", "csv"),
    ):
        result = run(paths, *args)
        assert result.exit_code == 0, (args, result.output)
        assert "skipped 4 unreadable lines: 5, 6, 7, 8" in result.stderr, args
    check = run(paths, "history", "check")
    assert check.exit_code == 2 and check.stdout.count("years 1900 to 9998") == 4


def test_history_add_and_edit_refuse_far_off_years(paths: Paths) -> None:
    folder = paths.data_dir / "history"
    folder.mkdir(parents=True)
    (folder / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in HAND_BUILT))
    record_id = HAND_BUILT[1]["id"]
    for args, said in [
        (
            ("history", "add", "break", "--at", "10:00", "--duration", "5m", "--day", "0001-01-01"),
            "--day: expected a day in the years 1900 to 9998",
        ),
        (
            ("history", "add", "break", "--at", "0001-01-01T00:10:00+05:00", "--duration", "5m"),
            "--at: expected a time in the years 1900 to 9998",
        ),
        (
            ("history", "add", "break", "--at", "23:58", "--duration", "5m", "--day", "9998-12-31"),
            "would end after the year 9998",
        ),
        (
            ("history", "add", "break", "--at", "9999-12-31T23:00", "--duration", "5m"),
            "--at: expected a time in the years",
        ),
        (
            ("history", "edit", record_id, "--started", "0001-01-01T00:00:00+05:00"),
            "--started: expected a time in the years",
        ),
        (
            ("history", "edit", record_id, "--ended", "9999-12-31T23:59:00-05:00"),
            "--ended: expected a time in the years",
        ),
    ]:
        result = run(paths, *args)
        assert result.exit_code == 2, (args, result.output)
        assert said in result.stderr and result.stderr.count("\n") == 1, (args, result.stderr)
    assert run(paths, "history", "check").exit_code == 0  # nothing was written


START = datetime(2026, 3, 2, 9, 0, tzinfo=CET)


def test_pause_until_takes_a_clock_time_only() -> None:
    assert pause_end("9", START) == START + timedelta(minutes=9)  # a duration: minutes
    with pytest.raises(
        DataError,
        match=r"--until: expected a time today as HH:MM.*24:00 for "
        r"midnight.*breakctl pause 9m",
    ):
        pause_end("9", START, clock_only=True)
    for text in ("45m", "1h", "PT5M"):
        with pytest.raises(DataError, match="--until"):
            pause_end(text, START, clock_only=True)
    assert pause_end("15:00", START, clock_only=True) == START.replace(hour=15)
    assert pause_end("24:00", START, clock_only=True) == datetime(2026, 3, 3, tzinfo=CET)
    with pytest.raises(DataError, match="clock time"):
        pause_end("٩:٠٠", START, clock_only=True)  # Arabic-Indic digits


def test_pause_until_on_the_command_line(paths: Paths) -> None:
    result = run(paths, "pause", "--until", "9")
    assert result.exit_code == 2 and "expected a time today as HH:MM" in result.stderr
    assert "HH:MM only; 24:00 is midnight" in " ".join(run(paths, "pause", "--help").stdout.split())


@pytest.mark.parametrize(
    "digits", ["٠٩:٠٠-١٧:٠٠", "０９:００-１７:００", "09:00-1٧:00", "²9:00-17:00"]
)
def test_schedule_ranges_take_ascii_digits_only(digits: str) -> None:
    with pytest.raises(DataError, match="want HH:MM-HH:MM"):
        parse_schedule({"mon-fri": [digits]})
    assert parse_schedule({"mon-fri": ["09:00-17:00"]}).works_on(START.date())


def test_each_warning_once_whatever_the_path_spelling(paths: Paths) -> None:
    """The old history.jsonl inside a history folder named with `..`, and a link to a history
    file in the folder: one file each, read once, warned about once."""
    folder = paths.data_dir / "history"
    folder.mkdir(parents=True)
    (folder / "a.jsonl").write_text(json.dumps(HAND_BUILT[0]) + "\noops\n")
    (folder / "b.jsonl").symlink_to(folder / "a.jsonl")
    paths.history_file.write_text(json.dumps(HAND_BUILT[1]) + "\nbad\n")
    env = {"BREAKCTL_HISTORY_DIR": str(folder / "..")}  # holds history.jsonl and history/
    for spelled in ({}, env):
        for args in (("history",), ("stats",), ("history", "export"), ("history", "--csv")):
            result = run(paths, *args, env=spelled)
            warnings = [line for line in result.stderr.splitlines() if "warning" in line]
            assert len(warnings) == len(set(warnings)), (args, warnings)
            assert len(warnings) == (1 if spelled else 2), (spelled, args, warnings)
    hosts = run(paths, "history", "hosts", "--json")
    assert [row["host"] for row in json.loads(hosts.stdout)] == ["(before the history folder)", "a"]


def test_warn_problems_names_each_line_once(capsys: pytest.CaptureFixture[str]) -> None:
    from breakctl.cli.problems import warn_problems
    from breakctl.store.review import Problem

    path = Path("h.jsonl")
    warn_problems(
        [
            Problem(path, BadLine(7, "x")),
            Problem(path, BadLine(3, "y")),
            Problem(path, BadLine(7, "x")),
        ]
    )
    assert capsys.readouterr().err.count("skipped 2 unreadable lines: 3, 7") == 1
