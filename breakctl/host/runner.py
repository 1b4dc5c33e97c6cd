"""The loop that drives a RoutineRun with a real (or fake) clock, keys and a view,
and records the run in history."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from breakctl.core.actions import COMMANDS, ROUTINE, Action, Control, action_for_key
from breakctl.core.clock import Clock
from breakctl.core.day import (
    AwayStarted,
    BreakStarted,
    HeadsUp,
    LimitReached,
    OffHours,
    PauseOver,
    Recorded,
    Refused,
    Session,
    SessionEnded,
    SessionEvent,
    SessionSnapshot,
    StandUp,
    StepAway,
    Waiting,
    WaitingForYou,
    WelcomeBack,
    WorkHoursBegin,
    WorkStarted,
)
from breakctl.core.day.off import off_until
from breakctl.core.durations import format_duration
from breakctl.core.errors import BreakctlError
from breakctl.core.model import Routine
from breakctl.core.records import SCHEMA_VERSION, Record, to_dict
from breakctl.core.routine_run import Event, RoutineRun, Snapshot
from breakctl.core.settings import pause_end
from breakctl.host.keys import KeySource
from breakctl.store.history import History
from breakctl.store.state import STATE_VERSION

PAUSED_REFRESH_S = 1.0  # how often a paused screen redraws its "paused for" time


class RoutineView(Protocol):
    """A screen for a routine; entered by the run itself, so that Ctrl-C at its very first
    output is recorded like any other."""

    def __enter__(self) -> Any: ...

    def __exit__(self, *exc: object) -> Any: ...

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
    on_record: Callable[[Record], None] = lambda record: None,
) -> Record:
    """Guide the user through `routine` and append one record to history, however it ends;
    `on_record` hears of it even when the run ends by Ctrl-C or a signal."""
    history.ensure_writable()
    started = clock.now()
    run = RoutineRun(routine, clock.monotonic())
    stack = contextlib.ExitStack()
    try:
        # The screen starts inside: Ctrl-C at its very first output is recorded too.
        stack.enter_context(view)
        view.update(run.start(), run.snapshot(clock.monotonic()))
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
        with contextlib.suppress(Exception):
            stack.close()
        record = routine_record(run, started, clock.now(), now)
        history.append(record)
        on_record(record)
        raise
    stack.close()
    record = routine_record(run, started, clock.now(), clock.monotonic())
    history.append(record)
    on_record(record)
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
WORK_POLL_S = 5.0  # presence: idle time read this often while working
BREAK_POLL_S = 1.0  # and this often in a break, where each second of input counts


class IdleSource(Protocol):
    """Seconds since the person last used keyboard or mouse (host/presence's Presence)."""

    def idle_s(self) -> float | None: ...

    def take_failure(self) -> str | None: ...


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


class SessionView(Protocol):
    def update(self, events: Sequence[SessionEvent], snapshot: SessionSnapshot) -> None: ...

    def message(self, text: str) -> None: ...

    def prompt(self, text: str) -> None:
        """Show a question and what has been typed so far (the p key's "for how long?")."""
        ...


class SessionHost(Protocol):
    """What the loop needs from the outside besides clock, keys and view: all optional."""

    def take_control(self) -> Control | str | None: ...

    def reply(self, request: str, refused: str | None) -> None:
        """Answer the terminal that sent a command: done, or refused and why."""
        ...

    def focus_break(self) -> None:
        """A break starts: bring this terminal to the front (tmux), if so configured."""
        ...

    def write_state(self, document: dict[str, Any]) -> None: ...

    def alert(self, title: str, body: str) -> None: ...

    def fire_hook(self, event: str, snapshot: SessionSnapshot, record: Record | None) -> None: ...

    def hook_reports(self) -> list[str]: ...


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
    load_routine: Callable[[str], Routine] | None = None,
    presence: IdleSource | None = None,
) -> None:
    """Run work blocks and breaks until the session ends, appending each record as it comes.
    However it ends (q, Ctrl-C, a signal, a crash), the block in progress is recorded.
    With `presence`, keyboard/mouse idle time is read every few seconds (every second in a
    break) and handed to the session."""
    history.ensure_writable()
    today = BreaksToday(clock.now().date(), breaks_today)
    poll_due = clock.monotonic()

    def sense(now: float, wall: datetime) -> list[SessionEvent]:
        nonlocal poll_due
        if presence is None or now < poll_due:
            return []
        idle = presence.idle_s()
        failure = presence.take_failure()
        if failure:
            view.message(failure)  # reported once; the day goes on without presence
        in_break = session.phase is not None and session.phase.name == "break"
        poll_due = now + (BREAK_POLL_S if in_break else WORK_POLL_S)
        return session.sense(idle, now, wall) if idle is not None else []

    def save(events: list[SessionEvent], wall: datetime) -> None:
        for event in events:
            if isinstance(event, Recorded):
                history.append(event.record)
                today.count(event.record, wall)

    def write_state(now: float, wall: datetime, pending: Sequence[Record] = ()) -> None:
        snapshot = session.snapshot(now, wall)
        in_progress = session.record_in_progress(now, wall)
        host.write_state(
            state_document(session, snapshot, in_progress, wall, today.breaks, pending)
        )

    def handle(events: list[SessionEvent]) -> None:
        now, wall = clock.monotonic(), clock.now()
        snapshot = session.snapshot(now, wall)
        # A phase change reaches the disk in an order a kill at any instant can recover from:
        # the state file names the new block and the finished ones first, then history gets
        # the finished ones; recovery appends whichever of them history does not hold yet.
        finished = [event.record for event in events if isinstance(event, Recorded)]
        if finished:
            write_state(now, wall, finished)
        save(events, wall)  # records before the screen: whatever happens to it, they are safe
        for event in events:
            _side_effects(event, snapshot, host)
        write_state(now, wall)
        view.update(events, snapshot)
        for event in events:
            line = event.reason if isinstance(event, Refused) else presence_message(event)
            if line:
                view.message(line)
        report_hooks()

    def report_hooks() -> None:
        for line in host.hook_reports():
            view.message(line)

    def act(request: Request, pressed: bool) -> list[SessionEvent]:
        """A key (`pressed`, even one that means nothing: the person is here) or command."""
        now, wall = clock.monotonic(), clock.now()
        if request.action is None and not pressed:
            return session.advance(now, wall)
        try:
            routine = load_routine(request.routine) if request.routine and load_routine else None
        except BreakctlError as exc:
            return [Refused(str(exc))]
        return session.act(
            request.action, now, wall, until=request.until, routine=routine, key=pressed
        )

    now, wall = clock.monotonic(), clock.now()
    try:
        handle(session.start(now, wall))
        # One deadline for both waiting and deciding: computing "time since" in one place and
        # "time until" in another can disagree by a rounding error and spin forever.
        heartbeat_due = clock.monotonic() + HEARTBEAT_S
        while session.ended is None:
            now = clock.monotonic()
            wake = session.next_wake(now)
            # At least once a second: commands from other terminals are read here, and a
            # paused screen counts its pause on (a timed pause's end may be an hour away).
            timeout = PAUSED_REFRESH_S if wake is None else min(PAUSED_REFRESH_S, wake - now)
            timeout = max(0.0, min(timeout, heartbeat_due - now))
            if presence is not None:
                timeout = max(0.0, min(timeout, poll_due - now))
            key = keys.wait(timeout)
            command = host.take_control()
            request = _request(session, key, command)
            events = act(request, pressed=key is not None)
            events += sense(clock.monotonic(), clock.now())
            if request.id is not None:
                refused = [e.reason for e in events if isinstance(e, Refused)]
                host.reply(request.id, refused[0] if refused else None)
            now = clock.monotonic()
            if events or key or command or wake is None or now >= heartbeat_due:
                handle(events)
                heartbeat_due = clock.monotonic() + HEARTBEAT_S
            else:
                view.update(events, session.snapshot(now, clock.now()))
                report_hooks()  # a hook that failed says so now, not when the phase ends
            if request.action is Action.PAUSE_FOR and _paused(session, clock):
                answer = _ask_pause(keys, view)
                if answer:
                    handle(_timed_pause(session, answer, clock))
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


