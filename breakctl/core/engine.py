"""The work/break day of `breakctl start` as a pure state machine.

It never sleeps and never reads a clock: each call gets `now` (monotonic seconds) and `wall`
(the aware wall-clock time at that instant). Phases end at deadlines in active time (pauses
excluded), and each new phase starts at the previous deadline rather than when the end was
noticed, so nothing drifts. Comparing wall-clock and monotonic progress reveals a suspended
machine (the monotonic clock stops during sleep): work counts it as time away, breaks as rest.
Finished blocks come out as `Recorded` events; the caller appends them to history.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from breakctl.core.clockface import until_next_tick
from breakctl.core.model import Routine
from breakctl.core.records import SCHEMA_VERSION, Kind, Outcome, Record
from breakctl.core.routine_run import DONE, Event, RoutineRun, Snapshot
from breakctl.core.settings import HEADS_UP_S, POSTPONE_S, StartSettings

# Wall time running ahead of monotonic time by more than this means the machine slept.
SUSPEND_THRESHOLD_S = 5.0

WORK_KEYS = {
    " ": "pause",
    "p": "pause",
    "b": "break-now",
    "s": "skip",
    "+": "postpone",
    "q": "quit",
}
BREAK_KEYS = {" ": "pause", "p": "pause", "n": "next", "s": "skip", "q": "quit"}
WAIT_KEYS = {"q": "quit"}  # any other key starts the next phase


@dataclass(frozen=True)
class BreakChoice:
    routine: Routine | None
    reason: str = ""  # one line on why this routine, shown on the break screen


Chooser = Callable[[int, float, bool], BreakChoice]


# -- events -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkStarted:
    cycle: int
    planned_s: float


@dataclass(frozen=True)
class StandUp:
    """Cornell's cue: keep working, but standing."""


@dataclass(frozen=True)
class HeadsUp:
    seconds_left: float


@dataclass(frozen=True)
class BreakStarted:
    cycle: int
    planned_s: float
    routine: Routine | None
    reason: str
    extended: bool  # the routine is longer than the break, which grows to fit it
    long: bool


@dataclass(frozen=True)
class FreeMovementStarted:
    seconds: float


@dataclass(frozen=True)
class RoutineEvent:
    """A routine event (segment started, step skipped...) from the break's routine."""

    event: Event


@dataclass(frozen=True)
class PhasePaused:
    pass


@dataclass(frozen=True)
class PhaseResumed:
    paused_s: float


@dataclass(frozen=True)
class NextBreakSkipped:
    pass


@dataclass(frozen=True)
class BreakPostponed:
    seconds: float


@dataclass(frozen=True)
class Suspended:
    seconds: float
    natural_break: bool  # long enough to count as the break itself


@dataclass(frozen=True)
class Waiting:
    next_phase: str  # "work" | "break"
    cycle: int


@dataclass(frozen=True)
class Recorded:
    record: Record


@dataclass(frozen=True)
class SessionEnded:
    reason: str  # "cycles" | "until" | "quit"


SessionEvent = (
    WorkStarted | StandUp | HeadsUp | BreakStarted | FreeMovementStarted | RoutineEvent
    | PhasePaused | PhaseResumed | NextBreakSkipped | BreakPostponed | Suspended | Waiting
    | Recorded | SessionEnded
)  # fmt: skip


# -- timing -------------------------------------------------------------------------------------


@dataclass
class Timer:
    """A countdown in active time: pausing stops it, `extend` moves its end."""

    seconds: float
    started_at: float  # monotonic
    _active_before: float = 0.0
    _running_since: float | None = None
    _paused_since: float | None = None
    paused_s: float = 0.0

    def __post_init__(self) -> None:
        self._running_since = self.started_at

    @property
    def paused(self) -> bool:
        return self._paused_since is not None

    def active(self, now: float) -> float:
        running = now - self._running_since if self._running_since is not None else 0.0
        return self._active_before + max(0.0, running)

    def remaining(self, now: float) -> float:
        return self.seconds - self.active(now)

    def deadline(self) -> float | None:
        """The monotonic time it ends, or None while paused."""
        if self._running_since is None:
            return None
        return self._running_since + (self.seconds - self._active_before)

    def pause(self, now: float) -> None:
        if self._paused_since is None:
            self._active_before = self.active(now)
            self._running_since = None
            self._paused_since = now

    def resume(self, now: float) -> float:
        if self._paused_since is None:
            return 0.0
        paused_for = now - self._paused_since
        self.paused_s += paused_for
        self._paused_since = None
        self._running_since = now
        return paused_for

    def stop(self, now: float) -> None:
        """Freeze the active time at `now` (the timer is done)."""
        self.resume(now)
        self._active_before = self.active(now)
        self._running_since = now
        self.seconds = self._active_before


