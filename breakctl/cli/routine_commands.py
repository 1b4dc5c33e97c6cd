"""breakctl routine: run, list, show, exercises, check, new."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from breakctl.cli.base import (
    BellFlag,
    BreakctlGroup,
    JsonFlag,
    VoiceFlag,
    app_context,
    command,
    family,
    key_source,
    print_json,
)
from breakctl.cli.completion import complete_exercise, complete_routine
from breakctl.cli.routine_new import add_routine_new
from breakctl.core.durations import plural, round_s
from breakctl.core.errors import DataError
from breakctl.core.model import Breath, Exercise, Routine
from breakctl.core.safety import SAFETY
from breakctl.store.paths import Paths
from breakctl.ui.console import live_screen, make_console, whole_writes
from breakctl.ui.tables import exercise_table, routine_detail, routine_table
from breakctl.ui.text import safe

if TYPE_CHECKING:  # each subcommand imports what it runs: `routine list` loads no screen
    from breakctl.core.records import Record
    from breakctl.host.context import AppContext


class RoutineGroup(BreakctlGroup):
    """`breakctl routine lunch` means `breakctl routine run lunch`."""

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:  # type: ignore[override]
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().resolve_command(ctx, args)


commands = family()
routine_app = family(
    "Run a routine now (`breakctl routine desk`), or list, show, check and create them.",
    cls=RoutineGroup,
    epilog=SAFETY,
    invoke_without_command=True,
)
commands.add_typer(routine_app, name="routine")
RoutineName = Annotated[
    str,
    typer.Argument(help="The routine, e.g. desk, neck, lunch.", autocompletion=complete_routine),
]


@routine_app.callback()
def routine_callback(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(routine_list, ctx=ctx, as_json=False)


@command(routine_app, "run", epilog=SAFETY)
def routine_run(
    ctx: typer.Context,
    name: RoutineName,
    bell: BellFlag = None,
    voice: VoiceFlag = None,
) -> None:
    """Run a routine now, step by step: space pauses, n skips a step, q quits.

    Example: breakctl routine desk
    """
    from breakctl.host.guide import Guide, GuidedRoutineView, guide_settings
    from breakctl.host.routine.loop import run_routine
    from breakctl.host.routine.status_file import RoutineStatus
    from breakctl.host.signals import terminating_signals_raise
    from breakctl.ui.routine_plain import PlainRoutineView, print_routine_summary
    from breakctl.ui.routine_screen import LiveRoutineView

    app_ctx = app_context(ctx)
    routine = app_ctx.catalog().load(name)
    config = _config_values(app_ctx.paths)
    if bell is None:
        bell = config.get("start", {}).get("bell", True)
    guide = Guide.from_settings(guide_settings(config, app_ctx.env, bell=bell, voice=voice))
    history = app_ctx.history()
    history.ensure_writable()
    console = make_console(file=whole_writes(sys.stdout))
    live = live_screen(console)
    with ExitStack() as stack:
        keys = key_source(app_ctx, live, stack)
        first = _first_today(app_ctx)  # the safety line, once a day, as `start` shows it
        screen: Any = (
            LiveRoutineView(console, bell=bell and not guide.plays, safety=first)
            if live
            else PlainRoutineView(console, app_ctx.clock, safety=first)
        )
        if guide.active:
            screen = GuidedRoutineView(screen, guide)
        stack.enter_context(terminating_signals_raise())
        status = stack.enter_context(RoutineStatus(app_ctx.paths, app_ctx.clock))
        done: list[Record] = []
        try:
            run_routine(
                routine,
                clock=app_ctx.clock,
                keys=keys,
                view=screen,
                history=history,
                on_record=done.append,
                publish=status,
            )
        finally:  # Ctrl-C and q end with the same one-line summary
            if done:
                print_routine_summary(console, routine, done[0])
            for problem in getattr(screen, "problems", ()):
                typer.echo(f"breakctl: warning: {safe(problem)}", err=True)


def _first_today(app_ctx: AppContext) -> bool:
    """Nothing moved today, on any machine: no break completed, no routine with active time."""
    from breakctl.core.errors import StorageError
    from breakctl.store.review import HistoryAccess

    today = app_ctx.clock.now().date()
    try:
        summary = HistoryAccess.open(app_ctx.paths, app_ctx.env, now=app_ctx.clock.now()).summary
    except (DataError, StorageError):
        return True  # in doubt, say it
    return not summary.breaks_completed.get(today) and not summary.moved_s.get(today)


def _config_values(paths: Paths) -> dict[str, dict[str, Any]]:
    """config.toml's values read ([start] bell, [sound], [voice]); a routine run on its own
    does not fail over a bad config: it runs with the defaults."""
    from breakctl.store.config import read_config

    try:
        return read_config(paths.config_file).values
    except DataError:
        return {}


def _routine_row(routine: Routine) -> dict[str, Any]:
    return {
        "name": routine.name,
        "title": routine.title,
        "minutes": round(routine.planned_s / 60, 1),
        "steps": len(routine.steps),
        "source": routine.source,
    }


def _guide(exercise: Exercise) -> dict[str, str | None]:
    """The JSON of an exercise's start and feel lines and its easier and harder versions."""
    return {key: getattr(exercise, key) for key in ("start", "feel", "easier", "harder")}


