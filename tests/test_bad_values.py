"""Issue 8 §2: every bad value is one clear error (exit 2), never a traceback, and a bad user
file is reported and left out without stopping anything else."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from breakctl.cli import app
from breakctl.core.durations import MAX_DURATION_S, parse_duration
from breakctl.core.errors import DataError
from breakctl.host.context import AppContext
from breakctl.status import check_template

ROUTINE = """name = "mine"
title = "Mine"

[[steps]]
exercise = "shoulder-roll"
{line}
"""
EXERCISES = """[my-move]
name = "My move"
position = "seated"
targets = ["neck"]
cues = ["Move."]
hold = "5s"
{line}
"""
# Numbers that are not finite or not representable, and values of the wrong TOML type.
BAD_TOML_VALUES = [
    "nan",
    "inf",
    "-inf",
    "1e400",
    "9" * 400,
    "9" * 5000,
    '"' + "9" * 400 + 's"',
    '"99999999999999999999h"',
    "1979-05-27",
    "1979-05-27T07:32:00Z",
    "07:32:00",
    "[1, 2]",
    "{ a = 1 }",
    "[[[[[[1]]]]]]",
    '"25h"',
]


def run(app_ctx: AppContext, *args: str) -> Result:
    return CliRunner().invoke(app, list(args), obj=app_ctx)


def assert_clean(result: Result, *statuses: int) -> None:
    """No traceback reached the user, and the exit status is one of `statuses`."""
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in statuses, result.output


@pytest.mark.parametrize(
    "value",
    [math_value for math_value in (float("nan"), float("inf"), -float("inf"), 10**400)]
    + ["nan", "inf", "9" * 400 + "s", "99999999999999999999h", "PT99999999999999999999H"]
    + [dt.date(2026, 1, 1), dt.datetime(2026, 1, 1), dt.time(7, 0), [1], {"a": 1}, None],
)
def test_durations_refuse_what_is_not_a_finite_representable_time(value: object) -> None:
    with pytest.raises(DataError) as info:
        parse_duration(value)  # type: ignore[arg-type]
    assert len(str(info.value)) < 120  # one short line, even for a 400-digit number


def test_the_longest_duration_is_a_day() -> None:
    assert parse_duration("24h") == MAX_DURATION_S
    with pytest.raises(DataError, match="longer than 24h"):
        parse_duration("24h1s")


@pytest.mark.parametrize(
    "value", ["99999999999999999999h", "9" * 400, "PT99999999999999999999H", "nan", "25h"]
)
@pytest.mark.parametrize("option", ["--work", "--break", "--long-break"])
def test_start_refuses_an_unrepresentable_duration_before_recording_anything(
    app_ctx: AppContext, option: str, value: str
) -> None:
    result = run(app_ctx, "start", option, value, "--cycles", "1")
    assert_clean(result, 2)
    assert "Invalid value for" in result.stderr  # a usage error, as Typer words them
    assert not app_ctx.paths.history_file.exists()
    assert not app_ctx.paths.state_file.exists()


@pytest.mark.parametrize("value", BAD_TOML_VALUES)
@pytest.mark.parametrize("key", ["hold", "reps", "exercise"])
def test_a_bad_step_value_is_reported_and_the_other_routines_still_list_and_run(
    app_ctx: AppContext, write_user_routine, key: str, value: str
) -> None:
    text = ROUTINE.format(line=f"{key} = {value}")
    if key == "exercise":
        text = ROUTINE.format(line="").replace('"shoulder-roll"', value)
    path = write_user_routine("mine", text)
    before = path.read_bytes()
    listed = run(app_ctx, "routine", "list", "--json")
    assert_clean(listed, 0)
    names = [row["name"] for row in json.loads(listed.stdout)]
    assert "desk" in names and "mine" not in names
    assert f"skipped: {path}:" in listed.stderr
    checked = run(app_ctx, "routine", "check", str(path))
    assert_clean(checked, 2)
    if len(value) > 4300:
        assert f"{path}: a number in this file has over 4,300 digits" in checked.stderr
    else:
        line = 5 if key == "exercise" else 6
        assert f"{path}:{line}: step 1" in checked.stderr and f": {key}: " in checked.stderr
    assert_clean(run(app_ctx, "routine", "show", "mine"), 2)
    assert_clean(run(app_ctx, "routine", "show", "desk"), 0)
    assert path.read_bytes() == before


@pytest.mark.parametrize("value", BAD_TOML_VALUES)
def test_a_bad_rest_or_name_is_reported(app_ctx: AppContext, write_user_routine, value: str):
    lines = [f"rest = {value}"] + ([] if value.startswith('"') else [f"title = {value}"])
    for line in lines:
        text = ROUTINE.format(line="").replace('title = "Mine"', line)
        path = write_user_routine("mine", text)
        checked = run(app_ctx, "routine", "check", str(path))
        assert_clean(checked, 2)
        where = f"{path}: " if len(value) > 4300 else f"{path}:2: {line.split()[0]}: "
        assert where in checked.stderr


@pytest.mark.parametrize("value", BAD_TOML_VALUES)
def test_a_bad_user_exercise_is_left_out_not_the_library(
    app_ctx: AppContext, write_user_routine, value: str
) -> None:
    path = write_user_routine("exercises", EXERCISES.format(line=f"pace = {value}"))
    exercises = run(app_ctx, "routine", "exercises", "--json")
    assert_clean(exercises, 0)
    ids = {row["id"] for row in json.loads(exercises.stdout)}
    assert "shoulder-roll" in ids and "my-move" not in ids
    if len(value) < 4300:
        assert f"skipped: {path}:7: exercise 'my-move': pace" in exercises.stderr
    listed = run(app_ctx, "routine", "list", "--json")
    assert_clean(listed, 0)
    assert "desk" in {row["name"] for row in json.loads(listed.stdout)}
    assert_clean(run(app_ctx, "routine", "check", str(path)), 2)


def test_a_broken_user_exercise_file_does_not_stop_the_built_in_routines(
    app_ctx: AppContext, write_user_routine
) -> None:
    path = write_user_routine("exercises", "[broken\n")
    listed = run(app_ctx, "routine", "list", "--json")
    assert_clean(listed, 0)
    assert "desk" in {row["name"] for row in json.loads(listed.stdout)}
    assert f"{path}:1: TOML syntax error" in listed.stderr


def test_deeply_nested_toml_in_a_routine_is_one_error(app_ctx: AppContext, write_user_routine):
    path = write_user_routine("deep", 'name = "deep"\nx = ' + "[" * 5000 + "]" * 5000 + "\n")
    checked = run(app_ctx, "routine", "check", str(path))
    assert_clean(checked, 2)
    assert "nested too deeply" in checked.stderr
    assert_clean(run(app_ctx, "routine", "list"), 0)


def test_an_unreadable_routines_folder_is_one_line_and_the_built_ins_still_list(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    (home / "routines").mkdir(parents=True)
    (home / "routines" / "mine.toml").write_text(ROUTINE.format(line=""))
    (home / "routines").chmod(0)
    done = _run_without_root_powers(home, ["routine", "list", "--json"])
    assert done.returncode == 0, done.stderr
    assert "desk" in {row["name"] for row in json.loads(done.stdout)}
    assert done.stderr.strip().splitlines() == [
        f"breakctl: skipped: {home / 'routines'}: cannot read the routines folder: "
        "Permission denied"
    ]


def _run_without_root_powers(home: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    """breakctl in a fresh process, without root's power to read any file when run as root."""
    argv = [sys.executable, "-m", "breakctl", *args]
    if os.geteuid() == 0:
        caps = "-dac_override,-dac_read_search"
        argv = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *argv]
    env = {**os.environ, "BREAKCTL_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=30)


# -- history values -------------------------------------------------------------------------

RECORD = (
    '{{"v":1,"kind":"work","started":"2026-03-02T08:00:00.000+01:00",'
    '"ended":"2026-03-02T08:25:00.000+01:00",{field},"outcome":"completed"}}'
)
BAD_HISTORY_LINES = [
    RECORD.format(field='"active_s":NaN'),
    RECORD.format(field='"active_s":Infinity'),
    RECORD.format(field='"active_s":-Infinity'),
    RECORD.format(field='"active_s":1e400'),
    RECORD.format(field='"active_s":1,"planned_s":1e400'),
    RECORD.format(field='"active_s":' + "9" * 400),
    RECORD.format(field='"active_s":1,"id":"\\ud800"'),
    RECORD.format(field='"active_s":1,"session":"\\udfff\\ud800"'),
    '{"v":1,"kind":"break","routine":"\\ud800","started":"2026-03-02T08:00:00+01:00",'
    '"ended":"2026-03-02T08:05:00+01:00","active_s":1,"outcome":"completed",'
    '"steps":[{"exercise":"\\udc00","outcome":"done","active_s":1}]}',
    "[" * 100_000 + "]" * 100_000,
    '{"a":' * 100_000 + "1" + "}" * 100_000,
    # Deep, yet under the 64 KiB line limit: the decoder itself must refuse them.
    RECORD.format(field='"active_s":1,"v":' + "[" * 3_000 + "]" * 3_000),
    RECORD.format(field='"active_s":1,"steps":' + '{"a":' * 3_000 + "1" + "}" * 3_000),
]
GOOD = RECORD.format(field='"active_s":1500').replace("08:", "09:")
LATER = GOOD.replace("09:", "10:")  # another record (identical lines are one record's copies)


@pytest.mark.parametrize("line", BAD_HISTORY_LINES, ids=lambda line: line[:60])
def test_bad_history_values_never_crash_a_reader_and_history_check_names_them(
    app_ctx: AppContext, line: str
) -> None:
    path = app_ctx.paths.history_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{GOOD}\n{line}\n{LATER}\n")
    before = path.read_bytes()
    for args in (
        ("stats",),
        ("stats", "--json"),
        ("history",),
        ("history", "--json"),
        ("history", "--csv"),
    ):
        result = run(app_ctx, *args)
        assert_clean(result, 0)
        assert "\\ud8" not in result.stdout and "\ud800" not in result.stdout
    json_lines = run(app_ctx, "history", "--json").stdout.splitlines()
    assert len(json_lines) == 2  # the two good records; the bad line is skipped
    checked = run(app_ctx, "history", "check")
    assert_clean(checked, 2)
    assert checked.stdout.startswith(f"{path}:2: ")
    assert "3 lines: 2 records (2 work), 1 problem" in checked.stdout
    assert path.read_bytes() == before


# -- status templates -----------------------------------------------------------------------

BAD_TEMPLATES = [
    "{phase.nope}",
    "{phase.__class__}",
    "{phase[0]}",
    "{0}",
    "{}",
    "{nope}",
    "{",
    "}",
    "{remaining!z}",
    "{remaining:>999999999}",
    "{remaining:>99999999999999999999}",
    "{minutes:,.999999999f}",
    "{today:>{minutes}}",
    "{minutes:>201}",
    "{today:%Y}",
]


@pytest.mark.parametrize("template", BAD_TEMPLATES)
def test_a_bad_status_template_is_one_line_and_exit_2_running_or_not(
    breakctl_home: Path, template: str
) -> None:
    breakctl_home.mkdir(parents=True, exist_ok=True)
    idle = _status(breakctl_home, template)
    assert (idle.returncode, idle.stdout) == (2, b"")
    assert idle.stderr.startswith(b"breakctl: --format: ") and idle.stderr.count(b"\n") == 1
    with pytest.raises(ValueError, match="--format"):
        check_template(template)


def test_a_good_status_template_still_formats(breakctl_home: Path) -> None:
    check_template("{phase:>6} {remaining} {minutes:03d}m {today}/{cycles}")


def _status(home: Path, template: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    argv = [sys.executable, "-m", "breakctl", "status", "--format", template]
    return subprocess.run(argv, env=env, capture_output=True, timeout=30)


def test_a_fifo_or_folder_named_toml_is_reported_not_waited_on(
    app_ctx: AppContext, write_user_routine
) -> None:
    folder = write_user_routine("mine", ROUTINE.format(line="")).parent
    os.mkfifo(folder / "pipe.toml")
    (folder / "dir.toml").mkdir()
    listed = run(app_ctx, "routine", "list", "--json")
    assert_clean(listed, 0)
    assert {"desk", "mine"} <= {row["name"] for row in json.loads(listed.stdout)}
    assert f"{folder / 'pipe.toml'}: not a regular file" in listed.stderr
    assert f"{folder / 'dir.toml'}: is a directory" in listed.stderr


@pytest.mark.parametrize(
    ("args", "first_words"),
    [
        (["stat"], "breakctl: No such command 'stat'. Did you mean"),
        (["start", "--bogus"], "breakctl start: No such option: --bogus"),
        (["history", "edit"], "breakctl history edit: Missing argument"),
    ],
)
def test_a_usage_error_is_one_line_naming_the_command(
    tmp_path: Path, args: list[str], first_words: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "breakctl", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "BREAKCTL_HOME": str(tmp_path)},
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(first_words), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_config_set_takes_a_negative_number_as_the_value_and_refuses_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "breakctl", "config", "set", "sound.volume", "-1"],
        capture_output=True,
        text=True,
        env={**os.environ, "BREAKCTL_HOME": str(tmp_path)},
        timeout=60,
    )
    assert result.returncode == 2
    assert "sound.volume: expected a volume from 0 to 100, got '-1'" in result.stderr
