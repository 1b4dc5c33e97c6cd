"""breakctl start and its companions: presets, pause/resume/skip/stop, status, notify."""

from __future__ import annotations

import contextlib
from contextlib import ExitStack
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Annotated, Any

import typer

from breakctl.cli.base import (
    JsonFlag,
    app,
    app_context,
    key_source,
    print_json,
    start_config,
)
from breakctl.core.day import Session
from breakctl.core.day.rules import SoFar
from breakctl.core.durations import format_duration, round_s
from breakctl.core.errors import DataError, StorageError
from breakctl.core.planner import BreakPlanner, areas_last_worked
from breakctl.core.safety import SAFETY
from breakctl.core.settings import PRESETS, StartSettings, pause_end, read_value, resolve_settings
from breakctl.core.stats import DEFAULT_BREAKS_PER_DAY, Window
from breakctl.host.context import AppContext
from breakctl.host.hooks import HookRunner, read_hooks
from breakctl.host.localzone import local_zone
from breakctl.host.notify import Notifier, test_channels
from breakctl.host.runner import run_session
from breakctl.host.session_host import SessionHost
from breakctl.host.signals import terminating_signals_raise
from breakctl.store.config import read_schedule, read_work_per_day
from breakctl.store.review import HistoryAccess, review
from breakctl.store.state import (
    StartLock,
    read_state,
    running_pid,
    send_control,
    wait_reply,
)
from breakctl.ui import view

DurationOption = Annotated[str | None, typer.Option(metavar="DURATION")]


@app.command("start", epilog=SAFETY)
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
    ignore_schedule: Annotated[
        bool, typer.Option("--ignore-schedule", help="Work now, whatever [schedule] says.")
    ] = False,
    ignore_limit: Annotated[
        bool,
        typer.Option("--ignore-limit", help="Go on past [goals] work_per_day (still notified)."),
    ] = False,
) -> None:
    """Work/break cycles all day: a countdown while you work, then a guided routine in each break.

    Keys while working: space pause, b break now, s skip the next break, + postpone it 5 min,
    q quit. In a break: space pause, n next step, s skip the rest, q quit. p pauses and asks for
    how long (45m, 15:00; Enter: until you resume).

    With a [schedule] in config.toml it runs inside your working hours.

    Example: breakctl start --work 50m --break 10m --until 17:30
    """
    app_ctx = app_context(ctx)
    paths = app_ctx.paths
    config, start_table, _ = start_config(paths)
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
    settings = resolve_settings(start_table, cli_values)
    now = app_ctx.clock.now()
    settings = _day_shape(app_ctx, config, settings, now, ignore_schedule, ignore_limit)
    if settings.until is not None and settings.until <= now.time():
        raise DataError(
            f"--until {settings.until:%H:%M} has already passed (it is {now:%H:%M}); "
            "give a later time today, or --cycles N"
        )
    catalog = app_ctx.catalog()
    for name in (settings.routine, *settings.rotate):
        if name:
            catalog.load(name)  # an unknown routine is an error now, not at the first break
    hook_runner = HookRunner(read_hooks(config, paths.config_file), app_ctx.env)
    history = app_ctx.history()
    history.ensure_writable()
    lock = StartLock(paths)
    if not lock.acquire():
        pid = (read_state(paths) or {}).get("pid", "?")
        raise StorageError(
            f"breakctl start is already running (pid {pid}); `breakctl stop` ends it"
        )
    console = view.make_console()
    live = view.live_screen(console)
    notifier = Notifier(
        terminal=console.file if live else None,
        env=app_ctx.env,
        bell=settings.bell,
        system=settings.notify,
    )
    host = SessionHost(paths, notifier, hook_runner, app_ctx.env, settings.focus)
    try:
        access = HistoryAccess.open(paths)
        today = now.date()
        recent, planner = _planner(app_ctx, access, settings, now)
        breaks_today = access.summary.breaks_completed.get(today, 0)
        # Skips and work so far today: a restart resets neither the budget nor the limit.
        session = Session(settings, planner, SoFar.of(today, recent))
        free_text = settings.preset.free
        with ExitStack() as stack:
            keys = key_source(app_ctx, live, stack)
            screen = (
                view.LiveSessionView(console, free_text)
                if live
                else view.PlainSessionView(console, app_ctx.clock, free_text)
            )
            stack.enter_context(terminating_signals_raise())
            stack.enter_context(screen)
            run_session(
                session, clock=app_ctx.clock, keys=keys, view=screen, history=history, host=host,
                breaks_today=breaks_today, load_routine=catalog.load,
            )  # fmt: skip
    finally:
        host.close()
        lock.release()
    _print_today(app_ctx, console)


