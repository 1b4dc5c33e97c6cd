"""What every hold source is: `HoldSource`, and the `HoldError` it raises.

A source answers "does anything hold a break right now, and why?" in well under a second
(bounded helpers only), and says once, in `works()`, whether it can tell here at all.
"""

from __future__ import annotations

from datetime import datetime

from breakctl.core.errors import BreakctlError
from breakctl.core.holds import Hold, Upcoming


class HoldError(BreakctlError):
    """A source cannot tell here, or stopped being able to (one line, fit to show)."""


class HoldSource:
    """One thing that can hold a break. Subclasses set `name` and implement `holds`."""

    name: str = ""

    def holds(self, now: datetime) -> list[Hold]:
        """What holds now (empty: nothing); HoldError when it cannot tell."""
        raise NotImplementedError

    def upcoming(self, now: datetime) -> Upcoming | None:
        """The next busy event, for sources that know the future (the calendar)."""
        return None

    def works(self) -> str | None:
        """None when this source works here, else why not (one line): one real reading."""
        try:
            self.holds(datetime.now().astimezone())
        except HoldError as exc:
            return str(exc)
        return None

    def take_warning(self) -> str | None:
        """A line to say once while the source still reads (a calendar whose fetch failed,
        read from its last copy); None when all is well."""
        return None

    def close(self) -> None:
        """Let go of a connection kept between readings."""
