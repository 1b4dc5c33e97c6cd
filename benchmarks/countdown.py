"""What a work countdown costs and how punctually it ends, with the real `breakctl start` in a
pseudo-terminal.

Usage: python benchmarks/countdown.py [--smoke]   (smoke: 5 s blocks instead of 60 s)
Prints, for a 60 s work block: CPU seconds in all and in the steady countdown (start-up
excluded) as a share of one core, peak RSS, and how late the break began against its deadline,
idle and with both cores kept busy. Goals: <= 0.2 % of a core, <= 40 MiB, <= 20 ms late.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pty
import resource
import select
import subprocess
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from _timing import BIN, smoke_requested

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def burn(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def run_block(work_s: int, busy: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        primary, secondary = pty.openpty()
        env = {**os.environ, "BREAKCTL_HOME": home, "TERM": "xterm-256color"}
        argv = [str(BIN / "breakctl"), "start", "--work", f"{work_s}s", "--break", "1s",
                "--cycles", "1", "--no-notify"]  # fmt: skip
        burners = []
        if busy:
            burners = [multiprocessing.Process(target=burn, args=(work_s + 10,)) for _ in range(2)]
            for burner in burners:
                burner.start()
        child = subprocess.Popen(argv, stdin=secondary, stdout=secondary, stderr=secondary,
                                 env=env, start_new_session=True)  # fmt: skip
        os.close(secondary)
        bell_at: datetime | None = None
        window_start: tuple[float, float] | None = None  # (monotonic, child CPU seconds)
        window_end: tuple[float, float] | None = None
        started = time.monotonic()
        while child.poll() is None:
            ready, _, _ = select.select([primary], [], [], 0.05)
            if ready:
                try:
                    data = os.read(primary, 65536)
                except OSError:
                    break
                if bell_at is None and b"\a" in data:
                    bell_at = datetime.now().astimezone()  # the break's bell reached the terminal
                    window_end = (time.monotonic(), cpu_seconds(child.pid))
            # The steady countdown: from a few seconds in (start-up over) to the break.
            if window_start is None and time.monotonic() - started >= min(5, work_s / 2):
                window_start = (time.monotonic(), cpu_seconds(child.pid))
        child.wait()
        os.close(primary)
        for burner in burners:
            burner.terminate()
        work = json.loads(Path(home, "history.jsonl").read_text().splitlines()[0])
        deadline = datetime.fromisoformat(work["started"]) + timedelta(seconds=work_s)
        late_ms = (bell_at - deadline).total_seconds() * 1000 if bell_at else float("nan")
        steady = float("nan")
        if window_start and window_end and window_end[0] > window_start[0]:
            steady = 100 * (window_end[1] - window_start[1]) / (window_end[0] - window_start[0])
        return {"late_ms": late_ms, "steady_pct": steady}


def main() -> None:
    work_s = 5 if smoke_requested() else 60
    idle = run_block(work_s, busy=False)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total_cpu = usage.ru_utime + usage.ru_stime
    peak_mib = usage.ru_maxrss / 1024
    loaded = run_block(work_s, busy=True)
    print(f"{work_s} s work block in a pseudo-terminal (the work frame redrawn once a second)")
    share = 100 * total_cpu / (work_s + 1)
    print(f"  CPU, whole run incl. start-up: {total_cpu:.2f} s ({share:.2f} % of a core)")
    caveat = " (smoke: window too short to judge)" if smoke_requested() else " (goal <= 0.2 %)"
    print(f"  CPU, steady countdown:         {idle['steady_pct']:.3f} % of a core{caveat}")
    print(f"  peak RSS:                      {peak_mib:.1f} MiB (goal <= 40 MiB)")
    print(f"  break began late by:           {idle['late_ms']:.1f} ms idle, "
          f"{loaded['late_ms']:.1f} ms with both cores busy (goal <= 20 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
