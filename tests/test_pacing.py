"""Held reps count down each hold and the let-go between holds; paced reps tick; the chime
rings at the end of each hold and at each switch of sides, and never with --no-bell."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from breakctl.core.day import RoutineEvent, SessionSnapshot
from breakctl.core.model import RELEASE_S, Exercise, Routine, Step
from breakctl.core.routine_run import RoutineRun
from breakctl.core.timeline import HOLD, LET_GO, REP, Beat, Segment, beat_at
from breakctl.host.routine.loop import run_routine
from breakctl.store.history import History
from breakctl.ui.routine_screen import LiveRoutineView, render_routine_screen
from breakctl.ui.session.views import LiveSessionView
from tests.fakes import FakeClock, ScriptedKeys
from tests.test_layout import lines_of

HELD = Exercise("held", "Held", "seated", ("core",), ("Brace.",), hold_s=3, reps=2, sides=True)
PACED = Exercise("paced", "Paced", "seated", ("neck",), ("Nod.",), reps=4, pace_s=2)
STRETCH = Exercise("stretch", "Stretch", "standing", ("calves",), ("Lean.",), hold_s=4)
# ready 1 | left: hold 3, let go 2, hold 3, let go 2 | switch 3 | right: the same
# | ready 1 | 4 reps of 2 s | ready 1 | hold 4
ROUTINE = Routine(
    name="beats",
    title="Beats",
    summary="",
    rest_s=1,
    source="user",
    steps=(
        Step(HELD, 3, 2, None, True),
        Step(PACED, None, 4, 2, False),
        Step(STRETCH, 4, None, None, False),
    ),
)


def test_a_held_rep_is_a_hold_then_a_let_go() -> None:
    step, segment = ROUTINE.steps[0], Segment("work", 0, 10, "left")
    assert beat_at(segment, step, 0.5) == Beat(HOLD, 1, 2, 2.5, 3)
    assert beat_at(segment, step, 3.5) == Beat(LET_GO, 1, 2, 1.5, RELEASE_S)
    assert beat_at(segment, step, 5.0) == Beat(HOLD, 2, 2, 3, 3)
    assert beat_at(segment, step, 9.0) == Beat(LET_GO, 2, 2, 1, RELEASE_S)
    assert beat_at(Segment("switch", 0, 3, "right"), step, 1) is None


def test_paced_reps_and_a_single_hold() -> None:
    assert beat_at(Segment("work", 1, 8), ROUTINE.steps[1], 4.5) == Beat(REP, 3, 4, 1.5, 2)
    assert beat_at(Segment("work", 2, 4), ROUTINE.steps[2], 1) == Beat(HOLD, None, None, 3, 4)


def screen_at(seconds: float) -> str:
    run = RoutineRun(ROUTINE, 0.0)
    run.start()
    run.advance(seconds)
    return "\n".join(lines_of(render_routine_screen(run.snapshot(seconds)), 80, 30))


def test_the_screen_counts_down_each_hold_and_ticks_each_rep() -> None:
    hold = screen_at(1 + 3 + 2 + 1.2)  # 1.2 s into the second hold of the left side
    assert "hold 2 of 2" in hold and "●◐" in hold
    assert "0:02 left" not in hold and "███   ███" in hold  # the big 0:02 of this hold
    let_go = screen_at(1 + 3 + 0.5)
    assert "let go · 1 of 2 done" in let_go and "●○" in let_go
    reps = screen_at(1 + 10 + 3 + 10 + 1 + 4.5)  # the third rep of four
    assert "rep 3 of 4 · 2s each" in reps and "●●◐○" in reps


def bells(
    bell: bool, script: dict[float, str | BaseException], clock: FakeClock, tmp_path: Path
) -> int:
    terminal = Console(file=io.StringIO(), width=80, height=30, force_terminal=True)
    view = LiveRoutineView(terminal, bell=bell)
    history = History(tmp_path / "history.jsonl")
    run_routine(ROUTINE, clock=clock, keys=ScriptedKeys(clock, script), view=view, history=history)
    return terminal.file.getvalue().count("\a")  # type: ignore[attr-defined]


def test_the_chime_rings_at_each_hold_end_and_switch(clock: FakeClock, tmp_path: Path) -> None:
    # four held reps end (two each side), one switch of sides, and the stretch's hold ends
    assert bells(True, {}, clock, tmp_path) == 6


def test_no_chime_with_no_bell(clock: FakeClock, tmp_path: Path) -> None:
    assert bells(False, {}, clock, tmp_path) == 0


def test_skipping_a_hold_does_not_ring(clock: FakeClock, tmp_path: Path) -> None:
    # n 2 s into the first hold: the whole two-sided step is skipped, no switch, no hold end
    assert bells(True, {3.0: "n"}, clock, tmp_path) == 1  # the stretch's hold, at the end


@pytest.mark.parametrize("bell", [True, False])
def test_a_break_of_start_rings_too(bell: bool, clock: FakeClock) -> None:
    terminal = Console(file=io.StringIO(), width=80, height=30, force_terminal=True)
    view = LiveSessionView(terminal, "", clock=clock, bell=bell)
    run = RoutineRun(ROUTINE, 0.0)
    events = run.start()
    now = 0.0
    with view:
        while not run.finished:
            wake = run.next_wake(now)
            assert wake is not None
            now = wake
            events = run.advance(now)
            snapshot = SessionSnapshot(
                phase="break",
                cycle=1,
                cycles=None,
                paused=False,
                remaining_s=60,
                planned_s=60,
                routine=None if run.finished else run.snapshot(now),
            )
            view.update([RoutineEvent(e) for e in events], snapshot)
    assert terminal.file.getvalue().count("\a") == (6 if bell else 0)  # type: ignore[attr-defined]
