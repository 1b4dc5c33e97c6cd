"""What the day's engine reports: each change a screen, a notification or a hook may care
about, and each finished block as a `Recorded` history record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from breakctl.core.model import Routine
from breakctl.core.records import Record
from breakctl.core.routine_run import Event


@dataclass(frozen=True)
class BreakChoice:
    routine: Routine | None
    reason: str = ""  # one line on why this routine, shown on the break screen


Chooser = Callable[[int, float, bool], BreakChoice]


# -- events -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkStarted:
    cycle: int
    planned_s: float


@dataclass(frozen=True)
class NudgeDue:
    """A nudge of [start] nudges inside a work block ("shoulders down, jaw loose")."""

    say: str


@dataclass(frozen=True)
class SkipAsked:
    """The skip key, with [start] skip_confirm: it asks first. `word` is the word to type
    (skip_confirm = "word"), None when a second `s` confirms; the question stands for
    `seconds`."""

    word: str | None
    seconds: float


@dataclass(frozen=True)
class SkipKept:
    """The skip was not confirmed (another key, or no answer in time): nothing is skipped."""

    why: str  # "other key" | "timeout"


@dataclass(frozen=True)
class Typed:
    """A letter of the word a skip asks for, and everything typed so far."""

    so_far: str


@dataclass(frozen=True)
class BreakDeferred:
    """[start] start_on_pause: the break is due, and waits up to `seconds` for a pause in
    the person's typing."""

    seconds: float


@dataclass(frozen=True)
class HeadsUp:
    seconds_left: float


@dataclass(frozen=True)
class BreakStarted:
    cycle: int
    planned_s: float
    routine: Routine | None
    reason: str
    extended: bool  # the routine is longer than the break, which grows to fit it
    long: bool


@dataclass(frozen=True)
class FreeMovementStarted:
    seconds: float


@dataclass(frozen=True)
class RoutineEvent:
    """A routine event (segment started, step skipped...) from the break's routine."""

    event: Event


@dataclass(frozen=True)
class PhasePaused:
    pass


@dataclass(frozen=True)
class PhaseResumed:
    paused_s: float


@dataclass(frozen=True)
class NextBreakSkipped:
    pass


@dataclass(frozen=True)
class BreakPostponed:
    seconds: float


@dataclass(frozen=True)
class Suspended:
    seconds: float
    natural_break: bool  # long enough to count as the break itself


@dataclass(frozen=True)
class AwayStarted:
    """Idle past `away_after`: the block stopped counting at the last input."""

    idle_s: float


@dataclass(frozen=True)
class WelcomeBack:
    away_s: float
    natural_break: bool  # away as long as a break: it counted as the break


@dataclass(frozen=True)
class BreakElsewhere:
    """A break taken on another machine (`host`) during this block counts here too: the block
    ends, no break rings here, and the next block starts (the break is that machine's record)."""

    host: str


@dataclass(frozen=True)
class WaitingForYou:
    """A break came due while nobody was at the keyboard: its routine waits for input."""


@dataclass(frozen=True)
class StepAway:
    """Keyboard and mouse are in use during the break: asked once to step away."""


# -- holds (#21): a call, a camera, a meeting defers the break; it never counts as one -----


@dataclass(frozen=True)
class BreakHeld:
    """The break came due while something holds (`held_by`: "microphone: zoom"...): it
    waits, with no alert, and the block counts on."""

    held_by: tuple[str, ...]


@dataclass(frozen=True)
class HoldsEnded:
    """What held the waiting break let go: the break comes in `grace_s`."""

    grace_s: float


@dataclass(frozen=True)
class HoldStuck:
    """One source has held for `held_s` ([holds] max): breaks come again despite it."""

    source: str
    held_s: float


@dataclass(frozen=True)
class BreakEarly:
    """A calendar's notice: the break comes now, before the busy event `title` at `starts`."""

    title: str
    starts: datetime


@dataclass(frozen=True)
class BreakHushed:
    """A hold began during the break: its chimes and cues go quiet (`held_by` says why)."""

    held_by: tuple[str, ...]


@dataclass(frozen=True)
class BreakUnhushed:
    """The hold during the break ended within a minute: the break goes on aloud."""


@dataclass(frozen=True)
class BreakYielded:
    """A hold during the break lasted over a minute: the break ended `interrupted`."""

    held_by: tuple[str, ...]


@dataclass(frozen=True)
class Waiting:
    next_phase: str  # "work" | "break"
    cycle: int


@dataclass(frozen=True)
class Recorded:
    record: Record


@dataclass(frozen=True)
class SessionEnded:
    reason: str  # "cycles" | "until" | "quit" | "limit"


# -- the day's shape: working hours, timed pauses, the skip budget, the daily limit -----------


@dataclass(frozen=True)
class OffHours:
    """Outside working hours: nothing counts until `resumes_at` (None: no working hours).
    `limit`: the daily limit ended today's work in a day that runs for days (until midnight)."""

    resumes_at: datetime | None
    limit: bool = False


@dataclass(frozen=True)
class WorkHoursBegin:
    """Working hours begin: the first block starts now."""


@dataclass(frozen=True)
class PausedUntil:
    """A timed pause: it resumes by itself at `until`."""

    until: datetime


@dataclass(frozen=True)
class PauseOver:
    """A timed pause resumed by itself."""


@dataclass(frozen=True)
class Refused:
    """A skip or postpone (or anything else) the rules did not allow; nothing changed."""

    reason: str


@dataclass(frozen=True)
class LimitReached:
    """Today's active work reached [goals] work_per_day."""

    limit_s: float
    ends_day: bool  # False with --ignore-limit
    today_only: bool = False  # a day that runs for days: work goes on after midnight

    @property
    def then(self) -> str:
        """What follows, for the screen and the notification."""
        if not self.ends_day:
            return "going on (--ignore-limit)"
        return "this block is the last today" if self.today_only else "this block is the last"


SessionEvent = (
    WorkStarted
    | HeadsUp
    | BreakStarted
    | FreeMovementStarted
    | RoutineEvent
    | NudgeDue
    | SkipAsked
    | SkipKept
    | Typed
    | BreakDeferred
    | PhasePaused
    | PhaseResumed
    | NextBreakSkipped
    | BreakPostponed
    | Suspended
    | Waiting
    | Recorded
    | SessionEnded
    | AwayStarted
    | WelcomeBack
    | BreakElsewhere
    | WaitingForYou
    | StepAway
    | OffHours
    | WorkHoursBegin
    | PausedUntil
    | PauseOver
    | Refused
    | LimitReached
    | BreakHeld
    | HoldsEnded
    | HoldStuck
    | BreakEarly
    | BreakHushed
    | BreakUnhushed
    | BreakYielded
)
