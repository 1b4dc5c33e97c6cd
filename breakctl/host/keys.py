"""Key presses while a timer runs. `wait` doubles as the timer's sleep, so one select()
both waits for the next deadline and wakes at once on a key."""

from __future__ import annotations

import contextlib
import os
import select
import sys
import termios
import tty
from types import TracebackType
from typing import Protocol

from breakctl.core.clock import Clock


class KeySource(Protocol):
    def wait(self, timeout: float) -> str | None:
        """Block up to `timeout` seconds; return the key pressed, or None when time ran out."""
        ...


class NoKeys:
    """For pipes and CI: nobody can press anything, so waiting is just sleeping."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def wait(self, timeout: float) -> str | None:
        self._clock.sleep(timeout)
        return None


class TerminalKeys:
    """Reads single keys from a terminal in cbreak mode (Ctrl-C still raises SIGINT)."""

    def __init__(self, fd: int | None = None) -> None:
        self._fd = sys.stdin.fileno() if fd is None else fd
        self._saved: list | None = None  # type: ignore[type-arg]
        self._closed = False
        self._pending = ""  # keys read in one go, handed out one per wait()

    def __enter__(self) -> TerminalKeys:
        self._saved = termios.tcgetattr(self._fd)
        tty.setcbreak(self._fd, termios.TCSANOW)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._saved is not None:
            # The terminal may be gone (window closed); then there is nothing to restore.
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)

    def fileno(self) -> int | None:
        """The terminal's descriptor, for a caller's own select(); None after end of input."""
        return None if self._closed else self._fd

    @property
    def has_pending(self) -> bool:
        """Keys already read and not handed out yet (a select() would not see them)."""
        return bool(self._pending)

    def wait(self, timeout: float) -> str | None:
        if self._pending:  # typed or pasted faster than read: one key at a time, none lost
            key, self._pending = self._pending[0], self._pending[1:]
            return key
        if self._closed:
            select.select([], [], [], max(0.0, timeout))
            return None
        ready, _, _ = select.select([self._fd], [], [], max(0.0, timeout))
        if not ready:
            return None
        data = os.read(self._fd, 64)
        if not data:
            self._closed = True  # end of input: keep timing, stop reading
            return None
        if data.startswith(b"\x1b"):
            return None  # arrow keys and other escape sequences mean nothing here
        text = data.decode(errors="ignore").lower()
        self._pending = text[1:]
        return text[:1] or None
