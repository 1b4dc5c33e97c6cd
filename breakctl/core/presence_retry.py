"""Retrying a presence source that failed: when to try it again, and the one line each change
says. A failed reading turns presence to "retrying": the day counts by the clock alone, and the
source is tried again after 5 s, then 10 s, 20 s... doubling up to 5 min, for as long as the
day runs; the first reading that works turns it back to "ok". Pure: the clock is injected.

Three changes, one line each: lost (the first failure), retrying (still failing when the wait
between tries has grown to its 5 min ceiling: the rhythm from then on, and the latest reason),
and back (a reading worked again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from breakctl.core.durations import format_duration

FIRST_RETRY_S = 5.0
MAX_RETRY_S = 300.0

# What `status --json` shows as "presence": "off" is a day with no source at all.
PresenceState = Literal["ok", "retrying", "off"]
Change = Literal["lost", "retrying", "back"]


def retry_delay(failures: int) -> float:
    """How long to wait after the `failures`-th failure in a row: 5 s, 10 s, 20 s... 5 min."""
    doublings = min(max(failures, 1) - 1, 16)
    return min(MAX_RETRY_S, FIRST_RETRY_S * float(2**doublings))


@dataclass(frozen=True)
class Notice:
    """A change of presence's state, and the line that tells it."""

    change: Change
    text: str


class PresenceRetry:
    """The state of one presence source over a day. `clock` gives monotonic seconds."""

    def __init__(self, source: str, clock: Callable[[], float]) -> None:
        self.source = source
        self._clock = clock
        self.failures = 0  # failed readings in a row
        self.next_try: float | None = None  # monotonic: when a retrying source is read again

    @property
    def state(self) -> PresenceState:
        return "retrying" if self.failures else "ok"

    def due(self) -> bool:
        """Whether the source may be read now (always, unless a retry is waited for)."""
        return self.next_try is None or self._clock() >= self.next_try - 1e-9

    def failed(self, why: str, *, then: str | None = None) -> Notice | None:
        """A reading failed (`why`: one line); `then`: what the day does about it now, if
        anything (a block that stops waiting for the person). The notice of a change, or
        None when nothing changed."""
        self.failures += 1
        delay = retry_delay(self.failures)
        self.next_try = self._clock() + delay
        name = self.source
        if self.failures == 1:
            text = (
                f"presence lost: {name} stopped working ({why}); counting by the clock alone, "
                f"retrying in {format_duration(delay)}"
            )
            if then:
                text += f"; {then}"
            return Notice("lost", text)
        if delay >= MAX_RETRY_S and retry_delay(self.failures - 1) < MAX_RETRY_S:
            every = format_duration(MAX_RETRY_S)
            return Notice(
                "retrying",
                f"presence retrying: {name} still fails ({why}); trying again every {every}",
            )
        return None

    def worked(self) -> Notice | None:
        """A reading worked: the notice that presence is back, if it had been lost."""
        was_failing, self.failures, self.next_try = self.failures, 0, None
        if not was_failing:
            return None
        return Notice("back", f"presence back: {self.source} works again")
