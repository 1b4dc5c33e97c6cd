"""A break: the chosen routine step by step, then free movement for the time it leaves."""

from __future__ import annotations

from datetime import datetime, timedelta

from breakctl.core.actions import Action
from breakctl.core.clockface import until_next_tick
from breakctl.core.day.break_input import BreakInput
from breakctl.core.day.context import BreakDone, DayContext, PresenceRules, Quit, new_id, wall_at
from breakctl.core.day.events import (
    AwayStarted,
    BreakChoice,
    BreakStarted,
    FreeMovementStarted,
    PhasePaused,
    PhaseResumed,
    Recorded,
    RoutineEvent,
    SessionEvent,
    Suspended,
    WaitingForYou,
    WelcomeBack,
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
        self.length_s = context.break_length(cycle)
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
        # Presence: nobody at the keyboard when it came due, away during it, input during it.
        self.waiting = False
        self.started_at = 0.0  # monotonic
        self.away_since: float | None = None
        self.away_s = 0.0
        self.input = BreakInput()

    def start(self, now: float, idle_s: float | None = None) -> list[SessionEvent]:
        """Begin; `idle_s` is how long nobody has touched keyboard or mouse (presence)."""
        routine = self.choice.routine
        long = self.context.is_long_break(self.cycle)
        self.started_at = now
        events: list[SessionEvent] = [
            BreakStarted(
                self.cycle, self.length_s, routine, self.choice.reason, self.extended, long
            )
        ]
        rules = self.context.presence
        if rules is not None and idle_s is not None and idle_s >= rules.absent_s:
            self.waiting = True  # the alert rings; the routine waits for the person
            return [*events, WaitingForYou()]
        return events + self._begin(now)

    def _begin(self, now: float) -> list[SessionEvent]:
        routine = self.choice.routine
        events: list[SessionEvent] = []
        if routine is not None and routine.steps:
            self.run = RoutineRun(routine, now)
            return events + [RoutineEvent(e) for e in self.run.start()]
        self.free = ActiveTimer(now, self.length_s)
        return [*events, FreeMovementStarted(self.length_s)]

    # -- presence: waiting for the person, input during the break ------------------------------
    holds_for_person = property(lambda self: self.waiting)

    def key_pressed(self, now: float) -> None:
        self.input.last_key = now

    def sensed(self, idle_s: float, now: float, wall: datetime) -> Step:
        rules = self.context.presence
        if rules is None:
            return NOTHING
        last_input = now - idle_s
        if self.waiting:
            return self._sensed_waiting(rules, last_input, now, wall)
        return self.input.reading(last_input, now, self.paused, rules.nag_after_s), None

    def _sensed_waiting(
        self, rules: PresenceRules, last_input: float, now: float, wall: datetime
    ) -> Step:
        """Before the routine's first step: start at the person's first input; away long
        enough, and the absence was the break."""
        since = self.away_since if self.away_since is not None else self.started_at
        if last_input > since:
            back = last_input
            away = back - self.away_since if self.away_since is not None else 0.0
            if away >= self.length_s:
                record = self.context.natural_break(
                    self.cycle, wall_at(self.away_since or back, now, wall),
                    wall_at(back, now, wall), away_s=away, record_id=self.record_id,
                )  # fmt: skip
                events: list[SessionEvent] = [WelcomeBack(away, True), Recorded(record)]
                return events, BreakDone(self.cycle, back, wall_at(back, now, wall))
            self.waiting, self.away_since, self.away_s = False, None, self.away_s + away
            welcome: list[SessionEvent] = [WelcomeBack(away, False)] if away else []
            return welcome + self._begin(now), None
        if self.away_since is None and now - last_input >= rules.away_after_s:
            self.away_since = max(last_input, self.started_at)
            return [AwayStarted(now - self.away_since)], None
        return NOTHING

    def presence_lost(self, now: float, wall: datetime) -> Step:
        # A break waiting for the person starts now, the absence so far kept as away time.
        self.input.unseen()
        if not self.waiting:
            return NOTHING
        if self.away_since is not None:
            self.away_s += now - self.away_since
        self.waiting, self.away_since = False, None
        return self._begin(now), None

    @property
    def _routine_running(self) -> RoutineRun | None:
        return self.run if self.run is not None and not self.run.finished else None

    def advance(self, now: float, wall: datetime) -> Step:
        if self.paused or self.waiting:
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
        if outcome == "completed" and self.input.input_s > self._active(end) / 2:
            outcome = "worked-through"  # at the computer for more than half of it
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
        if action is Action.NEXT and run is not None:
            events = [RoutineEvent(e) for e in run.skip_step(now)]
            return events + self._after_routine(now), None
        if action in (Action.NEXT, Action.SKIP):  # the break ends here
            done = self.run is not None and any(s.outcome == DONE for s in self.run.steps)
            skip = action is Action.SKIP and not done  # `s` before any step was done
            ended: Outcome = "completed" if self._taken(now) else "skipped" if skip else "cut-short"
            return self._stopped_here(now, wall, ended)
        return NOTHING

    def _taken(self, end: float) -> bool:
        return taken(self._active(end) + self.suspended_s, self.length_s, self.run)

    def _stopped_here(self, now: float, wall: datetime, outcome: Outcome) -> Step:
        run = self._routine_running
        if run is not None:
            run.quit(now)
        return self._finish(now, wall, outcome)

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
        """Working hours (or --until) end here, after a pause pushed the break on: it counts
        as taken by the usual rule (a break that cannot fit never starts)."""
        # A break still waiting for the person when the day ends was never taken.
        outcome: Outcome = "completed" if self._taken(end) else "cut-short"
        return self._stopped_here(end, wall_end, "interrupted" if self.waiting else outcome)

    def suspended(self, gap: float, now: float, wall: datetime) -> Step:
        left = self._remaining(now)
        self.suspended_s += gap  # a break counts sleep as rest
        if self.free is not None:
            self.free.seconds -= gap
        events: list[SessionEvent] = [Suspended(gap, natural_break=False)]
        if gap >= left and not self.paused:
            done, transition = self._stopped_here(now, wall, "completed")
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
            steps=run.results() if run else (), away_s=self.away_s, input_s=self.input.input_s,
        )  # fmt: skip

    def in_progress(self, now: float, wall: datetime) -> Record | None:
        return self.record(now, wall, "interrupted")

    def interrupt(self, now: float, wall: datetime) -> list[SessionEvent]:
        """q, Ctrl-C or a signal: the break ends here, completed up to now if already taken."""
        outcome: Outcome = "completed" if self._taken(now) else "interrupted"
        return self._stopped_here(now, wall, outcome)[0]

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
            extended=self.extended, waiting_for_you=self.waiting,
            seated=self.choice.routine is not None and self.choice.routine.seated,
            next_break_title=self.choice.routine.title if self.choice.routine else None,
            away_s=None if self.away_since is None else now - self.away_since,
        )  # fmt: skip

    def next_wake(self, now: float) -> float | None:
        if self.paused or self.waiting:
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


def taken(lasted_s: float, planned_s: float, run: RoutineRun | None) -> bool:
    """A break ended by the person counts as taken when it lasted at least half its planned
    length (sleep counts as rest), or when every step of its routine was done: skipping
    through a break must not score better than moving (docs/history.md)."""
    if lasted_s >= planned_s / 2 - 1e-9:
        return True
    return run is not None and bool(run.steps) and all(s.outcome == DONE for s in run.steps)
