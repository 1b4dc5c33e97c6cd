"""A rebuild of the day cache over a long history, read by two processes (store/halves.py).

Counting is order-free until an id repeats, and then the caller reads again one record at a
time (store/daycache/tally.py), so the halves add up to what one reader would count.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from breakctl.core.records import Correction
from breakctl.store.daycache.ids import IdIndex
from breakctl.store.daycache.summary import DaySummary, FileState
from breakctl.store.daycache.tally import Tally
from breakctl.store.halves import Segment, collect, fork_call, halves


@dataclass
class Half:
    """What the child counted, as sent back."""

    breaks: dict[date, int]
    moved: dict[date, float]
    keys: bytes
    corrections: list[Correction]
    originals: dict[str, tuple[date, int, float]]
    states: dict[str, FileState]
    unique: bool  # no key repeats among `keys`


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
    if not isinstance(half, Half):  # the child failed: read its half here
        for path, _, _ in second:
            tally.read(path, states[str(path)])
        return
    unique = len(mine) == len(keys) and half.unique
    _merge(tally, half, states)
    tally.unique = unique and mine.isdisjoint(memoryview(half.keys).cast("Q"))


def _count(second: list[Segment]) -> Half:
    """The child's work: a fresh tally of `second`, line numbers counted from its start."""
    summary = DaySummary()
    part = Tally(summary, {}, {}, IdIndex(Path(os.devnull), (), 0), fresh=True)
    mine: dict[str, FileState] = {}
    for path, start, _ in second:
        mine[str(path)] = state = FileState(offset=start)
        part.read(path, state)
    keys = part.keys
    assert keys is not None, "a fresh tally collects its keys"
    return Half(
        part.breaks, part.moved, keys.tobytes(), summary.corrections, summary.originals, mine,
        unique=len(set(keys)) == len(keys),
    )  # fmt: skip


def _merge(tally: Tally, half: Half, states: dict[str, FileState]) -> None:
    """Add the child's half to what this process counted, as if read after it."""
    for day, count in half.breaks.items():
        tally.breaks[day] = tally.breaks.get(day, 0) + count
    for day, seconds in half.moved.items():
        tally.moved[day] = tally.moved.get(day, 0.0) + seconds
    if tally.keys is not None:
        tally.keys.frombytes(half.keys)
    for ident, contribution in half.originals.items():
        tally.summary.originals.setdefault(ident, contribution)
        tally.summary.absent.discard(ident)
        tally.wanted.discard(ident)
    for correction in half.corrections:
        tally.correction(correction)
    for name, part in half.states.items():
        state = states[name]
        # The file this process read the first half of continues; the others are the child's.
        state.lines += part.lines
        state.records += part.records
        state.offset = part.offset
        state.last = part.last or state.last
