"""`breakctl start` for real: a pseudo-terminal, second-long blocks, signals from outside."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from tests.presence_helpers import poll
from tests.terminal import interruptible


def env(home: Path) -> dict[str, str]:
    return {**os.environ, "BREAKCTL_HOME": str(home), "TERM": "xterm-256color", "COLUMNS": "100"}


def spawn(home: Path, *args: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "breakctl", *args],
        env=env(home),
        dimensions=(30, 100),
        timeout=20,
        encoding="utf-8",
        preexec_fn=interruptible,
    )


def breakctl(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "breakctl", *args],
        env=env(home),
        capture_output=True,
        text=True,
        timeout=20,
    )


def records(home: Path) -> list[dict]:
    # This machine's file in the history folder (one machine here: the only file there).
    return [
        json.loads(x)
        for path in sorted((home / "history").glob("*.jsonl"))
        for x in path.read_text().splitlines()
    ]


def wait_for_state(home: Path, phase: str = "work") -> dict:
    """The state file once it names `phase` (written after the first screen)."""

    def read() -> dict:
        try:
            return json.loads((home / "current.json").read_text())
        except (OSError, ValueError):
            return {}

    return poll(read, lambda state: state.get("phase") == phase, deadline_s=60)


def wait_for_elapsed(home: Path, seconds: float) -> None:
    """Until `status` (counting on from the state file) has the block `seconds` in."""

    def remaining() -> float:
        return json.loads(breakctl(home, "status", "--json").stdout)["remaining_s"]

    planned = wait_for_state(home)["planned_s"]
    poll(remaining, lambda left: left <= planned - seconds, deadline_s=60)


def test_two_full_cycles(breakctl_home: Path) -> None:
    child = spawn(
        breakctl_home, "start", "--work", "2s", "--break", "2s", "--cycles", "2", "--no-notify"
    )
    child.expect("Work · block 1 of 2")
    child.expect("Free movement")
    child.expect("Work · block 2 of 2")
    child.expect("Today: ")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    got = [(r["kind"], r["cycle"], r["outcome"]) for r in records(breakctl_home)]
    assert got == [
        ("work", 1, "completed"),
        ("break", 1, "completed"),
        ("work", 2, "completed"),
        ("break", 2, "completed"),
    ]
    assert all(abs(r["active_s"] - 2) < 0.5 for r in records(breakctl_home))
    assert not (breakctl_home / "current.json").exists()


def test_keys_pause_break_now_skip_and_quit(breakctl_home: Path) -> None:
    child = spawn(breakctl_home, "start", "--work", "60s", "--break", "60s", "--no-notify")
    child.expect("Work · block 1")
    child.send(" ")
    child.expect("paused")
    assert "paused" in breakctl(breakctl_home, "status").stdout
    child.send(" ")
    child.send("b")  # break now: a 60 s break fits the 59 s micro routine
    child.expect("Break after block 1")
    child.send("s")  # skip the rest of the break
    child.expect("Work · block 2")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    got = [(r["kind"], r["outcome"]) for r in records(breakctl_home)]
    assert got == [("work", "completed"), ("break", "skipped"), ("work", "interrupted")]
    assert records(breakctl_home)[0]["active_s"] < 10


def test_status_pause_and_stop_from_another_terminal(breakctl_home: Path) -> None:
    child = spawn(breakctl_home, "start", "--work", "60s", "--no-notify")
    child.expect("Work · block 1")
    wait_for_state(breakctl_home)
    status = breakctl(breakctl_home, "status")
    assert status.returncode == 0 and re.match(r"work (1:00|0:5\d)\n", status.stdout)
    assert json.loads(breakctl(breakctl_home, "status", "--json").stdout)["state"] == "work"
    assert breakctl(breakctl_home, "pause").returncode == 0
    child.expect("paused")
    assert breakctl(breakctl_home, "status").stdout.startswith("paused")
    assert breakctl(breakctl_home, "stop").returncode == 0
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (record,) = records(breakctl_home)
    assert (record["kind"], record["outcome"]) == ("work", "interrupted")
    assert record["paused_s"] > 0
    assert breakctl(breakctl_home, "status").stdout == ""


def test_a_second_start_with_options_is_refused(breakctl_home: Path) -> None:
    # (A bare `start` attaches to the running day instead: tests/test_e2e_attach.py.)
    child = spawn(breakctl_home, "start", "--work", "60s", "--no-notify")
    child.expect("Work · block 1")
    wait_for_state(breakctl_home)
    second = breakctl(breakctl_home, "start", "--work", "30m")
    assert second.returncode == 1 and f"already running (pid {child.pid})" in second.stderr
    assert "`breakctl attach`" in second.stderr and "`breakctl stop`" in second.stderr
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGHUP, 129), (signal.SIGTERM, 143)])
def test_sighup_and_sigterm_leave_one_interrupted_record(
    breakctl_home: Path, signum: int, code: int
) -> None:
    child = spawn(breakctl_home, "start", "--work", "60s", "--no-notify")
    child.expect("Work · block 1")
    wait_for_elapsed(breakctl_home, 1)
    child.kill(signum)
    child.expect(pexpect.EOF)
    child.close()
    # It must exit with its own status: dying of the signal would mean nothing was recorded
    # on purpose (and SIGKILL has its own test below).
    assert (child.exitstatus, child.signalstatus) == (code, None)
    (record,) = records(breakctl_home)
    assert (record["kind"], record["outcome"]) == ("work", "interrupted")
    assert record["active_s"] >= 1
    assert not (breakctl_home / "current.json").exists()


def test_kill_9_is_recovered_once_by_the_next_command(breakctl_home: Path) -> None:
    child = spawn(breakctl_home, "start", "--work", "60s", "--no-notify")
    child.expect("Work · block 1")
    wait_for_state(breakctl_home)
    child.kill(signal.SIGKILL)
    child.close()
    assert records(breakctl_home) == []
    assert breakctl(breakctl_home, "status").stdout == ""  # nothing runs any more...
    (record,) = records(breakctl_home)  # ...and the lost block is in history, once
    assert (record["kind"], record["outcome"]) == ("work", "recovered")
    breakctl(breakctl_home, "stats")
    assert len(records(breakctl_home)) == 1
