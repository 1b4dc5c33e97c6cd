"""#18 for real: `breakctl start` in a pseudo-terminal, a break skipped through with `n n n`
(cut short: not taken) and a break whose whole routine was done, then `q` (completed, and the
day ends). Every wait is for something on the screen or the process's end, never a time."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

TINY = """
name = "tiny"
title = "Tiny one"
rest = "1s"

[exercises.hold-a]
name = "Hold A"
position = "standing"
targets = ["core"]
hold = "1s"
cues = ["Hold still."]

[[steps]]
exercise = "hold-a"

[[steps]]
exercise = "hold-a"
"""


@pytest.fixture
def home(breakctl_home: Path) -> Path:
    (breakctl_home / "routines").mkdir(parents=True)
    (breakctl_home / "routines" / "tiny.toml").write_text(TINY)
    # The same with minute-long holds: no step can end by itself before its `n` arrives.
    slow = TINY.replace('"tiny"', '"slow"').replace('hold = "1s"', 'hold = "60s"')
    (breakctl_home / "routines" / "slow.toml").write_text(slow)
    return breakctl_home


def start(home: Path, routine: str) -> pexpect.spawn:
    env = {**os.environ, "BREAKCTL_HOME": str(home), "TERM": "xterm-256color", "COLUMNS": "100"}
    args = [
        "start",
        "--work",
        "10m",
        "--break",
        "5m",
        "--routine",
        routine,
        "--no-notify",
        "--no-presence",
    ]
    return pexpect.spawn(
        sys.executable,
        ["-m", "breakctl", *args],
        env=env,
        dimensions=(30, 100),
        timeout=30,
        encoding="utf-8",
    )


def records(home: Path) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted((home / "history").glob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]


def test_n_n_n_through_a_break_is_cut_short(home: Path) -> None:
    child = start(home, "slow")
    child.expect("Work · block 1")
    child.send("b")  # break now
    child.expect("step 1 of 2")
    child.send("n")
    child.expect("step 2 of 2")
    child.send("n")
    child.expect("Free movement")
    child.send("n")  # the free movement too: the break is over, well before half of it
    child.expect("Work · block 2")
    child.send("q")
    child.expect_exact("Today: <1m worked, 0 breaks taken, 0 skipped, 1 cut-short, 0m moving")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    work, rest, last = records(home)
    assert (work["kind"], work["outcome"]) == ("work", "completed")
    assert (rest["kind"], rest["outcome"], rest["routine"]) == ("break", "cut-short", "slow")
    assert [s["outcome"] for s in rest["steps"]] == ["skipped", "skipped"]
    assert rest["planned_s"] == 300 and rest["active_s"] < 150
    assert (last["kind"], last["outcome"]) == ("work", "interrupted")


def test_the_whole_routine_then_q_is_completed_and_ends_the_day(home: Path) -> None:
    child = start(home, "tiny")
    child.expect("Work · block 1")
    child.send("b")
    child.expect("step 2 of 2")
    child.expect("Free movement")  # both steps done, by the clock
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    work, rest = records(home)  # the day ended with the break: nothing after it
    assert (work["kind"], work["outcome"]) == ("work", "completed")
    assert (rest["kind"], rest["outcome"], rest["routine"]) == ("break", "completed", "tiny")
    assert [s["outcome"] for s in rest["steps"]] == ["done", "done"]
    assert rest["planned_s"] == 300 and 2 <= rest["active_s"] < 150
    assert not (home / "current.json").exists()
