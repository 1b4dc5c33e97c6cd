"""Long reads in two processes: the history's files cut in two halves at a line boundary, the
second half handled by a forked child that sends its result back through a pipe.

A full read of a million records is mostly decoding, on one core. When a second CPU is free
(`spare_cpu`: usable by this process, and idle) the day cache's rebuild
(store/daycache/split.py) and `history check` (store/history_check.py) give the second half
to a child. Should the child fail in any way, the caller reads that half
itself: a second process only ever saves time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

# Below this a second process costs more than it saves (32 MiB read in ~0.2 s).
PARALLEL_BYTES = 32 * 1024 * 1024
_BOUNDARY_SEARCH = 1024 * 1024

Segment = tuple[Path, int, int | None]  # a file, from byte, to byte (None: its end)
Child = tuple[int, int]  # the child's pid, the reading end of its pipe


def halves(files: Sequence[Path]) -> tuple[list[Segment], list[Segment]] | None:
    """The files cut in two halves at a line boundary near the middle; None when not worth it."""
    # A fork copies one thread: with others running (a `start` with its key reader), it
    # could inherit a lock one of them holds. Reads in such a process stay in it.
    if not hasattr(os, "fork") or not spare_cpu() or threading.active_count() > 1:
        return None
    sizes = [_size(path) for path in files]
    total = sum(sizes)
    if total < PARALLEL_BYTES:
        return None
    # A little more for this process: the child also sends its figures back, and the pipe and
    # the merge come after it.
    middle = total * 11 // 20
    for index, (path, size) in enumerate(zip(files, sizes, strict=True)):
        if middle < size:
            boundary = _line_boundary(path, middle)
            if boundary is None:
                return None
            whole: list[Segment] = [(p, 0, None) for p in files]
            first = [*whole[:index], (path, 0, boundary)]
            second = [(path, boundary, None), *whole[index + 1 :]]
            return first, second
        middle -= size
    return None


def spare_cpu() -> bool:
    """Whether a second process would have a CPU to itself: this process may use two or more
    (usable_cpus) and the last minute's load left one of them idle. On a busy machine the
    split saved nothing (2.84x with it, 2.74x without, in one run) and cost memory."""
    usable = usable_cpus()
    try:
        load = os.getloadavg()[0]
    except OSError:  # no load average here: trust the CPUs
        load = 0.0
    return usable >= 2 and load <= usable - 1.5


def usable_cpus() -> int:
    """The CPUs this process may run on: `taskset` and cgroup cpusets narrow them, which
    os.cpu_count() ignores (a split read on one allowed core ran 1.15-1.25x slower)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _line_boundary(path: Path, offset: int) -> int | None:
    """The offset just after the first newline at or past `offset`."""
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            found = handle.read(_BOUNDARY_SEARCH).find(b"\n")
    except OSError:
        return None
    return None if found < 0 else offset + found + 1


def fork_call(work: Callable[[], object]) -> Child | None:
    """Run `work` in a forked child; None when no child could be started."""
    import pickle  # only a long read pays for it

    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid:
        os.close(write_end)
        return pid, read_end
    # The child: work, send, and leave without running any of the parent's exit handlers.
    try:
        os.close(read_end)
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    except BaseException:
        os._exit(1)
    os._exit(0)


def collect(child: Child) -> object | None:
    """What the child's work returned, or None when it did not finish cleanly."""
    import pickle

    pid, read_end = child
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    result: object = pickle.loads(data)
    return result


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
