"""Reads just enough history for a review: the day cache for all-time figures, then the
window's records backwards from the end of the file."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from breakctl.core.records import BadLine, Record
from breakctl.core.stats import WeekStats, Window, week_stats
from breakctl.core.trend import compared_until, in_compared_part
from breakctl.store.day_cache import DayCache, DaySummary
from breakctl.store.history import HistoryReader
from breakctl.store.paths import Paths

# Records are appended when they end, so the file is in order of `ended`. Once a record ended
# this long before the window starts, everything earlier in the file did too. The margin
# covers records written in other timezones. Recovered records are appended late (by the next
# command after a crash), so they never stop the scan.
MARGIN = timedelta(days=2)


def cache_path(paths: Paths) -> Path:
    return paths.state_dir / "history-days.json"


@dataclass
class HistoryAccess:
    """The history file and its day cache, refreshed once per command."""

    reader: HistoryReader
    summary: DaySummary

    @classmethod
    def open(cls, paths: Paths) -> HistoryAccess:
        reader = HistoryReader(paths.history_file)
        summary = DayCache(cache_path(paths), reader).refresh()
        return cls(reader, summary)

    @property
    def total_lines(self) -> int:
        # Past the cached offset there is at most one line: the last, without its newline yet.
        return self.summary.lines + (1 if self.reader.size() > self.summary.offset else 0)

    def window(self, start: date, end: date) -> tuple[list[Record], list[BadLine]]:
        """The records whose day is in [start, end], oldest first, and bad lines met."""
        cutoff = datetime.combine(start, time.min).astimezone() - MARGIN
        records: list[Record] = []
        bad: list[BadLine] = []
        for _, _, item in self.reader.backwards(self.total_lines):
            if isinstance(item, BadLine):
                bad.append(item)
            elif start <= item.day <= end:
                records.append(item)
            elif item.outcome != "recovered" and item.ended < cutoff:
                break
        records.reverse()  # read from the end: oldest first now
        bad.reverse()
        return records, bad

    def start_of_last(self, count: int) -> tuple[int, int]:
        """(byte offset, line number) where the last `count` valid records begin: reading
        forward from there streams them, whatever `count` is, in constant memory."""
        if count <= 0:
            return self.reader.size(), self.total_lines + 1
        found = 0
        for offset, number, item in self.reader.backwards(self.total_lines):
            found += isinstance(item, Record)
            if found == count:
                return offset, number
        return 0, 1

    def last(self, count: int) -> Iterator[tuple[bytes, Record | BadLine]]:
        """The last `count` valid records, oldest first, each with its line as written, and
        the bad lines among them."""
        offset, number = self.start_of_last(count)
        for _, _, raw, item in self.reader.lines(offset, number):
            if item is not None:
                yield raw, item


def review(
    access: HistoryAccess,
    window: Window,
    today: date,
    targets: Mapping[str, Sequence[str]],
    goal: int,
    now: datetime | None = None,
    day_off: Callable[[date], bool] | None = None,
) -> tuple[WeekStats, list[BadLine]]:
    """The window's figures. Given `now`, a window under way is compared with the same part
    of the previous one."""
    previous = window.previous()
    until = compared_until(window, now) if now is not None else None
    records, bad = access.window(previous.start, window.end)
    current = [r for r in records if r.day in window]
    before = [r for r in records if r.day in previous and in_compared_part(r, until)]
    stats = week_stats(
        window, current, before, access.summary.breaks_completed, targets, today, goal, until,
        day_off,
    )  # fmt: skip
    return stats, bad
