"""The loop that drives a RoutineRun with a real (or fake) clock, keys and a view,
and records the run in history."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from breakctl.core.actions import COMMANDS, ROUTINE, Action, action_for_key
from breakctl.core.clock import Clock
from breakctl.core.day import (
    BreakStarted,
    HeadsUp,
    Recorded,
    Session,
    SessionEnded,
    SessionEvent,
    SessionSnapshot,
    StandUp,
    Waiting,
    WorkStarted,
)
from breakctl.core.model import Routine
from breakctl.core.records import SCHEMA_VERSION, Record, to_dict
from breakctl.core.routine_run import Event, RoutineRun, Snapshot
from breakctl.host.keys import KeySource
from breakctl.store.history import History
from breakctl.store.state import STATE_VERSION

PAUSED_REFRESH_S = 1.0  # how often a paused screen redraws its "paused for" time


class RoutineView(Protocol):
    def update(self, events: Sequence[Event], snapshot: Snapshot) -> None: ...


def routine_record(run: RoutineRun, started: datetime, ended: datetime, now: float) -> Record:
    return Record(
        v=SCHEMA_VERSION, id=uuid.uuid4().hex, kind="routine", routine=run.routine.name,
        started=started, ended=ended, planned_s=run.routine.planned_s,
        active_s=run.active_s(now), paused_s=run.paused_s,
        outcome="completed" if run.outcome == "completed" else "quit", steps=run.results(),
    )  # fmt: skip


def run_routine(
    routine: Routine,
    *,
    clock: Clock,
    keys: KeySource,
    view: RoutineView,
    history: History,
) -> Record:
    """Guide the user through `routine` and append one record to history, however it ends."""
    history.ensure_writable()
    started = clock.now()
    run = RoutineRun(routine, clock.monotonic())
    view.update(run.start(), run.snapshot(clock.monotonic()))
    try:
        while not run.finished:
            now = clock.monotonic()
            wake = run.next_wake(now)
            timeout = PAUSED_REFRESH_S if wake is None else max(0.0, wake - now)
            key = keys.wait(timeout)
            now = clock.monotonic()
            events = _apply(run, action_for_key(key, ROUTINE) if key else None, now)
            events += run.advance(now)
            view.update(events, run.snapshot(now))
    except BaseException:
        # Ctrl-C, a signal, a broken terminal: record what was done before going down.
        now = clock.monotonic()
        if not run.finished:
            view_events = run.quit(now)
            # The screen may be gone; the record below matters more.
            with contextlib.suppress(Exception):
                view.update(view_events, run.snapshot(now))
        history.append(routine_record(run, started, clock.now(), now))
        raise
    record = routine_record(run, started, clock.now(), clock.monotonic())
    history.append(record)
    return record


def _apply(run: RoutineRun, action: Action | None, now: float) -> list[Event]:
    if action is Action.TOGGLE_PAUSE:
        return run.toggle_pause(now)
    if action is Action.NEXT:
        return run.skip_step(now)
    if action is Action.QUIT:
        return run.quit(now)
    return []


# -- breakctl start -----------------------------------------------------------------------------

HEARTBEAT_S = 10.0  # the state file is rewritten at least this often (recovery's resolution)


class SessionView(Protocol):
    def update(self, events: Sequence[SessionEvent], snapshot: SessionSnapshot) -> None: ...

    def message(self, text: str) -> None: ...


class SessionHost(Protocol):
    """What the loop needs from the outside besides clock, keys and view: all optional."""

    def take_control(self) -> str | None: ...

    def write_state(self, document: dict[str, Any]) -> None: ...

    def alert(self, title: str, body: str) -> None: ...

    def fire_hook(self, event: str, snapshot: SessionSnapshot, record: Record | None) -> None: ...

    def hook_reports(self) -> list[str]: ...


def state_document(
    session: Session, snapshot: SessionSnapshot, record: Record | None,
    wall: datetime, breaks_today: int,
) -> dict[str, Any]:  # fmt: skip
    """current.json: what `breakctl status` shows and what recovery records."""
    routine = snapshot.routine
    step = routine.segment.step_index + 1 if routine and routine.segment else None
    ends_at = snapshot.ends_at
    epoch = wall.timestamp()
    return {
        "v": STATE_VERSION,
        "pid": os.getpid(),
        "session": session.session_id,
        "phase": snapshot.phase,
        "paused": snapshot.paused,
        "cycle": snapshot.cycle,
        "cycles": snapshot.cycles,
        "routine": (record.routine if record else None) or snapshot.next_break_routine,
        "step": step,
        "steps": len(routine.routine.steps) if routine else None,
        "remaining_s": round(snapshot.remaining_s, 3),
        "planned_s": round(snapshot.planned_s, 3),
        "ends_at": ends_at.isoformat(timespec="seconds") if ends_at else None,
        # Epoch seconds let `status` do its arithmetic without importing datetime.
        "ends_at_epoch": round(epoch + snapshot.remaining_s, 3) if ends_at else None,
        "heartbeat": wall.isoformat(timespec="milliseconds"),
        "heartbeat_epoch": round(epoch, 3),
        "today": {"date": wall.date().isoformat(), "breaks": breaks_today},
        "record": to_dict(record) if record else None,
    }


HOOK_FOR_EVENT = {WorkStarted: "on_work_start", BreakStarted: "on_break_start"}


def run_session(
    session: Session,
    *,
    clock: Clock,
    keys: KeySource,
    view: SessionView,
    history: History,
    host: SessionHost,
    breaks_today: int = 0,
) -> None:
    """Run work blocks and breaks until the session ends, appending each record as it comes.
    However it ends (q, Ctrl-C, a signal, a crash), the block in progress is recorded."""
    history.ensure_writable()
    today = BreaksToday(clock.now().date(), breaks_today)

    def save(events: list[SessionEvent], wall: datetime) -> None:
        for event in events:
            if isinstance(event, Recorded):
                history.append(event.record)
                today.count(event.record, wall)

    def handle(events: list[SessionEvent]) -> None:
        now, wall = clock.monotonic(), clock.now()
        snapshot = session.snapshot(now, wall)
        save(events, wall)  # records first: whatever happens to the screen next, they are safe
        for event in events:
            _side_effects(event, snapshot, host)
        host.write_state(
            state_document(
                session,
                snapshot,
                session.record_in_progress(now, wall),
                wall,
                today.breaks,
            )
        )
        view.update(events, snapshot)
        for line in host.hook_reports():
            view.message(line)

    now, wall = clock.monotonic(), clock.now()
    try:
        handle(session.start(now, wall))
        # One deadline for both waiting and deciding: computing "time since" in one place and
        # "time until" in another can disagree by a rounding error and spin forever.
        heartbeat_due = clock.monotonic() + HEARTBEAT_S
        while session.ended is None:
            now = clock.monotonic()
            wake = session.next_wake(now)
            timeout = PAUSED_REFRESH_S if wake is None else max(0.0, wake - now)
            timeout = min(timeout, max(0.0, heartbeat_due - now))
            key = keys.wait(timeout)
            command = host.take_control()
            now, wall = clock.monotonic(), clock.now()
            action = _action(session, key, command)
            events = session.act(action, now, wall) if action else session.advance(now, wall)
            if events or key or command or wake is None or now >= heartbeat_due:
                handle(events)
                heartbeat_due = clock.monotonic() + HEARTBEAT_S
            else:
                view.update(events, session.snapshot(now, wall))
    except BaseException:
        now, wall = clock.monotonic(), clock.now()
        save(session.interrupt(now, wall), wall)
        raise


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


def _action(session: Session, key: str | None, command: str | None) -> Action | None:
    """What a key or a control command asks of the phase under way."""
    if command is not None:
        return COMMANDS.get(command)
    if key is None or session.phase is None:
        return None
    return action_for_key(key, session.phase.name)


def _side_effects(event: SessionEvent, snapshot: SessionSnapshot, host: SessionHost) -> None:
    if isinstance(event, HeadsUp):
        host.alert("Break in 30 seconds", "Finish your sentence; + postpones, s skips.")
    elif isinstance(event, BreakStarted):
        what = event.routine.title if event.routine else "free movement"
        host.alert("Time to move", f"{what}: {round(event.planned_s / 60, 1):g} min")
    elif isinstance(event, StandUp):
        host.alert("Stand up", "Keep working, standing, until the break.")
    elif isinstance(event, Waiting):
        host.alert("breakctl", f"Press a key to start the {event.next_phase}.")
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
