"""The breathing pacer: breath steps in routine files, their phases on the fake clock to the
tick, the bar that fills and empties, one plain line per phase, and --json."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.core.errors import DataError
from breakctl.core.pacing import beat_of
from breakctl.core.timeline import EXHALE, HOLD_IN, HOLD_OUT, INHALE, Beat
from breakctl.host.routine.loop import run_routine
from breakctl.store.history import History
from breakctl.store.library import Catalog
from breakctl.ui.routine_plain import PlainRoutineView
from breakctl.ui.routine_screen import breath_fill, render_routine_screen
from tests.fakes import FakeClock, RecordingView, ScriptedKeys
from tests.test_layout import has_countdown, lines_of

BOX = """name = "box"
rest = 0

[[steps]]
kind = "breath"
inhale = "4s"
hold = 2
exhale = "6s"
hold_out = "1s"
cycles = 2
"""


@pytest.fixture
def box(catalog: Catalog, write_user_routine: Callable[[str, str], Path]) -> Catalog:
    write_user_routine("box", BOX)
    return catalog


def test_a_breath_step_reads_its_phases_and_cycles(box: Catalog) -> None:
    routine = box.load("box")
    (step,) = routine.steps
    assert step.breath is not None and step.exercise.id == "slow-breathing"
    assert (step.breath.inhale_s, step.breath.hold_s, step.breath.exhale_s) == (4, 2, 6)
    assert step.breath.hold_out_s == 1 and step.reps == 2
    assert routine.planned_s == 2 * 13


def test_each_phase_begins_exactly_on_its_tick(box: Catalog, clock: FakeClock, tmp_path: Path):
    """The loop wakes at each phase boundary itself: every phase is first seen at the exact
    second it begins, never a tick late."""
    view = RecordingView()
    view.clock = clock
    seen: list[tuple[float, str, int | None]] = []

    class Watching(RecordingView):
        def update(self, events, snapshot):  # type: ignore[no-untyped-def]
            beat = beat_of(snapshot)
            if beat is not None and (not seen or seen[-1][1:] != (beat.kind, beat.rep)):
                seen.append((clock.monotonic(), beat.kind, beat.rep))

    run_routine(
        box.load("box"),
        clock=clock,
        keys=ScriptedKeys(clock, {}),
        view=Watching(),
        history=History(tmp_path / "h.jsonl"),
    )
    assert seen == [
        (0, INHALE, 1),
        (4, HOLD_IN, 1),
        (6, EXHALE, 1),
        (12, HOLD_OUT, 1),
        (13, INHALE, 2),
        (17, HOLD_IN, 2),
        (19, EXHALE, 2),
        (25, HOLD_OUT, 2),
    ]
    assert clock.monotonic() == 26


def test_half_second_phases_are_met_on_their_own_boundaries(
    catalog: Catalog,
    write_user_routine: Callable[[str, str], Path],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    """Phases off the whole second (cat-cow's 2.5 s): the loop wakes at each one's end, not
    only at the countdown's whole seconds."""
    write_user_routine(
        "half",
        'name = "half"\nrest = 0\n[[steps]]\nkind = "breath"\n'
        'inhale = "2.5s"\nexhale = "1.5s"\ncycles = 2\n',
    )
    seen: list[tuple[float, str]] = []

    class Watching(RecordingView):
        def update(self, events, snapshot):  # type: ignore[no-untyped-def]
            beat = beat_of(snapshot)
            if beat is not None and (not seen or seen[-1][1] != f"{beat.kind} {beat.rep}"):
                seen.append((clock.monotonic(), f"{beat.kind} {beat.rep}"))

    run_routine(
        catalog.load("half"),
        clock=clock,
        keys=ScriptedKeys(clock, {}),
        view=Watching(),
        history=History(tmp_path / "h.jsonl"),
    )
    assert seen == [(0, "inhale 1"), (2.5, "exhale 1"), (4, "inhale 2"), (6.5, "exhale 2")]


def test_the_bar_fills_on_the_breath_in_and_empties_on_the_breath_out() -> None:
    assert breath_fill(Beat(INHALE, 1, 2, 3.0, 4.0)) == 0.25
    assert breath_fill(Beat(HOLD_IN, 1, 2, 1.0, 2.0)) == 1.0
    assert breath_fill(Beat(EXHALE, 1, 2, 4.5, 6.0)) == 0.75
    assert breath_fill(Beat(HOLD_OUT, 1, 2, 1.0, 1.0)) == 0.0


def test_the_screen_names_the_phase_and_counts_it_down(box: Catalog) -> None:
    from breakctl.core.routine_run import RoutineRun

    run = RoutineRun(box.load("box"), 0.0)
    run.start()
    run.advance(7.2)  # the first breath out, 4.8 s of it left
    text = "\n".join(
        lines_of(render_routine_screen(run.snapshot(7.2), width=80, height=30), 80, 30)
    )
    assert "breathe out · breath 1 of 2" in text
    assert has_countdown(text, 4.8)  # the phase's own count, not the step's


def test_piped_output_is_one_line_per_phase(box: Catalog, clock: FakeClock, tmp_path: Path):
    out = io.StringIO()
    view = PlainRoutineView(Console(file=out, width=200, color_system=None), clock)
    run_routine(
        box.load("box"),
        clock=clock,
        keys=ScriptedKeys(clock, {}),
        view=view,
        history=History(tmp_path / "h.jsonl"),
    )
    lines = [line[10:] for line in out.getvalue().splitlines() if line[:2].isdigit()]
    phases = [line for line in lines if line.startswith(("breathe", "hold"))]
    assert phases == [
        "breathe in 4s (1/2)",
        "hold 2s (1/2)",
        "breathe out 6s (1/2)",
        "hold 1s (1/2)",
        "breathe in 4s (2/2)",
        "hold 2s (2/2)",
        "breathe out 6s (2/2)",
        "hold 1s (2/2)",
    ]
    times = [line[:8] for line in out.getvalue().splitlines() if "breathe out 6s (2/2)" in line]
    assert times == ["09:00:19"]  # the start of the phase, on the clock


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ('kind = "breath"\nexhale = 6\ncycles = 3', "missing 'inhale'"),
        ('kind = "breath"\ninhale = 4\nexhale = 6', "missing 'cycles'"),
        ('kind = "breath"\ninhale = 4\nexhale = 6\ncycles = 0', "cycles: expected a whole number"),
        ('kind = "breath"\ninhale = "2m"\nexhale = 6\ncycles = 3', "inhale: expected 0 to 60"),
        ('kind = "breath"\ninhale = 0\nexhale = 6\ncycles = 3', "inhale: must be longer than 0s"),
        ('kind = "breath"\ninhale = 4\nexhale = 6\ncycles = 3\nreps = 2', "unknown key 'reps'"),
        ('kind = "breathing"\ninhale = 4\nexhale = 6\ncycles = 3', "kind: expected one of"),
        ('exercise = "walk"\ninhale = 4', "unknown key 'inhale'"),
        ('exercise = "standing-cat-cow"\npace = "3s"', "paced by its breath"),
    ],
)
def test_routine_check_names_the_line_of_a_bad_breath_step(
    step: str, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(f'name = "mine"\n\n[[steps]]\n{step}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["routine", "check", str(path)])
    assert result.exit_code == 2
    assert message in result.output and f"{path}:" in result.output
    assert "Traceback" not in result.output


def test_an_exercise_breath_table_is_checked(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "mine"\n[exercises.sway]\nname = "Sway"\nposition = "standing"\n'
        'targets = ["core"]\ncues = ["Sway."]\nreps = 4\nbreath = { inhale = 3, out = 3 }\n'
        '[[steps]]\nexercise = "sway"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["routine", "check", str(path)])
    assert result.exit_code == 2 and "breath: unknown key 'out'" in result.output
    assert f"{path}:8:" in result.output


def test_cat_cow_and_trunk_rotation_are_paced_by_the_breath(catalog: Catalog) -> None:
    for ex_id in ("standing-cat-cow", "seated-trunk-rotation"):
        exercise = catalog.exercises[ex_id]
        assert exercise.breath is not None and exercise.reps
    wfh = catalog.load("wfh")
    rotation = next(s for s in wfh.steps if s.exercise.id == "seated-trunk-rotation")
    assert rotation.reps == 4 and rotation.breath is not None  # the routine's 4, as breaths


def test_the_builtin_breathe_routine_is_six_breaths_a_minute_for_two_minutes(
    catalog: Catalog,
) -> None:
    routine = catalog.load("breathe")
    (step,) = routine.steps
    assert step.breath is not None and step.exercise.position == "seated"
    assert step.breath.cycle_s == 10 and step.seconds == 120


def test_routine_show_json_shows_breath_steps(box: Catalog) -> None:
    result = CliRunner().invoke(app, ["routine", "show", "box", "--json"])
    assert result.exit_code == 0, result.output
    (step,) = json.loads(result.output)["steps"]
    assert step["kind"] == "breath"
    assert step["breath"] == {
        "inhale_s": 4,
        "hold_s": 2,
        "exhale_s": 6,
        "hold_out_s": 1,
        "cycles": 2,
    }
    assert step["seconds"] == 26


def test_routine_check_accepts_a_good_breath_step(tmp_path: Path) -> None:
    path = tmp_path / "box.toml"
    path.write_text(BOX, encoding="utf-8")
    result = CliRunner().invoke(app, ["routine", "check", str(path)])
    assert result.exit_code == 0 and "ok:" in result.output


def test_a_breath_step_refuses_a_phase_too_long_in_the_model() -> None:
    with pytest.raises(DataError):
        from breakctl.store.breath_parse import _phase

        _phase("61s", "exhale")


def test_routine_new_from_keeps_the_breath(box: Catalog, breakctl_home: Path) -> None:
    result = CliRunner().invoke(app, ["routine", "new", "mine", "--from", "box"])
    assert result.exit_code == 0, result.output
    copy = CliRunner().invoke(app, ["routine", "show", "mine", "--json"])
    original = CliRunner().invoke(app, ["routine", "show", "box", "--json"])
    steps = [json.loads(out.output)["steps"] for out in (copy, original)]
    assert steps[0] == steps[1] and steps[0][0]["kind"] == "breath"
