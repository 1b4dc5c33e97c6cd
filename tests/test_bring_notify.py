"""The notify way of [start] bring_break against a real dbus-daemon on a private bus and a
stub notification server (tests/dbus_stub_service.py): the notification carries its "Start
the routine" action, picking it opens the configured terminal with `breakctl attach --break`,
the break's end withdraws it, and a server without actions gets the plain notification."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from breakctl.host.bring.bringer import BreakBringer
from breakctl.host.notify import Notifier
from tests.bring_helpers import notifications, recorded_argv, recording_terminal
from tests.presence_helpers import dbus_daemon, need, poll, stub_control, stub_service

ACTIONS = ["start-routine", "Start the routine", "default", "Start the routine"]


def bringer_on(bus: str, tmp: Path, ways: list[str], **notifier: bool) -> tuple[BreakBringer, Path]:
    terminal, record = recording_terminal(tmp)
    env = dict(os.environ) | {"DBUS_SESSION_BUS_ADDRESS": bus}
    return BreakBringer(
        ways, f"{terminal} --title breakctl -e", env, Notifier(None, env, **notifier)
    ), record


def test_picking_the_action_opens_the_terminal_with_attach_break(tmp_path: Path) -> None:
    with dbus_daemon(tmp_path) as bus, stub_service(bus, "notifications"):
        bringer, record = bringer_on(bus, tmp_path, ["notify", "terminal"])
        try:
            assert bringer.bring("Time to move", "Desk: 5 min", 300.0) is True
            (shown,) = poll(lambda: notifications(bus), lambda n: len(n) == 1, 30)
            assert (shown["app"], shown["summary"], shown["body"]) == (
                "breakctl", "Time to move", "Desk: 5 min",
            )  # fmt: skip
            assert shown["actions"] == ACTIONS
            assert not record.exists()  # the terminal way is not reached: notify worked
            stub_control(bus, "Invoke", "us", (shown["id"], "start-routine"))
            argv = recorded_argv(record)
            assert argv[:3] == ["--title", "breakctl", "-e"]
            assert argv[-2:] == ["attach", "--break"]
            # this breakctl, by absolute path: the venv's script beside the interpreter
            assert argv[3:-2] == [
                os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "breakctl")
            ]
            assert poll(bringer.take_reports, bool, 30) == [
                "break brought to you by a notification with its action"
            ]
        finally:
            bringer.close()


def test_the_break_s_end_withdraws_the_notification_and_stops_listening(tmp_path: Path) -> None:
    with dbus_daemon(tmp_path) as bus, stub_service(bus, "notifications"):
        bringer, record = bringer_on(bus, tmp_path, ["notify"])
        try:
            bringer.bring("Time to move", "Desk: 5 min", 300.0)
            poll(lambda: notifications(bus), lambda n: len(n) == 1, 30)
            notification = bringer._notification
            assert notification is not None and notification.thread is not None
            bringer.over()
            notification.thread.join(30)
            assert not notification.thread.is_alive()
            assert poll(lambda: notifications(bus), lambda n: n[0]["closed"], 30)[0]["closed"]
            stub_control(bus, "Invoke", "us", (1, "start-routine"))  # too late: nobody listens
            assert bringer.bring("Time to move", "Desk: 5 min", 300.0)  # the next break
            poll(lambda: notifications(bus), lambda n: len(n) == 2, 30)
            assert not record.exists()
        finally:
            bringer.close()


def test_a_server_without_actions_gets_the_plain_notification(tmp_path: Path) -> None:
    need("notify-send")
    with dbus_daemon(tmp_path) as bus, stub_service(bus, "notifications-plain"):
        bringer, record = bringer_on(bus, tmp_path, ["notify", "terminal"])
        try:
            assert bringer.bring("Time to move", "Desk: 5 min", 300.0)
            (shown,) = poll(lambda: notifications(bus), lambda n: len(n) == 1, 30)
            assert (shown["summary"], shown["body"], shown["actions"]) == (
                "Time to move", "Desk: 5 min", [],
            )  # fmt: skip
            assert poll(bringer.take_reports, bool, 30) == [
                "break brought to you by a notification (its server has no actions)"
            ]
            assert not record.exists()
        finally:
            bringer.close()


def test_with_no_bus_the_next_way_opens_a_terminal_at_once(tmp_path: Path) -> None:
    bringer, record = bringer_on(f"unix:path={tmp_path}/no-bus", tmp_path, ["notify", "terminal"])
    try:
        assert bringer.bring("Time to move", "Desk: 5 min", 300.0)
        assert recorded_argv(record)[-2:] == ["attach", "--break"]
        (line,) = poll(bringer.take_reports, bool, 30)
        assert line.startswith(
            "break brought to you in a new terminal window (notify: session bus "
        )
    finally:
        bringer.close()


def test_a_terminal_that_fails_at_once_does_not_count(tmp_path: Path) -> None:
    env = dict(os.environ)
    bringer = BreakBringer(["terminal"], "false", env, Notifier(None, env, system=False))
    try:
        assert bringer.bring("Time to move", "Desk: 5 min", 300.0)
        assert poll(bringer.take_reports, bool, 30) == [
            "the break could not be brought to you (terminal: false failed at once (exit 1))"
        ]
    finally:
        bringer.close()
