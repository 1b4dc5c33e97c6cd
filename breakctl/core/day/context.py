"""What every phase of a day shares: the settings, the session's id, how records are made, and
the transitions a phase can ask the session for."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from breakctl.core.day.events import BreakChoice, Chooser
from breakctl.core.records import SCHEMA_VERSION, Kind, Outcome, Record
from breakctl.core.settings import StartSettings

# Wall time running ahead of monotonic time by more than this means the machine slept.
SUSPEND_THRESHOLD_S = 5.0


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass
class DayContext:
    settings: StartSettings
    choose: Chooser
    session_id: str = field(default_factory=new_id)
    # Each break's routine is chosen when its work block starts, so the work screen can say
    # what is coming; keyed by cycle.
    upcoming: dict[int, BreakChoice] = field(default_factory=dict)

    def record(
        self, kind: Kind, record_id: str, cycle: int, started: datetime, ended: datetime,
        outcome: Outcome, **fields: Any,
    ) -> Record:  # fmt: skip
        return Record(v=SCHEMA_VERSION, id=record_id, session=self.session_id, kind=kind,
                      cycle=cycle, started=started, ended=ended, outcome=outcome,
                      **fields)  # fmt: skip

    def instant_break(self, cycle: int, wall: datetime, outcome: Outcome) -> Record:
        """A break that did not happen now (skipped) or not yet (postponed): 0 seconds."""
        return self.record("break", new_id(), cycle, wall, wall, outcome, active_s=0.0,
                           planned_s=self.settings.break_length(cycle), steps=())  # fmt: skip

    def natural_break(self, cycle: int, started: datetime, ended: datetime, gap: float) -> Record:
        """Away (asleep) as long as a break: that was the break."""
        return self.record("break", new_id(), cycle, started, ended, "completed", active_s=0.0,
                           planned_s=self.settings.break_length(cycle), suspended_s=gap,
                           natural=True, steps=())  # fmt: skip


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
