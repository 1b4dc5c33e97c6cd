"""`breakctl holds` end to end: the real program, real sources, in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_lazy_commands import loaded

WEEK = Path(__file__).parent / "data" / "holds" / "week.ics"


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISPLAY", "DBUS_", "TMUX", "XDG_", "WAYLAND", "PULSE", "PIPEWIRE"))
    }
    clean |= {"BREAKCTL_HOME": str(home), "PATH": os.environ["PATH"]}
    return subprocess.run(
        [sys.executable, "-m", "breakctl", "holds", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)


def test_json_lists_every_source_and_what_holds(breakctl_home: Path, tmp_path: Path) -> None:
    check = tmp_path / "in-call"
    check.write_text("#!/bin/sh\necho 'Call with Ana'\n")
    check.chmod(0o755)
    write_config(
        breakctl_home,
        f'[holds]\ncommand = "{check}"\ncalendar = ["{WEEK}"]\nprograms = ["no-such-prog"]\n',
    )
    result = run(breakctl_home, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"sources", "held", "reasons"}
    names = [s["name"] for s in data["sources"]]
    assert names == ["microphone", "camera", "calendar", "dnd", "fullscreen", "programs", "command"]
    by_name = {s["name"]: s for s in data["sources"]}
    for state in data["sources"]:
        assert set(state) == {"name", "works", "why_not", "holding", "reason"}
        assert state["works"] == (state["why_not"] is None)
    assert by_name["command"] == {
        "name": "command",
        "works": True,
        "why_not": None,
        "holding": True,
        "reason": "Call with Ana",
    }
    assert by_name["calendar"]["works"] is True  # a 2026 calendar: nothing now
    assert by_name["programs"]["works"] is True and by_name["programs"]["holding"] is False
    assert data["held"] is True
    assert "command: Call with Ana" in data["reasons"]


def test_text_says_what_holds_and_why_a_source_cannot(breakctl_home: Path) -> None:
    write_config(breakctl_home, '[holds]\nsources = ["command"]\ncommand = "exit 1"\n')
    result = run(breakctl_home)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "calendar    no: no [holds] calendar set" in lines
    assert "nothing holds a break now (sources = [command])" in lines


def test_holds_off(breakctl_home: Path) -> None:
    write_config(breakctl_home, "[holds]\nsources = []\n")
    result = run(breakctl_home)
    assert "holds are off ([holds] sources = [])" in result.stdout.splitlines()
    assert json.loads(run(breakctl_home, "--json").stdout)["held"] is False


def test_a_bad_table_is_one_line_with_its_place(breakctl_home: Path) -> None:
    write_config(breakctl_home, '[holds]\ngrace = "soon"\n')
    result = run(breakctl_home, "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "config.toml:2: holds.grace: not a duration: 'soon'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_calendar_libraries_never_load_in_breakctl_s_process(breakctl_home: Path) -> None:
    """The helper process expands calendars, for `holds` as for the day."""
    calendar_libraries = ("icalendar", "recurring_ical_events")
    write_config(breakctl_home, '[holds]\ncommand = "true"\n')
    modules = loaded(breakctl_home, "holds", "--json")
    assert not {m for m in modules if m.startswith(calendar_libraries)}
    write_config(breakctl_home, f'[holds]\ncalendar = ["{WEEK}"]\n')
    modules = loaded(breakctl_home, "holds", "--json")
    assert "breakctl.host.holds.calendar" in modules  # the calendar was read
    assert not {m for m in modules if m.startswith(calendar_libraries)}
