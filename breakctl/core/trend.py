"""Figures across weeks: the N-week trend, and the part of the previous window a window under
way is compared with. Pure: no I/O, no clock."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from breakctl.core.durations import round_s
from breakctl.core.stats import WeekStats, week_stats
from breakctl.core.window import Window, week_of

if TYPE_CHECKING:
    from breakctl.core.records import Record


DEFAULT_TREND_WEEKS = 12
MAX_TREND_WEEKS = 520


@dataclass(frozen=True)
class TrendWeek:
    """One Monday-to-Sunday week; `days` counts only the days already begun."""

    start: date
    end: date
    days: int
    breaks_completed: int
    moved_s: float

    @property
    def breaks_per_day(self) -> float:
        return self.breaks_completed / self.days if self.days else 0.0

    @property
    def moved_per_day_s(self) -> float:
        return self.moved_s / self.days if self.days else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "days": self.days,
            "breaks_completed": self.breaks_completed,
            "moved_s": round_s(self.moved_s),
        }


def trend(
    last_day: date,
    weeks: int,
    breaks_per_day: Mapping[date, int],
    moved_per_day: Mapping[date, float],
    today: date,
) -> list[TrendWeek]:
    """The `weeks` weeks ending with the one holding `last_day`, oldest first. Reads one
    entry per day, so it costs the same on a year of history as on a week."""
    newest = week_of(last_day).start
    result = []
    for back in range(weeks - 1, -1, -1):
        days = Window(newest - timedelta(weeks=back), newest - timedelta(weeks=back) + timedelta(6))
        begun = [day for day in days.days if day <= today]
        result.append(
            TrendWeek(
                start=days.start,
                end=days.end,
                days=len(begun),
                breaks_completed=sum(breaks_per_day.get(day, 0) for day in begun),
                moved_s=sum(moved_per_day.get(day, 0.0) for day in begun),
            )
        )
    return result


def compared_until(window: Window, now: datetime) -> datetime | None:
    """While `window` is under way, the wall-clock moment as far into the previous window as
    `now` is into this one (Monday 10:00 compares with last Monday up to 10:00); None once
    the window is over, when the whole previous window counts."""
    if not window.start <= now.date() <= window.end:
        return None
    length = window.end - window.start + timedelta(days=1)
    return (now - length).replace(tzinfo=None)


def review_of(
    window: Window,
    records: Sequence[Record],
    breaks_per_day: Mapping[date, int],
    targets: Mapping[str, Sequence[str]],
    today: date,
    goal: int,
    now: datetime | None = None,
    day_off: Callable[[date], bool] | None = None,
) -> WeekStats:
    """The window's figures from the records of it and of the window before it (others are
    left out). Given `now`, a window under way is compared with the same part of the one
    before."""
    previous = window.previous()
    until = compared_until(window, now) if now is not None else None
    current = [r for r in records if r.day in window]
    before = [r for r in records if r.day in previous and in_compared_part(r, until)]
    return week_stats(window, current, before, breaks_per_day, targets, today, goal, until, day_off)


def in_compared_part(record: Record, until: datetime | None) -> bool:
    """Whether a record of the previous window started before the cut (wall-clock time in
    its own offset, the same way its day is its own offset's date)."""
    return until is None or record.started.replace(tzinfo=None) < until
