"""The work/break day of `breakctl start` as a pure state machine that sequences phases.

It never sleeps and never reads a clock: each call gets `now` (monotonic seconds) and `wall`
(the aware wall-clock time at that instant). Phases end at deadlines in active time (pauses
excluded), and each new phase starts at the previous deadline rather than when the end was
noticed, so nothing drifts. Comparing wall-clock and monotonic progress reveals a suspended
machine (the monotonic clock stops during sleep): work counts it as time away, breaks as rest.
Finished blocks come out as `Recorded` events; the caller appends them to history.
"""

from __future__ import annotations

import random
from datetime import datetime

from breakctl.core.actions import Action
from breakctl.core.day.break_held import hush, yield_at, yield_to_hold
from breakctl.core.day.breaks import BreakPhase
from breakctl.core.day.context import (
    SUSPEND_THRESHOLD_S,
    BreakDone,
    DayContext,
    PresenceRules,
    Proceed,
    Quit,
    Transition,
    WorkDone,
    wall_at,
)
from breakctl.core.day.events import (
    BreakChoice,
    Chooser,
    Recorded,
    SessionEnded,
    SessionEvent,
    Waiting,
    WorkStarted,
)
from breakctl.core.day.held import HoldState
from breakctl.core.day.phase import Phase, Step
from breakctl.core.day.rules import DayRules, SoFar
from breakctl.core.day.shape import EDGE_SLACK_S, DayShape
from breakctl.core.day.skip_guard import WORDS, SkipGuard
from breakctl.core.day.snapshot import SessionSnapshot
from breakctl.core.day.wait import WaitPhase
from breakctl.core.day.work import WorkPhase, no_break_fits
from breakctl.core.holds import HoldsReading, HoldsSettings
from breakctl.core.model import Routine
from breakctl.core.records import Record
from breakctl.core.schedule import seconds_between
from breakctl.core.settings import StartSettings

Events = list[SessionEvent]
MAX_STEPS = 10_000  # a safety bound: one call never loops forever
MIN_BLOCK_S = 60.0  # postpone_payback never leaves a block shorter than this


