"""A routine run on its own (`breakctl routine NAME`) killed with kill -9: the next command
records its run so far once, as `recovered`. The run is the real command on a fake clock in a
forked process that sends itself SIGKILL at a scripted second; a real process killed in a pty
is at the end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.host.context import AppContext
from breakctl.status import read_routine_state
from breakctl.store.paths import Paths
from breakctl.store.state import StartLock, recover_routine, routine_lock_path
from tests import test_storage_faults as faults
from tests.fakes import FakeClock, ScriptedKeys
from tests.presence_helpers import poll
from tests.test_e2e_pty import SHORT, spawn
from tests.test_storage_faults import _status, fill, read_only

HOLD = """
[exercises.hold-{x}]
name = "Hold {x}"
position = "standing"
targets = ["core"]
hold = "20s"
cues = ["Hold still."]
"""
# ready 0-5, hold a 5-25, ready 25-30, hold b 30-50, ready 50-55, hold c 55-75
THREE = 'name = "three"\ntitle = "Three holds"\nrest = "5s"\n' + "".join(
    HOLD.format(x=x) + f'\n[[steps]]\nexercise = "hold-{x}"\n' for x in "abc"
)
tmpfs = faults.tmpfs  # a small file system of the test's own, to fill or make read-only


class KillAt(ScriptedKeys):
    """Scripted keys; at `kill_at` the process sends itself SIGKILL, as `kill -9` would."""

    def __init__(self, clock: FakeClock, script: dict, kill_at: float) -> None:
        super().__init__(clock, {**script, kill_at: "KILL"})

    def wait(self, timeout: float) -> str | None:
        key = super().wait(timeout)
        if key == "KILL":
            os.kill(os.getpid(), signal.SIGKILL)
        return key


@pytest.fixture
def home(paths: Paths) -> Paths:
    paths.routines_dir.mkdir(parents=True)
    (paths.routines_dir / "three.toml").write_text(THREE)
    return paths


def run_killed(paths: Paths, clock: FakeClock, script: dict, kill_at: float) -> None:
    """`breakctl routine three` in a child process, killed at `kill_at` seconds in."""
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        try:
            ctx = AppContext(paths=paths, clock=clock, keys=KillAt(clock, script, kill_at))
            CliRunner().invoke(app, ["routine", "three"], obj=ctx)
        finally:
            os._exit(3)  # not killed: the parent sees it
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status


def history(paths: Paths, clock: FakeClock, *args: str) -> list[dict]:
    result = CliRunner().invoke(app, ["history", *args, "--json"], obj=AppContext(paths, clock))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def at(clock: FakeClock, seconds: float) -> str:
    start = clock.now()
    return (start + timedelta(seconds=seconds)).isoformat(timespec="milliseconds")


def test_a_killed_run_is_recorded_once_with_its_steps_so_far(home: Paths, clock: FakeClock) -> None:
    run_killed(home, clock, {}, kill_at=40.0)  # in hold B, written at its start (30 s)
    assert home.routine_file.exists()  # what the dead run left
    (record,) = history(home, clock)
    assert record["kind"] == "routine" and record["outcome"] == "recovered"
    assert record["routine"] == "three" and record["planned_s"] == 75
    assert (record["started"], record["ended"]) == (at(clock, 0), at(clock, 30))
    assert (record["active_s"], record["paused_s"]) == (30, 0)
    assert record["steps"] == [
        {"exercise": "hold-a", "outcome": "done", "active_s": 20},
        {"exercise": "hold-b", "outcome": "skipped", "active_s": 0},  # begun: as a quit
        {"exercise": "hold-c", "outcome": "not-reached", "active_s": 0},
    ]
    assert not home.routine_file.exists()
    assert history(home, clock) == [record]  # another command adds nothing
    assert recover_routine(home) is None


def test_a_run_killed_while_paused_ends_at_its_last_heartbeat(
    home: Paths, clock: FakeClock
) -> None:
    run_killed(home, clock, {35.0: " "}, kill_at=50.0)  # paused 5 s into hold B
    (record,) = history(home, clock)
    # Written at the pause (35 s), then every 10 s while paused: 45 s.
    assert record["ended"] == at(clock, 45)
    assert (record["active_s"], record["paused_s"]) == (35, 10)
    assert [(s["outcome"], s["active_s"]) for s in record["steps"]] == [
        ("done", 20),
        ("skipped", 5),
        ("not-reached", 0),
    ]


def test_a_long_hold_is_written_every_ten_seconds(home: Paths, clock: FakeClock) -> None:
    """Killed 18 s into hold B (begun at 30 s): the heartbeat at 40 s bounds what is lost."""
    run_killed(home, clock, {}, kill_at=48.0)
    (record,) = history(home, clock)
    assert (record["ended"], record["active_s"]) == (at(clock, 40), 40)
    assert [(s["outcome"], s["active_s"]) for s in record["steps"]] == [
        ("done", 20),
        ("skipped", 10),
        ("not-reached", 0),
    ]


def test_a_run_killed_in_get_ready_leaves_that_step_not_reached(
    home: Paths, clock: FakeClock
) -> None:
    run_killed(home, clock, {}, kill_at=27.0)  # get ready for B, written at 25 s
    (record,) = history(home, clock)
    assert record["ended"] == at(clock, 25)
    assert [s["outcome"] for s in record["steps"]] == ["done", "not-reached", "not-reached"]


def test_a_run_killed_after_appending_its_record_is_not_recorded_twice(
    home: Paths, clock: FakeClock
) -> None:
    """Killed between appending its record and removing routine.json: the stable id."""
    run_killed(home, clock, {}, kill_at=40.0)
    left = json.loads(home.routine_file.read_text())
    (record,) = history(home, clock)
    home.routine_file.write_text(json.dumps(left))  # the same run's file, once more
    assert history(home, clock) == [record]
    assert not home.routine_file.exists()


def test_a_file_whose_run_is_alive_is_left_alone(home: Paths, clock: FakeClock) -> None:
    run_killed(home, clock, {}, kill_at=40.0)
    lock = StartLock(home, routine_lock_path(home))
    assert lock.acquire()  # as the live run holds it
    try:
        assert history(home, clock) == []
        assert read_routine_state(str(home.state_dir))["routine"] == "three"  # status shows it
        assert recover_routine(home) is None and home.routine_file.exists()
    finally:
        lock.release()
    assert read_routine_state(str(home.state_dir)) is None  # status recovers it on the way
    assert len(history(home, clock)) == 1


def test_an_unreadable_file_is_set_aside_not_deleted(home: Paths, clock: FakeClock) -> None:
    home.state_dir.mkdir(parents=True, exist_ok=True)
    home.routine_file.write_bytes(b'{"record": {"v": 1, "ki')  # torn by hand
    assert history(home, clock) == []
    assert not home.routine_file.exists()
    (aside,) = home.state_dir.glob("routine.unreadable-*.json")
    assert aside.read_bytes() == b'{"record": {"v": 1, "ki'


@pytest.mark.parametrize("fault", ["full disk", "read-only home"])
def test_a_history_it_cannot_write_keeps_the_file_for_later(
    tmpfs: Path, clock: FakeClock, fault: str
) -> None:
    paths = Paths(tmpfs, tmpfs, tmpfs)
    paths.routines_dir.mkdir()
    (paths.routines_dir / "three.toml").write_text(THREE)
    run_killed(paths, clock, {}, kill_at=40.0)
    left = paths.routine_file.read_bytes()
    fill(tmpfs) if fault == "full disk" else read_only(tmpfs)
    try:
        for args in (("routine", "list"), ("history", "--json")):
            result = CliRunner().invoke(app, list(args), obj=AppContext(paths, clock))
            assert result.exit_code == 0, result.output
            warnings = [line for line in result.stderr.splitlines() if "warning" in line]
            assert len(warnings) == 1, result.stderr
            assert "the routine a stopped run left is not recorded yet" in warnings[0]
            assert str(paths.routine_file) in warnings[0]
        status = _status(tmpfs)
        assert (status.returncode, status.stdout, status.stderr.count(b"\n")) == (0, b"", 1)
        assert b"Traceback" not in status.stderr
        assert paths.routine_file.read_bytes() == left  # kept for later
    finally:
        if fault == "full disk":
            (tmpfs / "filler").unlink()
        else:
            subprocess.run(["mount", "-o", "remount,rw", str(tmpfs)], check=True)
    assert [r["outcome"] for r in history(paths, clock)] == ["recovered"]
    assert not paths.routine_file.exists()


def test_a_real_routine_killed_in_a_terminal_is_recovered(breakctl_home: Path) -> None:
    (breakctl_home / "routines").mkdir(parents=True)
    (breakctl_home / "routines" / "short.toml").write_text(SHORT)
    child = spawn(breakctl_home, "routine", "short")
    child.expect("step 2 of 2")  # hold A done; the screen is drawn, then routine.json written
    # As status sees it: routine.json at step 2.
    poll(lambda: read_routine_state(str(breakctl_home)), lambda s: bool(s and s["step"] == 2), 10)
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    assert (breakctl_home / "routine.json").exists()
    env = {**os.environ, "BREAKCTL_HOME": str(breakctl_home)}
    command = [sys.executable, "-m", "breakctl", "history", "--json"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    (record,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert record["kind"] == "routine" and record["outcome"] == "recovered"
    assert record["routine"] == "short"
    assert [s["exercise"] for s in record["steps"]] == ["hold-a", "hold-b"]
    assert record["steps"][0]["outcome"] == "done"
    assert record["steps"][1]["outcome"] in ("skipped", "not-reached")
    started, ended = (datetime.fromisoformat(record[k]) for k in ("started", "ended"))
    assert ended > started
    assert not (breakctl_home / "routine.json").exists()
    files = list((breakctl_home / "history").glob("*.jsonl"))
    lines = [line for f in files for line in f.read_bytes().splitlines()]
    assert len(lines) == 1
    again = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert again.stdout == done.stdout  # once
