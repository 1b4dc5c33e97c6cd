"""Breath pacing in routine and exercise TOML: a `kind = "breath"` step (inhale, hold, exhale,
hold_out, cycles) and an exercise's `breath = {inhale = "3s", exhale = "4s"}` (each rep one
breath). Every problem is reported through the caller's reporter, with its key."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from breakctl.core.durations import parse_duration
from breakctl.core.errors import DataError
from breakctl.core.model import Breath, Exercise, Step

BREATH_KEYS = ("inhale", "hold", "exhale", "hold_out")
BREATH_STEP_KEYS = ("kind", "exercise", *BREATH_KEYS, "cycles", "sides")
STEP_KINDS = ("exercise", "breath")
MAX_PHASE_S = 60.0  # a longer phase is a typo: nobody breathes in for a minute
MAX_CYCLES = 1000

# A breath step that names no exercise is this: slow breathing, sitting.
SLOW_BREATHING = Exercise(
    id="slow-breathing",
    name="Slow breathing",
    position="seated",
    targets=("chest", "core"),
    cues=(
        "Sit tall with your shoulders easy and one hand resting on your belly.",
        "Breathe in through the nose and feel the belly rise under your hand.",
        "Let the breath out slowly, without pushing it.",
    ),
)


def unnamed(exercises: Mapping[str, Exercise]) -> Exercise:
    """What a breath step naming no exercise shows: the library's slow breathing (its start
    and feel lines and figure), the step giving its own phases and count of breaths."""
    exercise = exercises.get(SLOW_BREATHING.id, SLOW_BREATHING)
    return replace(exercise, breath=None) if exercise.breath else exercise


Report = Callable[..., None]  # (message, key=None): a problem, placed at the key's line


def _phase(value: Any, key: str) -> float:
    """One phase's seconds (a bare number is seconds); 0 is allowed for the holds only."""
    try:
        seconds = parse_duration(value, bare_unit="s")
    except DataError as exc:
        raise DataError(f"{key}: {exc}") from None
    except (OverflowError, ValueError):
        seconds = MAX_PHASE_S + 1
    if not 0 <= seconds <= MAX_PHASE_S:
        raise DataError(f"{key}: expected 0 to {MAX_PHASE_S:g} seconds, got {value!r}")
    if seconds == 0 and key in ("inhale", "exhale"):
        raise DataError(f"{key}: must be longer than 0s")
    return seconds


def _phases(data: dict[str, Any], report: Report, base: Breath | None) -> Breath | None:
    """The phases given in `data` over those of `base`; None after reporting a problem."""
    values = {
        "inhale": base.inhale_s if base else None,
        "hold": base.hold_s if base else 0.0,
        "exhale": base.exhale_s if base else None,
        "hold_out": base.hold_out_s if base else 0.0,
    }
    ok = True
    for key in BREATH_KEYS:
        if key in data:
            try:
                values[key] = _phase(data[key], key)
            except DataError as exc:
                report(str(exc), key)
                ok = False
    for key in ("inhale", "exhale"):
        if values[key] is None and key not in data:
            report(f'missing \'{key}\': a breath needs both, e.g. inhale = "4s", exhale = "6s"')
            ok = False
    if not ok:
        return None
    inhale, hold, exhale, hold_out = (float(values[k] or 0.0) for k in BREATH_KEYS)
    return Breath(inhale, hold, exhale, hold_out)


def exercise_breath(data: dict[str, Any], report: Report) -> Breath | None:
    """An exercise's `breath` inline table, if it has one; None (reported) when it is wrong.
    Each rep is then one breath: `reps` counts them, and `hold` or `pace` has no place."""
    if "breath" not in data:
        return None
    if "hold" in data or "pace" in data or "reps" not in data:
        report("breath: each rep is one breath: give 'reps' (the breaths), not 'hold' or 'pace'")
    value = data["breath"]
    if not isinstance(value, dict):
        report(
            f'breath: expected a table like {{inhale = "3s", exhale = "4s"}}, got {value!r}',
            "breath",
        )
        return None
    unknown = [key for key in value if key not in BREATH_KEYS]
    for key in unknown:
        report(f"breath: unknown key {key!r}; known: {', '.join(BREATH_KEYS)}", "breath")
    breath = _phases(value, lambda message, key=None: report(f"breath: {message}", "breath"), None)
    return None if unknown else breath


def _cycles(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CYCLES:
        raise DataError(
            f"cycles: expected a whole number of 1 or more (at most {MAX_CYCLES}), got {value!r}"
        )
    return value


def breath_step(raw: dict[str, Any], exercise: Exercise, report: Report) -> Step | None:
    """A `kind = "breath"` step: its phases, number of breaths and sides, over what its
    exercise (if it names one) says; None after reporting what is wrong."""
    breath = _phases(raw, report, exercise.breath)
    cycles = exercise.reps if exercise.breath is not None else None
    if "cycles" in raw:
        try:
            cycles = _cycles(raw["cycles"])
        except DataError as exc:
            report(str(exc), "cycles")
            return None
    elif cycles is None:
        report("missing 'cycles': how many breaths, e.g. cycles = 12")
        return None
    sides = raw.get("sides", exercise.sides)
    if not isinstance(sides, bool):
        report(f"sides: expected true or false, got {sides!r}", "sides")
        return None
    if breath is None:
        return None
    return Step(exercise, hold_s=None, reps=cycles, pace_s=None, sides=sides, breath=breath)


def paced_by_breath(raw: dict[str, Any], exercise: Exercise | None, report: Report) -> None:
    """A step of a move paced by its breath may change its reps (the breaths), not its hold
    or pace."""
    if exercise is not None and exercise.breath is not None:
        for key in ("hold", "pace"):
            if key in raw:
                report(f"{key}: this move is paced by its breath; set reps (the breaths)", key)


def step_kind(raw: dict[str, Any], report: Report) -> str | None:
    """The step's kind: 'exercise' (the default) or 'breath'; None when it is neither."""
    kind = raw.get("kind", "exercise")
    if kind not in STEP_KINDS:
        report(f"kind: expected one of {', '.join(STEP_KINDS)}, got {kind!r}", "kind")
        return None
    return str(kind)
