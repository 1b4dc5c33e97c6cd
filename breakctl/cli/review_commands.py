"""breakctl stats and breakctl history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from breakctl.cli.base import app_context, command, family, print_json
from breakctl.cli.problems import warn_problems
from breakctl.core.errors import DataError, StorageError
from breakctl.core.stats import WeekStats, Window, last_days, week_of
from breakctl.core.trend import DEFAULT_TREND_WEEKS, MAX_TREND_WEEKS, review_of, trend
from breakctl.host.context import AppContext
from breakctl.store.config import Config, read_config, schedule_of
from breakctl.store.history_dir import locate_history
from breakctl.store.library import Catalog, ExerciseField
from breakctl.store.output_file import check_output, output_file
from breakctl.ui.text import safe

commands = family()

MAX_WINDOW_DAYS = 36_600  # a century: beyond it the window (and the one before) stop making sense
EARLIEST_DAY = date(1900, 1, 1)


def _parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{option}: expected a date like 2026-11-16, got {value!r}") from None


def _stats_window(
    today: date, week: str | None, days: int | None, since: str | None, until: str | None
) -> Window:
    chosen = [
        name for name, value in (("--week", week), ("--days", days), ("--since", since)) if value
    ]
    if len(chosen) > 1:
        raise DataError(f"use one of {', '.join(chosen)}, not several")
    if until and not since:
        raise DataError("--until goes with --since, e.g. --since 2026-11-01 --until 2026-11-15")
    if days is not None:
        if not 1 <= days <= MAX_WINDOW_DAYS:
            raise DataError(f"--days: expected 1 to {MAX_WINDOW_DAYS}, got {days}")
        return last_days(today, days)
    if since:
        start = _parse_day(since, "--since")
        end = _parse_day(until, "--until") if until else today
        if end < start:
            raise DataError(f"--until {end} is before --since {start}")
        if start < EARLIEST_DAY:
            raise DataError(f"--since: expected {EARLIEST_DAY} or later, got {start}")
        return Window(start, end)
    if week in (None, "this"):
        return week_of(today)
    if week == "last":
        return week_of(today - timedelta(days=7))
    raise DataError(f"--week: expected 'this' or 'last', got {week!r}")


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
    ctx: typer.Context, week: WeekOption = None, days: DaysOption = None,
    since: SinceOption = None, until: UntilOption = None, as_json: StatsJson = False,
    weeks: WeeksOption = None, html: HtmlOption = None, open_page: OpenOption = False,
) -> None:  # fmt: skip
    """Your weekly review: breaks taken and skipped, time moved, when you sat longest,
    streaks, body areas covered, a chart per day and an hour-by-hour map.

    Example: breakctl stats --week last --weeks 12 --html review.html --open
    """
    app_ctx = app_context(ctx)
    now = app_ctx.clock.now()
    today = now.date()
    window = _stats_window(today, week, days, since, until)
    _check_outputs(weeks, as_json, html, open_page)
    if html:
        check_output(html, locate_history(app_ctx.paths, app_ctx.env))
    config = read_config(app_ctx.paths.config_file)
    catalog = app_ctx.catalog()
    week_figures, (breaks, moved) = _week_figures(app_ctx, config, catalog, window, now)
    trend_weeks = trend(window.end, weeks or DEFAULT_TREND_WEEKS, breaks, moved, today)
    if as_json:
        document = week_figures.to_json()
        if weeks is not None:
            document["trend"] = [w.to_json() for w in trend_weeks]
        print_json(document)
        return
    names = ExerciseField(catalog, lambda ex: ex.name)
    if html:
        titles = _routine_titles(catalog, week_figures)
        from breakctl.ui import report_html

        page = report_html.render_page(
            report_html.PageData(week_figures, trend_weeks, names, titles)
        )
        data = page.encode()
        with output_file(html, locate_history(app_ctx.paths, app_ctx.env)) as handle:
            handle.write(data)
        typer.echo(f"Wrote {safe(str(html))} ({len(data) // 1024 + 1} KB)")
        if open_page:
            _open_in_browser(html)
        return
    from breakctl.ui.console import make_console  # Rich only for the table: --json needs none
    from breakctl.ui.week import render_week

    make_console().print(render_week(week_figures, names, trend_weeks if weeks else ()))


def _check_outputs(weeks: int | None, as_json: bool, html: Path | None, open_page: bool) -> None:
    if weeks is not None and not 1 <= weeks <= MAX_TREND_WEEKS:
        raise DataError(f"--weeks: expected 1 to {MAX_TREND_WEEKS}, got {weeks}")
    if as_json and html:
        raise DataError("use --json or --html, not both")
    if open_page and not html:
        raise DataError("--open goes with --html FILE, e.g. --html review.html --open")


def _week_figures(
    app_ctx: AppContext, config: Config, catalog: Catalog, window: Window, now: datetime
) -> tuple[WeekStats, tuple[Mapping[date, int], Mapping[date, float]]]:
    """The window's figures (problems in the history warned about), and the whole history's
    completed breaks and moved seconds per day, for the trend."""
    goal = config.value("goals", "breaks_per_day")
    targets = ExerciseField(catalog, lambda ex: ex.targets)
    schedule = schedule_of(config)
    day_off = None if schedule is None else (lambda day: not schedule.works_on(day))
    place = locate_history(app_ctx.paths, app_ctx.env)
    files = place.files()
    if not files:  # nothing recorded yet: no day cache to build, no line to read
        return review_of(window, [], {}, targets, now.date(), goal, now, day_off), ({}, {})
    from breakctl.store.review import HistoryAccess, review

    access = HistoryAccess.open(app_ctx.paths, app_ctx.env, (place, files))
    week_figures, problems = review(access, window, now.date(), targets, goal, now, day_off)
    warn_problems(problems)
    return week_figures, (access.summary.breaks_completed, access.summary.moved_s)


def _routine_titles(catalog: Catalog, figures: WeekStats) -> dict[str, str]:
    """Titles of the routines done, for the page; a routine since deleted keeps its name."""
    titles = {}
    for name in figures.routines_done:
        try:
            titles[name] = catalog.load(name).title
        except DataError:
            titles[name] = name
    return titles


def _open_in_browser(path: Path) -> None:
    import webbrowser

    uri = path.resolve().as_uri()
    try:
        opened = webbrowser.get().open(uri)
    except webbrowser.Error:
        opened = False
    if not opened:
        raise StorageError(f"no web browser found to open {uri}: open it by hand, or set BROWSER")
