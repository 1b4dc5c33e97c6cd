"""The data breakctl works with, as frozen dataclasses. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from breakctl.core.durations import format_duration

POSITIONS = ("seated", "standing", "floor", "walking")

# Body areas an exercise can target; stats and break planning speak this vocabulary.
AREAS = (
    "neck",
    "shoulders",
    "chest",
    "upper-back",
    "lower-back",
    "core",
    "glutes",
    "hip-flexors",
    "hamstrings",
    "quads",
    "calves",
    "eyes",
    "forearms",  # wrists, forearms and hands
    "shins",  # the front of the lower legs
)

DEFAULT_PACE_S = 3.0  # time per rep when neither pace nor hold says otherwise
RELEASE_S = 2.0  # between held reps (reps + hold): let go, breathe, set up again
SWITCH_S = 3.0  # to change sides on a two-sided exercise


@dataclass(frozen=True)
class Breath:
    """The phases of one paced breath, in seconds: in, held full, out, held empty. A breath
    step is so many of these (its reps), one after another."""

    inhale_s: float
    hold_s: float
    exhale_s: float
    hold_out_s: float

    @property
    def cycle_s(self) -> float:
        return self.inhale_s + self.hold_s + self.exhale_s + self.hold_out_s

    def phases(self) -> tuple[tuple[str, float], ...]:
        """(phase, seconds) in order, the empty ones left out."""
        named = (
            ("inhale", self.inhale_s),
            ("hold-in", self.hold_s),
            ("exhale", self.exhale_s),
            ("hold-out", self.hold_out_s),
        )
        return tuple((name, seconds) for name, seconds in named if seconds > 0)


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    position: str
    targets: tuple[str, ...]
    cues: tuple[str, ...]
    hold_s: float | None = None
    reps: int | None = None
    pace_s: float | None = None
    sides: bool = False
    caution: str | None = None
    figure: str | None = None  # line art of the pose; on two-sided moves, the first side
    start: str | None = None  # the starting position
    feel: str | None = None  # where the stretch or the work should be felt
    easier: str | None = None  # the id of an easier version of this move
    harder: str | None = None  # the id of a harder one
    # The names of those two, for the screens (the library fills them in: see with_link_names).
    easier_name: str | None = None
    harder_name: str | None = None
    breath: Breath | None = None  # each rep paced by one breath (cat-cow, trunk rotation)

    @cached_property
    def figure_mirrored(self) -> str | None:
        """The same pose on the other side, drawn when first asked for: a command that only
        lists or counts exercises never pays for it."""
        from breakctl.core import figures  # the screens' business: a listing never draws

        return figures.mirror(self.figure) if self.figure is not None else None

    def figure_for(self, side: str | None) -> str | None:
        """The figure for this side: the drawn one, or its mirror image for the right side."""
        if side == "right" and self.figure_mirrored is not None:
            return self.figure_mirrored
        return self.figure


@dataclass(frozen=True)
class Step:
    """One exercise in a routine, with its dose after the routine's overrides."""

    exercise: Exercise
    hold_s: float | None
    reps: int | None
    pace_s: float | None
    sides: bool
    breath: Breath | None = None  # a breath step: each rep is one breath of these phases

    @property
    def rep_s(self) -> float:
        """Seconds one rep takes: the pace, else a held rep plus a release, else the default."""
        if self.breath is not None:
            return self.breath.cycle_s
        if self.pace_s is not None:
            return self.pace_s
        if self.hold_s is not None:
            return self.hold_s + RELEASE_S
        return DEFAULT_PACE_S

    @property
    def side_s(self) -> float:
        """Seconds of work on one side (or in all, for a one-sided exercise)."""
        if self.reps is not None:
            return self.reps * self.rep_s
        return self.hold_s or 0.0

    @property
    def seconds(self) -> float:
        """Seconds the step takes, sides and the switch between them included."""
        if self.sides:
            return 2 * self.side_s + SWITCH_S
        return self.side_s


@dataclass(frozen=True)
class Routine:
    name: str
    title: str
    summary: str
    rest_s: float
    steps: tuple[Step, ...]
    source: str  # "built-in" or "user"
    path: Path | None = None

    @property
    def planned_s(self) -> float:
        """Seconds the routine takes when nothing is paused or skipped."""
        return sum(self.rest_s + step.seconds for step in self.steps)

    @property
    def seated(self) -> bool:
        """Every step done in the chair: `--seated` may run it; the break keeps you sitting."""
        return all(step.exercise.position == "seated" for step in self.steps)

    @property
    def targets(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for step in self.steps:
            seen.update(dict.fromkeys(step.exercise.targets))
        return tuple(seen)


def describe_dose(step: Step | Exercise) -> str:
    """The dose in a few words: '30s each side', '8 × 10s holds', '20 reps', '12 breaths'."""
    if step.breath is not None:
        unit = "breath" if step.reps == 1 else "breaths"
        text = f"{step.reps} {unit} ({describe_breath(step.breath)})"
    elif step.reps is not None and step.hold_s is not None:
        text = f"{step.reps} × {format_duration(step.hold_s)} holds"
    elif step.reps is not None:
        text = f"{step.reps} reps"
    else:
        text = format_duration(step.hold_s or 0)
    return text + (" each side" if step.sides else "")


BREATH_WORDS = {"inhale": "in", "hold-in": "hold", "exhale": "out", "hold-out": "hold"}


def describe_breath(breath: Breath) -> str:
    """'in 4s, out 6s' or 'in 4s, hold 4s, out 4s, hold 4s'."""
    return ", ".join(
        f"{BREATH_WORDS[name]} {format_duration(seconds)}" for name, seconds in breath.phases()
    )
