"""What presence sensing costs: importing each back-end's library, and one idle-time reading.

Usage: python benchmarks/presence.py [--smoke]   (run with the venv's own interpreter)
Prints the median wall time of `python -c "import LIBRARY"` for each back-end against
`python -c pass` (interleaved runs), the first reading in a fresh process (imports and
connecting included), and the cost of one steady idle_s() for x11 (a real Xvfb), wayland (a
real headless sway), tmux (a real tmux server with an attached client) and command (`echo`).
Then a work countdown of the real `breakctl start` with the wayland source against the same
countdown with presence off (`none`), measured in the same run: steady share of a core and
peak RSS (goals: <= 0.2 % of a core, <= 40 MiB). Needs Xvfb, sway and tmux for those rows;
prints "skipped" without them. Asserts nothing.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _timing import smoke_requested, time_commands
from countdown import run_block

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.presence_helpers

from breakctl.host.presence.settings import PresenceSettings
from breakctl.host.presence.sources import make_source
from tests.presence_helpers import tmux_server, xvfb
from tests.wayland_helpers import headless_sway

IMPORTS = {
    "python -c pass": "pass",
    "breakctl.host.presence.sources": "import breakctl.host.presence.sources",
    "x11: Xlib.display": "import Xlib.display",
    "gnome/freedesktop/logind: jeepney": "import jeepney, jeepney.io.blocking",
    "wayland: socket, select": "import socket, select, "
    "breakctl.host.presence.wayland, breakctl.host.presence.wayland_wire",
    "macos/tmux/command: subprocess": "import subprocess",
    "(ctypes + ctypes.util, not used)": "import ctypes, ctypes.util",
}
FIRST_READING = (
    "import os; from breakctl.host.presence.settings import PresenceSettings; "
    "from breakctl.host.presence.sources import make_source; "
    "make_source({name!r}, PresenceSettings(command='echo 1'), os.environ).idle_s()"
)


def per_call_ms(read: Callable[[], float], calls: int) -> float:
    read()  # connect first: the day keeps the connection
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        read()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    smoke = smoke_requested()
    runs, calls = (3, 20) if smoke else (21, 200)
    commands = {name: [sys.executable, "-c", code] for name, code in IMPORTS.items()}
    medians = time_commands(commands, runs)
    floor = medians["python -c pass"]
    print(f"import cost, {runs} interleaved runs each, median ms over `python -c pass`")
    for name, seconds in medians.items():
        print(f"  {name:<36}{seconds * 1000:>8.1f} ms  (+{(seconds - floor) * 1000:.1f})")

    settings = PresenceSettings(command="echo 1000")
    rows: dict[str, str] = {}
    first: dict[str, list[str]] = {}
    env_for: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        if shutil.which("Xvfb"):
            with xvfb() as display:
                env = {"DISPLAY": display}
                source = make_source("x11", settings, env)
                rows["x11 (Xvfb)"] = f"{per_call_ms(source.idle_s, calls):.3f} ms"
                source.close()
                env_for["x11"] = env
                first["x11"] = [sys.executable, "-c", FIRST_READING.format(name="x11")]
                first_ms = time_commands(first, runs, env=env)
                rows["x11 first reading, fresh process"] = f"{first_ms['x11'] * 1000:.1f} ms"
        else:
            rows["x11 (Xvfb)"] = "skipped: no Xvfb"
        if shutil.which("sway"):
            with headless_sway() as env:
                rows |= wayland_rows(settings, env, runs, calls)
        else:
            rows["wayland (headless sway)"] = "skipped: no sway"
        if shutil.which("tmux"):
            with tmux_server(Path(tmp)) as (env, _client):
                source = make_source("tmux", settings, env)
                rows["tmux (attached client)"] = f"{per_call_ms(source.idle_s, calls):.3f} ms"
        else:
            rows["tmux (attached client)"] = "skipped: no tmux"
        source = make_source("command", settings, {"PATH": "/usr/bin:/bin"})
        rows["command (echo 1000)"] = f"{per_call_ms(source.idle_s, calls):.3f} ms"
    print(f"one idle_s() on a kept connection, median of {calls}")
    for name, value in rows.items():
        print(f"  {name:<36}{value:>12}")
    print(f"  {'(python -c pass, for scale)':<36}{floor * 1000:>9.1f} ms")
    if shutil.which("sway"):
        wayland_countdown(5 if smoke else 60)


def wayland_rows(
    settings: PresenceSettings, env: dict[str, str], runs: int, calls: int
) -> dict[str, str]:
    source = make_source("wayland", settings, env)
    rows = {"wayland (headless sway)": f"{per_call_ms(source.idle_s, calls):.3f} ms"}
    source.close()
    first = {"wayland": [sys.executable, "-c", FIRST_READING.format(name="wayland")]}
    first_s = time_commands(first, runs, env={**os.environ, **env})["wayland"]
    rows["wayland first reading, fresh process"] = f"{first_s * 1000:.1f} ms"
    return rows


def wayland_countdown(work_s: int) -> None:
    """The day's cost with the wayland source, against presence off in the same run."""
    with headless_sway() as env:
        wayland = run_block(work_s, busy=False, presence="wayland", session=env)
        reference = run_block(work_s, busy=False, presence="none")
    caveat = " (smoke: window too short to judge)" if work_s < 60 else ""
    print(f"countdown, {work_s} s work block, real `breakctl start` in a pseudo-terminal{caveat}")
    print(f"  {'':<22}{'in use':>10}{'steady % core':>16}{'peak RSS':>12}")
    for name, r in (("wayland (sway)", wayland), ("none (reference)", reference)):
        print(f"  {name:<22}{r['source']!s:>10}{r['steady_pct']:>16.3f}{r['peak_mib']:>8.1f} MiB")
    print("  goals with wayland: <= 0.2 % of a core, <= 40 MiB")


if __name__ == "__main__":
    main()
