"""What reading the hold sources (#21) costs the work countdown, with the real `breakctl
start` in a pseudo-terminal (benchmarks/countdown.py's run).

Usage: python benchmarks/holds.py [--smoke]   (smoke: 5 s blocks, one run each)
Prints, for a 60 s work block run with every hold source on (`[holds] sources` = every source
this version has, with a calendar file, `programs` and a `command` configured, so each is
read every 15 s and when the break comes due) and the same block with holds off (`sources =
[]`), runs interleaved: CPU of the steady countdown as a share of one core, CPU of the whole
run, and peak RSS, side by side, with the ratio. Which sources were in use and why the others
were not (`breakctl holds --json`) is printed first. Goals: <= 0.2 % of a core, <= 40 MiB.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from _timing import BIN, smoke_requested
from countdown import run_block

ROOT = Path(__file__).resolve().parents[1]
CALENDAR = ROOT / "tests" / "data" / "holds" / "week.ics"
HOLD_SOURCES = ("microphone", "camera", "calendar", "dnd", "fullscreen", "programs", "command")
ALL_ON = (
    "[holds]\n"
    f"sources = {json.dumps(list(HOLD_SOURCES))}\n"
    f"calendar = [{json.dumps(str(CALENDAR))}]\n"
    'programs = ["obs", "zoom"]\n'
    'command = "false"\n'  # read, never holding: the break must come on time
)
OFF = "[holds]\nsources = []\n"


def sources_here() -> list[dict[str, object]]:
    """`breakctl holds --json` with every source on: which work here, and why not."""
    with tempfile.TemporaryDirectory() as home:
        Path(home, "config.toml").write_text(ALL_ON)
        env = {**os.environ, "BREAKCTL_HOME": home}
        done = subprocess.run(
            [str(BIN / "breakctl"), "holds", "--json"], env=env, capture_output=True, text=True
        )
    try:
        return list(json.loads(done.stdout)["sources"])
    except (ValueError, KeyError):
        raise SystemExit(f"breakctl holds --json failed: {done.stdout}{done.stderr}") from None


def main() -> None:
    smoke = smoke_requested()
    work_s, runs = (5, 1) if smoke else (60, 3)
    print("hold sources, every one on (breakctl holds --json):")
    for source in sources_here():
        works = "works" if source["works"] else f"not here: {source['why_not']}"
        print(f"  {source['name']:<11} {works}")
    results: dict[str, list[dict[str, float | str]]] = {"off": [], "on": []}
    for _ in range(runs):  # interleaved: machine noise hits both alike
        results["off"].append(run_block(work_s, busy=False, config=OFF))
        results["on"].append(run_block(work_s, busy=False, config=ALL_ON))
    print(f"{work_s} s work block in a pseudo-terminal, median of {runs} interleaved runs each:")
    columns = f"{'steady % core':>14} {'CPU whole run':>14} {'peak RSS':>10} {'late':>9}"
    print(f"  {'holds':<6} {columns}")
    median: dict[str, dict[str, float]] = {}
    for name, rows in results.items():
        median[name] = {
            key: statistics.median(float(row[key]) for row in rows)
            for key in ("steady_pct", "cpu_s", "peak_mib", "late_ms")
        }
        m = median[name]
        print(
            f"  {name:<6} {m['steady_pct']:>14.3f} {m['cpu_s']:>12.2f} s "
            f"{m['peak_mib']:>6.1f} MiB {m['late_ms']:>6.1f} ms"
        )
    off, on = median["off"], median["on"]
    ratio = on["cpu_s"] / off["cpu_s"] if off["cpu_s"] else float("nan")
    caveat = " (smoke: window too short to judge)" if smoke else ""
    print(
        f"  every source on: {on['steady_pct']:.3f} % of a core in the steady countdown (goal "
        f"<= 0.2 %){caveat}, {on['peak_mib']:.1f} MiB (goal <= 40 MiB); whole run "
        f"{ratio:.2f}x the CPU of holds off"
    )


if __name__ == "__main__":
    main()
