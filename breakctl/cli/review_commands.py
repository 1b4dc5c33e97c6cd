"""breakctl stats and breakctl history."""

from __future__ import annotations

import sys
import webbrowser
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer

from breakctl.cli.base import app, app_context, history_app, print_json
from breakctl.core.errors import DataError, ExitStatus, StorageError
from breakctl.core.records import CSV_HEADER, BadLine, Record, csv_row
from breakctl.core.stats import DEFAULT_BREAKS_PER_DAY, WeekStats, Window, last_days, week_of
from breakctl.core.trend import DEFAULT_TREND_WEEKS, MAX_TREND_WEEKS, trend
from breakctl.store.config import load_config, positive_int, read_schedule
from breakctl.store.history import HistoryReader
from breakctl.store.library import Catalog
from breakctl.store.review import HistoryAccess, review
from breakctl.ui import report_html, view

MAX_WINDOW_DAYS = 36_600  # a century: beyond it the window (and the one before) stop making sense
EARLIEST_DAY = date(1900, 1, 1)


def _parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{option}: expected a date like 2026-11-16, got {value!r}") from None


def _warn_bad_lines(path: Path, bad: list[BadLine]) -> None:
    if not bad:
        return
    numbers = ", ".join(str(b.line) for b in bad[:20]) + (", …" if len(bad) > 20 else "")
    plural = "line" if len(bad) == 1 else "lines"
    typer.echo(
        f"breakctl: warning: {path}: skipped {len(bad)} unreadable {plural}: {numbers} "
        "(`breakctl history check` says why)",
        err=True,
    )


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


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    week: Annotated[
        str | None, typer.Option("--week", help="'this' (default) or 'last': Monday to Sunday.")
    ] = None,
    days: Annotated[
        int | None, typer.Option("--days", help="The last N days, today included.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this day (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="To this day, included (default: today).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    weeks: Annotated[
        int | None,
        typer.Option("--weeks", help="Add the trend of the last N weeks (breaks a day, moved)."),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write the review as one HTML page (offline, printable)."),
    ] = None,
    open_page: Annotated[
        bool, typer.Option("--open", help="Open the page in your web browser.")
    ] = False,
) -> None:
    """Your weekly review: breaks taken and skipped, time moved, when you sat longest,
    streaks, body areas covered, a chart per day and an hour-by-hour map.

    Example: breakctl stats --week last --weeks 12 --html review.html --open
    """
    app_ctx = app_context(ctx)
    now = app_ctx.clock.now()
    today = now.date()
    window = _stats_window(today, week, days, since, until)
    if weeks is not None and not 1 <= weeks <= MAX_TREND_WEEKS:
        raise DataError(f"--weeks: expected 1 to {MAX_TREND_WEEKS}, got {weeks}")
    if as_json and html:
        raise DataError("use --json or --html, not both")
    if open_page and not html:
        raise DataError("--open goes with --html FILE, e.g. --html review.html --open")
    config = load_config(app_ctx.paths.config_file)
    goal = positive_int(
        config, "goals", "breaks_per_day", DEFAULT_BREAKS_PER_DAY, app_ctx.paths.config_file
    )
    catalog = app_ctx.catalog()
    library = catalog.exercises
    targets = {ex_id: ex.targets for ex_id, ex in library.items()}
    access = HistoryAccess.open(app_ctx.paths)
    schedule = read_schedule(config, app_ctx.paths.config_file)
    day_off = None if schedule is None else (lambda day: not schedule.works_on(day))
    week_figures, bad = review(access, window, today, targets, goal, now, day_off)
    _warn_bad_lines(app_ctx.paths.history_file, bad)
    summary = access.summary
    trend_weeks = trend(
        window.end, weeks or DEFAULT_TREND_WEEKS, summary.breaks_completed, summary.moved_s, today
    )
    if as_json:
        document = week_figures.to_json()
        if weeks is not None:
            document["trend"] = [w.to_json() for w in trend_weeks]
        print_json(document)
        return
    names = {ex_id: ex.name for ex_id, ex in library.items()}
    if html:
        page = report_html.render_page(
            report_html.PageData(
                week_figures, trend_weeks, names, _routine_titles(catalog, week_figures)
            )
        )
        _write_page(html, page)
        typer.echo(f"Wrote {html} ({len(page.encode()) // 1024 + 1} KB)")
        if open_page:
            _open_in_browser(html)
        return
    view.make_console().print(view.render_week(week_figures, names, trend_weeks if weeks else ()))


def _routine_titles(catalog: Catalog, figures: WeekStats) -> dict[str, str]:
    """Titles of the routines done, for the page; a routine since deleted keeps its name."""
    titles = {}
    for name in figures.routines_done:
        try:
            titles[name] = catalog.load(name).title
        except DataError:
            titles[name] = name
    return titles


def _write_page(path: Path, page: str) -> None:
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise StorageError(f"{path}: cannot write the page: {exc.strerror or exc}") from None


def _open_in_browser(path: Path) -> None:
    uri = path.resolve().as_uri()
    try:
        opened = webbrowser.get().open(uri)
    except webbrowser.Error:
        opened = False
    if not opened:
        raise StorageError(f"no web browser found to open {uri}: open it by hand, or set BROWSER")


@history_app.callback()
def history_list(
    ctx: typer.Context,
    last: Annotated[int, typer.Option("--last", help="How many records, newest last.")] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the records as JSON lines.")
    ] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")] = False,
) -> None:
    """List the last records of your history.

    Example: breakctl history --last 50 --csv > history.csv
    """
    if ctx.invoked_subcommand is not None:
        return
    if as_json and as_csv:
        raise DataError("use --json or --csv, not both")
    if last < 0:
        raise DataError(f"--last: expected 0 or more, got {last}")
    app_ctx = app_context(ctx)
    access = HistoryAccess.open(app_ctx.paths)
    bad: list[BadLine] = []
    if as_json or as_csv:  # streamed: memory does not grow with --last
        out = sys.stdout.buffer
        if as_csv:
            out.write(CSV_HEADER)
        for raw, item in access.last(last):
            if isinstance(item, BadLine):
                bad.append(item)
            else:
                out.write(raw + b"\n" if as_json else csv_row(item))
        out.flush()
    else:
        records: list[Record] = []
        for _, item in access.last(last):
            (bad if isinstance(item, BadLine) else records).append(item)  # type: ignore[arg-type]
        if records:
            view.make_console().print(view.history_table(records))
        elif last:
            typer.echo("No history yet: run `breakctl routine micro` or `breakctl start`.")
    _warn_bad_lines(app_ctx.paths.history_file, bad)


@history_app.command("check")
def history_check(ctx: typer.Context) -> None:
    """Report lines of the history file that can't be read, with why; never changes the file.

    Example: breakctl history check
    """
    path = app_context(ctx).paths.history_file
    reader = HistoryReader(path)
    kinds: dict[str, int] = {}
    bad: list[BadLine] = []
    lines = 0
    for _, number, item in reader.scan():
        lines = number
        if isinstance(item, BadLine):
            bad.append(item)
        elif item is not None:
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
    for line in bad:
        typer.echo(f"{path}:{line.line}: {line.reason}")
    counted = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"
    typer.echo(f"{lines} lines: {sum(kinds.values())} records ({counted}), {len(bad)} bad")
    if bad:
        raise typer.Exit(ExitStatus.BAD_INPUT)
