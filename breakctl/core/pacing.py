"""The beat of a routine at one instant (see `timeline.beat_at`) and when the chime is due:
at the end of each hold and at each switch of sides. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from breakctl.core.routine_run import (
    COMPLETED,
    Event,
    Finished,
    SegmentStarted,
    Snapshot,
    StepSkipped,
)
from breakctl.core.timeline import HOLD, Beat, Segment, beat_at


def beat_of(snapshot: Snapshot) -> Beat | None:
    if snapshot.segment is None or snapshot.step is None:
        return None
    return beat_at(snapshot.segment, snapshot.step, snapshot.segment_elapsed_s)


def _hold_key(snapshot: Snapshot | None) -> tuple[Segment, int | None] | None:
    """Which hold is under way, or None when no hold is."""
    if snapshot is None or snapshot.segment is None:
        return None
    beat = beat_of(snapshot)
    if beat is None or beat.kind != HOLD:
        return None
    return snapshot.segment, beat.rep


def chime_due(before: Snapshot | None, after: Snapshot | None, events: Sequence[Event]) -> bool:
    """Ring once when a hold runs out or a switch of sides begins; not when a step is skipped
    or the routine quit. `before` and `after` are the routine's snapshots around `events`
    (`after` is None once the routine is over)."""
    if any(isinstance(e, SegmentStarted) and e.segment.kind == "switch" for e in events):
        return True
    held = _hold_key(before)
    if held is None or any(isinstance(e, StepSkipped) for e in events):
        return False
    if after is None or after.segment is None:
        return any(isinstance(e, Finished) and e.outcome == COMPLETED for e in events)
    return _hold_key(after) != held


class Chime:
    """Decides, update by update, when a screen rings: off entirely with `on=False`."""

    def __init__(self, on: bool) -> None:
        self.on = on
        self._last: Snapshot | None = None

    def due(self, events: Sequence[Event], snapshot: Snapshot | None) -> bool:
        ring = self.on and chime_due(self._last, snapshot, events)
        self._last = snapshot
        return ring
