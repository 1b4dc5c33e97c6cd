"""`breakctl start` and its companions through the CLI, on a fake clock."""

from __future__ import annotations

import json
import os
import re
import tomllib
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.core.actions import Control
from breakctl.host.context import AppContext
from breakctl.status import describe, line, render
from breakctl.store.paths import Paths
from breakctl.store.state import (
    StartLock,
    recover,
    reply_path,
    send_control,
    take_control,
    wait_reply,
    write_atomically,
    write_reply,
)
from tests.fakes import FakeClock, ScriptedKeys
from tests.history_helpers import written

CET = timezone(timedelta(hours=1))
NINE = datetime(2026, 3, 2, 9, 0, tzinfo=CET)


def invoke(paths: Paths, *args: str, keys: dict | None = None, clock: FakeClock | None = None):
    clock = clock or FakeClock(NINE)
    ctx = AppContext(paths=paths, clock=clock, keys=ScriptedKeys(clock, keys or {}), env={})
    return CliRunner().invoke(app, list(args), obj=ctx)


def records(paths: Paths) -> list[dict]:
    return written(paths)


def test_two_cycles_in_plain_mode(paths: Paths) -> None:
    result = invoke(paths, "start", "--work", "25", "--break", "5m", "--cycles", "2", "--no-notify")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "09:00:00  work block 1/2: 25:00 (break at 09:25)"
    assert "09:24:30  break in 0:30" in lines
    assert any(x.startswith("09:25:00  break: 5:00, ") for x in lines)
    assert lines[-2].endswith("all blocks done")
    assert lines[-1].startswith("Today: 50m worked, 2 breaks taken, 0 skipped, 10m moving")
    kinds = [(r["kind"], r["outcome"]) for r in records(paths)]
    assert kinds == [("work", "completed"), ("break", "completed")] * 2
    assert not paths.state_file.exists()  # removed once the session is over


def test_default_is_classic_pomodoro(paths: Paths) -> None:
    result = invoke(paths, "start", "--cycles", "4", "--no-notify")
    assert result.exit_code == 0
    planned = [(r["kind"], r["planned_s"]) for r in records(paths)]
    assert planned == [("work", 1500), ("break", 300)] * 3 + [("work", 1500), ("break", 900)]


def test_breaks_pick_routines_that_fit_and_say_why(paths: Paths) -> None:
    result = invoke(paths, "start", "--cycles", "2", "--no-notify")
    breaks = [r for r in records(paths) if r["kind"] == "break"]
    short = {"neck", "standing", "wfh", "desk-short", "strength", "wrists", "micro"}
    assert all(r["routine"] in short for r in breaks)
    assert breaks[0]["routine"] != breaks[1]["routine"]  # rotates to cover other areas
    assert "why: " in result.stdout and "not worked" in result.stdout


def test_seated_keeps_breaks_in_the_chair(paths: Paths) -> None:
    invoke(paths, "start", "--cycles", "4", "--seated", "--no-notify")
    breaks = [r for r in records(paths) if r["kind"] == "break"]
    chosen = [b["routine"] for b in breaks]
    assert set(chosen[:3]) <= {"desk-short", "wrists", "desk-micro"} and chosen[3] == "desk"


def test_named_routine_longer_than_the_break_extends_it(paths: Paths) -> None:
    result = invoke(
        paths, "start", "--work", "1m", "--break", "1m", "--routine", "neck", "--cycles", "1"
    )
    brk = records(paths)[1]
    assert brk["routine"] == "neck" and brk["planned_s"] == 249
    assert "grows to fit it" in result.stdout


def test_rotate(paths: Paths) -> None:
    invoke(
        paths, "start", "--rotate", "micro,neck", "--cycles", "3", "--work", "1m", "--break", "4m"
    )
    assert [r["routine"] for r in records(paths) if r["kind"] == "break"] == [
        "micro",
        "neck",
        "micro",
    ]


def test_keys_through_the_cli(paths: Paths) -> None:
    result = invoke(paths, "start", "--cycles", "1", keys={60: "s", 120: "q"})
    assert result.exit_code == 0
    assert [(r["kind"], r["outcome"]) for r in records(paths)] == [("work", "interrupted")]
    assert "the next break will be skipped" in result.stdout


