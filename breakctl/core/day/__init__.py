"""The day of `breakctl start`: a session sequencing work, break and wait phases (pure)."""

from breakctl.core.day.context import PresenceRules
from breakctl.core.day.events import (
    AwayStarted,
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
    StepAway,
    Suspended,
    Waiting,
    WaitingForYou,
    WelcomeBack,
    WorkHoursBegin,
    WorkStarted,
)
from breakctl.core.day.session import Session
from breakctl.core.day.snapshot import SessionSnapshot

__all__ = [
    "AwayStarted", "BreakChoice", "BreakPostponed", "BreakStarted", "Chooser",
    "FreeMovementStarted", "HeadsUp", "LimitReached", "NextBreakSkipped", "OffHours",
    "PauseOver", "PausedUntil", "PhasePaused", "PhaseResumed", "PresenceRules", "Recorded",
    "Refused", "RoutineEvent", "Session", "SessionEnded", "SessionEvent", "SessionSnapshot",
    "StandUp", "StepAway", "Suspended", "Waiting", "WaitingForYou", "WelcomeBack",
    "WorkHoursBegin", "WorkStarted",
]  # fmt: skip
