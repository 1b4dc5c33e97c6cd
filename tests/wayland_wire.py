"""A scripted Wayland compositor: the few messages an idle-notification client exchanges,
written to the wire exactly as the protocol XML defines them, for the protocol versions no
compositor in Debian 12 offers (ext-idle-notify-v1 versions 1 and 2; sway 1.7 has only
org_kde_kwin_idle, weston 10 neither).

Provenance. The wire format (a header of object id, then size << 16 | opcode, native-endian
32-bit words; uint/object/new_id one word; a string its length with the NUL, then its bytes
padded to 4) and the wl_display/wl_registry/wl_callback messages are from wayland.xml and the
wire-format chapter of the Wayland documentation (libwayland 1.21, MIT). ext_idle_notifier_v1
and ext_idle_notification_v1 (requests destroy=0, get_idle_notification=1,
get_input_idle_notification=2 since version 2, each with new_id, timeout, seat; events
idled=0, resumed=1) are from wayland-protocols' staging/ext-idle-notify/ext-idle-notify-v1.xml
(MIT) at interface version 2, as pywayland 0.4.19 ships it generated
(pywayland/protocol/ext_idle_notify_v1.py); org_kde_kwin_idle (get_idle_timeout=0 with new_id,
seat, timeout; events idle=0, resumed=1) from plasma-wayland-protocols 1.10's idle.xml. Like a
real compositor it answers a request the bound version lacks with wl_display.error and hangs
up. Messages are encoded with breakctl's own `encode`; the real sway tests check that encoder
and breakctl's client against libwayland on the compositor's side.
"""

from __future__ import annotations

import os
import select
import socket
import struct
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from breakctl.host.presence.wayland_wire import encode as message

DISPLAY_ID = 1
SEAT, EXT_IDLE, KDE_IDLE = "wl_seat", "ext_idle_notifier_v1", "org_kde_kwin_idle"


@dataclass
class Client:
    sock: socket.socket
    buffer: bytes = b""
    kinds: dict[int, tuple[str, int]] = field(default_factory=dict)  # object id: (iface, ver)
    notifications: list[int] = field(default_factory=list)
    next_id: int = 2  # libwayland's rule: a client's new ids come in order, none skipped
    hung_up: bool = False  # after a protocol error: the rest of what it sent is ignored