def _day_shape(
    app_ctx: AppContext, config: dict[str, Any], settings: StartSettings, now: datetime,
    ignore_schedule: bool, ignore_limit: bool,
) -> StartSettings:  # fmt: skip
    """[schedule] (in the local zone, so DST moves with it) and [goals] work_per_day."""
    path = app_ctx.paths.config_file
    schedule = read_schedule(config, path)
    if schedule is not None and not ignore_schedule:
        zone = local_zone(app_ctx.env)
        if zone is None or zone.utcoffset(now.replace(tzinfo=None)) != now.utcoffset():
            zone = None  # the clock speaks of another zone: trust the clock
        schedule = schedule.with_zone(zone)
        if schedule.empty:
            raise DataError(
                f"{path}: [schedule] has no working hours on any day; add a range like "
                'mon-fri = ["09:00-17:00"], or use --ignore-schedule'
            )
        settings = replace(settings, schedule=schedule)
    return replace(
        settings, work_per_day_s=read_work_per_day(config, path), stop_at_limit=not ignore_limit
    )


def _planner(
    app_ctx: AppContext, access: HistoryAccess, settings: StartSettings, now: datetime
) -> tuple[list[Any], BreakPlanner]:
    """The last two weeks of history, and the planner that picks each break's routine."""
    today = now.date()
    recent, _ = access.window(today - timedelta(days=14), today)
    catalog = app_ctx.catalog()
    areas = areas_last_worked(recent, catalog.exercises)
    return recent, BreakPlanner(settings, catalog.load, today, areas)


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
                "work_s": round_s(preset.work_s),
                "break_s": round_s(preset.break_s),
                "long_break_s": round_s(preset.long_break_s) if preset.long_every else None,
                "long_every": preset.long_every or None,
                "note": preset.note,
            }
        )
    if as_json:
        print_json(rows)
    else:
        view.make_console().print(view.render_presets(rows))


def _control(
    ctx: typer.Context, command: str, *, until: datetime | None = None, routine: str | None = None
) -> None:
    """Send a command to the running start and wait briefly for its answer: a refused command
    (no skips left, strict mode) prints why on stderr and exits 1."""
    paths = app_context(ctx).paths
    pid = running_pid(paths)
    if pid is None:
        raise StorageError("breakctl start is not running")
    answer = wait_reply(paths, send_control(paths, command, until=until, routine=routine))
    if isinstance(answer, str):
        raise StorageError(answer)
    what = command + (f" until {until:%H:%M}" if until else "") + (f" {routine}" if routine else "")
    late = " (no answer yet: it acts on it when it wakes)" if answer is False else ""
    typer.echo(f"{what}: sent to breakctl start (pid {pid}){late}")


CONTROL_HELP = {
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


@app.command("pause")
def pause_command(
    ctx: typer.Context,
    duration: Annotated[
        str | None,
        typer.Argument(metavar="[DURATION]", help="Resume by itself after this long: 45m, 1h."),
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="HH:MM", help="Resume by itself at this time today.")
    ] = None,
) -> None:
    """Pause the running `breakctl start` (from another terminal or a status bar); with a
    duration or --until, for a meeting: it resumes by itself, with a notification.

    Example: breakctl pause 45m
    """
    if duration is not None and until is not None:
        raise DataError("give a duration or --until, not both")
    end = None
    text = duration or until
    if text is not None:
        try:
            end = pause_end(text, app_context(ctx).clock.now())
        except DataError as exc:
            raise DataError(f"pause: {exc}") from None
    _control(ctx, "pause", until=end)


@app.command("break")
def break_command(
    ctx: typer.Context,
    routine: Annotated[
        str | None, typer.Argument(help="The routine for this break (default: the planner's).")
    ] = None,
) -> None:
    """A break now: the running `breakctl start` begins its break (as key b), with ROUTINE if
    given. With no start running, runs the routine here, as `breakctl routine` would.

    Example: breakctl break neck
    """
    app_ctx = app_context(ctx)
    if routine is not None:
        app_ctx.catalog().load(routine)  # an unknown name is an error here, not over there
    if running_pid(app_ctx.paths) is not None:
        _control(ctx, "break", routine=routine)
        return
    from breakctl.cli.routine_commands import routine_run

    if routine is None:
        _, table, _ = start_config(app_ctx.paths)
        settings = resolve_settings(table, {})
        now = app_ctx.clock.now()
        _, planner = _planner(app_ctx, HistoryAccess.open(app_ctx.paths), settings, now)
        choice = planner(1, settings.break_s, False).routine
        if choice is None:
            raise DataError("no routine fits a break now; name one: breakctl break desk")
        routine = choice.name
    ctx.invoke(routine_run, ctx=ctx, name=routine)


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
    for channel, worked, detail in test_channels(terminal, app_context(ctx).env):
        typer.echo(f"{channel:<18}{'ok ' if worked else 'no '} {detail}")
