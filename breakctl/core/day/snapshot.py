"""What the screen and the state file need of the day at one instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from breakctl.core.routine_run import Snapshot


@dataclass(frozen=True, kw_only=True)
class SessionSnapshot:
    phase: str  # "work" | "break" | "wait" | "off" | "done"
    cycle: int
    cycles: int | None
    paused: bool
    remaining_s: float = 0.0  # of the phase
    planned_s: float = 0.0
    elapsed_s: float = 0.0
    ends_at: datetime | None = None  # None while paused or waiting
    next_break_routine: str | None = None  # name of the routine the coming break will use
    next_break_title: str | None = None
    skip_next_break: bool = False
    heads_up: bool = False
    # The last block before --until ("until") or the end of working hours ("off"): no break
    # follows it, and the screen says when the day ends instead.
    day_ends_at: datetime | None = None
    day_ends: str = ""
    routine: Snapshot | None = None
    free_s: float | None = None  # free movement left, once the routine is over
    seated: bool = False  # a break whose routine is done wholly in the chair
    reason: str = ""
    extended: bool = False
    away_s: float | None = None  # away from keyboard and mouse this long (presence)
    waiting_for_you: bool = False  # a break whose routine waits for the person to come back
    # When counting starts again by itself: the end of a timed pause, or (phase "off") the
    # start of working hours. None for an open pause.
    resumes_at: datetime | None = None
    resumes_in_s: float | None = None  # seconds until resumes_at
    skips_left: int | None = None  # None: unlimited
    # Holds (#21): the break came due `held_s` ago and waits (None: not held); `held_by`
    # says what holds it ("microphone: zoom"); `hushed`: chimes and cues are quiet (a hold).
    held_s: float | None = None
    held_by: tuple[str, ...] = ()
    hushed: bool = False
    notice: str = ""  # a standing line for the screen, e.g. the daily limit reached
