"""What a detached or headless day says to the people driving it (trial 2): the remote commands
name the day, not `breakctl start`; a resume that has nothing to resume says so. Real programs,
real processes; every wait is for something seen."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import test_e2e_attach as attach_e2e
from tests.test_e2e_start import breakctl, env

day = attach_e2e.day  # the background day, killed by the fixture whatever happens
screens = attach_e2e.screens


def test_remote_commands_speak_of_the_day_and_resume_says_when_not_paused(
    breakctl_home: Path, day: Callable[..., int]
) -> None:
    pid = day("--work", "10m")
    for _ in range(2):  # twice in a row: the day is still not paused
        idle = breakctl(breakctl_home, "resume")
        assert (idle.returncode, idle.stdout) == (1, "")
        assert idle.stderr == "breakctl: the day is not paused\n"
    paused = breakctl(breakctl_home, "pause")
    assert (paused.returncode, paused.stdout) == (0, f"pause: sent to the day (pid {pid})\n")
    resumed = breakctl(breakctl_home, "resume")
    assert (resumed.returncode, resumed.stdout) == (0, f"resume: sent to the day (pid {pid})\n")
    assert breakctl(breakctl_home, "stop").returncode == 0
    attach_e2e.poll(lambda: attach_e2e.alive(pid), lambda up: not up, attach_e2e.DEADLINE_S)
    gone = breakctl(breakctl_home, "pause")
    assert gone.returncode == 1
    assert gone.stderr == "breakctl: no day is running (start one with breakctl start)\n"


def test_an_attached_screen_offers_d_and_lists_at_exit_only_what_came_while_attached(
    breakctl_home: Path, day: Callable[..., int], screens: Callable[..., attach_e2e.Screen]
) -> None:
    assert breakctl(breakctl_home, "config", "set", "start.strict", "true").returncode == 0
    day("--work", "10m")
    assert breakctl(breakctl_home, "resume").returncode == 1  # a message before this screen
    screen = screens()
    footer = screen.shows("d detach")
    assert "q end the day" in footer and "q quit" not in footer
    screen.shows("the day is not paused")  # the recent messages are shown on the screen
    breakctl(breakctl_home, "skip")  # a message while attached: listed at exit
    screen.shows("strict mode: no skipping")
    screen.child.send("d")
    assert screen.exit_status() == 0
    after = screen.raw.rsplit("\x1b[?25h", 1)[-1]  # what stays once the screen is gone
    assert "strict mode: no skipping" in after
    assert "the day is not paused" not in after


def _headless(home: Path, *args: str, **env_changes: str | None) -> subprocess.Popen[str]:
    changed = {**env(home), **{k: v for k, v in env_changes.items() if v is not None}}
    for name in [k for k, v in env_changes.items() if v is None]:
        changed.pop(name, None)
    argv = [sys.executable, "-m", "breakctl", "start", "--headless", "--no-presence", *args]
    return subprocess.Popen(
        argv, env=changed, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.mark.skipif(shutil.which("notify-send") is None, reason="needs notify-send (CI has it)")
def test_without_a_desktop_session_notify_send_is_not_tried_and_that_is_said_once(
    breakctl_home: Path,
) -> None:
    no_desktop = dict.fromkeys(
        ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR")
    )
    day = _headless(breakctl_home, "--work", "2s", "--break", "2s", "--cycles", "2", **no_desktop)
    try:
        out, _ = day.communicate(timeout=attach_e2e.DEADLINE_S)
    finally:
        day.kill()
        day.wait()
    assert day.returncode == 0, out
    assert out.count("no desktop session here") == 1  # two breaks, one word
    assert "notify-send failed" not in out and "autolaunch" not in out


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_headless_day_stopped_by_a_signal_ends_its_log_as_stop_does(
    breakctl_home: Path, signum: int, status: int
) -> None:
    day = _headless(breakctl_home, "--work", "10m", "--no-notify")
    try:
        assert day.stdout is not None
        first = day.stdout.readline()  # the first block has begun: the day is running
        assert "work block 1" in first
        day.send_signal(signum)
        out, _ = day.communicate(timeout=attach_e2e.DEADLINE_S)
    finally:
        day.kill()
        day.wait()
    assert day.returncode == status, out
    lines = out.splitlines()
    assert any("work interrupted: " in line for line in lines), out
    assert any(line.endswith("  stopped") for line in lines), out
    assert lines[-1].startswith("Today: ")
