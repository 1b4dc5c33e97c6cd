"""The `dnd` hold source against real components: GNOME's key through a real `gsettings`
(the keyfile backend in a private XDG_CONFIG_HOME), and `Inhibited` from a stub
notification server on a private `dbus-daemon --session`, both started by the test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from breakctl.core.holds import Hold, HoldsSettings
from breakctl.host.holds import dnd
from breakctl.host.holds.base import HoldError
from tests.presence_helpers import dbus_daemon, need, stop

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))
STUB = Path(__file__).with_name("holds_notifications_stub.py")
SCHEMA = "/usr/share/glib-2.0/schemas/org.gnome.desktop.notifications.gschema.xml"


def gnome_env(tmp_path: Path) -> dict[str, str]:
    """A real GSettings store of the test's own: the keyfile backend under tmp_path."""
    need("gsettings")
    if not Path(SCHEMA).exists():
        pytest.skip("needs gsettings-desktop-schemas (CI installs it)")
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "GSETTINGS_BACKEND": "keyfile",
    }


def banners(env: dict[str, str], value: str) -> None:
    argv = ["gsettings", "set", "org.gnome.desktop.notifications", "show-banners", value]
    subprocess.run(argv, env=env, check=True, timeout=30)


def dnd_source(env: dict[str, str]) -> dnd.DndSource:
    source = dnd.source(HoldsSettings(), env)
    assert isinstance(source, dnd.DndSource)
    return source


def test_gnome_do_not_disturb_holds(tmp_path: Path) -> None:
    env = gnome_env(tmp_path)
    source = dnd_source(env)
    assert source.holds(NOW) == []  # banners on by default
    assert source.works() is None  # GNOME answers, though no session bus does
    banners(env, "false")
    assert source.holds(NOW) == [Hold("dnd", "do not disturb")]
    banners(env, "true")
    assert source.holds(NOW) == []


@contextmanager
def notification_server(address: str, *args: str) -> Iterator[None]:
    server = subprocess.Popen(
        [sys.executable, str(STUB), address, *args], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        assert server.stdout.readline().strip() == "ready", "the stub server did not start"
        yield
    finally:
        stop(server)


def set_inhibited(address: str, value: bool) -> None:
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.wrappers import unwrap_msg

    target = DBusAddress("/control", "org.breakctl.HoldsStub", "org.breakctl.HoldsStub")
    with open_dbus_connection(bus=address) as connection:
        call = new_method_call(target, "SetInhibited", "b", (value,))
        unwrap_msg(connection.send_and_get_reply(call, timeout=30))


def bus_env(address: str) -> dict[str, str]:
    # no gsettings on PATH: only the bus can answer
    return {"PATH": "/nonexistent", "DBUS_SESSION_BUS_ADDRESS": address}


def test_inhibited_notifications_hold(tmp_path: Path) -> None:
    with dbus_daemon(tmp_path) as address, notification_server(address):
        source = dnd_source(bus_env(address))
        try:
            assert source.holds(NOW) == []
            set_inhibited(address, True)
            assert source.holds(NOW) == [Hold("dnd", "notifications inhibited")]
            set_inhibited(address, False)
            assert source.holds(NOW) == []
        finally:
            source.close()


def test_a_server_without_inhibited_cannot_tell(tmp_path: Path) -> None:
    with dbus_daemon(tmp_path) as address, notification_server(address, "--no-inhibited"):
        source = dnd_source(bus_env(address))
        with pytest.raises(HoldError, match=r"org.freedesktop.Notifications Get: .*UnknownMethod"):
            source.holds(NOW)
        source.close()


def test_gnome_and_the_bus_together(tmp_path: Path) -> None:
    env = gnome_env(tmp_path)
    with dbus_daemon(tmp_path) as address, notification_server(address):
        source = dnd_source(env | {"DBUS_SESSION_BUS_ADDRESS": address})
        try:
            set_inhibited(address, True)
            assert source.holds(NOW) == [Hold("dnd", "notifications inhibited")]
            banners(env, "false")
            assert source.holds(NOW) == [Hold("dnd", "do not disturb")]
        finally:
            source.close()


def test_nothing_to_ask_says_why(tmp_path: Path) -> None:
    source = dnd_source({"PATH": "/nonexistent"})
    why = source.works()
    assert why is not None
    assert "gsettings (GNOME) not found" in why and "no session bus" in why


def test_macos_focus_from_assertions_json(tmp_path: Path) -> None:
    """The file's shape as macOS 12 writes it (no Mac here: the reading and its refusals)."""
    store = tmp_path / "Library" / "DoNotDisturb" / "DB"
    store.mkdir(parents=True)
    source = dnd.DndSource({"HOME": str(tmp_path)}, platform="darwin")
    assert source.holds(NOW) == []  # never turned on: no file
    off = {"data": [{"storeAssertionRecords": [], "header": {"timestamp": 1}}]}
    (store / "Assertions.json").write_text(json.dumps(off))
    assert source.holds(NOW) == []
    on = {
        "data": [
            {
                "storeAssertionRecords": [
                    {
                        "assertionDetails": {
                            "assertionDetailsModeIdentifier": "com.apple.donotdisturb.mode.default"
                        }
                    }
                ]
            }
        ]
    }
    (store / "Assertions.json").write_text(json.dumps(on))
    assert source.holds(NOW) == [Hold("dnd", "Focus")]
    (store / "Assertions.json").write_text("{}")
    with pytest.raises(HoldError, match="not as expected"):
        source.holds(NOW)
