"""What each event of the day does outside the engine: the state file's document, alerts,
hooks, the tmux pane brought forward, and the lines for the screen's message line (a refusal,
presence). `effects_of` names every event once, so mypy fails on an event left out."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, assert_never

from breakctl.core.actions import heads_up_keys
from breakctl.core.day import Session, SessionSnapshot
from breakctl.core.day.bring import should_bring
from breakctl.core.day.events import (
    AwayStarted,
    BreakDeferred,
    BreakElsewhere,
    BreakPostponed,
    BreakStarted,
    FreeMovementStarted,
    HeadsUp,
    LimitReached,
    NextBreakSkipped,
    NudgeDue,
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
    SkipAsked,
    SkipKept,
    StepAway,
    Suspended,
    Typed,
    Waiting,
    WaitingForYou,
    WelcomeBack,
    WorkHoursBegin,
    WorkStarted,
)
from breakctl.core.day.held_lines import HOLD_EVENTS, hold_line
from breakctl.core.day.off import off_until
from breakctl.core.durations import format_duration, plural
from breakctl.core.presets import HEADS_UP_S
from breakctl.core.record_codec import to_dict
from breakctl.core.records import Record
from breakctl.host.session.ports import SessionHost
from breakctl.store.state import STATE_VERSION


def state_document(
    session: Session, snapshot: SessionSnapshot, record: Record | None,
    wall: datetime, breaks_today: int, pending: Sequence[Record] = (), *,
    presence: str = "off",
) -> dict[str, Any]:  # fmt: skip
    """current.json: what `breakctl status` shows and what recovery records. `pending` are
    records finished but not yet known to be in history (recovery appends the missing ones)."""
    routine = snapshot.routine
    step = routine.segment.step_index + 1 if routine and routine.segment else None
    ends_at = snapshot.ends_at
    resumes_at = snapshot.resumes_at
    epoch = wall.timestamp()
    return {
        "v": STATE_VERSION,
        "pid": os.getpid(),
        "session": session.session_id,
        "phase": _phase(snapshot),
        "paused": snapshot.paused,
        "cycle": snapshot.cycle,
        "cycles": snapshot.cycles,
        "routine": (record.routine if record else None) or snapshot.next_break_routine,
        "away_s": None if snapshot.away_s is None else round(snapshot.away_s, 3),
        "step": step,
        "steps": len(routine.routine.steps) if routine else None,
        "remaining_s": round(snapshot.remaining_s, 3),
        "planned_s": round(snapshot.planned_s, 3),
        "ends_at": ends_at.isoformat(timespec="seconds") if ends_at else None,
        # Epoch seconds let `status` do its arithmetic without importing datetime.
        "ends_at_epoch": round(epoch + snapshot.remaining_s, 3) if ends_at else None,
        # A timed pause's end, or (phase "off") the start of working hours; None for an open
        # pause. Epoch seconds again for `status`.
        "resumes_at": resumes_at.isoformat(timespec="seconds") if resumes_at else None,
        "resumes_at_epoch": round(resumes_at.timestamp(), 3) if resumes_at else None,
        "skips_left": snapshot.skips_left,
        # Holds (#21): the break is due and waits this long, for these reasons.
        "held_s": None if snapshot.held_s is None else round(snapshot.held_s, 3),
        "held_by": list(snapshot.held_by) if snapshot.held_s is not None else None,
        "presence": presence,  # "ok", "retrying" (a source failed; retried) or "off"
        "notice": snapshot.notice or None,
        "heartbeat": wall.isoformat(timespec="milliseconds"),
        "heartbeat_epoch": round(epoch, 3),
        "today": {"date": wall.date().isoformat(), "breaks": breaks_today},
        "record": to_dict(record) if record else None,
        "pending": [to_dict(r) for r in pending],
    }


def _phase(snapshot: SessionSnapshot) -> str:
    if snapshot.away_s is not None:
        return "away"
    return "held" if snapshot.held_s is not None else snapshot.phase


@dataclass
class BreaksToday:
    """Completed breaks today, for status bars; starts over when the date changes."""

    day: date
    breaks: int

    def count(self, record: Record, wall: datetime) -> None:
        self.on(wall.date())
        if record.completed_break and record.day == self.day:  # a break counts on its start day
            self.breaks += 1

    def on(self, day: date) -> int:
        """The count for `day`: a day that runs past midnight starts it over at 0."""
        if day != self.day:
            self.day, self.breaks = day, 0
        return self.breaks


@dataclass(frozen=True)
class Effects:
    """What one event does outside the engine and the screen."""

    alert: tuple[str, str] | None = None  # a notification: title, body
    hook: str | None = None  # the [hooks] entry it runs (a Recorded one passes its record)
    message: str | None = None  # for the screen's message line
    listed: bool = True  # False: a passing prompt, left out of the messages listed at the end
    focus: bool = False  # bring the tmux pane forward
    begins_break: bool = False  # the break may begin before the person here: bring it
    ends_break: bool = False  # what bringing the break started stops


NOTHING = Effects()
BEGINS_BREAK = Effects(begins_break=True)
AWAY = "away: the block stopped counting when you left the keyboard"
WAITING_FOR_YOU = "the break waits for you: it starts at your next key or mouse move"
STEP_AWAY = "you are still at the computer: step away for the rest of the break"


def effects_of(event: SessionEvent) -> Effects:
    """Every event's effects, each event named once: mypy fails here on an event not handled."""
    if isinstance(event, HOLD_EVENTS):  # a line; no alert, focus or hook: quiet (#21)
        return Effects(message=hold_line(event))
    match event:
        case WorkStarted():
            return Effects(hook="on_work_start")
        case BreakStarted():
            what = event.routine.title if event.routine else None
            alert = break_alert(what, event.planned_s)
            return Effects(alert, "on_break_start", focus=True, begins_break=True)
        case HeadsUp():
            title = f"Break in {plural(round(HEADS_UP_S), 'second')}"
            return Effects((title, f"Finish your sentence; {heads_up_keys()}."))
        case Waiting():
            return Effects(("breakctl", f"Press a key to start the {event.next_phase}."))
        case PauseOver():
            return Effects(("Pause over", "The timer runs again."))
        case WorkHoursBegin():
            return Effects(("Working hours", "The first block starts now."))
        case OffHours():
            return Effects(_off_alert(event))
        case LimitReached():
            return Effects(_limit_reached(event))
        case Recorded():
            return Effects(hook=_hook_for(event.record), ends_break=event.record.kind == "break")
        case SessionEnded():
            return Effects(hook="on_session_end")
        case Refused():
            return Effects(message=event.reason)
        case AwayStarted():
            return Effects(message=AWAY)
        case WelcomeBack() | BreakElsewhere():  # a break elsewhere brings none here
            here = isinstance(event, WelcomeBack)
            return Effects(message=_welcome_back(event), begins_break=here)
        case WaitingForYou():
            return Effects(message=WAITING_FOR_YOU)
        case StepAway():
            return Effects(message=STEP_AWAY)
        case NudgeDue():
            return Effects(message=event.say)
        case SkipAsked() | Typed() | SkipKept():  # the question passes; its answer is listed
            return Effects(message=skip_question(event), listed=isinstance(event, SkipKept))
        case BreakDeferred():
            wait = format_duration(event.seconds)
            return Effects(message=f"break due: it starts at your next pause in typing (at "
                                   f"most {wait})")  # fmt: skip
        case FreeMovementStarted() | RoutineEvent():  # also how a break waiting for you begins
            return BEGINS_BREAK
        case (
            PhasePaused()
            | PhaseResumed()
            | NextBreakSkipped()
            | BreakPostponed()
            | Suspended()
            | PausedUntil()
        ):
            return NOTHING
        case _:
            assert_never(event)


