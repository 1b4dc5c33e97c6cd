"""The command line: parse, call the core, hand results to the view. The only Typer module."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import tomli_w
import typer
from typer.core import TyperGroup

from breakctl import view
from breakctl.config import load_config, positive_int, set_value, write_config
from breakctl.context import AppContext
from breakctl.durations import format_duration
from breakctl.engine import Session
from breakctl.errors import BreakctlError, DataError, ExitStatus, StorageError
from breakctl.history import BadLine, HistoryReader
from breakctl.hooks import HookRunner, read_hooks
from breakctl.keys import KeySource, NoKeys, TerminalKeys
from breakctl.library import (
    RESERVED_NAMES,
    is_routine_data,
    is_valid_name,
    parse_exercises,
    parse_routine,
    read_toml,
)
from breakctl.model import Exercise, Routine, round_s
from breakctl.notify import Notifier, test_channels
from breakctl.paths import ensure_private_dir
from breakctl.plan import PRESETS, read_value, resolve_settings
from breakctl.planner import BreakPlanner, areas_last_worked
from breakctl.review import HistoryAccess, review
from breakctl.runner import run_routine, run_session
from breakctl.session_host import SessionHost
from breakctl.signals import Terminated, terminating_signals_raise
from breakctl.state import (
    StartLock,
    read_state,
    recover,
    running_pid,
    send_control,
)
from breakctl.stats import DEFAULT_BREAKS_PER_DAY, Window, last_days, week_of


class BreakctlGroup(TyperGroup):
    """Maps our errors to one line each on stderr and an exit code: never a traceback."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except BreakctlError as exc:
            for problem in exc.problems:
                typer.echo(f"breakctl: {problem}", err=True)
            raise typer.Exit(exc.exit_status) from None
        except KeyboardInterrupt:
            raise typer.Exit(ExitStatus.CTRL_C) from None
        except Terminated as exc:
            raise typer.Exit(exc.exit_status) from None


# The order a newcomer meets the commands in, for `breakctl --help`.
COMMAND_ORDER = (
    "start", "status", "pause", "resume", "skip", "stop", "routine", "stats", "history",
    "presets", "notify", "config",
)  # fmt: skip


class RootGroup(BreakctlGroup):
    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        names = list(super().list_commands(ctx))
        rank = {name: index for index, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))


class RoutineGroup(BreakctlGroup):
    """`breakctl routine lunch` means `breakctl routine run lunch`."""

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:  # type: ignore[override]
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=RootGroup,
    name="breakctl",
    help="Move more while you work: work/break cycles with guided stretching routines.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
routine_app = typer.Typer(
    cls=RoutineGroup,
    help="Run a routine now (`breakctl routine desk`), or list, show, check and create them.",
    invoke_without_command=True,
)
config_app = typer.Typer(
    cls=BreakctlGroup, help="Where breakctl keeps its files, and its settings."
)
history_app = typer.Typer(
    cls=BreakctlGroup,
    help="List recent records (`breakctl history --last 50`), or check the file for bad lines.",
    invoke_without_command=True,
)
app.add_typer(routine_app, name="routine")
app.add_typer(history_app, name="history")
app.add_typer(config_app, name="config")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"breakctl {version('breakctl')}")
        except PackageNotFoundError:
            typer.echo("breakctl (not installed)")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())  # plain `breakctl` is a request for help, not an error
        raise typer.Exit()
    if ctx.obj is None:
        ctx.obj = AppContext.from_environment()
    # Any command notices a `start` that died (kill -9, power cut) and records its block.
    recover(ctx.obj.paths)


def _app(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext)
    return obj


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


# -- breakctl routine -------------------------------------------------------------------------


