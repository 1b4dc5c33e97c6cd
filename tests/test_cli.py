"""The commands as a user types them, through Typer's CliRunner on a fake clock."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from breakctl.cli import app
from breakctl.core.safety import POSTURE_RESET, SAFETY
from breakctl.host.context import AppContext
from breakctl.host.keys import NoKeys
from tests.fakes import FakeClock, ScriptedKeys
from tests.history_helpers import host_file, written

MINI = """
name = "mini"
title = "Mini"
rest = "1s"

[exercises.sway]
name = "Sway"
position = "standing"
targets = ["calves"]
reps = 2
pace = "1s"
cues = ["Sway gently."]

[[steps]]
exercise = "sway"
"""


@pytest.fixture
def invoke(app_ctx: AppContext) -> Callable[..., object]:
    runner = CliRunner()

    def call(*args: str, ctx: AppContext | None = None) -> Result:
        return runner.invoke(app, list(args), obj=ctx or app_ctx)

    return call


def test_help_lists_the_commands(invoke) -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    assert "routine" in result.output and "config" in result.output


def test_routine_help_mentions_the_shortcut(invoke) -> None:
    result = invoke("routine", "--help")
    assert result.exit_code == 0
    assert "breakctl routine desk" in result.output


def test_version(invoke) -> None:
    from breakctl import __version__

    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output == f"breakctl {__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_routine_list_json_has_the_contract_keys(invoke) -> None:
    result = invoke("routine", "list", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {r["name"] for r in rows} >= {
        "micro",
        "desk",
        "standing",
        "floor",
        "wfh",
        "neck",
        "lunch",
    }
    desk = next(r for r in rows if r["name"] == "desk")
    assert set(desk) == {"name", "title", "minutes", "steps", "source"}
    assert desk == {
        "name": "desk",
        "title": "Desk reset",
        "minutes": 7.6,
        "steps": 6,
        "source": "built-in",
    }


def test_routine_list_table_shows_user_routines(invoke, write_user_routine) -> None:
    write_user_routine("mini", MINI)
    result = invoke("routine", "list")
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("mini"))
    assert "Mini" in line and "user" in line
    assert "\x1b[" not in result.stdout  # piped: no escape codes


def test_routine_with_no_subcommand_lists(invoke) -> None:
    result = invoke("routine")
    assert result.exit_code == 0
    assert "desk" in result.stdout and "Desk reset" in result.stdout


def test_routine_show(invoke) -> None:
    result = invoke("routine", "show", "desk")
    assert result.exit_code == 0
    assert "Seated knee hug" in result.stdout and "30s each side" in result.stdout
    assert "6 steps, 7:35 in all" in result.stdout
    assert "1 step, 2:05 in all" in invoke("routine", "show", "breathe").stdout  # not "1 steps"
    data = json.loads(invoke("routine", "show", "desk", "--json").stdout)
    assert data["planned_s"] == 455 and data["steps"][0]["exercise"] == "seated-knee-hug"


def test_unknown_routine_is_exit_2_with_the_known_ones(invoke) -> None:
    for args in (("routine", "nope"), ("routine", "show", "nope")):
        result = invoke(*args)
        assert result.exit_code == 2
        assert "no routine named 'nope'" in result.stderr and "desk" in result.stderr
        assert "Traceback" not in result.output


def test_check_reports_each_problem_and_exits_2(invoke, tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(MINI)
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "b"\n[[steps]]\nexercise = "nope"\nhold = "x"\n')
    result = invoke("routine", "check", str(good), str(bad))
    assert result.exit_code == 2
    assert f"ok: {good}: routine 'mini', 1 step," in result.stdout
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"breakctl: {bad}:3: step 1 (nope): exercise: unknown exercise id")
    assert errors[1].startswith(f"breakctl: {bad}:4: step 1 (nope): hold: not a duration: 'x'")


def test_check_accepts_an_exercise_library(invoke) -> None:
    from breakctl.store.library import builtin_dir

    result = invoke("routine", "check", str(builtin_dir() / "exercises.toml"))
    assert result.exit_code == 0
    assert "45 exercises" in result.stdout


def test_new_writes_an_editable_routine_that_checks(invoke, paths) -> None:
    result = invoke("routine", "new", "my-desk", "--from", "desk")
    assert result.exit_code == 0, result.output
    path = paths.routines_dir / "my-desk.toml"
    data = tomllib.loads(path.read_text())
    assert data["name"] == "my-desk"
    assert [s["exercise"] for s in data["steps"]][:2] == [
        "seated-knee-hug",
        "seated-trunk-rotation",
    ]
    listed = json.loads(invoke("routine", "list", "--json").stdout)
    mine = next(r for r in listed if r["name"] == "my-desk")
    assert mine["source"] == "user" and mine["minutes"] == 7.6
    again = invoke("routine", "new", "my-desk")
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_new_from_a_user_routine_keeps_its_private_exercises(invoke, write_user_routine) -> None:
    write_user_routine("mini", MINI)
    assert invoke("routine", "new", "mini-2", "--from", "mini").exit_code == 0
    assert (
        json.loads(invoke("routine", "show", "mini-2", "--json").stdout)["steps"][0]["exercise"]
        == "sway"
    )


@pytest.mark.parametrize("name", ["list", "My Desk", "a_b"])
def test_new_rejects_bad_names(invoke, name: str) -> None:
    result = invoke("routine", "new", name)
    assert result.exit_code == 2 and "can't be a routine name" in result.stderr


def test_new_with_a_built_in_name_is_refused_unless_forced(invoke, paths) -> None:
    refused = invoke("routine", "new", "desk")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "breakctl: 'desk' would shadow the built-in routine 'desk'; pick another name, "
        "or add --force to replace it"
    ]
    assert not (paths.routines_dir / "desk.toml").exists()
    assert invoke("routine", "new", "desk", "--force").exit_code == 0
    listed = {r["name"]: r for r in json.loads(invoke("routine", "list", "--json").stdout)}
    assert listed["desk"]["source"] == "user"  # the JSON keys stay the documented ones
    rows = {line.split()[0]: line for line in invoke("routine", "list").stdout.splitlines()}
    assert rows["desk"].rstrip().endswith("user, shadows built-in")
    assert rows["neck"].rstrip().endswith("built-in") and "shadows" not in rows["neck"]


def test_run_prints_plain_lines_and_records_history(invoke, write_user_routine, paths) -> None:
    write_user_routine("mini", MINI)
    result = invoke("routine", "mini")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        SAFETY,  # the first routine of the day says it before its first step
        "09:00:00  get ready (0:01): next is Sway",
        "09:00:01  step 1/1 Sway: 2 reps, 1s each",
        "          - Sway gently.",
        "09:00:03  Mini: completed",
        "Mini done: 1 of 1 step, 0:03 moving.",
        POSTURE_RESET,
    ]
    (record,) = written(paths)
    assert record["routine"] == "mini" and record["outcome"] == "completed"


def test_run_quit_with_q_is_exit_0(write_user_routine, paths, clock: FakeClock) -> None:
    write_user_routine("mini", MINI)
    ctx = AppContext(paths=paths, clock=clock, keys=ScriptedKeys(clock, {1.5: "q"}))
    result = CliRunner().invoke(app, ["routine", "mini"], obj=ctx)
    assert result.exit_code == 0
    assert written(paths)[0]["outcome"] == "quit"


def test_run_ctrl_c_is_exit_130_and_still_recorded(
    write_user_routine, paths, clock: FakeClock
) -> None:
    write_user_routine("mini", MINI)
    ctx = AppContext(paths=paths, clock=clock, keys=ScriptedKeys(clock, {1.5: KeyboardInterrupt()}))
    result = CliRunner().invoke(app, ["routine", "mini"], obj=ctx)
    assert result.exit_code == 130
    assert written(paths)[0]["outcome"] == "quit"


def test_unwritable_history_is_exit_1_before_starting(invoke, paths, clock: FakeClock) -> None:
    host_file(paths).mkdir(parents=True)
    result = invoke("routine", "micro")
    assert result.exit_code == 1
    assert "is a directory" in result.stderr
    assert clock.monotonic() == 0


def test_config_path(invoke, paths) -> None:
    result = invoke("config", "path", "--json")
    assert json.loads(result.stdout) == {
        "config": str(paths.config_file),
        "routines": str(paths.routines_dir),
        "history": str(paths.data_dir / "history"),
        "this machine": str(host_file(paths)),
        "old history": str(paths.history_file),
        "state": str(paths.state_file),
    }
    shown = invoke("config", "path").stdout
    assert str(host_file(paths)) in shown and str(paths.history_file) in shown


def test_context_from_environment_honours_breakctl_home(breakctl_home: Path) -> None:
    ctx = AppContext.from_environment()
    assert ctx.paths.history_file == breakctl_home / "history.jsonl"
    assert ctx.paths.config_file == breakctl_home / "config.toml"
    assert ctx.paths.state_file == breakctl_home / "current.json"
    assert ctx.env["BREAKCTL_HOME"] == str(breakctl_home)
    assert ctx.keys is None  # keys come from the terminal, when there is one


def test_no_keys_waits_out_the_time_and_never_reports_a_key(clock: FakeClock) -> None:
    before = clock.monotonic()
    assert NoKeys(clock).wait(2.5) is None
    assert clock.monotonic() == before + 2.5
