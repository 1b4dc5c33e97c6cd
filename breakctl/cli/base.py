"""The Typer application: the lazy root group, error mapping, the root callback, shared helpers.

Commands are registered by name in COMMANDS and their module is imported only when that
command runs (or its completion is asked for): `breakctl presets` never imports the engine.
`breakctl --help` lists them from the same table without importing any of them.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from breakctl.core.errors import BreakctlError, ExitStatus

if TYPE_CHECKING:
    from breakctl.host.context import AppContext
    from breakctl.host.keys import KeySource
    from breakctl.store.paths import Paths

# name -> (module in breakctl/cli, the one-line help `breakctl --help` shows), in the order a
# newcomer meets them. tests/test_docs.py checks each line against the command's docstring.
COMMANDS: dict[str, tuple[str, str]] = {
    "start": (
        "start_commands",
        "Work/break cycles all day: a countdown while you work, then a "
        "guided routine in each break.",
    ),
    "status": (
        "control_commands",
        "One short line for a status bar: 'work 12:34', 'break desk 2/6'; nothing when idle.",
    ),
    "pause": (
        "control_commands",
        "Pause the running `breakctl start` (from another terminal "
        "or a status bar); with a duration or --until, for a meeting: it resumes by itself, "
        "with a notification.",
    ),
    "resume": ("control_commands", "Resume the paused `breakctl start`."),
    "skip": (
        "control_commands",
        "Skip: during work, the next break; during a break, the rest of it.",
    ),
    "break": (
        "control_commands",
        "A break now: the running `breakctl start` begins its break "
        "(as key b), with ROUTINE if given; with none running, runs the routine here, as "
        "`breakctl routine` would (--no-bell and --voice as there).",
    ),
    "stop": (
        "control_commands",
        "Stop the running `breakctl start`, as q would: the block in progress is recorded.",
    ),
    "attach": (
        "attach_commands",
        "Show the running day's screen in this terminal: keys act on it as in `start`; "
        "d detaches, q ends the day.",
    ),
    "routine": (
        "routine_commands",
        "Run a routine now (`breakctl routine desk`), or list, show, check and create them.",
    ),
    "stats": (
        "stats_commands",
        "Your weekly review: breaks taken and skipped, time moved, "
        "when you sat longest, streaks, body areas covered, a chart per day and an "
        "hour-by-hour map.",
    ),
    "history": (
        "history_commands",
        "Your history on every machine: list, correct (edit, "
        "delete, add, undo), export, import; or check the files for bad lines.",
    ),
    "presets": (
        "presets_commands",
        "List the schedules `breakctl start --preset` knows, and where each comes from.",
    ),
    "safety": (
        "presets_commands",
        "When to stop, when to see a doctor or physiotherapist, and "
        "the signs that need urgent care.",
    ),
    "notify": (
        "control_commands",
        "Show which ways of getting your attention work here (bell, "
        "OSC 9/777, desktop, chimes, voice).",
    ),
    "config": ("config_commands", "Where breakctl keeps its files, and its settings."),
    "presence": (
        "presence_commands",
        "Show where idle time can come from here, the source in use, and your idle time now.",
    ),
    "service": (
        "service_commands",
        "Start the day at login, in the background: a systemd user unit, a launchd agent or "
        "an XDG autostart entry (install, remove, status).",
    ),
    "holds": (
        "holds_commands",
        "Show every source that can hold a break (calls, camera, calendar, "
        "do-not-disturb...), whether it works here and why not, and what holds a break now.",
    ),
}


def _flags_read_as_flags(params: list[Any]) -> list[Any]:
    """`--wait` in --help, not `--wait <bool>`: a flag takes no value to describe."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class BreakctlCommand(TyperCommand):
    def get_params(self, ctx: typer.Context) -> list[Any]:  # type: ignore[override]
        return _flags_read_as_flags(super().get_params(ctx))


class BreakctlGroup(TyperGroup):
    """Maps our errors to one line each on stderr and an exit code: never a traceback."""

    def get_params(self, ctx: typer.Context) -> list[Any]:  # type: ignore[override]
        return _flags_read_as_flags(super().get_params(ctx))

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except BreakctlError as exc:
            from breakctl.ui.text import safe  # stdlib only: an error may quote a file

            for problem in exc.problems:
                typer.echo(f"breakctl: {safe(problem)}", err=True)
            raise typer.Exit(exc.exit_status) from None
        except KeyboardInterrupt:
            raise typer.Exit(ExitStatus.CTRL_C) from None
        except BaseException as exc:
            # SIGTERM/SIGHUP arrive as Terminated, which only a module that imported
            # host.signals (start, routine) can raise: no need to import it for the others.
            signals = sys.modules.get("breakctl.host.signals")
            if signals is not None and isinstance(exc, signals.Terminated):
                raise typer.Exit(exc.exit_status) from None
            raise


