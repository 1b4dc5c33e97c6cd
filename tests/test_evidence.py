"""The content of issue 24: the two-tier safety text and where it shows, schedules that keep
their source's word (simulated over an 8-hour day), and exercises that say where to start,
where to feel it, and how to make them easier or harder."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.core.errors import DataError
from breakctl.core.model import AREAS, Routine
from breakctl.core.planner import BreakPlanner
from breakctl.core.presets import PRESETS
from breakctl.core.safety import (
    POSTURE_RESET,
    SAFETY,
    SAFETY_SHORT,
    SEATED_RESET,
    SOURCES,
    URGENT,
    URGENT_TITLE,
    safety_text,
)
from breakctl.core.settings import StartSettings, resolve_settings
from breakctl.host.context import AppContext
from breakctl.host.routine.loop import run_routine
from breakctl.store.history import History
from breakctl.store.library import Catalog, load_exercise_file
from breakctl.ui.routine_screen import LiveRoutineView, render_routine_screen
from breakctl.ui.session.screens import render_session_screen
from tests.fakes import FakeClock, ScriptedKeys
from tests.test_layout import check, lines_of, routine_at, session
from tests.test_start_cli import invoke

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (
    Path("/work/shared/seeds")
    if Path("/work/shared/seeds").is_dir()
    else ROOT.parent / "shared" / "seeds"
)
DAY_S = 8 * 60 * 60
MINUTE = 60.0


def flat(text: str) -> str:
    return " ".join(text.split())


# -- the safety text: two tiers, and where it shows -------------------------------------------


def test_the_safety_command_prints_both_tiers_and_cites_the_guidance(paths) -> None:
    result = invoke(paths, "safety")
    assert result.exit_code == 0
    text = flat(result.stdout).lower()
    urgent, soon = text.split("see a doctor or physiotherapist soon")
    assert "urgent care now" in urgent and "emergency" in urgent
    for sign in (
        "saddle",
        "bladder or bowels",
        "weakness in both legs",
        "double vision",
        "slurred speech",
        "swallowing",
        "dizziness",
        "chest pain",
        "breathlessness",
    ):
        assert sign in urgent, sign
    assert "down a leg" in soon and "numbness" in soon
    assert "finucane" in soon and "2020" in soon and "ifompt" in soon and "2023" in soon
    data = json.loads(invoke(paths, "safety", "--json").stdout)
    assert data["urgent"]["signs"] == list(URGENT) and data["sources"] == list(SOURCES)
    assert data["soon"]["signs"] and data["urgent"]["title"] == URGENT_TITLE


def test_the_full_text_wraps_to_a_terminal_with_nothing_lost() -> None:
    wrapped = safety_text(60)
    assert max(map(len, wrapped.splitlines())) <= 60
    assert flat(wrapped) == flat(safety_text()) and len(safety_text().splitlines()) == 18
    assert "    genitals" in wrapped  # an item's later lines hang under its text


def test_the_short_safety_line_points_to_the_full_text() -> None:
    assert "breakctl safety" in SAFETY and "breakctl safety" in SAFETY_SHORT
    assert len(SAFETY_SHORT) <= 53  # one line inside a 60-column panel


def test_a_routine_run_says_the_safety_line_once_a_day_before_its_first_step(
    paths, clock: FakeClock
) -> None:
    first = invoke(paths, "routine", "stand-reset", clock=clock).stdout.splitlines()
    assert first[0] == SAFETY and first[1].endswith("get ready (0:01): next is Fist and spread")
    again = invoke(paths, "routine", "stand-reset", clock=clock).stdout
    assert SAFETY not in again  # the same day: said already


def test_break_with_no_day_running_says_it_too(paths) -> None:
    result = invoke(paths, "break", "stand-reset")
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == SAFETY


@pytest.mark.parametrize(("width", "height"), [(60, 12), (80, 24), (120, 40)])
@pytest.mark.parametrize("safety", [True, False])
def test_the_live_routine_screen_shows_it_on_the_first_step_at_any_size(
    width: int, height: int, safety: bool, catalog: Catalog, tmp_path: Path
) -> None:
    clock = FakeClock(datetime(2026, 3, 2, 9, 0))
    terminal = Console(
        file=io.StringIO(), width=width, height=height, force_terminal=True, color_system=None
    )
    view = LiveRoutineView(terminal, bell=False, safety=safety)
    run_routine(
        catalog.load("strength"),
        clock=clock,
        keys=ScriptedKeys(clock, {}),
        view=view,
        history=History(tmp_path / "h.jsonl"),
    )
    frames = terminal.file.getvalue().split("Sit-to-stand")  # type: ignore[attr-defined]
    first_step, later = "".join(frames[:3]), frames[-1]
    said = SAFETY_SHORT in first_step or "Stop any move that hurts" in first_step
    assert said == safety
    if height == 12:  # no room for the full text: the short line, never nothing
        assert (SAFETY_SHORT in first_step) == safety
    assert SAFETY_SHORT not in later and "Stop any move" not in later  # gone after step 1


def test_the_first_break_of_start_keeps_the_short_line_at_60_by_12() -> None:
    for moment, paused in ((30, False), (200, True)):  # a hold, and paused in the knee raises
        snapshot = session(
            phase="break",
            remaining_s=250,
            planned_s=300,
            paused=paused,
            routine=routine_at(moment, paused),
            reason="hips and back first",
        )
        screen = render_session_screen(snapshot, "", width=60, height=12, safety=True)
        text = check(lines_of(screen, 60, 12), 60, 12)
        assert SAFETY_SHORT in text and "q quit" in text


def test_a_pain_preset_shows_the_urgent_signs_when_chosen(paths) -> None:
    pain = invoke(paths, "start", "--preset", "pain-30", "--cycles", "1", "--no-notify").stdout
    assert URGENT_TITLE in pain and URGENT[0] in pain
    plain = invoke(paths, "start", "--preset", "pomodoro", "--cycles", "1", "--no-notify")
    assert URGENT_TITLE not in plain.stdout


def test_a_seated_routine_ends_with_its_own_line(paths) -> None:
    seated = invoke(paths, "routine", "desk-micro").stdout.splitlines()
    assert seated[-1] == SEATED_RESET
    standing = invoke(paths, "routine", "stand-reset").stdout.splitlines()
    assert standing[-1] == POSTURE_RESET


# -- schedules over an 8-hour day --------------------------------------------------------------


@dataclass
class Day:
    longest_sitting_s: float = 0.0
    seated_s: float = 0.0
    total_s: float = 0.0  # the day simulated: whole cycles until 8 hours are past
    walks: list[float] | None = None  # minutes walked in each break with a walk
    chosen: list[tuple[Routine | None, float]] | None = None  # each break's routine, length


def simulate(name: str, catalog: Catalog, *, seated: bool = False) -> Day:
    """An 8-hour day of a preset with the real planner: who sits how long, and who walks."""
    settings: StartSettings = resolve_settings({}, {"preset": name, "seated": seated or None})
    planner = BreakPlanner(settings, catalog.load, date(2026, 3, 2))
    day, at, cycle, sitting = Day(walks=[], chosen=[]), 0.0, 0, 0.0
    stand_after = settings.preset.stand_after_s
    while at < DAY_S:
        cycle += 1
        sat = (
            settings.work_s if stand_after is None or seated else min(stand_after, settings.work_s)
        )
        sitting += sat
        day.seated_s += sat
        day.longest_sitting_s = max(day.longest_sitting_s, sitting)
        if sat < settings.work_s:
            sitting = 0.0  # the rest of the block is worked standing
        at += settings.work_s
        long = settings.is_long_break(cycle)
        length = settings.break_length(cycle)
        routine = planner(cycle, length, long).routine
        length = max(length, routine.planned_s if routine else 0.0)
        day.chosen.append((routine, length))
        walked = (
            sum(s.seconds for s in routine.steps if s.exercise.position == "walking")
            if routine
            else 0.0
        )
        if walked >= 5 * MINUTE:
            day.walks.append(walked / MINUTE)
        in_chair = seated or (
            routine is not None and routine.seated and length - routine.planned_s < MINUTE
        )
        if in_chair:
            sitting += length
            day.seated_s += length
            day.longest_sitting_s = max(day.longest_sitting_s, sitting)
        else:
            sitting = 0.0
        at += length
    day.total_s = at
    return day


# The longest anyone sits at a stretch, by each preset's source (minutes).
LONGEST = {
    "micro": 30,
    "pain-now": 20,
    "pain-30": 25,
    "pain-60": 50,
    "mclean": 20,
    "dunstan": 20,
    "cornell": 20,
    "sit-stand": 30,
    "eyes": 41,
    "pomodoro": 25,
    "hourly": 55,
    "hse": 50,
}


@pytest.mark.parametrize("name", list(PRESETS))
def test_no_preset_keeps_anyone_seated_past_its_source(name: str, catalog: Catalog) -> None:
    day = simulate(name, catalog)
    assert day.longest_sitting_s <= LONGEST[name] * MINUTE + 1, day.longest_sitting_s / 60
    assert day.longest_sitting_s <= 60 * MINUTE


@pytest.mark.parametrize("name", [n for n in PRESETS if n != "eyes"])
def test_a_standing_preset_never_leaves_under_a_minute_on_your_feet(
    name: str, catalog: Catalog
) -> None:
    """The eye preset's short breaks are the 20-20-20 rule, done from the chair on purpose."""
    for routine, length in simulate(name, catalog).chosen or []:
        if routine is not None and routine.seated:
            assert length - routine.planned_s >= MINUTE, (name, routine.name)


