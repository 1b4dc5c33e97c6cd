"""breakctl presence: where idle time comes from here, and how long you have been idle."""

from __future__ import annotations

import typer

from breakctl.cli.base import JsonFlag, app_context, command, family, print_json
from breakctl.core.durations import format_duration
from breakctl.host.presence.settings import PresenceSettings, presence_settings
from breakctl.store.config import read_config
from breakctl.store.paths import Paths

commands = family()


def presence_config(paths: Paths) -> PresenceSettings:
    """config.toml's [presence] table as settings (the file checked whole, every problem
    with its line, by store.config)."""
    return presence_settings(read_config(paths.config_file).table("presence"))


@command(commands, "presence")
def presence(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Show where idle time can come from here, the source in use, and your idle time now.

    Example: breakctl presence
    """
    from breakctl.host.presence.sources import survey

    app_ctx = app_context(ctx)
    result = survey(presence_config(app_ctx.paths), app_ctx.env)
    if as_json:
        print_json(result.to_json())
        return
    width = max(len(p.name) for p in result.sources) + 2
    for probe in result.sources:
        mark = "works" if probe.works else f"no: {probe.why_not}"
        typer.echo(f"{probe.name:<{width}}{mark}")
    typer.echo("")
    typer.echo(f"in use: {result.in_use} (source = {result.configured})")
    if result.idle_s is not None:
        typer.echo(f"idle:   {format_duration(round(result.idle_s, 1))}")
    else:
        typer.echo("idle:   unknown: presence is off, breakctl counts by the clock alone")
