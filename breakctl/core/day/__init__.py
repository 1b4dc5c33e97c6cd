"""The day of `breakctl start`: a session sequencing work, break and wait phases (pure)."""

from breakctl.core.day.events import (
    BreakChoice,
    BreakPostponed,
    BreakStarted,
    Chooser,
    FreeMovementStarted,
    HeadsUp,
    LimitReached,
    NextBreakSkipped,
    OffHours,
    PausedUntil,
    PauseOver,
    PhasePaused,
    PhaseResumed,
    Recorded,
    Refused,
    RoutineEvent,
    SessionEnded,
    SessionEvent,
    StandUp,
    Suspended,
    Waiting,
    WorkHoursBegin,
    WorkStarted,
)
from breakctl.core.day.session import Session
from breakctl.core.day.snapshot import SessionSnapshot

__all__ = [
    "BreakChoice", "BreakPostponed", "BreakStarted", "Chooser", "FreeMovementStarted",
    "HeadsUp", "LimitReached", "NextBreakSkipped", "OffHours", "PauseOver", "PausedUntil",
    "PhasePaused", "PhaseResumed", "Recorded", "Refused", "RoutineEvent", "Session",
    "SessionEnded", "SessionEvent", "SessionSnapshot", "StandUp", "Suspended", "Waiting",
    "WorkHoursBegin", "WorkStarted",
]  # fmt: skip