class ScriptedCompositor:
    """Serves `offer` ({interface: version}) on a socket in a private runtime directory.
    `requests` records each idle request as (name, timeout_ms); `idle()`/`resume()` send the
    notification events; `answer=False` makes it a compositor that accepts and never
    replies (a hung one); `refuse` answers the idle request with a protocol error."""

    def __init__(self, offer: dict[str, int], answer: bool = True) -> None:
        self.offer = {SEAT: 1, **offer}
        self.answer = answer
        self.refuse = False
        self.requests: list[tuple[str, int]] = []
        self._runtime = Path(tempfile.mkdtemp(prefix="breakctl-wl-", dir="/tmp"))
        os.chmod(self._runtime, 0o700)
        self.env = {"XDG_RUNTIME_DIR": str(self._runtime), "WAYLAND_DISPLAY": "wayland-9"}
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(self._runtime / "wayland-9"))
        self._listener.listen()
        self._clients: list[Client] = []
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()
        self._running = True
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    # --- what a test does -------------------------------------------------------------

    def idle(self) -> None:
        self._send_to_notifications(0)  # idled (ext) / idle (kde): opcode 0 in both

    def resume(self) -> None:
        self._send_to_notifications(1)

    def stop(self) -> None:
        if self._running:
            self._running = False
            os.write(self._wake_w, b"x")
            self._thread.join(timeout=30)
            for client in self._clients:
                client.sock.close()
            self._listener.close()
            os.close(self._wake_r)
            os.close(self._wake_w)
            for path in self._runtime.iterdir():
                path.unlink()
            self._runtime.rmdir()

    def _send_to_notifications(self, opcode: int) -> None:
        with self._lock:
            for client in self._clients:
                for object_id in client.notifications:
                    client.sock.sendall(message(object_id, opcode))

    # --- the compositor's side --------------------------------------------------------

    def _serve(self) -> None:
        while self._running:
            socks = [self._listener, self._wake_r, *(c.sock for c in self._clients)]
            readable, _, _ = select.select(socks, [], [])
            for ready in readable:
                if ready is self._listener:
                    sock, _ = self._listener.accept()
                    with self._lock:
                        self._clients.append(Client(sock, kinds={DISPLAY_ID: ("wl_display", 1)}))
                elif ready != self._wake_r:
                    self._read(next(c for c in self._clients if c.sock is ready))

    def _read(self, client: Client) -> None:
        data = client.sock.recv(65536)
        if not data:
            with self._lock:
                self._clients.remove(client)
            client.sock.close()
            return
        client.buffer += data
        while len(client.buffer) >= 8:
            object_id, word = struct.unpack_from("=II", client.buffer)
            size, opcode = word >> 16, word & 0xFFFF
            if len(client.buffer) < size:
                break
            body, client.buffer = client.buffer[8:size], client.buffer[size:]
            if self.answer and not client.hung_up:
                with self._lock:
                    self._handle(client, object_id, opcode, body)

    def _handle(self, client: Client, object_id: int, opcode: int, body: bytes) -> None:
        kind, version = client.kinds.get(object_id, ("?", 0))
        words = [struct.unpack_from("=I", body, n)[0] for n in range(0, len(body) - 3, 4)]
        send = client.sock.sendall
        new_id = self._new_id(kind, opcode, body, words)
        if new_id is not None and new_id != client.next_id:
            send(message(DISPLAY_ID, 0, DISPLAY_ID, 1, f"invalid arguments for {kind}"))
            client.sock.shutdown(socket.SHUT_RDWR)
            client.hung_up = True
            return
        client.next_id += new_id is not None
        if kind == "wl_display" and opcode == 0:  # sync(callback): done(serial), delete_id
            send(message(words[0], 0, 1) + message(DISPLAY_ID, 1, words[0]))
        elif kind == "wl_display" and opcode == 1:  # get_registry(registry): the globals
            client.kinds[words[0]] = ("wl_registry", 1)
            for name, (interface, offered) in enumerate(self.offer.items(), start=1):
                send(message(words[0], 0, name, interface, offered))
        elif kind == "wl_registry" and opcode == 0:  # bind(name, interface, version, id)
            name, length = words[0], words[1]
            interface = body[8 : 8 + length - 1].decode()
            rest = 8 + length + (-length % 4)
            bound_version, new_id = struct.unpack_from("=II", body, rest)
            client.kinds[new_id] = (interface, bound_version)
        elif kind == EXT_IDLE and opcode in (1, 2):  # get_(input_)idle_notification
            request = ("get_idle_notification", "get_input_idle_notification")[opcode - 1]
            if (opcode == 2 and version < 2) or self.refuse:  # a real compositor's answer
                send(message(DISPLAY_ID, 0, object_id, 1, f"invalid request {opcode}"))
                client.sock.shutdown(socket.SHUT_RDWR)
                client.hung_up = True
                return
            self.requests.append((request, words[1]))
            client.notifications.append(words[0])
        elif kind == KDE_IDLE and opcode == 0:  # get_idle_timeout(id, seat, timeout)
            self.requests.append(("get_idle_timeout", words[2]))
            client.notifications.append(words[0])

    @staticmethod
    def _new_id(kind: str, opcode: int, body: bytes, words: list[int]) -> int | None:
        """The new object id a request creates, if it creates one."""
        if kind == "wl_registry" and opcode == 0:
            length = words[1]
            return int(struct.unpack_from("=I", body, 8 + length + (-length % 4) + 4)[0])
        if kind == "wl_display" or (kind == EXT_IDLE and opcode in (1, 2)):
            return words[0]
        return words[0] if kind == KDE_IDLE and opcode == 0 else None


@contextmanager
def scripted_compositor(offer: dict[str, int], answer: bool = True) -> Iterator[ScriptedCompositor]:
    compositor = ScriptedCompositor(offer, answer)
    try:
        yield compositor
    finally:
        compositor.stop()
