"""x11 against a real X server (Xvfb), with xdotool as the person at the keyboard."""

from __future__ import annotations

import pytest

from breakctl.host.presence.settings import PresenceSettings
from breakctl.host.presence.sources import open_presence
from breakctl.host.presence.x11 import X11Source
from tests.presence_helpers import need, poll, xdotool, xvfb


def test_pointer_and_keys_reset_idle_time() -> None:
    need("xdotool")
    with xvfb() as display:
        source = X11Source({"DISPLAY": display})
        assert source.probe() == (True, None)
        poll(source.idle_s, lambda idle: idle >= 0.4)
        xdotool(display, "mousemove", "100", "120")
        poll(source.idle_s, lambda idle: idle < 0.3, deadline_s=2)  # it was >= 0.4: a reset
        poll(source.idle_s, lambda idle: idle >= 0.4)
        xdotool(display, "key", "a")
        poll(source.idle_s, lambda idle: idle < 0.3, deadline_s=2)
        source.close()


def test_no_display() -> None:
    assert X11Source({}).probe() == (False, "DISPLAY is not set (no X11 session)")


def test_a_display_nobody_serves() -> None:
    works, why = X11Source({"DISPLAY": ":4321"}).probe()
    assert not works
    assert why is not None and why.startswith("X display :4321: ")


def test_an_x_server_that_dies_mid_day_is_reported_once_and_the_day_goes_on() -> None:
    with xvfb() as display:
        presence = open_presence(PresenceSettings(source="x11"), {"DISPLAY": display})
        assert presence.name == "x11"
        assert presence.idle_s() is not None
    # the server is gone: libX11 would exit() here; python-xlib raises and we carry on
    assert presence.idle_s() is None
    failure = presence.take_failure()
    assert failure is not None and failure.startswith("X display")
    assert presence.take_failure() is None


@pytest.mark.parametrize("source", ["auto", "x11"])
def test_auto_and_named_pick_x11_first(source: str) -> None:
    with xvfb() as display:
        env = {"DISPLAY": display, "TMUX": "/nonexistent,1,0"}
        presence = open_presence(PresenceSettings(source=source, command="echo 5"), env)
        assert presence.name == "x11"
        presence.close()


def test_the_display_is_kept_between_readings() -> None:
    with xvfb() as display:
        source = X11Source({"DISPLAY": display})
        source.idle_s()
        first = source._display
        for _ in range(20):
            source.idle_s()
        assert source._display is first is not None
        source.close()
        assert source._display is None