class Session:
    def __init__(
        self, settings: StartSettings, choose: Chooser, so_far: SoFar | None = None, *,
        presence: PresenceRules | None = None, holds: HoldsSettings | None = None,
    ) -> None:  # fmt: skip
        self.context = DayContext(settings, choose, presence)
        self.context.held = HoldState(holds) if holds is not None else None
        self.rules = DayRules(settings, so_far)
        self._idle: tuple[float, float] | None = None  # the last presence reading, and when
        self._own_key: float | None = None  # when a key was last pressed in breakctl itself
        self._sensing = True  # False from a failed presence reading to the next that works
        self.phase: Phase | None = None
        self.ended: str | None = None  # "cycles" | "until" | "quit" | "limit"
        self._last: tuple[float, datetime] | None = None
        # Working hours, --until, timed pauses and the rules' counts and limit.
        self.shape = DayShape(self.context, self.rules)
        self.skip_guard = SkipGuard(settings.skip_confirm, pick=lambda: random.choice(WORDS))

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
        events += self.skip_guard.lapsed(now, self.phase)
        for _ in range(MAX_STEPS):
            if self.phase is None:
                break
            events += self.shape.pause_over(self.phase, now, wall)
            cut = self.shape.cut_at_edge(self.phase, now, wall)
            cut = cut or yield_to_hold(self.phase, now, wall)  # a hold during a break (#21)
            step, transition = cut or self.phase.advance(now, wall)
            events += self._counted(step)  # before what follows: the limit counts this block
            if transition is None:
                break
            events += self._follow(transition, now, wall)
        events += self.shape.check_limit(self.phase, now, wall)
        return self._counted(events)

    def sense(self, idle_s: float, now: float, wall: datetime) -> list[SessionEvent]:
        """A presence reading: nobody has touched keyboard or mouse for `idle_s` seconds."""
        events = self._observe(now, wall)
        self._sensing = True
        if self._own_key is not None:  # breakctl's own keys are input, whatever the source says
            idle_s = min(idle_s, max(0.0, now - self._own_key))
        self._idle = (idle_s, now)
        sensed = self.phase and self.context.presence and self.phase.sensed(idle_s, now, wall)
        return _then(self, events, sensed or None, now, wall)

    def holds(self, reading: HoldsReading, now: float, wall: datetime) -> list[SessionEvent]:
        """A holds reading (#21): what holds breaks now (a call, a meeting), what is next."""
        events = self._observe(now, wall)
        if self.context.held is not None and self.phase is not None:
            events += self.context.held.read(reading, now) + hush(self.phase, now)
            step, after = self.phase.holds_read(now, wall)
            events += self._counted(step) + (self._follow(after, now, wall) if after else [])
        return self._counted(events) + self.advance(now, wall)

    def presence_lost(self, now: float, wall: datetime) -> list[SessionEvent]:
        """The source stopped answering: the clock alone counts until the next `sense`."""
        events = self._observe(now, wall)
        self._idle, self._sensing = None, False  # no stale reading may hold the next break
        lost = self.phase and self.context.presence and self.phase.presence_lost(now, wall)
        return _then(self, events, lost or None, now, wall)

    def break_elsewhere(self, host: str, started: datetime, now: float, wall: datetime) -> Events:
        """A break taken on machine `host` from `started`: if during this block, it was the
        break (each break is told once: the caller remembers which it passed on)."""
        events = self._observe(now, wall)
        step = self.phase.break_elsewhere(host, started, now, wall) if self.phase else None
        return _then(self, events, step, now, wall)

    def act(
        self, action: Action | None, now: float, wall: datetime, *,
        until: datetime | None = None, routine: Routine | None = None, key: bool = False,
        typed: str | None = None,
    ) -> list[SessionEvent]:  # fmt: skip
        """A person's action: a key (`key`, the character `typed`), or the same command from
        `breakctl pause|skip|stop`. `until`: a PAUSE that resumes by itself then; `routine`:
        BREAK_NOW with this one."""
        events = self._observe(now, wall)
        if key and self.phase is not None and self.context.presence is not None and self._sensing:
            # A key in this terminal is the person at the computer.
            holding = self.phase.holds_for_person
            self.phase.key_pressed(now)
            self._own_key = now
            events += self.sense(0.0, now, wall)
            if holding and action in (Action.NEXT, Action.TOGGLE_PAUSE, Action.CONTINUE):
                action = None  # the key that wakes a waiting break does only that
        if key:
            phase, last_now = self.phase, self._last[0] if self._last else now
            action, asked = self.skip_guard.key(
                action, typed, now, phase,
                lambda a: self.shape.refused(phase, a, last_now, wall) if phase else None,
            )  # fmt: skip
            if asked:
                return self._counted(events + asked) + self.advance(now, wall)
        if self.phase is not None and action is not None:
            if action is Action.PAUSE_FOR:  # the p key, when no host asks how long
                paused = self.phase.snapshot(now, wall).paused
                action = Action.RESUME if paused else Action.PAUSE
            last_now = self._last[0] if self._last else 0.0
            refused = self.shape.refused(self.phase, action, last_now, wall)
            if refused is not None:
                return self._counted([*events, refused]) + self.advance(now, wall)
            if action is Action.BREAK_NOW and routine is not None and self.phase.name == "work":
                self.context.upcoming[self.phase.cycle] = BreakChoice(routine, "you asked for it")
            phase = self.phase
            step, transition = phase.act(action, now, wall)
            events += self._counted(step) + self.shape.timed_pause(phase, action, until, now, wall)
            if transition is not None:
                events += self._follow(transition, now, wall)
        return self._counted(events) + self.advance(now, wall)

    def interrupt(self, now: float, wall: datetime) -> list[SessionEvent]:
        """Record the block in progress as cut short (q, Ctrl-C, a signal) and end."""
        events = self.phase.interrupt(now, wall) if self.phase is not None else []
        return self._counted(events) + self._end("quit")

    def next_wake(self, now: float) -> float | None:
        """When something visible changes next: a deadline, a heads-up, the shown second, the
        end of a timed pause, the end of working hours, the daily limit."""
        if self.phase is None:
            return None
        wakes = [self.phase.next_wake(now), self.skip_guard.deadline(), yield_at(self.phase)]
        if self._last is not None:
            last_now, last_wall = self._last
            moments = self.shape.moments()
            wakes += [last_now + seconds_between(last_wall, m) for m in moments]
            # The block as of `now` (a stale wall with a fresh `now` outgrows its span).
            left = self.shape.limit_left(self.phase, now, wall_at(now, last_now, last_wall))
            if left is not None and left > 0 and self.phase.name == "work":
                wakes.append(now + left)
        return min((max(now, w) for w in wakes if w is not None), default=None)

    # -- reading ----------------------------------------------------------------------------
    def snapshot(self, now: float, wall: datetime) -> SessionSnapshot:
        done = SessionSnapshot(phase="done", cycle=0, cycles=self.settings.cycles, paused=False)
        snapshot = self.phase.snapshot(now, wall) if self.phase is not None else done
        return self.shape.dressed(snapshot, wall)

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
        edge = self.shape.edge_reached(done.wall)
        if self.rules.limit_stops(done.wall.date()):  # the block is done, and the day (or today)
            return self._start_work(done.cycle + 1, done.end, done.wall)
        if edge == "until":
            return self._end("until")  # nothing runs past --until, not even a break
        if edge == "off":
            return self._start_work(done.cycle + 1, done.end, done.wall)  # off until the next
        if done.skip_break:
            skipped = self.context.instant_break(done.cycle, done.wall, "skipped")
            return [Recorded(skipped), *self._next_work(done.cycle + 1, done.end, done.wall)]
        if self.settings.wait:
            self.phase = WaitPhase(self.context, "break", done.cycle)
            return [Waiting("break", done.cycle)]
        return self._start_break(done.cycle, done.end, done.wall)

    def _start_work(self, cycle: int, now: float, wall: datetime) -> list[SessionEvent]:
        settings = self.settings  # the cycle limit is checked by _next_work, the one way in
        if self.rules.limit_stops(wall.date()) and not settings.across_days:
            return self._end("limit")
        off = self.shape.off_hours(cycle, now, wall)  # across days, the limit is off hours too
        if off is not None:
            self.phase, told = off
            return told
        cycle = self.shape.day_cycle(cycle, wall)
        length = settings.work_s
        if self.context.payback_s:  # postpone_payback: what was postponed comes off this one
            length = max(MIN_BLOCK_S, length - self.context.payback_s)
            self.context.payback_s = 0.0
        upcoming = self.context.upcoming
        if cycle not in upcoming:
            upcoming[cycle] = self.context.choose(
                cycle, self.context.break_length(cycle), self.context.is_long_break(cycle)
            )
        edge = self.shape.edge = self.shape.day_edge(wall)
        if edge is not None:
            left = seconds_between(wall, edge[0])
            if left <= EDGE_SLACK_S:
                return self._end("until")
            if no_break_fits(edge, wall, length, self.context.break_planned(cycle)):
                length = left  # the last block runs to the edge: nothing runs past it
        self.phase = WorkPhase(self.context, cycle, length, now, wall)
        self.phase.day_edge = edge
        return [WorkStarted(cycle, length)]

    def _next_work(self, cycle: int, now: float, wall: datetime) -> list[SessionEvent]:
        if self.settings.cycles is not None and cycle > self.settings.cycles:
            return self._end("cycles")
        if self.settings.wait:
            self.phase = WaitPhase(self.context, "work", cycle)
            return [Waiting("work", cycle)]
        return self._start_work(cycle, now, wall)

    def _start_break(self, cycle: int, now: float, wall: datetime) -> list[SessionEvent]:
        context = self.context
        choice = context.upcoming.pop(cycle, None) or context.choose(
            cycle, context.break_length(cycle), context.is_long_break(cycle)
        )
        phase = BreakPhase(context, cycle, choice, wall)
        self.phase = phase
        idle = self._idle[0] + (now - self._idle[1]) if self._idle is not None else None
        return phase.start(now, idle)

    def _observe(self, now: float, wall: datetime) -> list[SessionEvent]:
        """Detect a suspend: wall time moved on while monotonic time did not."""
        last, self._last = self._last, (now, wall)
        if last is None or self.phase is None:
            return []
        gap = (wall - last[1]).total_seconds() - (now - last[0])
        if gap <= SUSPEND_THRESHOLD_S:
            return []
        self.context.slept(gap, self.phase.name, self.phase.cycle)
        events, transition = self.phase.suspended(gap, now, wall)
        return events + (self._follow(transition, now, wall) if transition else [])

    def _counted(self, events: list[SessionEvent]) -> list[SessionEvent]:
        return self.shape.counted(events)

    def _end(self, reason: str) -> list[SessionEvent]:
        self.phase = None
        self.ended = reason
        return [SessionEnded(reason)]


def _then(
    session: Session, events: Events, step: Step | None, now: float, wall: datetime
) -> Events:
    """`events` so far, then the phase's `step` and the transition it asks for, if any."""
    if step is not None:
        done, after = step
        events += session._counted(done) + (session._follow(after, now, wall) if after else [])
    return session._counted(events) + session.advance(now, wall)