# -- phases -------------------------------------------------------------------------------------


@dataclass
class WorkPhase:
    cycle: int
    timer: Timer
    started: datetime
    planned_s: float
    skip_next_break: bool = False
    heads_up_sent: bool = False
    stood_up: bool = False
    suspended_s: float = 0.0


@dataclass
class BreakPhase:
    cycle: int
    length_s: float
    choice: BreakChoice
    started: datetime
    run: RoutineRun | None = None
    free: Timer | None = None
    suspended_s: float = 0.0
    paused: bool = False


@dataclass
class WaitPhase:
    next_phase: str
    cycle: int


Phase = WorkPhase | BreakPhase | WaitPhase


@dataclass(frozen=True)
class SessionSnapshot:
    """What the screen and the state file need at one instant."""

    phase: str  # "work" | "break" | "wait" | "done"
    cycle: int
    cycles: int | None
    paused: bool
    remaining_s: float  # of the phase
    planned_s: float
    elapsed_s: float
    ends_at: datetime | None  # None while paused or waiting
    next_break_routine: str | None = None  # name of the routine the coming break will use
    next_break_title: str | None = None
    skip_next_break: bool = False
    heads_up: bool = False
    routine: Snapshot | None = None
    free_s: float | None = None  # free movement left, once the routine is over
    reason: str = ""
    extended: bool = False


