"""`wayland`: idle time from the compositor's idle notifications, through pywayland.

Wayland has no "idle time" query. A client asks for a notification that fires (`idled`) after
`timeout` ms without input on a seat and again (`resumed`) at the next input; the timer starts
when the notification is created. So the source keeps one notification with a short timeout
(NOTIFY_AFTER_S) on a connection kept all day, and turns its events into seconds since the
last input: 0 while resumed (input within the last NOTIFY_AFTER_S), NOTIFY_AFTER_S plus the
time since `idled` once idle. Events wait in the socket between readings; each reading
dispatches what has arrived without blocking, so `idled` is timed to the reading that saw it:
the figure errs towards "present" by at most one reading interval. Input before the
connection cannot be seen: a fresh connection starts at 0.

Protocols, best first: ext-idle-notify-v1's version 2 `get_input_idle_notification` (input
only: an idle inhibitor such as a playing video does not count as you being there), its
version 1 `get_idle_notification`, then the older `org_kde_kwin_idle` (KWin, wlroots before
0.16 such as sway 1.7). Every wait on the compositor is bounded (ANSWER_WITHIN_S): a hung
compositor is a failed reading, never a frozen day.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import time
from collections.abc import Mapping
from typing import Any

from breakctl.host.presence.base import PresenceError, Source

NOTIFY_AFTER_S = 1.0  # the notification's timeout: the finest idle time the source tells
ANSWER_WITHIN_S = 5.0  # longest wait for the compositor while connecting (a busy machine)
SETTLE_MARGIN_S = 0.25  # past the first timeout: the `idled` event is on its way by then
EXT_IDLE = "ext_idle_notifier_v1"
KDE_IDLE = "org_kde_kwin_idle"


def socket_path(env: Mapping[str, str]) -> str:
    """The compositor's socket, as libwayland finds it, but from `env` (not os.environ)."""
    name = env.get("WAYLAND_DISPLAY", "")
    if not name:
        raise PresenceError("WAYLAND_DISPLAY is not set (no Wayland session)")
    if os.path.isabs(name):
        return name
    runtime_dir = env.get("XDG_RUNTIME_DIR", "")
    if not runtime_dir:
        raise PresenceError("XDG_RUNTIME_DIR is not set (where the Wayland socket lives)")
    return os.path.join(runtime_dir, name)