class RootGroup(BreakctlGroup):
    """Lists commands from COMMANDS; imports a command's module only to run or complete it."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._families: dict[str, TyperGroup] = {}
        self._stubs = False

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        if cmd_name not in COMMANDS:
            return None
        module, summary = COMMANDS[cmd_name]
        if self._stubs:  # listing for --help: the summary is all it needs
            return BreakctlCommand(name=cmd_name, help=summary, short_help=summary)
        if module not in self._families:
            family = importlib.import_module(f"breakctl.cli.{module}")
            self._families[module] = typer.main.get_group(family.commands)
        return self._families[module].get_command(ctx, cmd_name)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """A usage error is one line on stderr, exit 2: `breakctl start: Invalid value for
        '--work': ... (see breakctl start --help)`, not click's three-line usage block."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        # Typer >= 0.29 carries its own click; its exceptions are only reachable there.
        from typer._click.exceptions import ClickException, UsageError

        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except UsageError as exc:
            from breakctl.ui.text import safe  # stdlib only: the error may quote a value

            where = exc.ctx.command_path if exc.ctx is not None else "breakctl"
            hint = f" (see {where} --help)" if exc.ctx is not None else ""
            typer.echo(f"{where}: {safe(exc.format_message())}{hint}", err=True)
            sys.exit(exc.exit_code)
        except ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except typer.Abort:
            sys.exit(ExitStatus.CTRL_C)
        sys.exit(result if isinstance(result, int) else 0)

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:  # type: ignore[override]
        if args and args[0] not in COMMANDS and not args[0].startswith("-"):
            from difflib import get_close_matches  # only for a mistyped command

            matches = get_close_matches(args[0], list(COMMANDS))
            hint = f" Did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""
            ctx.fail(f"No such command {args[0]!r}.{hint}")
        return super().resolve_command(ctx, args)

    @contextmanager
    def _listing(self) -> Iterator[None]:
        self._stubs = True
        try:
            yield
        finally:
            self._stubs = False

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        with self._listing():
            super().format_help(ctx, formatter)


def command(typer_app: typer.Typer, name: str, **attrs: Any) -> Callable[[Callable[..., Any]], Any]:
    """`@command(commands, "start")`: a command whose flags read as flags in --help."""
    return typer_app.command(name, cls=BreakctlCommand, **attrs)


def family(
    help_text: str | None = None, cls: type[TyperGroup] = BreakctlGroup, **attrs: Any
) -> typer.Typer:
    """A command family's Typer app (the module's `commands`, or a group such as `routine`)."""
    # Plain help text: `[schedule]` in a help line is a config table, not markup to swallow.
    return typer.Typer(
        cls=cls, help=help_text, add_completion=False, rich_markup_mode=None, **attrs
    )


app = typer.Typer(
    cls=RootGroup,
    name="breakctl",
    help="Move more while you work: work/break cycles with guided stretching routines.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
# Sound and voice of a routine run here (`routine NAME`, and `break` with no day running).
BellFlag = Annotated[
    bool | None,
    typer.Option(
        "--bell/--no-bell",
        help="Chime when a hold ends and at each switch of sides (default: [start] bell).",
    ),
]
VoiceFlag = Annotated[
    bool | None,
    typer.Option("--voice/--no-voice", help="Speak each step aloud ([voice] enabled)."),
]


def _version(value: bool) -> None:
    if value:
        from breakctl import __version__

        typer.echo(f"breakctl {__version__}")
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
        from breakctl.host.context import AppContext

        ctx.obj = AppContext.from_environment()
    _recover_dead_runs(ctx.obj.paths, ctx.invoked_subcommand)


def _recover_dead_runs(paths: Paths, command: str | None) -> None:
    """Any command notices a `start` or a routine run on its own that died (kill -9, power
    cut) and records what it was doing. When that cannot be written, commands go on with a
    warning; `start` would replace the block's state file, so it stops. (A routine run never
    replaces a file it could not record: host/routine/status_file.py.)"""
    if not (paths.state_file.exists() or paths.routine_file.exists()):
        return  # the usual case: nothing to look at, nothing imported
    from breakctl.store.state import recover, recover_or_warn

    def warn(text: str) -> None:
        from breakctl.ui.text import safe  # stdlib only; a warning may quote a file

        typer.echo(f"breakctl: {safe(text)}", err=True)

    if paths.state_file.exists():
        if command == "start":
            recover(paths)
        else:
            recover_or_warn(paths, warn)
    if paths.routine_file.exists():
        recover_or_warn(paths, warn, routine=True)


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert obj is not None and hasattr(obj, "paths"), "the root callback sets the context"
    return obj  # type: ignore[no-any-return]


def print_json(data: Any) -> None:
    import json

    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def key_source(app_ctx: AppContext, live: bool, stack: ExitStack) -> KeySource:
    """Keys from the terminal when a person is there; scripted ones in tests; none when piped
    (then waiting is plain sleeping)."""
    from breakctl.host.keys import NoKeys, TerminalKeys

    if app_ctx.keys is not None:
        return app_ctx.keys
    if live and sys.stdin.isatty():
        return stack.enter_context(TerminalKeys())
    return NoKeys(app_ctx.clock)
