"""breakctl status, pause, resume, skip, stop and notify: talking to a running `start`, and to
the desktop. Light: none of these imports the engine."""

from __future__ import annotations

from typing import Annotated, TextIO, cast

import typer

from breakctl.cli.base import app_context, command, family
from breakctl.core.errors import StorageError

commands = family()


def _control(ctx: typer.Context, name: str) -> None:
    from breakctl.store.state import running_pid, send_control

    paths = app_context(ctx).paths
    pid = running_pid(paths)
    if pid is None:
        raise StorageError("breakctl start is not running")
    send_control(paths, name)
    typer.echo(f"{name}: sent to breakctl start (pid {pid})")


CONTROL_HELP = {
    "pause": "Pause the running `breakctl start` (from another terminal or a status bar).",
    "resume": "Resume the paused `breakctl start`.",
    "skip": "Skip: during work, the next break; during a break, the rest of it.",
    "stop": "Stop the running `breakctl start`, as q would: the block in progress is recorded.",
}


def _register_control(name: str, summary: str) -> None:
    def control(ctx: typer.Context) -> None:
        _control(ctx, name)

    control.__doc__ = f"{summary}\n\nExample: breakctl {name}"
    command(commands, name)(control)


for _name, _summary in CONTROL_HELP.items():
    _register_control(_name, _summary)


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
) -> None:
    """Show which ways of getting your attention work here (bell, OSC 9/777, desktop).

    Example: breakctl notify --test
    """
    if not test:
        typer.echo("Use `breakctl notify --test` to try every notification channel.")
        return
    from breakctl.host.notify import test_channels
    from breakctl.ui.console import make_console

    console = make_console()
    terminal = cast(TextIO, console.file) if console.is_terminal else None
    for channel, worked, detail in test_channels(terminal, app_context(ctx).env):
        typer.echo(f"{channel:<18}{'ok ' if worked else 'no '} {detail}")
