"""`breakctl stats --json` wall time on histories of 1,000, 100,000 and 1,000,000 records.

Usage: python benchmarks/stats.py [--smoke]   (smoke: 1,000 and 10,000 records, 3 runs)
Each history gets its own BREAKCTL_HOME; the day cache is built once first (the warm case),
then the runs are interleaved and their medians compared with the smallest history.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from _timing import BIN, smoke_requested, time_commands
from make_history import write_history


def main() -> None:
    smoke = smoke_requested()
    sizes = [1_000, 10_000] if smoke else [1_000, 100_000, 1_000_000]
    runs = 3 if smoke else 15
    breakctl = str(BIN / "breakctl")
    with tempfile.TemporaryDirectory() as root:
        homes = {}
        for size in sizes:
            home = Path(root) / str(size)
            home.mkdir()
            start = time.perf_counter()
            write_history(size, home / "history.jsonl")
            written = time.perf_counter() - start
            start = time.perf_counter()
            subprocess.run([breakctl, "stats", "--json"], env={"BREAKCTL_HOME": str(home)},
                           stdout=subprocess.DEVNULL, check=True)  # fmt: skip
            cold = time.perf_counter() - start
            mib = (home / "history.jsonl").stat().st_size / 2**20
            print(f"{size:>9,} records  {mib:7.1f} MiB  written in {written:5.1f}s  "
                  f"first stats (builds the cache) {cold * 1000:7.0f} ms")  # fmt: skip
            homes[size] = home
        # Interleaved, so drift in machine load hits every size alike.
        interleaved = time_commands(
            {
                str(s): ["env", f"BREAKCTL_HOME={homes[s]}", breakctl, "stats", "--json"]
                for s in sizes
            },
            runs,
        )
    base = interleaved[str(sizes[0])]
    print(f"warm `stats --json`, medians of {runs} interleaved runs:")
    for size in sizes:
        seconds = interleaved[str(size)]
        ratio = seconds / base
        print(f"{size:>9,} records  {seconds * 1000:7.1f} ms  x{ratio:5.2f} of {sizes[0]:,}")


if __name__ == "__main__":
    main()
