"""The command line `service install` writes is one that runs a day: the unit's ExecStart and
Environment=, read back from the file and started as systemd would (its own session, output
to a pipe, only the unit's environment), prints its first phase line, and `breakctl stop`
ends it with the block recorded. No user systemd runs in the test container, so the test
starts the command itself; `systemd-analyze verify` (test_service.py) checks the rest."""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from breakctl.core.record_codec import encode
from breakctl.core.records import SCHEMA_VERSION, Record
from breakctl.store.history_dir import locate_history
from breakctl.store.paths import Paths
from tests.presence_helpers import alive
from tests.test_service import BREAKCTL, Place, odd_breakctl

DEADLINE_S = 60.0  # only a broken program waits this long


def unit_command(unit: Path) -> tuple[list[str], dict[str, str]]:
    """ExecStart's words and Environment='s assignments, unquoted as systemd reads them
    (for what install writes: double quotes, %% for %, $$ for $ after the program)."""
    argv: list[str] = []
    env: dict[str, str] = {}
    for line in unit.read_text().splitlines():
        key, _, value = line.partition("=")
        words = [word.replace("%%", "%") for word in shlex.split(value)] if value else []
        if key == "ExecStart":
            argv = words[:1] + [word.replace("$$", "$") for word in words[1:]]
        elif key == "Environment":
            env.update(word.split("=", 1) for word in words)  # type: ignore[misc]
    return argv, env


@pytest.fixture
def day_process() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:  # whatever happened, nothing the test started outlives it
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)


def first_line(process: subprocess.Popen[str]) -> str:
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    return lines.get(timeout=DEADLINE_S)


@pytest.mark.parametrize("odd", [False, True], ids=["plain", "quoted"])
def test_the_units_command_line_runs_a_headless_day(
    tmp_path: Path, day_process: list[subprocess.Popen[str]], odd: bool
) -> None:
    place = Place(tmp_path)
    program = odd_breakctl(place) if odd else BREAKCTL
    done = place.run("service", "install", "--kind", "systemd", program=program)
    assert done.returncode == 0, done.stderr
    argv, unit_env = unit_command(place.unit)
    assert argv[1:] == ["start", "--headless"]
    # What a user manager gives a unit: little more than HOME and a plain PATH.
    env = {"HOME": place.env["HOME"], "PATH": "/usr/local/bin:/usr/bin:/bin", **unit_env}
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    day_process.append(process)
    line = first_line(process)
    assert re.fullmatch(r"\d\d:\d\d:\d\d  work block 1: 25:00 \(break at \d\d:\d\d\)\n", line), line
    status = place.run("status", "--json")
    assert json.loads(status.stdout)["mode"] == "background"
    day = json.loads(place.run("service", "status", "--json").stdout)["day"]
    assert (day["running"], day["pid"], day["phase"], day["mode"]) == (
        True,
        process.pid,
        "work",
        "background",
    )
    assert day["socket"] is not None and Path(day["socket"]).is_socket()
    plain = place.run("service", "status").stdout
    assert f"day: runs (background): pid {process.pid}, work" in plain
    stopped = place.run("stop")
    assert stopped.returncode == 0, stopped.stderr
    assert process.wait(DEADLINE_S) == 0
    history = list((Path(place.env["BREAKCTL_HOME"])).rglob("*.jsonl"))
    records = [json.loads(x) for path in history for x in path.read_text().splitlines()]
    assert [(r["kind"], r["outcome"]) for r in records] == [("work", "interrupted")]


def test_a_headless_day_past_the_daily_limit_waits_for_midnight(
    tmp_path: Path, day_process: list[subprocess.Popen[str]]
) -> None:
    """In a terminal the limit ends the day; the service's day is off until midnight instead,
    and goes on the next day."""
    now = datetime.now().astimezone()
    if now.time() < datetime.min.replace(minute=3).time():
        pytest.skip("a record 75 s long must fit in today")
    place = Place(tmp_path)
    home = Path(place.env["BREAKCTL_HOME"])
    home.mkdir()
    (home / "config.toml").write_text('[goals]\nwork_per_day = "1m"\n')
    worked = Record(
        v=SCHEMA_VERSION, id="a" * 32, kind="work", cycle=1, planned_s=1500.0,
        started=now - timedelta(seconds=75), ended=now - timedelta(seconds=2), active_s=70.0,
        outcome="completed",
    )  # fmt: skip
    history = locate_history(Paths.from_env(place.env), place.env).host_file
    history.parent.mkdir(parents=True, exist_ok=True)
    history.write_bytes(encode(worked))
    in_terminal = place.run("start", "--no-presence", "--no-notify")
    assert (
        in_terminal.returncode == 0 and "the daily limit of work is reached" in in_terminal.stdout
    )
    process = subprocess.Popen(
        [str(BREAKCTL), "start", "--headless", "--no-presence", "--no-notify"],
        env=place.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    day_process.append(process)
    tomorrow = (now + timedelta(days=1)).strftime("%a")
    assert first_line(process).endswith(f"  off until {tomorrow} 00:00\n")
    told = first_line(process)
    assert told.endswith("  1m of work today: time to stop; this block is the last today\n")
    assert json.loads(place.run("status", "--json").stdout)["state"] == "off"
    assert place.run("stop").returncode == 0
    assert process.wait(DEADLINE_S) == 0


def test_autostart_now_starts_a_background_day_and_remove_leaves_it_running(
    tmp_path: Path,
) -> None:
    place = Place(tmp_path)
    pids: list[int] = []
    try:
        done = place.run("service", "install", "--kind", "autostart", "--now")
        assert done.returncode == 0, done.stderr
        day = json.loads(place.run("service", "status", "--json").stdout)["day"]
        pids.append(day["pid"])
        assert day["running"] and day["mode"] == "background", day
        assert f"pid {day['pid']}" in done.stdout  # start --detach's own line
        again = place.run("service", "install", "--kind", "autostart", "--now")
        assert f"a day already runs (pid {day['pid']})" in again.stdout
        removed = place.run("service", "remove")
        assert removed.returncode == 0 and not place.desktop.exists()
        assert f"left: the day still runs (pid {day['pid']}); `breakctl stop` ends it" in (
            removed.stdout
        )
    finally:
        place.run("stop")  # the day the test started ends with the test, whatever happened
        for pid in pids:
            end_by_pid(pid)
    assert json.loads(place.run("service", "status", "--json").stdout)["day"]["running"] is False


def end_by_pid(pid: int) -> None:
    """A background day (not our child) gone: asked by `stop`, killed if still there late."""
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.05)
    if alive(pid):
        os.killpg(pid, signal.SIGKILL)
