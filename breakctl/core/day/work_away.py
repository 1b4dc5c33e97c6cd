"""The end of an absence during a work block: the person's first input after it. Shorter
than the break due, and the block resumes where it stopped; as long as the break, and that
absence was the break (a natural one). A sleep of the machine is such an absence too."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from breakctl.core.day.context import BreakDone, DayContext, wall_at
from breakctl.core.day.events import (
    BreakElsewhere,
    Recorded,
    SessionEvent,
    Suspended,
    WelcomeBack,
)
from breakctl.core.day.phase import NOTHING, Step
from breakctl.core.records import Outcome, Record
from breakctl.core.timer import ActiveTimer


class AwayBlock(Protocol):
    """What of a work block (core/day/work's WorkPhase) an absence's end reads and sets."""

    context: DayContext
    cycle: int
    timer: ActiveTimer
    away_since: float | None
    away_s: float
    started: datetime

    def interrupt(self, now: float, wall: datetime) -> list[SessionEvent]: ...

    suspended_s: float

    def record(self, ended: datetime, outcome: Outcome, now: float | None = None) -> Record: ...


def welcome_back(phase: AwayBlock, back: float, now: float, wall: datetime) -> Step:
    """The first input after an absence from the block `phase`, at `back`."""
    assert phase.away_since is not None
    away = back - phase.away_since
    left = phase.away_since
    phase.away_since = None
    phase.timer.resume(back, counted=False)
    if away < phase.context.break_length(phase.cycle):
        phase.away_s += away  # a short absence: the block resumes where it stopped
        return [WelcomeBack(away, natural_break=False)], None
    # Away as long as the break: that was the break. The block ends at the last input.
    phase.timer.stop(back)
    left_wall, back_wall = wall_at(left, now, wall), wall_at(back, now, wall)
    events: list[SessionEvent] = [
        WelcomeBack(away, natural_break=True),
        Recorded(phase.record(left_wall, "completed")),
        Recorded(phase.context.natural_break(phase.cycle, left_wall, back_wall, away_s=away)),
    ]
    rules = phase.context.presence
    if rules is not None and away >= rules.reset_after_s:
        phase.context.long_break_base = phase.cycle  # the long-break count starts over
    return events, BreakDone(phase.cycle, back, back_wall)


def asleep(phase: AwayBlock, gap: float, now: float, wall: datetime) -> Step:
    """The machine slept `gap` seconds during the block `phase`, up to `now`."""
    cycle = phase.cycle
    if gap >= phase.context.break_length(cycle) and not phase.timer.paused:
        # Away as long as a break: that was the break. Close this block where the sleep
        # began, record the natural break, and go on as after any break.
        asleep_at = wall - timedelta(seconds=gap)
        phase.timer.stop(now)
        events: list[SessionEvent] = [
            Suspended(gap, natural_break=True),
            Recorded(phase.record(asleep_at, "completed")),
            Recorded(phase.context.natural_break(cycle, asleep_at, wall, asleep_s=gap)),
        ]
        return events, BreakDone(cycle, now, wall)
    phase.suspended_s += gap
    return [Suspended(gap, natural_break=False)], None


def break_elsewhere(
    phase: AwayBlock, host: str, started: datetime, now: float, wall: datetime
) -> Step:
    """A break taken on machine `host` from `started` (its clock) reached the block `phase`."""
    # Only a break begun during this block: an older one (its record arriving late, or the
    # same break told again by its record after its presence file) was counted already.
    if started < phase.started or phase.timer.stopped:
        return NOTHING
    phase.interrupt(now, wall)  # the block ends here, away time kept as away time
    record = phase.record(wall, "completed")
    return [BreakElsewhere(host), Recorded(record)], BreakDone(phase.cycle, now, wall)
