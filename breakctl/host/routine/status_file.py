"""A routine run on its own (`breakctl routine NAME`), seen from outside: what `breakctl
status` shows, and what the next command recovers if the run is killed.

`routine.json` in the state folder holds the routine, its step and when it ends, and the run's
record as it stands (`record`: its stable id, the steps so far, `ended` = this write); it is
written whole (temp file + rename) at the start, at each step and at each pause or resume, and
only while `routine.lock` is held. A run that ends appends its record and then removes the
file. A run that dies (kill -9, a closed terminal, a power cut) leaves a file whose lock
nobody holds: `status` does not show it, and the next command appends its record once, as
`recovered` (store/state.recover_routine).
"""

from __future__ import annotations

import contextlib
import os
from datetime import timedelta
from pathlib import Path

from breakctl.core.clock import Clock
from breakctl.core.errors import StorageError
from breakctl.core.record_codec import to_dict
from breakctl.core.records import Record
from breakctl.core.routine_run import Snapshot
from breakctl.store.paths import Paths
from breakctl.store.state import StartLock, routine_lock_path, write_atomically


class RoutineStatus:
    """Called with each snapshot that begins a step or pauses or resumes the run, and the
    record as it stands. Never in the way of the routine: a folder it cannot write, a second
    run holding the lock, or a dead run's file that could not be recorded yet (kept for a later
    command) only means that `status` does not show this run and a kill would lose it."""

    def __init__(self, paths: Paths, clock: Clock) -> None:
        self.path: Path = paths.routine_file
        self.clock = clock
        self._lock = StartLock(paths, routine_lock_path(paths))
        self._held = False

    def __enter__(self) -> RoutineStatus:
        with contextlib.suppress(StorageError):
            self._held = self._lock.acquire()
        if self._held and self.path.exists():  # recovery could not record it: never replace it
            self._lock.release()
            self._held = False
        return self

    def __exit__(self, *exc: object) -> None:
        if self._held:
            with contextlib.suppress(OSError):
                self.path.unlink()
            self._lock.release()
            self._held = False

    def __call__(self, snapshot: Snapshot, record: Record) -> None:
        if not self._held:
            return
        step = snapshot.segment.step_index + 1 if snapshot.segment else None
        ends = self.clock.now() + timedelta(seconds=snapshot.remaining_s)
        document = {
            "v": 1,
            "pid": os.getpid(),
            "phase": "routine",
            "paused": snapshot.paused,
            "routine": snapshot.routine.name,
            "step": step,
            "steps": len(snapshot.routine.steps),
            "remaining_s": round(snapshot.remaining_s, 3),
            "planned_s": snapshot.routine.planned_s,
            "ends_at": None if snapshot.paused else ends.isoformat(timespec="seconds"),
            "ends_at_epoch": None if snapshot.paused else round(ends.timestamp(), 3),
            "record": to_dict(record),
        }
        with contextlib.suppress(OSError):  # the status bar loses out; the routine goes on
            write_atomically(self.path, document)
