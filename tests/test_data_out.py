"""`history --json/--csv` and `history export` on a terminal: data cannot drive it. Into a pipe,
the bytes are exactly as written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect

HOSTILE = "evil\x1b]52;c;ZXZpbA==\x07\x1b[2J\u009b31m"
RECORD = {
    "v": 1,
    "id": "a" * 32,
    "kind": "break",
    "routine": HOSTILE,
    "steps": [],
    "started": "2026-03-02T09:00:00.000+01:00",
    "ended": "2026-03-02T09:05:00.000+01:00",
    "active_s": 300,
    "outcome": "completed",
}


def home_with_history(breakctl_home: Path) -> dict[str, str]:
    folder = breakctl_home / "history"
    folder.mkdir(parents=True)
    (folder / "elsewhere.jsonl").write_text(json.dumps(RECORD) + "\n")
    return {**os.environ, "BREAKCTL_HOME": str(breakctl_home)}


def test_on_a_terminal_no_control_character_gets_through(breakctl_home: Path) -> None:
    env = home_with_history(breakctl_home)
    for args in (
        ["history", "--json"],
        ["history", "--csv"],
        ["history", "export", "--format", "ics"],
    ):
        child = pexpect.spawn(sys.executable, ["-m", "breakctl", *args], env=env, timeout=20)
        child.expect(pexpect.EOF)
        child.close()
        output = child.before.decode("utf-8", errors="replace")
        assert child.exitstatus == 0, output
        assert "\x1b" not in output and "\x07" not in output and "\u009b" not in output, args
        assert "evil" in output
        # JSON and CSV show the escape; iCalendar has none for it (RFC 5545 TEXT) and drops it
        assert "\\u001b" in output if "ics" not in args else "\ufffd]52" in output


def test_into_a_pipe_the_json_is_exactly_the_record(breakctl_home: Path) -> None:
    env = home_with_history(breakctl_home)
    done = subprocess.run(
        [sys.executable, "-m", "breakctl", "history", "--json"],
        env=env,
        capture_output=True,
        check=True,
    )
    assert json.loads(done.stdout)["routine"] == HOSTILE
