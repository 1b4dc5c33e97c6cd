"""The running `breakctl start`, seen from outside: its state file, its lock, and recovery.

`current.json` says what is counting down (for `breakctl status`) and holds the block in
progress as it would be recorded, refreshed at every phase change and heartbeat. `start.lock`
is held (flock) by the live `start` for its whole life: a second `start` cannot take it, and
any command that finds the state file while the lock is free knows the owner died (kill -9,
power cut) and records that block once, as `recovered`, under the same lock.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from breakctl.core.errors import BreakctlError, StorageError
from breakctl.core.records import Record, from_dict
from breakctl.store.history import History
from breakctl.store.paths import Paths, ensure_private_dir, open_private, replace_file

STATE_VERSION = 1
CONTROL_COMMANDS = ("pause", "resume", "skip", "stop")


def lock_path(paths: Paths) -> Path:
    return paths.state_dir / "start.lock"


def control_path(paths: Paths) -> Path:
    return paths.state_dir / "control"


def write_atomically(path: Path, data: dict[str, Any]) -> None:
    replace_file(path, json.dumps(data, separators=(",", ":")).encode())


def read_state(paths: Paths) -> dict[str, Any] | None:
    try:
        data = json.loads(paths.state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class StartLock:
    """Held by the one running `breakctl start`."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self._fd: int | None = None

    def acquire(self) -> bool:
        try:
            ensure_private_dir(self.paths.state_dir)
            # Never through a symbolic link: a lock elsewhere would not be the one others take.
            fd = open_private(lock_path(self.paths), os.O_RDWR | os.O_NOFOLLOW)
        except OSError as exc:
            reason = "a symbolic link" if exc.errno == errno.ELOOP else exc.strerror
            raise StorageError(f"{lock_path(self.paths)}: cannot open the lock: {reason}") from None
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


def recovered_record(state: dict[str, Any]) -> Record | None:
    """The block a dead session left in its state file, as it is recorded: cut short at the
    last heartbeat. None when the state holds no block (waiting) or one that is not sound."""
    data = state.get("record")
    if not isinstance(data, dict):
        return None
    data = {**data, "outcome": "recovered"}
    if isinstance(state.get("heartbeat"), str):
        data["ended"] = state["heartbeat"]
    try:
        return from_dict(data)
    except ValueError:
        return None


def recover(paths: Paths) -> Record | None:
    """Record the block a dead `start` left behind, once, and remove its state file.
    Returns the record written, if any. A live `start` is never touched."""
    if not paths.state_file.exists():
        return None
    lock = StartLock(paths)
    if not lock.acquire():
        return None  # the owner is alive
    try:
        state = read_state(paths)  # read again under the lock: another command may have won
        record = recovered_record(state) if state else None
        if record is not None:
            History(paths.history_file).append(record)
        with contextlib.suppress(FileNotFoundError):
            paths.state_file.unlink()
        return record
    finally:
        lock.release()


def recover_or_warn(paths: Paths, warn: Callable[[str], None]) -> Record | None:
    """recover(), for a command that does not start a session: a block that cannot be recorded
    now (a full disk, a read-only home) stays in its state file for a later command, and
    `warn` gets one line saying so. Only `start`, which would write over that file, must stop."""
    try:
        return recover(paths)
    except (BreakctlError, OSError) as exc:
        reason = exc.problems[0] if isinstance(exc, BreakctlError) else exc.strerror or str(exc)
        warn(
            f"warning: the block a stopped session left is not recorded yet ({reason}); "
            f"it stays in {paths.state_file} until it can be"
        )
        return None


def send_control(paths: Paths, command: str) -> None:
    write_atomically(control_path(paths), {"command": command})


def take_control(paths: Paths) -> str | None:
    """The command another terminal left for us, consumed (read once, then removed)."""
    path = control_path(paths)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    with contextlib.suppress(OSError):
        path.unlink()
    command = data.get("command") if isinstance(data, dict) else None
    return command if command in CONTROL_COMMANDS else None
