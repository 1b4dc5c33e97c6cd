"""breakctl status, pause, resume, skip, break, stop and notify: talking to a running `start`,
and to the desktop. Light: none of these imports the engine."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TextIO, cast

import typer

from breakctl.cli.base import BellFlag, VoiceFlag, app_context, command, family
from breakctl.core.errors import DataError, StorageError

commands = family()


def _control(
    ctx: typer.Context, name: str, *, until: datetime | None = None, routine: str | None = None
) -> None:
    """Send a command to the running start and wait briefly for its answer: a refused command
    (no skips left, strict mode, off hours) prints why on stderr and exits 1."""
    from breakctl.store.state import running_pid, send_control, wait_reply

    paths = app_context(ctx).paths
    pid = running_pid(paths)
    if pid is None:
        raise StorageError("no day is running (start one with breakctl start)")
    answer = wait_reply(paths, send_control(paths, name, until=until, routine=routine))
    if isinstance(answer, str):
        raise StorageError(answer)
    what = name + (f" until {until:%H:%M}" if until else "") + (f" {routine}" if routine else "")
    late = " (no answer yet: it acts on it when it wakes)" if answer is False else ""
    typer.echo(f"{what}: sent to the day (pid {pid}){late}")


CONTROL_HELP = {
    "resume": "Resume the paused day.",
    "skip": "Skip: during work, the next break; during a break, the rest of it.",
    "stop": "Stop the running day, as q would: the block in progress is recorded.",
}


def _register_control(name: str, summary: str) -> None:
    def control(ctx: typer.Context) -> None:
        _control(ctx, name)

    control.__doc__ = f"{summary}\n\nExample: breakctl {name}"
    command(commands, name)(control)


for _name, _summary in CONTROL_HELP.items():
    _register_control(_name, _summary)


@command(commands, "pause")
def pause_command(
    ctx: typer.Context,
    duration: Annotated[
        str | None,
        typer.Argument(metavar="[DURATION]", help="Resume by itself after this long: 45m, 1h."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            metavar="HH:MM",
            help="Resume by itself at this time today (HH:MM only; 24:00 is midnight).",
        ),
    ] = None,
) -> None:
    """Pause the running day (from another terminal or a status bar); with a
    duration or --until, for a meeting: it resumes by itself, with a notification.

    Example: breakctl pause 45m
    """
    from breakctl.core.settings import pause_end

    if duration is not None and until is not None:
        raise DataError("give a duration or --until, not both")
    end = None
    text = duration or until
    if text is not None:
        try:
            end = pause_end(text, app_context(ctx).clock.now(), clock_only=until is not None)
        except DataError as exc:
            raise DataError(f"pause: {exc}") from None
    _control(ctx, "pause", until=end)


@command(commands, "break")
def break_command(
    ctx: typer.Context,
    routine: Annotated[
        str | None, typer.Argument(help="The routine for this break (default: the planner's).")
    ] = None,
    bell: BellFlag = None,
    voice: VoiceFlag = None,
) -> None:
    """A break now: the running day begins its break (as key b), with ROUTINE if
    given; with none running, runs the routine here, as `breakctl routine` would (--no-bell
    and --voice as there).

    Example: breakctl break neck
    """
    from breakctl.store.state import running_pid

    app_ctx = app_context(ctx)
    if routine is not None:
        app_ctx.catalog().load(routine)  # an unknown name is an error here, not over there
    if running_pid(app_ctx.paths) is not None:
        if bell is not None or voice is not None:  # the day's sound is its own
            note = "--bell/--voice apply to a routine run here; `breakctl start` keeps its own"
            typer.echo(f"breakctl: warning: {note}", err=True)
        _control(ctx, "break", routine=routine)
        return
    from breakctl.cli.routine_commands import routine_run
    from breakctl.host.setup.start import routine_for_now

    name = routine or routine_for_now(app_ctx)
    ctx.invoke(routine_run, ctx=ctx, name=name, bell=bell, voice=voice)


@command(commands, "status")
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


@command(commands, "notify")
def notify_command(
    ctx: typer.Context,
    test: Annotated[bool, typer.Option("--test", help="Send a test on every channel.")] = False,
    voice: Annotated[
        bool | None, typer.Option("--voice/--no-voice", help="Try the voice too ([voice]).")
    ] = None,
) -> None:
    """Show which ways of getting your attention work here (bell, OSC 9/777, desktop, chimes,
    voice).

    With --test each chime is played, one after another, naming the player that played it.

    Example: breakctl notify --test
    """
    if not test:
        typer.echo("Use `breakctl notify --test` to try every notification channel.")
        return
    from breakctl.host.guide import guide_settings, test_guide
    from breakctl.host.notify import try_channels
    from breakctl.store.config import read_config
    from breakctl.ui.console import make_console

    app_ctx = app_context(ctx)
    console = make_console()
    terminal = cast(TextIO, console.file) if console.is_terminal else None
    results = try_channels(terminal, app_ctx.env)
    values = read_config(app_ctx.paths.config_file).values
    results += test_guide(guide_settings(values, app_ctx.env, bell=True, voice=voice))
    for channel, worked, detail in results:
        typer.echo(f"{channel:<18}{'ok ' if worked else 'no '} {detail}")
