"""`breakctl status` against the floor: a minimal stdlib console script that reads a small JSON
file and prints a line, and `python -c pass`. Goal: status within 1.25x of the reference.

Usage: python benchmarks/status.py [--smoke]   (run with the venv's own interpreter)
The state file is made to look live (this process holds start's lock), so status takes its
normal path: read current.json, compute, print.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
import time
from pathlib import Path

from _timing import BIN, byte_compile_breakctl, smoke_requested, time_commands

# What pip writes as a console script, around a main that does the minimum status must do.
REFERENCE = """\
import re
import sys
import json, os, time


def main():
    with open(os.path.join(os.environ["BREAKCTL_HOME"], "current.json")) as handle:
        state = json.load(handle)
    left = max(0, state["ends_at_epoch"] - time.time())
    print(f"work {int(left // 60):02d}:{int(left % 60):02d}")


if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
    sys.exit(main())
"""


def main() -> None:
    runs = 5 if smoke_requested() else 40
    byte_compile_breakctl()
    with tempfile.TemporaryDirectory() as home:
        state = {
            "v": 1,
            "pid": os.getpid(),
            "phase": "work",
            "paused": False,
            "cycle": 2,
            "cycles": 4,
            "routine": "desk",
            "remaining_s": 754,
            "planned_s": 1500,
            "ends_at": "2026-03-02T09:42:34+01:00",
            "ends_at_epoch": time.time() + 754,
            "today": {"date": "2026-03-02", "breaks": 3},
        }
        Path(home, "current.json").write_text(json.dumps(state))
        lock = os.open(Path(home, "start.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(lock, fcntl.LOCK_EX)  # a live `start` holds this
        reference = Path(home, "reference_status.py")
        reference.write_text(REFERENCE)
        python = str(BIN / "python")
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "reference script": [python, str(reference)],
            "breakctl status": [str(BIN / "breakctl"), "status"],
            "breakctl status --json": [str(BIN / "breakctl"), "status", "--json"],
        }
        medians = time_commands(commands, runs, env={"BREAKCTL_HOME": home})
        os.close(lock)
    floor, reference_s = medians["python -c pass"], medians["reference script"]
    print(f"{runs} interleaved runs each, medians")
    print(f"{'command':<26}{'ms':>8}{'x pass':>9}{'x reference':>13}")
    for name, seconds in medians.items():
        print(
            f"{name:<26}{seconds * 1000:>8.1f}{seconds / floor:>9.2f}{seconds / reference_s:>13.2f}"
        )
    ratio = medians["breakctl status"] / reference_s
    caveat = "smoke: too few runs to judge" if smoke_requested() else "goal: at most 1.25"
    print(f"breakctl status / reference = {ratio:.2f} ({caveat})")


if __name__ == "__main__":
    main()
