"""breakctl holds: what can hold a break here, and what holds one now."""

from __future__ import annotations

import typer

from breakctl.cli.base import JsonFlag, app_context, command, family, print_json
from breakctl.core.holds import HoldsSettings
from breakctl.host.holds.settings import holds_settings
from breakctl.store.config import read_config
from breakctl.store.paths import Paths

commands = family()


def holds_config(paths: Paths) -> HoldsSettings:
    """config.toml's [holds] table as settings (the file checked whole, every problem with
    its line, by store.config)."""
    return holds_settings(read_config(paths.config_file).table("holds"))


@command(commands, "holds")
def holds(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Show every source that can hold a break (calls, camera, calendar, do-not-disturb...),
    whether it works here and why not, and what holds a break now.

    Example: breakctl holds --json
    """
    from breakctl.host.holds.sources import survey
    from breakctl.ui.text import safe

    app_ctx = app_context(ctx)
    settings = holds_config(app_ctx.paths)
    result = survey(settings, app_ctx.clock.now())
    for warning in result.warnings:
        typer.echo(f"breakctl: holds: {safe(warning)}", err=True)
    if as_json:
        print_json(result.to_json())
        return
    width = max(len(state.name) for state in result.sources) + 2
    for state in result.sources:
        if not state.works:
            line = f"no: {state.why_not}"
        else:
            line = f"holds: {state.reason}" if state.holding else "works"
            line += "" if state.in_use else "  (not in [holds] sources)"
        typer.echo(safe(f"{state.name:<{width}}{line}"))
    typer.echo("")
    configured = settings.sources
    shown = configured if isinstance(configured, str) else f"[{', '.join(configured)}]"
    if configured == ():
        typer.echo("holds are off ([holds] sources = [])")
    elif result.reading.held:
        typer.echo(safe(f"held now: {'; '.join(result.reading.reasons)}"))
    else:
        typer.echo(f"nothing holds a break now (sources = {shown})")
    upcoming = result.reading.upcoming
    if upcoming is not None:
        typer.echo(safe(f"next busy: {upcoming.title} at {upcoming.starts:%H:%M}"))
