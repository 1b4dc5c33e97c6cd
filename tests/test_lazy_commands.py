"""Each command pays only for its own code: the modules a real run loads, in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from breakctl.cli.base import COMMANDS

PROBE = (
    "import sys, json, atexit\n"
    "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
    "from breakctl.__main__ import main\n"
    "sys.argv = ['breakctl', *sys.argv[1:]]\n"
    "main()\n"
)
FAMILIES = {f"breakctl.cli.{module}" for module, _ in COMMANDS.values()}


def loaded(home: Path, *args: str) -> set[str]:
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_help_lists_every_command_without_importing_any(breakctl_home: Path) -> None:
    modules = loaded(breakctl_home, "--help")
    assert not modules & FAMILIES
    assert "breakctl.cli.base" in modules


@pytest.mark.parametrize(
    ("args", "family"),
    [
        (["presets", "--json"], "presets_commands"),
        (["routine", "list", "--json"], "routine_commands"),
        (["config", "path"], "config_commands"),
        (["stats", "--json", "--week", "last"], "stats_commands"),  # --json alone: no Typer
        (["holds", "--json"], "holds_commands"),
    ],
)
def test_a_command_imports_its_own_family_only(
    breakctl_home: Path, args: list[str], family: str
) -> None:
    modules = loaded(breakctl_home, *args)
    assert modules & FAMILIES == {f"breakctl.cli.{family}"}
    # nothing of a running day: runner, hooks, signals, and (without the screens) its phases
    heavy = {"breakctl.host.session.loop", "breakctl.host.hooks", "breakctl.host.signals"}
    if "breakctl.ui.view" not in modules:  # the one-module view still imports the day's events
        heavy.add("breakctl.core.day")
    assert not modules & heavy, modules & heavy


def test_version_reads_no_package_metadata(breakctl_home: Path) -> None:
    modules = loaded(breakctl_home, "--version")
    assert "importlib.metadata" not in modules
    assert not {m for m in modules if m.startswith("breakctl.cli")}


# Issue 25: a reading command loads only what it prints. On an empty history that is one
# message: no figures, no decoding of records, no day cache, and Rich only for what it draws.
FIGURES = {"breakctl.core.stats", "breakctl.core.trend", "breakctl.ui.report.terminal"}
READING = {"msgspec", "breakctl.core.records", "breakctl.store.review", "breakctl.store.history"}


def test_stats_of_an_empty_history_loads_no_figures(breakctl_home: Path) -> None:
    modules = loaded(breakctl_home, "stats")
    assert not modules & (FIGURES | READING), modules & (FIGURES | READING)


@pytest.mark.parametrize("args", [["history"], ["history", "--last", "20"], ["history", "--json"]])
def test_history_of_an_empty_history_loads_no_reader_and_no_rich(
    breakctl_home: Path, args: list[str]
) -> None:
    modules = loaded(breakctl_home, *args)
    assert not modules & (FIGURES | READING), modules & (FIGURES | READING)
    assert not {m for m in modules if m == "rich" or m.startswith("rich.")}


def test_a_history_with_records_still_reads_them(breakctl_home: Path) -> None:
    """The short cut is for an empty history only: one record, and the reader is there."""
    folder = breakctl_home / "history"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench-host.jsonl").write_text(
        '{"v":1,"id":"ab","kind":"work","started":"2026-03-02T09:00:00+00:00",'
        '"ended":"2026-03-02T09:25:00+00:00","active_s":1500,"outcome":"completed"}\n'
    )
    assert {"msgspec", "breakctl.store.review"} <= loaded(breakctl_home, "history")