def test_micro_alternates_no_more_with_the_chair_minute(catalog: Catalog) -> None:
    chosen = {r.name for r, _ in simulate("micro", catalog).chosen or [] if r}
    assert chosen == {"micro"}
    assert {r.name for r, _ in simulate("micro", catalog, seated=True).chosen or [] if r} == {
        "desk-micro"
    }


def test_pain_30_walks_two_or_three_times_a_day_and_not_when_seated(catalog: Catalog) -> None:
    walks = simulate("pain-30", catalog).walks or []
    assert 1 <= len(walks) <= 3 and all(10 <= w <= 20 for w in walks), walks
    assert not simulate("pain-30", catalog, seated=True).walks


def test_pain_60_walks_half_an_hour_and_its_long_breaks_are_all_guided(catalog: Catalog) -> None:
    day = simulate("pain-60", catalog)
    assert day.walks and max(day.walks) >= 30
    long = [(r, n) for r, n in day.chosen or [] if n >= PRESETS["pain-60"].long_break_s]
    assert len(long) >= 2
    for routine, _length in long:
        assert routine is not None and routine.name in {"long-walk", "lunch"}
    preset = PRESETS["pain-60"]
    for name in preset.long_routines:  # whichever the planner picks, the break is guided
        assert preset.long_break_s - catalog.load(name).planned_s <= 35 * MINUTE, name


