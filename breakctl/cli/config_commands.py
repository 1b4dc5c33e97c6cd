"""breakctl config: path, show, set."""

from __future__ import annotations

from typing import Annotated, Any

import tomli_w
import typer

from breakctl.cli.base import JsonFlag, app_context, config_app, print_json, start_config
from breakctl.core.durations import format_duration
from breakctl.core.errors import StorageError
from breakctl.core.schedule import describe as describe_schedule
from breakctl.core.stats import DEFAULT_BREAKS_PER_DAY
from breakctl.host.hooks import read_hooks
from breakctl.store.config import (
    load_config,
    positive_int,
    read_schedule,
    read_work_per_day,
    set_value,
    write_config,
)


@config_app.command("path")
def config_path(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Print where breakctl keeps each of its files.

    Example: breakctl config path
    """
    paths = app_context(ctx).paths
    places = {
        "config": str(paths.config_file),
        "routines": str(paths.routines_dir),
        "history": str(paths.history_file),
        "state": str(paths.state_file),
    }
    if as_json:
        print_json(places)
        return
    for label, place in places.items():
        typer.echo(f"{label:<9}{place}")


@config_app.command("show")
def config_show(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Print the settings in effect: config.toml on top of the defaults.

    Example: breakctl config show
    """
    paths = app_context(ctx).paths
    config, _, settings = start_config(paths)
    schedule = read_schedule(config, paths.config_file)
    work_limit = read_work_per_day(config, paths.config_file)
    effective: dict[str, Any] = {
        "start": {
            "preset": settings.preset.name,
            "work": format_duration(settings.work_s),
            "break": format_duration(settings.break_s),
            "long_break": format_duration(settings.long_break_s),
            "long_every": settings.long_every,
            **({"cycles": settings.cycles} if settings.cycles else {}),
            **({"until": settings.until.strftime("%H:%M")} if settings.until else {}),
            **({"routine": settings.routine} if settings.routine else {}),
            **({"rotate": list(settings.rotate)} if settings.rotate else {}),
            "seated": settings.seated,
            "wait": settings.wait,
            "bell": settings.bell,
            "notify": settings.notify,
            **({"skips_per_day": settings.skips_per_day} if settings.skips_per_day is not None
               else {}),
            **({"postpones_in_a_row": settings.postpones_in_a_row}
               if settings.postpones_in_a_row is not None else {}),
            "strict": settings.strict,
            **({"focus": settings.focus} if settings.focus is not None else {}),
        },
        "goals": {
            "breaks_per_day": positive_int(
                config, "goals", "breaks_per_day", DEFAULT_BREAKS_PER_DAY, paths.config_file
            ),
            **({"work_per_day": format_duration(work_limit)} if work_limit else {}),
        },
        **({"schedule": describe_schedule(schedule)} if schedule is not None else {}),
        "hooks": read_hooks(config, paths.config_file),
    }  # fmt: skip
    if as_json:
        print_json(effective)
    else:
        typer.echo(
            f"# {paths.config_file}{'' if paths.config_file.exists() else ' (not created yet)'}"
        )
        typer.echo(tomli_w.dumps(effective).rstrip())


@config_app.command("set")
def config_set(
    ctx: typer.Context,
    key: Annotated[
        str, typer.Argument(help="SECTION.KEY, e.g. start.preset or goals.breaks_per_day.")
    ],
    value: Annotated[str, typer.Argument(help="The value, e.g. micro, 30m, 17:30, true.")],
) -> None:
    """Change one setting in config.toml (other settings are kept; comments are not).

    Example: breakctl config set start.preset micro
    """
    paths = app_context(ctx).paths
    updated = set_value(load_config(paths.config_file), key, value)
    try:
        write_config(paths.config_file, updated)
    except OSError as exc:
        raise StorageError(f"{paths.config_file}: cannot write: {exc.strerror}") from None
    typer.echo(f"{key} = {value}  ({paths.config_file})")