@routine_app.callback()
def routine_callback(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(routine_list, ctx=ctx, as_json=False)


@routine_app.command("run")
def routine_run(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The routine to run, e.g. desk, neck, lunch.")],
) -> None:
    """Run a routine now, step by step: space pauses, n skips a step, q quits.

    Example: breakctl routine desk
    """
    app_ctx = _app(ctx)
    routine = app_ctx.catalog().load(name)
    history = app_ctx.history()
    history.ensure_writable()
    console = view.make_console()
    with ExitStack() as stack:
        keys: KeySource
        live = console.is_terminal and not console.is_dumb_terminal
        if app_ctx.keys is not None:
            keys = app_ctx.keys
        elif live and sys.stdin.isatty():
            keys = stack.enter_context(TerminalKeys())
        else:
            keys = NoKeys(app_ctx.clock)
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
    routines, problems = _app(ctx).catalog().load_all()
    for problem in problems:
        typer.echo(f"breakctl: skipped: {problem}", err=True)
    rows = [_routine_row(r) for r in routines]
    if as_json:
        _print_json(rows)
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
    routine = _app(ctx).catalog().load(name)
    if not as_json:
        view.make_console().print(view.routine_detail(routine))
        return
    _print_json(
        {
            **_routine_row(routine),
            "summary": routine.summary,
            "path": str(routine.path) if routine.path else None,
            "rest_s": round_s(routine.rest_s),
            "planned_s": round_s(routine.planned_s),
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
    exercises = list(_app(ctx).catalog().exercises.values())
    if as_json:
        _print_json(
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
    catalog = _app(ctx).catalog()
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
    app_ctx = _app(ctx)
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
        ensure_private_dir(target.parent)
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(header + tomli_w.dumps(data))
    except OSError as exc:
        raise StorageError(f"{target}: cannot write: {exc.strerror}") from None
    typer.echo(f"wrote {target}")


def _routine_to_toml(routine: Routine, name: str, library: dict[str, Exercise]) -> dict[str, Any]:
    """A routine as TOML data with each step's dose spelled out, private exercises included."""
    steps = []
    private: dict[str, Any] = {}
    for step in routine.steps:
        exercise = step.exercise
        if library.get(exercise.id) != exercise:
            private[exercise.id] = _exercise_to_toml(exercise)
        entry: dict[str, Any] = {"exercise": exercise.id}
        if step.hold_s is not None:
            entry["hold"] = format_duration(step.hold_s)
        if step.reps is not None:
            entry["reps"] = step.reps
        if step.pace_s is not None:
            entry["pace"] = format_duration(step.pace_s)
        entry["sides"] = step.sides
        steps.append(entry)
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
    if exercise.hold_s is not None:
        data["hold"] = format_duration(exercise.hold_s)
    if exercise.reps is not None:
        data["reps"] = exercise.reps
    if exercise.pace_s is not None:
        data["pace"] = format_duration(exercise.pace_s)
    data["sides"] = exercise.sides
    data["cues"] = list(exercise.cues)
    if exercise.caution:
        data["caution"] = exercise.caution
    return data


# -- breakctl config --------------------------------------------------------------------------


@config_app.command("path")
def config_path(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Print where breakctl keeps each of its files.

    Example: breakctl config path
    """
    paths = _app(ctx).paths
    places = {
        "config": str(paths.config_file),
        "routines": str(paths.routines_dir),
        "history": str(paths.history_file),
        "state": str(paths.state_file),
    }
    if as_json:
        _print_json(places)
        return
    for label, place in places.items():
        typer.echo(f"{label:<9}{place}")


# -- breakctl stats and history ---------------------------------------------------------------

CSV_FIELDS = (
    "id", "session", "kind", "cycle", "routine", "started", "ended",
    "planned_s", "active_s", "paused_s", "suspended_s", "outcome", "steps",
)  # fmt: skip


MAX_WINDOW_DAYS = 36_600  # a century: beyond it the window (and the one before) stop making sense
EARLIEST_DAY = date(1900, 1, 1)


def _parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{option}: expected a date like 2026-11-16, got {value!r}") from None


def _warn_bad_lines(path: Path, bad: list[BadLine]) -> None:
    if not bad:
        return
    numbers = ", ".join(str(b.line) for b in bad[:20]) + (", …" if len(bad) > 20 else "")
    plural = "line" if len(bad) == 1 else "lines"
    typer.echo(
        f"breakctl: warning: {path}: skipped {len(bad)} unreadable {plural}: {numbers} "
        "(`breakctl history check` says why)",
        err=True,
    )


def _stats_window(
    today: date, week: str | None, days: int | None, since: str | None, until: str | None
) -> Window:
    chosen = [
        name for name, value in (("--week", week), ("--days", days), ("--since", since)) if value
    ]
    if len(chosen) > 1:
        raise DataError(f"use one of {', '.join(chosen)}, not several")
    if until and not since:
        raise DataError("--until goes with --since, e.g. --since 2026-11-01 --until 2026-11-15")
    if days is not None:
        if not 1 <= days <= MAX_WINDOW_DAYS:
            raise DataError(f"--days: expected 1 to {MAX_WINDOW_DAYS}, got {days}")
        return last_days(today, days)
    if since:
        start = _parse_day(since, "--since")
        end = _parse_day(until, "--until") if until else today
        if end < start:
            raise DataError(f"--until {end} is before --since {start}")
        if start < EARLIEST_DAY:
            raise DataError(f"--since: expected {EARLIEST_DAY} or later, got {start}")
        return Window(start, end)
    if week in (None, "this"):
        return week_of(today)
    if week == "last":
        return week_of(today - timedelta(days=7))
    raise DataError(f"--week: expected 'this' or 'last', got {week!r}")


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    week: Annotated[
        str | None, typer.Option("--week", help="'this' (default) or 'last': Monday to Sunday.")
    ] = None,
    days: Annotated[
        int | None, typer.Option("--days", help="The last N days, today included.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this day (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="To this day, included (default: today).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Your weekly review: breaks taken and skipped, time moved, longest sitting stretch,
    streaks, body areas covered, and a chart per day.

    Example: breakctl stats --week last
    """
    app_ctx = _app(ctx)
    today = app_ctx.clock.now().date()
    window = _stats_window(today, week, days, since, until)
    config = load_config(app_ctx.paths.config_file)
    goal = positive_int(
        config, "goals", "breaks_per_day", DEFAULT_BREAKS_PER_DAY, app_ctx.paths.config_file
    )
    catalog = app_ctx.catalog()
    library = catalog.exercises
    targets = {ex_id: ex.targets for ex_id, ex in library.items()}
    access = HistoryAccess.open(app_ctx.paths)
    week_figures, bad = review(access, window, today, targets, goal)
    _warn_bad_lines(app_ctx.paths.history_file, bad)
    if as_json:
        _print_json(week_figures.to_json())
        return
    names = {ex_id: ex.name for ex_id, ex in library.items()}
    view.make_console().print(view.render_week(week_figures, names))


@history_app.callback()
def history_list(
    ctx: typer.Context,
    last: Annotated[int, typer.Option("--last", help="How many records, newest last.")] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the records as JSON lines.")
    ] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")] = False,
) -> None:
    """List the last records of your history.

    Example: breakctl history --last 50 --csv > history.csv
    """
    if ctx.invoked_subcommand is not None:
        return
    if as_json and as_csv:
        raise DataError("use --json or --csv, not both")
    if last < 0:
        raise DataError(f"--last: expected 0 or more, got {last}")
    app_ctx = _app(ctx)
    records, bad = HistoryAccess.open(app_ctx.paths).last(last)
    _warn_bad_lines(app_ctx.paths.history_file, bad)
    if as_json:
        for record in records:
            typer.echo(json.dumps(record.raw, ensure_ascii=False, separators=(",", ":")))
    elif as_csv:
        writer = csv.DictWriter(
            sys.stdout, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        for record in records:
            row = dict(record.raw)
            if "steps" in row:
                row["steps"] = json.dumps(row["steps"], ensure_ascii=False, separators=(",", ":"))
            writer.writerow(row)
    elif not records:
        typer.echo("No history yet: run `breakctl routine micro` or `breakctl start`.")
    else:
        view.make_console().print(view.history_table(records))


@history_app.command("check")
def history_check(ctx: typer.Context) -> None:
    """Report lines of the history file that can't be read, with why; never changes the file.

    Example: breakctl history check
    """
    path = _app(ctx).paths.history_file
    reader = HistoryReader(path)
    kinds: dict[str, int] = {}
    bad: list[BadLine] = []
    lines = 0
    for _, number, item in reader.scan():
        lines = number
        if isinstance(item, BadLine):
            bad.append(item)
        elif item is not None:
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
    for line in bad:
        typer.echo(f"{path}:{line.line}: {line.reason}")
    counted = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"
    typer.echo(f"{lines} lines: {sum(kinds.values())} records ({counted}), {len(bad)} bad")
    if bad:
        raise typer.Exit(ExitStatus.BAD_INPUT)


# -- breakctl start and friends ---------------------------------------------------------------

DurationOption = Annotated[str | None, typer.Option(metavar="DURATION")]


@app.command("start")
def start_command(
    ctx: typer.Context,
    preset: Annotated[
        str | None, typer.Option(help="A schedule from `breakctl presets` (default: pomodoro).")
    ] = None,
    work: Annotated[
        str | None,
        typer.Option(metavar="DURATION", help="Work block: 25m, 1h30m, 1.5h, PT25M, 45 (minutes)."),
    ] = None,
    break_: Annotated[
        str | None, typer.Option("--break", metavar="DURATION", help="Short break.")
    ] = None,
    long_break: Annotated[str | None, typer.Option(metavar="DURATION", help="Long break.")] = None,
    long_every: Annotated[
        int | None,
        typer.Option(metavar="N", help="A long break after every N work blocks (0: never)."),
    ] = None,
    cycles: Annotated[
        int | None, typer.Option(metavar="N", help="Stop after N work blocks and their breaks.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="HH:MM", help="Stop at this time today.")
    ] = None,
    routine: Annotated[str | None, typer.Option(help="Use this routine in every break.")] = None,
    rotate: Annotated[
        str | None, typer.Option(metavar="A,B,C", help="Take turns with these routines.")
    ] = None,
    seated: Annotated[
        bool | None, typer.Option("--seated", help="Only seated routines (an open-plan office).")
    ] = None,
    wait: Annotated[
        bool | None, typer.Option("--wait", help="Wait for a key before each next phase.")
    ] = None,
    bell: Annotated[
        bool | None, typer.Option("--bell/--no-bell", help="Ring the terminal bell.")
    ] = None,
    notify: Annotated[
        bool | None, typer.Option("--notify/--no-notify", help="Desktop notifications.")
    ] = None,
) -> None:
    """Work/break cycles all day: a countdown while you work, then a guided routine in each break.

    Keys while working: space pause, b break now, s skip the next break, + postpone it 5 min,
    q quit. In a break: space pause, n next step, s skip the rest, q quit.

    Example: breakctl start --work 50m --break 10m --until 17:30
    """
    app_ctx = _app(ctx)
    paths = app_ctx.paths
    config = load_config(paths.config_file)
    start_table = config.get("start", {})
    if not isinstance(start_table, dict):
        raise DataError(f"{paths.config_file}: [start] must be a table")
    given = {
        "preset": preset, "work": work, "break": break_, "long_break": long_break,
        "long_every": long_every, "cycles": cycles, "until": until, "routine": routine,
        "rotate": rotate, "seated": seated, "wait": wait, "bell": bell, "notify": notify,
    }  # fmt: skip
    cli_values = {
        key: (value if isinstance(value, bool) else _option_value(key, value))
        for key, value in given.items()
        if value is not None
    }
    try:
        resolve_settings(start_table, {})
    except DataError as exc:
        raise DataError(*(f"{paths.config_file}: [start] {p}" for p in exc.problems)) from None
    settings = resolve_settings(start_table, cli_values)
    now = app_ctx.clock.now()
    if settings.until is not None and settings.until <= now.time():
        raise DataError(
            f"--until {settings.until:%H:%M} has already passed (it is {now:%H:%M}); "
            "give a later time today, or --cycles N"
        )
    catalog = app_ctx.catalog()
    for name in (settings.routine, *settings.rotate):
        if name:
            catalog.load(name)  # an unknown routine is an error now, not at the first break
    hook_runner = HookRunner(read_hooks(config, paths.config_file), app_ctx.env or dict(os.environ))
    history = app_ctx.history()
    history.ensure_writable()
    lock = StartLock(paths)
    if not lock.acquire():
        pid = (read_state(paths) or {}).get("pid", "?")
        raise StorageError(
            f"breakctl start is already running (pid {pid}); `breakctl stop` ends it"
        )
    console = view.make_console()
    live = console.is_terminal and not console.is_dumb_terminal
    notifier = Notifier(
        terminal=console.file if live else None,
        env=app_ctx.env,
        bell=settings.bell,
        system=settings.notify,
    )
    host = SessionHost(paths, notifier, hook_runner)
    try:
        access = HistoryAccess.open(paths)
        today = app_ctx.clock.now().date()
        recent, _ = access.window(today - timedelta(days=14), today)
        library = catalog.exercises
        planner = BreakPlanner(settings, catalog.load, today, areas_last_worked(recent, library))
        breaks_today = sum(
            1 for r in recent if r.day == today and r.kind == "break" and r.outcome == "completed"
        )
        session = Session(settings, planner)
        free_text = settings.preset.free
        with ExitStack() as stack:
            keys: KeySource
            if app_ctx.keys is not None:
                keys = app_ctx.keys
            elif live and sys.stdin.isatty():
                keys = stack.enter_context(TerminalKeys())
            else:
                keys = NoKeys(app_ctx.clock)
            screen = (
                view.LiveSessionView(console, free_text)
                if live
                else view.PlainSessionView(console, app_ctx.clock, free_text)
            )
            stack.enter_context(terminating_signals_raise())
            stack.enter_context(screen)
            run_session(
                session, clock=app_ctx.clock, keys=keys, view=screen, history=history, host=host,
                breaks_today=breaks_today,
            )  # fmt: skip
    finally:
        host.close()
        lock.release()
    _print_today(app_ctx, console)


DURATION_KEYS = {"work", "break", "long_break"}


def _option_value(key: str, value: Any) -> Any:
    """A command-line value checked like the config's; on the command line a bare number
    is minutes. The error names the option and shows what it takes."""
    try:
        return read_value(key, value, bare_unit="m")
    except DataError as exc:
        reason = str(exc).split(": ", 1)[-1]
        example = ""
        if key in DURATION_KEYS and "e.g." not in reason:
            example = " (e.g. 25m, 90s, 1h30m, 1.5h, PT25M, or 45 for minutes)"
        raise DataError(f"--{key.replace('_', '-')}: {reason}{example}") from None


def _print_today(app_ctx: AppContext, console: Any) -> None:
    """The day so far, once `start` ends. The terminal may be gone (SIGHUP): then skip it."""
    today = app_ctx.clock.now().date()
    access = HistoryAccess.open(app_ctx.paths)
    figures, _ = review(access, Window(today, today), today, {}, DEFAULT_BREAKS_PER_DAY)
    with contextlib.suppress(OSError):
        view.print_day_summary(console, figures)


@app.command("presets")
def presets_command(as_json: JsonFlag = False) -> None:
    """List the schedules `breakctl start --preset` knows, and where each comes from.

    Example: breakctl presets
    """
    rows = []
    for preset in PRESETS.values():
        long = (
            format_duration(preset.long_break_s) + f" every {preset.long_every}"
            if preset.long_every
            else "—"
        )
        routines = (
            ", ".join(dict.fromkeys(preset.routines + preset.long_routines)) or "free movement"
        )
        rows.append(
            {
                "name": preset.name,
                "title": preset.title,
                "work": format_duration(preset.work_s),
                "break": format_duration(preset.break_s),
                "long_break": long,
                "routines": routines,
                "source": preset.source,
            }
        )
    if as_json:
        _print_json(rows)
    else:
        view.make_console().print(view.render_presets(rows))


def _control(ctx: typer.Context, command: str) -> None:
    paths = _app(ctx).paths
    pid = running_pid(paths)
    if pid is None:
        raise StorageError("breakctl start is not running")
    send_control(paths, command)
    typer.echo(f"{command}: sent to breakctl start (pid {pid})")


CONTROL_HELP = {
    "pause": "Pause the running `breakctl start` (from another terminal or a status bar).",
    "resume": "Resume the paused `breakctl start`.",
    "skip": "Skip: during work, the next break; during a break, the rest of it.",
    "stop": "Stop the running `breakctl start`, as q would: the block in progress is recorded.",
}


def _register_control(command: str, summary: str) -> None:
    def control(ctx: typer.Context) -> None:
        _control(ctx, command)

    control.__doc__ = f"{summary}\n\nExample: breakctl {command}"
    app.command(command)(control)


for _command, _summary in CONTROL_HELP.items():
    _register_control(_command, _summary)


@app.command("status")
def status_command(
    format_: Annotated[
        str | None, typer.Option("--format", metavar="TEMPLATE", help="e.g. '{phase} {remaining}'.")
    ] = None,
    waybar: Annotated[bool, typer.Option("--waybar", help="waybar's JSON.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One short line for a status bar: 'work 12:34', 'break desk 2/6'; nothing when idle.

    Fields for --format: {phase} {remaining} {minutes} {routine} {step} {cycle} {cycles} {today}.

    Example: breakctl status --format '{phase} {remaining}'
    """
    from breakctl.status import main as status_main

    argv = (["--json"] if as_json else []) + (["--waybar"] if waybar else [])
    argv += ["--format", format_] if format_ is not None else []
    raise typer.Exit(status_main(argv))


@app.command("notify")
def notify_command(
    ctx: typer.Context,
    test: Annotated[bool, typer.Option("--test", help="Send a test on every channel.")] = False,
) -> None:
    """Show which ways of getting your attention work here (bell, OSC 9/777, desktop).

    Example: breakctl notify --test
    """
    if not test:
        typer.echo("Use `breakctl notify --test` to try every notification channel.")
        return
    console = view.make_console()
    terminal = console.file if console.is_terminal else None
    for channel, worked, detail in test_channels(terminal, _app(ctx).env or dict(os.environ)):
        typer.echo(f"{channel:<18}{'ok ' if worked else 'no '} {detail}")


@config_app.command("show")
def config_show(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Print the settings in effect: config.toml on top of the defaults.

    Example: breakctl config show
    """
    paths = _app(ctx).paths
    config = load_config(paths.config_file)
    start_table = config.get("start", {})
    try:
        settings = resolve_settings(start_table if isinstance(start_table, dict) else {}, {})
    except DataError as exc:
        raise DataError(*(f"{paths.config_file}: [start] {p}" for p in exc.problems)) from None
    effective: dict[str, Any] = {
        "start": {
            "preset": settings.preset.name,
            "work": format_duration(settings.work_s),
            "break": format_duration(settings.break_s),
            "long_break": format_duration(settings.long_break_s),
            "long_every": settings.long_every,
            **({"cycles": settings.cycles} if settings.cycles else {}),
            **({"until": settings.until.strftime("%H:%M")} if settings.until else {}),
            **({"routine": settings.routine} if settings.routine else {}),
            **({"rotate": list(settings.rotate)} if settings.rotate else {}),
            "seated": settings.seated,
            "wait": settings.wait,
            "bell": settings.bell,
            "notify": settings.notify,
        },
        "goals": {
            "breaks_per_day": positive_int(
                config, "goals", "breaks_per_day", DEFAULT_BREAKS_PER_DAY, paths.config_file
            )
        },
        "hooks": read_hooks(config, paths.config_file),
    }
    if as_json:
        _print_json(effective)
    else:
        typer.echo(
            f"# {paths.config_file}{'' if paths.config_file.exists() else ' (not created yet)'}"
        )
        typer.echo(tomli_w.dumps(effective).rstrip())


@config_app.command("set")
def config_set(
    ctx: typer.Context,
    key: Annotated[
        str, typer.Argument(help="SECTION.KEY, e.g. start.preset or goals.breaks_per_day.")
    ],
    value: Annotated[str, typer.Argument(help="The value, e.g. micro, 30m, 17:30, true.")],
) -> None:
    """Change one setting in config.toml (other settings are kept; comments are not).

    Example: breakctl config set start.preset micro
    """
    paths = _app(ctx).paths
    updated = set_value(load_config(paths.config_file), key, value)
    try:
        write_config(paths.config_file, updated)
    except OSError as exc:
        raise StorageError(f"{paths.config_file}: cannot write: {exc.strerror}") from None
    typer.echo(f"{key} = {value}  ({paths.config_file})")