def test_mclean_stands_up_for_its_thirty_seconds(catalog: Catalog) -> None:
    routine = catalog.load("stand-reset")
    assert routine.planned_s <= 30 and not routine.seated
    assert {"shoulders", "upper-back", "forearms"} <= set(routine.targets)
    assert {r.name for r, _ in simulate("mclean", catalog).chosen or [] if r} == {"stand-reset"}


def test_sit_stand_changes_position_every_half_hour(catalog: Catalog) -> None:
    preset = PRESETS["sit-stand"]
    assert (
        preset.stand_after_s == 30 * MINUTE and preset.work_s - preset.stand_after_s <= 30 * MINUTE
    )
    day = simulate("sit-stand", catalog)
    assert 0.4 <= day.seated_s / day.total_s <= 0.6  # about half the day seated, not all of it
    pomodoro = simulate("pomodoro", catalog)
    assert pomodoro.seated_s / pomodoro.total_s > 0.75  # a sitting preset, for scale


def test_dunstan_walks_every_break() -> None:
    preset = PRESETS["dunstan"]
    assert not preset.routines and "Walk" in preset.free and preset.break_s == 2 * MINUTE
    assert "glucose and insulin" in preset.source


# -- exercises: figure, start, feel, targets, easier and harder --------------------------------


def test_every_exercise_has_a_figure_start_and_feel_lines_and_known_targets(
    catalog: Catalog,
) -> None:
    for ex_id, exercise in catalog.exercises.items():
        assert exercise.figure and exercise.start and exercise.feel, ex_id
        assert exercise.targets and set(exercise.targets) <= set(AREAS), ex_id
    # Every step of every built-in routine too: a breath step is a library exercise as well.
    routines, problems = catalog.load_all()
    assert not problems
    for routine in routines:
        for step in routine.steps:
            exercise = step.exercise
            assert exercise.figure and exercise.start and exercise.feel, (routine.name, exercise.id)
            assert catalog.exercises.get(exercise.id) == exercise, (routine.name, exercise.id)
    assert catalog.load("breathe").steps[0].exercise.id == "slow-breathing"


