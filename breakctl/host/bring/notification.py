"""A desktop notification with a "Start the routine" action, through the freedesktop
notification server (org.freedesktop.Notifications on the session bus, via jeepney).

Where the server's GetCapabilities lists "actions", the notification carries the action and a
daemon thread waits for its ActionInvoked signal on a connection of its own: a blocking read,
no polling, so the countdown pays nothing for it. The wait ends when the action comes, when
the notification is closed, or when the break ends (`stop`: the connection's reading side is
shut, which wakes the read at once); a notification still shown then is withdrawn."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from breakctl.host.bring.base import CannotBring
from breakctl.host.presence.base import PresenceError
from breakctl.host.presence.dbus import NOT_THERE, bus_address

SERVICE = "org.freedesktop.Notifications"
OBJECT = "/org/freedesktop/Notifications"
ACTION = "start-routine"
ACTION_LABEL = "Start the routine"
DEFAULT_ACTION = "default"  # a click on the notification's body, where servers offer it
TIMEOUT_S = 2.0  # each method call on the bus
CHECK_S = 60.0  # a read never waits longer than this without looking at the stop flag


def session_bus(env: Mapping[str, str]) -> str:
    try:
        return bus_address("session", env)
    except PresenceError as exc:
        raise CannotBring(str(exc)) from None


class ActionNotification:
    """One notification with the action; `on_action` runs (on the listening thread) when the
    person picks it."""

    def __init__(self, env: Mapping[str, str], on_action: Callable[[], None]) -> None:
        self.env = env
        self.on_action = on_action
        self._connection: Any = None
        self._stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def send(self, title: str, body: str, limit_s: float) -> bool:
        """Show it; False (and nothing shown) when the server has no actions. The listening
        stops after `limit_s` at the latest. CannotBring when there is no server to ask."""
        from jeepney import DBusAddress, MatchRule, new_method_call
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        address = session_bus(self.env)
        server = DBusAddress(OBJECT, SERVICE, SERVICE)
        try:
            connection = open_dbus_connection(bus=address, auth_timeout=TIMEOUT_S)
        except (OSError, RuntimeError, ValueError) as exc:
            raise CannotBring(f"session bus {address}: {_why(exc)}") from None
        try:
            asked = new_method_call(server, "GetCapabilities")
            (capabilities,) = unwrap_msg(connection.send_and_get_reply(asked, timeout=TIMEOUT_S))
            if "actions" not in capabilities:
                connection.close()
                return False
            rule = MatchRule(type="signal", interface=SERVICE, path=OBJECT)
            signals = connection.filter(rule, bufsize=64)
            unwrap_msg(connection.send_and_get_reply(message_bus.AddMatch(rule), timeout=TIMEOUT_S))
            actions = [ACTION, ACTION_LABEL, DEFAULT_ACTION, ACTION_LABEL]
            hints = {"urgency": ("y", 1), "category": ("s", "x-breakctl.break")}
            notify = new_method_call(
                server, "Notify", "susssasa{sv}i",
                ("breakctl", 0, "", title, body, actions, hints, -1),
            )  # fmt: skip
            (notification_id,) = unwrap_msg(
                connection.send_and_get_reply(notify, timeout=TIMEOUT_S)
            )
        except DBusErrorResponse as exc:
            connection.close()
            if exc.name in NOT_THERE:
                raise CannotBring(f"no notification server on the session bus {address}") from None
            raise CannotBring(f"{SERVICE}: {exc.name}") from None
        except (OSError, RuntimeError, ValueError, TimeoutError) as exc:
            connection.close()
            raise CannotBring(f"{SERVICE}: {_why(exc)}") from None
        self._connection = connection
        self.thread = threading.Thread(
            target=self._listen,
            args=(signals, notification_id, time.monotonic() + limit_s),
            name="breakctl notification action",
            daemon=True,
        )
        self.thread.start()
        return True

    def stop(self) -> None:
        """The break is over: stop listening now (the thread withdraws the notification)."""
        self._stopped.set()
        connection = self._connection
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RD)  # wakes the blocked read

    def _listen(self, signals: Any, notification_id: int, deadline: float) -> None:
        connection = self._connection
        picked = closed = False
        try:
            while not (picked or closed or self._stopped.is_set()):
                while signals.queue and not (picked or closed):
                    member, body = _signal(signals.queue.popleft())
                    if body and body[0] == notification_id:
                        picked = member == "ActionInvoked" and body[1] in (ACTION, DEFAULT_ACTION)
                        closed = member == "NotificationClosed"
                if picked or closed:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    connection.recv_messages(timeout=min(left, CHECK_S))
        except (OSError, RuntimeError, ValueError, EOFError):
            pass  # the connection was shut (the break is over) or the bus went away
        finally:
            if picked:
                self.on_action()
            elif not closed:
                self._withdraw(notification_id)
            signals.close()
            connection.close()

    def _withdraw(self, notification_id: int) -> None:
        """The break is over: a "Start the routine" left on screen would start nothing."""
        from jeepney import DBusAddress, new_method_call

        close = new_method_call(
            DBusAddress(OBJECT, SERVICE, SERVICE), "CloseNotification", "u", (notification_id,)
        )
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            self._connection.send(close)


def _signal(message: Any) -> tuple[str, tuple[Any, ...]]:
    from jeepney.low_level import HeaderFields

    return message.header.fields.get(HeaderFields.member, ""), tuple(message.body)


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or " ".join(str(exc).split()) or type(exc).__name__
