"""The day of `breakctl start`: a session sequencing work, break and wait phases (pure)."""

from breakctl.core.day.events import (
    BreakChoice,
    BreakPostponed,
    BreakStarted,
    Chooser,
    FreeMovementStarted,
    HeadsUp,
    NextBreakSkipped,
    PhasePaused,
    PhaseResumed,
    Recorded,
    RoutineEvent,
    SessionEnded,
    SessionEvent,
    StandUp,
    Suspended,
    Waiting,
    WorkStarted,
)
from breakctl.core.day.session import Session
from breakctl.core.day.snapshot import SessionSnapshot

__all__ = [
    "BreakChoice", "BreakPostponed", "BreakStarted", "Chooser", "FreeMovementStarted",
    "HeadsUp", "NextBreakSkipped", "PhasePaused", "PhaseResumed", "Recorded", "RoutineEvent",
    "Session", "SessionEnded", "SessionEvent", "SessionSnapshot", "StandUp", "Suspended",
    "Waiting", "WorkStarted",
]  # fmt: skip
