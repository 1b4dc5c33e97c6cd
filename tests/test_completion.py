"""Shell completion from the user's own files: each completion function on a fresh
BREAKCTL_HOME, and the whole path through the shell protocol in a real process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from breakctl.cli.completion import (
    complete_config_key,
    complete_config_value,
    complete_exercise,
    complete_history_id,
    complete_preset,
    complete_routine,
    complete_routines,
)
from breakctl.store.library import builtin_dir
from breakctl.store.paths import Paths
from tests.test_cli import MINI

SWAY = """
[my-sway]
name = "My sway"
position = "standing"
targets = ["calves"]
reps = 4
cues = ["Sway."]
"""


def record(record_id: str, hour: int, kind: str = "work", outcome: str = "completed") -> dict:
    started = f"2026-03-02T{hour:02d}:00:00.000+01:00"
    ended = f"2026-03-02T{hour:02d}:25:00.000+01:00"
    return {
        "v": 1,
        "id": record_id,
        "kind": kind,
        "started": started,
        "ended": ended,
        "planned_s": 1500,
        "active_s": 1500,
        "paused_s": 0,
        "suspended_s": 0,
        "outcome": outcome,
    }


def test_routine_names_are_the_built_in_ones_and_the_users(
    write_user_routine: Callable[[str, str], Path],
) -> None:
    built_in = sorted(p.stem for p in builtin_dir().glob("*.toml") if p.stem != "exercises")
    assert {"desk", "micro", "neck"} <= set(built_in)
    assert complete_routine("") == built_in
    write_user_routine("mini", MINI)
    assert complete_routine("mi") == ["micro", "mini"]
    assert complete_routine("zzz") == []


def test_rotate_completes_the_last_name_after_a_comma() -> None:
    assert complete_routines("desk,ne") == ["desk,neck"]
    assert complete_routines("st") == ["stand-reset", "standing", "strength"]


def test_presets_with_their_titles() -> None:
    assert complete_preset("po") == [("pomodoro", "Classic Pomodoro")]
    assert [name for name, _ in complete_preset("")][:3] == ["pomodoro", "micro", "hourly"]


def test_exercise_ids_include_the_users_own_library(paths: Paths) -> None:
    assert complete_exercise("calf") == [("calf-raise", "Calf raise")]
    paths.routines_dir.mkdir(parents=True)
    (paths.routines_dir / "exercises.toml").write_text(SWAY)
    assert complete_exercise("my-") == [("my-sway", "My sway")]


def test_config_keys_and_their_values() -> None:
    assert [key for key, _ in complete_config_key("start.w")] == ["start.work", "start.wait"]
    assert [key for key, _ in complete_config_key("goals")] == [
        "goals.breaks_per_day",
        "goals.work_per_day",
    ]
    assert complete_config_key("hooks.on_s") == [
        ("hooks.on_skip", "Run on skip."),
        ("hooks.on_session_end", "Run on session end."),
    ]
    preset_key = SimpleNamespace(params={"key": "start.preset"})
    assert complete_config_value(preset_key, "mi") == [("micro", "Micro breaks")]
    assert complete_config_value(SimpleNamespace(params={"key": "start.bell"}), "") == [
        "true",
        "false",
    ]
    assert complete_config_value(SimpleNamespace(params={"key": "start.nope"}), "") == []


def test_history_ids_newest_first_and_nothing_from_a_broken_file(paths: Paths) -> None:
    assert complete_history_id("") == []  # no history yet
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(record(f"id-{n}", 9 + n)) for n in range(3)]
    paths.history_file.write_text("\n".join([lines[0], "oops", *lines[1:]]) + "\n")
    assert complete_history_id("id-") == [
        ("id-2", "2026-03-02 11:00 work completed"),
        ("id-1", "2026-03-02 10:00 work completed"),
        ("id-0", "2026-03-02 09:00 work completed"),
    ]
    paths.history_file.unlink()
    paths.history_file.mkdir()
    assert complete_history_id("") == []


def bash_complete(home: Path, words: str) -> list[str]:
    """What bash gets back from `breakctl` for the words typed, the cursor on the last."""
    typed = words.split(" ")
    env = {
        **os.environ,
        "BREAKCTL_HOME": str(home),
        "_BREAKCTL_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(typed) - 1),
    }
    script = Path(sys.executable).parent / "breakctl"
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("breakctl routine show fl", ["floor"]),
        ("breakctl start --preset po", ["pomodoro"]),
        ("breakctl config set start.no", ["start.notify"]),
        ("breakctl history show id-", ["id-1", "id-0"]),
        ("breakctl sta", ["start", "status", "stats"]),
    ],
)
def test_the_shell_protocol_end_to_end(
    breakctl_home: Path, paths: Paths, words: str, expected: list[str]
) -> None:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(record(f"id-{n}", 9 + n)) for n in range(2)]
    paths.history_file.write_text("\n".join(lines) + "\n")
    assert bash_complete(breakctl_home, words) == expected


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script_for_the_shell_it_runs_in(
    breakctl_home: Path, shell: str
) -> None:
    """Typer finds the shell from the process tree, as --install-completion does."""
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed here")
    script = Path(sys.executable).parent / "breakctl"
    done = subprocess.run(
        [shell, "-c", f"{script} --show-completion"],
        env={**os.environ, "BREAKCTL_HOME": str(breakctl_home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "_BREAKCTL_COMPLETE" in done.stdout and f"complete_{shell}" in done.stdout
