"""Holds end to end (#21): the real `breakctl start` in a pty, with the `command` hold source
reading a file the test creates and removes (a call that starts and ends). The call starts
before the break is due; while it holds, no bell byte reaches the terminal; the break comes
after the grace once the call ends, and its record says how long it waited and why."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pexpect

from breakctl.store.paths import Paths
from tests.history_helpers import written

DEADLINE_S = 90.0  # only a broken program takes this long, even on a busy machine


def status(env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "breakctl", "status", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return dict(json.loads(done.stdout))


def drain(child: pexpect.spawn) -> str:
    """Everything the program wrote to the terminal since the last drain (read all along,
    so the program never blocks on a full pty)."""
    out = []
    while True:
        try:
            out.append(child.read_nonblocking(65536, timeout=0.1))
        except (pexpect.TIMEOUT, pexpect.EOF):
            return "".join(out)


def watch(
    child: pexpect.spawn, env: dict[str, str], ok: Callable[[dict[str, Any]], bool]
) -> tuple[dict[str, Any], str]:
    """`status --json` until `ok` holds, the terminal read meanwhile: (status, output)."""
    seen: list[str] = []
    end = time.monotonic() + DEADLINE_S
    while True:
        seen.append(drain(child))
        state = status(env)
        if ok(state):
            return state, "".join(seen)
        assert time.monotonic() < end, f"still {state} after {DEADLINE_S} s"


def test_a_call_holds_the_break_until_it_ends_plus_the_grace(breakctl_home: Path) -> None:
    call = breakctl_home / "in-a-call"
    call.parent.mkdir(parents=True, exist_ok=True)
    command = f"test -f {call} && echo zoom"
    (breakctl_home / "config.toml").write_text(
        f'[holds]\nsources = ["command"]\ncommand = {json.dumps(command)}\ngrace = "2s"\n'
    )
    env = {**os.environ, "BREAKCTL_HOME": str(breakctl_home), "TERM": "xterm-256color"}
    call.write_text("")  # the call starts before the break is due
    child = pexpect.spawn(
        sys.executable,
        ["-m", "breakctl", "start", "--work", "10s", "--break", "3s", "--cycles", "1"],
        env=env,
        dimensions=(24, 80),
        timeout=DEADLINE_S,
        encoding="utf-8",
    )
    try:
        child.expect("Work")
        # Due after 10 s, held: status says so, counting since it came due.
        held, before = watch(child, env, lambda s: s["state"] == "held")
        assert held["held_by"] == ["command: zoom"]
        _, during = watch(child, env, lambda s: (s.get("held_s") or 0) >= 3)
        during += drain(child)
        assert "\a" not in before + during  # no bell, no notification escape, while held
        assert "held" in during  # the screen says so too
        ended = datetime.now().astimezone()
        call.unlink()  # the call ends: the break follows the grace (2 s) after it is seen
        child.expect("\a", timeout=DEADLINE_S)  # the break's alert rings now
        child.expect(pexpect.EOF, timeout=DEADLINE_S)
        child.close()
        assert child.exitstatus == 0, child.before
    finally:
        child.close(force=True)
    work, rest = written(Paths(breakctl_home, breakctl_home, breakctl_home))
    assert work["kind"] == "work" and work["active_s"] > 13  # the block counted on
    assert rest["kind"] == "break" and rest["outcome"] == "completed"
    assert rest["held_by"] == ["command"] and rest["held_s"] >= 3
    started = datetime.fromisoformat(rest["started"])
    assert (started - ended).total_seconds() >= 2  # after the grace, never at once
    assert rest["started"] == work["ended"]
    # The wait: from the due time (10 s of work) to the break's start.
    assert abs(rest["held_s"] - (work["active_s"] - 10)) < 0.01
