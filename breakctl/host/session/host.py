"""What a running `breakctl start` does to the world besides the screen: the state file that
`status` reads, commands left by `breakctl pause|resume|skip|stop`, alerts and hooks."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any

from breakctl.core.actions import Control
from breakctl.core.day import SessionSnapshot
from breakctl.core.record_codec import to_dict
from breakctl.core.records import Record
from breakctl.host.bring.bringer import BreakBringer
from breakctl.host.hooks import HookRunner
from breakctl.host.notify import Notifier
from breakctl.host.tmux_focus import bring_forward, in_tmux
from breakctl.store.paths import Paths
from breakctl.store.state import take_control, write_atomically, write_reply


class SessionHost:
    def __init__(
        self,
        paths: Paths,
        notifier: Notifier,
        hooks: HookRunner,
        env: Mapping[str, str] | None = None,
        focus: bool | None = None,
        bringer: BreakBringer | None = None,
    ) -> None:
        self.paths = paths
        self.notifier = notifier
        self.hooks = hooks
        self.env = dict(env or {})
        # [start] focus: default true inside tmux; outside tmux there is nothing to bring up.
        self.focus = focus is not False and in_tmux(self.env)
        self._problems: list[str] = []
        # The day as status sees it: "foreground" (a start with its screen) or "background",
        # and how many screens show it (set by whoever runs the day and its socket).
        self.mode = "foreground"
        self.screens: Callable[[], int] = lambda: 1
        self._document: dict[str, Any] | None = None  # the last state written
        self.bringer = bringer  # None: breaks are never brought ([start] bring_break = [])
        self._break_begun = False

    def bring_break(self, title: str, body: str, break_s: float) -> bool:
        """The break has begun before the person: bring it to them ([start] bring_break)
        when no screen shows it. Once per break, at its first such moment (a screen that
        detaches later brings nothing). True when the bringer sends the break's desktop
        notification itself."""
        if self._break_begun:
            return False
        self._break_begun = True
        if self.bringer is None or self.attached_screens() > 0:
            return False
        return self.bringer.bring(title, body, break_s)

    def break_over(self) -> None:
        self._break_begun = False
        if self.bringer is not None:
            self.bringer.over()

    def take_control(self) -> Control | None:
        return take_control(self.paths)

    def reply(self, request: str, refused: str | None) -> None:
        write_reply(self.paths, request, refused)

    def focus_break(self) -> None:
        if self.focus:
            problem = bring_forward(self.env)
            if problem:
                self._problems.append(f"tmux focus: {problem}")

    def attached_screens(self) -> int:
        """Screens attached right now (a foreground start's own screen counts as one)."""
        return self.screens()

    def screens_changed(self) -> None:
        """A screen attached or detached: status bars learn it at once."""
        if self._document is not None:
            self.write_state(self._document)

    def write_state(self, document: dict[str, Any]) -> None:
        self._document = document
        document = {**document, "mode": self.mode, "attached": self.attached_screens()}
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
        brought = self.bringer.take_reports() if self.bringer is not None else []
        lines, self._problems = self._problems + brought + self.hooks.drain(), []
        return lines

    def close(self) -> list[str]:
        """The session is over: give on_session_end a moment, then drop the state file.
        Returns what the hooks reported since the screen last asked (the screen is gone: the
        caller says it)."""
        self.hooks.wait(2.0)
        if self.bringer is not None:
            self.bringer.close()
        with contextlib.suppress(FileNotFoundError):
            self.paths.state_file.unlink()
        return self.hook_reports()
