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
from breakctl.store.history import collector_paused


def read_fresh(tally: Tally, files: Sequence[Path], states: dict[str, FileState]) -> None:
    """Count every file from its start into `tally` (a fresh one): in two processes when the
    history is long and two CPUs are free to use, else in this one."""
    with collector_paused():
        _read_fresh(tally, files, states)


def _read_fresh(tally: Tally, files: Sequence[Path], states: dict[str, FileState]) -> None:
    assert tally.keys is not None, "a fresh tally collects its keys"
    split = halves(files)
    spool = tally.ids.spool
    child = fork_call(lambda: _count(split[1], spool)) if split is not None else None
    if split is None or child is None:
        for path in files:
            tally.read(path, states[str(path)])
        return
    first, second = split
    for path, _, stop in first:
        tally.read(path, states[str(path)], stop)
    half = collect(child)
    if not isinstance(half, Counted):  # the child failed: read its half here
        for path, _, _ in second:
            tally.read(path, states[str(path)])
        return
    tally.merge(half, states)  # whether a key repeats is asked of the whole, once


def _count(second: list[Segment], spool: Path | None) -> Counted:
    """The child's work: a fresh tally of `second`, line numbers counted from its start."""
    part = Tally(DaySummary(), {}, {}, IdIndex(Path(os.devnull), (), 0), True, spool)
    mine: dict[str, FileState] = {}
    for path, start, _ in second:
        mine[str(path)] = state = FileState(offset=start)
        part.read(path, state)
    return part.counted(mine)