def _shadows(routine: Routine, builtin: set[str]) -> bool:
    """Whether a user routine replaces a built-in one (a file of the same name)."""
    return routine.source == "user" and routine.path is not None and routine.path.stem in builtin


@command(routine_app, "list")
def routine_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List every routine: built-in ones and your own.

    Example: breakctl routine list --json
    """
    catalog = app_context(ctx).catalog()
    routines, problems = catalog.load_all()
    for problem in problems:
        typer.echo(f"breakctl: skipped: {safe(problem)}", err=True)
    rows = [_routine_row(r) for r in routines]
    if as_json:
        print_json(rows)
    else:  # the table says which of the user's routines replace a built-in one
        builtin = catalog.builtin_names()
        shadowing = {r.name for r in routines if _shadows(r, builtin)}
        make_console().print(routine_table(rows, shadowing))


@command(routine_app, "show")
def routine_show(ctx: typer.Context, name: RoutineName, as_json: JsonFlag = False) -> None:
    """Show a routine's steps, each dose and the total time.

    Example: breakctl routine show desk
    """
    routine = app_context(ctx).catalog().load(name)
    if not as_json:
        make_console().print(routine_detail(routine))
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
                    "kind": "breath" if step.breath is not None else "exercise",
                    "breath": _breath_json(step.breath, step.reps),
                    **_guide(step.exercise),
                }
                for step in routine.steps
            ],
        }
    )


def _breath_json(breath: Breath | None, cycles: int | None) -> dict[str, Any] | None:
    """A breath step's phases in seconds (and its breaths), for --json; None for other steps."""
    if breath is None:
        return None
    phases = {
        "inhale_s": round_s(breath.inhale_s),
        "hold_s": round_s(breath.hold_s),
        "exhale_s": round_s(breath.exhale_s),
        "hold_out_s": round_s(breath.hold_out_s),
    }
    return {**phases, "cycles": cycles} if cycles is not None else phases


@command(routine_app, "exercises")
def routine_exercises(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Argument(help="Only these exercises.", autocompletion=complete_exercise),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List the exercise library (or the exercises named): the ids a routine's steps can use.

    Example: breakctl routine exercises chest-opener calf-raise
    """
    catalog = app_context(ctx).catalog()
    library = catalog.exercises
    for problem in catalog.problems:
        typer.echo(f"breakctl: skipped: {safe(problem)}", err=True)
    unknown = [i for i in ids or () if i not in library]
    if unknown:
        raise DataError(*(f"no exercise with id {i!r}" for i in unknown))
    exercises = [library[i] for i in ids] if ids else list(library.values())
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
                    "breath": _breath_json(e.breath, None),
                    **_guide(e),
                }
                for e in exercises
            ]
        )
    else:
        make_console().print(exercise_table(exercises))


@command(routine_app, "check")
def routine_check(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Routine or exercise TOML files.")],
) -> None:
    """Check routine and exercise files; print every problem, or 'ok' for each good file.

    Example: breakctl routine check ~/.config/breakctl/routines/*.toml
    """
    from breakctl.store.library import is_routine_data
    from breakctl.store.routine_parse import parse_exercises, parse_routine
    from breakctl.store.toml_source import read_toml

    catalog = app_context(ctx).catalog()
    problems: list[str] = []
    for path in files:
        try:
            data, found = read_toml(path)
            if is_routine_data(data):
                routine = parse_routine(data, found, catalog.exercises, "user")
                steps = plural(len(routine.steps), "step")
                typer.echo(
                    safe(f"ok: {path}: routine '{routine.name}', {steps}, ")
                    + f"{round(routine.planned_s / 60, 1):g} min"
                )
            else:
                exercises = parse_exercises(data, found, known=catalog.exercises)
                found.raise_if_any()
                typer.echo(f"ok: {safe(str(path))}: {len(exercises)} exercises")
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(*problems)


add_routine_new(routine_app)  # `routine new`: in routine_new