def test_ctrl_c_is_130_and_recorded(paths: Paths) -> None:
    result = invoke(paths, "start", keys={60: KeyboardInterrupt()})
    assert result.exit_code == 130
    assert [(r["kind"], r["outcome"], r["active_s"]) for r in records(paths)] == [
        ("work", "interrupted", 60)
    ]
    assert not paths.state_file.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--work", "soon"], "Invalid value for '--work': not a duration: 'soon' (expected e.g."),
        (["--work", "0"], "Invalid value for '--work': must be longer than 0, got '0'"),
        (
            ["--work", "99999999999999999999h"],
            "Invalid value for '--work': a duration cannot be longer than 24h",
        ),
        (["--break", "nan"], "Invalid value for '--break': not a duration: 'nan'"),
        (["--until", "25:00"], "Invalid value for '--until': expected a clock time like 17:30"),
        (
            ["--preset", "pomodorro"],
            "Invalid value for '--preset': unknown preset 'pomodorro' (did you mean 'pomodoro'?); presets: pomodoro",
        ),
        (
            ["--cycles", "0"],
            "Invalid value for '--cycles': expected a whole number from 1 to 1000, got 0",
        ),
        (
            ["--long-every", "x"],
            "Invalid value for '--long-every': expected a whole number from 0 to 1000, got 'x'",
        ),
    ],
)
def test_bad_option_values_are_one_line_usage_errors(
    paths: Paths, args: list[str], message: str
) -> None:
    result = invoke(paths, "start", *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr  # one line, not click's usage block
    assert result.stderr.startswith(f"breakctl start: {message}")
    assert result.stderr.endswith("(see breakctl start --help)\n")
    assert "Traceback" not in result.output and records(paths) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--routine", "nope"], "breakctl: no routine named 'nope'"),
        (["--cycles", "2", "--until", "17:00"], "breakctl: use --cycles or --until, not both"),
        (["--until", "08:30"], "breakctl: --until 08:30 has already passed (it is 09:00)"),
    ],
)
def test_bad_option_combinations_are_exit_2_before_anything_runs(
    paths: Paths, args: list[str], message: str
) -> None:
    result = invoke(paths, "start", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert records(paths) == []


def test_start_help_shows_flags_as_flags(paths: Paths) -> None:
    result = invoke(paths, "start", "--help")
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout
    assert re.search(r"--seated\s*/?\s*--standing\s+Only seated", result.stdout)
    assert re.search(r"--work\s+DURATION\s+Work block", result.stdout)


@pytest.mark.parametrize("text", ["25m", "1h30m", "1h 30m", "1.5h", "45", "PT25M", "90s"])
def test_work_durations(paths: Paths, text: str) -> None:
    from breakctl.core.durations import parse_duration

    invoke(paths, "start", "--work", text, "--cycles", "1", "--break", "1m")
    expected = parse_duration(text, bare_unit="m")
    assert records(paths)[0]["planned_s"] == expected


def test_second_start_says_who_runs_and_exits_1(paths: Paths) -> None:
    lock = StartLock(paths)
    assert lock.acquire()
    write_atomically(paths.state_file, {"pid": 4242, "phase": "work"})
    try:
        result = invoke(paths, "start")
        assert result.exit_code == 1
        assert "already running (pid 4242)" in result.stderr
    finally:
        lock.release()


def test_config_sets_defaults_and_the_command_line_wins(paths: Paths) -> None:
    assert invoke(paths, "config", "set", "start.preset", "micro").exit_code == 0
    assert invoke(paths, "config", "set", "start.cycles", "1").exit_code == 0
    invoke(paths, "start", "--no-notify")
    assert [r["planned_s"] for r in records(paths)] == [1800, 60]
    invoke(paths, "start", "--work", "10m", "--no-notify")
    assert [r["planned_s"] for r in records(paths)][2:] == [600, 60]
    shown = tomllib.loads(invoke(paths, "config", "show").stdout.split("\n", 1)[1])
    assert shown["start"]["preset"] == "micro" and shown["start"]["work"] == "30m"


def test_config_set_rejects_bad_keys_and_values(paths: Paths) -> None:
    assert invoke(paths, "config", "set", "start.colour", "red").exit_code == 2
    bad = invoke(paths, "config", "set", "start.work", "soon")
    assert bad.exit_code == 2 and "work: not a duration" in bad.stderr
    assert not paths.config_file.exists()


def test_bad_config_names_the_file_and_key(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text('[start]\nwork = "forever"\n')
    result = invoke(paths, "start")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"breakctl: {paths.config_file}:2: start.work: not a duration: 'forever'"
    )


def test_presets_list_their_sources(paths: Paths) -> None:
    rows = json.loads(invoke(paths, "presets", "--json").stdout)
    by_name = {r["name"]: r for r in rows}
    assert by_name["pomodoro"]["work"] == "25m" and "Cirillo" in by_name["pomodoro"]["source"]
    assert "McLean" in by_name["mclean"]["source"] and "Dunstan" in by_name["dunstan"]["source"]
    assert {"pain-now", "pain-30", "pain-60", "cornell", "hse", "hourly", "micro"} <= set(by_name)


def test_control_commands_need_a_running_start(paths: Paths) -> None:
    result = invoke(paths, "pause")
    assert result.exit_code == 1 and "not running" in result.stderr


def test_control_file_round_trip(paths: Paths) -> None:
    request = send_control(paths, "pause")
    assert take_control(paths) == Control("pause", id=request)
    assert take_control(paths) is None  # consumed once
    until = datetime(2026, 3, 2, 15, 0, tzinfo=timezone(timedelta(hours=1)))
    request = send_control(paths, "pause", until=until)
    assert take_control(paths) == Control("pause", until, None, request)
    request = send_control(paths, "break", routine="desk")
    assert take_control(paths) == Control("break", None, "desk", request)


def test_a_reply_reaches_the_sender(paths: Paths) -> None:
    write_reply(paths, "abc123", "no skips left today: 2 used")
    assert wait_reply(paths, "abc123", timeout=0.0) == "no skips left today: 2 used"
    assert not reply_path(paths, "abc123").exists()  # read once
    write_reply(paths, "abc124", None)
    assert wait_reply(paths, "abc124", timeout=0.0) is None
    assert wait_reply(paths, "nobody", timeout=0.0) is False


def test_recovery_records_a_dead_session_once(paths: Paths) -> None:
    in_progress = {
        "v": 1,
        "id": "x",
        "kind": "work",
        "cycle": 2,
        "started": "2026-03-02T09:30:00.000+01:00",
        "ended": "2026-03-02T09:31:00.000+01:00",
        "planned_s": 1500,
        "active_s": 60,
        "paused_s": 0,
        "suspended_s": 0,
        "outcome": "interrupted",
    }
    write_atomically(
        paths.state_file,
        {"pid": 999999, "heartbeat": "2026-03-02T09:40:00.000+01:00", "record": in_progress},
    )
    result = invoke(paths, "routine", "list")  # any command recovers
    assert result.exit_code == 0
    (record,) = records(paths)
    assert record["outcome"] == "recovered" and record["ended"] == "2026-03-02T09:40:00.000+01:00"
    assert not paths.state_file.exists()
    assert recover(paths) is None and len(records(paths)) == 1


def test_a_live_session_is_never_recovered(paths: Paths) -> None:
    lock = StartLock(paths)
    assert lock.acquire()
    write_atomically(paths.state_file, {"pid": os.getpid(), "record": {"kind": "work"}})
    try:
        assert recover(paths) is None
        assert paths.state_file.exists() and records(paths) == []
    finally:
        lock.release()


STATE = {
    "phase": "work",
    "paused": False,
    "cycle": 2,
    "cycles": 4,
    "routine": "desk",
    "step": None,
    "steps": None,
    "remaining_s": 754,
    "planned_s": 1500,
    "ends_at": "2026-03-02T09:42:34+01:00",
    "ends_at_epoch": 1000.0 + 754,
    "today": {"date": "1999-01-01", "breaks": 3},
}


def test_status_lines() -> None:
    assert line(describe(STATE, 1000.0)) == "work 12:34"
    assert line(describe({**STATE, "paused": True, "remaining_s": 250}, 1000.0)) == "paused 4:10"
    brk = {**STATE, "phase": "break", "step": 2, "steps": 6}
    assert line(describe(brk, 1000.0)) == "break desk 2/6"
    assert line(describe(None, 1000.0)) == ""


def test_status_formats() -> None:
    info = describe(STATE, 1000.0)
    assert render(
        info, "line", "{phase} {remaining} {minutes} {routine} {cycle}/{cycles} {today}"
    ) == ("work 12:34 13 desk 2/4 0")
    assert json.loads(render(info, "json", None)) == {
        "v": 1,
        "state": "work",
        "remaining_s": 754.0,
        "ends_at": "2026-03-02T09:42:34+01:00",
        "resumes_at": None,
        "routine": "desk",
        "cycle": 2,
        "cycles": 4,
        "skips_left": None,
        "presence": "off",  # a state file without the field: an older `start`
        "mode": "foreground",  # and one with its screen in its terminal (#20)
        "attached": 1,
    }
    for mode, attached in (("background", 0), ("background", 3), ("foreground", 2)):  # (#20)
        written = {**STATE, "mode": mode, "attached": attached}
        shown = json.loads(render(describe(written, 1000.0), "json", None))
        assert (shown["mode"], shown["attached"]) == (mode, attached)
    idle = json.loads(render(describe(None, 1000.0), "json", None))
    assert (idle["mode"], idle["attached"]) == (None, 0)
    for presence in ("ok", "retrying", "off"):  # as the running day wrote it (#22)
        shown = json.loads(render(describe({**STATE, "presence": presence}, 1000.0), "json", None))
        assert shown["presence"] == presence
    garbled = describe({**STATE, "presence": ["ok"]}, 1000.0)
    assert json.loads(render(garbled, "json", None))["presence"] == "off"
    waybar = json.loads(render(info, "waybar", None))
    assert (
        waybar["text"] == "work 12:34" and waybar["class"] == "work" and waybar["percentage"] == 50
    )
    idle = json.loads(render(describe(None, 0), "json", None))
    assert idle["state"] == "idle" and idle["remaining_s"] is None and idle["presence"] == "off"
    assert render(describe(None, 0), "line", "{phase}") is None
    with pytest.raises(ValueError, match="--format"):
        render(info, "line", "{nope}")


def test_status_command_when_idle(paths: Paths) -> None:
    result = invoke(paths, "status")
    assert result.exit_code == 0 and result.stdout == ""


def test_bare_breakctl_shows_help_and_exits_0(paths: Paths) -> None:
    result = invoke(paths)
    assert result.exit_code == 0
    listed = re.findall(r"^  ([a-z]+)  ", result.stdout, flags=re.MULTILINE)
    assert listed[:3] == ["start", "status", "pause"]
    assert listed.index("routine") < listed.index("stats") < listed.index("config")
