"""`x11`: the MIT-SCREEN-SAVER extension's idle time, through python-xlib.

The display (host/x11_connect) stays open between readings; one reading is one round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from breakctl.host.presence.base import PresenceError, Source
from breakctl.host.x11_connect import XDisplay


class X11Source(Source):
    name = "x11"

    def __init__(self, env: Mapping[str, str]) -> None:
        self._x = XDisplay(env.get("DISPLAY", ""), PresenceError, self._check)

    def idle_s(self) -> float:
        return self._x.read(
            lambda display: float(display.screen().root.screensaver_query_info().idle) / 1000.0
        )

    def _check(self, display: Any) -> None:
        if not display.has_extension("MIT-SCREEN-SAVER"):
            raise PresenceError(f"X display {self._x.name} has no MIT-SCREEN-SAVER extension")

    @property
    def _display(self) -> Any:
        """The display kept between readings (None when closed)."""
        return self._x.display

    def close(self) -> None:
        self._x.close()
