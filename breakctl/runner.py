"""The loop that drives a RoutineRun with a real (or fake) clock, keys and a view,
and records the run in history."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from breakctl.clock import Clock
from breakctl.history import SCHEMA_VERSION, History
from breakctl.keys import KeySource
from breakctl.model import Routine, round_s
from breakctl.routine_run import Event, RoutineRun, Snapshot

PAUSED_REFRESH_S = 1.0  # how often a paused screen redraws its "paused for" time
ROUTINE_KEYS = {" ": "pause", "p": "pause", "n": "next", "q": "quit"}


class RoutineView(Protocol):
    def update(self, events: Sequence[Event], snapshot: Snapshot) -> None: ...


def new_id() -> str:
    return uuid.uuid4().hex


def timestamp(moment: datetime) -> str:
    """ISO 8601 with milliseconds and the local offset, as history stores it."""
    return moment.isoformat(timespec="milliseconds")


def routine_record(
    run: RoutineRun, started: datetime, ended: datetime, now: float
) -> dict[str, Any]:
    return {
        "v": SCHEMA_VERSION,
        "id": new_id(),
        "kind": "routine",
        "routine": run.routine.name,
        "started": timestamp(started),
        "ended": timestamp(ended),
        "planned_s": round_s(run.routine.planned_s),
        "active_s": round_s(run.active_s(now)),
        "paused_s": round_s(run.paused_s),
        "outcome": run.outcome,
        "steps": [
            {"exercise": s.exercise, "outcome": s.outcome, "active_s": round_s(s.active_s)}
            for s in run.steps
        ],
    }


def run_routine(
    routine: Routine,
    *,
    clock: Clock,
    keys: KeySource,
    view: RoutineView,
    history: History,
) -> dict[str, Any]:
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
            events = _apply_key(run, ROUTINE_KEYS.get(key or ""), now)
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


def _apply_key(run: RoutineRun, action: str | None, now: float) -> list[Event]:
    if action == "pause":
        return run.toggle_pause(now)
    if action == "next":
        return run.skip_step(now)
    if action == "quit":
        return run.quit(now)
    return []
