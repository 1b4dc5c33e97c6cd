"""`fullscreen`: the active X11 window is fullscreen (a presentation, a film, a game).

EWMH: the window manager names the active window in the root window's _NET_ACTIVE_WINDOW
and marks a fullscreen one with _NET_WM_STATE_FULLSCREEN in its _NET_WM_STATE. A manager
that has gone leaves those properties behind, so each reading first checks the one it
proves itself with (_NET_SUPPORTING_WM_CHECK: a window of its own naming itself). The
display stays open between readings; one reading is four small round trips.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from breakctl.core.holds import Hold, HoldsSettings
from breakctl.host.holds.base import HoldError, HoldSource
from breakctl.host.x11_connect import XDisplay

_ATOMS = (
    "_NET_SUPPORTING_WM_CHECK",
    "_NET_ACTIVE_WINDOW",
    "_NET_WM_STATE",
    "_NET_WM_STATE_FULLSCREEN",
    "_NET_WM_NAME",
    "UTF8_STRING",
)


class FullscreenSource(HoldSource):
    name = "fullscreen"

    def __init__(self, env: Mapping[str, str]) -> None:
        self._x = XDisplay(env.get("DISPLAY", ""), HoldError, self._intern)
        self._atoms: dict[str, int] = {}

    def holds(self, now: datetime) -> list[Hold]:
        return self._x.read(self._read)

    def _intern(self, display: Any) -> None:
        self._atoms = {name: display.intern_atom(name) for name in _ATOMS}

    def _read(self, display: Any) -> list[Hold]:
        root = display.screen().root
        if not self._manager_runs(display, root):
            raise HoldError(f"X display {self._x.name}: no EWMH window manager runs")
        active = self._window_property(root, "_NET_ACTIVE_WINDOW")
        if not active:
            return []
        window = display.create_resource_object("window", active[0])
        if self._atoms["_NET_WM_STATE_FULLSCREEN"] not in self._window_property(
            window, "_NET_WM_STATE"
        ):
            return []
        return [Hold(self.name, self._window_name(window))]

    def _manager_runs(self, display: Any, root: Any) -> bool:
        """The manager's check window exists and names itself (EWMH's proof of life)."""
        check = self._window_property(root, "_NET_SUPPORTING_WM_CHECK")
        if not check:
            return False
        window = display.create_resource_object("window", check[0])
        return self._window_property(window, "_NET_SUPPORTING_WM_CHECK")[:1] == check[:1]

    def _window_property(self, window: Any, name: str) -> list[int]:
        """A property's numbers (window ids, atoms); empty when unset or the window is gone."""
        from Xlib import X, error

        try:
            prop = window.get_full_property(self._atoms[name], X.AnyPropertyType)
        except (error.BadWindow, error.BadMatch):  # closed between two requests
            return []
        if prop is None or prop.format != 32:
            return []
        return [int(value) for value in prop.value if value]

    def _window_name(self, window: Any) -> str:
        """The program behind the window, as people know it: its class, else its title."""
        from Xlib import X, error

        with contextlib.suppress(error.XError):
            wm_class = window.get_wm_class()
            if wm_class and wm_class[-1]:
                return _clean(wm_class[-1])
            title = window.get_full_property(self._atoms["_NET_WM_NAME"], X.AnyPropertyType)
            if title is not None and title.value:
                return _clean(title.value)
            name = window.get_wm_name()
            if name:
                return _clean(name)
        return "a fullscreen window"

    def close(self) -> None:
        self._x.close()


def _clean(text: str | bytes) -> str:
    """One short line: a title is another program's text, shown in status bars."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()[:60] or "a window"


def source(settings: HoldsSettings) -> HoldSource:
    """The `fullscreen` source, on this process's DISPLAY."""
    return FullscreenSource(os.environ)
