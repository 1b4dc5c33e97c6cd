"""Warnings about history lines that could not be read, for every command that reads history."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from breakctl.cli.problem_lines import problem_lines, unreadable_lines

if TYPE_CHECKING:
    from breakctl.store.review import Problem


def warn_problems(problems: Iterable[Problem]) -> None:
    """One warning line per file with unreadable lines (see problem_lines)."""
    for line in problem_lines(problems):
        typer.echo(line, err=True)


def warn_unreadable(unreadable: Iterable[tuple[Path, str]]) -> None:
    """One warning line per history file skipped because it cannot be read."""
    for line in unreadable_lines(unreadable):
        typer.echo(line, err=True)
