"""What a routine or a day says and chimes, moment by moment, for someone not looking at the
screen: which sound plays and which short phrase is spoken. Pure: the host plays and speaks.

The phrases are written for the ear from the same step data as the screen (the exercise's
name, the side, the dose), never the screen's text read aloud: "Knee hug, left side, hold 20
seconds", "switch sides", "three, two, one", "break over".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from breakctl.core.day.events import (
    BreakStarted,
    FreeMovementStarted,
    NudgeDue,
    Recorded,
    RoutineEvent,
    SessionEvent,
)
from breakctl.core.day.snapshot import SessionSnapshot
from breakctl.core.model import Step
from breakctl.core.pacing import beat_of, chime_due
from breakctl.core.records import Record
from breakctl.core.routine_run import COMPLETED, Event, Finished, SegmentStarted, Snapshot
from breakctl.core.timeline import EXHALE, HOLD, HOLD_IN, HOLD_OUT, INHALE, Segment

# The sounds shipped in breakctl/sounds/<name>.wav, one per kind of moment.
BREAK_DUE, STEP, HOLD_END, BREAK_OVER = "break-due", "step", "hold-end", "break-over"
BREATHE_IN, BREATHE_OUT, NUDGE = "breathe-in", "breathe-out", "nudge"
SOUNDS = (BREAK_DUE, STEP, HOLD_END, BREAK_OVER, BREATHE_IN, BREATHE_OUT, NUDGE)
COUNTDOWN_S = 3  # the last seconds of a hold are counted aloud
COUNTED_HOLD_S = 5.0  # ... in holds at least this long (a 3 s hold is all countdown)
_NUMBERS = {1: "one", 2: "two", 3: "three"}
_PHASE_PHRASES = {INHALE: "breathe in", HOLD_IN: "hold", EXHALE: "breathe out", HOLD_OUT: "hold"}
_PHASE_SOUNDS = {INHALE: BREATHE_IN, EXHALE: BREATHE_OUT}


@dataclass(frozen=True)
class Cue:
    """One moment's sound (a name from SOUNDS) and phrase; either may be missing."""

    sound: str | None = None
    say: str | None = None


def spoken_seconds(seconds: float) -> str:
    """A duration as said aloud: '20 seconds', '1 minute', '1 minute 30 seconds'."""
    whole = max(1, round(seconds))
    minutes, secs = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if secs:
        parts.append(f"{secs} second{'s' if secs != 1 else ''}")
    return " ".join(parts)


def step_phrase(step: Step, segment: Segment) -> str:
    """What is said as a step's work begins: its name, the side, and the dose in words."""
    name = step.exercise.name
    side = f", {segment.side} side" if segment.side else ""
    breath = step.breath
    if breath is not None:
        dose = f"{step.reps} slow breath{'s' if step.reps != 1 else ''}"
        dose += f", in for {round(breath.inhale_s)}, out for {round(breath.exhale_s)}"
    elif step.reps is not None and step.hold_s is not None:
        dose = f"{step.reps} holds of {spoken_seconds(step.hold_s)}"
    elif step.reps is not None:
        dose = f"{step.reps} reps"
    else:
        dose = f"hold {spoken_seconds(segment.seconds)}"
    return f"{name}{side}, {dose}"


def _segment_cue(step: Step, segment: Segment) -> Cue:
    if segment.kind == "ready":
        return Cue(STEP, f"Next: {step.exercise.name}")
    if segment.kind == "switch":
        return Cue(STEP, "Switch sides")
    return Cue(STEP, step_phrase(step, segment))


class RoutineCues:
    """Decides, update by update, what a routine sounds like: a new step or side, a hold run
    out, the last three seconds of a hold, each phase of a breath, the end. Like the bell's
    Chime it remembers the last snapshot, so each moment is cued once however often the
    screen is redrawn."""

    def __init__(self) -> None:
        self._last: Snapshot | None = None
        self._counted: tuple[Segment | None, int | None, int] | None = None
        self._phase: tuple[Segment | None, int | None, str] | None = None

    def cues(self, events: Sequence[Event], snapshot: Snapshot | None) -> list[Cue]:
        before, self._last = self._last, snapshot
        cues: list[Cue] = []
        started = [e for e in events if isinstance(e, SegmentStarted)]
        hold_ran_out = chime_due(before, snapshot, events) and not any(
            e.segment.kind == "switch" for e in started
        )
        if hold_ran_out:
            cues.append(Cue(HOLD_END))
        if snapshot is not None and started:
            step = snapshot.routine.steps[started[-1].segment.step_index]
            cue = _segment_cue(step, started[-1].segment)
            cues.append(Cue(None, cue.say) if hold_ran_out else cue)  # one sound at a time
        if any(isinstance(e, Finished) and e.outcome == COMPLETED for e in events):
            # The end outranks the last hold's end: one sound at a time.
            cues = [Cue(None, c.say) for c in cues if c.say] + [Cue(BREAK_OVER, "Routine done")]
        if snapshot is not None and not snapshot.paused:
            cues += self._beat_cues(snapshot)
        return cues

    def _beat_cues(self, snapshot: Snapshot) -> list[Cue]:
        """The phase of a breath as it begins; the count of a hold's last seconds."""
        beat = beat_of(snapshot)
        if beat is None:
            return []
        if beat.kind in _PHASE_PHRASES:
            phase = (snapshot.segment, beat.rep, beat.kind)
            if phase == self._phase:
                return []
            self._phase = phase
            return [Cue(_PHASE_SOUNDS.get(beat.kind), _PHASE_PHRASES[beat.kind])]
        count = math.ceil(beat.remaining_s - 1e-9)
        if beat.kind != HOLD or beat.seconds < COUNTED_HOLD_S or not 1 <= count <= COUNTDOWN_S:
            return []
        key = (snapshot.segment, beat.rep, count)
        if key == self._counted:
            return []  # each number once, however often the screen is redrawn
        self._counted = key
        return [Cue(None, _NUMBERS[count])]


class DayCues:
    """The cues of a day of `breakctl start`: a break due, its routine (as RoutineCues, but
    the routine's end is not the break's), the break over, and the nudges of a work block."""

    def __init__(self) -> None:
        self._routine = RoutineCues()

    def cues(self, events: Sequence[SessionEvent], snapshot: SessionSnapshot) -> list[Cue]:
        cues: list[Cue] = []
        for event in events:
            if isinstance(event, BreakStarted):
                what = event.routine.title if event.routine else "free movement"
                cues.append(Cue(BREAK_DUE, f"Time for a break: {what}"))
            elif isinstance(event, NudgeDue):
                cues.append(Cue(NUDGE, event.say))
            elif isinstance(event, FreeMovementStarted):
                cues.append(Cue(STEP, "Now move freely"))
            elif isinstance(event, Recorded) and _break_over(event.record):
                cues.append(Cue(BREAK_OVER, "Break over"))
        routine_events = [
            e.event
            for e in events
            if isinstance(e, RoutineEvent) and not isinstance(e.event, Finished)
        ]
        if snapshot.phase == "break" or routine_events:
            cues[1:1] = self._routine.cues(routine_events, snapshot.routine)
        return [] if snapshot.hushed else cues  # a call or a meeting holds (#21): quiet


def _break_over(record: Record) -> bool:
    """A break that was taken and ended (not skipped, postponed or cut off by a quit)."""
    return record.kind == "break" and record.outcome not in ("skipped", "postponed", "interrupted")
