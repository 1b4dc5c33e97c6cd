"""The shape of a week by the hour: work seconds and breaks per local hour, and the sitting
stretches. Pure: no I/O, no clock; takes the same records as breakctl.core.stats."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from breakctl.core.records import Record

# Between two records, a gap this long means the person was away from the desk: the sitting
# stretch starts over even though no break was recorded.
SITTING_GAP = timedelta(minutes=5)
LONGEST_SITTINGS = 5
_HOUR = timedelta(hours=1)


def is_movement(record: Record) -> bool:
    return record.kind in ("break", "routine")


@dataclass(frozen=True)
class Sitting:
    """Work time with no completed break or routine between, nor a gap away from the desk."""

    started: datetime
    ended: datetime
    duration_s: float


def sittings(records: Iterable[Record]) -> Iterator[Sitting]:
    """Every sitting stretch, in time order."""
    start: datetime | None = None
    end: datetime | None = None
    current = 0.0
    last_end: datetime | None = None
    for record in sorted(records, key=lambda r: r.started):
        away = last_end is not None and record.started - last_end >= SITTING_GAP
        moved = is_movement(record) and record.outcome == "completed"
        if (away or moved) and start is not None and end is not None:
            yield Sitting(start, end, current)
            start, end, current = None, None, 0.0
        if record.kind == "work":
            start = start or record.started
            end = record.ended
            current += record.active_s
        last_end = record.ended if last_end is None else max(last_end, record.ended)
    if start is not None and end is not None:
        yield Sitting(start, end, current)


def longest_sittings(records: Iterable[Record], count: int = LONGEST_SITTINGS) -> list[Sitting]:
    """The `count` longest sitting stretches, longest first (the earlier one first on a tie)."""
    ranked = sorted(sittings(records), key=lambda s: (-s.duration_s, s.started))
    return [s for s in ranked if s.duration_s > 0][:count]


@dataclass(frozen=True)
class DayHours:
    """One local day: seconds of work in each of its 24 hours, and completed breaks started."""

    date: date
    work_s: list[float] = field(default_factory=lambda: [0.0] * 24)
    breaks: list[int] = field(default_factory=lambda: [0] * 24)


def _spread(record: Record) -> Iterator[tuple[date, int, float]]:
    """(day, hour, seconds) of a work record's active time, spread over its span pro rata:
    pauses and suspensions are excluded evenly rather than placed. Hours are wall-clock hours
    in the record's own offset, like the day it counts on."""
    start, end = record.started, record.ended
    span = (end - start).total_seconds()
    if span <= 0:
        yield start.date(), start.hour, record.active_s
        return
    moment = start
    while moment < end:
        next_hour = moment.replace(minute=0, second=0, microsecond=0) + _HOUR
        piece_end = min(next_hour, end)
        share = (piece_end - moment).total_seconds() / span
        yield moment.date(), moment.hour, record.active_s * share
        moment = piece_end


def day_hours(days: Sequence[date], records: Iterable[Record]) -> list[DayHours]:
    """One DayHours per day in `days`. A block across an hour boundary (or midnight) is split
    between the hours; parts falling outside `days` are left out."""
    by_day = {day: DayHours(day) for day in days}
    for record in records:
        if record.kind == "work":
            for day, hour, seconds in _spread(record):
                if day in by_day:
                    by_day[day].work_s[hour] += seconds
        elif record.completed_break:
            hours = by_day.get(record.started.date())
            if hours is not None:
                hours.breaks[record.started.hour] += 1
    return [by_day[day] for day in days]


def routine_of(record: Record) -> str | None:
    """The routine a break or routine record ran, if it names one."""
    return record.routine or None


def routines_done(records: Iterable[Record]) -> dict[str, int]:
    """Completed breaks and routines per routine name, most done first (then by name)."""
    counts: dict[str, int] = {}
    for record in records:
        name = routine_of(record)
        if name and is_movement(record) and record.outcome == "completed":
            counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


@dataclass(frozen=True)
class HeatRow:
    """One row of the hour map: a day, or for windows longer than a week a weekday, with the
    average work seconds per hour and the breaks started in each hour (in total)."""

    label_day: date  # the day, or the first day of that weekday in the window
    per_weekday: bool
    work_s: list[float]
    breaks: list[int]


def heat_rows(hours: Sequence[DayHours]) -> list[HeatRow]:
    """A row per day for up to a week; past that, a row per weekday, so it stays 7 rows."""
    if len(hours) <= 7:
        return [HeatRow(h.date, False, list(h.work_s), list(h.breaks)) for h in hours]
    rows = []
    for weekday in range(7):
        same = [h for h in hours if h.date.weekday() == weekday]
        if not same:
            continue
        rows.append(
            HeatRow(
                same[0].date,
                True,
                [sum(h.work_s[n] for h in same) / len(same) for n in range(24)],
                [sum(h.breaks[n] for h in same) for n in range(24)],
            )
        )
    return sorted(rows, key=lambda row: row.label_day.weekday())


def busy_hours(rows: Sequence[HeatRow], first: int = 8, last: int = 18) -> range:
    """The hours to show: at least first..last, widened to every hour with work or a break."""
    used = [n for row in rows for n in range(24) if row.work_s[n] > 0 or row.breaks[n]]
    return range(min([first, *used]), max([last, *used]) + 1)


def shade(work_s: float) -> int:
    """0 (no work) to 4 (at least three quarters of the hour worked)."""
    if work_s <= 0:
        return 0
    return min(4, 1 + int(work_s / 3600 * 4))
