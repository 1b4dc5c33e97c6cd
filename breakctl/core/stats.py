"""The weekly review: history records in a window -> figures. Pure: no I/O, no clock."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from breakctl.core.config_schema import DEFAULT_BREAKS_PER_DAY
from breakctl.core.durations import round_s
from breakctl.core.model import AREAS
from breakctl.core.stats_hours import (
    DayHours,
    Sitting,
    day_hours,
    longest_sittings,
    routines_done,
)
from breakctl.core.window import Window

if TYPE_CHECKING:
    from breakctl.core.records import Record


HABIT_DAYS = 66  # median days to form a habit (range 18-254; Lally et al. 2010, UCL)
BREAK_OUTCOMES = ("completed", "skipped", "postponed", "interrupted", "recovered")


@dataclass(frozen=True)
class DayFigures:
    date: date
    breaks_completed: int
    moved_s: float
    work_s: float
    off: bool = False  # no working hours in [schedule] that day: not a missed goal


@dataclass(frozen=True)
class Totals:
    """The headline figures of one window; also used for the previous window's comparison."""

    breaks: dict[str, int]
    compliance: float | None
    moved_s: float
    work_s: float
    routines: int
    away_s: float = 0.0  # time away from keyboard and mouse (presence), breaks and blocks
    held_s: float = 0.0  # breaks["held"] waited this long past their due time (#21)


@dataclass(frozen=True)
class WeekStats:
    window: Window
    totals: Totals
    previous: Totals
    longest_sitting_s: float
    days: list[DayFigures]
    exercises: dict[str, int]
    areas: dict[str, float]
    streak_days: int
    best_streak_days: int
    habit_days: int
    goal_breaks_per_day: int
    records: int = 0
    hours: list[DayHours] = field(default_factory=list)
    longest_sittings: list[Sitting] = field(default_factory=list)
    routines_done: dict[str, int] = field(default_factory=dict)
    # While the window is under way, the previous one is only counted up to this wall-clock
    # moment, so a Monday morning is compared with last Monday morning.
    previous_until: datetime | None = None

    @property
    def empty(self) -> bool:
        return self.records == 0

    def to_json(self) -> dict[str, object]:
        """The `stats --json` document: stable keys, seconds as numbers, dates as YYYY-MM-DD."""
        return {
            "from": self.window.start.isoformat(),
            "to": self.window.end.isoformat(),
            "breaks": dict(self.totals.breaks),
            "compliance": self.totals.compliance,
            "moved_s": round_s(self.totals.moved_s),
            "work_s": round_s(self.totals.work_s),
            "away_s": round_s(self.totals.away_s),
            "held_s": round_s(self.totals.held_s),
            "longest_sitting_s": round_s(self.longest_sitting_s),
            "longest_sittings": [
                {"started": s.started.isoformat(), "duration_s": round_s(s.duration_s)}
                for s in self.longest_sittings
            ],
            "routines": self.totals.routines,
            "days": [
                {
                    "date": d.date.isoformat(),
                    "breaks_completed": d.breaks_completed,
                    "moved_s": round_s(d.moved_s),
                    "work_s": round_s(d.work_s),
                    **({"off": True} if d.off else {}),  # a day with no working hours
                }
                for d in self.days
            ],
            "hours": [
                {
                    "date": h.date.isoformat(),
                    "work_s": [round_s(s) for s in h.work_s],
                    "breaks": list(h.breaks),
                }
                for h in self.hours
            ],
            "exercises": dict(self.exercises),
            "routines_done": dict(self.routines_done),
            "areas": {area: round_s(seconds) for area, seconds in self.areas.items()},
            "streak_days": self.streak_days,
            "best_streak_days": self.best_streak_days,
            "habit_days": self.habit_days,
            "habit_goal_days": HABIT_DAYS,
            "goal_breaks_per_day": self.goal_breaks_per_day,
            "previous": {
                "from": self.window.previous().start.isoformat(),
                "to": (
                    self.previous_until.date()
                    if self.previous_until
                    else self.window.previous().end
                ).isoformat(),
                "until": self.previous_until.isoformat() if self.previous_until else None,
                "breaks": dict(self.previous.breaks),
                "compliance": self.previous.compliance,
                "moved_s": round_s(self.previous.moved_s),
                "work_s": round_s(self.previous.work_s),
                "routines": self.previous.routines,
            },
        }


