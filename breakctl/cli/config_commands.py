"""breakctl config: path, show, set, check. Every setting comes from core/config_schema.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer

from breakctl.cli.base import JsonFlag, app_context, command, family, print_json
from breakctl.cli.completion import complete_config_key, complete_config_value
from breakctl.core.config_schema import SCHEMA
from breakctl.core.errors import ExitStatus
from breakctl.core.schedule import describe as describe_schedule
from breakctl.core.settings import resolve_settings
from breakctl.store.config import Config, check_config, read_config, schedule_of, set_value
from breakctl.store.history_dir import locate_history
from breakctl.ui.text import safe

commands = family()
config_app = family("Where breakctl keeps its files, and its settings.")
commands.add_typer(config_app, name="config")


@command(config_app, "path")
def config_path(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Print where breakctl keeps each of its files.

    Example: breakctl config path
    """
    app_ctx = app_context(ctx)
    paths = app_ctx.paths
    place = locate_history(paths, app_ctx.env)
    places = {
        "config": str(paths.config_file),
        "routines": str(paths.routines_dir),
        "history": str(place.folder),
        "this machine": str(place.host_file),
        "old history": str(paths.history_file),
        "state": str(paths.state_file),
    }
    if as_json:
        print_json(places)
        return
    for label, where in places.items():
        typer.echo(f"{label:<14}{safe(where)}")


def effective_settings(config: Config, env: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Every table of the schema as it is in effect: the file's values over the defaults
    ([start] through the preset it names, [sound] enabled through where this runs); unset
    optional values are left out."""
    from breakctl.host.guide import over_ssh

    start = resolve_settings(config.table("start"), {})
    effective: dict[str, dict[str, Any]] = {}
    for table in SCHEMA:
        if table.whole is not None:  # [schedule]: the days and their ranges, as read
            schedule = schedule_of(config)
            if schedule is not None:
                effective[table.name] = describe_schedule(schedule)
            continue
        shown: dict[str, Any] = {}
        for setting in table.settings:
            if table.name == "start":
                value = getattr(start, setting.attr or setting.key)
                value = start.preset.name if setting.key == "preset" else value
            else:
                value = config.value(table.name, setting.key)
            if (table.name, setting.key) == ("sound", "enabled") and value is None:
                value = not over_ssh(env)  # off over SSH unless set: say which it is here
            if value is not None and (value != () or setting.default):  # [] that turns off
                shown[setting.key] = value if setting.key == "preset" else setting.kind.show(value)
        effective[table.name] = shown
    return effective


@command(config_app, "show")
def config_show(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Print the settings in effect: config.toml on top of the defaults.

    Example: breakctl config show
    """
    import tomli_w

    app_ctx = app_context(ctx)
    path = app_ctx.paths.config_file
    effective = effective_settings(read_config(path), app_ctx.env)
    if as_json:
        print_json(effective)
        return
    typer.echo(f"# {path}{'' if path.exists() else ' (not created yet)'}")
    typer.echo(tomli_w.dumps(effective).rstrip())


@command(config_app, "set", context_settings={"ignore_unknown_options": True})  # a value may be -1
def config_set(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(
            help="SECTION.KEY, e.g. start.preset or goals.breaks_per_day.",
            autocompletion=complete_config_key,
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(
            help="The value, e.g. micro, 30m, 17:30, true.", autocompletion=complete_config_value
        ),
    ],
) -> None:
    """Change one setting in config.toml, checked as `start` will read it; your comments and
    layout are kept (through a symlink, its target is changed).

    Example: breakctl config set start.preset micro
    """
    paths = app_context(ctx).paths
    path = paths.config_file
    remaining = set_value(path, key, value, lock=paths.state_dir / "config.lock")
    typer.echo(safe(f"{key} = {value}  ({path})"))
    for problem in remaining:
        typer.echo(f"breakctl: warning: {safe(problem)}", err=True)


@command(config_app, "check")
def config_check(ctx: typer.Context) -> None:
    """Check config.toml: print every problem with its line, or 'ok'. Exit 2 when any.

    Example: breakctl config check
    """
    path = app_context(ctx).paths.config_file
    problems = check_config(path)
    if not problems:
        typer.echo(
            f"ok: {safe(str(path))}" + ("" if path.exists() else " (not created yet: all defaults)")
        )
        return
    for problem in problems:
        typer.echo(safe(problem))
    typer.echo(f"{len(problems)} {'problem' if len(problems) == 1 else 'problems'}")
    raise typer.Exit(ExitStatus.BAD_INPUT)
