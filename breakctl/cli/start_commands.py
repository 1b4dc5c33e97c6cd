"""breakctl start: a day of work blocks and breaks. The run is prepared in
host/setup/start.py; this module only reads the options and picks the screen."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from datetime import time
from typing import Annotated, Any

import typer

from breakctl.cli.base import app_context, command, family, key_source
from breakctl.cli.completion import complete_preset, complete_routine, complete_routines
from breakctl.cli.problems import warn_unreadable
from breakctl.core.config_schema import DEFAULT_BREAKS_PER_DAY, TABLES
from breakctl.core.errors import DataError
from breakctl.core.safety import SAFETY
from breakctl.host.guide import Guide, GuidedSessionView
from breakctl.host.keys import NoKeys
from breakctl.host.setup.start import (
    DayRunning,
    StartRun,
    day_running,
    plan_start,
    today_so_far,
)
from breakctl.host.signals import terminating_signals_raise
from breakctl.ui.console import live_screen, make_console, whole_writes
from breakctl.ui.report.terminal import print_day_summary
from breakctl.ui.session.views import LiveSessionView, PlainSessionView
from breakctl.ui.text import safe

commands = family()


def setting_parser(key: str) -> Callable[[str], Any]:
    """Typer's parser for the option that sets [start] KEY: the config schema reads it, so a
    bad value is an ordinary usage error (exit 2) with the same message as in the file."""
    setting = TABLES["start"].setting(key)
    assert setting is not None, key

    def parse(text: str) -> Any:
        try:
            return setting.kind.read(text)
        except DataError as exc:
            raise typer.BadParameter("; ".join(exc.problems)) from None

    return parse


def _option(key: str, metavar: str, help_text: str, *decls: str, **extra: Any) -> Any:
    return typer.Option(
        *decls, parser=setting_parser(key), metavar=metavar, help=help_text, **extra
    )


DURATIONS = "25m, 1h30m, 1.5h, PT25M, 45 (minutes)"


# The options of `breakctl start`, one type each; [start] keys are read by the config schema.
Preset = Annotated[
    str | None,
    _option(
        "preset",
        "NAME",
        "A schedule from `breakctl presets` (default: pomodoro).",
        autocompletion=complete_preset,
    ),
]
Work = Annotated[float | None, _option("work", "DURATION", f"Work block: {DURATIONS}.")]
Break = Annotated[float | None, _option("break", "DURATION", "Short break.", "--break")]
LongBreak = Annotated[float | None, _option("long_break", "DURATION", "Long break.")]
LongEvery = Annotated[
    int | None, _option("long_every", "N", "A long break after every N work blocks (0: never).")
]
Cycles = Annotated[int | None, _option("cycles", "N", "Stop after N work blocks and their breaks.")]
Until = Annotated[time | None, _option("until", "HH:MM", "Stop at this time today.")]
RoutineChoice = Annotated[
    str | None,
    _option("routine", "NAME", "Use this routine in every break.", autocompletion=complete_routine),
]
Rotate = Annotated[
    Any,
    _option("rotate", "A,B,C", "Take turns with these routines.", autocompletion=complete_routines),
]
Seated = Annotated[
    bool | None,
    typer.Option("--seated/--standing", help="Only seated routines (an open-plan office)."),
]
Wait = Annotated[
    bool | None, typer.Option("--wait/--no-wait", help="Wait for a key before each next phase.")
]
Bell = Annotated[
    bool | None,
    typer.Option(
        "--bell/--no-bell",
        help="Ring the terminal bell: alerts, the end of each hold, each switch of sides.",
    ),
]
Notify = Annotated[bool | None, typer.Option("--notify/--no-notify", help="Desktop notifications.")]
Presence = Annotated[
    bool,
    typer.Option(
        "--presence/--no-presence",
        help="Watch keyboard and mouse idle time: no break for an empty chair ([presence]).",
    ),
]
Voice = Annotated[
    bool | None,
    typer.Option("--voice/--no-voice", help="Speak each step and cue aloud ([voice] enabled)."),
]
NoNudges = Annotated[
    bool, typer.Option("--no-nudges", help="No nudges inside work blocks ([start] nudges).")
]
IgnoreSchedule = Annotated[
    bool, typer.Option("--ignore-schedule", help="Work now, whatever [schedule] says.")
]
IgnoreLimit = Annotated[
    bool, typer.Option("--ignore-limit", help="Go on past [goals] work_per_day (still notified).")
]
Detach = Annotated[
    bool,
    typer.Option(
        "--detach",
        help="Run the day in the background and return at once (`breakctl attach` shows it).",
    ),
]
Headless = Annotated[
    bool,
    typer.Option(
        "--headless",
        help="Run the day here with no screen: one plain line per change (for a service).",
    ),
]


@command(commands, "start", epilog=SAFETY)
def start_command(
    ctx: typer.Context, preset: Preset = None, work: Work = None, break_: Break = None,
    long_break: LongBreak = None, long_every: LongEvery = None, cycles: Cycles = None,
    until: Until = None, routine: RoutineChoice = None, rotate: Rotate = None,
    seated: Seated = None, wait: Wait = None, bell: Bell = None, notify: Notify = None,
    presence: Presence = True, ignore_schedule: IgnoreSchedule = False,
    ignore_limit: IgnoreLimit = False, voice: Voice = None, no_nudges: NoNudges = False,
    detach: Detach = False, headless: Headless = False,
) -> None:  # fmt: skip
    """Work/break cycles all day: a countdown while you work, then a guided routine in each break.

    Keys while working: space pause, b break now, s skip the next break, + postpone it 5 min,
    q quit. In a break: space pause, n next step, s skip the rest, q quit. p pauses and asks for
    how long (45m, 15:00; Enter: until you resume).

    With a [schedule] in config.toml it runs inside your working hours. Other terminals can
    show the day with `breakctl attach`; `start` with no options while a day runs attaches.

    Example: breakctl start --work 50m --break 10m --until 17:30
    """
    app_ctx = app_context(ctx)
    if detach and headless:
        raise typer.BadParameter("--detach and --headless: choose one")
    if day_running(app_ctx):
        attach_to_running(app_ctx, options_given(ctx))
        return
    given = {
        "preset": preset, "work": work, "break": break_, "long_break": long_break,
        "long_every": long_every, "cycles": cycles, "until": until, "routine": routine,
        "rotate": rotate, "seated": seated, "wait": wait, "bell": bell, "notify": notify,
        "nudges": () if no_nudges else None,
    }  # fmt: skip
    plan = plan_start(app_ctx, given, presence=presence, ignore_schedule=ignore_schedule,
                      ignore_limit=ignore_limit, voice=voice)  # fmt: skip
    if detach:
        typer.echo(start_detached(app_ctx, sys.argv[1:]))
        return
    if headless:  # a service's day runs for days: the daily limit ends today's work only
        plan = replace(plan, settings=replace(plan.settings, across_days=True))
    run_day(app_ctx, plan, headless=headless)


def run_day(app_ctx: Any, plan: Any, *, headless: bool) -> None:
    """The day in this process: its screen in this terminal (or plain lines when piped), or
    `headless`, no screen of its own (attached ones only) and plain lines on stdout."""
    guide = Guide.from_settings(plan.guide)
    if guide.plays:  # the chimes take the bell's place, in the screens and in the alerts
        plan = replace(plan, settings=replace(plan.settings, bell=False))
    console = make_console(file=whole_writes(sys.stdout))
    live = live_screen(console) and not headless
    free_text = plan.settings.preset.free
    if plan.settings.preset.note:  # a pain preset: the warning signs, before anything else
        from breakctl.core.safety import safety_text

        width = min(console.width, 100) - 1 if live else None  # piped: a line per item
        console.print(safety_text(width), markup=False, highlight=False, soft_wrap=True)
    mode = "background" if headless else "foreground"
    with StartRun(app_ctx, plan, console.file if live else None, mode) as run, ExitStack() as stack:
        warn_unreadable(run.access.unreadable)  # before the screen takes the terminal
        keys = NoKeys(app_ctx.clock) if headless else key_source(app_ctx, live, stack)
        first = run.breaks_today == 0  # the first break of the day shows the safety line
        screen: Any = (
            LiveSessionView(
                console, free_text, clock=app_ctx.clock, bell=plan.settings.bell, safety=first
            )
            if live
            else PlainSessionView(console, app_ctx.clock, free_text, safety=first)
        )
        if guide.active:
            screen = GuidedSessionView(screen, guide)
        stack.enter_context(terminating_signals_raise())
        stack.enter_context(screen)
        run.run(keys, screen)
    for report in run.late_reports:  # on_session_end's, after the screen is gone
        typer.echo(f"breakctl: warning: {safe(report)}", err=True)
    with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP): then skip it
        print_day_summary(console, today_so_far(app_ctx, DEFAULT_BREAKS_PER_DAY))


def options_given(ctx: typer.Context) -> list[str]:
    """The options typed on this command line (a bare `start` attaches to a running day)."""
    sources = {name: ctx.get_parameter_source(name) for name in ctx.params}
    return [
        name for name, source in sources.items() if getattr(source, "name", "") == "COMMANDLINE"
    ]


def attach_to_running(app_ctx: Any, options: list[str]) -> None:
    """A day runs already: a bare `start` shows it here; one with options is refused (it
    would not be the day those options ask for)."""
    from breakctl.cli.attach_commands import attach_here
    from breakctl.host.day.attach import NoDay, Outcome
    from breakctl.store.state import running_pid

    pid = running_pid(app_ctx.paths)
    if options:
        raise DayRunning(pid)
    typer.echo(f"breakctl: a day is already running (pid {pid}): attaching to it", err=True)
    try:
        outcome = attach_here(app_ctx)
    except NoDay:  # a day that takes no screens (an older breakctl, or no socket)
        raise DayRunning(pid) from None
    if outcome is Outcome.LOST:
        raise typer.Exit(1)


def start_detached(app_ctx: Any, argv: list[str]) -> str:
    """This command line again as `start --headless`, in its own session with no terminal,
    its output in the state folder's day.log; returns the line to print once it listens."""
    from breakctl.host.day.detach import spawn_day

    args = [arg for arg in argv if arg != "--detach"] + ["--headless"]
    pid, log = spawn_day(app_ctx.paths, app_ctx.env, args)
    return (
        f"breakctl: the day runs in the background (pid {pid}); `breakctl attach` shows it "
        f"(log: {log})"
    )
