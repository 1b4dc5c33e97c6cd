"""Preparing `breakctl stats`: the window the options name, checked; then the window's figures
from every history file (the lines that could not be read handed back to warn about), the
whole history's per-day figures for the trend, and the routine titles the page shows. No
Typer, no Rich: the command parses its options and prints what this returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from breakctl.core.errors import DataError
from breakctl.core.stats import WeekStats
from breakctl.core.trend import TrendWeek, review_of, trend
from breakctl.core.window import Window
from breakctl.host.context import AppContext
from breakctl.store.config import Config, read_config, schedule_of
from breakctl.store.history_dir import HistoryPlace, locate_history
from breakctl.store.library import Catalog, ExerciseField

if TYPE_CHECKING:  # store.review (and the day cache) only once there is a history to read
    from breakctl.store.review import Problem


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
