"""The sources that read a program's output (command, macos), choosing a source, and the
Presence wrapper the day polls."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest

from breakctl.host.presence.base import PresenceError, Source
from breakctl.host.presence.settings import PresenceSettings
from breakctl.host.presence.sources import (
    Presence,
    candidates,
    make_source,
    open_presence,
    survey,
)
from breakctl.host.presence.tools import (
    CommandSource,
    MacosSource,
    TmuxSource,
    parse_ioreg,
    run_tool,
)
from tests.presence_helpers import alive, poll

IOREG = Path(__file__).parent / "data" / "ioreg-IOHIDSystem.txt"
NOTHING = {"PATH": os.environ["PATH"], "DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/nonexistent/bus"}


def script(tmp_path: Path, body: str, name: str = "idle") -> str:
    path = tmp_path / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


# --- macos: recorded ioreg output (modelled on an Apple-silicon MacBook's) -----------------


def test_ioreg_output_gives_hid_idle_time_in_seconds() -> None:
    assert parse_ioreg(IOREG.read_text()) == pytest.approx(0.084237541)


def test_ioreg_with_several_hid_systems_takes_the_latest_input() -> None:
    text = '  |   "HIDIdleTime" = 7000000000\n  |   "HIDIdleTime" = 2500000000\n'
    assert parse_ioreg(text) == 2.5


@pytest.mark.parametrize(
    "text",
    ["", '"IOClass" = "IOHIDSystem"', '"HIDParameters" = {"HIDIdleTime"=5}', '"HIDIdleTime" = -1'],
)
def test_ioreg_without_an_idle_time(text: str) -> None:
    with pytest.raises(PresenceError, match=r"^ioreg printed no HIDIdleTime$"):
        parse_ioreg(text)


def test_macos_runs_ioreg(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script(bin_dir, f'[ "$*" = "-c IOHIDSystem" ] && cat {IOREG}', name="ioreg")
    source = MacosSource({"PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert source.idle_s() == pytest.approx(0.084237541)
    assert MacosSource({"PATH": str(tmp_path)}).probe() == (False, "ioreg (macOS) not found")


# --- command ----------------------------------------------------------------------------


def test_command_prints_milliseconds(tmp_path: Path) -> None:
    source = CommandSource(script(tmp_path, "echo 1500"), {"PATH": os.environ["PATH"]})
    assert source.idle_s() == 1.5
    assert CommandSource("echo ' 250.5 '", {}).idle_s() == 0.2505


@pytest.mark.parametrize(
    ("command", "why"),
    [
        (None, "no [presence] command set"),
        ("echo soon", "command 'echo soon' printed 'soon', not milliseconds"),
        ("echo -5", "command 'echo -5' printed -5, not milliseconds"),
        ("echo inf", "command 'echo inf' printed inf, not milliseconds"),
        ("echo oops >&2; exit 3", "command 'echo oops >&2; exit 3' failed (exit 3): oops"),
        ("exit 1", "command 'exit 1' failed (exit 1)"),
    ],
)
def test_command_that_does_not_answer(command: str | None, why: str) -> None:
    assert CommandSource(command, {"PATH": os.environ["PATH"]}).probe() == (False, why)


def test_a_command_the_shell_cannot_find() -> None:
    works, why = CommandSource("no-such-idle-tool", {"PATH": os.environ["PATH"]}).probe()
    assert not works
    assert why is not None and why.startswith("command 'no-such-idle-tool' failed (exit 127): ")
    assert why.endswith("not found")


def test_a_command_that_hangs_is_stopped_with_what_it_started(tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"
    started = time.monotonic()
    with pytest.raises(PresenceError, match=r"took over 0\.3s and was stopped"):
        run_tool(f"sleep 30 & echo $! > {marker}; wait", "slow", os.environ, timeout_s=0.3)
    assert time.monotonic() - started < 5
    pid = int(marker.read_text())
    # A real process is being killed: wait for it, as long as it takes (5 s at most).
    poll(lambda: alive(pid), lambda alive: not alive)  # the command's own child is gone too


def test_a_program_that_cannot_run(tmp_path: Path) -> None:
    target = tmp_path / "not-executable"
    target.write_text("echo 1")
    with pytest.raises(PresenceError, match=r"^tool could not run: Permission denied$"):
        run_tool([str(target)], "tool", os.environ)


# --- choosing ---------------------------------------------------------------------------


def test_auto_tries_the_sources_in_order_and_command_only_when_set() -> None:
    order = ("x11", "gnome", "wayland", "freedesktop", "logind", "macos", "tmux")
    assert candidates(PresenceSettings()) == order
    assert candidates(PresenceSettings(command="idle-ms")) == (*order, "command")
    assert candidates(PresenceSettings(source="tmux")) == ("tmux",)
    assert candidates(PresenceSettings(source="none", command="idle-ms")) == ()


def test_auto_falls_through_to_the_command_when_nothing_else_works() -> None:
    presence = open_presence(PresenceSettings(command="echo 2000"), NOTHING)
    assert presence.name == "command"
    assert presence.idle_s() == 2.0
    assert presence.take_failure() is None


def test_auto_with_nothing_that_works_is_off_quietly() -> None:
    presence = open_presence(PresenceSettings(), NOTHING)
    assert (presence.name, presence.idle_s(), presence.take_failure()) == ("none", None, None)


def test_a_named_source_that_does_not_work_is_off_with_a_reason() -> None:
    presence = open_presence(PresenceSettings(source="tmux"), NOTHING)
    assert presence.name == "none"
    assert presence.idle_s() is None
    assert presence.take_failure() == (
        "presence: tmux does not work here (not inside tmux (TMUX is not set)); presence is off"
    )
    assert presence.take_failure() is None


def test_none_is_off_even_with_a_working_command() -> None:
    presence = open_presence(PresenceSettings(source="none", command="echo 1"), NOTHING)
    assert (presence.name, presence.idle_s()) == ("none", None)


def test_make_source_names() -> None:
    for name in ("x11", "gnome", "freedesktop", "logind", "macos", "tmux", "command"):
        assert make_source(name, PresenceSettings(), {}).name == name
    assert isinstance(make_source("tmux", PresenceSettings(), {}), TmuxSource)


# --- failing mid-day --------------------------------------------------------------------


def test_a_command_that_fails_mid_day_says_why_once_and_works_again(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    command = script(
        tmp_path, f'[ -e {broken} ] && {{ echo "lost the display" >&2; exit 1; }}; echo 40'
    )
    presence = open_presence(PresenceSettings(source="command", command=command), NOTHING)
    assert presence.idle_s() == 0.04
    broken.touch()
    assert presence.idle_s() is None
    assert presence.take_failure() == f"command {command!r} failed (exit 1): lost the display"
    assert presence.take_failure() is None
    broken.unlink()  # working again: the source is kept, and the next reading is a reading (#22)
    assert presence.idle_s() == 0.04
    assert presence.name == "command"
    assert presence.take_failure() is None


class Exploding(Source):
    name = "exploding"

    def __init__(self) -> None:
        self.closed = 0

    def idle_s(self) -> float:
        raise ZeroDivisionError("a bug in a back-end")

    def close(self) -> None:
        self.closed += 1


def test_even_an_unexpected_error_is_a_failed_reading_instead_of_ending_the_day() -> None:
    source = Exploding()
    presence = Presence(source)
    assert presence.idle_s() is None
    assert presence.take_failure() == "ZeroDivisionError: a bug in a back-end"
    assert source.closed == 1  # its connection let go of: the next try starts afresh
    assert presence.name == "exploding"


# --- survey (what `breakctl presence` shows) -----------------------------------------------


def test_survey_lists_every_source_and_reads_the_one_in_use(tmp_path: Path) -> None:
    result = survey(PresenceSettings(command=script(tmp_path, "echo 1234")), NOTHING)
    data = result.to_json()
    assert [s["name"] for s in data["sources"]] == [
        "x11",
        "gnome",
        "wayland",
        "freedesktop",
        "logind",
        "macos",
        "tmux",
        "command",
    ]
    assert [s["works"] for s in data["sources"]] == [False] * 7 + [True]
    assert all(s["why_not"] for s in data["sources"][:7])
    assert (data["configured"], data["in_use"], data["idle_s"]) == ("auto", "command", 1.234)


def test_survey_of_none_still_probes_but_uses_nothing() -> None:
    data = survey(PresenceSettings(source="none", command="echo 9"), NOTHING).to_json()
    assert data["sources"][-1] == {"name": "command", "works": True, "why_not": None}
    assert (data["in_use"], data["idle_s"]) == ("none", None)


def test_importing_presence_imports_no_back_end_library() -> None:
    import subprocess

    code = (
        "import sys, breakctl.host.presence.sources, breakctl.host.presence.settings; "
        "from breakctl.host.presence import x11, dbus, tools, wayland; "
        "print(sorted(m for m in ('Xlib', 'jeepney', 'ctypes', 'socket') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_status_imports_none_of_presence(breakctl_home: Path) -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "breakctl", "status"],
        capture_output=True,
        text=True,
        env={**os.environ, "BREAKCTL_HOME": str(breakctl_home)},
    )
    imported = [line.split("|")[-1].strip() for line in result.stderr.splitlines()]
    assert "breakctl.status" in imported
    assert not [m for m in imported if m.startswith(("breakctl.host.presence", "Xlib", "jeepney"))]
