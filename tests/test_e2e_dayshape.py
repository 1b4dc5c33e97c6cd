"""The real program in a real pseudo-terminal: working hours that end a few seconds in, and a
meeting pause sent from another process that resumes by itself.

Working hours are whole minutes, so the test picks a time zone whose offset has seconds in it
(a POSIX TZ rule like BRK-0:00:17) to put the local clock 15 seconds before a minute ends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pexpect

from breakctl.store.paths import Paths
from tests.history_helpers import written

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def local_time_zone(seconds_left: int) -> tuple[str, timezone]:
    """A TZ value that puts local time `seconds_left` before the end of a minute."""
    now = datetime.now(UTC)
    offset = (60 - seconds_left - now.second) % 60
    return f"BRK-0:00:{offset:02d}", timezone(timedelta(seconds=offset))


def run(home: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "breakctl", *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=30,
    )


def test_hours_end_a_few_seconds_in_and_a_timed_pause_resumes_itself(breakctl_home: Path) -> None:
    tz, zone = local_time_zone(15)
    local = datetime.now(zone)
    end = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    day = DAYS[local.weekday()]
    breakctl_home.mkdir(parents=True, exist_ok=True)
    (breakctl_home / "config.toml").write_text(
        f"[start]\nnotify = false\nbell = false\n\n[schedule]\n"
        f'{day} = ["{local:%H:%M}-{end:%H:%M}"]\n'
    )
    env = {
        **os.environ,
        "BREAKCTL_HOME": str(breakctl_home),
        "TZ": tz,
        "TERM": "xterm-256color",
        "COLUMNS": "90",
    }
    env.pop("TMUX", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "breakctl", "start"],
        env=env,
        dimensions=(30, 90),
        timeout=30,
        encoding="utf-8",
    )
    try:
        child.expect("Work · block 1")
        sent = run(breakctl_home, env, "pause", "3s")
        assert sent.returncode == 0, sent.stderr
        assert "pause until" in sent.stdout and "sent to the day" in sent.stdout
        child.expect(r"paused (00|0):0[0-3] \(until")
        status = json.loads(run(breakctl_home, env, "status", "--json").stdout)
        assert status["state"] == "paused" and status["resumes_at"] is not None
        assert 0 < status["remaining_s"] <= 3
        # It resumes by itself, then working hours end: off until next week, same time.
        child.expect(f"off until {local:%a} {local:%H:%M}")
        status = json.loads(run(breakctl_home, env, "status", "--json").stdout)
        assert status["state"] == "off" and status["remaining_s"] > 6 * 24 * 3600
        assert run(breakctl_home, env, "status").stdout.startswith("off ")
        refused = run(breakctl_home, env, "skip")
        assert refused.returncode == 1
        assert refused.stderr.startswith(f"breakctl: off until {local:%a} {local:%H:%M}")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    (work,) = written(Paths(breakctl_home, breakctl_home, breakctl_home))
    assert (work["kind"], work["outcome"]) == ("work", "completed")
    assert datetime.fromisoformat(work["ended"]) == end  # ended with working hours
    # The pause ends 3 s after it was asked for; the running start reads commands once a
    # second, so it began up to a second later.
    assert 1.9 <= work["paused_s"] <= 3.1
    assert abs(work["active_s"] + work["paused_s"] - work["planned_s"]) < 0.5
