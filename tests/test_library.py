"""The exercise library and routine loader: built-in content and every validation error."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from breakctl.core.errors import DataError
from breakctl.core.model import AREAS, POSITIONS
from breakctl.store.library import Catalog, builtin_dir, load_routine_file

REQUIRED_EXERCISES = [
    # ten desk exercises (001)
    "seated-knee-hug",
    "seated-trunk-rotation",
    "isometric-core-bracing",
    "alternating-knee-raise",
    "lateral-neck-stretch",
    "chest-opener",
    "calf-raise",
    "partial-chair-squat",
    "hip-flexor-lunge-stretch",
    "standing-side-bend",
    # five floor exercises (002)
    "prone-press-up",
    "prone-w",
    "tabletop-rotation",
    "standing-hamstring-stretch",
    "glute-activation-lunge-with-reach",
    # micro breaks and pain when sitting (000, 003)
    "overhead-reach",
    "shoulder-roll",
    "neck-circle",
    "weight-shift",
    "wall-angel",
    "standing-cat-cow",
    "forward-fold",
    "pelvic-tilt",
    "toe-tap",
    "wall-push-up",
    "walk",
    # working from home (004)
    "standing-prayer-stretch",
]
BUILTIN_ROUTINES = [
    "micro",
    "desk",
    "standing",
    "floor",
    "wfh",
    "neck",
    "lunch",
    "desk-micro",
    "desk-short",
    "eyes",
    "look-away",
    "long-walk",
]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def kebab(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def test_library_has_every_exercise_from_the_articles(catalog: Catalog) -> None:
    assert set(REQUIRED_EXERCISES) <= set(catalog.exercises)


def test_library_ids_are_the_kebab_case_names_with_short_cues(catalog: Catalog) -> None:
    for ex_id, exercise in catalog.exercises.items():
        assert ex_id == kebab(exercise.name)
        assert 2 <= len(exercise.cues) <= 4, ex_id
        assert exercise.position in POSITIONS
        assert exercise.targets and set(exercise.targets) <= set(AREAS)
        assert exercise.hold_s or exercise.reps


@pytest.mark.parametrize(
    ("ex_id", "hold_s", "reps", "sides"),
    [
        ("seated-knee-hug", 30, None, True),
        ("seated-trunk-rotation", 5, 10, True),  # a breath or two in each turn
        ("isometric-core-bracing", 10, 8, False),
        ("alternating-knee-raise", None, 20, False),
        ("lateral-neck-stretch", 20, None, True),
        ("chest-opener", None, 5, False),
        ("calf-raise", None, 15, False),
        ("partial-chair-squat", 3, 10, False),
        ("hip-flexor-lunge-stretch", 30, None, True),
        ("standing-side-bend", None, 5, True),
        ("prone-press-up", None, 10, False),
        ("prone-w", None, 10, False),
        ("tabletop-rotation", None, 5, True),
    ],
)
def test_doses_follow_the_articles(
    catalog: Catalog, ex_id: str, hold_s: float | None, reps: int | None, sides: bool
) -> None:
    exercise = catalog.exercises[ex_id]
    # A move paced by its breath holds the position through the breath out.
    held = exercise.breath.exhale_s if exercise.breath is not None else exercise.hold_s
    assert (held, exercise.reps, exercise.sides) == (hold_s, reps, sides)


def test_every_builtin_routine_loads_and_has_a_sensible_length(catalog: Catalog) -> None:
    minutes = {r.name: r.planned_s / 60 for r in catalog.load_all()[0]}
    assert set(BUILTIN_ROUTINES) <= set(minutes)
    assert 0.75 <= minutes["micro"] <= 1.5
    assert 7 <= minutes["desk"] <= 8  # the six moves at the articles' full doses
    assert 3.5 <= minutes["standing"] <= 4.5
    assert 10 <= minutes["lunch"] <= 15
    assert minutes["desk-micro"] <= 1 and 3 <= minutes["desk-short"] <= 4
    floor = [s.exercise.id for s in catalog.load("floor").steps]
    assert [x for x in floor if x in REQUIRED_EXERCISES[10:15]] == REQUIRED_EXERCISES[10:15]
    desk = catalog.load("desk")
    assert {s.exercise.position for s in desk.steps} == {"seated"}
    assert "walk" in [s.exercise.id for s in catalog.load("lunch").steps]
    assert "standing-prayer-stretch" in [s.exercise.id for s in catalog.load("wfh").steps]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not beside the checkout")
def test_builtin_text_is_not_copied_from_the_articles() -> None:
    tool = SEEDS.parent / "tools" / "seed_overlap.py"
    files = sorted(str(p) for p in builtin_dir().glob("*.toml"))
    result = subprocess.run(
        [sys.executable, str(tool), "7", str(SEEDS), *files], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


GOOD = """
name = "mine"
title = "Mine"
rest = "0s"

