"""Working hours: the `[schedule]` table of config.toml and the questions the day asks of it.

```toml
[schedule]
mon-fri = ["09:00-12:30", "13:30-17:30"]
sat = []                                   # days not named are days off too
```

Pure. Every moment is an aware datetime; ranges are laid out in the schedule's zone (a
`zoneinfo.ZoneInfo` when the host knows it, so a DST change moves the offset, not the hours)
and every comparison and subtraction is done in UTC: two datetimes sharing a tzinfo compare
and subtract as naive ones in Python, which is wrong by an hour across a DST change.
A range may end at 24:00; a range ending at 24:00 and the next day's range starting at 00:00
are one stretch of work across midnight.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from breakctl.core.errors import DataError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(r"(\d{2}):(\d{2})-(\d{2}):(\d{2})", re.ASCII)  # not ٠٩ or ０９
WANT = "want HH:MM-HH:MM, e.g. 09:00-12:30"

Minutes = tuple[int, int]  # a range as minutes since midnight: [start, end)
Span = tuple[datetime, datetime]  # a stretch of work in UTC: [start, end)


@dataclass(frozen=True)
class Schedule:
    """Working ranges per weekday (0 = Monday), in minutes since local midnight."""

    days: tuple[tuple[Minutes, ...], ...]  # seven entries
    zone: tzinfo | None = None  # None: the zone of the moment asked about

    def with_zone(self, zone: tzinfo | None) -> Schedule:
        return Schedule(self.days, zone)

    @property
    def empty(self) -> bool:
        return not any(self.days)

    def works_on(self, day: date) -> bool:
        """Whether `day` has any working hours (a day off does not break a streak)."""
        return bool(self.days[day.weekday()])

    # -- the questions ----------------------------------------------------------------------
    def spans(self, moment: datetime, days_before: int = 1, days_after: int = 8) -> list[Span]:
        """Stretches of work around `moment`, in UTC, adjacent ranges merged."""
        zone = self.zone or moment.tzinfo
        return list(self._spans(moment.astimezone(zone).date(), zone, days_before, days_after))

    @functools.lru_cache(maxsize=64)  # noqa: B019 - a frozen value; asked every second all day
    def _spans(
        self, local: date, zone: tzinfo | None, days_before: int, days_after: int
    ) -> tuple[Span, ...]:
        spans: list[Span] = []
        for offset in range(-days_before, days_after + 1):
            day = local + timedelta(days=offset)
            for start, end in self.days[day.weekday()]:
                begin, finish = _at(day, start, zone), _at(day, end, zone)
                if spans and spans[-1][1] >= begin:
                    spans[-1] = (spans[-1][0], max(spans[-1][1], finish))
                else:
                    spans.append((begin, finish))
        return tuple(spans)

    def current(self, moment: datetime) -> Span | None:
        """The stretch of work `moment` is in, or None outside working hours."""
        at = moment.astimezone(UTC)
        for start, end in self.spans(moment):
            if start <= at < end:
                return start, end
        return None

    def is_working(self, moment: datetime) -> bool:
        return self.current(moment) is not None

    def range_end(self, moment: datetime) -> datetime | None:
        """When the stretch of work under way ends (None outside working hours)."""
        span = self.current(moment)
        return None if span is None else span[1].astimezone(self._zone(moment))

    def next_start(self, moment: datetime) -> datetime | None:
        """When the next stretch of work starts after `moment`; None when the schedule has
        no working hours at all."""
        at = moment.astimezone(UTC)
        for start, _ in self.spans(moment):
            if start > at:
                return start.astimezone(self._zone(moment))
        return None

    def gap_before(self, start: datetime) -> float:
        """Seconds off between the stretch that starts at `start` and the one before it."""
        at = start.astimezone(UTC)
        before = [end for _, end in self.spans(start, days_before=8, days_after=0) if end <= at]
        return (at - before[-1]).total_seconds() if before else float("inf")

    def _zone(self, moment: datetime) -> tzinfo | None:
        return self.zone or moment.tzinfo


def seconds_between(earlier: datetime, later: datetime) -> float:
    """`later - earlier` in real seconds, whatever their tzinfo (see the module's note)."""
    return (later.astimezone(UTC) - earlier.astimezone(UTC)).total_seconds()


def _at(day: date, minutes: int, zone: tzinfo | None) -> datetime:
    """The UTC instant of local `minutes` past midnight on `day` (24:00 is the next midnight).
    A time a DST change skips is read with the offset before the change (fold=0)."""
    if minutes >= 24 * 60:
        day, minutes = day + timedelta(days=1), minutes - 24 * 60
    local = datetime.combine(day, time(minutes // 60, minutes % 60), zone)
    return local.astimezone(UTC)


# -- reading [schedule] -----------------------------------------------------------------------


def parse_schedule(
    table: Mapping[str, Any], where: Callable[[str], str] = lambda key: "schedule"
) -> Schedule:
    """The `[schedule]` table, checked. `where(key)` names the place of a key for errors
    (e.g. "config.toml:12"); every problem is reported, each as one line."""
    problems: list[str] = []
    days: list[list[Minutes]] = [[] for _ in DAYS]
    named: dict[int, str] = {}
    for key, value in table.items():
        place = f"{where(key)}: schedule.{key}"
        indexes = _days(key)
        if indexes is None:
            problems.append(
                f"{place}: unknown day name {key!r}; want mon … sun or a range like mon-fri"
            )
            continue
        ranges = _ranges(value, place, problems)
        for index in indexes:
            if index in named:
                problems.append(f"{place}: {DAYS[index]} is already set by {named[index]!r}")
                continue
            named[index] = key
            days[index].extend(ranges)
    for index, ranges in enumerate(days):
        ranges.sort()
        for (s1, e1), (s2, e2) in itertools.pairwise(ranges):
            if s2 < e1:
                key = named[index]
                problems.append(
                    f"{where(key)}: schedule.{key}: overlapping ranges on {DAYS[index]}: "
                    f"{_show(s1, e1)} and {_show(s2, e2)}"
                )
    if problems:
        raise DataError(*problems)
    return Schedule(tuple(tuple(ranges) for ranges in days))


def _days(key: str) -> list[int] | None:
    first, _, last = key.strip().lower().partition("-")
    if first not in DAYS or (last and last not in DAYS):
        return None
    a, b = DAYS.index(first), DAYS.index(last or first)
    return [(a + i) % 7 for i in range((b - a) % 7 + 1)]  # fri-mon wraps over the weekend


def _ranges(value: Any, place: str, problems: list[str]) -> list[Minutes]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.append(f'{place}: {WANT} in a list, like ["09:00-17:00"]; got {value!r}')
        return []
    out = []
    for item in value:
        text = item.strip() if isinstance(item, str) else None
        match = _RANGE.fullmatch(text) if text else None
        if match is None:
            problems.append(f"{place}: {_quoted(item)}: {WANT}")
            continue
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
            problems.append(f"{place}: {_quoted(item)}: not a clock time; {WANT}")
            continue
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end <= start:
            problems.append(
                f"{place}: {_quoted(item)}: ends before it starts (a range across midnight "
                "is two: 22:00-24:00, and 00:00-02:00 on the next day)"
            )
            continue
        out.append((start, end))
    return out


def _quoted(item: object) -> str:
    return f'"{item}"' if isinstance(item, str) else repr(item)


def _show(start: int, end: int) -> str:
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def describe(schedule: Schedule) -> dict[str, list[str]]:
    """The working days as config.toml would say them, runs of like days as one key
    (mon-fri), for `config show`."""
    out: dict[str, list[str]] = {}
    index = 0
    while index < len(DAYS):
        ranges, last = schedule.days[index], index
        while last + 1 < len(DAYS) and schedule.days[last + 1] == ranges:
            last += 1
        if ranges:
            key = DAYS[index] if last == index else f"{DAYS[index]}-{DAYS[last]}"
            out[key] = [_show(start, end) for start, end in ranges]
        index = last + 1
    return out
