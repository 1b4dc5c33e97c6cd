"""A hold that begins during a break (#21: a call comes in): the break's chimes and cues go
quiet at once; past a minute the break gives way, recorded `interrupted` with `held_by`, and
the next block starts as after any interrupted break."""

from __future__ import annotations

from datetime import datetime

from breakctl.core.day.breaks import BreakPhase
from breakctl.core.day.context import wall_at
from breakctl.core.day.events import BreakHushed, BreakUnhushed, BreakYielded, SessionEvent
from breakctl.core.day.held import YIELD_AFTER_S
from breakctl.core.day.phase import Phase, Step


def hush(phase: Phase, now: float) -> list[SessionEvent]:
    """A reading during a break: quiet from the start of a hold that began during it (not
    one under way when it started: `b` in a call), aloud again at its end."""
    held = phase.context.held
    if held is None or not isinstance(phase, BreakPhase):
        return []
    began = [held.began[s] for s in held.sources]
    if began and max(began) >= phase.started_at and phase.hushed_since is None:
        phase.hushed_since = now
        return [BreakHushed(held.reasons)]
    if not held.holding and phase.hushed_since is not None:
        phase.hushed_since = None
        return [BreakUnhushed()]
    return []


def yield_at(phase: Phase | None) -> float | None:
    """When a hold under way during a break ends it (monotonic), if one is under way."""
    if not isinstance(phase, BreakPhase) or phase.hushed_since is None:
        return None
    return phase.hushed_since + YIELD_AFTER_S


def yield_to_hold(phase: Phase | None, now: float, wall: datetime) -> Step | None:
    """The break ends `interrupted` a minute into a hold; its record says what held it."""
    end = yield_at(phase)
    held = phase.context.held if phase is not None else None
    if end is None or now < end or held is None or not isinstance(phase, BreakPhase):
        return None
    context, cycle = phase.context, phase.cycle
    waited, before = context.waited.get(cycle, (0.0, ()))
    by = tuple(dict.fromkeys([*before, *(held.sources or held.last_by)]))
    context.waited[cycle] = (waited, by)
    phase.hushed_since = None
    events, transition = phase._stopped_here(end, wall_at(end, now, wall), "interrupted")
    return [BreakYielded(held.reasons or by), *events], transition
