"""Shared helpers for the benchmark scripts: interleaved runs, medians, peak RSS."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

BIN = Path(sys.executable).parent


def time_commands(
    commands: Mapping[str, Sequence[str]],
    runs: int,
    env: Mapping[str, str] | None = None,
    cpu: dict[str, float] | None = None,
) -> dict[str, float]:
    """Median wall seconds of each command, runs interleaved so machine noise hits all alike.
    Given `cpu`, it gets each command's median CPU seconds (user + system, children included):
    a command that uses two cores shows it there."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    cpu_samples: dict[str, list[float]] = {name: [] for name in commands}
    full_env = {**os.environ, **(env or {})}
    for _ in range(runs):
        for name, argv in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(argv, env=full_env, stdout=subprocess.DEVNULL, check=True)
            samples[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            cpu_samples[name].append(used)
    if cpu is not None:
        cpu.update({name: statistics.median(values) for name, values in cpu_samples.items()})
    return {name: statistics.median(values) for name, values in samples.items()}


def byte_compile_breakctl() -> None:
    """Write breakctl's bytecode caches, as `pip install` does: a development checkout run with
    PYTHONDONTWRITEBYTECODE would otherwise compile every module it imports on every run, a
    cost no installed copy pays (the reference apps' Typer and Rich have their caches)."""
    import breakctl

    package = str(Path(breakctl.__file__).parent)
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True)


def scratch_folder() -> str | None:
    """A RAM-backed folder for large test data when the machine has one (/dev/shm): timing a
    read of hundreds of MB should not time the disk, nor the page cache evicting it."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def children_peak_rss_mib() -> float:
    """Peak RSS of the largest child process waited for so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def smoke_requested() -> bool:
    return "--smoke" in sys.argv[1:]
