"""A routine being done: a pure state machine over its timeline. It never sleeps and never
reads a clock: every call gets the monotonic `now`, so tests drive it with plain numbers.

Time is kept as *active* seconds (pauses excluded). Each segment ends at a fixed active-time
deadline computed from the plan, so a late wake-up never shifts the segments after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from breakctl.core.clockface import until_next_tick
from breakctl.core.model import Routine, Step
from breakctl.core.records import StepResult
from breakctl.core.timeline import Segment, beat_at, build_timeline
from breakctl.core.timer import ActiveTimer

DONE, SKIPPED, NOT_REACHED = "done", "skipped", "not-reached"
COMPLETED, QUIT = "completed", "quit"


@dataclass(frozen=True)
class SegmentStarted:
    segment: Segment
    index: int


@dataclass(frozen=True)
class Paused:
    pass


@dataclass(frozen=True)
class Resumed:
    paused_s: float


@dataclass(frozen=True)
class StepSkipped:
    step_index: int


@dataclass(frozen=True)
class Finished:
    outcome: str  # "completed" | "quit"


Event = SegmentStarted | Paused | Resumed | StepSkipped | Finished


@dataclass(frozen=True)
class Snapshot:
    """What a screen needs to draw the routine at one instant."""

    routine: Routine
    segment: Segment | None
    step: Step | None
    segment_elapsed_s: float
    segment_remaining_s: float
    remaining_s: float  # of the whole routine, as planned from here
    rep: int | None
    paused: bool
    paused_for_s: float


@dataclass
class StepProgress:
    exercise: str
    outcome: str = NOT_REACHED
    active_s: float = 0.0


@dataclass
class RoutineRun:
    routine: Routine
    started_at: float  # monotonic
    timeline: list[Segment] = field(init=False)
    index: int = field(init=False, default=0)
    steps: list[StepProgress] = field(init=False)
    outcome: str | None = field(init=False, default=None)
    timer: ActiveTimer = field(init=False)
    _segment_start: float = field(init=False, default=0.0)  # in active seconds

    def __post_init__(self) -> None:
        self.timeline = build_timeline(self.routine)
        self.steps = [StepProgress(step.exercise.id) for step in self.routine.steps]
        self.timer = ActiveTimer(self.started_at)

    # -- reading ----------------------------------------------------------------------------
    def results(self) -> tuple[StepResult, ...]:
        """Each step's outcome, as the history records it."""
        return tuple(StepResult(s.exercise, s.outcome, s.active_s) for s in self.steps)

    def results_so_far(self, now: float) -> tuple[StepResult, ...]:
        """Each step's outcome as `quit` at `now` would leave it, the run left as it is: what a
        run cut short at `now` (kill -9) is recovered with."""
        results = list(self.results())
        segment = self.segment
        if not self.finished and segment is not None:
            progress = self.steps[segment.step_index]
            active_s = progress.active_s + self._credit_for(segment, self._elapsed(now))
            begun = self._begun(segment, active_s)
            outcome = SKIPPED if begun else progress.outcome
            results[segment.step_index] = StepResult(progress.exercise, outcome, active_s)
        return tuple(results)

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    @property
    def paused(self) -> bool:
        return self.timer.paused

    @property
    def paused_s(self) -> float:
        return self.timer.paused_s

    def paused_so_far(self, now: float) -> float:
        """Paused seconds, a pause under way included (as a quit at `now` would count it)."""
        return self.timer.paused_s + self.timer.paused_for(now)

    def active_s(self, now: float) -> float:
        """Seconds spent in the routine so far, pauses excluded."""
        return self.timer.active(now)

    @property
    def segment(self) -> Segment | None:
        return self.timeline[self.index] if self.index < len(self.timeline) else None

    def _segment_end(self) -> float:
        segment = self.segment
        return self._segment_start + (segment.seconds if segment else 0.0)

    def snapshot(self, now: float) -> Snapshot:
        segment = self.segment
        elapsed = self._elapsed(now)
        remaining = max(0.0, (segment.seconds if segment else 0.0) - elapsed)
        later = sum(s.seconds for s in self.timeline[self.index + 1 :])
        step = self.routine.steps[segment.step_index] if segment else None
        return Snapshot(
            routine=self.routine,
            segment=segment,
            step=step,
            segment_elapsed_s=elapsed,
            segment_remaining_s=remaining,
            remaining_s=remaining + later,
            rep=segment.rep_at(step, elapsed) if segment and step else None,
            paused=self.paused,
            paused_for_s=self.timer.paused_for(now),
        )

    def next_wake(self, now: float) -> float | None:
        """The monotonic time something visible changes next: a segment, rep, hold or let-go
        ends, or the shown seconds tick down. None while paused or finished (nothing changes
        by itself)."""
        segment = self.segment
        if self.finished or self.paused or segment is None:
            return None
        elapsed = self._elapsed(now)
        remaining = segment.seconds - elapsed
        if remaining <= 0:
            return now
        wait = min(remaining, until_next_tick(remaining))
        beat = beat_at(segment, self.routine.steps[segment.step_index], elapsed)
        if beat is not None:  # each second of the hold, let-go or rep, and its end
            wait = min(wait, until_next_tick(beat.remaining_s))
        return now + wait

    # -- acting -----------------------------------------------------------------------------
    def start(self) -> list[Event]:
        if not self.timeline:
            return self._finish(self.started_at, COMPLETED)
        return [SegmentStarted(self.timeline[0], 0)]

    def advance(self, now: float) -> list[Event]:
        """Close every segment whose deadline has passed; emit what started."""
        events: list[Event] = []
        if self.finished or self.paused:
            return events
        active = self.active_s(now)
        while self.segment is not None and active >= self._segment_end() - 1e-9:
            end = self._segment_end()
            self._credit(self.segment, self.segment.seconds)
            self._close_step_if_last(self.index)
            self.index += 1
            self._segment_start = end
            if self.segment is not None:
                events.append(SegmentStarted(self.segment, self.index))
        if self.segment is None:
            events += self._finish(now, COMPLETED)
        return events

    def toggle_pause(self, now: float) -> list[Event]:
        if self.finished:
            return []
        if self.timer.pause(now):
            return [Paused()]
        return [Resumed(self.timer.resume(now))]

    def skip_step(self, now: float) -> list[Event]:
        """Leave the current step as skipped and go to the next one's get-ready."""
        segment = self.segment
        if self.finished or segment is None:
            return []
        was_paused = self.paused
        if was_paused:
            self.toggle_pause(now)
        step_index = segment.step_index
        self._credit(segment, self._elapsed(now))
        self.steps[step_index].outcome = SKIPPED
        while self.segment is not None and self.segment.step_index == step_index:
            self.index += 1
        self._segment_start = self.active_s(now)
        events: list[Event] = [StepSkipped(step_index)]
        if self.segment is None:
            return events + self._finish(now, COMPLETED)
        return [*events, SegmentStarted(self.segment, self.index)]

    def quit(self, now: float) -> list[Event]:
        """Stop here: the step under way counts as skipped, later ones as not reached."""
        segment = self.segment
        if self.finished:
            return []
        if self.paused:
            self.toggle_pause(now)
        if segment is not None:
            self._credit(segment, self._elapsed(now))
            result = self.steps[segment.step_index]
            if self._begun(segment, result.active_s):
                result.outcome = SKIPPED
        return self._finish(now, QUIT)

    # -- internals --------------------------------------------------------------------------
    def _elapsed(self, now: float) -> float:
        """Active seconds into the segment under way."""
        return self.active_s(now) - self._segment_start

    @staticmethod
    def _credit_for(segment: Segment, seconds: float) -> float:
        """What time in `segment` adds to its step's active time (get-ready adds none)."""
        return max(0.0, seconds) if segment.kind != "ready" else 0.0

    @staticmethod
    def _begun(segment: Segment, step_active_s: float) -> bool:
        """Whether a run stopped in `segment` leaves its step skipped rather than not reached."""
        return segment.kind != "ready" or step_active_s > 0

    def _credit(self, segment: Segment, seconds: float) -> None:
        self.steps[segment.step_index].active_s += self._credit_for(segment, seconds)

    def _close_step_if_last(self, index: int) -> None:
        step_index = self.timeline[index].step_index
        is_last = (
            index + 1 >= len(self.timeline) or self.timeline[index + 1].step_index != step_index
        )
        result = self.steps[step_index]
        if is_last and result.outcome == NOT_REACHED:
            result.outcome = DONE

    def _finish(self, now: float, outcome: str) -> list[Event]:
        self.timer.stop(now)
        self.outcome = outcome
        return [Finished(outcome)]