# The breaks that were due, as `breaks` keys: taken (completed, natural included) or not. A
# postponed break is the same break coming back later, so it is not among them.
DUE = ("completed", "worked_through", "cut_short", "skipped", "interrupted", "recovered")


def totals(records: Iterable[Record]) -> Totals:
    breaks = dict.fromkeys(BREAK_OUTCOMES, 0)
    breaks["natural"] = breaks["worked_through"] = breaks["cut_short"] = breaks["held"] = 0
    moved = work = away = held = 0.0
    routines = 0
    for record in records:
        away += record.away_s
        if record.kind == "break":
            outcome = record.outcome.replace("-", "_")
            if outcome in breaks:
                breaks[outcome] += 1
            breaks["natural"] += record.natural and record.outcome == "completed"
            breaks["held"] += record.held_s > 0  # waited for a call or a meeting (#21)
            held += record.held_s
        moved += record.moved_s
        if record.kind == "work":
            work += record.active_s
        if record.kind == "routine":
            routines += 1
    due = sum(breaks[o] for o in DUE)
    compliance = round(breaks["completed"] / due, 3) if due else None
    return Totals(breaks, compliance, moved, work, routines, away, held)


def held_text(totals: Totals) -> str:
    """'3 breaks waited for meetings (42 min)'; '' when none waited."""
    held = totals.breaks.get("held", 0)
    waited = "break waited" if held == 1 else "breaks waited"
    return f"{held} {waited} for meetings ({round(totals.held_s / 60)} min)" if held else ""


# "taken when due" split into every outcome it counts, in the order the review lists them.
SHARES = (
    ("natural", "natural"),
    ("worked_through", "worked-through"),
    ("cut_short", "cut-short"),
    ("skipped", "skipped"),
    ("interrupted", "interrupted"),
)


def due_shares(totals: Totals) -> list[tuple[str, int, int]] | None:
    """(label, breaks, whole percent) for each kind of due break: taken moving, taken away
    from the desk, then each way of not taking one (interrupted includes recovered). The
    percents add up to 100 and the first two to the rounded "taken when due" (largest
    remainders); None when no break was due."""
    breaks = totals.breaks
    due = sum(breaks[o] for o in DUE)
    if not due or totals.compliance is None:
        return None
    counts = {"moving": breaks["completed"] - breaks["natural"], "natural": breaks["natural"]}
    counts |= {key: breaks[key] for key, _ in SHARES[1:]}
    counts["interrupted"] += breaks["recovered"]
    taken = int(f"{totals.compliance:.0%}"[:-1])  # as the review shows it
    percents = _apportion(dict(list(counts.items())[:2]), taken, due) | _apportion(
        dict(list(counts.items())[2:]), 100 - taken, due
    )
    labels = dict((("moving", "moving"), *SHARES))
    return [(labels[key], count, percents[key]) for key, count in counts.items()]


def due_text(totals: Totals) -> tuple[str, str]:
    """What "taken when due" counts, every outcome with its share (they add up to 100%): what
    follows the percentage, ' of 5 due: 40% moving (2), 0% natural', and the breaks not
    taken, '0% worked-through, 0% cut-short, 20% skipped (1), 40% interrupted (2)', named as
    history names them (interrupted includes recovered)."""
    shares = due_shares(totals)
    if shares is None:
        return "", ""
    due = sum(count for _, count, _ in shares)
    taken, missed = (
        ", ".join(f"{p}% {label}" + (f" ({n})" if n else "") for label, n, p in part)
        for part in (shares[:2], shares[2:])
    )
    return f" of {due} due: {taken}", missed


