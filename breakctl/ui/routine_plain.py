"""`breakctl routine` without a terminal: one timestamped line per change (one per phase of a
breath), no escape codes, for pipes, logs and CI; and the summary line after any run."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console

from breakctl.core.clock import Clock
from breakctl.core.durations import format_clock, format_duration, plural
from breakctl.core.model import Exercise, Routine, describe_dose
from breakctl.core.pacing import beat_of
from breakctl.core.records import Record
from breakctl.core.routine_run import (
    Event,
    Finished,
    Paused,
    Resumed,
    SegmentStarted,
    Snapshot,
    StepSkipped,
)
from breakctl.core.safety import SAFETY, posture_reset
from breakctl.core.timeline import BREATH_PHASES, Segment
from breakctl.ui.exercise_parts import link_text
from breakctl.ui.routine_screen import PHASE_WORDS
from breakctl.ui.text import safe


class PlainRoutineView:
    """One timestamped line per change, no escape codes: for pipes, logs and CI."""

    def __init__(self, console: Console, clock: Clock, *, safety: bool = False) -> None:
        self._console = console
        self._clock = clock
        self._safety = safety  # said once, before the first step
        self._phase: tuple[Segment | None, int | None, str] | None = None  # the breath phase

    def __enter__(self) -> PlainRoutineView:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def line(self, text: str) -> None:
        """Every plain line goes out here, made safe: it may quote a file or a hook."""
        self._console.print(safe(text), markup=False, highlight=False, soft_wrap=True)

    def say(self, text: str) -> None:
        self.line(f"{self._clock.now():%H:%M:%S}  {text}")

    def update(self, events: Sequence[Event], snapshot: Snapshot) -> None:
        self._events(events, snapshot)
        beat = beat_of(snapshot) if not snapshot.paused else None
        phase = (snapshot.segment, beat.rep, beat.kind) if beat is not None else None
        if beat is not None and beat.kind in BREATH_PHASES and phase != self._phase:
            # One line per phase of a breath: the pacer for a pipe or a screen reader.
            word = PHASE_WORDS[beat.kind]
            self.say(f"{word} {format_duration(beat.seconds)} ({beat.rep}/{beat.reps})")
        self._phase = phase

    def _events(self, events: Sequence[Event], snapshot: Snapshot) -> None:
        for event in events:
            if isinstance(event, SegmentStarted):
                self._segment_started(snapshot.routine, event.segment)
            elif isinstance(event, Paused):
                self.say("paused")
            elif isinstance(event, Resumed):
                self.say(f"resumed after {format_clock(event.paused_s)}")
            elif isinstance(event, StepSkipped):
                self.say(f"skipped step {event.step_index + 1}")
            elif isinstance(event, Finished):
                self.say(f"{snapshot.routine.title}: {event.outcome}")

    def _segment_started(self, routine: Routine, segment: Segment) -> None:
        step = routine.steps[segment.step_index]
        name = step.exercise.name
        if self._safety:
            self._safety = False
            self.line(SAFETY)
        if segment.kind == "ready":
            self.say(f"get ready ({format_clock(segment.seconds)}): next is {name}")
            return
        if segment.kind == "switch":
            self.say(f"switch sides: {segment.side} side next")
            return
        side = f", {segment.side} side" if segment.side else ""
        if step.breath is not None:
            dose = describe_dose(step).removesuffix(" each side")
        elif step.reps is not None:
            dose = f"{step.reps} reps, {format_duration(step.rep_s)} each"
        else:
            dose = f"hold {format_duration(segment.seconds)}"
        number = f"{segment.step_index + 1}/{len(routine.steps)}"
        self.say(f"step {number} {name}{side}: {dose}")
        if segment.side != "right":  # cues once per step, not again after the switch
            self._guide(step.exercise)

    def _guide(self, exercise: Exercise) -> None:
        """Start, cues, where to feel it, the caution, easier and harder versions."""
        lines = [f"Start: {exercise.start}"] if exercise.start else []
        lines += [f"- {cue}" for cue in exercise.cues]
        lines += [f"Feel it: {exercise.feel}"] if exercise.feel else []
        lines += [f"! {exercise.caution}"] if exercise.caution else []
        lines += [link_text(exercise)] if exercise.easier or exercise.harder else []
        for line in lines:
            self.line(f"          {line}")


def print_routine_summary(console: Console, routine: Routine, record: Record) -> None:
    done = sum(1 for s in record.steps or () if s.outcome == "done")
    verb = "done" if record.outcome == "completed" else "stopped"
    console.print(
        safe(
            f"{routine.title} {verb}: {done} of {plural(len(routine.steps), 'step')}, "
            f"{format_clock(record.active_s)} moving."
        ),
        markup=False,
        highlight=False,
    )
    # Wrapped at word boundaries to a terminal's width; piped, one line for each.
    console.print(
        posture_reset(routine.seated),
        markup=False,
        highlight=False,
        soft_wrap=not console.is_terminal,
    )
