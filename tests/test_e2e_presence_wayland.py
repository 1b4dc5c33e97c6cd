"""`breakctl presence` end to end in a Wayland session: the real program against a real
headless sway, with wtype as the person at the keyboard."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.wayland_helpers import headless_sway, wtype

DEADLINE_S = 30.0


def program_env(home: Path, session: dict[str, str]) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISPLAY", "DBUS_", "TMUX", "XDG_", "WAYLAND_", "SWAYSOCK"))
    }
    clean |= {"BREAKCTL_HOME": str(home), "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={home}/none"}
    return clean | {k: session[k] for k in ("WAYLAND_DISPLAY", "XDG_RUNTIME_DIR") if k in session}


def test_presence_json_uses_wayland_and_says_through_what(breakctl_home: Path) -> None:
    with headless_sway() as session:
        env = program_env(breakctl_home, session)
        command = [sys.executable, "-m", "breakctl", "presence"]
        done = subprocess.run([*command, "--json"], env=env, capture_output=True, timeout=60)
        text = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"name": "wayland", "works": True, "why_not": None} in data["sources"]
    assert (data["in_use"], data["via"]) == ("wayland", "org_kde_kwin_idle")
    # One reading in a fresh process waits out the first timeout: idle at least 1 s, as
    # nobody types on a headless compositor.
    assert 1.0 <= data["idle_s"] < DEADLINE_S
    assert text.returncode == 0, text.stderr
    assert "wayland      works (org_kde_kwin_idle)" in text.stdout.splitlines()
    assert "in use: wayland (source = auto)" in text.stdout


def read_until(
    process: subprocess.Popen[str], ok: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """Lines of `presence --watch --json` until one satisfies `ok` (or the deadline)."""
    assert process.stdout is not None
    end = time.monotonic() + DEADLINE_S
    seen: list[str] = []
    while time.monotonic() < end:
        ready, _, _ = select.select([process.stdout], [], [], end - time.monotonic())
        if not ready:
            break
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        data: dict[str, Any] = json.loads(line)
        if ok(data):
            return data
    raise AssertionError(f"no such line in {seen[-5:]} (exit {process.poll()})")


def test_watch_shows_the_idle_time_drop_after_a_real_key(breakctl_home: Path) -> None:
    with headless_sway() as session:
        env = program_env(breakctl_home, session)
        watch = subprocess.Popen(
            [sys.executable, "-m", "breakctl", "presence", "--watch", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            before = read_until(watch, lambda line: (line["idle_s"] or 0) >= 2.0)
            assert before["in_use"] == "wayland"
            wtype(session, "x")
            after = read_until(
                watch, lambda line: line["idle_s"] is not None and line["idle_s"] < 1.0
            )
            assert after["in_use"] == "wayland"
        finally:
            os.killpg(watch.pid, signal.SIGINT)
            try:
                watch.wait(timeout=DEADLINE_S)
            except subprocess.TimeoutExpired:
                os.killpg(watch.pid, signal.SIGKILL)
                watch.wait()
        assert watch.returncode == 130, watch.stderr.read() if watch.stderr else ""


def test_watch_without_wayland_reads_the_configured_source(breakctl_home: Path) -> None:
    breakctl_home.mkdir(parents=True, exist_ok=True)
    (breakctl_home / "config.toml").write_text('[presence]\ncommand = "echo 61500"\n')
    watch = subprocess.Popen(
        [sys.executable, "-m", "breakctl", "presence", "--watch"],
        env=program_env(breakctl_home, {}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert watch.stdout is not None
        first = watch.stdout.readline()  # the first reading comes at once
        second = watch.stdout.readline()
    finally:
        os.killpg(watch.pid, signal.SIGINT)
        watch.wait(timeout=DEADLINE_S)
    assert first == second == "idle: 1m2s (command)\n"
    assert watch.returncode == 130
