"""The break brought to you (#20): what a day pays, in a break, for listening for its
notification's "Start the routine" action.

Usage: python benchmarks/bring.py [--smoke]   (run with the venv's own interpreter)
A real `breakctl start --headless` (presence off, a 2 s block, then a 10-minute break) on a
private dbus-daemon with the tests' stub notification server (it offers actions). Runs
interleave `[start] bring_break = ["notify"]` (the notification with its action, and the
thread blocked on the bus until the break ends) with `bring_break = []` (the plain alert);
each window starts once the break has been brought (or, off, has begun).
Prints the day's CPU as a share of one core over the window and its RSS, medians of the runs
for each, and the difference (goal: listening adds nothing measurable; the day stays within
its 0.2 % of a core). Asserts nothing. `--smoke`: one 4 s window each.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from _timing import BIN, byte_compile_breakctl, smoke_requested
from daemon import DEADLINE_S, measure_window, wait_for_state

STUB = Path(__file__).resolve().parents[1] / "tests" / "dbus_stub_service.py"
BROUGHT = "break brought to you by a notification with its action"


@contextlib.contextmanager
def private_bus(folder: Path) -> Iterator[str]:
    """A session dbus-daemon and the stub notification server on it; its address."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address",
         f"--address=unix:dir={folder}"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    stub = subprocess.Popen(
        [sys.executable, str(STUB), address, "notifications"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert stub.stdout is not None and stub.stdout.readline().strip() == "ready"
        yield address
    finally:
        for process in (stub, daemon):
            process.terminate()
            process.wait()


def one_run(home: Path, bus: str, ways: str, seconds: float) -> dict[str, float]:
    (home / "config.toml").write_text(f"[start]\nbring_break = {ways}\n")
    env = {**os.environ, "BREAKCTL_HOME": str(home), "DBUS_SESSION_BUS_ADDRESS": bus}
    env.pop("TMUX", None)
    log = home / "headless.log"
    with log.open("w") as out:
        day = subprocess.Popen(
            [str(BIN / "breakctl"), "start", "--headless", "--no-presence", "--work", "2s",
             "--break", "10m", "--cycles", "1"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for_state(home, lambda state: state.get("phase") == "break")
        if ways != "[]":
            end = time.monotonic() + DEADLINE_S
            while BROUGHT not in log.read_text():
                if time.monotonic() > end:
                    raise SystemExit(f"the break was not brought: {log.read_text()[-500:]}")
                time.sleep(0.05)
        return measure_window(day.pid, seconds)
    finally:
        subprocess.run([str(BIN / "breakctl"), "stop"], env=env, capture_output=True, timeout=60)
        try:
            day.wait(timeout=DEADLINE_S)
        except subprocess.TimeoutExpired:
            day.kill()
            day.wait()


def main() -> None:
    smoke = smoke_requested()
    runs, seconds = (1, 4.0) if smoke else (3, 20.0)
    byte_compile_breakctl()
    results: dict[str, list[dict[str, float]]] = {'["notify"]': [], "[]": []}
    with tempfile.TemporaryDirectory() as scratch, private_bus(Path(scratch)) as bus:
        for run in range(runs):
            for number, ways in enumerate(results):
                home = Path(scratch) / f"home-{run}-{number}"
                home.mkdir()
                results[ways].append(one_run(home, bus, ways, seconds))
    print(f"a headless day in a break, {runs} run(s) of {seconds:g} s each, medians:")
    medians = {}
    for ways, figures in results.items():
        cpu = statistics.median(f["own_pct"] for f in figures)
        rss = statistics.median(f["rss"] for f in figures)
        medians[ways] = cpu
        print(f"  bring_break = {ways:<11} CPU {cpu:.3f} % of a core, RSS {rss:.1f} MiB")
    difference = medians['["notify"]'] - medians["[]"]
    print(f"  listening for the action: {difference:+.3f} % of a core (goal: ~0; the day <= 0.2 %)")


if __name__ == "__main__":
    main()