@dataclass(frozen=True)
class Request:
    action: Action | None
    until: datetime | None = None
    routine: str | None = None
    id: str | None = None


def _request(session: Session, key: str | None, command: Control | str | None) -> Request:
    """What a key or a control command asks of the phase under way."""
    if isinstance(command, str):
        command = Control(command)
    if command is not None:
        action = COMMANDS.get(command.command)
        return Request(action, command.until, command.routine, command.id)
    if key is None or session.phase is None:
        return Request(None)
    return Request(action_for_key(key, session.phase.name))


PROMPT = "pause for how long? (45m, 1h, 15:00; Enter: until you resume) "
PROMPT_IDLE_S = 30.0  # no key this long: the pause stays open


def _ask_pause(keys: KeySource, view: SessionView) -> str:
    """Read the answer to "pause for how long?" a key at a time; the pause is already on."""
    typed = ""
    view.prompt(PROMPT)
    while True:
        key = keys.wait(PROMPT_IDLE_S)
        if key is None or key in ("\n", "\r"):
            break
        if key in ("\x7f", "\b"):
            typed = typed[:-1]
        elif key.isprintable():
            typed += key
        view.prompt(PROMPT + typed)
    view.prompt("")
    return typed.strip()


def _paused(session: Session, clock: Clock) -> bool:
    return session.phase is not None and session.snapshot(clock.monotonic(), clock.now()).paused


def _timed_pause(session: Session, answer: str, clock: Clock) -> list[SessionEvent]:
    now, wall = clock.monotonic(), clock.now()
    try:
        until = pause_end(answer, wall)
    except BreakctlError as exc:
        return [Refused(f"pause: {exc}; paused until you resume")]
    return session.act(Action.PAUSE, now, wall, until=until)


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
