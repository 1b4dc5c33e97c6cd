"""breakctl stats: the options parsed, the review printed (prepared in host/setup/stats.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from breakctl.cli.base import app_context, command, family
from breakctl.cli.problems import warn_problems, warn_unreadable
from breakctl.core.errors import DataError, StorageError
from breakctl.core.window import Window
from breakctl.host.context import AppContext
from breakctl.host.setup.stats_window import stats_window
from breakctl.store.history_dir import locate_history

commands = family()

# The options of `breakctl stats`.
WeekOption = Annotated[
    str | None, typer.Option("--week", help="'this' (default) or 'last': Monday to Sunday.")
]
DaysOption = Annotated[int | None, typer.Option("--days", help="The last N days, today included.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="From this day (YYYY-MM-DD).")]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="To this day, included (default: today).")
]
StatsJson = Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")]
WeeksOption = Annotated[
    int | None,
    typer.Option("--weeks", help="Add the trend of the last N weeks (breaks a day, moved)."),
]
HtmlOption = Annotated[
    Path | None,
    typer.Option(
        "--html",
        help="Write the review as one HTML page (offline, printable) to this file, whole "
        "(via a temp file) and private (0600); a symlink's target is replaced, the link kept. "
        "Never a history, config or state file.",
    ),
]
OpenOption = Annotated[bool, typer.Option("--open", help="Open the page in your web browser.")]


@command(commands, "stats")
def stats_command(
    ctx: typer.Context,
    week: WeekOption = None,
    days: DaysOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_json: StatsJson = False,
    weeks: WeeksOption = None,
    html: HtmlOption = None,
    open_page: OpenOption = False,
) -> None:
    """Your weekly review: breaks taken and skipped, time moved, when you sat longest,
    streaks, body areas covered, a chart per day and an hour-by-hour map.

    Example: breakctl stats --week last --weeks 12 --html review.html --open
    """
    app_ctx = app_context(ctx)
    now = app_ctx.clock.now()
    window = stats_window(now.date(), week, days, since, until)
    _check_outputs(weeks, as_json, html, open_page)
    if not (as_json or html or weeks) and _nothing_recorded(app_ctx):
        _print_empty(app_ctx, window)
        return
    if as_json:  # the same lines as the fast path without Typer (cli/fast_reads.py)
        from breakctl.cli.fast_reads import stats_json_lines

        stats_json_lines(app_ctx, window, now, weeks, lambda line, err: typer.echo(line, err=err))
        return
    from breakctl.core.trend import DEFAULT_TREND_WEEKS
    from breakctl.host.setup.stats import stats_review
    from breakctl.store.output_file import check_output, output_file
    from breakctl.ui.text import safe

    if html:
        check_output(html, locate_history(app_ctx.paths, app_ctx.env))
    stats = stats_review(app_ctx, window, now, weeks or DEFAULT_TREND_WEEKS)
    warn_unreadable(stats.unreadable)
    warn_problems(stats.problems)
    names = stats.exercise_names()
    if html:
        from breakctl.ui.report import page as report_page

        page = report_page.render_page(
            report_page.PageData(stats.figures, stats.trend, names, stats.routine_titles())
        )
        data = page.encode()
        with output_file(html, locate_history(app_ctx.paths, app_ctx.env)) as handle:
            handle.write(data)
        typer.echo(f"Wrote {safe(str(html))} ({len(data) // 1024 + 1} KB)")
        if open_page:
            _open_in_browser(html)
        return
    from breakctl.ui.console import make_console  # Rich only for the table: --json needs none
    from breakctl.ui.report.terminal import render_week

    make_console().print(render_week(stats.figures, names, stats.trend if weeks else ()))


def _print_empty(app_ctx: AppContext, window: Window) -> None:
    """An empty history's review: the one message, none of the figures' machinery."""
    from breakctl.ui.console import make_console
    from breakctl.ui.report.empty import render_empty

    make_console().print(render_empty(window.start, window.end))


def _nothing_recorded(app_ctx: AppContext) -> bool:
    """No history file yet (and none that could not be read, which is worth a warning). The
    config is read first, as the review reads it: one that cannot be read is an error."""
    if os.path.lexists(app_ctx.paths.config_file):  # none: nothing to check, nothing to load
        from breakctl.store.config import read_config

        read_config(app_ctx.paths.config_file)
    files, unreadable = locate_history(app_ctx.paths, app_ctx.env).scan()
    return not files and not unreadable


def _check_outputs(weeks: int | None, as_json: bool, html: Path | None, open_page: bool) -> None:
    if weeks is not None:
        from breakctl.core.trend import MAX_TREND_WEEKS  # a trend asked for: its figures load

        if not 1 <= weeks <= MAX_TREND_WEEKS:
            raise DataError(f"--weeks: expected 1 to {MAX_TREND_WEEKS}, got {weeks}")
    if as_json and html:
        raise DataError("use --json or --html, not both")
    if open_page and not html:
        raise DataError("--open goes with --html FILE, e.g. --html review.html --open")


def _open_in_browser(path: Path) -> None:
    import webbrowser

    uri = path.resolve().as_uri()
    try:
        opened = webbrowser.get().open(uri)
    except webbrowser.Error:
        opened = False
    if not opened:
        raise StorageError(f"no web browser found to open {uri}: open it by hand, or set BROWSER")
