"""The review stays O(window): `breakctl stats` on a year of history against a week of it, and
`stats --html` against `stats --json` on the same year, measured in the same run.

Usage: python benchmarks/review_page.py [--smoke]   (smoke: 3 runs instead of 15)
Targets (issue 13): stats on a year <= 1.5x stats on a week; --html on a year <= 1.5x --json.
Each history gets its own BREAKCTL_HOME and its day cache is built once first (the warm case).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from _timing import BIN, smoke_requested, time_commands
from make_history import RECORDS_PER_DAY, write_history


def main() -> None:
    runs = 3 if smoke_requested() else 15
    breakctl = str(BIN / "breakctl")
    with tempfile.TemporaryDirectory() as root:
        homes = {}
        for name, days in (("week", 7), ("year", 365)):
            home = Path(root) / name
            home.mkdir()
            write_history(days * RECORDS_PER_DAY, home / "history.jsonl")
            subprocess.run(
                [breakctl, "stats", "--json"],
                env={"BREAKCTL_HOME": str(home)},
                stdout=subprocess.DEVNULL,
                check=True,
            )
            homes[name] = home
        page = str(Path(root) / "review.html")

        def run(home: str, *args: str) -> list[str]:
            return ["env", f"BREAKCTL_HOME={homes[home]}", breakctl, "stats", *args]

        medians = time_commands(
            {
                "stats, week of history": run("week"),
                "stats, year of history": run("year"),
                "stats --json, year": run("year", "--json"),
                "stats --html, year": run("year", "--html", page),
            },
            runs,
        )
        size = Path(page).stat().st_size / 1024
    print(f"medians of {runs} interleaved runs ({RECORDS_PER_DAY} records a day):")
    for name, seconds in medians.items():
        print(f"  {name:<24} {seconds * 1000:7.1f} ms")
    year = medians["stats, year of history"] / medians["stats, week of history"]
    html = medians["stats --html, year"] / medians["stats --json, year"]
    print(f"  stats year / week        x{year:.2f}  (target <= 1.5)")
    print(f"  --html / --json, year    x{html:.2f}  (target <= 1.5)")
    print(f"  page for this week       {size:.0f} KB  (target < 200)")


if __name__ == "__main__":
    main()
