"""A routine laid out as timed segments (get ready, work, switch sides), and the beat within a
work segment: the current hold and the "let go" after it, or the current rep of a paced move."""

from __future__ import annotations

from dataclasses import dataclass

from breakctl.core.model import SWITCH_S, Routine, Step


@dataclass(frozen=True)
class Segment:
    kind: str  # "ready" | "work" | "switch"
    step_index: int
    seconds: float
    side: str | None = None  # "left" | "right" on two-sided exercises

    def rep_at(self, step: Step, elapsed_s: float) -> int | None:
        """The 1-based rep in progress `elapsed_s` into a work segment, or None for a hold."""
        if self.kind != "work" or step.reps is None:
            return None
        return min(step.reps, int(elapsed_s // step.rep_s) + 1)


def build_timeline(routine: Routine) -> list[Segment]:
    """Every segment of the routine in order; their seconds add up to routine.planned_s."""
    segments: list[Segment] = []
    for index, step in enumerate(routine.steps):
        if routine.rest_s > 0:
            segments.append(Segment("ready", index, routine.rest_s))
        if step.sides:
            segments.append(Segment("work", index, step.side_s, side="left"))
            segments.append(Segment("switch", index, SWITCH_S, side="right"))
            segments.append(Segment("work", index, step.side_s, side="right"))
        else:
            segments.append(Segment("work", index, step.side_s))
    return segments


HOLD, LET_GO, REP = "hold", "let go", "rep"
# The beats of a breath step: one per phase of each breath (see model.Breath).
INHALE, HOLD_IN, EXHALE, HOLD_OUT = "inhale", "hold-in", "exhale", "hold-out"
BREATH_PHASES = (INHALE, HOLD_IN, EXHALE, HOLD_OUT)


@dataclass(frozen=True)
class Beat:
    """One hold, one let-go or one rep of a work segment."""

    kind: str  # HOLD | LET_GO | REP
    rep: int | None  # 1-based, None for a single hold (a stretch held for the whole segment)
    reps: int | None
    remaining_s: float  # of this hold, let-go or rep
    seconds: float  # its full length


def beat_at(segment: Segment, step: Step, elapsed_s: float) -> Beat | None:
    """The beat `elapsed_s` into a segment; None outside work segments and for a move with
    neither reps nor a hold."""
    if segment.kind != "work":
        return None
    elapsed = min(max(0.0, elapsed_s), segment.seconds)
    if step.reps is None:
        if not step.hold_s:
            return None
        return Beat(HOLD, None, None, segment.seconds - elapsed, segment.seconds)
    rep_s = step.rep_s
    rep = min(step.reps, int(elapsed // rep_s) + 1)
    within = elapsed - (rep - 1) * rep_s
    if step.breath is not None:
        return _breath_beat(step, rep, within)
    if step.hold_s and step.hold_s < rep_s:
        if within < step.hold_s:
            return Beat(HOLD, rep, step.reps, step.hold_s - within, step.hold_s)
        return Beat(LET_GO, rep, step.reps, rep_s - within, rep_s - step.hold_s)
    kind = HOLD if step.hold_s else REP
    return Beat(kind, rep, step.reps, rep_s - within, rep_s)


def _breath_beat(step: Step, breath_no: int, within: float) -> Beat:
    """The phase of breath `breath_no` that `within` seconds into it fall in; a boundary
    belongs to the phase it begins."""
    assert step.breath is not None
    phases = step.breath.phases()
    start = 0.0
    for name, seconds in phases:
        if within < start + seconds or (name, seconds) == phases[-1]:
            return Beat(name, breath_no, step.reps, max(0.0, start + seconds - within), seconds)
        start += seconds
    raise AssertionError("a breath has at least one phase")  # parse_routine sees to it
