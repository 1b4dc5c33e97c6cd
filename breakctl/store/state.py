"""The running `breakctl start`, seen from outside: its state file, its lock, and recovery.

`current.json` says what is counting down (for `breakctl status`) and holds the block in
progress as it would be recorded, refreshed at every phase change and heartbeat. `start.lock`
is held (flock) by the live `start` for its whole life: a second `start` cannot take it, and
any command that finds the state file while the lock is free knows the owner died (kill -9,
power cut) and records that block once, as `recovered`, under the same lock. A routine run on
its own (`breakctl routine NAME`) keeps its run the same way, in `routine.json` under
`routine.lock` (host/routine/status_file.py), and is recovered by the same code.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from breakctl.core.actions import Control
from breakctl.core.errors import BreakctlError, StorageError
from breakctl.core.record_codec import from_dict
from breakctl.core.records import Record
from breakctl.store.history import History, HistoryReader
from breakctl.store.history_dir import locate_history
from breakctl.store.paths import Paths, ensure_private_dir, open_private, replace_file

HEARTBEAT_S = 10.0  # a run's state file is rewritten at least this often (recovery's resolution)
STATE_VERSION = 1
# How far before a session's records the history may hold them out of order (late appends).
SAME_SESSION_MARGIN = timedelta(days=2)
CONTROL_COMMANDS = ("pause", "resume", "skip", "stop", "break")
REPLY_WAIT_S = 3.0  # how long `breakctl skip` waits for the running start's answer


def lock_path(paths: Paths) -> Path:
    return paths.state_dir / "start.lock"


def routine_lock_path(paths: Paths) -> Path:
    return paths.state_dir / "routine.lock"


def control_path(paths: Paths) -> Path:
    return paths.state_dir / "control"


def write_atomically(path: Path, data: dict[str, Any]) -> None:
    replace_file(path, json.dumps(data, separators=(",", ":")).encode())


def read_state(paths: Paths) -> dict[str, Any] | None:
    return _read_json(paths.state_file)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


class StartLock:
    """Held by the one running `breakctl start` (at `path`: by whatever owns that file)."""

    def __init__(self, paths: Paths, path: Path | None = None) -> None:
        self.paths = paths
        self.path = path or lock_path(paths)
        self._fd: int | None = None

    def acquire(self) -> bool:
        try:
            ensure_private_dir(self.paths.state_dir)
            # Never through a symbolic link: a lock elsewhere would not be the one others take.
            fd = open_private(self.path, os.O_RDWR | os.O_NOFOLLOW)
        except OSError as exc:
            reason = "a symbolic link" if exc.errno == errno.ELOOP else exc.strerror
            raise StorageError(f"{self.path}: cannot open the lock: {reason}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd = None


def running_pid(paths: Paths) -> int | None:
    """The pid of the live `breakctl start`, or None when none runs."""
    if not lock_path(paths).exists():
        return None
    probe = StartLock(paths)
    if probe.acquire():
        probe.release()
        return None
    state = read_state(paths) or {}
    pid = state.get("pid")
    return pid if isinstance(pid, int) else -1


def recovered_records(state: dict[str, Any]) -> list[Record]:
    """What a dead session left in its state file, as it is recorded: the blocks it had
    finished but perhaps not yet appended (`pending`, as they were), then the block under way
    cut short at the last heartbeat. A part that is not sound is left out."""
    found: list[Record] = []
    pending = state.get("pending")
    for data in pending if isinstance(pending, list) else []:
        with contextlib.suppress(ValueError, TypeError):
            found.append(from_dict(data))
    data = state.get("record")
    if isinstance(data, dict):
        data = {**data, "outcome": "recovered"}
        if isinstance(state.get("heartbeat"), str):
            data["ended"] = state["heartbeat"]
        with contextlib.suppress(ValueError, TypeError):
            found.append(from_dict(data))
    return found


def _already_recorded(history_file: Path, candidates: list[Record]) -> set[str]:
    """The ids among `candidates` that the history already holds. Only the end of the file
    can: a session's records are appended as they end, so the scan stops once it reaches
    records that ended well before the earliest candidate started."""
    wanted = {record.id for record in candidates if record.id}
    if not wanted:
        return set()
    horizon = min(record.started for record in candidates) - SAME_SESSION_MARGIN
    found: set[str] = set()
    for _, _, item in HistoryReader(history_file).backwards(0):
        if isinstance(item, Record):
            if item.id in wanted:
                found.add(item.id)
                if found == wanted:
                    break
            elif item.ended < horizon and item.outcome != "recovered":
                break
    return found


def recover(paths: Paths) -> Record | None:
    """Record the block a dead `start` left behind, once, and remove its state file.
    Returns the record written, if any. A live `start` is never touched."""
    return _recover(paths, paths.state_file, lock_path(paths))


def recover_routine(paths: Paths) -> Record | None:
    """As recover(), for a routine run on its own that died: its run so far, once."""
    return _recover(paths, paths.routine_file, routine_lock_path(paths))


def _recover(paths: Paths, state_file: Path, lock_file: Path) -> Record | None:
    if not state_file.exists():
        return None
    lock = StartLock(paths, lock_file)
    if not lock.acquire():
        return None  # the owner is alive
    try:
        state = _read_json(state_file)  # again under the lock: another command may have won
        if state is None:
            _keep_unreadable(state_file)
            return None
        records = recovered_records(state)
        own_file = locate_history(paths).host_file  # where this machine's session appended
        done = _already_recorded(own_file, records)
        history = History(own_file)
        written = [r for r in records if r.id not in done]
        for record in written:  # each block once, however far the dead session had got
            history.append(record)
        with contextlib.suppress(FileNotFoundError):
            state_file.unlink()
        return written[-1] if written else None
    finally:
        lock.release()


def _keep_unreadable(state_file: Path) -> None:
    """A state file that cannot be read is never deleted: it is set aside, with the time in
    its name (`current.unreadable-STAMP.json`), for a person to look at, so that commands stop
    tripping over it."""
    if not state_file.exists():
        return
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = state_file.with_name(f"{state_file.stem}.unreadable-{stamp}{state_file.suffix}")
    with contextlib.suppress(OSError):
        state_file.rename(aside)


def recover_or_warn(
    paths: Paths, warn: Callable[[str], None], *, routine: bool = False
) -> Record | None:
    """recover() (with `routine`, recover_routine()), for a command that does not start a
    session: a block that cannot be recorded now (a full disk, a read-only home) stays in its
    state file for a later command, and `warn` gets one line saying so. Only `start`, which
    would write over that file, must stop."""
    try:
        return recover_routine(paths) if routine else recover(paths)
    except (BreakctlError, OSError) as exc:
        reason = exc.problems[0] if isinstance(exc, BreakctlError) else exc.strerror or str(exc)
        what, where = ("routine", paths.routine_file) if routine else ("block", paths.state_file)
        warn(
            f"warning: the {what} a stopped {'run' if routine else 'session'} left is not "
            f"recorded yet ({reason}); it stays in {where} until it can be"
        )
        return None


def reply_path(paths: Paths, request: str) -> Path:
    return paths.state_dir / f"reply-{request}.json"


def send_control(
    paths: Paths, command: str, *, until: datetime | None = None, routine: str | None = None
) -> str:
    """Leave a command for the running start; returns the id its reply will carry."""
    request = uuid.uuid4().hex[:12]
    document: dict[str, Any] = {"command": command, "id": request}
    if until is not None:
        document["until"] = until.isoformat()
    if routine is not None:
        document["routine"] = routine
    write_atomically(control_path(paths), document)
    return request


def take_control(paths: Paths) -> Control | None:
    """The command another terminal left for us, consumed (read once, then removed)."""
    path = control_path(paths)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    with contextlib.suppress(OSError):
        path.unlink()
    if not isinstance(data, dict) or data.get("command") not in CONTROL_COMMANDS:
        return None
    until = None
    with contextlib.suppress(TypeError, ValueError):
        until = datetime.fromisoformat(data["until"]) if data.get("until") else None
    routine, request = data.get("routine"), data.get("id")
    return Control(
        data["command"],
        until if until and until.tzinfo else None,
        routine if isinstance(routine, str) else None,
        request if isinstance(request, str) and request.isalnum() else None,
    )


def write_reply(paths: Paths, request: str, refused: str | None) -> None:
    """The running start's answer to a command: done, or refused and why."""
    with contextlib.suppress(OSError):
        write_atomically(reply_path(paths, request), {"ok": refused is None, "why": refused})


def wait_reply(paths: Paths, request: str, timeout: float = REPLY_WAIT_S) -> str | bool | None:
    """The answer to a command sent: None when done, the reason when refused, False when the
    running start did not answer in time (it still acts on the command when it gets to it)."""
    path = reply_path(paths, request)
    deadline = time.monotonic() + timeout
    while True:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict):
            with contextlib.suppress(OSError):
                path.unlink()
            return None if data.get("ok") else str(data.get("why") or "refused")
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
