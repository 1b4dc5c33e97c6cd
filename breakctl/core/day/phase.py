"""The shape every phase of the day has: the session only sequences phases, and each phase
owns how it advances, reacts to an action, notices a suspend, snapshots and records itself."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from breakctl.core.actions import Action
from breakctl.core.day.context import DayContext, Transition
from breakctl.core.day.events import SessionEvent
from breakctl.core.day.snapshot import SessionSnapshot
from breakctl.core.records import Record

Step = tuple[list[SessionEvent], Transition | None]
NOTHING: Step = ([], None)


class Phase(ABC):
    name: str  # "work" | "break" | "wait": where key bindings apply
    cycle: int
    hushed_since: float | None = None  # a break: since when a hold keeps it quiet (#21)

    def __init__(self, context: DayContext) -> None:
        self.context = context

    @abstractmethod
    def advance(self, now: float, wall: datetime) -> Step:
        """Finish what is due by `now`."""

    @abstractmethod
    def act(self, action: Action, now: float, wall: datetime) -> Step:
        """A person's action (a key, or a command from another terminal)."""

    @abstractmethod
    def snapshot(self, now: float, wall: datetime) -> SessionSnapshot: ...

    @abstractmethod
    def next_wake(self, now: float) -> float | None:
        """When something visible changes next; None when nothing changes by itself."""

    def holds_read(self, now: float, wall: datetime) -> Step:
        """A holds reading (#21) came; the day's HoldState (context.held) has it."""
        return NOTHING

    def sensed(self, idle_s: float, now: float, wall: datetime) -> Step:
        """A presence reading: the person last used keyboard or mouse `idle_s` ago."""
        return NOTHING

    def presence_lost(self, now: float, wall: datetime) -> Step:
        """The presence source stopped answering at `now`: nothing may wait for an input it
        can no longer see; until it answers again, the phase runs by the clock alone."""
        return NOTHING

    def break_elsewhere(self, host: str, started: datetime, now: float, wall: datetime) -> Step:
        """Another machine's break, begun at `started` (its wall clock), reached this day."""
        return NOTHING

    @property
    def polls_often(self) -> bool:
        """Whether presence is read every second now, not every few seconds: in a break, where
        each second of input counts (and in a block whose break waits for a typing pause)."""
        return self.name == "break"

    @property
    def holds_for_person(self) -> bool:
        """Waiting for the person to come back before it starts (a key only wakes it)."""
        return False

    def key_pressed(self, now: float) -> None:
        """A key in breakctl's own terminal (not counted as using the computer in a break)."""
        return None

    def suspended(self, gap: float, now: float, wall: datetime) -> Step:
        """The machine slept `gap` seconds, up to `now`."""
        return NOTHING

    def cut(self, end: float, wall_end: datetime) -> Step:
        """The day stops at `end` (--until, the end of working hours): finish there, as done."""
        return NOTHING

    def in_progress(self, now: float, wall: datetime) -> Record | None:
        """The block under way as it would be recorded if it were cut short now."""
        return None

    def interrupt(self, now: float, wall: datetime) -> list[SessionEvent]:
        """Cut short (q, Ctrl-C, a signal): the records of what was under way."""
        return []
