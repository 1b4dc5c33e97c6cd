"""What every idle-time source is: the `Source` base type and the `PresenceError` it raises.

A source answers one question, "seconds since the person last used the keyboard or mouse",
and raises PresenceError (one line, fit to show) when it cannot. The back-ends (x11, dbus,
tools) build on this module; the registry that picks one (sources) sits above them.
"""

from __future__ import annotations

from breakctl.core.errors import BreakctlError


class PresenceError(BreakctlError):
    """A source cannot tell the idle time here, or stopped being able to."""


class Source:
    """One place idle time comes from. Subclasses set `name` and implement `idle_s`."""

    name: str = ""

    def idle_s(self) -> float:
        """Seconds since the last keyboard or mouse input; PresenceError when it cannot tell."""
        raise NotImplementedError

    def probe(self) -> tuple[bool, str | None]:
        """Whether this source works here, and why not: one real reading."""
        try:
            self.idle_s()
        except PresenceError as exc:
            return False, str(exc)
        return True, None

    def settle(self) -> None:
        """Wait (briefly, bounded) until one reading in a fresh process means something; most
        sources read the desktop's own idle counter and need not wait."""

    @property
    def via(self) -> str | None:
        """What a working source reads through, where it can use several (a protocol)."""
        return None

    def close(self) -> None:
        """Let go of a connection kept between readings (X display, D-Bus socket)."""
