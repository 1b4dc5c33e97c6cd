"""What each event of the day does outside the engine: the state file's document, alerts,
hooks, the tmux pane brought forward, and presence's lines on screen."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from breakctl.core.day import (
    AwayStarted,
    BreakDeferred,
    BreakStarted,
    HeadsUp,
    LimitReached,
    NudgeDue,
    OffHours,
    PauseOver,
    Recorded,
    Session,
    SessionEnded,
    SessionEvent,
    SessionSnapshot,
    SkipAsked,
    SkipKept,
    StepAway,
    Typed,
    Waiting,
    WaitingForYou,
    WelcomeBack,
    WorkHoursBegin,
    WorkStarted,
)
from breakctl.core.day.off import off_until
from breakctl.core.durations import format_duration
from breakctl.core.record_codec import to_dict
from breakctl.core.records import Record
from breakctl.host.session.ports import SessionHost
from breakctl.store.state import STATE_VERSION


def presence_message(event: SessionEvent) -> str | None:
    """What presence has to say on screen about an event, if anything."""
    if isinstance(event, AwayStarted):
        return "away: the block stopped counting when you left the keyboard"
    if isinstance(event, WelcomeBack):
        away = event.away_s
        spent = f"{round(away / 60)} min" if away >= 60 else f"{round(away)} s"
        if event.natural_break:
            return f"welcome back: {spent} away counted as your break"
        return f"welcome back: {spent} away left out of the block"
    if isinstance(event, WaitingForYou):
        return "the break waits for you: it starts at your next key or mouse move"
    if isinstance(event, StepAway):
        return "you are still at the computer: step away for the rest of the break"
    return None


def state_document(
    session: Session, snapshot: SessionSnapshot, record: Record | None,
    wall: datetime, breaks_today: int, pending: Sequence[Record] = (),
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
        "phase": "away" if snapshot.away_s is not None else snapshot.phase,
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
        "notice": snapshot.notice or None,
        "heartbeat": wall.isoformat(timespec="milliseconds"),
        "heartbeat_epoch": round(epoch, 3),
        "today": {"date": wall.date().isoformat(), "breaks": breaks_today},
        "record": to_dict(record) if record else None,
        "pending": [to_dict(r) for r in pending],
    }


def event_message(event: SessionEvent) -> str | None:
    """The message line for an event: presence's, a nudge, a skip asking to be confirmed,
    a break waiting for a pause in typing."""
    if isinstance(event, NudgeDue):
        return event.say
    if isinstance(event, SkipAsked) and event.word:
        return f"to skip, type {event.word} (within {event.seconds:g} s); any other key keeps it"
    if isinstance(event, SkipAsked):
        return f"to skip, press s again within {event.seconds:g} s; any other key keeps it"
    if isinstance(event, Typed):
        return f"to skip, type the word: {event.so_far}"
    if isinstance(event, SkipKept):
        return "not skipped" + (": no answer in time" if event.why == "timeout" else "")
    if isinstance(event, BreakDeferred):
        return (f"break due: it starts at your next pause in typing "
                f"(at most {format_duration(event.seconds)})")  # fmt: skip
    return presence_message(event)


HOOK_FOR_EVENT = {WorkStarted: "on_work_start", BreakStarted: "on_break_start"}


@dataclass
class BreaksToday:
    """Completed breaks today, for status bars; starts over when the date changes."""

    day: date
    breaks: int

    def count(self, record: Record, wall: datetime) -> None:
        if wall.date() != self.day:
            self.day, self.breaks = wall.date(), 0
        if record.completed_break:
            self.breaks += 1


def side_effects(event: SessionEvent, snapshot: SessionSnapshot, host: SessionHost) -> None:
    if isinstance(event, HeadsUp):
        host.alert("Break in 30 seconds", "Finish your sentence; + postpones, s skips.")
    elif isinstance(event, BreakStarted):
        what = event.routine.title if event.routine else "free movement"
        host.alert("Time to move", f"{what}: {round(event.planned_s / 60, 1):g} min")
    elif isinstance(event, Waiting):
        host.alert("breakctl", f"Press a key to start the {event.next_phase}.")
    elif isinstance(event, PauseOver):
        host.alert("Pause over", "The timer runs again.")
    elif isinstance(event, WorkHoursBegin):
        host.alert("Working hours", "The first block starts now.")
    elif isinstance(event, OffHours):
        host.alert("Working hours are over", off_until(event.resumes_at))
    elif isinstance(event, LimitReached):
        then = "this block is the last" if event.ends_day else "going on (--ignore-limit)"
        host.alert(f"{format_duration(event.limit_s)} of work today", f"Time to stop: {then}.")
    if isinstance(event, BreakStarted):
        host.focus_break()
    hook = HOOK_FOR_EVENT.get(type(event))
    if hook:
        host.fire_hook(hook, snapshot, None)
    elif isinstance(event, Recorded):
        record = event.record
        if record.kind == "work":
            host.fire_hook("on_work_end", snapshot, record)
        elif record.outcome == "skipped":
            host.fire_hook("on_skip", snapshot, record)
        elif record.outcome != "postponed":
            host.fire_hook("on_break_end", snapshot, record)
    elif isinstance(event, SessionEnded):
        host.fire_hook("on_session_end", snapshot, None)
