"""An X display for a source that reads it all day (the x11 presence source, the
fullscreen hold source), through python-xlib.

python-xlib speaks the X protocol in pure Python: a dead X server is a Python exception
here, where libX11 would call exit() from its I/O error handler and end the day. The
display is opened on the first reading and kept; any failure closes it (the next reading
opens it again) and comes out as the source's own error, one line naming the display.

python-xlib loads a module for every extension the server has when a display opens, and
keeps the list in one global shared by every display of the process. breakctl needs one
(MIT-SCREEN-SAVER, for idle time; EWMH properties need none): loading only it keeps about
1 MiB off a countdown that runs all day, whichever source opens its display first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from breakctl.core.errors import BreakctlError

EXTENSIONS = ("MIT-SCREEN-SAVER",)
T = TypeVar("T")


class XDisplay:
    """The display named `name`, read through `read`, failures raised as `error`."""

    def __init__(
        self,
        name: str,
        error: type[BreakctlError],
        prepare: Callable[[Any], None] | None = None,
    ) -> None:
        self.name = name
        self.display: Any = None
        self._error = error
        self._prepare = prepare  # run once on each newly opened display (checks, atoms)

    def read(self, reading: Callable[[Any], T]) -> T:
        """`reading(display)`, on the kept display (opened first if need be)."""
        if not self.name:
            raise self._error("DISPLAY is not set (no X11 session)")
        try:
            if self.display is None:
                self._open()
            return reading(self.display)
        except self._error:  # the source's own finding: the display stays
            raise
        except Exception as exc:  # python-xlib raises many kinds; all mean "no reading"
            self.close()
            text = " ".join(str(exc).split()) or type(exc).__name__
            raise self._error(f"X display {self.name}: {text}") from None

    def _open(self) -> None:
        try:
            from Xlib import display, ext
        except ImportError:
            raise self._error("python-xlib is not installed") from None
        ext.__extensions__ = [e for e in ext.__extensions__ if e[0] in EXTENSIONS]
        self.display = display.Display(self.name)
        if self._prepare is not None:
            try:
                self._prepare(self.display)
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        display, self.display = self.display, None
        if display is not None:
            with contextlib.suppress(Exception):  # already broken: nothing to let go of
                display.close()
