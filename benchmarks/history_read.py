"""A full read of a long history against the plainest msgspec loop over the same file, pinned to
one core and not; a correction of a recent record against a warm `stats --json`; and the
memory of streaming exports. Issue 25's table, each figure beside its reference measured in
the same run.

Measured side by side, medians of interleaved runs (wall, and CPU with children):
- reference: a stand-alone script that decodes each line into a typed struct of the required
  fields, parses both timestamps, and counts records per kind and completed breaks per day;
- `breakctl history check` (every line through breakctl's reader);
- `breakctl stats --json` with no day cache (the cache is rebuilt from the whole file);
each as is and under `taskset -c 0` (one allowed CPU), against the reference run the same
way. Goal: within 1.5x of the reference on 1,000,000 records, both ways. Then the peak RSS
of each (goal: 48 MiB), one run each.
- `history delete ID` and `history edit ID --outcome skipped` of a recent record (each taken
  back by `history undo` in the same round) against a warm `stats --json`: goal 3x.
The machine's load (1-minute average) is printed before and after. The file lives on tmpfs
when there is one (/dev/shm): the disk and the page cache's evictions are not what is measured.

Then the peak RSS of `history --csv --last N` and `history --json --last N` for growing N:
goal, flat in N (under 60 MiB for 1,000,000 records).

Usage: python benchmarks/history_read.py [--smoke] [--history FILE]
  --history FILE  a history written by make_history.py, used instead of writing one (1M
                  records take a while to write)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
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


def _history_option() -> Path | None:
    args = sys.argv[1:]
    if "--history" in args:
        return Path(args[args.index("--history") + 1])
    return None


def _full_reads(history: Path, breakctl: str, home: Path, runs: int, env: dict[str, str]) -> None:
    """History check and a cold stats --json against the reference loop, free and pinned."""
    reference = home / "reference.py"
    reference.write_text(REFERENCE)
    cache = [
        home / "history-days.json",
        home / "history-days-ids.bin",
        home / "history-days-list.bin",
    ]
    drop_cache = f"rm -f {' '.join(map(str, cache))} && "
    plain = {
        "reference msgspec loop": [sys.executable, str(reference), str(history)],
        "breakctl history check": [breakctl, "history", "check"],
        "breakctl stats --json, no day cache": [
            "sh",
            "-c",
            drop_cache + f"exec {breakctl} stats --json",
        ],
    }
    pinned = shutil.which("taskset") is not None
    commands = dict(plain)
    if pinned:
        commands.update(
            {f"{name}, one CPU": ["taskset", "-c", "0", *argv] for name, argv in plain.items()}
        )
    cpu: dict[str, float] = {}
    times = time_commands(commands, runs, env, cpu)
    print(f"full read (medians of {runs} interleaved runs; wall, then CPU with children):")
    for suffix in ("", ", one CPU") if pinned else ("",):
        base = times["reference msgspec loop" + suffix]
        base_cpu = cpu["reference msgspec loop" + suffix]
        for name in plain:
            key = name + suffix
            print(
                f"  {key:<48} {times[key] * 1000:8.0f} ms  {times[key] / base:5.2f}x"
                f"   cpu {cpu[key] * 1000:8.0f} ms  {cpu[key] / base_cpu:5.2f}x   (goal 1.50x)"
            )
    print("peak RSS, one run each (goal: 48 MiB for breakctl):")
    for name, argv in commands.items():
        print(f"  {name:<48} {peak_rss_mib(argv, env):6.1f} MiB")


def _corrections(history: Path, breakctl: str, runs: int, env: dict[str, str]) -> None:
    """A correction of a recent record against a warm stats --json (the day cache up to date)."""
    # The last record that ended before now (the generated days end later today).
    now = datetime.now().astimezone()
    with open(history, "rb") as handle:
        handle.seek(max(0, history.stat().st_size - 256 * 1024))
        tail = [json.loads(line) for line in handle.read().splitlines()[1:]]
    ended = [r for r in tail if datetime.fromisoformat(r["ended"]) < now]
    recent = ended[-1]["id"][:12]
    subprocess.run([breakctl, "stats", "--json"], env=env, stdout=subprocess.DEVNULL, check=True)
    # In each round every correction is taken back right after it (timed too): the history
    # and its corrections are the same for every round.
    commands = {
        "warm stats --json": [breakctl, "stats", "--json"],
        "history delete": [breakctl, "history", "delete", recent],
        "history undo (of the delete)": [breakctl, "history", "undo"],
        "history edit --outcome skipped": [
            breakctl,
            "history",
            "edit",
            recent,
            "--outcome",
            "skipped",
        ],
        "history undo (of the edit)": [breakctl, "history", "undo"],
    }
    times = time_commands(commands, runs, env)
    base = times["warm stats --json"]
    print(f"corrections of a recent record (medians of {runs} interleaved runs; goal 3x):")
    for name, seconds in times.items():
        print(f"  {name:<48} {seconds * 1000:8.0f} ms  {seconds / base:5.2f}x")


def main() -> None:
    smoke = smoke_requested()
    records = 20_000 if smoke else 1_000_000
    runs = 1 if smoke else 7
    byte_compile_breakctl()
    print(f"load before: {os.getloadavg()[0]:.2f} (1-minute average, {os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory(dir=scratch_folder()) as folder:
        home = Path(folder)
        # One host file in the history folder (history/<host-id>.jsonl), as breakctl writes now.
        history = home / "history" / "bench-host.jsonl"
        history.parent.mkdir()
        given = _history_option()
        if given is not None and not smoke:
            shutil.copyfile(given, history)
            with open(history, "rb") as lines:
                records = sum(1 for _ in lines)
        else:
            write_history(records, history)
        env = {**os.environ, "BREAKCTL_HOME": str(home)}
        breakctl = str(BIN / "breakctl")
        check = subprocess.run(
            [breakctl, "history", "check"], env=env, capture_output=True, text=True
        )
        print(f"history check: exit {check.returncode}, {check.stdout.strip().splitlines()[-1]}")
        if check.returncode:
            sys.exit(f"history check found problems in the generated history:\n{check.stdout}")
        print(f"{records:,} records")
        _full_reads(history, breakctl, home, runs, env)
        _corrections(history, breakctl, runs, env)
        print("streaming exports, peak RSS:")
        for count in (1_000, records // 10, records):
            for fmt in ("--csv", "--json"):
                rss = peak_rss_mib([breakctl, "history", fmt, "--last", str(count)], env)
                print(f"  history {fmt:<6} --last {count:>9,}  {rss:6.1f} MiB")
    print(f"load after: {os.getloadavg()[0]:.2f}")
    if smoke:
        print("(smoke run: too few records and runs to judge the goals)")


if __name__ == "__main__":
    main()
