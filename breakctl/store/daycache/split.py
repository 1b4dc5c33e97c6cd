"""A rebuild of the day cache over a long history, read by two processes (store/halves.py).

Counting is order-free until an id repeats, and then the caller reads again one record at a
time (store/daycache/tally.py), so the halves add up to what one reader would count: the
child sends back what its tally counted (`Tally.counted`) and this process's tally takes it
in as if read after its own half (`Tally.merge`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from breakctl.store.daycache.ids import IdIndex
from breakctl.store.daycache.summary import DaySummary, FileState
from breakctl.store.daycache.tally import Counted, Tally
from breakctl.store.halves import Segment, collect, fork_call, halves


def read_fresh(tally: Tally, files: Sequence[Path], states: dict[str, FileState]) -> None:
    """Count every file from its start into `tally` (a fresh one): in two processes when the
    history is long, else in this one."""
    keys = tally.keys
    assert keys is not None, "a fresh tally collects its keys"
    split = halves(files)
    child = fork_call(lambda: _count(split[1])) if split is not None else None
    if split is None or child is None:
        for path in files:
            tally.read(path, states[str(path)])
        return
    first, second = split
    for path, _, stop in first:
        tally.read(path, states[str(path)], stop)
    # Each process checks its own keys for repeats while the other may still be reading.
    mine = set(keys)
    half = collect(child)
    if not isinstance(half, Counted):  # the child failed: read its half here
        for path, _, _ in second:
            tally.read(path, states[str(path)])
        return
    unique = len(mine) == len(keys) and half.unique
    tally.merge(half, states)
    tally.unique = unique and mine.isdisjoint(memoryview(half.keys).cast("Q"))


def _count(second: list[Segment]) -> Counted:
    """The child's work: a fresh tally of `second`, line numbers counted from its start."""
    part = Tally(DaySummary(), {}, {}, IdIndex(Path(os.devnull), (), 0), fresh=True)
    mine: dict[str, FileState] = {}
    for path, start, _ in second:
        mine[str(path)] = state = FileState(offset=start)
        part.read(path, state)
    return part.counted(mine)
