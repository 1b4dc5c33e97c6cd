"""The real program in a real pseudo-terminal, with second-long holds and real key presses."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

from tests.terminal import Terminal, interruptible

SHORT = """
name = "short"
title = "Short one"
rest = "1s"

[exercises.hold-a]
name = "Hold A"
position = "standing"
targets = ["core"]
hold = "2s"
cues = ["Hold still."]

[exercises.hold-b]
name = "Hold B"
position = "seated"
targets = ["neck"]
hold = "2s"
sides = true
cues = ["Other hold."]

[[steps]]
exercise = "hold-a"

[[steps]]
exercise = "hold-b"
"""


@pytest.fixture
def home(breakctl_home: Path) -> Path:
    (breakctl_home / "routines").mkdir(parents=True)
    (breakctl_home / "routines" / "short.toml").write_text(SHORT)
    return breakctl_home


def spawn(home: Path, *args: str) -> pexpect.spawn:
    # Unbuffered, the harsher way to run: each write goes straight to the terminal, where a
    # signal can cut it short (the screen must still arrive whole).
    env = {
        **os.environ,
        "BREAKCTL_HOME": str(home),
        "TERM": "xterm-256color",
        "COLUMNS": "90",
        "PYTHONUNBUFFERED": "1",
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "breakctl", *args],
        env=env,
        dimensions=(30, 90),
        timeout=15,
        encoding="utf-8",
        preexec_fn=interruptible,
    )


def records(home: Path) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted((home / "history").glob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]


def test_routine_runs_with_live_screen_and_keys(home: Path) -> None:
    child = spawn(home, "routine", "short")
    child.expect("Hold A")
    child.expect("step 1 of 2")
    child.send(" ")  # pause...
    child.expect("paused 0:02")  # over a second: the paused screen counts up, rounding up
    child.send(" ")  # ...and resume
    child.expect("step 2 of 2")  # not "Hold B": step 1 previews it ("Then: Hold B")
    child.send("n")  # skip the two-sided step
    child.expect("Short one done: 1 of 2 steps")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (record,) = records(home)
    assert record["outcome"] == "completed"
    assert [s["outcome"] for s in record["steps"]] == ["done", "skipped"]
    assert record["paused_s"] >= 1.0
    assert record["active_s"] < 6


def test_q_quits_with_exit_0(home: Path) -> None:
    child = spawn(home, "routine", "short")
    child.expect("Hold A")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert records(home)[0]["outcome"] == "quit"


def test_ctrl_c_exits_130_and_restores_the_terminal(home: Path) -> None:
    child = spawn(home, "routine", "short")
    child.expect("Hold A")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert records(home)[0]["outcome"] == "quit"
    assert "Traceback" not in (child.before or "")


@pytest.mark.parametrize("attempt", range(5))
def test_ctrl_c_at_the_very_first_output_is_recorded(home: Path, attempt: int) -> None:
    child = spawn(home, "routine", "short")
    child.expect(".")  # the first byte the program writes: the screen is starting
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    (record,) = records(home)
    assert record["outcome"] == "quit" and record["routine"] == "short"


def test_messages_take_one_line_of_the_start_screen(home: Path) -> None:
    """A hook that fails at each work block: its report takes the screen's message line
    instead of a printed line above the screen, so the screen does not move or grow."""
    (home / "config.toml").write_text('[hooks]\non_work_start = "echo boom >&2; exit 3"\n')
    child = spawn(home, "start", "--work", "2s", "--break", "2s", "--no-notify", "--no-presence")
    terminal = Terminal(90, 30)
    child.logfile_read = terminal
    failed = "hook on_work_start failed (exit 3): boom"
    child.expect("Work · block 1")
    child.expect_exact(failed)
    top = terminal.row_of("Work · block 1")
    assert terminal.text().count(failed) == 1
    child.expect("Work · block 2")  # the first message went with its phase
    child.expect_exact(failed)  # the second failure
    assert terminal.row_of("Work · block 2") == top  # the screen did not move down
    assert terminal.text().count(failed) == 1  # one line, replaced
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    final = terminal.text()  # the screen gone: each message it showed, listed once
    assert final.count(failed) == 1 and f"{failed} (2 times)" in final, final


def test_a_failing_session_end_hook_is_reported_after_the_screen(home: Path) -> None:
    """on_session_end runs as the session ends, after the last screen: its failure is one
    warning line on stderr then, not lost."""
    (home / "config.toml").write_text('[hooks]\non_session_end = "echo late >&2; exit 4"\n')
    child = spawn(home, "start", "--work", "30s", "--no-notify", "--no-presence")
    child.expect("Work · block 1")
    child.send("q")
    child.expect_exact("breakctl: warning: hook on_session_end failed (exit 4): late")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
