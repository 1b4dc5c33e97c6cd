"""`breakctl stats --json` and `breakctl history check` without Typer, click or Rich.

Both read the whole history, so scripts and status bars run them over large files: Typer's
start-up (about 0.2 s) was a sixth of a full read of a million records (issue 25). Exactly
these argument lists are answered here (see __main__.py); any other form, and a run left by a
dead `start` to recover first, goes to the Typer app. The Typer commands print through the
same functions, so both paths write the same bytes (tests/test_fast_reads.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from breakctl.cli.problem_lines import problem_lines, unreadable_lines
from breakctl.core.errors import BreakctlError, ExitStatus
from breakctl.ui.text import safe

if TYPE_CHECKING:
    from breakctl.core.window import Window
    from breakctl.host.context import AppContext

# Prints one line, to stderr when the flag says so (typer.echo's bytes: the text, then "\n").
Echo = Callable[[str, bool], None]


def history_check_lines(app_ctx: AppContext, echo: Echo) -> int:
    """`history check`: every problem of every history file, then the summary line; the exit
    status (BAD_INPUT when there is a problem)."""
    from breakctl.core.durations import plural
    from breakctl.store.history_check import check_history
    from breakctl.store.history_dir import locate_history

    files, unreadable = locate_history(app_ctx.paths, app_ctx.env).scan()
    for path, why in unreadable:
        echo(f"{safe(str(path))}: {why}: not read", False)
    report = check_history(files, lambda line: echo(safe(line), False), app_ctx.clock.now())
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(report.kinds.items())) or "none"
    files_read = f"{len(files)} file{'s' if len(files) != 1 else ''}"
    fixed = f", {plural(report.corrections, 'correction')}" if report.corrections else ""
    problems = report.problems + len(unreadable)
    echo(
        f"{files_read}, {report.lines} lines: {report.kinds.total()} records ({kinds})"
        f"{fixed}, {plural(problems, 'problem')}",
        False,
    )
    return ExitStatus.BAD_INPUT if problems else ExitStatus.OK


def stats_json_lines(
    app_ctx: AppContext, window: Window, now: datetime, weeks: int | None, echo: Echo
) -> None:
    """`stats --json`: warnings about what could not be read, then the figures as JSON (with
    the trend of `weeks` weeks when asked)."""
    import json

    from breakctl.core.trend import DEFAULT_TREND_WEEKS
    from breakctl.host.setup.stats import stats_review

    stats = stats_review(app_ctx, window, now, weeks or DEFAULT_TREND_WEEKS)
    for line in unreadable_lines(stats.unreadable):
        echo(line, True)
    for line in problem_lines(stats.problems):
        echo(line, True)
    document = stats.figures.to_json()
    if weeks is not None:
        document["trend"] = [w.to_json() for w in stats.trend]
    echo(json.dumps(document, indent=2, ensure_ascii=False), False)


def _stats_json(app_ctx: AppContext) -> int:
    from breakctl.host.setup.stats_window import stats_window

    now = app_ctx.clock.now()
    stats_json_lines(app_ctx, stats_window(now.date(), None, None, None, None), now, None, _echo)
    return ExitStatus.OK


def _history_check(app_ctx: AppContext) -> int:
    return history_check_lines(app_ctx, _echo)


FAST: dict[tuple[str, ...], Callable[[AppContext], int]] = {
    ("stats", "--json"): _stats_json,
    ("history", "check"): _history_check,
}


def run_fast(argv: list[str]) -> int | None:
    """The exit status of a command answered here, or None: the Typer app runs it."""
    answer = FAST.get(tuple(argv))
    if answer is None:
        return None
    from breakctl.host.context import AppContext

    try:
        app_ctx = AppContext.from_environment()
        paths = app_ctx.paths
        if paths.state_file.exists() or paths.routine_file.exists():
            return None  # a dead run may need recording first: the root callback does that
        return answer(app_ctx)
    except BreakctlError as exc:  # as BreakctlGroup prints them: one line each, no traceback
        for problem in exc.problems:
            _echo(f"breakctl: {safe(problem)}", True)
        return int(exc.exit_status)
    except BrokenPipeError:  # as click does: the reader left (`| head`): exit 1, no traceback
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, sys.stdout.fileno())  # what is still buffered goes nowhere at exit
        os.dup2(quiet, sys.stderr.fileno())
        return int(ExitStatus.FAILURE)


def _echo(line: str, err: bool) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(line + "\n")
    stream.flush()