def test_easier_and_harder_name_real_exercises_and_the_strength_routine_has_them(
    catalog: Catalog,
) -> None:
    library = catalog.exercises
    for exercise in library.values():
        for link in (exercise.easier, exercise.harder):
            assert link is None or link in library, exercise.id
    strength = catalog.load("strength")
    moves = {s.exercise.id for s in strength.steps}
    assert {"sit-to-stand", "desk-push-up", "band-pull-apart", "bird-dog"} == moves
    assert all(s.exercise.easier and s.exercise.harder for s in strength.steps)
    # Links pair up: a move's harder version names it as its easier one, and back.
    for exercise in library.values():
        if exercise.harder:
            assert library[exercise.harder].easier == exercise.id, exercise.id
        if exercise.easier:
            assert library[exercise.easier].harder == exercise.id, exercise.id
    assert library["wall-push-up"].harder == "desk-push-up"
    assert library["desk-push-up"].easier == "wall-push-up"
    chain = ["shoulder-blade-set", "band-pull-apart", "prone-w"]  # seated, band, lying
    assert [library[i].harder for i in chain[:-1]] == chain[1:]


def test_routine_show_and_the_screen_show_start_feel_and_links(app_ctx: AppContext) -> None:
    shown = flat(CliRunner().invoke(app, ["routine", "show", "strength"], obj=app_ctx).stdout)
    assert "Start: Sitting near the front" in shown and "Feel it: Working in the front" in shown
    assert "easier: Wall push-up" in shown and "easier: Partial chair squat" in shown
    assert "harder: Knee push-up" in shown and "wall-push-up" not in shown  # names, not ids
    rows = json.loads(
        CliRunner().invoke(app, ["routine", "show", "strength", "--json"], obj=app_ctx).stdout
    )["steps"]
    assert rows[1]["easier"] == "wall-push-up" and rows[1]["start"] and rows[1]["feel"]
    catalog = Catalog(Path(ROOT / "routines"), app_ctx.paths.routines_dir)
    from breakctl.core.routine_run import RoutineRun

    run = RoutineRun(catalog.load("strength"), 0.0)
    run.start()
    wide = "\n".join(
        lines_of(render_routine_screen(run.snapshot(1.0), width=120, height=40), 120, 40)
    )
    assert "Start:" in wide and "Feel it:" in wide and "easier: Partial chair squat" in wide
    small = check(
        lines_of(render_routine_screen(run.snapshot(1.0), width=60, height=12), 60, 12), 60, 12
    )
    assert "Sit-to-stand" in small  # the extra lines give way first


def test_plain_output_gives_start_feel_and_links(paths) -> None:
    out = invoke(paths, "routine", "strength").stdout.splitlines()
    assert (
        "          Start: Sitting near the front of a chair that cannot roll, feet flat and a little back."
        in out
    )
    assert "          easier: Partial chair squat · harder: Staggered sit-to-stand" in out
    assert any(line.startswith("          Feel it: ") for line in out)


EXERCISE = """[a]
name = "A"
position = "standing"
targets = ["neck"]
hold = "5s"
cues = ["Go."]
start = ""
easier = "nope"
harder = "a"
feel = 3
"""


def test_new_fields_are_checked_with_file_and_line(tmp_path: Path, app_ctx: AppContext) -> None:
    path = tmp_path / "exercises.toml"
    path.write_text(EXERCISE, encoding="utf-8")
    with pytest.raises(DataError) as raised:
        load_exercise_file(path)
    assert raised.value.problems == [
        f"{path}:7: exercise 'a': start: expected non-empty text, got ''",
        f"{path}:10: exercise 'a': feel: expected non-empty text, got 3",
    ]
    path.write_text(EXERCISE.replace('start = ""', 'start = "Stand."').replace("feel = 3", ""))
    result = CliRunner().invoke(app, ["routine", "check", str(path)], obj=app_ctx)
    assert result.exit_code == 2
    assert f"{path}:8: exercise 'a': easier: unknown exercise id 'nope'" in result.stderr
    assert f"{path}:9: exercise 'a': harder: an exercise cannot link to itself" in result.stderr
    path.write_text(
        EXERCISE.replace('start = ""', 'start = "Stand."')
        .replace("feel = 3", "")
        .replace('"nope"', '"wall-push-up"')
        .replace('harder = "a"', "")
    )
    ok = CliRunner().invoke(app, ["routine", "check", str(path)], obj=app_ctx)
    assert ok.exit_code == 0, ok.output  # a built-in exercise is a fine link


# -- the moves and cues a physiotherapist asked for --------------------------------------------


