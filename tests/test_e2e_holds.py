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
from datetime import datetime, timedelta
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


def start_day(env: dict[str, str], work: str) -> pexpect.spawn:
    """The real `breakctl start` in a pty: one block of `work`, then a 3 s break."""
    return pexpect.spawn(
        sys.executable,
        ["-m", "breakctl", "start", "--work", work, "--break", "3s", "--cycles", "1"],
        env=env,
        dimensions=(24, 80),
        timeout=DEADLINE_S,
        encoding="utf-8",
    )


def test_a_call_holds_the_break_until_it_ends_plus_the_grace(breakctl_home: Path) -> None:
    call = breakctl_home / "in-a-call"
    call.parent.mkdir(parents=True, exist_ok=True)
    command = f"test -f {call} && echo zoom"
    (breakctl_home / "config.toml").write_text(
        f'[holds]\nsources = ["command"]\ncommand = {json.dumps(command)}\ngrace = "2s"\n'
    )
    env = {**os.environ, "BREAKCTL_HOME": str(breakctl_home), "TERM": "xterm-256color"}
    call.write_text("")  # the call starts before the break is due
    child = start_day(env, "10s")
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


IMPORT_LOG = '''
import os, sys


class _Logger:
    """Notes which process imports icalendar, then lets the real import go on."""

    def find_spec(self, name, path=None, target=None):
        if name == "icalendar":
            with open(os.environ["ICAL_IMPORT_LOG"], "a") as log:
                log.write(f"{os.getpid()}\\n")
        return None


sys.meta_path.insert(0, _Logger())
'''


def test_the_day_reads_its_calendar_without_loading_the_calendar_libraries(
    breakctl_home: Path, tmp_path: Path
) -> None:
    """The real day holds for a calendar event, and the only process that imported
    icalendar is the helper: a sitecustomize on PYTHONPATH logs every importer's pid."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(IMPORT_LOG)
    log = tmp_path / "imports.log"
    now = datetime.now().astimezone()
    ics = breakctl_home / "cal.ics"
    ics.parent.mkdir(parents=True, exist_ok=True)
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//breakctl tests//EN\r\nBEGIN:VEVENT\r\n"
        "UID:call@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART:{(now - timedelta(hours=1)):%Y%m%dT%H%M%S}\r\n"
        f"DTEND:{(now + timedelta(hours=2)):%Y%m%dT%H%M%S}\r\n"
        "SUMMARY:Planning call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (breakctl_home / "config.toml").write_text(
        f'[holds]\nsources = ["calendar"]\ncalendar = [{json.dumps(str(ics))}]\n'
    )
    env = {
        **os.environ,
        "BREAKCTL_HOME": str(breakctl_home),
        "TERM": "xterm-256color",
        "PYTHONPATH": os.pathsep.join([str(hooks), os.environ.get("PYTHONPATH", "")]),
        "ICAL_IMPORT_LOG": str(log),
    }
    child = start_day(env, "3s")
    try:
        child.expect("Work")
        held, _ = watch(child, env, lambda s: s["state"] == "held")
        (label,) = held["held_by"]
        assert label.startswith("calendar: Planning call until ")
        importers = {int(pid) for pid in log.read_text().split()}
        assert importers, "the helper never imported icalendar"
        assert child.pid not in importers  # the day itself never did
    finally:
        child.close(force=True)
