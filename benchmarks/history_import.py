"""`breakctl history import` of 100,000 records against `breakctl history export` of the same
100,000, medians of interleaved runs. Goal: the import within 3x of the export.

Each import starts from an empty home (all records new: the slow case, every one written);
each export reads the home the records were made in. The files live on tmpfs when there is
one (/dev/shm), so the disk is not what is measured; fsync still runs, once per batch.

Usage: python benchmarks/history_import.py [--smoke]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import BIN, byte_compile_breakctl, scratch_folder, smoke_requested
from make_history import write_history

GOAL = 3.0


def timed(argv: list[str], home: Path, out: Path | None = None) -> float:
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    start = time.perf_counter()
    with open(out or os.devnull, "wb") as sink:
        subprocess.run(argv, env=env, stdout=sink, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    smoke = smoke_requested()
    records = 5_000 if smoke else 100_000
    runs = 1 if smoke else 5
    byte_compile_breakctl()
    breakctl = str(BIN / "breakctl")
    with tempfile.TemporaryDirectory(dir=scratch_folder()) as folder:
        source_home = Path(folder) / "source"
        (source_home / "history").mkdir(parents=True)
        write_history(records, source_home / "history" / "bench-host.jsonl")
        exported = Path(folder) / "export.jsonl"
        timed([breakctl, "history", "export", "--format", "json"], source_home, exported)
        export_s: list[float] = []
        import_s: list[float] = []
        for run in range(runs):
            export_s.append(timed([breakctl, "history", "export"], source_home))
            target = Path(folder) / f"target-{run}"
            import_s.append(timed([breakctl, "history", "import", str(exported)], target))
            written = sum(len(p.read_bytes().splitlines()) for p in target.glob("history/*"))
            if written != records:
                sys.exit(f"import wrote {written} records, expected {records}")
            shutil.rmtree(target)
        base, imported = statistics.median(export_s), statistics.median(import_s)
        print(f"{records:,} records, medians of {runs} interleaved runs:")
        print(f"  history export (reference)  {base * 1000:8.0f} ms")
        print(
            f"  history import, all new     {imported * 1000:8.0f} ms  {imported / base:5.2f}x"
            f"  (goal: within {GOAL:g}x)"
        )
    if smoke:
        print("(smoke run: too few records and runs to judge the goal)")


if __name__ == "__main__":
    main()
