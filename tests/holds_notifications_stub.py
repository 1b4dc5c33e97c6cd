"""A tiny notification server for the `dnd` hold tests, run as its own process on a private
bus: it owns org.freedesktop.Notifications and answers, as KDE Plasma's does,
org.freedesktop.DBus.Properties Get("org.freedesktop.Notifications", "Inhibited") -> v (b)
at /org/freedesktop/Notifications. The test steers it through org.breakctl.HoldsStub
/control SetInhibited(b). Prints "ready" once its names are owned.

Usage: python holds_notifications_stub.py BUS_ADDRESS [--no-inhibited]  (the second: a
server without the property, as GNOME Shell's).
"""

from __future__ import annotations

import sys

from jeepney import (
    DBusAddress,
    Message,
    MessageType,
    new_error,
    new_method_call,
    new_method_return,
)
from jeepney.io.blocking import open_dbus_connection
from jeepney.low_level import HeaderFields
from jeepney.wrappers import unwrap_msg

SERVICE = "org.freedesktop.Notifications"
CONTROL = "org.breakctl.HoldsStub"


class Server:
    """The server's state, and an answer to each method call by its member name."""

    def __init__(self, has_property: bool) -> None:
        self.has_property = has_property
        self.inhibited = False

    def Get(self, message: Message) -> Message | None:
        wanted = tuple(message.body) == (SERVICE, "Inhibited")
        return new_method_return(message, "v", (("b", self.inhibited),)) if wanted else None

    def SetInhibited(self, message: Message) -> Message:
        (self.inhibited,) = message.body
        return new_method_return(message)

    def answer(self, message: Message) -> Message:
        member = message.header.fields.get(HeaderFields.member)
        handler = {"Get": self.Get if self.has_property else None,
                   "SetInhibited": self.SetInhibited}.get(member)  # fmt: skip
        found = handler(message) if handler is not None else None
        if found is None:
            error = "org.freedesktop.DBus.Error.UnknownMethod"
            return new_error(message, error, "s", (f"no {member}",))
        return found


def main() -> None:
    address = sys.argv[1]
    connection = open_dbus_connection(bus=address)
    bus = DBusAddress("/org/freedesktop/DBus", "org.freedesktop.DBus", "org.freedesktop.DBus")
    for name in (SERVICE, CONTROL):
        request = new_method_call(bus, "RequestName", "su", (name, 4))  # DO_NOT_QUEUE
        (result,) = unwrap_msg(connection.send_and_get_reply(request, timeout=5))
        assert result == 1, (name, result)  # PRIMARY_OWNER
    server = Server(has_property="--no-inhibited" not in sys.argv)
    print("ready", flush=True)
    for message in iter(connection.receive, None):
        if message.header.message_type == MessageType.method_call:
            connection.send_message(server.answer(message))


if __name__ == "__main__":
    main()
