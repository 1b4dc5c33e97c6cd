"""`wayland` against a real headless sway (org_kde_kwin_idle) with wtype and swaymsg as the
person, and against a scripted compositor for ext-idle-notify-v1 versions 1 and 2, which no
compositor in Debian 12 offers (tests/wayland_wire.py says where its messages come from)."""

from __future__ import annotations

import pytest

from breakctl.host.presence import wayland
from breakctl.host.presence.base import PresenceError
from breakctl.host.presence.settings import PresenceSettings
from breakctl.host.presence.sources import candidates, open_presence
from breakctl.host.presence.wayland import WaylandSource
from tests.presence_helpers import poll, xvfb
from tests.wayland_helpers import headless_sway, move_pointer, wtype
from tests.wayland_wire import EXT_IDLE, KDE_IDLE, scripted_compositor

DEADLINE_S = 30.0  # only a broken program takes this long: the machine is busy


def test_real_input_on_sway_brings_the_idle_time_down() -> None:
    with headless_sway() as env:
        source = WaylandSource(env)
        assert source.probe() == (True, None)
        assert source.via == "org_kde_kwin_idle"  # sway 1.7: wlroots 0.15 has only this
        poll(source.idle_s, lambda idle: idle >= 1.5, DEADLINE_S)
        wtype(env, "a")
        poll(source.idle_s, lambda idle: idle < 1.0, DEADLINE_S)  # it was >= 1.5: the key
        poll(source.idle_s, lambda idle: idle >= 1.5, DEADLINE_S)
        move_pointer(env, 40, 60)
        poll(source.idle_s, lambda idle: idle < 1.0, DEADLINE_S)
        source.close()


def test_idle_time_grows_with_the_clock_between_readings() -> None:
    with headless_sway() as env:
        source = WaylandSource(env)
        first = poll(source.idle_s, lambda idle: idle >= 1.0, DEADLINE_S)
        poll(source.idle_s, lambda idle: idle >= first + 1.0, DEADLINE_S)
        source.close()


def test_a_compositor_that_goes_away_is_one_failure_and_the_day_goes_on() -> None:
    with headless_sway() as env:
        presence = open_presence(PresenceSettings(source="wayland"), env)
        assert presence.name == "wayland"
        assert presence.idle_s() is not None
    value = poll(presence.idle_s, lambda idle: idle is None, DEADLINE_S)
    assert value is None
    failure = presence.take_failure()
    assert failure is not None and failure.startswith("Wayland display wayland-")
    assert presence.take_failure() is None
    presence.close()


def test_auto_takes_wayland_before_x11_in_a_wayland_session() -> None:
    with headless_sway() as env, xvfb() as display:
        presence = open_presence(PresenceSettings(), {**env, "DISPLAY": display})
        assert presence.name == "wayland"
        presence.close()
        assert open_presence(PresenceSettings(), {"DISPLAY": display}).name == "x11"


def test_auto_order_puts_wayland_first_only_with_wayland_display() -> None:
    plain = candidates(PresenceSettings(), {})
    assert plain[:4] == ("x11", "gnome", "wayland", "freedesktop")
    ordered = candidates(PresenceSettings(), {"WAYLAND_DISPLAY": "wayland-1"})
    assert ordered[:4] == ("wayland", "x11", "gnome", "freedesktop")
    assert candidates(PresenceSettings(source="wayland"), {}) == ("wayland",)


# --- ext-idle-notify-v1, scripted (no compositor in Debian 12 offers it) -------------------


@pytest.mark.parametrize(
    ("offer", "request_name", "via"),
    [
        ({EXT_IDLE: 2}, "get_input_idle_notification", "ext-idle-notify-v1 version 2 (input only)"),
        ({EXT_IDLE: 1}, "get_idle_notification", "ext-idle-notify-v1 version 1"),
        ({EXT_IDLE: 2, KDE_IDLE: 1}, "get_input_idle_notification", None),
        ({KDE_IDLE: 1}, "get_idle_timeout", "org_kde_kwin_idle"),
    ],
)
def test_the_best_offered_notification_is_asked_for(
    offer: dict[str, int], request_name: str, via: str | None
) -> None:
    with scripted_compositor(offer) as compositor:
        source = WaylandSource(compositor.env)
        assert source.probe() == (True, None)
        assert compositor.requests == [(request_name, 1000)]  # timeout in ms: NOTIFY_AFTER_S
        if via is not None:
            assert source.via == via
        source.close()


@pytest.mark.parametrize("offer", [{EXT_IDLE: 2}, {EXT_IDLE: 1}, {KDE_IDLE: 1}])
def test_idled_and_resumed_become_seconds_since_the_last_input(offer: dict[str, int]) -> None:
    with scripted_compositor(offer) as compositor:
        source = WaylandSource(compositor.env)
        assert source.idle_s() == 0.0  # not idle yet: input within the last second
        compositor.idle()
        idle = poll(source.idle_s, lambda idle: idle >= 1.0, DEADLINE_S)
        assert idle < 1.0 + DEADLINE_S
        poll(source.idle_s, lambda later: later > idle, DEADLINE_S)  # the clock runs on
        compositor.resume()
        poll(source.idle_s, lambda idle: idle == 0.0, DEADLINE_S)
        source.close()


def test_a_compositor_without_idle_notifications() -> None:
    with scripted_compositor({}) as compositor:
        works, why = WaylandSource(compositor.env).probe()
    assert not works
    assert why == (
        "Wayland display wayland-9 offers no idle notifications "
        "(neither ext-idle-notify-v1 nor org_kde_kwin_idle)"
    )


def test_a_hung_compositor_is_a_failed_reading_not_a_frozen_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(wayland, "ANSWER_WITHIN_S", 0.5)
    with scripted_compositor({EXT_IDLE: 2}, answer=False) as compositor:
        works, why = WaylandSource(compositor.env).probe()
    assert (works, why) == (False, "Wayland display wayland-9: no answer within 0.5s")


def test_a_protocol_error_is_reported_with_the_compositors_words() -> None:
    with scripted_compositor({EXT_IDLE: 2}) as compositor:
        compositor.refuse = True
        works, why = WaylandSource(compositor.env).probe()
    assert (works, why) == (False, "Wayland display wayland-9: protocol error: invalid request 2")


def test_a_compositor_that_hangs_up_mid_day() -> None:
    with scripted_compositor({EXT_IDLE: 2}) as compositor:
        source = WaylandSource(compositor.env)
        source.idle_s()
    with pytest.raises(PresenceError, match=r"^Wayland display wayland-9: "):
        poll(source.idle_s, lambda _idle: False, DEADLINE_S)
    source.close()


@pytest.mark.parametrize(
    ("env", "why"),
    [
        ({}, "WAYLAND_DISPLAY is not set (no Wayland session)"),
        (
            {"WAYLAND_DISPLAY": "wayland-1"},
            "XDG_RUNTIME_DIR is not set (where the Wayland socket lives)",
        ),
        (
            {"WAYLAND_DISPLAY": "wayland-77", "XDG_RUNTIME_DIR": "/nonexistent"},
            "Wayland display wayland-77: cannot connect (No such file or directory)",
        ),
    ],
)
def test_no_wayland_here(env: dict[str, str], why: str) -> None:
    assert WaylandSource(env).probe() == (False, why)
