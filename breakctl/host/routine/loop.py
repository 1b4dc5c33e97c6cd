"""The loop that drives a RoutineRun with a real (or fake) clock, keys and a view, and
records the run in history, however it ends."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from breakctl.core.actions import ROUTINE, Action, action_for_key
from breakctl.core.clock import Clock
from breakctl.core.model import Routine
from breakctl.core.records import SCHEMA_VERSION, Record
from breakctl.core.routine_run import Event, RoutineRun, Snapshot
from breakctl.host.keys import KeySource
from breakctl.store.history import History
from breakctl.store.state import HEARTBEAT_S

PAUSED_REFRESH_S = 1.0  # how often a paused screen redraws its "paused for" time


class RoutineView(Protocol):
    """A screen for a routine; entered by the run itself, so that Ctrl-C at its very first
    output is recorded like any other."""

    def __enter__(self) -> Any: ...

    def __exit__(self, *exc: object) -> Any: ...

    def update(self, events: Sequence[Event], snapshot: Snapshot) -> None: ...


def routine_record(
    run: RoutineRun, record_id: str, started: datetime, ended: datetime, now: float
) -> Record:
    """The run's record; one not finished yet reads as if quit at `now`. Every record of one
    run has its `record_id`, so a run killed after it appended its record is not recovered
    as a second one."""
    return Record(
        v=SCHEMA_VERSION,
        id=record_id,
        kind="routine",
        routine=run.routine.name,
        started=started,
        ended=ended,
        planned_s=run.routine.planned_s,
        active_s=run.active_s(now),
        paused_s=run.paused_so_far(now),
        outcome="completed" if run.outcome == "completed" else "quit",
        steps=run.results_so_far(now),
    )


def run_routine(
    routine: Routine,
    *,
    clock: Clock,
    keys: KeySource,
    view: RoutineView,
    history: History,
    on_record: Callable[[Record], None] = lambda record: None,
    publish: Callable[[Snapshot, Record], None] = lambda snapshot, record: None,
) -> Record:
    """Guide the user through `routine` and append one record to history, however it ends;
    `on_record` hears of it even when the run ends by Ctrl-C or a signal. `publish` hears of
    each step begun, each pause and resume, and every HEARTBEAT_S between, with the record as
    it stands (for `breakctl status`, and for the next command to recover if this process is
    killed: it loses at most that long)."""
    history.ensure_writable()
    started, record_id = clock.now(), uuid.uuid4().hex
    run = RoutineRun(routine, clock.monotonic())
    stack = contextlib.ExitStack()
    try:
        # The screen starts inside: Ctrl-C at its very first output is recorded too.
        stack.enter_context(view)
        events = run.start()
        now = beat = clock.monotonic()
        while True:
            snapshot = run.snapshot(now)
            view.update(events, snapshot)
            if run.finished:
                break
            if events or now >= beat:
                publish(snapshot, routine_record(run, record_id, started, clock.now(), now))
                beat = now + HEARTBEAT_S
            now = clock.monotonic()
            wake = run.next_wake(now)
            timeout = PAUSED_REFRESH_S if wake is None else wake - now
            timeout = max(0.0, min(timeout, beat - now))
            key = keys.wait(timeout)
            now = clock.monotonic()
            events = _apply(run, action_for_key(key, ROUTINE) if key else None, now)
            events += run.advance(now)
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
        record = routine_record(run, record_id, started, clock.now(), now)
        history.append(record)
        on_record(record)
        raise
    stack.close()
    record = routine_record(run, record_id, started, clock.now(), clock.monotonic())
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
