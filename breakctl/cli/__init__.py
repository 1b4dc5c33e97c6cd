"""The command line: parse, call the core, hand results to the view. The only Typer package.

Importing it registers every command on `app`.
"""

from breakctl.cli import (
    config_commands,
    history_commands,
    presence_commands,
    review_commands,
    routine_commands,
    start_commands,
)
from breakctl.cli.base import app
from breakctl.core.records import CSV_FIELDS

__all__ = [
    "CSV_FIELDS",
    "app",
    "config_commands",
    "history_commands",
    "presence_commands",
    "review_commands",
    "routine_commands",
    "start_commands",
]