class WaylandSource(Source):
    name = "wayland"

    def __init__(self, env: Mapping[str, str], notify_after_s: float = NOTIFY_AFTER_S) -> None:
        self._env = env
        self._label = env.get("WAYLAND_DISPLAY", "")
        self._notify_after_s = notify_after_s
        self._display: Any = None
        self._keep: list[Any] = []  # the proxies: pywayland destroys one that is collected
        self._idle_at: float | None = None  # monotonic time of the `idled` seen last
        self._created_at = 0.0
        self.protocol: str | None = None  # which notification is in use, once connected

    @property
    def via(self) -> str | None:
        return self.protocol

    def idle_s(self) -> float:
        self._guarded(self._pump, 0.0)
        if self._idle_at is None:
            return 0.0
        return self._notify_after_s + max(0.0, time.monotonic() - self._idle_at)

    def settle(self) -> None:
        """Wait (bounded) until the first timeout has run, so that one reading in a fresh
        process says "idle at least NOTIFY_AFTER_S" or "input just now"."""
        with contextlib.suppress(PresenceError):  # the reading that follows reports it
            self._guarded(self._wait_first_timeout)

    def _wait_first_timeout(self) -> None:
        end = self._created_at + self._notify_after_s + SETTLE_MARGIN_S
        while self._idle_at is None and (left := end - time.monotonic()) > 0:
            self._pump(left)

    def _guarded(self, step: Any, *args: Any) -> None:
        """Connect if needed and run `step`; any failure lets go of the connection and is
        one PresenceError naming the display."""
        try:
            if self._display is None:
                self._connect()
            step(*args)
        except PresenceError:
            self.close()
            raise
        except Exception as exc:  # pywayland raises ValueError/RuntimeError; all: no reading
            self.close()
            text = " ".join(str(exc).split()) or type(exc).__name__
            raise PresenceError(f"Wayland display {self._label}: {text}") from None

    def _connect(self) -> None:
        path = socket_path(self._env)
        try:
            from pywayland.client.display import Display
        except ImportError:
            raise PresenceError(
                "pywayland is not installed (pip install 'breakctl[wayland]')"
            ) from None
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(ANSWER_WITHIN_S)
            sock.connect(path)
        except OSError as exc:
            sock.close()
            why = exc.strerror or type(exc).__name__
            raise PresenceError(f"Wayland display {self._label}: cannot connect ({why})") from None
        sock.setblocking(True)
        display = Display(sock.detach())  # libwayland owns the descriptor from here on
        display.connect()
        self._display = display
        offered: dict[str, tuple[int, int]] = {}

        def on_global(_registry: Any, name: int, interface: str, version: int) -> None:
            offered.setdefault(interface, (name, version))  # None back: libwayland wants an int

        registry = display.get_registry()
        registry.dispatcher["global"] = on_global
        self._keep.append(registry)
        end = time.monotonic() + ANSWER_WITHIN_S
        self._roundtrip(end)
        self._notify_on(registry, offered)
        self._roundtrip(end)  # a protocol error about the requests shows up here, not later
        self._created_at = time.monotonic()

    def _notify_on(self, registry: Any, offered: dict[str, tuple[int, int]]) -> None:
        """Ask for the best idle notification the compositor offers, on its first seat."""
        from pywayland.protocol.wayland import WlSeat

        if "wl_seat" not in offered:
            raise PresenceError(f"Wayland display {self._label} has no seat")
        timeout_ms = max(0, round(self._notify_after_s * 1000))
        seat = registry.bind(offered["wl_seat"][0], WlSeat, 1)
        if EXT_IDLE in offered:
            from pywayland.protocol.ext_idle_notify_v1 import ExtIdleNotifierV1

            name, version = offered[EXT_IDLE]
            notifier = registry.bind(name, ExtIdleNotifierV1, min(version, 2))
            if version >= 2:
                notification = notifier.get_input_idle_notification(timeout_ms, seat)
                self.protocol = "ext-idle-notify-v1 version 2 (input only)"
            else:
                notification = notifier.get_idle_notification(timeout_ms, seat)
                self.protocol = "ext-idle-notify-v1 version 1"
            idle_event = "idled"
        elif KDE_IDLE in offered:
            from breakctl.host.presence.kde_idle import OrgKdeKwinIdle

            notifier = registry.bind(offered[KDE_IDLE][0], OrgKdeKwinIdle, 1)
            notification = notifier.get_idle_timeout(seat, timeout_ms)
            self.protocol, idle_event = "org_kde_kwin_idle", "idle"
        else:
            raise PresenceError(
                f"Wayland display {self._label} offers no idle notifications "
                "(neither ext-idle-notify-v1 nor org_kde_kwin_idle)"
            )
        notification.dispatcher[idle_event] = self._on_idle
        notification.dispatcher["resumed"] = self._on_resumed
        self._keep += [seat, notifier, notification]

    def _on_idle(self, _notification: Any) -> None:
        self._idle_at = time.monotonic()

    def _on_resumed(self, _notification: Any) -> None:
        self._idle_at = None

    def _roundtrip(self, end: float) -> None:
        """wl_display.sync and wait for its `done` until `end` (libwayland's own roundtrip
        would wait forever on a compositor that hangs)."""
        answered: list[bool] = []
        callback = self._display.sync()
        callback.dispatcher["done"] = lambda *_: answered.append(True)  # append gives None
        while not answered:
            left = end - time.monotonic()
            if left <= 0:
                raise PresenceError(
                    f"Wayland display {self._label}: no answer within {ANSWER_WITHIN_S:g}s"
                )
            self._pump(left)

    def _pump(self, wait_s: float) -> None:
        """Send what is queued, read what has arrived (waiting at most `wait_s`), and run
        the handlers of the events read."""
        display = self._display
        display.dispatch(block=False)
        display.flush()
        poller = select.poll()
        poller.register(display.get_fd(), select.POLLIN)
        if poller.poll(max(0, round(wait_s * 1000))):
            try:
                display.read()  # never blocks: libwayland reads with MSG_DONTWAIT
            except RuntimeError:
                raise PresenceError(
                    f"Wayland display {self._label}: the compositor closed the connection"
                ) from None
            display.dispatch(block=False)

    def __del__(self) -> None:
        # Left to the collector, pywayland's proxies and display are freed in any order, and a
        # proxy freed after its display is a crash. close() frees them in order.
        self.close()

    def close(self) -> None:
        display, self._display = self._display, None
        kept, self._keep = self._keep, []
        self._idle_at = None
        if display is None:
            return
        with contextlib.suppress(Exception):  # already broken: nothing to let go of
            # Each proxy by hand: by the time a finalizer runs, the collector has emptied
            # the display's weak list of children that disconnect() would free.
            for proxy in reversed(kept):
                proxy.destroy()
            display.disconnect()
