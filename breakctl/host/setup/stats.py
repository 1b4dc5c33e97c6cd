"""Preparing `breakctl stats`: the window the options name, checked; then the window's figures
from every history file (the lines that could not be read handed back to warn about), the
whole history's per-day figures for the trend, and the routine titles the page shows. No
Typer, no Rich: the command parses its options and prints what this returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from breakctl.core.errors import DataError
from breakctl.core.stats import WeekStats, Window, last_days, week_of
from breakctl.core.trend import TrendWeek, review_of, trend
from breakctl.host.context import AppContext
from breakctl.store.config import Config, read_config, schedule_of
from breakctl.store.history_dir import HistoryPlace, locate_history
from breakctl.store.library import Catalog, ExerciseField

if TYPE_CHECKING:  # store.review (and the day cache) only once there is a history to read
    from breakctl.store.review import Problem

MAX_WINDOW_DAYS = 36_600  # a century: beyond it the window (and the one before) stop making sense
EARLIEST_DAY = date(1900, 1, 1)


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{option}: expected a date like 2026-11-16, got {value!r}") from None


def stats_window(
    today: date, week: str | None, days: int | None, since: str | None, until: str | None
) -> Window:
    """The days `--week`, `--days` or `--since/--until` name (this week by default)."""
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
        start = parse_day(since, "--since")
        end = parse_day(until, "--until") if until else today
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


@dataclass(frozen=True)
class StatsReview:
    """What `breakctl stats` prints, and the lines it could not read."""

    figures: WeekStats
    trend: list[TrendWeek]
    catalog: Catalog
    problems: Sequence[Problem]
    unreadable: Sequence[tuple[Path, str]] = ()  # history files skipped, and why

    def exercise_names(self) -> ExerciseField[str]:
        return ExerciseField(self.catalog, lambda ex: ex.name)

    def routine_titles(self) -> dict[str, str]:
        """Titles of the routines done, for the page; a routine since deleted keeps its name."""
        titles = {}
        for name in self.figures.routines_done:
            try:
                titles[name] = self.catalog.load(name).title
            except DataError:
                titles[name] = name
        return titles


def stats_review(
    app_ctx: AppContext, window: Window, now: datetime, trend_weeks: int
) -> StatsReview:
    """The window's figures and the trend of the `trend_weeks` weeks up to its end."""
    config = read_config(app_ctx.paths.config_file)
    catalog = app_ctx.catalog()
    place = locate_history(app_ctx.paths, app_ctx.env)
    files, unreadable = place.scan()
    figures, (breaks, moved), problems = _week_figures(
        app_ctx, config, catalog, window, now, (place, files)
    )
    weeks = trend(window.end, trend_weeks, breaks, moved, now.date())
    return StatsReview(figures, weeks, catalog, problems, unreadable)


def _week_figures(
    app_ctx: AppContext,
    config: Config,
    catalog: Catalog,
    window: Window,
    now: datetime,
    found: tuple[HistoryPlace, list[Path]],
) -> tuple[WeekStats, tuple[Mapping[date, int], Mapping[date, float]], Sequence[Problem]]:
    """The window's figures (and the problems met in the history), and the whole history's
    completed breaks and moved seconds per day, for the trend."""
    goal = config.value("goals", "breaks_per_day")
    targets = ExerciseField(catalog, lambda ex: ex.targets)
    schedule = schedule_of(config)
    day_off = None if schedule is None else (lambda day: not schedule.works_on(day))
    place, files = found
    if not files:  # nothing recorded yet: no day cache to build, no line to read
        return review_of(window, [], {}, targets, now.date(), goal, now, day_off), ({}, {}), ()
    from breakctl.store.review import HistoryAccess, review

    access = HistoryAccess.open(app_ctx.paths, app_ctx.env, (place, files), now)
    week_figures, problems = review(access, window, now.date(), targets, goal, now, day_off)
    return week_figures, (access.summary.breaks_completed, access.summary.moved_s), problems
