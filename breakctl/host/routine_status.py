"""What `breakctl status` shows while a routine runs on its own (`breakctl routine NAME`).

`routine.json` in the state folder holds the routine, its step and when it ends; it is written
whole (temp file + rename) at the start, at each step and at each pause or resume, and only
while `routine.lock` is held. A run that dies (kill -9, power cut) leaves a file whose lock
nobody holds, which `status` ignores and the next run replaces; a run that ends removes it.
A routine's record is appended when it ends, as before: this file is for status bars only.
"""

from __future__ import annotations

import contextlib
import os
from datetime import timedelta
from pathlib import Path

from breakctl.core.clock import Clock
from breakctl.core.errors import StorageError
from breakctl.core.routine_run import Snapshot
from breakctl.store.paths import Paths
from breakctl.store.state import StartLock, write_atomically

STATE_FILE = "routine.json"  # status.py reads these two names with the stdlib alone
LOCK_FILE = "routine.lock"


class RoutineStatus:
    """Called with each snapshot that begins a step or pauses or resumes the run. Never in the
    way of the routine: a folder it cannot write, or a second run holding the lock, only
    means `status` does not show this one."""

    def __init__(self, paths: Paths, clock: Clock) -> None:
        self.path: Path = paths.state_dir / STATE_FILE
        self.clock = clock
        self._lock = StartLock(paths, paths.state_dir / LOCK_FILE)
        self._held = False

    def __enter__(self) -> RoutineStatus:
        with contextlib.suppress(StorageError):
            self._held = self._lock.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._held:
            with contextlib.suppress(OSError):
                self.path.unlink()
            self._lock.release()
            self._held = False

    def __call__(self, snapshot: Snapshot) -> None:
        if not self._held:
            return
        step = snapshot.segment.step_index + 1 if snapshot.segment else None
        ends = self.clock.now() + timedelta(seconds=snapshot.remaining_s)
        document = {
            "v": 1, "pid": os.getpid(), "phase": "routine", "paused": snapshot.paused,
            "routine": snapshot.routine.name, "step": step, "steps": len(snapshot.routine.steps),
            "remaining_s": round(snapshot.remaining_s, 3), "planned_s": snapshot.routine.planned_s,
            "ends_at": None if snapshot.paused else ends.isoformat(timespec="seconds"),
            "ends_at_epoch": None if snapshot.paused else round(ends.timestamp(), 3),
        }  # fmt: skip
        with contextlib.suppress(OSError):  # the status bar loses out; the routine goes on
            write_atomically(self.path, document)
