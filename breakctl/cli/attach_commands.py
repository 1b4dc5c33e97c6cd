"""breakctl attach: the running day's screen in this terminal. The socket and the loop are in
host/day/attach.py; this module picks the screen and says how it ended."""

from __future__ import annotations

import contextlib
import sys
from contextlib import ExitStack
from typing import Annotated, Any

import typer

from breakctl.cli.base import app_context, command, family
from breakctl.core.clock import SystemClock
from breakctl.core.config_schema import DEFAULT_BREAKS_PER_DAY
from breakctl.core.errors import ExitStatus
from breakctl.host.context import AppContext
from breakctl.host.day.attach import Attached, DayConnection, Outcome
from breakctl.host.day.protocol import Full
from breakctl.host.keys import TerminalKeys
from breakctl.host.notify import Notifier
from breakctl.ui.console import live_screen, make_console, whole_writes
from breakctl.ui.session.views import LiveSessionView, PlainSessionView

commands = family()

BreakOnly = Annotated[
    bool,
    typer.Option(
        "--break", help="Exit when the current or next break ends (for pop-ups and terminals)."
    ),
]


@command(commands, "attach")
def attach_command(ctx: typer.Context, break_only: BreakOnly = False) -> None:
    """Show the running day's screen in this terminal: keys act on it as in `start`;
    d detaches, q ends the day.

    Any number of terminals may attach; a key pressed in one acts once, and all show it.
    Ctrl-C detaches too. When the day ends, its summary is printed (exit 0); with no day
    running, exit 1.

    Example: breakctl attach
    """
    outcome = attach_here(app_context(ctx), until_break_ends=break_only)
    if outcome is Outcome.LOST:
        raise typer.Exit(ExitStatus.FAILURE)


def attach_here(app_ctx: AppContext, *, until_break_ends: bool = False) -> Outcome:
    """Attach this terminal to the running day until it detaches or the day ends."""
    conn = DayConnection.open(app_ctx.paths, app_ctx.env)
    try:
        full = conn.first()
        console = make_console(file=whole_writes(sys.stdout))
        live = live_screen(console)
        outcome = _attached(app_ctx, conn, full, console, live, until_break_ends)
    finally:
        conn.close()
    if outcome is Outcome.LOST:
        typer.echo(
            f"breakctl: the day (pid {full.pid}) ended without a word (killed?); "
            "the next command records its block",
            err=True,
        )
    elif outcome is Outcome.ENDED:
        from breakctl.host.setup.start import today_so_far
        from breakctl.ui.report.terminal import print_day_summary

        with contextlib.suppress(OSError):
            print_day_summary(console, today_so_far(app_ctx, DEFAULT_BREAKS_PER_DAY))
    elif outcome is Outcome.DETACHED and live:
        typer.echo("detached: the day goes on (`breakctl attach` shows it again)")
    return outcome


def _attached(
    app_ctx: AppContext,
    conn: DayConnection,
    full: Full,
    console: Any,
    live: bool,
    until_break_ends: bool,
) -> Outcome:
    clock = SystemClock()
    with ExitStack() as stack:
        keys = stack.enter_context(TerminalKeys()) if live and sys.stdin.isatty() else None
        screen: Any = (
            LiveSessionView(console, full.free_text, clock=clock, bell=full.bell)
            if live
            else PlainSessionView(console, clock, full.free_text)
        )
        stack.enter_context(screen)
        if not live:  # lines: the first says what they are about
            screen.message(f"attached to the day (pid {full.pid})")
        # This terminal is alerted as the day's own would be (the desktop's notification is
        # the day's to send, once).
        terminal = Notifier(console.file if live else None, app_ctx.env, full.bell, system=False)
        attached = Attached(conn, screen, until_break_ends=until_break_ends, alert=terminal.alert)
        try:
            return attached.show(full) or attached.run(keys)
        except KeyboardInterrupt:  # Ctrl-C detaches; the day goes on
            return Outcome.DETACHED
    raise AssertionError("unreachable")  # pragma: no cover
