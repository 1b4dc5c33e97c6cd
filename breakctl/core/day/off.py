"""Outside working hours: nothing counts and nothing is recorded until the next range starts."""

from __future__ import annotations

from datetime import datetime

from breakctl.core.actions import Action
from breakctl.core.clockface import until_next_tick
from breakctl.core.day.context import DayContext, Proceed, Quit
from breakctl.core.day.events import Refused, WorkHoursBegin
from breakctl.core.day.phase import NOTHING, Phase, Step
from breakctl.core.day.snapshot import SessionSnapshot
from breakctl.core.schedule import seconds_between


def off_until(moment: datetime | None) -> str:
    """'off until Tue 09:00' (or 'off: no working hours in [schedule]')."""
    if moment is None:
        return "off: no working hours in [schedule]"
    return f"off until {moment:%a %H:%M}"


class OffPhase(Phase):
    name = "off"

    def __init__(
        self,
        context: DayContext,
        cycle: int,
        resumes_at: datetime | None,
        now: float,
        wall: datetime,
        *,
        limit: bool = False,
    ) -> None:
        super().__init__(context)
        self.cycle = cycle  # the block that starts when working hours begin
        self.resumes_at = resumes_at
        self.limit = limit  # off for the daily limit until midnight: no "working hours" alert
        self._deadline = None if resumes_at is None else now + seconds_between(wall, resumes_at)

    def advance(self, now: float, wall: datetime) -> Step:
        # The wall clock decides (a machine asleep all night wakes up in working hours).
        if self.resumes_at is not None and seconds_between(self.resumes_at, wall) >= 0:
            return ([] if self.limit else [WorkHoursBegin()]), Proceed("work", self.cycle)
        return NOTHING

    def act(self, action: Action, now: float, wall: datetime) -> Step:
        if action is Action.QUIT:
            return [], Quit()
        return [Refused(f"{off_until(self.resumes_at)}: nothing to {action.value}")], None

    def snapshot(self, now: float, wall: datetime) -> SessionSnapshot:
        remaining = 0.0
        if self.resumes_at is not None:
            remaining = max(0.0, seconds_between(wall, self.resumes_at))
        return SessionSnapshot(
            phase="off",
            cycle=self.cycle,
            cycles=self.context.settings.cycles,
            paused=False,
            remaining_s=remaining,
            planned_s=remaining,
            ends_at=self.resumes_at,
            resumes_at=self.resumes_at,
        )

    def next_wake(self, now: float) -> float | None:
        if self._deadline is None:
            return None
        left = self._deadline - now
        return max(now, min(self._deadline, now + until_next_tick(left)))
