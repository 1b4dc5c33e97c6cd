"""Issue 8 §6: no input makes breakctl slow or large. A routine costs time in proportion to its
length, a routine file has a size limit, and an overlong history line is skipped without
being held in memory, reading forward (`history check`) or backwards (`stats`, `history`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from breakctl.core.errors import DataError
from breakctl.store.library import Catalog, load_routine_file
from breakctl.store.toml_source import MAX_FILE_BYTES

STEP = '\n[[steps]]\nexercise = "shoulder-roll"\nhold = "3s"\n'


def parse_seconds(catalog: Catalog, tmp_path: Path, steps: int) -> float:
    path = tmp_path / f"long-{steps}.toml"
    path.write_text('name = "long"\n' + STEP * steps)
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        routine = load_routine_file(path, catalog.exercises, "user")
        best = min(best, time.perf_counter() - began)
    assert len(routine.steps) == steps
    return best


def test_a_routine_costs_time_in_proportion_to_its_steps(catalog: Catalog, tmp_path: Path):
    assert catalog.exercises  # the library is loaded once, outside the timing
    small = parse_seconds(catalog, tmp_path, 1_000)
    large = parse_seconds(catalog, tmp_path, 8_000)
    # Linear: 8 times the steps, about 8 times the time; quadratic would be 64 (and was 5.8 s
    # for 5,000 steps). The margin leaves room for a busy machine.
    assert large / small < 24, (small, large)
    assert large < 5.0


def test_each_bad_step_of_a_long_routine_is_named_quickly(catalog: Catalog, tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text('name = "bad"\n' + STEP.replace('"3s"', "nan") * 5_000)
    began = time.perf_counter()
    with pytest.raises(DataError) as info:
        load_routine_file(path, catalog.exercises, "user")
    assert time.perf_counter() - began < 5.0
    assert len(info.value.problems) == 5_000
    assert info.value.problems[-1].startswith(f"{path}:{1 + 4 * 5_000}: step 5000")


def test_a_routine_file_over_the_limit_is_refused_unread(catalog: Catalog, tmp_path: Path):
    path = tmp_path / "huge.toml"
    path.write_text('name = "huge"\n' + "# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    with pytest.raises(DataError, match=r"huge\.toml: larger than 1024 KiB: not a routine file"):
        load_routine_file(path, catalog.exercises, "user")


# -- an overlong history line ---------------------------------------------------------------

RECORD = (
    '{{"v":1,"id":"r{n}","kind":"work","started":"2026-03-0{n}T09:00:00.000+01:00",'
    '"ended":"2026-03-0{n}T09:25:00.000+01:00","planned_s":1500,"active_s":1500,'
    '"outcome":"completed"}}\n'
)
# Runs one breakctl command in a child and prints its peak RSS (KiB) and wall seconds.
MEASURE = """
import resource, subprocess, sys, time
began = time.perf_counter()
done = subprocess.run([sys.executable, "-m", "breakctl", *sys.argv[1:]], capture_output=True)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
      time.perf_counter() - began)
sys.stderr.buffer.write(done.stdout + done.stderr)
"""


def measure(home: Path, *args: str) -> tuple[int, int, float, str]:
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *args], env=env, capture_output=True, text=True, timeout=60
    )
    status, rss_kib, seconds = done.stdout.split()
    return int(status), int(rss_kib), float(seconds), done.stderr


def test_a_50_mb_garbage_line_is_skipped_fast_in_little_memory_both_ways(tmp_path: Path):
    small, big = tmp_path / "small", tmp_path / "big"
    records = "".join(RECORD.format(n=n) for n in range(1, 4))
    for home in (small, big):
        home.mkdir()
    (small / "history.jsonl").write_text(records)
    with open(big / "history.jsonl", "w") as handle:
        handle.write(records)
        handle.write("x" * (50 * 1024 * 1024) + "\n")  # no record is near this long
        handle.write(RECORD.format(n=4))
    _, base_kib, _, _ = measure(small, "stats", "--json")  # the command that imports most
    for args in (("history", "check"), ("stats", "--json"), ("history", "--json")):
        status, rss_kib, seconds, output = measure(big, *args)
        assert status == (2 if args == ("history", "check") else 0), output
        assert rss_kib - base_kib < 16 * 1024, (args, base_kib, rss_kib)  # not the 50 MB line
        assert seconds < 10, (args, seconds)
        if args == ("history", "check"):
            assert f"{big / 'history.jsonl'}:4: longer than 64 KiB: not a record" in output
        if args == ("history", "--json"):
            ids = [json.loads(line)["id"] for line in output.splitlines() if line.startswith("{")]
            assert ids == ["r1", "r2", "r3", "r4"]
