"""Warnings about history lines that could not be read, for every command that reads history."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from breakctl.ui.text import safe

if TYPE_CHECKING:
    from breakctl.core.records import BadLine
    from breakctl.store.review import Problem


def warn_problems(problems: Iterable[Problem]) -> None:
    """One warning line per file with unreadable lines, naming them, each line once (a
    command may read a line twice)."""
    by_file: dict[Path, dict[int, BadLine]] = {}
    for problem in problems:
        by_file.setdefault(problem.path, {}).setdefault(problem.bad.line, problem.bad)
    for path, lines_bad in by_file.items():
        bad = sorted(lines_bad.values(), key=lambda b: b.line)
        numbers = ", ".join(str(b.line) for b in bad[:20]) + (", …" if len(bad) > 20 else "")
        lines = "line" if len(bad) == 1 else "lines"
        shown = safe(str(path))
        typer.echo(
            f"breakctl: warning: {shown}: skipped {len(bad)} unreadable {lines}: {numbers} "
            "(`breakctl history check` says why)",
            err=True,
        )


def warn_unreadable(unreadable: Iterable[tuple[Path, str]]) -> None:
    """One warning line per history file skipped because it cannot be read."""
    for path, why in unreadable:
        typer.echo(
            f"breakctl: warning: {safe(str(path))}: skipped: {why} "
            "(`breakctl history check` lists it)",
            err=True,
        )
