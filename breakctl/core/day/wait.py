"""`--wait`: the next phase holds until a key (or `breakctl resume`) says go."""

from __future__ import annotations

from datetime import datetime

from breakctl.core.actions import Action
from breakctl.core.day.context import DayContext, Proceed, Quit
from breakctl.core.day.phase import NOTHING, Phase, Step
from breakctl.core.day.snapshot import SessionSnapshot


class WaitPhase(Phase):
    name = "wait"

    def __init__(self, context: DayContext, next_phase: str, cycle: int) -> None:
        super().__init__(context)
        self.next_phase = next_phase
        self.cycle = cycle

    def advance(self, now: float, wall: datetime) -> Step:
        return NOTHING

    def act(self, action: Action, now: float, wall: datetime) -> Step:
        if action is Action.QUIT:
            return [], Quit()
        if action in (Action.CONTINUE, Action.RESUME, Action.SKIP, Action.TOGGLE_PAUSE):
            return [], Proceed(self.next_phase, self.cycle)
        return NOTHING

    def snapshot(self, now: float, wall: datetime) -> SessionSnapshot:
        return SessionSnapshot(
            phase="wait", cycle=self.cycle, cycles=self.context.settings.cycles, paused=True
        )

    def next_wake(self, now: float) -> float | None:
        return None
