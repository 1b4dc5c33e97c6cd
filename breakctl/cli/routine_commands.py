"""breakctl routine: run, list, show, exercises, check, new."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any

import tomli_w
import typer

from breakctl.cli.base import (
    JsonFlag,
    app_context,
    key_source,
    print_json,
    routine_app,
)
from breakctl.core.durations import format_duration, round_s
from breakctl.core.errors import DataError, StorageError
from breakctl.core.model import Exercise, Routine, Step
from breakctl.core.safety import SAFETY
from breakctl.host.runner import run_routine
from breakctl.host.signals import terminating_signals_raise
from breakctl.store.library import (
    RESERVED_NAMES,
    is_routine_data,
    is_valid_name,
    parse_exercises,
    parse_routine,
    read_toml,
)
from breakctl.store.paths import create_file
from breakctl.ui import view


@routine_app.callback()
def routine_callback(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(routine_list, ctx=ctx, as_json=False)


@routine_app.command("run", epilog=SAFETY)
def routine_run(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The routine to run, e.g. desk, neck, lunch.")],
) -> None:
    """Run a routine now, step by step: space pauses, n skips a step, q quits.

    Example: breakctl routine desk
    """
    app_ctx = app_context(ctx)
    routine = app_ctx.catalog().load(name)
    history = app_ctx.history()
    history.ensure_writable()
    console = view.make_console()
    live = view.live_screen(console)
    with ExitStack() as stack:
        keys = key_source(app_ctx, live, stack)
        screen = (
            view.LiveRoutineView(console) if live else view.PlainRoutineView(console, app_ctx.clock)
        )
        stack.enter_context(terminating_signals_raise())
        stack.enter_context(screen)
        record = run_routine(routine, clock=app_ctx.clock, keys=keys, view=screen, history=history)
    view.print_routine_summary(console, routine, record)


def _routine_row(routine: Routine) -> dict[str, Any]:
    return {
        "name": routine.name,
        "title": routine.title,
        "minutes": round(routine.planned_s / 60, 1),
        "steps": len(routine.steps),
        "source": routine.source,
    }


@routine_app.command("list")
def routine_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List every routine: built-in ones and your own.

    Example: breakctl routine list --json
    """
    routines, problems = app_context(ctx).catalog().load_all()
    for problem in problems:
        typer.echo(f"breakctl: skipped: {problem}", err=True)
    rows = [_routine_row(r) for r in routines]
    if as_json:
        print_json(rows)
    else:
        view.make_console().print(view.routine_table(rows))


@routine_app.command("show")
def routine_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The routine to show.")],
    as_json: JsonFlag = False,
) -> None:
    """Show a routine's steps, each dose and the total time.

    Example: breakctl routine show desk
    """
    routine = app_context(ctx).catalog().load(name)
    if not as_json:
        view.make_console().print(view.routine_detail(routine))
        return
    print_json(
        {
            **_routine_row(routine),
            "summary": routine.summary,
            "path": str(routine.path) if routine.path else None,
            "rest_s": round_s(routine.rest_s),
            "planned_s": round_s(routine.planned_s),
            "safety": SAFETY,
            "steps": [
                {
                    "exercise": step.exercise.id,
                    "name": step.exercise.name,
                    "position": step.exercise.position,
                    "targets": list(step.exercise.targets),
                    "hold_s": step.hold_s,
                    "reps": step.reps,
                    "pace_s": step.pace_s,
                    "sides": step.sides,
                    "seconds": round_s(step.seconds),
                    "caution": step.exercise.caution,
                    "figure": step.exercise.figure,
                }
                for step in routine.steps
            ],
        }
    )


@routine_app.command("exercises")
def routine_exercises(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List the exercise library: the ids a routine's steps can use.

    Example: breakctl routine exercises
    """
    catalog = app_context(ctx).catalog()
    exercises = list(catalog.exercises.values())
    for problem in catalog.problems:
        typer.echo(f"breakctl: skipped: {problem}", err=True)
    if as_json:
        print_json(
            [
                {
                    "id": e.id,
                    "name": e.name,
                    "position": e.position,
                    "targets": list(e.targets),
                    "hold_s": e.hold_s,
                    "reps": e.reps,
                    "pace_s": e.pace_s,
                    "sides": e.sides,
                    "caution": e.caution,
                    "figure": e.figure,
                }
                for e in exercises
            ]
        )
    else:
        view.make_console().print(view.exercise_table(exercises))


@routine_app.command("check")
def routine_check(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Routine or exercise TOML files.")],
) -> None:
    """Check routine and exercise files; print every problem, or 'ok' for each good file.

    Example: breakctl routine check ~/.config/breakctl/routines/*.toml
    """
    catalog = app_context(ctx).catalog()
    problems: list[str] = []
    for path in files:
        try:
            data, found = read_toml(path)
            if is_routine_data(data):
                routine = parse_routine(data, found, catalog.exercises, "user")
                typer.echo(
                    f"ok: {path}: routine '{routine.name}', {len(routine.steps)} steps, "
                    f"{round(routine.planned_s / 60, 1):g} min"
                )
            else:
                exercises = parse_exercises(data, found)
                found.raise_if_any()
                typer.echo(f"ok: {path}: {len(exercises)} exercises")
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(*problems)


@routine_app.command("new")
def routine_new(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A kebab-case name, e.g. my-desk.")],
    from_: Annotated[
        str | None, typer.Option("--from", help="Start from a copy of this routine.")
    ] = None,
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
    typer.echo(f"wrote {target}")


def _dump_routine(data: dict[str, Any]) -> str:
    """TOML text with each step as its own [[steps]] table, as the README shows, so errors
    in an edited file can name the step's line."""
    head = tomli_w.dumps({k: v for k, v in data.items() if k != "steps"}, multiline_strings=True)
    steps = "".join(f"\n[[steps]]\n{tomli_w.dumps(step)}" for step in data["steps"])
    return head + steps


def _routine_to_toml(routine: Routine, name: str, library: dict[str, Exercise]) -> dict[str, Any]:
    """A routine as TOML data with each step's dose spelled out, private exercises included."""
    steps = []
    private: dict[str, Any] = {}
    for step in routine.steps:
        exercise = step.exercise
        if library.get(exercise.id) != exercise:
            private[exercise.id] = _exercise_to_toml(exercise)
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
