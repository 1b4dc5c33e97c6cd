"""What every phase of a day shares: the settings, the session's id, how records are made, and
the transitions a phase can ask the session for."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from breakctl.core.day.events import BreakChoice, Chooser
from breakctl.core.day.held import HoldState
from breakctl.core.records import SCHEMA_VERSION, Kind, Outcome, Record
from breakctl.core.settings import StartSettings

# Wall time running ahead of monotonic time by more than this means the machine slept.
SUSPEND_THRESHOLD_S = 5.0


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class PresenceRules:
    """What the day does with keyboard/mouse idle time ([presence] in config.toml)."""

    away_after_s: float = 120.0  # idle this long: away, and the block stops counting
    reset_after_s: float = 1800.0  # away this long: the long-break count starts over
    absent_s: float = 30.0  # idle this long when a break comes due: its routine waits for you
    nag_after_s: float = 10.0  # input in a break this long: ask once to step away


@dataclass
class DayContext:
    settings: StartSettings
    choose: Chooser
    presence: PresenceRules | None = None  # None: presence off, the day knows only the clock
    session_id: str = field(default_factory=new_id)
    # Each break's routine is chosen when its work block starts, so the work screen can say
    # what is coming; keyed by cycle.
    upcoming: dict[int, BreakChoice] = field(default_factory=dict)
    # Cycles before a long absence: the long-break count starts over after it.
    long_break_base: int = 0
    # postpone_payback: seconds postponed, to be taken off the next work block.
    payback_s: float = 0.0
    # Holds (#21): None when off. `waited`: per cycle, how long its break waited past its due
    # time and for which sources; every record of that break carries it.
    held: HoldState | None = None
    waited: dict[int, tuple[float, tuple[str, ...]]] = field(default_factory=dict)

    def slept(self, gap_s: float, phase: str, cycle: int) -> None:
        """A sleep (suspend) during block or break `cycle`: as long as [presence]
        reset_after (its default when presence is off), it starts the long-break count
        over, as an absence that long does."""
        if phase not in ("work", "break"):
            return  # off hours and waiting: the next block's count is set when it starts
        if gap_s >= (self.presence or PresenceRules()).reset_after_s:
            self.long_break_base = max(self.long_break_base, cycle)

    def is_long_break(self, cycle: int) -> bool:
        counted = cycle - self.long_break_base
        return counted > 0 and self.settings.is_long_break(counted)

    def break_length(self, cycle: int) -> float:
        counted = cycle - self.long_break_base
        return self.settings.break_length(counted) if counted > 0 else self.settings.break_s

    def break_planned(self, cycle: int) -> float:
        """How long the break after block `cycle` will last: its length, or its routine's
        if that is longer (a longer routine grows the break to fit it)."""
        length = self.break_length(cycle)
        choice = self.upcoming.get(cycle)
        routine = choice.routine if choice is not None else None
        return max(length, routine.planned_s) if routine is not None else length

    def record(
        self,
        kind: Kind,
        record_id: str,
        cycle: int,
        started: datetime,
        ended: datetime,
        outcome: Outcome,
        **fields: Any,
    ) -> Record:
        if kind == "break" and cycle in self.waited:
            held_s, held_by = self.waited[cycle]
            fields = {"held_s": round(held_s, 3), "held_by": held_by, **fields}
        return Record(
            v=SCHEMA_VERSION,
            id=record_id,
            session=self.session_id,
            kind=kind,
            cycle=cycle,
            started=started,
            ended=ended,
            outcome=outcome,
            **fields,
        )

    def instant_break(self, cycle: int, wall: datetime, outcome: Outcome) -> Record:
        """A break that did not happen now (skipped) or not yet (postponed): 0 seconds."""
        return self.record(
            "break",
            new_id(),
            cycle,
            wall,
            wall,
            outcome,
            active_s=0.0,
            planned_s=self.break_length(cycle),
            steps=(),
        )

    def natural_break(
        self,
        cycle: int,
        started: datetime,
        ended: datetime,
        *,
        asleep_s: float = 0.0,
        away_s: float = 0.0,
        record_id: str | None = None,
    ) -> Record:
        """Asleep or away as long as a break: that was the break."""
        return self.record(
            "break",
            record_id or new_id(),
            cycle,
            started,
            ended,
            "completed",
            active_s=0.0,
            planned_s=self.break_length(cycle),
            routine=None,
            suspended_s=asleep_s,
            away_s=away_s,
            natural=True,
            steps=(),
        )


def wall_at(moment: float, now: float, wall: datetime) -> datetime:
    """The wall-clock time of monotonic `moment`, given that `now` is `wall`."""
    return wall - timedelta(seconds=now - moment)


# -- transitions a phase asks for -----------------------------------------------------------


@dataclass(frozen=True)
class WorkDone:
    """The block ended at `end` (monotonic) / `wall`; its record is already out."""

    cycle: int
    end: float
    wall: datetime
    skip_break: bool = False


@dataclass(frozen=True)
class BreakDone:
    cycle: int
    end: float
    wall: datetime


@dataclass(frozen=True)
class Proceed:
    """A wait is over: start the phase it held back."""

    phase: str  # "work" | "break"
    cycle: int


@dataclass(frozen=True)
class Quit:
    pass


Transition = WorkDone | BreakDone | Proceed | Quit