def test_neck_and_desk_short_tuck_the_chin_and_set_the_shoulder_blades(catalog: Catalog) -> None:
    for name in ("neck", "desk-short"):
        ids = {s.exercise.id for s in catalog.load(name).steps}
        assert {"chin-tuck", "shoulder-blade-set"} <= ids, name


def test_no_routine_sits_down_again_once_standing(catalog: Catalog) -> None:
    for routine in catalog.load_all()[0]:
        positions = [s.exercise.position for s in routine.steps]
        stood = [i for i, p in enumerate(positions) if p != "seated"]
        assert not stood or "seated" not in positions[stood[0] :], routine.name


def test_wrists_routine_has_a_clinician_note(catalog: Catalog) -> None:
    wrists = catalog.load("wrists")
    assert wrists.targets == ("forearms",) and "wrists" in PRESETS["hourly"].routines
    for step in wrists.steps[:3]:
        assert "numbness" in (step.exercise.caution or "") and "doctor" in (
            step.exercise.caution or ""
        )


def test_the_cues_the_review_asked_to_fix(catalog: Catalog) -> None:
    ex = catalog.exercises
    cues = {i: " ".join(e.cues) for i, e in ex.items()}
    assert (
        "ribs lift" not in cues["overhead-reach"] and "ribs down" in cues["overhead-reach"].lower()
    )
    assert (
        "chest drop" not in cues["standing-cat-cow"]
        and "breathe in" in cues["standing-cat-cow"].lower()
    )
    assert "lower-back" not in ex["hip-flexor-lunge-stretch"].targets
    assert "near the ground" not in cues["hip-flexor-lunge-stretch"]
    assert "backrest" in cues["chest-opener"] and "not locked" in cues["standing-prayer-stretch"]
    assert "calves" not in ex["toe-tap"].targets and "shins" in ex["toe-tap"].targets
    assert "half-circle" in cues["neck-circle"]
    fold = ex["forward-fold"]
    assert "hands on the thighs" in cues["forward-fold"]
    assert "back or leg pain" in (fold.caution or "")
    assert "rolls" in (ex["chest-opener"].caution or "") and "wheels" in (
        ex["partial-chair-squat"].caution or ""
    )


def test_sources_state_what_they_found(tmp_path: Path) -> None:
    assert "mixed" in PRESETS["eyes"].source
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## What the evidence says" in readme
    assert "glucose and insulin" in readme and "mixed" in readme
    assert "Finucane" in readme and "IFOMPT" in readme


# -- our own words -----------------------------------------------------------------------------


TITLES = (
    "Micro Breaks That Prevent Sitting-Induced Back Pain Fast",
    "10 Desk Exercises to Relieve Back Pain at Work",
    "5 Exercises to Reduce Back Pain from Prolonged Sitting!",
    "How to improve back pain while working from home",
    "Lower Back Pain from Sitting",
)


def words(text: str) -> list[str]:
    """Words as the overlap tool reads them."""
    return re.findall(r"[a-z0-9']+", text.replace("’", "'").replace("‘", "'").lower())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not on this machine")
def test_routines_readme_and_tests_are_in_our_own_words(tmp_path: Path) -> None:
    """Seven words in a row from an article only where a title is cited."""
    files = [
        *sorted((ROOT / "routines").glob("*.toml")),
        ROOT / "README.md",
        *sorted((ROOT / "tests").glob("*.py")),
        *sorted((ROOT / "breakctl").rglob("*.py")),
    ]
    checked = []
    for number, path in enumerate(files):
        text = " ".join(words(path.read_text(encoding="utf-8")))
        for title in TITLES:  # a title may wrap over lines in a table: compare words
            text = text.replace(" ".join(words(title)), " | ")
        copy = tmp_path / f"{number}-{path.name}"
        copy.write_text(text, encoding="utf-8")
        checked.append(str(copy))
    tool = SEEDS.parent / "tools" / "seed_overlap.py"
    result = subprocess.run(
        [sys.executable, str(tool), "7", str(SEEDS), *checked], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_a_seated_break_of_start_ends_with_the_seated_line(paths) -> None:
    seated = invoke(
        paths, "start", "--preset", "micro", "--seated", "--cycles", "1", "--no-notify"
    ).stdout.splitlines()
    assert f"          {SEATED_RESET}" in seated and f"          {POSTURE_RESET}" not in seated
    standing = invoke(paths, "start", "--preset", "micro", "--cycles", "1", "--no-notify")
    assert f"          {POSTURE_RESET}" in standing.stdout.splitlines()
