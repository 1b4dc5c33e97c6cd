"""The day's screens, local and attached, as one SessionView; and its keys, local and
attached, as one KeySource waiting in one select (no thread): a key wakes the day at once,
from whichever screen it came."""

from __future__ import annotations

import os
import selectors
import time
from collections import deque
from collections.abc import Sequence

from breakctl.core.day import SessionEvent, SessionSnapshot
from breakctl.host.day.protocol import (
    PROTOCOL_VERSION,
    Full,
    Message,
    Prompt,
    Said,
    encode,
    encode_update,
)
from breakctl.host.day.server import DayServer
from breakctl.host.keys import TerminalKeys
from breakctl.host.session.ports import SessionView

RECENT_MESSAGES = 8  # what a newly attached screen gets of the lines said before


class DayScreens:
    """Every screen of the day: this process's own (`local`, None when headless or detached)
    and those attached through `server`. The day calls it as it would call one view."""

    def __init__(self, local: SessionView | None, *, mode: str, free_text: str, bell: bool) -> None:
        self.local = local
        self.mode, self.free_text, self.bell = mode, free_text, bell
        self.server: DayServer | None = None
        self.snapshot: SessionSnapshot | None = None
        self.recent: deque[Said] = deque(maxlen=RECENT_MESSAGES)

    def hello(self) -> bytes:
        """What a newly attached screen gets first: enough for a whole first frame."""
        full = Full(
            PROTOCOL_VERSION,
            os.getpid(),
            self.mode,
            self.free_text,
            self.bell,
            self.snapshot,
            list(self.recent),
        )
        return encode(full)

    @property
    def attached(self) -> int:
        """Screens showing the day now: its own (a foreground start's) and attached ones."""
        own = 1 if self.local is not None and self.mode == "foreground" else 0
        return own + (self.server.count if self.server is not None else 0)

    def _send(self, line: bytes) -> None:
        if self.server is not None:
            self.server.broadcast(line)

    def _attached_screens(self) -> bool:
        return self.server is not None and self.server.count > 0

    def update(self, events: Sequence[SessionEvent], snapshot: SessionSnapshot) -> None:
        self.snapshot = snapshot
        if self.local is not None:
            self.local.update(events, snapshot)
        if self._attached_screens():  # nothing encoded for nobody
            self._send(encode_update(events, snapshot))

    def message(self, text: str, *, listed: bool = True) -> None:
        self.recent.append(Said(text, listed))
        if self.local is not None:
            self.local.message(text, listed=listed)
        if self._attached_screens():
            self._send(encode(Message(text, listed)))

    def prompt(self, text: str) -> None:
        if self.local is not None:
            self.local.prompt(text)
        if self._attached_screens():
            self._send(encode(Prompt(text)))


class DayKeys:
    """Keys from this terminal (`local`, if any) and from every attached screen, in the order
    they come; waiting also accepts screens and reads what they send."""

    def __init__(self, server: DayServer, local: TerminalKeys | None = None) -> None:
        self.server = server
        self.local = local
        self.queue: deque[str] = deque()
        self._local_fd: int | None = None
        if local is not None:
            self._local_fd = local.fileno()
        if self._local_fd is not None:
            server.selector.register(self._local_fd, selectors.EVENT_READ, "local")

    def wait(self, timeout: float) -> str | None:
        if self.queue:
            return self.queue.popleft()
        if self.local is not None and self.local.has_pending:
            return self.local.wait(0)
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            remaining = max(0.0, deadline - time.monotonic())
            for ready, _ in self.server.selector.select(remaining):
                if ready.data == "local":
                    self._read_local()
                else:
                    self.queue.extend(self.server.serve(ready.data))
            if self.queue:
                return self.queue.popleft()
            if remaining <= 0:
                return None

    def _read_local(self) -> None:
        assert self.local is not None
        key = self.local.wait(0)
        if key is not None:
            self.queue.append(key)
        if self.local.fileno() is None and self._local_fd is not None:  # end of input
            self.server.selector.unregister(self._local_fd)
            self._local_fd = None
