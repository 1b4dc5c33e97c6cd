"""`x11`: the MIT-SCREEN-SAVER extension's idle time, through python-xlib.

python-xlib speaks the X protocol in pure Python: a dead X server is a Python exception here,
where libX11 (ctypes on libXss) would call exit() from its I/O error handler and end the day.
The display stays open between readings; one reading is one round trip.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from breakctl.host.presence.base import PresenceError, Source


class X11Source(Source):
    name = "x11"

    def __init__(self, env: Mapping[str, str]) -> None:
        self._display_name = env.get("DISPLAY", "")
        self._display: Any = None
        self._root: Any = None

    def idle_s(self) -> float:
        if not self._display_name:
            raise PresenceError("DISPLAY is not set (no X11 session)")
        try:
            if self._root is None:
                self._connect()
            return float(self._root.screensaver_query_info().idle) / 1000.0
        except PresenceError:
            raise
        except Exception as exc:  # python-xlib raises many kinds; all mean "no reading"
            self.close()
            text = " ".join(str(exc).split()) or type(exc).__name__
            raise PresenceError(f"X display {self._display_name}: {text}") from None

    def _connect(self) -> None:
        try:
            from Xlib import display, ext
        except ImportError:
            raise PresenceError("python-xlib is not installed") from None
        # python-xlib loads a module for every extension the server has; the idle time needs
        # one. Loading only it keeps about 1 MiB off a countdown that runs all day.
        ext.__extensions__ = [e for e in ext.__extensions__ if e[0] == "MIT-SCREEN-SAVER"]
        self._display = display.Display(self._display_name)
        if not self._display.has_extension("MIT-SCREEN-SAVER"):
            self.close()
            raise PresenceError(f"X display {self._display_name} has no MIT-SCREEN-SAVER extension")
        self._root = self._display.screen().root

    def close(self) -> None:
        display, self._display, self._root = self._display, None, None
        if display is not None:
            with contextlib.suppress(Exception):  # already broken: nothing to let go of
                display.close()