def _apportion(counts: dict[str, int], total: int, due: int) -> dict[str, int]:
    """`total` percent shared among `counts` (out of `due`) by largest remainders."""
    exact = {key: count * 100 / due for key, count in counts.items()}
    shares = {key: int(value) for key, value in exact.items()}
    order = sorted(exact, key=lambda key: (-(exact[key] - shares[key]), -counts[key]))
    for key in order[: max(0, total - sum(shares.values()))]:
        shares[key] += 1
    return shares


def longest_sitting_s(records: Sequence[Record]) -> float:
    """The most work time with no completed break or routine between, nor a gap away."""
    longest = longest_sittings(records, 1)
    return longest[0].duration_s if longest else 0.0


def streaks(
    breaks_per_day: Mapping[date, int],
    goal: int,
    today: date,
    day_off: Callable[[date], bool] | None = None,
) -> tuple[int, int, int]:
    """(current streak, best streak, habit days) of days with at least `goal` completed breaks.

    Today counts once it meets the goal; until then the streak runs to yesterday, so an
    unfinished day never breaks it. Habit days count every day that met the goal: missing a
    day now and then does not undo habit forming (Lally et al.), so they need not be in a row.
    A day off (`day_off`: no working hours in [schedule]) that missed the goal neither counts
    nor breaks a streak.
    """
    met = sorted(day for day, count in breaks_per_day.items() if count >= goal)
    met_set = set(met)
    one = timedelta(days=1)

    def passes(day: date) -> bool:  # a day off the streak steps over
        return day_off is not None and day not in met_set and day_off(day)

    day = today if today in met_set else today - one
    current, stop = 0, (met[0] if met else today) - one
    while day > stop and (day in met_set or passes(day)):
        current += day in met_set
        day -= one
    best = run = 0
    previous: date | None = None
    for day in met:
        between = previous + one if previous is not None else day
        while between < day and passes(between):
            between += one
        run = run + 1 if previous is not None and between == day else 1
        best = max(best, run)
        previous = day
    return current, best, len(met)


def week_stats(
    window: Window,
    records: Sequence[Record],
    previous_records: Sequence[Record],
    breaks_per_day: Mapping[date, int],
    targets: Mapping[str, Sequence[str]],
    today: date,
    goal: int = DEFAULT_BREAKS_PER_DAY,
    previous_until: datetime | None = None,
    day_off: Callable[[date], bool] | None = None,
) -> WeekStats:
    """Every figure of the review for `window`. `records` must be the window's records,
    `breaks_per_day` the completed breaks of every day in history (for streaks),
    `previous_records` those of the part of the previous window compared with."""
    by_day = {day: [0, 0.0, 0.0] for day in window.days}
    exercises: Counter[str] = Counter()
    areas = dict.fromkeys(AREAS, 0.0)
    for record in records:
        figures = by_day.setdefault(record.day, [0, 0.0, 0.0])
        if record.completed_break:
            figures[0] += 1
        figures[1] += record.moved_s
        if record.kind == "work":
            figures[2] += record.active_s
        if not record.counts_as_movement:
            continue  # a break not taken worked no areas and did no exercises
        for step in record.steps or ():
            if step.outcome == "done":
                exercises[step.exercise] += 1
            for area in targets.get(step.exercise, ()):
                areas[area] = areas.get(area, 0.0) + step.active_s
    current, best, habit = streaks(breaks_per_day, goal, today, day_off)
    return WeekStats(
        window=window,
        totals=totals(records),
        previous=totals(previous_records),
        longest_sitting_s=longest_sitting_s(records),
        longest_sittings=longest_sittings(records),
        hours=day_hours(window.days, records),
        routines_done=routines_done(records),
        previous_until=previous_until,
        days=[
            DayFigures(day, int(f[0]), f[1], f[2], day_off is not None and day_off(day))
            for day, f in sorted(by_day.items())
            if day in window
        ],
        exercises=dict(sorted(exercises.items(), key=lambda item: (-item[1], item[0]))),
        areas=areas,
        streak_days=current,
        best_streak_days=best,
        habit_days=habit,
        goal_breaks_per_day=goal,
        records=len(records),
    )
