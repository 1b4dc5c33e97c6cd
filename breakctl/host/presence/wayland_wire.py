"""The Wayland wire protocol, as much as an idle-notification client needs: a connection to
the compositor's socket that sends requests and reads events without libwayland.

Why not a binding: pywayland 0.4.19 (cffi over libwayland) was the first choice, built and
measured: a 60 s countdown with it peaked at 41.4 MiB against 38.9 MiB with presence off in
the same run, over the 40 MiB goal (this client: 39.0 MiB; benchmarks/presence.py); it has
wheels for x86-64 Linux only (pip would build it elsewhere, needing libwayland's headers), and
it crashed the process whenever the collector freed its proxies after their display. The
handful of messages below is all the `wayland` source speaks; the format is the wire-format
chapter of the Wayland documentation:
each message is the object id, then (size << 16 | opcode), native-endian 32-bit words; a
uint, object or new_id argument is one word; a string is its length (with the NUL), then its
bytes padded to a multiple of 4. Request and event numbers are the order of the XML files
(wayland.xml; ext-idle-notify-v1.xml; KDE's idle.xml), named where they are used.
"""

from __future__ import annotations

import contextlib
import struct
import time

from breakctl.host.presence.base import PresenceError

DISPLAY_ID = 1
# wl_display: requests sync=0, get_registry=1; events error=0, delete_id=1.
SYNC, GET_REGISTRY, ERROR_EVENT = 0, 1, 0
BIND = 0  # wl_registry.bind(name, interface, version, new_id); its event global=0
GLOBAL_EVENT = 0
DONE_EVENT = 0  # wl_callback.done
READ_LIMIT = 1 << 20  # unread events past this mean a compositor gone wrong: drop it


def encode(object_id: int, opcode: int, *args: int | str) -> bytes:
    """One message: header, then each argument as the wire format lays it out."""
    body = b""
    for arg in args:
        if isinstance(arg, str):
            data = arg.encode() + b"\0"
            body += struct.pack("=I", len(data)) + data + b"\0" * (-len(data) % 4)
        else:
            body += struct.pack("=I", arg)
    return struct.pack("=II", object_id, (8 + len(body)) << 16 | opcode) + body


def read_string(body: bytes, offset: int) -> tuple[str, int]:
    """The string at `offset` of a message body, and the offset after it."""
    (length,) = struct.unpack_from("=I", body, offset)
    text = body[offset + 4 : offset + 4 + max(0, length - 1)].decode(errors="replace")
    return text, offset + 4 + length + (-length % 4)


class WireConnection:
    """A client connection: new object ids, requests out, events in (as (object id, opcode,
    body)); every wait bounded by the caller's deadline."""

    def __init__(self, path: str, label: str, connect_within_s: float) -> None:
        import socket  # here: building the `wayland` source (every `start`) stays free

        self.label = label
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._sock.settimeout(connect_within_s)
            self._sock.connect(path)
        except OSError as exc:
            self._sock.close()
            why = exc.strerror or type(exc).__name__
            raise PresenceError(f"Wayland display {label}: cannot connect ({why})") from None
        self._sock.setblocking(False)
        self._next_id = DISPLAY_ID + 1
        self._buffer = b""

    def new_id(self) -> int:
        object_id, self._next_id = self._next_id, self._next_id + 1
        return object_id

    def send(self, object_id: int, opcode: int, *args: int | str) -> None:
        data = encode(object_id, opcode, *args)
        try:
            self._sock.sendall(data)  # a few dozen bytes into an empty socket buffer
        except OSError as exc:
            self._receive()
            self._split()  # a compositor that hung up after a wl_display.error: say its words
            raise self.failure(f"cannot send ({exc.strerror or type(exc).__name__})") from None

    def events(self, wait_s: float = 0.0) -> list[tuple[int, int, bytes]]:
        """The whole events that have arrived, after waiting at most `wait_s` for the first.
        A wl_display.error or a closed connection is a PresenceError."""
        if wait_s > 0:  # what is buffered is at most a part of a message: wait for the rest
            import select

            select.select([self._sock], [], [], wait_s)
        ended = self._receive()
        events = self._split()  # a wl_display.error among them raises, with its words
        if ended is not None:
            raise self.failure(ended)
        return events

    def _receive(self) -> str | None:
        """Read what has arrived into the buffer; why the connection ended, if it did."""
        while True:
            try:
                data = self._sock.recv(65536)
            except BlockingIOError:
                return None
            except OSError as exc:
                return f"connection lost ({exc.strerror or type(exc).__name__})"
            if not data:
                return "the compositor closed the connection"
            self._buffer += data
            if len(self._buffer) > READ_LIMIT:
                return "too many unread events"

    def _split(self) -> list[tuple[int, int, bytes]]:
        events: list[tuple[int, int, bytes]] = []
        while len(self._buffer) >= 8:
            object_id, word = struct.unpack_from("=II", self._buffer)
            size, opcode = word >> 16, word & 0xFFFF
            if size < 8:
                raise self.failure(f"malformed message (size {size})")
            if len(self._buffer) < size:
                break
            body, self._buffer = self._buffer[8:size], self._buffer[size:]
            if object_id == DISPLAY_ID and opcode == ERROR_EVENT:
                message, _ = read_string(body, 8)
                raise self.failure(f"protocol error: {message}")
            events.append((object_id, opcode, body))
        return events

    def roundtrip(self, end: float, limit_s: float) -> list[tuple[int, int, bytes]]:
        """wl_display.sync, then the events up to its `done`: every answer to the requests
        sent before. A compositor silent until `end` (monotonic; `limit_s` after the start,
        for the message) is a PresenceError."""
        callback = self.new_id()
        self.send(DISPLAY_ID, SYNC, callback)
        events: list[tuple[int, int, bytes]] = []
        while True:
            for event in self.events(max(0.0, end - time.monotonic())):
                if event[:2] == (callback, DONE_EVENT):
                    return events
                events.append(event)
            if time.monotonic() >= end:
                raise self.failure(f"no answer within {limit_s:g}s")

    def failure(self, why: str) -> PresenceError:
        return PresenceError(f"Wayland display {self.label}: {why}")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()
