"""The day's side of the socket: screens attach, get the whole state, then every update; their
keys come back. Non-blocking throughout: a stopped or slow screen never holds the day up (past
a megabyte unread it is let go)."""

from __future__ import annotations

import contextlib
import errno
import os
import selectors
import socket
from collections.abc import Callable
from pathlib import Path

from breakctl.host.day.address import answers, peer_uid, private_folder
from breakctl.host.day.protocol import Key, ProtocolError, decode_screen

BACKLOG = 16
MAX_UNSENT = 1 << 20  # bytes a screen may leave unread before it is let go
MAX_UNREAD = 1 << 16  # bytes of a screen's line without its newline: not a screen


class DayAlreadyListening(OSError):
    """Another day answers on this socket."""


class AttachedScreen:
    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.inbox = bytearray()
        self.outbox = bytearray()

    def send(self, data: bytes) -> bool:
        """Queue and send what the socket takes now; False when the screen is gone or stuck."""
        self.outbox += data
        try:
            while self.outbox:
                sent = self.conn.send(self.outbox)
                del self.outbox[:sent]
        except BlockingIOError:
            pass
        except OSError:
            return False
        return len(self.outbox) <= MAX_UNSENT

    def keys(self, data: bytes) -> list[str] | None:
        """The keys in what arrived; None when the screen spoke out of turn."""
        self.inbox += data
        *lines, rest = self.inbox.split(b"\n")
        self.inbox = bytearray(rest)
        if len(self.inbox) > MAX_UNREAD:
            return None
        keys = []
        for line in lines:
            try:
                message = decode_screen(line)
            except ProtocolError:
                return None
            if isinstance(message, Key) and len(message.key) == 1:
                keys.append(message.key)
        return keys


class DayServer:
    """The listening socket and the screens attached to it. `hello()` is the first line each
    new screen gets; `changed(count)` is called when screens come or go."""

    def __init__(
        self, path: Path, hello: Callable[[], bytes], changed: Callable[[int], None]
    ) -> None:
        self.path = path
        self.hello = hello
        self.changed = changed
        self.selector = selectors.DefaultSelector()
        self.listener: socket.socket | None = None
        self.screens: dict[int, AttachedScreen] = {}

    def open(self) -> None:
        """Listen at `path`, 0600 in a 0700 folder. The caller holds start's lock, so a socket
        found there has no day behind it (a killed day's): it is replaced."""
        private_folder(self.path.parent)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            if answers(self.path):
                raise DayAlreadyListening(errno.EADDRINUSE, f"{self.path}: another day answers")
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            listener.bind(os.fspath(self.path))
            os.chmod(self.path, 0o600)
            listener.listen(BACKLOG)
            listener.setblocking(False)
        except BaseException:
            listener.close()
            raise
        self.listener = listener
        self.selector.register(listener, selectors.EVENT_READ, "listener")

    @property
    def count(self) -> int:
        return len(self.screens)

    def broadcast(self, line: bytes) -> None:
        for fd, screen in list(self.screens.items()):
            if not screen.send(line):
                self._drop(fd)

    def serve(self, ready: object) -> list[str]:
        """A selector key's object was ready: a screen to accept, or keys to read."""
        if ready == "listener":
            self._accept()
            return []
        assert isinstance(ready, int)
        screen = self.screens.get(ready)
        if screen is None:
            return []
        try:
            data = screen.conn.recv(4096)
        except BlockingIOError:
            return []
        except OSError:
            data = b""
        keys = screen.keys(data) if data else None
        if keys is None:  # gone (detached, killed) or not a screen
            self._drop(ready)
            return []
        return keys

    def _accept(self) -> None:
        assert self.listener is not None
        while True:
            try:
                conn, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            uid = peer_uid(conn)
            if uid is not None and uid != os.getuid():  # only the day's own user
                conn.close()
                continue
            conn.setblocking(False)
            screen = AttachedScreen(conn)
            fd = conn.fileno()
            self.screens[fd] = screen
            self.selector.register(conn, selectors.EVENT_READ, fd)
            if not screen.send(self.hello()):
                self._drop(fd)
                continue
            self.changed(self.count)

    def _drop(self, fd: int) -> None:
        screen = self.screens.pop(fd, None)
        if screen is None:
            return
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(screen.conn)
        screen.conn.close()
        self.changed(self.count)

    def close(self, farewell: bytes = b"") -> None:
        """Say `farewell` to every screen (best effort, briefly), then close all."""
        for screen in self.screens.values():
            if farewell:
                with contextlib.suppress(OSError):
                    screen.conn.settimeout(1.0)
                    screen.conn.sendall(bytes(screen.outbox) + farewell)
            screen.conn.close()
        self.screens.clear()
        if self.listener is not None:
            self.listener.close()
            self.listener = None
            with contextlib.suppress(OSError):
                self.path.unlink()
        self.selector.close()