@dataclass
class Session:
    settings: StartSettings
    choose: Chooser
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    phase: Phase | None = None
    ended: str | None = None
    _last: tuple[float, datetime] | None = None
    # Each break's routine is chosen when its work block starts, so the work screen can say
    # what is coming; keyed by cycle.
    _upcoming: dict[int, BreakChoice] = field(default_factory=dict)

    # -- driving ----------------------------------------------------------------------------
    def start(self, now: float, wall: datetime) -> list[SessionEvent]:
        self._last = (now, wall)
        return self._start_work(1, now, wall)

    def advance(self, now: float, wall: datetime) -> list[SessionEvent]:
        """Notice suspends, finish what is due, start what comes next."""
        events = self._observe(now, wall)
        for _ in range(10_000):  # a safety bound: one call never loops forever
            step = self._advance_once(now, wall)
            if not step:
                break
            events += step
        return events

    def press(self, key: str, now: float, wall: datetime) -> list[SessionEvent]:
        """Handle a key (or the same command from `breakctl pause|skip|stop`)."""
        events = self._observe(now, wall)
        phase = self.phase
        if isinstance(phase, WorkPhase):
            events += self._work_key(phase, WORK_KEYS.get(key), now, wall)
        elif isinstance(phase, BreakPhase):
            events += self._break_key(phase, BREAK_KEYS.get(key), now, wall)
        elif isinstance(phase, WaitPhase):
            if WAIT_KEYS.get(key) == "quit":
                events += self._end("quit")
            elif phase.next_phase == "work":
                events += self._start_work(phase.cycle, now, wall)
            else:
                events += self._start_break(phase.cycle, now, wall)
        return events + self.advance(now, wall)

    def interrupt(self, now: float, wall: datetime) -> list[SessionEvent]:
        """Record the block in progress as cut short (q, Ctrl-C, a signal) and end."""
        events: list[SessionEvent] = []
        phase = self.phase
        if isinstance(phase, WorkPhase):
            phase.timer.stop(now)
            events.append(Recorded(self._work_record(phase, wall, "interrupted")))
        elif isinstance(phase, BreakPhase):
            self._stop_break(phase, now)
            if phase.run is not None and not phase.run.finished:
                phase.run.quit(now)
            events.append(Recorded(self._break_record(phase, now, wall, "interrupted")))
        return events + self._end("quit")

    def next_wake(self, now: float) -> float | None:
        """When something visible changes next: a deadline, a heads-up, the shown second."""
        phase = self.phase
        if isinstance(phase, WorkPhase):
            deadline = phase.timer.deadline()
            if deadline is None:
                return None
            remaining = deadline - now
            candidates = [deadline, now + until_next_tick(remaining)]
            if not phase.heads_up_sent and remaining > HEADS_UP_S < phase.planned_s / 2:
                candidates.append(deadline - HEADS_UP_S)
            return max(now, min(candidates))
        if isinstance(phase, BreakPhase):
            if phase.paused:
                return None
            if phase.run is not None and not phase.run.finished:
                return phase.run.next_wake(now)
            if phase.free is not None:
                deadline = phase.free.deadline()
                if deadline is None:
                    return None
                return max(now, min(deadline, now + until_next_tick(deadline - now)))
        return None

    # -- reading ----------------------------------------------------------------------------
    def snapshot(self, now: float, wall: datetime) -> SessionSnapshot:
        phase = self.phase
        cycles = self.settings.cycles
        if isinstance(phase, WorkPhase):
            remaining = max(0.0, phase.timer.remaining(now))
            ends = None if phase.timer.paused else wall + timedelta(seconds=remaining)
            choice = self._upcoming.get(phase.cycle)
            upcoming = choice.routine if choice else None
            return SessionSnapshot(
                "work", phase.cycle, cycles, phase.timer.paused, remaining, phase.timer.seconds,
                phase.timer.active(now), ends, upcoming.name if upcoming else None,
                upcoming.title if upcoming else None, phase.skip_next_break,
                heads_up=remaining <= HEADS_UP_S < phase.planned_s / 2,
            )  # fmt: skip
        if isinstance(phase, BreakPhase):
            remaining = self._break_remaining(phase, now)
            routine_snapshot = (
                phase.run.snapshot(now)
                if phase.run is not None and not phase.run.finished
                else None
            )
            free = phase.free.remaining(now) if phase.free is not None else None
            ends = None if phase.paused else wall + timedelta(seconds=remaining)
            return SessionSnapshot(
                "break", phase.cycle, cycles, phase.paused, remaining, phase.length_s,
                self._break_active(phase, now), ends, routine=routine_snapshot,
                free_s=None if free is None else max(0.0, free), reason=phase.choice.reason,
                extended=phase.length_s > self.settings.break_length(phase.cycle),
            )  # fmt: skip
        if isinstance(phase, WaitPhase):
            return SessionSnapshot("wait", phase.cycle, cycles, True, 0.0, 0.0, 0.0, None)
        return SessionSnapshot("done", 0, cycles, False, 0.0, 0.0, 0.0, None)

    def record_in_progress(self, now: float, wall: datetime) -> Record | None:
        """The block under way as it would be recorded if it were cut short now."""
        phase = self.phase
        if isinstance(phase, WorkPhase):
            return self._work_record(phase, wall, "interrupted", now=now)
        if isinstance(phase, BreakPhase):
            return self._break_record(phase, now, wall, "interrupted")
        return None

    # -- internals: work --------------------------------------------------------------------
    def _start_work(self, cycle: int, now: float, wall: datetime) -> list[SessionEvent]:
        settings = self.settings  # the cycle limit is checked by _next_work, the one way in
        length = settings.work_s
        if settings.until is not None:
            until = datetime.combine(wall.date(), settings.until, wall.tzinfo)
            left = (until - wall).total_seconds()
            if left <= 0:
                return self._end("until")
            length = min(length, left)  # the last block ends at --until
        self.phase = WorkPhase(cycle, Timer(length, now), wall, length)
        if cycle not in self._upcoming:
            long = settings.is_long_break(cycle)
            self._upcoming[cycle] = self.choose(cycle, settings.break_length(cycle), long)
        return [WorkStarted(cycle, length)]

    def _work_key(
        self, phase: WorkPhase, action: str | None, now: float, wall: datetime
    ) -> list[SessionEvent]:
        if action == "pause":
            if phase.timer.paused:
                return [PhaseResumed(phase.timer.resume(now))]
            phase.timer.pause(now)
            return [PhasePaused()]
        if action == "quit":
            return self.interrupt(now, wall)
        if action == "skip":
            phase.skip_next_break = not phase.skip_next_break
            return [NextBreakSkipped()] if phase.skip_next_break else []
        if action == "postpone":
            phase.timer.seconds += POSTPONE_S
            phase.heads_up_sent = False
            record = self._instant_break_record(phase.cycle, wall, "postponed")
            return [BreakPostponed(POSTPONE_S), Recorded(record)]
        if action == "break-now":
            phase.timer.stop(now)
            return self._finish_work(phase, now, wall)
        return []

    def _finish_work(self, phase: WorkPhase, end: float, wall_end: datetime) -> list[SessionEvent]:
        events: list[SessionEvent] = [Recorded(self._work_record(phase, wall_end, "completed"))]
        if phase.skip_next_break:
            events.append(Recorded(self._instant_break_record(phase.cycle, wall_end, "skipped")))
            return events + self._next_work(phase.cycle + 1, end, wall_end)
        if self.settings.wait:
            self.phase = WaitPhase("break", phase.cycle)
            return [*events, Waiting("break", phase.cycle)]
        return events + self._start_break(phase.cycle, end, wall_end)

    def _next_work(self, cycle: int, now: float, wall: datetime) -> list[SessionEvent]:
        if self.settings.cycles is not None and cycle > self.settings.cycles:
            return self._end("cycles")
        if self.settings.wait:
            self.phase = WaitPhase("work", cycle)
            return [Waiting("work", cycle)]
        return self._start_work(cycle, now, wall)

    # -- internals: breaks ------------------------------------------------------------------
    def _start_break(self, cycle: int, now: float, wall: datetime) -> list[SessionEvent]:
        long = self.settings.is_long_break(cycle)
        length = self.settings.break_length(cycle)
        choice = self._upcoming.pop(cycle, None) or self.choose(cycle, length, long)
        routine = choice.routine
        extended = routine is not None and routine.planned_s > length
        if extended:
            length = routine.planned_s
        phase = BreakPhase(cycle, length, choice, wall)
        self.phase = phase
        events: list[SessionEvent] = [
            BreakStarted(cycle, length, routine, choice.reason, extended, long)
        ]
        if routine is not None and routine.steps:
            phase.run = RoutineRun(routine, now)
            events += [RoutineEvent(e) for e in phase.run.start()]
        else:
            phase.free = Timer(length, now)
            events.append(FreeMovementStarted(length))
        return events

    def _break_key(
        self, phase: BreakPhase, action: str | None, now: float, wall: datetime
    ) -> list[SessionEvent]:
        run = phase.run if phase.run is not None and not phase.run.finished else None
        if action == "pause":
            phase.paused = not phase.paused
            paused_for = 0.0
            if run is not None:
                paused_before = run.paused_s
                run.toggle_pause(now)
                paused_for = run.paused_s - paused_before
            elif phase.free is not None:
                if phase.paused:
                    phase.free.pause(now)
                else:
                    paused_for = phase.free.resume(now)
            return [PhasePaused()] if phase.paused else [PhaseResumed(paused_for)]
        if action == "quit":
            return self.interrupt(now, wall)
        if action == "next":
            if run is not None:
                return [RoutineEvent(e) for e in run.skip_step(now)] + self._after_routine(
                    phase, now
                )
            return self._finish_break(phase, now, wall, "completed")
        if action == "skip":
            if run is not None:
                run.quit(now)
            done = phase.run is not None and any(s.outcome == DONE for s in phase.run.steps)
            return self._finish_break(phase, now, wall, "completed" if done else "skipped")
        return []

    def _after_routine(self, phase: BreakPhase, now: float) -> list[SessionEvent]:
        """Once the routine is over, the rest of the break is free movement."""
        if phase.run is None or not phase.run.finished or phase.free is not None:
            return []
        left = max(0.0, phase.length_s - phase.run.active_s(now) - phase.suspended_s)
        phase.free = Timer(left, now)
        if phase.paused:
            phase.free.pause(now)
        return [FreeMovementStarted(left)] if left > 0 else []

    def _stop_break(self, phase: BreakPhase, now: float) -> None:
        if phase.free is not None:
            phase.free.stop(now)

    def _finish_break(
        self, phase: BreakPhase, now: float, wall: datetime, outcome: str
    ) -> list[SessionEvent]:
        self._stop_break(phase, now)
        events: list[SessionEvent] = [Recorded(self._break_record(phase, now, wall, outcome))]
        return events + self._next_work(phase.cycle + 1, now, wall)

    def _break_active(self, phase: BreakPhase, now: float) -> float:
        routine = phase.run.active_s(now) if phase.run is not None else 0.0
        free = phase.free.active(now) if phase.free is not None else 0.0
        return routine + free

    def _break_remaining(self, phase: BreakPhase, now: float) -> float:
        if phase.free is not None:
            return max(0.0, phase.free.remaining(now))
        left = phase.length_s - self._break_active(phase, now) - phase.suspended_s
        return max(0.0, left)

    # -- internals: the clock ---------------------------------------------------------------
    def _advance_once(self, now: float, wall: datetime) -> list[SessionEvent]:
        phase = self.phase
        if isinstance(phase, WorkPhase):
            timer = phase.timer
            if timer.paused:
                return []
            events: list[SessionEvent] = []
            stand = self.settings.preset.stand_after_s
            if stand and not phase.stood_up and timer.active(now) >= stand:
                phase.stood_up = True
                events.append(StandUp())
            remaining = timer.remaining(now)
            # A heads-up only makes sense for a block well longer than the heads-up itself.
            if not phase.heads_up_sent and 0 < remaining <= HEADS_UP_S < phase.planned_s / 2:
                phase.heads_up_sent = True
                events.append(HeadsUp(remaining))
            if remaining <= 1e-9:
                end = now + remaining  # the deadline itself, however late we woke
                timer.stop(end)
                events += self._finish_work(phase, end, self._wall_at(end, now, wall))
            return events
        if isinstance(phase, BreakPhase):
            if phase.paused:
                return []
            if phase.run is not None and not phase.run.finished:
                events = [RoutineEvent(e) for e in phase.run.advance(now)]
                return events + self._after_routine(phase, now)
            if phase.free is not None and phase.free.remaining(now) <= 1e-9:
                end = now + phase.free.remaining(now)
                return self._finish_break(phase, end, self._wall_at(end, now, wall), "completed")
        return []

    @staticmethod
    def _wall_at(moment: float, now: float, wall: datetime) -> datetime:
        return wall - timedelta(seconds=now - moment)

    def _observe(self, now: float, wall: datetime) -> list[SessionEvent]:
        """Detect a suspend: wall time moved on while monotonic time did not."""
        last = self._last
        self._last = (now, wall)
        if last is None:
            return []
        gap = (wall - last[1]).total_seconds() - (now - last[0])
        if gap <= SUSPEND_THRESHOLD_S:
            return []
        phase = self.phase
        if isinstance(phase, WorkPhase):
            if gap >= self.settings.break_length(phase.cycle) and not phase.timer.paused:
                # Away as long as a break: that was the break. Close this block where the
                # sleep began, record the natural break, and start a fresh block.
                asleep_at = wall - timedelta(seconds=gap)
                phase.timer.stop(now)
                events: list[SessionEvent] = [
                    Suspended(gap, natural_break=True),
                    Recorded(self._work_record(phase, asleep_at, "completed")),
                    Recorded(self._natural_break_record(phase.cycle, asleep_at, wall, gap)),
                ]
                return events + self._next_work(phase.cycle + 1, now, wall)
            phase.suspended_s += gap
            return [Suspended(gap, natural_break=False)]
        if isinstance(phase, BreakPhase):
            left = self._break_remaining(phase, now)
            phase.suspended_s += gap  # a break counts sleep as rest
            if phase.free is not None:
                phase.free.seconds -= gap
            if gap >= left and not phase.paused:
                if phase.run is not None and not phase.run.finished:
                    phase.run.quit(now)
                done = self._finish_break(phase, now, wall, "completed")
                return [Suspended(gap, natural_break=False), *done]
            return [Suspended(gap, natural_break=False)]
        return []

    def _end(self, reason: str) -> list[SessionEvent]:
        self.phase = None
        self.ended = reason
        return [SessionEnded(reason)]

    # -- internals: records -----------------------------------------------------------------
    def _record(
        self, kind: Kind, cycle: int, started: datetime, ended: datetime, **fields: Any
    ) -> Record:
        return Record(v=SCHEMA_VERSION, id=uuid.uuid4().hex, session=self.session_id, kind=kind,
                      cycle=cycle, started=started, ended=ended, **fields)  # fmt: skip

    def _work_record(
        self, phase: WorkPhase, ended: datetime, outcome: Outcome, now: float | None = None
    ) -> Record:
        active = phase.timer.active(now) if now is not None else phase.timer.seconds
        return self._record(
            "work", phase.cycle, phase.started, ended, planned_s=phase.planned_s,
            active_s=active, paused_s=phase.timer.paused_s, suspended_s=phase.suspended_s,
            outcome=outcome,
        )  # fmt: skip

    def _break_record(
        self, phase: BreakPhase, now: float, ended: datetime, outcome: Outcome
    ) -> Record:
        run = phase.run
        paused = (run.paused_s if run else 0.0) + (phase.free.paused_s if phase.free else 0.0)
        return self._record(
            "break", phase.cycle, phase.started, ended, routine=run.routine.name if run else None,
            planned_s=phase.length_s, active_s=self._break_active(phase, now), paused_s=paused,
            suspended_s=phase.suspended_s, outcome=outcome, steps=run.results() if run else (),
        )  # fmt: skip

    def _instant_break_record(self, cycle: int, wall: datetime, outcome: Outcome) -> Record:
        """A break that did not happen now (skipped) or not yet (postponed): 0 seconds."""
        return self._record("break", cycle, wall, wall, planned_s=self.settings.break_length(cycle),
                            active_s=0.0, outcome=outcome)  # fmt: skip

    def _natural_break_record(
        self, cycle: int, started: datetime, ended: datetime, gap: float
    ) -> Record:
        return self._record("break", cycle, started, ended, active_s=0.0, outcome="completed",
                            planned_s=self.settings.break_length(cycle), suspended_s=gap,
                            natural=True)  # fmt: skip
