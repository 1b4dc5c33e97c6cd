"""The Typer application: groups, error mapping, the root callback, shared helpers."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from breakctl.core.errors import BreakctlError, DataError, ExitStatus
from breakctl.core.safety import SAFETY
from breakctl.core.settings import StartSettings, resolve_settings
from breakctl.host.context import AppContext
from breakctl.host.keys import KeySource, NoKeys, TerminalKeys
from breakctl.host.signals import Terminated
from breakctl.store.config import load_config
from breakctl.store.paths import Paths
from breakctl.store.state import recover, recover_or_warn


class BreakctlGroup(TyperGroup):
    """Maps our errors to one line each on stderr and an exit code: never a traceback."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except BreakctlError as exc:
            for problem in exc.problems:
                typer.echo(f"breakctl: {problem}", err=True)
            raise typer.Exit(exc.exit_status) from None
        except KeyboardInterrupt:
            raise typer.Exit(ExitStatus.CTRL_C) from None
        except Terminated as exc:
            raise typer.Exit(exc.exit_status) from None


# The order a newcomer meets the commands in, for `breakctl --help`.
COMMAND_ORDER = (
    "start", "status", "pause", "resume", "skip", "stop", "routine", "stats", "history",
    "presets", "notify", "config",
)  # fmt: skip


class RootGroup(BreakctlGroup):
    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        names = list(super().list_commands(ctx))
        rank = {name: index for index, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))


class RoutineGroup(BreakctlGroup):
    """`breakctl routine lunch` means `breakctl routine run lunch`."""

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:  # type: ignore[override]
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=RootGroup,
    name="breakctl",
    help="Move more while you work: work/break cycles with guided stretching routines.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
routine_app = typer.Typer(
    cls=RoutineGroup,
    help="Run a routine now (`breakctl routine desk`), or list, show, check and create them.",
    epilog=SAFETY,
    invoke_without_command=True,
)
config_app = typer.Typer(
    cls=BreakctlGroup, help="Where breakctl keeps its files, and its settings."
)
history_app = typer.Typer(
    cls=BreakctlGroup,
    help="List recent records (`breakctl history --last 50`), or check the file for bad lines.",
    invoke_without_command=True,
)
app.add_typer(routine_app, name="routine")
app.add_typer(history_app, name="history")
app.add_typer(config_app, name="config")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _version(value: bool) -> None:
    if value:
        from breakctl.version import installed_version

        typer.echo(f"breakctl {installed_version()}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())  # plain `breakctl` is a request for help, not an error
        raise typer.Exit()
    if ctx.obj is None:
        ctx.obj = AppContext.from_environment()
    # Any command notices a `start` that died (kill -9, power cut) and records its block. When
    # that cannot be written, commands that only read go on; `start` would replace the block's
    # state file, so it stops.
    if ctx.invoked_subcommand == "start":
        recover(ctx.obj.paths)
    else:
        recover_or_warn(ctx.obj.paths, lambda text: typer.echo(f"breakctl: {text}", err=True))


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext)
    return obj


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def start_config(paths: Paths) -> tuple[dict[str, Any], dict[str, Any], StartSettings]:
    """config.toml, its [start] table, and the settings that table alone gives; every problem
    in it names the file, for `start` and `config show` alike."""
    config = load_config(paths.config_file)
    table = config.get("start", {})
    if not isinstance(table, dict):
        raise DataError(f"{paths.config_file}: [start] must be a table")
    try:
        return config, table, resolve_settings(table, {})
    except DataError as exc:
        raise DataError(*(f"{paths.config_file}: [start] {p}" for p in exc.problems)) from None


def key_source(app_ctx: AppContext, live: bool, stack: ExitStack) -> KeySource:
    """Keys from the terminal when a person is there; scripted ones in tests; none when piped
    (then waiting is plain sleeping)."""
    if app_ctx.keys is not None:
        return app_ctx.keys
    if live and sys.stdin.isatty():
        return stack.enter_context(TerminalKeys())
    return NoKeys(app_ctx.clock)
