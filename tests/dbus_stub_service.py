"""A tiny D-Bus service for the presence tests, run as its own process on a private bus.

Usage: python dbus_stub_service.py BUS_ADDRESS ROLE...   (roles: gnome freedesktop logind
freedesktop-unsupported). It answers the real method names and signatures of each role:
- gnome: org.gnome.Mutter.IdleMonitor /org/gnome/Mutter/IdleMonitor/Core GetIdletime -> t
  (ms), ResetIdletime -> ()
- freedesktop: org.freedesktop.ScreenSaver /org/freedesktop/ScreenSaver and /ScreenSaver
  GetSessionIdleTime -> u (ms), SimulateUserActivity -> ()
- freedesktop-unsupported: the same name, GetSessionIdleTime answers NotSupported (as KWin
  does on Wayland)
- logind: org.freedesktop.login1 Manager GetSession(s) -> o, and the session object's
  org.freedesktop.DBus.Properties Get(ss) -> v for IdleHint (b) and IdleSinceHint (t, usec
  CLOCK_REALTIME), at /org/freedesktop/login1/session/_31 and .../session/auto
- notifications: org.freedesktop.Notifications /org/freedesktop/Notifications
  GetCapabilities -> as (with "actions"), GetServerInformation -> ssss, Notify(susssasa{sv}i)
  -> u (each call kept), CloseNotification(u) -> () and the NotificationClosed(uu) signal
- notifications-plain: the same server without "actions" in its capabilities
and org.breakctl.TestStub /control SetIdleHint(b, t) for the test to steer logind,
Notifications() -> s (the Notify calls so far, as JSON lines: id, app, summary, body, actions)
and Invoke(u, s), which emits ActionInvoked(id, action) as a person picking the action would.
Prints "ready" once its names are owned.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from jeepney import (
    DBusAddress,
    MessageType,
    new_error,
    new_method_call,
    new_method_return,
    new_signal,
)
from jeepney.io.blocking import open_dbus_connection
from jeepney.low_level import HeaderFields
from jeepney.wrappers import unwrap_msg

SESSION = "/org/freedesktop/login1/session/_31"
NAMES = {
    "gnome": "org.gnome.Mutter.IdleMonitor",
    "freedesktop": "org.freedesktop.ScreenSaver",
    "freedesktop-unsupported": "org.freedesktop.ScreenSaver",
    "logind": "org.freedesktop.login1",
    "notifications": "org.freedesktop.Notifications",
    "notifications-plain": "org.freedesktop.Notifications",
}
NOTIFICATIONS = DBusAddress(
    "/org/freedesktop/Notifications",
    interface="org.freedesktop.Notifications",
)


def main() -> None:
    address, roles = sys.argv[1], set(sys.argv[2:])
    connection = open_dbus_connection(bus=address)
    bus = DBusAddress("/org/freedesktop/DBus", "org.freedesktop.DBus", "org.freedesktop.DBus")
    for name in sorted({NAMES[r] for r in roles} | {"org.breakctl.TestStub"}):
        request = new_method_call(bus, "RequestName", "su", (name, 4))  # DO_NOT_QUEUE
        (result,) = unwrap_msg(connection.send_and_get_reply(request, timeout=5))
        assert result == 1, (name, result)  # PRIMARY_OWNER
    print("ready", flush=True)
    last_input = time.monotonic()
    idle_hint, idle_since_us = False, 0
    shown: list[dict[str, Any]] = []
    while True:
        message = connection.receive()
        if message.header.message_type != MessageType.method_call:
            continue
        fields = message.header.fields
        key = (fields.get(HeaderFields.path), fields.get(HeaderFields.member))
        reply = None
        if "gnome" in roles and key == ("/org/gnome/Mutter/IdleMonitor/Core", "GetIdletime"):
            reply = new_method_return(message, "t", (ms_since(last_input),))
        elif "gnome" in roles and key[1] == "ResetIdletime":
            last_input = time.monotonic()
            reply = new_method_return(message)
        elif "freedesktop" in roles and key in (
            ("/org/freedesktop/ScreenSaver", "GetSessionIdleTime"),
            ("/ScreenSaver", "GetSessionIdleTime"),
        ):
            reply = new_method_return(message, "u", (ms_since(last_input),))
        elif "freedesktop" in roles and key[1] == "SimulateUserActivity":
            last_input = time.monotonic()
            reply = new_method_return(message)
        elif "freedesktop-unsupported" in roles and key[1] == "GetSessionIdleTime":
            reply = new_error(
                message,
                "org.freedesktop.DBus.Error.NotSupported",
                "s",
                ("GetSessionIdleTime is not supported on this platform",),
            )
        elif "logind" in roles and key == ("/org/freedesktop/login1", "GetSession"):
            reply = new_method_return(message, "o", (SESSION,))
        elif "logind" in roles and key[1] == "Get" and key[0] in (SESSION, SESSION[:-3] + "auto"):
            interface, prop = message.body
            if interface == "org.freedesktop.login1.Session" and prop == "IdleHint":
                reply = new_method_return(message, "v", (("b", idle_hint),))
            elif interface == "org.freedesktop.login1.Session" and prop == "IdleSinceHint":
                reply = new_method_return(message, "v", (("t", idle_since_us),))
        elif roles & {"notifications", "notifications-plain"} and (
            key[0] in ("/org/freedesktop/Notifications", "/control")
        ):
            reply = notifications(connection, message, key[1], "notifications" in roles, shown)
        elif key == ("/control", "SetIdleHint"):
            idle_hint, idle_since_us = message.body
            reply = new_method_return(message)
        if reply is None:
            reply = new_error(
                message, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"no {key}",)
            )
        connection.send_message(reply)


def notifications(
    connection: Any, message: Any, member: str, actions: bool, shown: list[dict[str, Any]]
) -> Any:
    """A notification server (with actions or without), and the control calls that read
    what it showed and pick an action."""
    if member == "GetCapabilities":
        return new_method_return(message, "as", (["body", *(["actions"] if actions else [])],))
    if member == "GetServerInformation":
        return new_method_return(message, "ssss", ("stub", "breakctl tests", "1", "1.2"))
    if member == "Notify":
        app, _replaces, _icon, summary, body, action_list, _hints, _timeout = message.body
        shown.append(
            {"id": len(shown) + 1, "app": app, "summary": summary, "body": body,
             "actions": list(action_list), "closed": False}
        )  # fmt: skip
        return new_method_return(message, "u", (len(shown),))
    if member == "CloseNotification":
        (number,) = message.body
        if 0 < number <= len(shown):
            shown[number - 1]["closed"] = True
            connection.send_message(
                new_signal(NOTIFICATIONS, "NotificationClosed", "uu", (number, 3))
            )
        return new_method_return(message)
    if member == "Notifications":
        return new_method_return(message, "s", ("".join(json.dumps(n) + "\n" for n in shown),))
    if member == "Invoke":
        number, action = message.body
        connection.send_message(new_signal(NOTIFICATIONS, "ActionInvoked", "us", (number, action)))
        return new_method_return(message)
    return None


def ms_since(start: float) -> int:
    return int((time.monotonic() - start) * 1000)


if __name__ == "__main__":
    main()
