"""`fullscreen` against a real X server (Xvfb), a real EWMH window manager (openbox) and a
real window the test makes fullscreen and back, as a pager or a key binding would: with
EWMH client messages to the root window."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from breakctl.core.holds import Hold, HoldsSettings
from breakctl.host.holds import fullscreen
from breakctl.host.holds.fullscreen import FullscreenSource
from tests.presence_helpers import need, poll, xvfb
from tests.sound_server import end_group

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@contextmanager
def openbox(display: str, tmp: Path) -> Iterator[subprocess.Popen[bytes]]:
    """openbox managing `display`; yields once it has proved itself (EWMH's check window)."""
    need("openbox")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DISPLAY": display,
        "HOME": str(tmp),
        "XDG_CONFIG_HOME": str(tmp / "config"),
    }
    manager = subprocess.Popen(
        ["openbox", "--sm-disable"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        source = FullscreenSource({"DISPLAY": display})
        poll(source.works, lambda why: why is None, deadline_s=30)
        source.close()
        yield manager
    finally:
        end_group(manager)


class Window:
    """A window of the test's own, on its own connection, and the EWMH requests a pager sends."""

    def __init__(self, display_name: str) -> None:
        from Xlib import X, display

        self.display: Any = display.Display(display_name)
        self.root = self.display.screen().root
        self.window = self.root.create_window(
            0, 0, 320, 200, 0, self.display.screen().root_depth, X.InputOutput
        )
        self.window.set_wm_class("slides", "Impress")
        self.window.set_wm_name("Quarterly review")
        self.window.map()
        self.display.sync()

    def ask(self, message: str, *data: int) -> None:
        from Xlib import X
        from Xlib.protocol import event

        atom = self.display.intern_atom(message)
        request = event.ClientMessage(
            window=self.window, client_type=atom, data=(32, [*data, 0, 0, 0, 0][:5])
        )
        mask = X.SubstructureRedirectMask | X.SubstructureNotifyMask
        self.root.send_event(request, event_mask=mask)
        self.display.sync()

    def _property(self, window: Any, name: str) -> list[int]:
        from Xlib import X

        prop = window.get_full_property(self.display.intern_atom(name), X.AnyPropertyType)
        return list(prop.value) if prop is not None else []

    def _managed(self) -> bool:
        """Whether the manager has taken the window in (it sets WM_STATE on it). A map
        request that reached openbox while it was still starting is dropped: map again."""
        if self._property(self.window, "WM_STATE"):
            return True
        if self.window.get_attributes().map_state == 0:  # IsUnmapped
            self.window.map()
            self.display.sync()
        return False

    def activate(self) -> None:
        """Once the manager has the window (before that it ignores requests about it), ask
        for it to be active, and wait until it is."""
        poll(self._managed, bool, deadline_s=30)
        self.ask("_NET_ACTIVE_WINDOW", 2, 0)  # 2: asked by a pager, which managers obey
        poll(
            lambda: self._property(self.root, "_NET_ACTIVE_WINDOW")[:1], [self.window.id].__eq__, 30
        )

    def fullscreen(self, on: bool) -> None:
        full = self.display.intern_atom("_NET_WM_STATE_FULLSCREEN")
        self.ask("_NET_WM_STATE", 1 if on else 0, full, 0, 2)

    def close(self) -> None:
        self.display.close()


def test_the_active_window_made_fullscreen_holds_until_it_is_not(tmp_path: Path) -> None:
    with xvfb() as display, openbox(display, tmp_path):
        source = FullscreenSource({"DISPLAY": display})
        assert source.holds(NOW) == []
        window = Window(display)
        try:
            window.activate()
            window.fullscreen(True)
            held = poll(lambda: source.holds(NOW), bool, deadline_s=30)
            assert held == [Hold("fullscreen", "Impress")]
            window.fullscreen(False)
            poll(lambda: source.holds(NOW), lambda h: h == [], deadline_s=30)
            window.fullscreen(True)
            poll(lambda: source.holds(NOW), bool, deadline_s=30)
        finally:
            window.close()  # the window goes with its connection: nothing is active
        poll(lambda: source.holds(NOW), lambda h: h == [], deadline_s=30)
        source.close()


def test_a_window_manager_that_ends_is_noticed(tmp_path: Path) -> None:
    with xvfb() as display:
        source = FullscreenSource({"DISPLAY": display})
        with openbox(display, tmp_path):
            assert source.works() is None
        # openbox is gone, its _NET_ACTIVE_WINDOW is still on the root window
        why = poll(source.works, lambda why: why is not None, deadline_s=30)
        assert why == f"X display {display}: no EWMH window manager runs"
        source.close()


def test_no_window_manager_no_display_no_server() -> None:
    with xvfb() as display:
        why = FullscreenSource({"DISPLAY": display}).works()
        assert why == f"X display {display}: no EWMH window manager runs"
    assert FullscreenSource({}).works() == "DISPLAY is not set (no X11 session)"
    why = FullscreenSource({"DISPLAY": ":4321"}).works()
    assert why is not None and why.startswith("X display :4321: ") and "\n" not in why


def test_the_registry_gets_a_source_on_this_display(monkeypatch: Any) -> None:
    monkeypatch.setenv("DISPLAY", ":77")
    made = fullscreen.source(HoldsSettings())
    assert made.name == "fullscreen"
    assert isinstance(made, FullscreenSource) and made._x.name == ":77"
