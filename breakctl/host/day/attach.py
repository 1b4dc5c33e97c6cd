"""A screen attached to a running day (`breakctl attach`): the day's messages fed to a view
(the same views `start` draws with), this terminal's keys sent to the day. One select() over the
terminal and the socket; no thread."""

from __future__ import annotations

import enum
import os
import select
import socket
import time
from collections.abc import Callable, Mapping

from breakctl.core.day import SessionSnapshot
from breakctl.core.errors import BreakctlError, StorageError
from breakctl.host.day.address import socket_path
from breakctl.host.day.protocol import (
    MAX_LINE,
    PROTOCOL_VERSION,
    Ended,
    Full,
    Key,
    Message,
    Prompt,
    ProtocolError,
    Update,
    decode_day,
    encode,
    update_events,
)
from breakctl.host.keys import TerminalKeys
from breakctl.host.session.effects import effects_of
from breakctl.host.session.ports import SessionView
from breakctl.store.paths import Paths

DETACH_KEY = "d"
FIRST_WORD_S = 30.0  # a day that accepts a screen and says nothing this long is not a day


class NoDay(BreakctlError):
    """No day answers on the socket (exit 1)."""


class Outcome(enum.Enum):
    DETACHED = "detached"  # d or Ctrl-C: the day goes on
    ENDED = "ended"  # the day is over (q here or anywhere, its end, `breakctl stop`)
    BREAK_OVER = "break over"  # --break: the break this screen was opened for has ended
    LOST = "lost"  # the day went away without a word (killed)


class DayConnection:
    """The socket to the running day, read a line at a time."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = bytearray()
        self.closed = False

    @classmethod
    def open(cls, paths: Paths, env: Mapping[str, str]) -> DayConnection:
        path = socket_path(paths, env)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(os.fspath(path))
        except OSError:
            sock.close()
            raise NoDay("no day is running (`breakctl start` starts one)") from None
        return cls(sock)

    def fileno(self) -> int:
        return self.sock.fileno()

    def first(self) -> Full:
        """The whole state the day sends a new screen."""
        deadline = time.monotonic() + FIRST_WORD_S
        while True:
            for message in self.read():
                if isinstance(message, Full):
                    if message.version != PROTOCOL_VERSION:
                        raise StorageError(
                            f"the running day (pid {message.pid}) is another version of "
                            "breakctl; `breakctl stop` it and start it again"
                        )
                    return message
            left = deadline - time.monotonic()
            if self.closed or left <= 0:
                raise NoDay("the day did not answer (it may be ending); try again")
            select.select([self.sock], [], [], left)

    def read(self) -> list[object]:
        """The messages that arrived (none when nothing has: never blocks long)."""
        ready, _, _ = select.select([self.sock], [], [], 0)
        if not ready:
            return []
        try:
            data = self.sock.recv(65536)
        except OSError:
            data = b""
        if not data:
            self.closed = True
            return []
        self._buffer += data
        *lines, rest = self._buffer.split(b"\n")
        self._buffer = bytearray(rest)
        if len(self._buffer) > MAX_LINE:
            raise ProtocolError("a line too long")
        return [decode_day(line) for line in lines if line]

    def send_key(self, key: str) -> None:
        try:
            self.sock.sendall(encode(Key(key)))
        except OSError:
            self.closed = True

    def close(self) -> None:
        self.sock.close()


class Attached:
    """Feeds what the day says to `view`; `until_break_ends`: done once a break has been seen
    and is over. `alert` gets what the day's own terminal would be alerted with (the break is
    due: the bell and the terminal's notification), for this terminal."""

    def __init__(
        self,
        conn: DayConnection,
        view: SessionView,
        *,
        until_break_ends: bool = False,
        alert: Callable[[str, str], object] | None = None,
    ) -> None:
        self.conn, self.view = conn, view
        self.until_break_ends = until_break_ends
        self.alert = alert
        self.seen_break = False

    def show(self, full: Full) -> Outcome | None:
        """The first frame: the state now, then the recent lines."""
        if full.snapshot is not None:
            self.view.update([], full.snapshot)
            outcome = self._phase(full.snapshot)
            if outcome:
                return outcome
        for said in full.messages:
            self.view.message(said.text, listed=said.listed)
        return None

    def run(self, keys: TerminalKeys | None) -> Outcome:
        while True:
            fds = [self.conn.fileno()]
            local = keys.fileno() if keys is not None else None
            if local is not None:
                fds.append(local)
            if keys is None or not keys.has_pending:
                select.select(fds, [], [])
            if keys is not None and (keys.has_pending or _ready(local)):
                key = keys.wait(0)
                if key == DETACH_KEY:
                    return Outcome.DETACHED
                if key is not None:
                    self.conn.send_key(key)
            outcome = self._receive()
            if outcome is not None:
                return outcome

    def _receive(self) -> Outcome | None:
        for message in self.conn.read():
            outcome = self._dispatch(message)
            if outcome is not None:
                return outcome
        return Outcome.LOST if self.conn.closed else None

    def _dispatch(self, message: object) -> Outcome | None:
        if isinstance(message, Update):
            events = update_events(message)
            self.view.update(events, message.snapshot)
            for event in events:
                alert = effects_of(event).alert
                if alert is not None and self.alert is not None:
                    self.alert(*alert)
            return self._phase(message.snapshot)
        if isinstance(message, Message):
            self.view.message(message.text, listed=message.listed)
        elif isinstance(message, Prompt):
            self.view.prompt(message.text)
        elif isinstance(message, Ended):
            return Outcome.ENDED
        return None

    def _phase(self, snapshot: SessionSnapshot) -> Outcome | None:
        if not self.until_break_ends:
            return None
        if snapshot.phase == "break":
            self.seen_break = True
        elif self.seen_break:
            return Outcome.BREAK_OVER
        return None


def _ready(fd: int | None) -> bool:
    if fd is None:
        return False
    ready, _, _ = select.select([fd], [], [], 0)
    return bool(ready)
