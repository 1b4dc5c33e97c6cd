"""What a running `breakctl start` does to the world besides the screen: the state file that
`status` reads, commands left by `breakctl pause|resume|skip|stop`, alerts and hooks."""

from __future__ import annotations

import contextlib
from typing import Any

from breakctl.core.day import SessionSnapshot
from breakctl.core.records import Record, to_dict
from breakctl.host.hooks import HookRunner
from breakctl.host.notify import Notifier
from breakctl.store.paths import Paths
from breakctl.store.state import take_control, write_atomically


class SessionHost:
    def __init__(self, paths: Paths, notifier: Notifier, hooks: HookRunner) -> None:
        self.paths = paths
        self.notifier = notifier
        self.hooks = hooks
        self._problems: list[str] = []

    def take_control(self) -> str | None:
        return take_control(self.paths)

    def write_state(self, document: dict[str, Any]) -> None:
        try:
            write_atomically(self.paths.state_file, document)
        except OSError as exc:
            # Status bars and crash recovery lose out, but the timer and history go on.
            self._problems.append(f"cannot write {self.paths.state_file}: {exc.strerror}")

    def alert(self, title: str, body: str) -> None:
        problems = self.notifier.alert(title, body)
        self._problems.extend(f"notification: {p}" for p in problems)

    def fire_hook(self, event: str, snapshot: SessionSnapshot, record: Record | None) -> None:
        routine = (record.routine if record else None) or (
            snapshot.routine.routine.name if snapshot.routine else snapshot.next_break_routine
        )
        payload = to_dict(record) if record else {}
        self.hooks.fire(event, snapshot.phase, routine, snapshot.remaining_s, payload)

    def hook_reports(self) -> list[str]:
        lines, self._problems = self._problems + self.hooks.drain(), []
        return lines

    def close(self) -> None:
        """The session is over: give on_session_end a moment, then drop the state file."""
        self.hooks.wait(2.0)
        with contextlib.suppress(FileNotFoundError):
            self.paths.state_file.unlink()
