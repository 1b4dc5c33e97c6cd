"""Presence end to end: the real program in a pty, with the `command` source reading the
time of the last input from a file the test moves: leave, come back, see the records."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect

from breakctl.store.paths import Paths
from tests.history_helpers import written
from tests.presence_helpers import poll


def test_leaving_and_coming_back_records_a_natural_break(breakctl_home: Path) -> None:
    last_input = breakctl_home / "last-input"
    script = breakctl_home / "idle.sh"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(f'echo $(( ($(date +%s%N) - $(cat "{last_input}")) / 1000000 ))\n')
    (breakctl_home / "config.toml").write_text(
        f'[presence]\nsource = "command"\ncommand = "sh {script}"\naway_after = "3s"\n'
    )

    def touch_input() -> None:
        last_input.write_text(str(time.time_ns()))

    def away_s() -> float:  # as `breakctl status` counts it, from the state file
        status = subprocess.run(
            [sys.executable, "-m", "breakctl", "status", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return json.loads(status.stdout).get("away_s") or 0.0

    touch_input()
    env = {**os.environ, "BREAKCTL_HOME": str(breakctl_home), "TERM": "xterm-256color"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "breakctl", "start", "--work", "30s", "--break", "5s", "--cycles", "1"],
        env=env,
        dimensions=(24, 80),
        timeout=40,
        encoding="utf-8",
    )
    child.expect("Work")
    # Leave: no input from now on. Away after 3 s of idle, noticed within a poll (5 s).
    child.expect("away", timeout=15)
    poll(away_s, lambda seconds: seconds >= 9, deadline_s=60)  # longer than the 5 s break
    touch_input()  # back at the keyboard
    child.expect("welcome back", timeout=15)
    child.expect(pexpect.EOF, timeout=20)  # --cycles 1: the natural break ends the day
    child.close()
    assert child.exitstatus == 0, child.before
    work, rest = written(Paths(breakctl_home, breakctl_home, breakctl_home))
    assert work["kind"] == "work" and work["outcome"] == "completed" and work["active_s"] < 3
    assert rest["kind"] == "break" and rest["natural"] is True and rest["outcome"] == "completed"
    assert rest["routine"] is None and rest["away_s"] >= 8
    assert rest["started"] == work["ended"]


def test_a_command_whose_child_keeps_its_output_does_not_freeze_the_day(
    breakctl_home: Path,
) -> None:
    """The child leaves the process group (so killing the group misses it) and holds the
    command's output for ten minutes: the day must not wait for it."""
    pids = breakctl_home / "escaped"  # each child writes a file named by its pid
    pids.mkdir(parents=True)
    escaped = (  # two minutes: far past any wait the test allows, and then gone by itself
        "import os, sys, time; os.setsid(); "
        "open(os.path.join(sys.argv[1], str(os.getpid())), 'w').close(); time.sleep(120)"
    )
    command = f'echo 0; {sys.executable} -c "{escaped}" {pids} &'
    (breakctl_home / "config.toml").write_text(
        f'[presence]\nsource = "command"\ncommand = {json.dumps(command)}\n'
    )
    env = {**os.environ, "BREAKCTL_HOME": str(breakctl_home), "TERM": "xterm-256color"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "breakctl", "start", "--work", "10m", "--cycles", "1"],
        env=env,
        dimensions=(24, 80),
        timeout=60,
        encoding="utf-8",
    )
    try:
        child.expect("Work")
        stop = subprocess.run(
            [sys.executable, "-m", "breakctl", "stop"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert stop.returncode == 0, stop.stdout + stop.stderr
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0, child.before
        (work,) = written(Paths(breakctl_home, breakctl_home, breakctl_home))
        assert work["kind"] == "work" and work["outcome"] != "completed"
    finally:
        child.close(force=True)
        for pid in pids.iterdir():
            with contextlib.suppress(OSError):
                os.kill(int(pid.name), signal.SIGKILL)