[exercises.sway]
name = "Sway"
position = "standing"
targets = ["calves"]
reps = 4
pace = "1s"
cues = ["Sway."]

[[steps]]
exercise = "sway"

[[steps]]
exercise = "seated-knee-hug"
hold = "10s"
"""


def test_user_routine_with_private_exercise_and_override(
    catalog: Catalog, write_user_routine: Callable[[str, str], Path]
) -> None:
    write_user_routine("mine", GOOD)
    routine = catalog.load("mine")
    assert routine.source == "user"
    assert routine.rest_s == 0
    assert [s.exercise.id for s in routine.steps] == ["sway", "seated-knee-hug"]
    assert routine.steps[1].hold_s == 10 and routine.steps[1].sides
    assert routine.planned_s == 4 * 1 + (2 * 10 + 3)


def test_user_routine_overrides_builtin_of_same_name(
    catalog: Catalog, write_user_routine: Callable[[str, str], Path]
) -> None:
    write_user_routine("desk", GOOD.replace('name = "mine"', 'name = "desk"'))
    assert catalog.load("desk").source == "user"
    assert catalog.load("desk").title == "Mine"


def test_lookup_by_name_field_when_file_name_differs(
    catalog: Catalog, write_user_routine: Callable[[str, str], Path]
) -> None:
    write_user_routine("some-file", GOOD)
    assert catalog.load("mine").name == "mine"


def test_unknown_routine_lists_known_ones(catalog: Catalog) -> None:
    with pytest.raises(DataError) as info:
        catalog.load("dsk")
    message = str(info.value)
    assert "no routine named 'dsk'" in message and "desk" in message and "lunch" in message


def problems_for(tmp_path: Path, catalog: Catalog, text: str) -> list[str]:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_routine_file(path, catalog.exercises, "user")
    assert all(p.startswith(str(path)) for p in info.value.problems)
    return info.value.problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('name = "x"\n[[steps]\nexercise = "walk"\n', r"bad\.toml:2: TOML syntax error"),
        ('title = "x"\n[[steps]]\nexercise = "walk"\n', r"missing required field 'name'"),
        ('name = "x"\n', r"needs at least one step"),
        ('name = "x"\nsteps = []\n', r"needs at least one step"),
        (
            'name = "x"\n[[steps]]\nexercise = "wlak"\n',
            r":3: step 1 \(wlak\): .*unknown exercise id 'wlak' \(did you mean 'walk'\?\)",
        ),
        (
            'name = "x"\n[[steps]]\nexercise = "walk"\n\n[[steps]]\nexercise = "walk"\nhold = "-5s"\n',
            r":7: step 2 \(walk\): hold: a duration cannot be negative",
        ),
        (
            'name = "x"\n[[steps]]\nexercise = "walk"\nhold = "soon"\n',
            r"hold: not a duration: 'soon'",
        ),
        (
            'name = "x"\n[[steps]]\nexercise = "walk"\nhold = "0s"\n',
            r"hold: must be longer than 0s",
        ),
        (
            'name = "x"\n[[steps]]\nexercise = "walk"\nreps = 0\n',
            r"reps: expected a whole number of 1 or more",
        ),
        (
            'name = "x"\n[[steps]]\nexercise = "walk"\nreps = 2.5\n',
            r"reps: expected a whole number",
        ),
        (
            'name = "x"\n[[steps]]\nexercise = "walk"\nsides = "yes"\n',
            r"sides: expected true or false",
        ),
        (
            'name = "x"\n[[steps]]\nexercise = "walk"\nhodl = "3s"\n',
            r"unknown key 'hodl' \(did you mean 'hold'\?\)",
        ),
        (
            'name = "x"\ncolour = "red"\n[[steps]]\nexercise = "walk"\n',
            r"bad\.toml:2: unknown key 'colour'",
        ),
        (
            'name = "x"\nrest = "-1s"\n[[steps]]\nexercise = "walk"\n',
            r":2: rest: a duration cannot be negative",
        ),
        (
            'name = "My Routine"\n[[steps]]\nexercise = "walk"\n',
            r"name: expected a kebab-case name",
        ),
        ('name = "list"\n[[steps]]\nexercise = "walk"\n', r"'list' is reserved"),
        ('name = "x"\n[[steps]]\nhold = "3s"\n', r"step 1: missing required field 'exercise'"),
        (
            'name = "x"\n[exercises.m]\nposition = "standing"\ntargets = ["neck"]\ncues = ["a"]\nhold = "3s"\n[[steps]]\nexercise = "m"\n',
            r":2: exercises\.m: missing required field 'name'",
        ),
        (
            'name = "x"\n[exercises.m]\nname = "M"\nposition = "lying"\ntargets = ["neck"]\ncues = ["a"]\nhold = "3s"\n[[steps]]\nexercise = "m"\n',
            r"position: expected one of seated, standing, floor, walking, got 'lying'",
        ),
        (
            'name = "x"\n[exercises.m]\nname = "M"\nposition = "floor"\ntargets = ["toes"]\ncues = ["a"]\nhold = "3s"\n[[steps]]\nexercise = "m"\n',
            r"targets: unknown body area 'toes'",
        ),
        (
            'name = "x"\n[exercises.m]\nname = "M"\nposition = "floor"\ntargets = ["neck"]\ncues = []\nhold = "3s"\n[[steps]]\nexercise = "m"\n',
            r"cues: expected a list of at least one",
        ),
        (
            'name = "x"\n[exercises.m]\nname = "M"\nposition = "floor"\ntargets = ["neck"]\ncues = ["a"]\n[[steps]]\nexercise = "m"\n',
            r"missing a dose",
        ),
        (
            'name = "x"\n[exercises.M_1]\nname = "M"\nposition = "floor"\ntargets = ["neck"]\ncues = ["a"]\nhold = 3\n[[steps]]\nexercise = "M_1"\n',
            r"must be kebab-case",
        ),
    ],
)
def test_each_validation_error_names_file_line_and_field(
    tmp_path: Path, catalog: Catalog, text: str, expected: str
) -> None:
    problems = problems_for(tmp_path, catalog, text)
    assert any(re.search(expected, p) for p in problems), problems


def test_all_problems_reported_at_once(tmp_path: Path, catalog: Catalog) -> None:
    text = 'name = "x"\n[[steps]]\nexercise = "nope"\n[[steps]]\nexercise = "walk"\nreps = -1\n'
    problems = problems_for(tmp_path, catalog, text)
    assert len(problems) == 2
    assert ":3: step 1 (nope)" in problems[0]  # the line of the offending key itself
    assert ":6: step 2 (walk): reps" in problems[1]


def test_unreadable_files(tmp_path: Path, catalog: Catalog) -> None:
    with pytest.raises(DataError, match="no such file"):
        load_routine_file(tmp_path / "missing.toml", catalog.exercises, "user")
    with pytest.raises(DataError, match="is a directory"):
        load_routine_file(tmp_path, catalog.exercises, "user")
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b'name = "\xff"\n')
    with pytest.raises(DataError, match="not UTF-8"):
        load_routine_file(binary, catalog.exercises, "user")


def test_broken_user_file_does_not_hide_the_others(
    catalog: Catalog, write_user_routine: Callable[[str, str], Path]
) -> None:
    write_user_routine("broken", "name = [")
    routines, problems = catalog.load_all()
    assert "desk" in [r.name for r in routines]
    assert len(problems) == 1 and "broken.toml:1: TOML syntax error" in problems[0]
