"""The rules a day keeps besides its timers: the skip budget, postpones in a row, strict mode
and the daily limit of work. Counted from the records the day writes, on top of what today's
history already held when `start` began (so a restart resets nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from breakctl.core.actions import Action
from breakctl.core.durations import format_duration, plural
from breakctl.core.records import Record
from breakctl.core.settings import StartSettings


@dataclass(frozen=True)
class SoFar:
    """What today's history held when the day began: skips taken and active work."""

    day: date
    skips: int = 0
    work_s: float = 0.0

    @classmethod
    def of(cls, day: date, records: Iterable[Record]) -> SoFar:
        skips, work = 0, 0.0
        for record in records:
            if record.day != day:
                continue
            if record.kind == "break" and record.outcome == "skipped":
                skips += 1
            elif record.kind == "work":
                work += record.active_s
        return cls(day, skips, work)


def is_skip(record: Record) -> bool:
    return record.kind == "break" and record.outcome == "skipped"


@dataclass
class DayRules:
    settings: StartSettings
    so_far: SoFar | None = None
    skips: dict[date, int] = field(default_factory=dict)
    work_s: dict[date, float] = field(default_factory=dict)
    postponed: tuple[int | None, int] = (None, 0)  # (cycle, postpones in a row)
    limit_noticed: set[date] = field(default_factory=set)
    counted: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.so_far is not None:
            self.skips[self.so_far.day] = self.so_far.skips
            self.work_s[self.so_far.day] = self.so_far.work_s

    # -- counting ---------------------------------------------------------------------------
    def count(self, record: Record) -> None:
        if record.id in self.counted:
            return  # the session may show a record twice: once as soon as it is made
        self.counted.add(record.id)
        day = record.day
        if is_skip(record):
            self.skips[day] = self.skips.get(day, 0) + 1
        if record.kind == "work":
            self.work_s[day] = self.work_s.get(day, 0.0) + record.active_s
        if record.kind == "break":
            cycle, in_row = self.postponed
            if record.outcome == "postponed":
                self.postponed = (record.cycle, in_row + 1 if cycle == record.cycle else 1)
            else:
                self.postponed = (None, 0)

    # -- the skip budget --------------------------------------------------------------------
    def skips_left(self, day: date, pending: bool = False) -> int | None:
        """Skips still allowed on `day` (None: unlimited); `pending`: one is already asked
        for (the s key during work), not yet recorded."""
        limit = self.settings.skips_per_day
        if self.settings.strict:
            return 0
        if limit is None:
            return None
        return max(0, limit - self.skips.get(day, 0) - (1 if pending else 0))

    def refuse(
        self,
        action: Action,
        day: date,
        *,
        cycle: int,
        phase: str,
        pending_skip: bool,
        routine_running: bool,
    ) -> str | None:
        """Why `action` is not allowed now, or None when it is."""
        strict = self.settings.strict
        skipping = action is Action.SKIP or (action is Action.TOGGLE_SKIP and not pending_skip)
        if phase == "work" and action is Action.SKIP and pending_skip:
            return None  # already asked for: idempotent
        if phase in ("work", "break") and skipping:
            if strict:
                return "strict mode: no skipping"
            if self.skips_left(day) == 0:
                used = self.skips.get(day, 0)
                return f"no skips left today: {used} used"
        if phase == "break" and action is Action.NEXT and strict and not routine_running:
            return "strict mode: the break runs its full length"
        if phase == "work" and action is Action.POSTPONE:
            if strict:
                return "strict mode: no postponing"
            limit = self.settings.postpones_in_a_row
            last_cycle, in_row = self.postponed
            if limit is not None and last_cycle == cycle and in_row >= limit:
                return f"no more postponing: {plural(in_row, 'postpone')} in a row"
            if limit == 0:
                return "no postponing: [start] postpones_in_a_row = 0"
        return None

    # -- the daily limit --------------------------------------------------------------------
    def worked(self, day: date, in_progress_s: float = 0.0) -> float:
        return self.work_s.get(day, 0.0) + in_progress_s

    def limit_left(self, day: date, in_progress_s: float = 0.0) -> float | None:
        """Seconds of work left before the daily limit (None: no limit)."""
        limit = self.settings.work_per_day_s
        return None if limit is None else limit - self.worked(day, in_progress_s)

    def limit_stops(self, day: date) -> bool:
        """The limit was reached today and ends the day (no --ignore-limit)."""
        left = self.limit_left(day)
        return self.settings.stop_at_limit and left is not None and left <= 1e-6

    def limit_notice(self, day: date) -> str:
        limit = self.settings.work_per_day_s
        if limit is None or day not in self.limit_noticed:
            return ""
        return f"{format_duration(limit)} of work today: time to stop"
