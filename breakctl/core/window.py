"""A span of calendar days, and the ones `breakctl stats` names: a week, the last N days.
Apart from the figures (core/stats.py): a command that only names its days loads none of
them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Window:
    """A span of local calendar days, both ends included."""

    start: date
    end: date

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def previous(self) -> Window:
        """The window of the same length just before this one."""
        length = self.end - self.start + timedelta(days=1)
        return Window(self.start - length, self.end - length)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def week_of(day: date) -> Window:
    monday = day - timedelta(days=day.weekday())
    return Window(monday, monday + timedelta(days=6))


def last_days(today: date, count: int) -> Window:
    return Window(today - timedelta(days=count - 1), today)
