"""Every screen laid out at 60x12, 80x24 and 120x40: the countdown, the step and the keys are
always there, no line is wider than the terminal, and the screen fits its height."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console, RenderableType

from breakctl.core.day import SessionSnapshot
from breakctl.core.durations import format_clock
from breakctl.core.routine_run import RoutineRun, Snapshot
from breakctl.core.safety import POSTURE_RESET, SAFETY
from breakctl.core.timeline import build_timeline
from breakctl.store.library import Catalog, builtin_dir
from breakctl.ui.bigfont import big_rows
from breakctl.ui.routine_screen import render_routine_screen
from breakctl.ui.session.screens import render_session_screen
from breakctl.ui.session.work_frame import work_frame
from breakctl.ui.tables import exercise_table

CET = timezone(timedelta(hours=1))
SIZES = [(60, 12), (80, 24), (120, 40)]
CATALOG = Catalog(builtin_dir(), Path("/nonexistent"))
DESK = CATALOG.load("desk")


def lines_of(renderable: RenderableType, width: int, height: int) -> list[str]:
    console = Console(
        width=width, height=height, record=True, color_system=None, file=io.StringIO()
    )
    console.print(renderable)
    return console.export_text().rstrip("\n").split("\n")


def has_countdown(text: str, seconds: float) -> bool:
    clock = format_clock(seconds)
    return f"{clock} left" in text or big_rows(clock)[0] in text


def check(lines: list[str], width: int, height: int) -> str:
    assert max(cell_len(line) for line in lines) <= width - 1, "\n".join(lines)
    assert len(lines) <= height - 1, "\n".join(lines)
    return "\n".join(lines)


def routine_at(seconds: float, paused: bool = False) -> Snapshot:
    run = RoutineRun(DESK, 0.0)
    run.start()
    run.advance(seconds)
    if paused:
        run.toggle_pause(seconds)
    return run.snapshot(seconds + (4 if paused else 0))


def starts() -> dict[str, float]:
    """A moment inside each kind of segment of the desk routine (its steps: a hold each side,
    held reps each side, held reps, paced reps, a hold each side, paced reps)."""
    at, found = 0.0, {}
    for segment in build_timeline(DESK):
        step = DESK.steps[segment.step_index]
        kind = segment.kind
        if kind == "work" and step.breath is not None:
            kind = "breath"
        elif kind == "work":
            kind = "held reps" if step.hold_s and step.reps else ("reps" if step.reps else "hold")
        found.setdefault(kind, at + 1.5)
        at += segment.seconds
    found["let go"] = found["held reps"] - 1.5 + HELD.hold_s + 0.5  # type: ignore[operator]
    return found


HELD = next(s for s in DESK.steps if s.hold_s and s.reps)  # the first move of held reps


MOMENTS = starts()


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize(
    "kind", ["ready", "hold", "switch", "held reps", "let go", "reps", "breath"]
)
@pytest.mark.parametrize("paused", [False, True])
def test_the_routine_screen_at_each_segment(width: int, height: int, kind: str, paused: bool):
    snapshot = routine_at(MOMENTS[kind], paused)
    text = check(
        lines_of(render_routine_screen(snapshot, width=width, height=height), width, height),
        width,
        height,
    )
    assert snapshot.step is not None
    assert snapshot.step.exercise.name in text
    assert f"step {snapshot.segment.step_index + 1} of 6" in text  # type: ignore[union-attr]
    assert "space pause" in text and "q quit" in text
    assert ("paused" in text) == paused
    if kind in ("held reps", "let go"):
        held = f"hold 1 of {HELD.reps}"
        assert held in text if kind == "held reps" else f"let go · 1 of {HELD.reps} done" in text
    elif kind == "breath":
        assert "breathe in" in text and "breath 1 of" in text
    else:
        assert has_countdown(text, snapshot.segment_remaining_s)


def session(**changes: object) -> SessionSnapshot:
    fields: dict = dict(
        phase="work",
        cycle=2,
        cycles=4,
        paused=False,
        remaining_s=754,
        planned_s=1500,
        elapsed_s=746,
        ends_at=datetime(2026, 3, 2, 9, 42, tzinfo=CET),
        next_break_title="Neck and upper back",
    )
    return SessionSnapshot(**{**fields, **changes})


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("paused", [False, True])
def test_the_work_screen(width: int, height: int, paused: bool) -> None:
    text = check(work_frame(session(paused=paused), width, False, height), width, height)
    assert has_countdown(text, 754) and "Work · block 2 of 4" in text
    assert "space pause" in text and "b break" in text and "q quit" in text
    assert "Next break at 09:42: Neck and upper back" in text
    no_routine = "\n".join(work_frame(session(next_break_title=None), width, False, height))
    assert "Next break at 09:42: free movement" in no_routine


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("safety", [False, True])
def test_a_break_with_a_routine(width: int, height: int, safety: bool) -> None:
    routine = routine_at(MOMENTS["hold"])
    snapshot = session(
        phase="break",
        remaining_s=250,
        planned_s=300,
        elapsed_s=50,
        routine=routine,
        reason="after 50 minutes sitting: hips and back first",
    )
    screen = render_session_screen(snapshot, "", width=width, height=height, safety=safety)
    text = check(lines_of(screen, width, height), width, height)
    assert has_countdown(text, routine.segment_remaining_s)
    assert "Seated knee hug" in text and "n next" in text and "q quit" in text
    if height >= 40:  # room for everything
        assert ("not treatment" in text) == safety and "hips and back first" in text


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("paused", [False, True])
def test_free_movement_offers_no_next_step(width: int, height: int, paused: bool) -> None:
    snapshot = session(
        phase="break", paused=paused, remaining_s=20, planned_s=300, elapsed_s=280, free_s=20
    )
    screen = render_session_screen(snapshot, "Walk about.", width=width, height=height)
    text = check(lines_of(screen, width, height), width, height)
    assert has_countdown(text, 20) and "Free movement" in text and "q quit" in text
    assert "space pause" in text and "n next" not in text
    assert ("paused" in text) == paused
    if height >= 24:  # the last seconds of a break: how to sit back down
        assert " ".join(POSTURE_RESET.split()[:4]) in text


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_wait_screen(width: int, height: int) -> None:
    text = check(
        lines_of(
            render_session_screen(session(phase="wait"), "", width=width, height=height),
            width,
            height,
        ),
        width,
        height,
    )
    assert "press any key" in text and "q quit" in text


def test_the_safety_line_gives_way_before_the_essentials() -> None:
    routine = routine_at(MOMENTS["held reps"])
    snapshot = session(phase="break", remaining_s=250, planned_s=300, routine=routine)
    tall = lines_of(render_session_screen(snapshot, "", width=80, height=40, safety=True), 80, 40)
    assert SAFETY.split(".")[0] in "\n".join(tall)
    short = render_session_screen(snapshot, "", width=60, height=12, safety=True)
    text = check(lines_of(short, 60, 12), 60, 12)
    assert f"hold 1 of {HELD.reps}" in text and "q quit" in text


def test_the_figure_shows_beside_the_cues_when_there_is_room_and_mirrors_on_the_right() -> None:
    left = routine_at(MOMENTS["hold"])
    exercise = left.step.exercise  # type: ignore[union-attr]
    assert exercise.figure and exercise.figure_mirrored
    wide = "\n".join(lines_of(render_routine_screen(left, width=120, height=40), 120, 40))
    assert exercise.figure.split("\n")[1].strip() in wide
    right = routine_at(MOMENTS["switch"] + 4)  # the right side
    assert right.segment is not None and right.segment.side == "right"
    mirrored = "\n".join(lines_of(render_routine_screen(right, width=120, height=40), 120, 40))
    assert exercise.figure_mirrored.split("\n")[1].strip() in mirrored
    narrow = "\n".join(lines_of(render_routine_screen(left, width=60, height=12), 60, 12))
    assert exercise.figure.split("\n")[1].strip() not in narrow


@pytest.mark.parametrize("width", [60, 80, 120])
def test_exercise_ids_are_never_cut(width: int) -> None:
    exercises = list(CATALOG.exercises.values())
    text = "\n".join(lines_of(exercise_table(exercises), width, 100))
    words = set(text.split())
    assert all(exercise.id in words for exercise in exercises)
