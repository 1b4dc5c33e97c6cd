"""breakctl service: install, remove, status: the day started at login by the service
manager here (a systemd user unit, a launchd agent, or an XDG autostart entry)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from breakctl.cli.base import JsonFlag, app_context, command, family, print_json
from breakctl.core.errors import ExitStatus
from breakctl.core.service_files import Kind
from breakctl.host.service.install import clock_only_note, install, remove, this_breakctl
from breakctl.host.service.managers import default_kind
from breakctl.host.service.status import ServiceStatus, service_status
from breakctl.ui.text import safe

commands = family()
service_app = family(
    "Start the day at login, in the background: a systemd user unit, a launchd agent or an "
    "XDG autostart entry (install, remove, status)."
)
commands.add_typer(service_app, name="service")


class KindChoice(StrEnum):
    systemd = "systemd"
    launchd = "launchd"
    autostart = "autostart"


@command(service_app, "install")
def service_install(
    ctx: typer.Context,
    now: Annotated[
        bool, typer.Option("--now", help="Also enable and start it now, not only at login.")
    ] = False,
    kind: Annotated[
        KindChoice | None,
        typer.Option(
            "--kind",
            help="systemd (a user unit), launchd (macOS) or autostart (an XDG desktop "
            "entry). Default: the one that works here.",
        ),
    ] = None,
) -> None:
    """Install the service that runs the day from login: `breakctl start --headless` under
    systemd or launchd, `breakctl start --detach` from the desktop's autostart.

    The file is written whole and private; installing again is safe (an unchanged file is
    left alone, a file breakctl did not write is never replaced).

    Example: breakctl service install --now
    """
    app_ctx = app_context(ctx)
    chosen: Kind = kind.value if kind is not None else default_kind(app_ctx.env)
    argv = this_breakctl(sys.argv[0], app_ctx.env)
    for line in install(app_ctx.paths, app_ctx.env, chosen, argv, now=now):
        typer.echo(safe(line))
    note = clock_only_note(app_ctx.paths, app_ctx.env)
    if note is not None:
        typer.echo(safe(note))


@command(service_app, "remove")
def service_remove(ctx: typer.Context) -> None:
    """Undo what `service install` did: stop and disable what it started, delete the files it
    wrote (only while they are as it wrote them), and say what it left.

    Example: breakctl service remove
    """
    app_ctx = app_context(ctx)
    argv = this_breakctl(sys.argv[0], app_ctx.env)
    told, complete = remove(app_ctx.paths, app_ctx.env, argv)
    for line in told:
        typer.echo(safe(line))
    if not complete:
        raise typer.Exit(ExitStatus.FAILURE)


@command(service_app, "status")
def service_status_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Say what is installed and where, whether the day runs, and (systemd) whether the user
    manager has DISPLAY, WAYLAND_DISPLAY and DBUS_SESSION_BUS_ADDRESS, with the command that
    fixes it.

    Example: breakctl service status --json
    """
    app_ctx = app_context(ctx)
    status = service_status(app_ctx.paths, app_ctx.env)
    if as_json:
        print_json(status.to_json())
        return
    for line in status_lines(status):
        typer.echo(safe(line))


def status_lines(status: ServiceStatus) -> list[str]:
    lines = []
    for found in status.found:
        whose = "written by breakctl" if found.recorded else "not recorded by breakctl"
        changed = ", changed since" if found.changed else ""
        lines.append(f"installed: {found.kind}, {found.path} ({whose}{changed})")
    if not status.found:
        lines.append(
            f"not installed (here: {status.default_kind}); `breakctl service install` installs it"
        )
    if status.unit_state is not None:
        enabled, active = status.unit_state
        lines.append(f"systemd: {enabled or 'unknown'}, {active or 'unknown'}")
    elif any(found.kind == "systemd" for found in status.found):
        lines.append("systemd: `systemctl --user` cannot say (no user manager runs here?)")
    day = status.day
    if day["running"]:
        where = f" ({day['mode']})" if day.get("mode") else ""
        pid = f"pid {day['pid']}, " if day.get("pid") else ""
        lines.append(f"day: runs{where}: {pid}{day.get('phase') or 'starting'}")
    else:
        lines.append("day: not running")
    if status.manager_has is not None and not status.missing:
        lines.append("environment: the user manager has what presence and notifications need")
    if status.missing:
        lines.append(
            f"environment: the user manager lacks {', '.join(status.missing)} (presence and "
            "notifications need them)"
        )
        lines.append(f"fix: {status.fix}")
    return lines
