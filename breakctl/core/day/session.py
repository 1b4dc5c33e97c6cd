"""The work/break day of `breakctl start` as a pure state machine that sequences phases.

It never sleeps and never reads a clock: each call gets `now` (monotonic seconds) and `wall`
(the aware wall-clock time at that instant). Phases end at deadlines in active time (pauses
excluded), and each new phase starts at the previous deadline rather than when the end was
noticed, so nothing drifts. Comparing wall-clock and monotonic progress reveals a suspended
machine (the monotonic clock stops during sleep): work counts it as time away, breaks as rest.
Finished blocks come out as `Recorded` events; the caller appends them to history.
"""

from __future__ import annotations

from datetime import datetime

from breakctl.core.actions import Action
from breakctl.core.day.breaks import BreakPhase
from breakctl.core.day.context import (
    SUSPEND_THRESHOLD_S,
    BreakDone,
    DayContext,
    Proceed,
    Quit,
    Transition,
    WorkDone,
)
from breakctl.core.day.events import (
    Chooser,
    Recorded,
    SessionEnded,
    SessionEvent,
    Waiting,
    WorkStarted,
)
from breakctl.core.day.phase import Phase
from breakctl.core.day.snapshot import SessionSnapshot
from breakctl.core.day.wait import WaitPhase
from breakctl.core.day.work import WorkPhase
from breakctl.core.records import Record
from breakctl.core.settings import StartSettings

MAX_STEPS = 10_000  # a safety bound: one call never loops forever


class Session:
    def __init__(self, settings: StartSettings, choose: Chooser) -> None:
        self.context = DayContext(settings, choose)
        self.phase: Phase | None = None
        self.ended: str | None = None  # "cycles" | "until" | "quit"
        self._last: tuple[float, datetime] | None = None

    @property
    def settings(self) -> StartSettings:
        return self.context.settings

    @property
    def session_id(self) -> str:
        return self.context.session_id

    # -- driving ----------------------------------------------------------------------------
    def start(self, now: float, wall: datetime) -> list[SessionEvent]:
        self._last = (now, wall)
        return self._start_work(1, now, wall)

    def advance(self, now: float, wall: datetime) -> list[SessionEvent]:
        """Notice suspends, finish what is due, start what comes next."""
        events = self._observe(now, wall)
        for _ in range(MAX_STEPS):
            if self.phase is None:
                break
            step, transition = self.phase.advance(now, wall)
            events += step
            if transition is None:
                break
            events += self._follow(transition, now, wall)
        return events

    def act(self, action: Action | None, now: float, wall: datetime) -> list[SessionEvent]:
        """A person's action: a key, or the same command from `breakctl pause|skip|stop`."""
        events = self._observe(now, wall)
        if self.phase is not None and action is not None:
            step, transition = self.phase.act(action, now, wall)
            events += step
            if transition is not None:
                events += self._follow(transition, now, wall)
        return events + self.advance(now, wall)

    def interrupt(self, now: float, wall: datetime) -> list[SessionEvent]:
        """Record the block in progress as cut short (q, Ctrl-C, a signal) and end."""
        events = self.phase.interrupt(now, wall) if self.phase is not None else []
        return events + self._end("quit")

    def next_wake(self, now: float) -> float | None:
        """When something visible changes next: a deadline, a heads-up, the shown second."""
        return self.phase.next_wake(now) if self.phase is not None else None

    # -- reading ----------------------------------------------------------------------------
    def snapshot(self, now: float, wall: datetime) -> SessionSnapshot:
        if self.phase is None:
            return SessionSnapshot(phase="done", cycle=0, cycles=self.settings.cycles, paused=False)
        return self.phase.snapshot(now, wall)

    def record_in_progress(self, now: float, wall: datetime) -> Record | None:
        """The block under way as it would be recorded if it were cut short now."""
        return self.phase.in_progress(now, wall) if self.phase is not None else None

    # -- sequencing -------------------------------------------------------------------------
    def _follow(self, transition: Transition, now: float, wall: datetime) -> list[SessionEvent]:
        if isinstance(transition, Quit):
            return self._end("quit")
        if isinstance(transition, Proceed):
            if transition.phase == "work":
                return self._start_work(transition.cycle, now, wall)
            return self._start_break(transition.cycle, now, wall)
        if isinstance(transition, BreakDone):
            return self._next_work(transition.cycle + 1, transition.end, transition.wall)
        return self._after_work(transition)

    def _after_work(self, done: WorkDone) -> list[SessionEvent]:
        if done.skip_break:
            skipped = self.context.instant_break(done.cycle, done.wall, "skipped")
            return [Recorded(skipped), *self._next_work(done.cycle + 1, done.end, done.wall)]
        if self.settings.wait:
            self.phase = WaitPhase(self.context, "break", done.cycle)
            return [Waiting("break", done.cycle)]
        return self._start_break(done.cycle, done.end, done.wall)

    def _start_work(self, cycle: int, now: float, wall: datetime) -> list[SessionEvent]:
        settings = self.settings  # the cycle limit is checked by _next_work, the one way in
        length = settings.work_s
        if settings.until is not None:
            until = datetime.combine(wall.date(), settings.until, wall.tzinfo)
            left = (until - wall).total_seconds()
            if left <= 0:
                return self._end("until")
            length = min(length, left)  # the last block ends at --until
        self.phase = WorkPhase(self.context, cycle, length, now, wall)
        upcoming = self.context.upcoming
        if cycle not in upcoming:
            upcoming[cycle] = self.context.choose(
                cycle, settings.break_length(cycle), settings.is_long_break(cycle)
            )
        return [WorkStarted(cycle, length)]

    def _next_work(self, cycle: int, now: float, wall: datetime) -> list[SessionEvent]:
        if self.settings.cycles is not None and cycle > self.settings.cycles:
            return self._end("cycles")
        if self.settings.wait:
            self.phase = WaitPhase(self.context, "work", cycle)
            return [Waiting("work", cycle)]
        return self._start_work(cycle, now, wall)

    def _start_break(self, cycle: int, now: float, wall: datetime) -> list[SessionEvent]:
        settings = self.settings
        choice = self.context.upcoming.pop(cycle, None) or self.context.choose(
            cycle, settings.break_length(cycle), settings.is_long_break(cycle)
        )
        phase = BreakPhase(self.context, cycle, choice, wall)
        self.phase = phase
        return phase.start(now)

    def _observe(self, now: float, wall: datetime) -> list[SessionEvent]:
        """Detect a suspend: wall time moved on while monotonic time did not."""
        last, self._last = self._last, (now, wall)
        if last is None or self.phase is None:
            return []
        gap = (wall - last[1]).total_seconds() - (now - last[0])
        if gap <= SUSPEND_THRESHOLD_S:
            return []
        events, transition = self.phase.suspended(gap, now, wall)
        return events + (self._follow(transition, now, wall) if transition else [])

    def _end(self, reason: str) -> list[SessionEvent]:
        self.phase = None
        self.ended = reason
        return [SessionEnded(reason)]
