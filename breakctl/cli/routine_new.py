"""`breakctl routine new`: a new routine file in your config dir, ready to edit, written from
scratch or from a copy of another routine with each step's dose spelled out."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from breakctl.cli.base import app_context, command
from breakctl.cli.completion import complete_routine
from breakctl.core.durations import format_duration
from breakctl.core.errors import BreakctlError, DataError, StorageError
from breakctl.core.model import Breath, Exercise, Routine, Step
from breakctl.store.breath_parse import unnamed
from breakctl.store.library import is_valid_name
from breakctl.store.paths import create_file
from breakctl.store.routine_parse import RESERVED_NAMES
from breakctl.ui.text import safe


def add_routine_new(routine_app: typer.Typer) -> None:
    """Register `new` on `breakctl routine`."""
    command(routine_app, "new")(routine_new)


def routine_new(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A kebab-case name, e.g. my-desk.")],
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", help="Start from a copy of this routine.", autocompletion=complete_routine
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the built-in routine of the same name.")
    ] = False,
) -> None:
    """Write a new routine file in your config dir, ready to edit.

    Example: breakctl routine new my-desk --from desk
    """
    app_ctx = app_context(ctx)
    if not is_valid_name(name) or name in RESERVED_NAMES:
        raise DataError(
            f"'{name}' can't be a routine name: use lowercase letters, digits and dashes "
            f"(e.g. my-desk), and none of: {', '.join(sorted(RESERVED_NAMES))}"
        )
    target = app_ctx.paths.routines_dir / f"{name}.toml"
    if target.exists():
        raise DataError(f"{target}: already exists; edit it, or pick another name")
    catalog = app_ctx.catalog()
    if name in catalog.builtin_names() and not force:
        raise BreakctlError(
            f"'{name}' would shadow the built-in routine '{name}'; pick another name, "
            "or add --force to replace it"
        )
    if from_ is not None:
        source = catalog.load(from_)
        data = _routine_to_toml(source, name, catalog.exercises)
    else:
        data = {
            "name": name,
            "title": name.replace("-", " ").capitalize(),
            "summary": "My own routine.",
            "rest": "5s",
            "steps": [
                {"exercise": "shoulder-roll"},
                {"exercise": "seated-knee-hug", "hold": "20s"},
            ],
        }
    header = (
        "# A breakctl routine. Steps run in order; ids come from `breakctl routine exercises`.\n"
        "# A step may override the dose: hold, reps, pace, sides. Check it with:\n"
        f"#   breakctl routine check {target}\n\n"
    )
    try:
        create_file(target, (header + _dump_routine(data)).encode())
    except FileExistsError:
        raise DataError(f"{target}: already exists; edit it, or pick another name") from None
    except OSError as exc:
        raise StorageError(f"{target}: cannot write: {exc.strerror}") from None
    typer.echo(f"wrote {safe(str(target))}")


def _dump_routine(data: dict[str, Any]) -> str:
    """TOML text with each step as its own [[steps]] table, as the README shows, so errors
    in an edited file can name the step's line."""
    import tomli_w  # breakctl writes the whole file: no layout of the user's to keep

    head = tomli_w.dumps({k: v for k, v in data.items() if k != "steps"}, multiline_strings=True)
    steps = "".join(f"\n[[steps]]\n{tomli_w.dumps(step)}" for step in data["steps"])
    return head + steps


def _routine_to_toml(routine: Routine, name: str, library: dict[str, Exercise]) -> dict[str, Any]:
    """A routine as TOML data with each step's dose spelled out, private exercises included."""
    steps = []
    private: dict[str, Any] = {}
    for step in routine.steps:
        exercise = step.exercise
        if exercise == unnamed(library):  # a breath step that names no exercise
            steps.append(_breath_step_to_toml(step))
            continue
        if library.get(exercise.id) != exercise:
            private[exercise.id] = _exercise_to_toml(exercise)
        if step.breath is not None and step.breath != exercise.breath:
            steps.append({"exercise": exercise.id, **_breath_step_to_toml(step)})
        else:
            steps.append({"exercise": exercise.id, **_dose_to_toml(step)})
    data: dict[str, Any] = {
        "name": name,
        "title": f"{routine.title} (mine)",
        "summary": routine.summary or f"Based on {routine.name}.",
        "rest": format_duration(routine.rest_s),
    }
    if private:
        data["exercises"] = private
    data["steps"] = steps
    return data


def _exercise_to_toml(exercise: Exercise) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": exercise.name,
        "position": exercise.position,
        "targets": list(exercise.targets),
    }
    data.update(_dose_to_toml(exercise))
    if exercise.breath is not None:
        data["breath"] = _phases_to_toml(exercise.breath)
    data["cues"] = list(exercise.cues)
    if exercise.caution:
        data["caution"] = exercise.caution
    if exercise.figure:
        data["figure"] = exercise.figure + "\n"
    return data


def _dose_to_toml(item: Step | Exercise) -> dict[str, Any]:
    """hold, reps, pace and sides as a routine file writes them ("30s", not 30.0)."""
    dose: dict[str, Any] = {}
    if item.hold_s is not None:
        dose["hold"] = format_duration(item.hold_s)
    if item.reps is not None:
        dose["reps"] = item.reps
    if item.pace_s is not None:
        dose["pace"] = format_duration(item.pace_s)
    dose["sides"] = item.sides
    return dose


def _phases_to_toml(breath: Breath) -> dict[str, str]:
    phases = {
        "inhale": breath.inhale_s,
        "hold": breath.hold_s,
        "exhale": breath.exhale_s,
        "hold_out": breath.hold_out_s,
    }
    return {key: format_duration(seconds) for key, seconds in phases.items() if seconds}


def _breath_step_to_toml(step: Step) -> dict[str, Any]:
    """A `kind = "breath"` step: its phases, breaths and sides."""
    assert step.breath is not None
    return {
        "kind": "breath",
        **_phases_to_toml(step.breath),
        "cycles": step.reps,
        "sides": step.sides,
    }
