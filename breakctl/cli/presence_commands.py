"""breakctl presence: where idle time comes from here, and how long you have been idle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import typer

from breakctl.cli.base import JsonFlag, app_context, command, family, print_json
from breakctl.core.durations import format_duration
from breakctl.host.context import AppContext
from breakctl.host.presence.settings import PresenceSettings, presence_settings
from breakctl.store.config import read_config
from breakctl.store.paths import Paths

commands = family()
WATCH_EVERY_S = 1.0
WatchFlag = Annotated[
    bool,
    typer.Option(
        "--watch",
        help="Keep reading, once a second, until Ctrl-C: one line per reading "
        "(with --json, one JSON object per line).",
    ),
]


def presence_config(paths: Paths) -> PresenceSettings:
    """config.toml's [presence] table as settings (the file checked whole, every problem
    with its line, by store.config)."""
    return presence_settings(read_config(paths.config_file).table("presence"))


@command(commands, "presence")
def presence(ctx: typer.Context, as_json: JsonFlag = False, watch: WatchFlag = False) -> None:
    """Show where idle time can come from here, the source in use, and your idle time now.

    Example: breakctl presence --watch
    """
    from breakctl.host.presence.sources import survey

    app_ctx = app_context(ctx)
    if watch:
        watch_idle(presence_config(app_ctx.paths), app_ctx.env, as_json)
        return
    settings = presence_config(app_ctx.paths)
    result = survey(settings, app_ctx.env)
    machines = other_machines(app_ctx) if settings.across_machines is not False else []
    if as_json:
        print_json({**result.to_json(), "machines": machines})
        return
    width = max(len(p.name) for p in result.sources) + 2
    for probe in result.sources:
        mark = "works" if probe.works else f"no: {probe.why_not}"
        mark += f" ({probe.via})" if probe.via else ""
        typer.echo(f"{probe.name:<{width}}{mark}")
    typer.echo("")
    typer.echo(f"in use: {result.in_use} (source = {result.configured})")
    if result.idle_s is not None:
        typer.echo(f"idle:   {format_duration(round(result.idle_s, 1))}")
    else:
        typer.echo("idle:   unknown: presence is off, breakctl counts by the clock alone")
    for machine in machines:
        idle = machine["idle_s"]
        last = (
            "no input seen"
            if idle is None
            else f"last input {format_duration(float(str(idle)))} ago"
        )
        old = "" if machine["fresh"] else " (not heard from for over 2 min)"
        typer.echo(f"other machine: {machine['host']}: {machine['state']}, {last}{old}")


def other_machines(app_ctx: AppContext) -> list[dict[str, object]]:
    """The machines seen in the history folder ([presence] across_machines)."""
    from breakctl.host.presence.machines import machines_seen
    from breakctl.store.history_dir import locate_history
    from breakctl.store.presence_files import PresenceFolder

    place = locate_history(app_ctx.paths, app_ctx.env)
    folder = PresenceFolder(place.folder, place.host_id)
    return machines_seen(folder, app_ctx.clock.now())


def watch_idle(settings: PresenceSettings, env: Mapping[str, str], as_json: bool) -> None:
    """One line per reading from the source the day would use, until Ctrl-C: the way to see
    a source follow your input (a `wayland` one counts from when it connected)."""
    import json
    import time

    from breakctl.host.presence.sources import open_presence

    presence = open_presence(settings, env)
    try:
        while True:
            idle = presence.idle_s()
            failure = presence.take_failure()
            if as_json:
                line = {"in_use": presence.name, "idle_s": None if idle is None else round(idle, 3)}
                typer.echo(json.dumps(line | ({"failure": failure} if failure else {})))
            elif idle is None:
                typer.echo(f"idle: unknown ({failure or 'presence is off'})")
            else:
                typer.echo(f"idle: {format_duration(round(idle, 1))} ({presence.name})")
            time.sleep(WATCH_EVERY_S)
    finally:
        presence.close()
