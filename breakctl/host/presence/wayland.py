"""`wayland`: idle time from the compositor's idle notifications (wayland_wire speaks to it).

Wayland has no "idle time" query. A client asks for a notification that fires (`idled`) after
`timeout` ms without input on a seat and again (`resumed`) at the next input; the timer starts
when the notification is created. So the source keeps one notification with a short timeout
(NOTIFY_AFTER_S) on a connection kept all day, and turns its events into seconds since the
last input: 0 while resumed (input within the last NOTIFY_AFTER_S), NOTIFY_AFTER_S plus the
time since `idled` once idle. Events wait in the socket between readings; each reading takes
what has arrived without blocking, so `idled` is timed to the reading that saw it: the figure
errs towards "present" by at most one reading interval. Input before the connection cannot
be seen: a fresh connection starts at 0.

Protocols, best first: ext-idle-notify-v1's version 2 `get_input_idle_notification` (input
only: an idle inhibitor such as a playing video does not count as you being there), its
version 1 `get_idle_notification`, then the older `org_kde_kwin_idle` (KWin, wlroots before
0.16 such as sway 1.7). Every wait on the compositor is bounded (ANSWER_WITHIN_S): a hung
compositor is a failed reading, never a frozen day.
"""

from __future__ import annotations

import os
import struct
import time
from collections.abc import Mapping

from breakctl.host.presence.base import PresenceError, Source
from breakctl.host.presence.wayland_wire import (
    BIND,
    DISPLAY_ID,
    GET_REGISTRY,
    GLOBAL_EVENT,
    WireConnection,
    read_string,
)

NOTIFY_AFTER_S = 1.0  # the notification's timeout: the finest idle time the source tells
ANSWER_WITHIN_S = 5.0  # longest wait for the compositor while connecting (a busy machine)
SETTLE_MARGIN_S = 0.25  # past the first timeout: the `idled` event is on its way by then
SEAT = "wl_seat"
EXT_IDLE = "ext_idle_notifier_v1"  # requests: get_idle_notification=1, get_input_...=2
KDE_IDLE = "org_kde_kwin_idle"  # request: get_idle_timeout=0 (id, seat, timeout)
IDLE_EVENT, RESUMED_EVENT = 0, 1  # the same in both: idled/idle=0, resumed=1


def socket_path(env: Mapping[str, str]) -> str:
    """The compositor's socket, found as libwayland finds it, but from `env`."""
    name = env.get("WAYLAND_DISPLAY", "")
    if not name:
        raise PresenceError("WAYLAND_DISPLAY is not set (no Wayland session)")
    if os.path.isabs(name):
        return name
    runtime_dir = env.get("XDG_RUNTIME_DIR", "")
    if not runtime_dir:
        raise PresenceError("XDG_RUNTIME_DIR is not set (where the Wayland socket lives)")
    return os.path.join(runtime_dir, name)


def offered_globals(
    events: list[tuple[int, int, bytes]], registry: int
) -> dict[str, tuple[int, int]]:
    """wl_registry.global events as {interface: (name, version)}, the first of each."""
    offered: dict[str, tuple[int, int]] = {}
    for object_id, opcode, body in events:
        if (object_id, opcode) == (registry, GLOBAL_EVENT):
            (name,) = struct.unpack_from("=I", body)
            interface, after = read_string(body, 4)
            (version,) = struct.unpack_from("=I", body, after)
            offered.setdefault(interface, (name, version))
    return offered


