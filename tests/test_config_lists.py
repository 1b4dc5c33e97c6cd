"""`config set` takes every list the same two ways (["a", "b"] as config.toml writes it, and
a,b), stores a list and echoes the list; nonsense for a program or command is refused
(trial 2, #21)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest


def config_set(home: Path, key: str, value: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "breakctl", "config", "set", key, value],
        env={"BREAKCTL_HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.parametrize(
    ("key", "value", "stored"),
    [
        ("holds.programs", '["sleep", "obs"]', ["sleep", "obs"]),
        ("holds.programs", "sleep,obs", ["sleep", "obs"]),
        ("holds.calendar", '["~/a.ics"]', ["~/a.ics"]),
        ("start.bring_break", '["notify", "popup"]', ["notify", "popup"]),
        ("start.bring_break", "notify,popup", ["notify", "popup"]),
    ],
)
def test_a_list_is_set_either_way_stored_and_echoed_as_a_list(
    breakctl_home: Path, key: str, value: str, stored: list[str]
) -> None:
    done = config_set(breakctl_home, key, value)
    assert done.returncode == 0, done.stderr
    as_toml = "[" + ", ".join(f'"{item}"' for item in stored) + "]"
    assert done.stdout.startswith(f"{key} = {as_toml}  (")
    table, name = key.split(".")
    written = tomllib.loads((breakctl_home / "config.toml").read_text())
    assert written[table][name] == stored


def test_sources_take_the_toml_list_form_too(breakctl_home: Path) -> None:
    assert config_set(breakctl_home, "holds.programs", "sleep").returncode == 0
    assert config_set(breakctl_home, "holds.command", "true").returncode == 0
    done = config_set(breakctl_home, "holds.sources", '["programs","command"]')
    assert done.returncode == 0, done.stderr
    written = tomllib.loads((breakctl_home / "config.toml").read_text())
    assert written["holds"]["sources"] == ["programs", "command"]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("holds.programs", "5", "holds.programs: expected program names"),
        ("holds.command", "7", "holds.command: expected a shell command"),
        ("holds.programs", '["a",', 'holds.programs: expected a list like ["a", "b"] or a,b'),
    ],
)
def test_nonsense_for_a_program_or_command_is_one_line_exit_2(
    breakctl_home: Path, key: str, value: str, expected: str
) -> None:
    done = config_set(breakctl_home, key, value)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"breakctl: {expected}") and done.stderr.count("\n") == 1
    assert not (breakctl_home / "config.toml").exists()
