"""The day's shape around the phases of a session: where a stretch of work stops (`--until`,
the end of working hours), off hours, a timed pause, and the rules' counts, refusals and limit.

Pure like the session that holds it: every call gets `now` (monotonic seconds) and `wall`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from breakctl.core.actions import Action
from breakctl.core.day.context import DayContext
from breakctl.core.day.events import (
    LimitReached,
    OffHours,
    PausedUntil,
    PauseOver,
    Recorded,
    Refused,
    SessionEvent,
)
from breakctl.core.day.off import OffPhase
from breakctl.core.day.phase import Phase, Step
from breakctl.core.day.rules import DayRules
from breakctl.core.day.snapshot import SessionSnapshot
from breakctl.core.schedule import seconds_between
from breakctl.core.settings import StartSettings

EDGE_SLACK_S = 0.01  # a block that ends this close to --until or working hours' end ends there


class DayShape:
    def __init__(self, context: DayContext, rules: DayRules) -> None:
        self.context = context
        self.rules = rules
        # Where the stretch of work under way stops: (moment, "until" | "off").
        self.edge: tuple[datetime, str] | None = None
        self.pause: tuple[Phase, datetime] | None = None  # a timed pause: phase, until
        self.block_day: date | None = None  # the day the last work block started

    @property
    def settings(self) -> StartSettings:
        return self.context.settings

    # -- working hours and --until ----------------------------------------------------------
    def day_edge(self, wall: datetime) -> tuple[datetime, str] | None:
        """Where the day stops next: --until today, or the end of this stretch of work."""
        edges = []
        if self.settings.until is not None:
            edges.append((datetime.combine(wall.date(), self.settings.until, wall.tzinfo), "until"))
        schedule = self.settings.schedule
        end = schedule.range_end(wall) if schedule is not None else None
        if end is not None:
            edges.append((end, "off"))
        return min(edges, key=lambda edge: seconds_between(wall, edge[0]), default=None)

    def edge_reached(self, wall: datetime) -> str | None:
        if self.edge is None or seconds_between(wall, self.edge[0]) > EDGE_SLACK_S:
            return None
        return self.edge[1]

    def cut_at_edge(self, phase: Phase | None, now: float, wall: datetime) -> Step | None:
        """A block or break still running at the edge (a pause pushed it on, or a break began
        just before) ends at the edge itself."""
        if phase is None or phase.name not in ("work", "break") or self.edge is None:
            return None
        late = seconds_between(self.edge[0], wall)
        if late < 0:
            return None
        return phase.cut(now - late, self.edge[0])

    def off_hours(
        self, cycle: int, now: float, wall: datetime
    ) -> tuple[OffPhase, list[SessionEvent]] | None:
        """Outside working hours (or, in a day that runs for days, past the daily limit): the
        phase that waits for them, and what to tell."""
        if self.settings.across_days and self.rules.limit_stops(wall.date()):
            return self.off_for_limit(now, wall)
        schedule = self.settings.schedule
        if schedule is None or schedule.is_working(wall):
            return None
        resumes = schedule.next_start(wall)
        if resumes is not None and schedule.gap_before(resumes) >= self.settings.break_s:
            cycle = 1  # lunch, or the night, was a break: the count of blocks starts over
            self.context.upcoming.clear()
        self.edge = None
        return OffPhase(self.context, cycle, resumes, now, wall), [OffHours(resumes)]

    def day_cycle(self, cycle: int, wall: datetime) -> int:
        """The number of the block starting at `wall`. Across days (without --cycles) the
        first block after local midnight is block 1 again, the long-break count with it: the
        number counts the day's blocks."""
        day, self.block_day = self.block_day, wall.date()
        settings = self.settings
        if not settings.across_days or settings.cycles is not None or day in (None, wall.date()):
            return cycle
        self.context.long_break_base = 0
        self.context.upcoming.clear()  # chosen for yesterday's numbers
        return 1

    def off_for_limit(self, now: float, wall: datetime) -> tuple[OffPhase, list[SessionEvent]]:
        """The daily limit reached in a day that runs for days: off until local midnight,
        when the next day's count begins (its working hours, if any, shape it from there)."""
        midnight = datetime.combine(wall.date() + timedelta(days=1), time(0), wall.tzinfo)
        self.context.upcoming.clear()
        self.edge = None
        phase = OffPhase(self.context, 1, midnight, now, wall, limit=True)
        return phase, [OffHours(midnight, limit=True)]

    # -- timed pauses -----------------------------------------------------------------------
    def timed_pause(
        self, phase: Phase, action: Action, until: datetime | None, now: float, wall: datetime
    ) -> list[SessionEvent]:
        """After a pause or resume: remember when a timed pause ends (an open one has no end)."""
        paused = phase.snapshot(now, wall).paused and phase.name in ("work", "break")
        if not paused:
            self.pause = None
            return []
        if action is Action.PAUSE:
            self.pause = (phase, until) if until is not None else None
            return [PausedUntil(until)] if until is not None else []
        return []

    def pause_over(self, current: Phase | None, now: float, wall: datetime) -> list[SessionEvent]:
        """A timed pause resumes by itself, at its end (not when that is noticed)."""
        if self.pause is None:
            return []
        phase, until = self.pause
        if phase is not current:
            self.pause = None
            return []
        late = seconds_between(until, wall)
        if late < 0:
            return []
        self.pause = None
        step, _ = phase.act(Action.RESUME, now - late, until)
        return [PauseOver(), *step]

    def moments(self) -> list[datetime]:
        """The wall-clock moments that change what is shown: a timed pause's end, the edge."""
        moments = [self.pause[1] if self.pause else None, self.edge[0] if self.edge else None]
        return [moment for moment in moments if moment]

    # -- the rules: refusals, counts, the daily limit ---------------------------------------
    def refused(
        self, phase: Phase | None, action: Action, now: float, wall: datetime
    ) -> Refused | None:
        if phase is None:
            return None
        snapshot = phase.snapshot(now, wall)
        reason = self.rules.refuse(
            action,
            wall.date(),
            cycle=phase.cycle,
            phase=phase.name,
            pending_skip=snapshot.phase == "work" and snapshot.skip_next_break,
            routine_running=snapshot.routine is not None,
        )
        return Refused(reason) if reason else None

    def limit_left(self, phase: Phase | None, now: float, wall: datetime) -> float | None:
        record = phase.in_progress(now, wall) if phase is not None else None
        under_way = record.active_s if record is not None and record.kind == "work" else 0.0
        return self.rules.limit_left(wall.date(), under_way)

    def check_limit(self, phase: Phase | None, now: float, wall: datetime) -> list[SessionEvent]:
        """Once a day, when today's work reaches [goals] work_per_day."""
        day = wall.date()
        left = self.limit_left(phase, now, wall)
        if left is None or left > 1e-6 or day in self.rules.limit_noticed:
            return []
        self.rules.limit_noticed.add(day)
        limit = self.settings.work_per_day_s or 0.0
        return [LimitReached(limit, self.settings.stop_at_limit, self.settings.across_days)]

    def counted(self, events: list[SessionEvent]) -> list[SessionEvent]:
        for event in events:
            if isinstance(event, Recorded):
                self.rules.count(event.record)
        return events

    def dressed(self, snapshot: SessionSnapshot, wall: datetime) -> SessionSnapshot:
        """A phase's snapshot with what the day adds: a timed pause's end, the skips left,
        the daily limit's notice, and whether a hold keeps chimes and cues quiet (#21)."""
        pending = snapshot.phase == "work" and snapshot.skip_next_break
        timed = self.pause[1] if self.pause and snapshot.paused else None
        resumes_at = snapshot.resumes_at or timed
        held = self.context.held
        return replace(
            snapshot,
            hushed=held is not None and held.holding,
            resumes_at=resumes_at,
            resumes_in_s=max(0.0, seconds_between(wall, resumes_at)) if resumes_at else None,
            skips_left=self.rules.skips_left(wall.date(), pending),
            notice=self.rules.limit_notice(wall.date()),
        )

    def skips_left(self, day: date) -> int | None:
        return self.rules.skips_left(day)
