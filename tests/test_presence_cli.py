"""`breakctl presence` end to end: the real program, real sources."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.presence_helpers import xvfb


def run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISPLAY", "DBUS_", "TMUX", "XDG_", "WAYLAND_"))
    }
    clean |= {"BREAKCTL_HOME": str(home), "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={home}/none"}
    return subprocess.run(
        [sys.executable, "-m", "breakctl", "presence", *args],
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)


def test_json_with_the_command_source(breakctl_home: Path) -> None:
    write_config(breakctl_home, '[presence]\ncommand = "echo 61500"\n')
    result = run(breakctl_home, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(s["name"], s["works"]) for s in data["sources"]] == [
        ("x11", False),
        ("gnome", False),
        ("wayland", False),
        ("freedesktop", False),
        ("logind", False),
        ("macos", False),
        ("tmux", False),
        ("command", True),
    ]
    assert data["sources"][0]["why_not"] == "DISPLAY is not set (no X11 session)"
    assert (data["configured"], data["in_use"], data["idle_s"]) == ("auto", "command", 61.5)


def test_json_with_x11() -> None:
    home = Path(os.environ["BREAKCTL_HOME"])
    with xvfb() as display:
        data = json.loads(run(home, "--json", DISPLAY=display).stdout)
    assert data["sources"][0] == {"name": "x11", "works": True, "why_not": None}
    assert data["in_use"] == "x11"
    assert 0 <= data["idle_s"] < 30


def test_text(breakctl_home: Path) -> None:
    write_config(breakctl_home, '[presence]\nsource = "command"\ncommand = "echo 61500"\n')
    result = run(breakctl_home)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "x11          no: DISPLAY is not set (no X11 session)"
    assert lines[7] == "command      works"
    assert lines[-2:] == ["in use: command (source = command)", "idle:   1m2s"]


def test_off(breakctl_home: Path) -> None:
    write_config(breakctl_home, '[presence]\nsource = "none"\n')
    result = run(breakctl_home)
    assert result.stdout.splitlines()[-2:] == [
        "in use: none (source = none)",
        "idle:   unknown: presence is off, breakctl counts by the clock alone",
    ]


def test_a_bad_setting_is_one_line_naming_the_file_and_key(breakctl_home: Path) -> None:
    write_config(breakctl_home, '[presence]\naway_after = "soon"\n')
    result = run(breakctl_home, "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"breakctl: {breakctl_home / 'config.toml'}:2: presence.away_after: not a duration: "
        "'soon' (expected e.g. '25m', '90s', '1h30m', '1.5h' or 'PT25M')\n"
    )
