"""The command line: parse, call the core, hand results to the view. The only Typer package.

`app` lists every command; each command family's module (start_commands, control_commands,
presets_commands, routine_commands, stats_commands, config_commands) is imported only when
one of its commands runs. See COMMANDS in base.py. `app` itself is imported on first use:
cli/fast_reads.py answers `stats --json` and `history check` without loading Typer at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from breakctl.cli.base import app

__all__ = ["app"]


def __getattr__(name: str) -> Any:
    if name == "app":
        from breakctl.cli.base import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
