"""`breakctl stats --json` wall time on histories of 1,000, 100,000 and 1,000,000 records,
each written once as one file (history.jsonl, as before the history folder), once spread
over 3 host files of the history folder (three machines, interleaved in time), and once as
one host file whose last tenth was imported out of order (`history import` of older records:
each a random day before the rest, appended after this week's records, shuffled).

Usage: python benchmarks/stats.py [--smoke]   (smoke: 1,000 and 10,000 records, 3 runs)
Each history gets its own BREAKCTL_HOME; the day cache is built once first (the warm case),
then the runs are interleaved and their medians compared with the smallest history of the
same layout. The targets: 3 files of 1,000,000 within 1.5x of 3 files of 1,000, and the
imported layout of 1,000,000 within 1.5x of 1 file of 1,000.
"""

from __future__ import annotations

import json
import random
import subprocess
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from _timing import BIN, smoke_requested, time_commands
from make_history import RECORDS_PER_DAY, day_records, write_history


def write_imported(count: int, out: Path) -> None:
    """`count` records: the first nine tenths written as days go, then a tenth from days
    before all of those, shuffled, appended as `history import` appends them."""
    imported = count // 10
    write_history(count - imported, out)
    rng = random.Random(7)
    first = -(-(count - imported) // RECORDS_PER_DAY)
    today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    older: list[dict] = []
    for n in range(first + 1, first + 1 + -(-imported // RECORDS_PER_DAY)):
        older.extend(day_records(today - timedelta(days=n), rng, f"i{n}", RECORDS_PER_DAY))
    del older[imported:]
    rng.shuffle(older)
    with open(out, "a", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r, separators=(",", ":")) + "\n" for r in older)


def main() -> None:
    smoke = smoke_requested()
    sizes = [1_000, 10_000] if smoke else [1_000, 100_000, 1_000_000]
    runs = 3 if smoke else 15
    breakctl = str(BIN / "breakctl")
    layouts = ("1 file", "3 files", "imported")
    with tempfile.TemporaryDirectory() as root:
        homes = {}
        for layout in layouts:
            for size in sizes:
                home = Path(root) / f"{layout[0]}-{size}"
                home.mkdir()
                start = time.perf_counter()
                if layout == "1 file":
                    files = [home / "history.jsonl"]
                    write_history(size, files[0])
                elif layout == "imported":
                    (home / "history").mkdir()
                    files = [home / "history" / "host0-abc120.jsonl"]
                    write_imported(size, files[0])
                else:
                    (home / "history").mkdir()
                    files = [home / "history" / f"host{n}-abc12{n}.jsonl" for n in range(3)]
                    for n, path in enumerate(files):
                        write_history(size // 3 + (n < size % 3), path, seed=n + 1)
                written = time.perf_counter() - start
                start = time.perf_counter()
                subprocess.run(
                    [breakctl, "stats", "--json"],
                    env={"BREAKCTL_HOME": str(home)},
                    stdout=subprocess.DEVNULL,
                    check=True,
                )
                cold = time.perf_counter() - start
                mib = sum(path.stat().st_size for path in files) / 2**20
                print(
                    f"{layout:<8}{size:>10,} records  {mib:7.1f} MiB  written in "
                    f"{written:5.1f}s  first stats (builds the cache) "
                    f"{cold * 1000:7.0f} ms"
                )
                homes[layout, size] = home
        # Interleaved, so drift in machine load hits every size alike.
        interleaved = time_commands(
            {
                f"{layout}/{size}": [
                    "env",
                    f"BREAKCTL_HOME={homes[layout, size]}",
                    breakctl,
                    "stats",
                    "--json",
                ]
                for layout in layouts
                for size in sizes
            },
            runs,
        )
    print(f"warm `stats --json`, medians of {runs} interleaved runs:")
    for layout in layouts:
        # The imported history is compared with the plain one-file history of the same size.
        base = interleaved[f"{'1 file' if layout == 'imported' else layout}/{sizes[0]}"]
        for size in sizes:
            seconds = interleaved[f"{layout}/{size}"]
            print(
                f"{layout:<8}{size:>10,} records  {seconds * 1000:7.1f} ms  "
                f"x{seconds / base:5.2f} of {sizes[0]:,} in 1 file"
                if layout == "imported"
                else f"{layout:<8}{size:>10,} records  {seconds * 1000:7.1f} ms  "
                f"x{seconds / base:5.2f} of {sizes[0]:,}"
            )


if __name__ == "__main__":
    main()
