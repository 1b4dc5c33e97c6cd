"""A routine laid out as timed segments: get ready, work (a hold or reps), switch sides."""

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
