"""`gnome`, `freedesktop` and `logind`: idle time over D-Bus, through jeepney.

Method names and signatures, as the services define them:
- gnome: org.gnome.Mutter.IdleMonitor, object /org/gnome/Mutter/IdleMonitor/Core,
  GetIdletime() -> t (uint64 milliseconds), on the session bus.
- freedesktop: org.freedesktop.ScreenSaver, object /org/freedesktop/ScreenSaver (KDE's
  kscreenlocker registers the same object at /ScreenSaver too), GetSessionIdleTime() -> u
  (uint32 milliseconds: KDE answers with KIdleTime's idle time), on the session bus.
- logind: org.freedesktop.login1 on the system bus; the session object's properties
  IdleHint (b) and IdleSinceHint (t, microseconds of CLOCK_REALTIME), read with
  org.freedesktop.DBus.Properties.Get. The session is XDG_SESSION_ID's (Manager.GetSession)
  or logind's "auto" one. Coarse: desktops set IdleHint after their own idle delay.

Bus addresses come from DBUS_SESSION_BUS_ADDRESS (else $XDG_RUNTIME_DIR/bus) and
DBUS_SYSTEM_BUS_ADDRESS (else the standard system socket), so tests can point them at a
private dbus-daemon. The connection stays open between readings.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from breakctl.host.presence.base import PresenceError, Source

TIMEOUT_S = 1.0
SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket"
NOT_THERE = {
    "org.freedesktop.DBus.Error.ServiceUnknown",
    "org.freedesktop.DBus.Error.NameHasNoOwner",
}


def bus_address(bus: str, env: Mapping[str, str]) -> str:
    """The address of the session or system bus, as `env` says; PresenceError when none."""
    if bus == "system":
        return env.get("DBUS_SYSTEM_BUS_ADDRESS") or SYSTEM_BUS
    address = env.get("DBUS_SESSION_BUS_ADDRESS")
    if address:
        return address
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and os.path.exists(os.path.join(runtime, "bus")):
        return f"unix:path={os.path.join(runtime, 'bus')}"
    raise PresenceError("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")


class BusSource(Source):
    """A source that calls methods on one D-Bus bus."""

    bus = "session"

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env
        self._connection: Any = None

    def call(
        self,
        service: str,
        path: str,
        interface: str,
        method: str,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
    ) -> tuple[Any, ...]:
        """The reply's body; PresenceError naming the service or the bus on failure."""
        try:
            from jeepney import DBusAddress, MessageFlag, new_method_call
            from jeepney.io.blocking import open_dbus_connection
            from jeepney.wrappers import DBusErrorResponse, unwrap_msg
        except ImportError:
            raise PresenceError("jeepney is not installed") from None
        address = bus_address(self.bus, self._env)
        message = new_method_call(DBusAddress(path, service, interface), method, signature, body)
        message.header.flags |= MessageFlag.no_auto_start  # ask who is there; start nothing
        try:
            if self._connection is None:
                self._connection = open_dbus_connection(bus=address, auth_timeout=TIMEOUT_S)
            return tuple(
                unwrap_msg(self._connection.send_and_get_reply(message, timeout=TIMEOUT_S))
            )
        except DBusErrorResponse as exc:
            if exc.name in NOT_THERE:
                raise PresenceError(f"no {service} on the {self.bus} bus") from None
            detail = f": {exc.data[0]}" if exc.data and isinstance(exc.data[0], str) else ""
            raise PresenceError(f"{service} {method}: {exc.name}{detail}") from None
        except (OSError, RuntimeError, ValueError, KeyError) as exc:  # no bus, gone, garbled
            self.close()
            text = getattr(exc, "strerror", None) or " ".join(str(exc).split())
            if isinstance(exc, ValueError | KeyError):
                text = f"cannot use this address or its answer ({text})"
            raise PresenceError(f"{self.bus} bus {address}: {text or type(exc).__name__}") from None

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


class IdleMethodSource(BusSource):
    """A session-bus method that answers with the idle time in milliseconds."""

    method: tuple[str, str, str, str] = ("", "", "", "")  # service, object, interface, method

    def idle_s(self) -> float:
        (ms,) = self.call(*self.method)
        return int(ms) / 1000.0


class GnomeSource(IdleMethodSource):
    name = "gnome"
    method = (
        "org.gnome.Mutter.IdleMonitor",
        "/org/gnome/Mutter/IdleMonitor/Core",
        "org.gnome.Mutter.IdleMonitor",
        "GetIdletime",
    )


class FreedesktopSource(IdleMethodSource):
    name = "freedesktop"
    method = (
        "org.freedesktop.ScreenSaver",
        "/org/freedesktop/ScreenSaver",
        "org.freedesktop.ScreenSaver",
        "GetSessionIdleTime",
    )


LOGIND = "org.freedesktop.login1"
AUTO_SESSION = "/org/freedesktop/login1/session/auto"


class LogindSource(BusSource):
    name = "logind"
    bus = "system"

    def __init__(self, env: Mapping[str, str], now: Callable[[], float] = time.time) -> None:
        super().__init__(env)
        self._session_id = env.get("XDG_SESSION_ID", "")
        self._session_path: str | None = None
        self._now = now

    def idle_s(self) -> float:
        if self._property("IdleHint") is not True:
            return 0.0
        since_us = self._property("IdleSinceHint")
        return max(0.0, self._now() - int(since_us) / 1e6)

    def _property(self, name: str) -> Any:
        (variant,) = self.call(
            LOGIND,
            self._session(),
            "org.freedesktop.DBus.Properties",
            "Get",
            "ss",
            (f"{LOGIND}.Session", name),
        )
        return variant[1]  # a variant arrives as (signature, value)

    def _session(self) -> str:
        if self._session_path is None:
            if self._session_id:
                (self._session_path,) = self.call(
                    LOGIND,
                    "/org/freedesktop/login1",
                    f"{LOGIND}.Manager",
                    "GetSession",
                    "s",
                    (self._session_id,),
                )
            else:
                self._session_path = AUTO_SESSION
        return self._session_path