def break_alert(routine_title: str | None, planned_s: float) -> tuple[str, str]:
    """The notification of a break: title, body."""
    return "Time to move", f"{routine_title or 'free movement'}: {round(planned_s / 60, 1):g} min"


def _off_alert(event: OffHours) -> tuple[str, str] | None:
    """Working hours over; none for the daily limit (across days): LimitReached told it."""
    return None if event.limit else ("Working hours are over", off_until(event.resumes_at))


def skip_question(event: SkipAsked | Typed | SkipKept) -> str:
    """skip_confirm's lines: the question, the word typed so far, the break kept."""
    if isinstance(event, SkipAsked) and event.word:
        return f"to skip, type {event.word} (within {event.seconds:g} s); any other key keeps it"
    if isinstance(event, SkipAsked):
        return f"to skip, press s again within {event.seconds:g} s; any other key keeps it"
    if isinstance(event, Typed):
        return f"to skip, type the word: {event.so_far}"
    return "not skipped" + (": no answer in time" if event.why == "timeout" else "")


def _limit_reached(event: LimitReached) -> tuple[str, str]:
    return f"{format_duration(event.limit_s)} of work today", f"Time to stop: {event.then}."


def _hook_for(record: Record) -> str | None:
    if record.kind == "work":
        return "on_work_end"
    if record.outcome == "skipped":
        return "on_skip"
    return None if record.outcome == "postponed" else "on_break_end"


def _welcome_back(event: WelcomeBack | BreakElsewhere) -> str:
    if isinstance(event, BreakElsewhere):  # back from a break taken at another machine
        return f"welcome back: your break on {event.host} counted here too; a new block starts"
    away = event.away_s
    spent = f"{round(away / 60)} min" if away >= 60 else f"{round(away)} s"
    if event.natural_break:
        return f"welcome back: {spent} away counted as your break"
    return f"welcome back: {spent} away left out of the block"


def side_effects(event: SessionEvent, snapshot: SessionSnapshot, host: SessionHost) -> None:
    """The event's alert, the break brought to the person (a tmux pane brought forward, or,
    with no screen attached, [start] bring_break), and its hook."""
    effects = effects_of(event)
    alert_sent = effects.begins_break and should_bring(snapshot) and _bring(snapshot, host)
    if effects.alert is not None and not alert_sent:
        host.alert(*effects.alert)
    if effects.focus:
        host.focus_break()
    if effects.ends_break:
        host.break_over()
    if effects.hook is not None:
        host.fire_hook(
            effects.hook, snapshot, event.record if isinstance(event, Recorded) else None
        )


def _bring(snapshot: SessionSnapshot, host: SessionHost) -> bool:
    run = snapshot.routine
    title, body = break_alert(run.routine.title if run else None, snapshot.planned_s)
    return host.bring_break(title, body, snapshot.planned_s)
