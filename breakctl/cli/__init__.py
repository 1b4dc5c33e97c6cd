"""The command line: parse, call the core, hand results to the view. The only Typer package.

`app` lists every command; each command family's module (start_commands, control_commands,
presets_commands, routine_commands, stats_commands, config_commands) is imported only when
one of its commands runs. See COMMANDS in base.py.
"""

from breakctl.cli.base import app

__all__ = ["app"]