class WaylandSource(Source):
    name = "wayland"

    def __init__(self, env: Mapping[str, str], notify_after_s: float = NOTIFY_AFTER_S) -> None:
        self._env = env
        self._label = env.get("WAYLAND_DISPLAY", "")
        self._notify_after_s = notify_after_s
        self._wire: WireConnection | None = None
        self._notification = 0  # its object id, once asked for
        self._idle_at: float | None = None  # monotonic time of the `idled` seen last
        self._created_at = 0.0
        self.protocol: str | None = None  # which notification is in use, once connected

    @property
    def via(self) -> str | None:
        return self.protocol

    def idle_s(self) -> float:
        self._take_events(0.0)
        if self._idle_at is None:
            return 0.0
        return self._notify_after_s + max(0.0, time.monotonic() - self._idle_at)

    def settle(self) -> None:
        """Wait (bounded) until the first timeout has run, so that one reading in a fresh
        process says "idle at least NOTIFY_AFTER_S" or "input just now"."""
        try:
            self._take_events(0.0)
            end = self._created_at + self._notify_after_s + SETTLE_MARGIN_S
            while self._idle_at is None and (left := end - time.monotonic()) > 0:
                self._take_events(left)
        except PresenceError:
            pass  # the reading that follows reports it

    def _take_events(self, wait_s: float) -> None:
        """Connect if needed, then apply the notification's events that have arrived. Any
        failure lets go of the connection (the next reading connects afresh)."""
        try:
            if self._wire is None:
                self._connect()
            assert self._wire is not None
            self._apply(self._wire.events(wait_s))
        except PresenceError:
            self.close()
            raise

    def _apply(self, events: list[tuple[int, int, bytes]]) -> None:
        """The notification's events, in order; the rest (seat, registry) need nothing."""
        for object_id, opcode, _body in events:
            if object_id == self._notification and opcode == IDLE_EVENT:
                self._idle_at = time.monotonic()
            elif object_id == self._notification and opcode == RESUMED_EVENT:
                self._idle_at = None

    def _connect(self) -> None:
        end = time.monotonic() + ANSWER_WITHIN_S
        self._wire = wire = WireConnection(socket_path(self._env), self._label, ANSWER_WITHIN_S)
        registry = wire.new_id()
        wire.send(DISPLAY_ID, GET_REGISTRY, registry)
        offered = offered_globals(wire.roundtrip(end, ANSWER_WITHIN_S), registry)
        self._ask_for_notification(wire, registry, offered)
        self._created_at = time.monotonic()
        # A protocol error about the request shows here; so would an `idled` at once.
        self._apply(wire.roundtrip(end, ANSWER_WITHIN_S))

    def _ask_for_notification(
        self, wire: WireConnection, registry: int, offered: dict[str, tuple[int, int]]
    ) -> None:
        """The best idle notification the compositor offers, on its first seat."""
        if SEAT not in offered:
            raise PresenceError(f"Wayland display {self._label} has no seat")
        timeout_ms = max(0, round(self._notify_after_s * 1000))
        seat = self._bind(wire, registry, offered, SEAT, 1)
        # New ids go in order: the compositor refuses one that skips an unused id.
        if EXT_IDLE in offered:
            version = min(offered[EXT_IDLE][1], 2)
            notifier = self._bind(wire, registry, offered, EXT_IDLE, version)
            request = 2 if version >= 2 else 1  # get_input_idle_notification: version 2
            self._notification = wire.new_id()
            wire.send(notifier, request, self._notification, timeout_ms, seat)
            self.protocol = (
                "ext-idle-notify-v1 version 2 (input only)"
                if version >= 2
                else "ext-idle-notify-v1 version 1"
            )
        elif KDE_IDLE in offered:
            notifier = self._bind(wire, registry, offered, KDE_IDLE, 1)
            self._notification = wire.new_id()
            wire.send(notifier, 0, self._notification, seat, timeout_ms)
            self.protocol = "org_kde_kwin_idle"
        else:
            raise PresenceError(
                f"Wayland display {self._label} offers no idle notifications "
                "(neither ext-idle-notify-v1 nor org_kde_kwin_idle)"
            )

    @staticmethod
    def _bind(
        wire: WireConnection,
        registry: int,
        offered: dict[str, tuple[int, int]],
        interface: str,
        version: int,
    ) -> int:
        object_id = wire.new_id()
        wire.send(registry, BIND, offered[interface][0], interface, version, object_id)
        return object_id

    def close(self) -> None:
        wire, self._wire = self._wire, None
        self._idle_at = None
        self._notification = 0
        self.protocol = None
        if wire is not None:
            wire.close()  # the compositor frees what the connection held
