"""The warning lines about history that could not be read, as text: printed by Typer's
commands (cli/problems.py) and by the fast reads that run without Typer (cli/fast_reads.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from breakctl.ui.text import safe

if TYPE_CHECKING:
    from breakctl.core.records import BadLine
    from breakctl.store.review import Problem


def problem_lines(problems: Iterable[Problem]) -> Iterator[str]:
    """One warning line per file with unreadable lines, naming them, each line once (a
    command may read a line twice)."""
    by_file: dict[Path, dict[int, BadLine]] = {}
    for problem in problems:
        by_file.setdefault(problem.path, {}).setdefault(problem.bad.line, problem.bad)
    for path, lines_bad in by_file.items():
        bad = sorted(lines_bad.values(), key=lambda b: b.line)
        numbers = ", ".join(str(b.line) for b in bad[:20]) + (", …" if len(bad) > 20 else "")
        lines = "line" if len(bad) == 1 else "lines"
        yield (
            f"breakctl: warning: {safe(str(path))}: skipped {len(bad)} unreadable {lines}: "
            f"{numbers} (`breakctl history check` says why)"
        )


def unreadable_lines(unreadable: Iterable[tuple[Path, str]]) -> Iterator[str]:
    """One warning line per history file skipped because it cannot be read."""
    for path, why in unreadable:
        yield (
            f"breakctl: warning: {safe(str(path))}: skipped: {why} "
            "(`breakctl history check` lists it)"
        )
