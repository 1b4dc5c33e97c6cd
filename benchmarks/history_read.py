"""A full read of a long history against the plainest msgspec loop over the same file, and the
memory of streaming exports.

Measured side by side, medians of interleaved runs:
- reference: a stand-alone script that decodes each line into a typed struct of the required
  fields, parses both timestamps, and counts records per kind and completed breaks per day;
- `breakctl history check` (every line through breakctl's reader);
- `breakctl stats --json` with no day cache (the cache is rebuilt from the whole file).
Goal: both within 1.5x of the reference on 1,000,000 records. A long read gives its second
half to a second process when the machine has two cores (store/halves.py), so the CPU time is
printed beside the wall time. The file lives on tmpfs when there is one (/dev/shm): the disk
and the page cache's evictions are not what is measured.

Then the peak RSS of `history --csv --last N` and `history --json --last N` for growing N:
goal, flat in N (under 60 MiB for 1,000,000 records).

Usage: python benchmarks/history_read.py [--smoke]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import BIN, byte_compile_breakctl, scratch_folder, smoke_requested, time_commands
from make_history import write_history

REFERENCE = """
import sys, collections, datetime, msgspec
class R(msgspec.Struct):
    kind: str
    started: datetime.datetime
    ended: datetime.datetime
    active_s: float
    outcome: str
decode = msgspec.json.Decoder(R).decode
kinds = collections.Counter(); per_day = collections.Counter()
with open(sys.argv[1], "rb") as f:
    for line in f:
        r = decode(line)
        kinds[r.kind] += 1
        if r.kind == "break" and r.outcome == "completed":
            per_day[r.started.date()] += 1
print(dict(kinds), len(per_day))
"""


def peak_rss_mib(argv: list[str], env: dict[str, str]) -> float:
    """Peak RSS of one run of `argv`, measured by GNU time's format or /proc-free getrusage."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv], env=env, capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip()) / 1024


def main() -> None:
    smoke = smoke_requested()
    records = 20_000 if smoke else 1_000_000
    runs = 1 if smoke else 7
    byte_compile_breakctl()
    with tempfile.TemporaryDirectory(dir=scratch_folder()) as folder:
        home = Path(folder)
        # One host file in the history folder (history/<host-id>.jsonl), as breakctl writes now.
        history = home / "history" / "bench-host.jsonl"
        history.parent.mkdir()
        write_history(records, history)
        reference = home / "reference.py"
        reference.write_text(REFERENCE)
        env = {**os.environ, "BREAKCTL_HOME": str(home)}
        breakctl = str(BIN / "breakctl")
        # The day cache: the days file and its record-id index beside it (store/review.py,
        # store/daycache/cache.py); both go, so stats reads the whole history.
        cache = [home / "history-days.json", home / "history-days-ids.bin"]
        drop_cache = f"rm -f {' '.join(map(str, cache))} && "
        check = subprocess.run(
            [breakctl, "history", "check"], env=env, capture_output=True, text=True
        )
        print(f"history check: exit {check.returncode}, {check.stdout.strip().splitlines()[-1]}")
        if check.returncode:
            sys.exit(f"history check found problems in the generated history:\n{check.stdout}")
        commands = {
            "reference msgspec loop": [sys.executable, str(reference), str(history)],
            "breakctl history check": [breakctl, "history", "check"],
            "breakctl stats --json, no day cache": [
                "sh",
                "-c",
                drop_cache + f"exec {breakctl} stats --json",
            ],
        }
        cpu: dict[str, float] = {}
        times = time_commands(commands, runs, env, cpu)
        base, base_cpu = times["reference msgspec loop"], cpu["reference msgspec loop"]
        print(
            f"full read of {records:,} records (medians of {runs} interleaved runs; wall, "
            "then CPU: a long read uses a second core when there is one):"
        )
        for name, seconds in times.items():
            print(
                f"  {name:<38} {seconds * 1000:8.0f} ms  {seconds / base:5.2f}x"
                f"   cpu {cpu[name] * 1000:8.0f} ms  {cpu[name] / base_cpu:5.2f}x"
            )
        print("streaming exports, peak RSS:")
        for count in (1_000, records // 10, records):
            for fmt in ("--csv", "--json"):
                rss = peak_rss_mib([breakctl, "history", fmt, "--last", str(count)], env)
                print(f"  history {fmt:<6} --last {count:>9,}  {rss:6.1f} MiB")
    if smoke:
        print("(smoke run: too few records and runs to judge the goals)")


if __name__ == "__main__":
    main()
