"""gnome, freedesktop and logind against a real dbus-daemon with a stub service that answers
the real method names and signatures; the client code is the real one."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakctl.host.presence.base import PresenceError
from breakctl.host.presence.dbus import FreedesktopSource, GnomeSource, LogindSource, bus_address
from breakctl.host.presence.settings import PresenceSettings
from breakctl.host.presence.sources import open_presence
from tests.presence_helpers import dbus_daemon, poll, stop, stub_control, stub_service


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[str]:
    with dbus_daemon(tmp_path) as address:
        yield address


@pytest.mark.parametrize(
    ("role", "source_class", "reset"),
    [
        ("gnome", GnomeSource, "ResetIdletime"),
        ("freedesktop", FreedesktopSource, "SimulateUserActivity"),
    ],
)
def test_idle_time_follows_the_service(bus: str, role: str, source_class: type, reset: str) -> None:
    with stub_service(bus, role):
        source = source_class({"DBUS_SESSION_BUS_ADDRESS": bus})
        assert source.probe() == (True, None)
        poll(source.idle_s, lambda idle: idle >= 0.3)
        _reset(bus, role, reset)
        assert source.idle_s() < 0.3
        source.close()


def _reset(bus: str, role: str, method: str) -> None:
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    path, name = {
        "gnome": ("/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor"),
        "freedesktop": ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    }[role]
    with open_dbus_connection(bus=bus) as connection:
        connection.send_and_get_reply(
            new_method_call(DBusAddress(path, name, name), method), timeout=5
        )


def test_a_bus_without_the_service_says_so(bus: str) -> None:
    with stub_service(bus, "logind"):  # someone else is on the bus, not Mutter
        works, why = GnomeSource({"DBUS_SESSION_BUS_ADDRESS": bus}).probe()
    assert not works
    assert why == "no org.gnome.Mutter.IdleMonitor on the session bus"


def test_a_service_that_refuses_gives_its_error(bus: str) -> None:
    with stub_service(bus, "freedesktop-unsupported"):
        works, why = FreedesktopSource({"DBUS_SESSION_BUS_ADDRESS": bus}).probe()
    assert not works
    assert why == (
        "org.freedesktop.ScreenSaver GetSessionIdleTime: org.freedesktop.DBus.Error.NotSupported: "
        "GetSessionIdleTime is not supported on this platform"
    )


def test_no_session_bus(tmp_path: Path) -> None:
    works, why = GnomeSource({"XDG_RUNTIME_DIR": str(tmp_path)}).probe()
    assert (works, why) == (False, "no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
    gone = f"unix:path={tmp_path}/gone"
    works, why = FreedesktopSource({"DBUS_SESSION_BUS_ADDRESS": gone}).probe()
    assert (works, why) == (False, f"session bus {gone}: No such file or directory")


def test_session_bus_from_the_runtime_dir(bus: str, tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    (runtime / "bus").symlink_to(bus.split("path=")[1].split(",")[0])
    assert bus_address("session", {"XDG_RUNTIME_DIR": str(runtime)}) == f"unix:path={runtime}/bus"
    with stub_service(bus, "gnome"):
        assert GnomeSource({"XDG_RUNTIME_DIR": str(runtime)}).probe() == (True, None)


@pytest.mark.parametrize("session_id", ["31", ""])  # by XDG_SESSION_ID, or logind's "auto"
def test_logind_idle_hint(bus: str, session_id: str) -> None:
    env = {"DBUS_SYSTEM_BUS_ADDRESS": bus, "XDG_SESSION_ID": session_id}
    with stub_service(bus, "logind"):
        source = LogindSource(env)
        assert source.idle_s() == 0.0  # IdleHint false: active
        since = time.time() - 300
        stub_control(bus, "SetIdleHint", "bt", (True, int(since * 1e6)))
        assert 300 <= source.idle_s() < 305
        stub_control(bus, "SetIdleHint", "bt", (False, int(since * 1e6)))
        assert source.idle_s() == 0.0
        source.close()


def test_a_service_that_goes_and_comes_back_and_a_bus_that_goes(tmp_path: Path) -> None:
    """A failed reading says why once and keeps the source: the next reading after the
    service is back works (#22); a bus gone for good fails each reading, the day goes on."""
    with dbus_daemon(tmp_path) as bus:
        with stub_service(bus, "gnome") as service:
            presence = open_presence(
                PresenceSettings(source="gnome"), {"DBUS_SESSION_BUS_ADDRESS": bus}
            )
            assert presence.name == "gnome"
            assert presence.idle_s() is not None
            stop(service)
            assert presence.idle_s() is None
            assert presence.take_failure() == ("no org.gnome.Mutter.IdleMonitor on the session bus")
            assert presence.take_failure() is None
        with stub_service(bus, "gnome"):
            assert presence.idle_s() is not None
            assert presence.take_failure() is None
    assert presence.idle_s() is None
    failure = presence.take_failure()
    assert failure is not None and failure.startswith(f"session bus {bus}: ")
    assert presence.name == "gnome"


def test_the_connection_is_kept_between_readings(bus: str) -> None:
    with stub_service(bus, "gnome"):
        source = GnomeSource({"DBUS_SESSION_BUS_ADDRESS": bus})
        source.idle_s()
        first = source._connection
        source.idle_s()
        assert source._connection is first is not None
        source.close()
        assert source._connection is None


def test_garbled_address() -> None:
    with pytest.raises(PresenceError, match=r"^session bus tcp:host=x: "):
        GnomeSource({"DBUS_SESSION_BUS_ADDRESS": "tcp:host=x"}).idle_s()
