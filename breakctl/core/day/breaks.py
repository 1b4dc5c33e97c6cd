"""A break: the chosen routine step by step, then free movement for the time it leaves."""

from __future__ import annotations

from datetime import datetime, timedelta

from breakctl.core.actions import Action
from breakctl.core.clockface import until_next_tick
from breakctl.core.day.context import BreakDone, DayContext, Quit, new_id, wall_at
from breakctl.core.day.events import (
    BreakChoice,
    BreakStarted,
    FreeMovementStarted,
    PhasePaused,
    PhaseResumed,
    Recorded,
    RoutineEvent,
    SessionEvent,
    Suspended,
)
from breakctl.core.day.phase import NOTHING, Phase, Step
from breakctl.core.day.snapshot import SessionSnapshot
from breakctl.core.records import Outcome, Record
from breakctl.core.routine_run import DONE, RoutineRun
from breakctl.core.timer import ActiveTimer


class BreakPhase(Phase):
    name = "break"

    def __init__(self, context: DayContext, cycle: int, choice: BreakChoice, wall: datetime):
        super().__init__(context)
        self.cycle = cycle
        self.choice = choice
        self.length_s = context.settings.break_length(cycle)
        routine = choice.routine
        self.extended = routine is not None and routine.planned_s > self.length_s
        if routine is not None and self.extended:
            self.length_s = routine.planned_s  # a longer routine grows the break to fit it
        self.started = wall
        self.record_id = new_id()
        self.run: RoutineRun | None = None
        self.free: ActiveTimer | None = None
        self.suspended_s = 0.0
        self.paused = False

    def start(self, now: float) -> list[SessionEvent]:
        routine = self.choice.routine
        long = self.context.settings.is_long_break(self.cycle)
        events: list[SessionEvent] = [
            BreakStarted(
                self.cycle, self.length_s, routine, self.choice.reason, self.extended, long
            )
        ]
        if routine is not None and routine.steps:
            self.run = RoutineRun(routine, now)
            return events + [RoutineEvent(e) for e in self.run.start()]
        self.free = ActiveTimer(now, self.length_s)
        return [*events, FreeMovementStarted(self.length_s)]

    @property
    def _routine_running(self) -> RoutineRun | None:
        return self.run if self.run is not None and not self.run.finished else None

    def advance(self, now: float, wall: datetime) -> Step:
        if self.paused:
            return NOTHING
        run = self._routine_running
        if run is not None:
            return [RoutineEvent(e) for e in run.advance(now)] + self._after_routine(now), None
        if self.free is not None and self.free.remaining(now) <= 1e-9:
            end = now + self.free.remaining(now)
            return self._finish(end, wall_at(end, now, wall), "completed")
        return NOTHING

    def _after_routine(self, now: float) -> list[SessionEvent]:
        """Once the routine is over, the rest of the break is free movement."""
        if self.run is None or not self.run.finished or self.free is not None:
            return []
        left = max(0.0, self.length_s - self.run.active_s(now) - self.suspended_s)
        self.free = ActiveTimer(now, left)
        if self.paused:
            self.free.pause(now)
        return [FreeMovementStarted(left)] if left > 0 else []

    def _finish(self, end: float, wall: datetime, outcome: Outcome) -> Step:
        if self.free is not None:
            self.free.stop(end)
        record = self.record(end, wall, outcome)
        return [Recorded(record)], BreakDone(self.cycle, end, wall)

    def act(self, action: Action, now: float, wall: datetime) -> Step:
        if action is Action.TOGGLE_PAUSE:
            action = Action.RESUME if self.paused else Action.PAUSE
        if action in (Action.PAUSE, Action.RESUME):
            return self._set_paused(action is Action.PAUSE, now)
        if action is Action.QUIT:
            return self.interrupt(now, wall), Quit()
        run = self._routine_running
        if action is Action.NEXT:
            if run is not None:
                events = [RoutineEvent(e) for e in run.skip_step(now)]
                return events + self._after_routine(now), None
            return self._finish(now, wall, "completed")
        if action is Action.SKIP:
            if run is not None:
                run.quit(now)
            done = self.run is not None and any(s.outcome == DONE for s in self.run.steps)
            return self._finish(now, wall, "completed" if done else "skipped")
        return NOTHING

    def _set_paused(self, paused: bool, now: float) -> Step:
        if paused == self.paused:
            return NOTHING
        self.paused = paused
        run = self._routine_running
        paused_for = 0.0
        if run is not None:
            before = run.paused_s
            run.toggle_pause(now)
            paused_for = run.paused_s - before
        elif self.free is not None and paused:
            self.free.pause(now)
        elif self.free is not None:
            paused_for = self.free.resume(now)
        return ([PhasePaused()] if paused else [PhaseResumed(paused_for)]), None

    def cut(self, end: float, wall_end: datetime) -> Step:
        """Working hours (or --until) end here: the break ends, taken as far as it went."""
        run = self._routine_running
        if run is not None:
            run.quit(end)
        return self._finish(end, wall_end, "completed")

    def suspended(self, gap: float, now: float, wall: datetime) -> Step:
        left = self._remaining(now)
        self.suspended_s += gap  # a break counts sleep as rest
        if self.free is not None:
            self.free.seconds -= gap
        events: list[SessionEvent] = [Suspended(gap, natural_break=False)]
        if gap >= left and not self.paused:
            run = self._routine_running
            if run is not None:
                run.quit(now)
            done, transition = self._finish(now, wall, "completed")
            return events + done, transition
        return events, None

    def _active(self, now: float) -> float:
        routine = self.run.active_s(now) if self.run is not None else 0.0
        free = self.free.active(now) if self.free is not None else 0.0
        return routine + free

    def _remaining(self, now: float) -> float:
        if self.free is not None:
            return max(0.0, self.free.remaining(now))
        return max(0.0, self.length_s - self._active(now) - self.suspended_s)

    def record(self, now: float, ended: datetime, outcome: Outcome) -> Record:
        run, free = self.run, self.free
        paused = (run.paused_s if run else 0.0) + (free.paused_s if free else 0.0)
        return self.context.record(
            "break", self.record_id, self.cycle, self.started, ended, outcome,
            routine=run.routine.name if run else None, planned_s=self.length_s,
            active_s=self._active(now), paused_s=paused, suspended_s=self.suspended_s,
            steps=run.results() if run else (),
        )  # fmt: skip

    def in_progress(self, now: float, wall: datetime) -> Record | None:
        return self.record(now, wall, "interrupted")

    def interrupt(self, now: float, wall: datetime) -> list[SessionEvent]:
        if self.free is not None:
            self.free.stop(now)
        run = self._routine_running
        if run is not None:
            run.quit(now)
        return [Recorded(self.record(now, wall, "interrupted"))]

    def snapshot(self, now: float, wall: datetime) -> SessionSnapshot:
        remaining = self._remaining(now)
        run = self._routine_running
        free = self.free.remaining(now) if self.free is not None else None
        return SessionSnapshot(
            phase="break", cycle=self.cycle, cycles=self.context.settings.cycles,
            paused=self.paused, remaining_s=remaining, planned_s=self.length_s,
            elapsed_s=self._active(now),
            ends_at=None if self.paused else wall + timedelta(seconds=remaining),
            routine=run.snapshot(now) if run is not None else None,
            free_s=None if free is None else max(0.0, free), reason=self.choice.reason,
            extended=self.extended,
        )  # fmt: skip

    def next_wake(self, now: float) -> float | None:
        if self.paused:
            return None
        run = self._routine_running
        if run is not None:
            return run.next_wake(now)
        if self.free is not None:
            deadline = self.free.deadline()
            if deadline is None:
                return None
            return max(now, min(deadline, now + until_next_tick(deadline - now)))
        return None
