"""A work block whose break is held (#21): due during a call or a meeting, the break waits
(no alert, no heads-up) while the block counts on; once the holds let go it comes after the
grace. A calendar's notice brings a break due just before a busy event forward instead."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol

from breakctl.core.clockface import until_next_tick
from breakctl.core.day.context import DayContext, wall_at
from breakctl.core.day.events import BreakEarly, BreakHeld, HoldsEnded, SessionEvent
from breakctl.core.day.phase import NOTHING, Step
from breakctl.core.day.snapshot import SessionSnapshot
from breakctl.core.schedule import seconds_between
from breakctl.core.timer import ActiveTimer


class HeldBlock(Protocol):
    """What of a work block (core/day/work's WorkPhase) a held break reads and sets."""

    context: DayContext
    cycle: int
    timer: ActiveTimer
    planned_s: float
    held_since: float | None  # monotonic: when the break came due, held
    held_by: list[str]
    resumed_at: float  # monotonic: the last resume (a held break never starts in a pause)
    told_release: bool
    early: bool

    def _finish(self, end: float, wall_end: datetime) -> Step: ...


def holding(context: DayContext) -> bool:
    """Whether something holds breaks right now (no heads-up, no absence meanwhile)."""
    return context.held is not None and context.held.holding


def due_while_held(block: HeldBlock, end: float) -> list[SessionEvent]:
    """The break is due at `end`: [BreakHeld] when it must wait, [] when it may come."""
    held = block.context.held
    if held is None or not held.blocks(end):
        return []
    block.held_since = end
    block.held_by = list(held.sources or held.last_by)
    return [BreakHeld(held.reasons or held.last_by)]


def held_step(block: HeldBlock, now: float, wall: datetime) -> Step:
    """A held break: still waiting, told that the holds let go, or coming now."""
    held, since = block.context.held, block.held_since
    assert since is not None
    free = held.free_from() if held is not None else float("-inf")
    if held is not None:
        block.held_by += [s for s in held.sources if s not in block.held_by]
    if free is None:
        block.told_release = False  # held again within the grace: a new grace later
        return NOTHING
    if now < free:
        if block.told_release or held is None:
            return NOTHING
        block.told_release = True
        return [HoldsEnded(free - now)], None
    # The break comes when the grace ended (however late this call), never before it came
    # due nor inside a pause.
    end = min(now, max(free, since, block.resumed_at))
    block.timer.stop(end)
    return block._finish(end, wall_at(end, now, wall))


def record_wait(block: HeldBlock, end: float) -> None:
    """The break about to follow waited since it came due: its records say how long."""
    if block.held_since is not None:
        waited = max(0.0, end - block.held_since)
        block.context.waited[block.cycle] = (waited, tuple(block.held_by))


def held_wake(block: HeldBlock, now: float) -> float:
    """While held: the shown "held" clock's next second, or the end of the grace."""
    assert block.held_since is not None
    tick = now + until_next_tick(-(now - block.held_since))
    held = block.context.held
    free = held.free_from() if held is not None else None
    return tick if free is None else max(now, min(tick, free))


def held_view(
    block: HeldBlock, snapshot: SessionSnapshot, now: float, wall: datetime
) -> SessionSnapshot:
    """The block's snapshot, with a held break's fields: how long, by what, and when it
    comes once known (the end of the grace)."""
    if block.held_since is None:
        return snapshot
    held = block.context.held
    free = held.free_from() if held is not None else None
    left = None if free is None else max(0.0, free - now)
    reasons = held.reasons if held is not None else ()
    return replace(
        snapshot,
        held_s=now - block.held_since,
        heads_up=False,
        held_by=reasons or tuple(block.held_by),
        remaining_s=left or 0.0,
        ends_at=None if left is None else wall + timedelta(seconds=left),
    )


def calendar_notice(block: HeldBlock, now: float, wall: datetime) -> list[SessionEvent]:
    """A break that would come due within `calendar_lead` before a busy event (or during
    it) comes now instead, once half the block is done: rested before the meeting rather
    than held through it. Once per block."""
    held = block.context.held
    timer = block.timer
    if held is None or block.early or block.held_since is not None or timer.paused:
        return []
    upcoming = held.reading.upcoming  # calendar_lead 0: no early breaks
    if upcoming is None or timer.stopped or held.holding or held.settings.calendar_lead_s <= 0:
        return []
    due = wall + timedelta(seconds=timer.remaining(now))
    lead = timedelta(seconds=held.settings.calendar_lead_s)
    if not upcoming.starts - lead <= due < upcoming.ends:
        return []
    # Now, or at the half of the block if that is still ahead; not if that half ends after
    # the event starts (the hold will defer the break then).
    seconds = max(timer.active(now), block.planned_s / 2)
    if seconds >= timer.seconds or seconds - timer.active(now) >= seconds_between(
        wall, upcoming.starts
    ):
        return []
    block.early, timer.seconds = True, seconds
    return [BreakEarly(upcoming.title, upcoming.starts)]
