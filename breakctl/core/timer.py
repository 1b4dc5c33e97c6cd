"""Active time: a stopwatch that pausing stops, optionally counting down a length.

The one timer behind a routine being done and every phase of the day, so the arithmetic of
pauses (and its rounding) lives in one place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass
class ActiveTimer:
    """Seconds of active time since `started_at` (monotonic), pauses excluded. With a finite
    `seconds` it is a countdown: `remaining` and `deadline` speak of its end."""

    started_at: float
    seconds: float = math.inf
    paused_s: float = 0.0  # paused time so far, finished pauses only
    _active_before: float = field(default=0.0, repr=False)  # active seconds up to _running_since
    _running_since: float | None = field(default=None, repr=False)
    _paused_since: float | None = field(default=None, repr=False)
    stopped: bool = False

    def __post_init__(self) -> None:
        self._running_since = self.started_at

    @property
    def paused(self) -> bool:
        return self._paused_since is not None

    def active(self, now: float) -> float:
        running = now - self._running_since if self._running_since is not None else 0.0
        return self._active_before + max(0.0, running)

    def remaining(self, now: float) -> float:
        return self.seconds - self.active(now)

    def paused_for(self, now: float) -> float:
        """How long the pause under way has lasted (0 when running)."""
        return now - self._paused_since if self._paused_since is not None else 0.0

    def deadline(self) -> float | None:
        """The monotonic time the countdown ends, or None while paused or stopped."""
        if self._running_since is None:
            return None
        return self._running_since + (self.seconds - self._active_before)

    def pause(self, now: float) -> bool:
        """Stop counting; False when already paused or stopped."""
        if self._running_since is None:
            return False
        self._active_before = self.active(now)
        self._running_since = None
        self._paused_since = now
        return True

    def resume(self, now: float) -> float:
        """Count again; returns how long the pause lasted (0 when not paused)."""
        if self._paused_since is None or self.stopped:
            return 0.0
        paused_for = now - self._paused_since
        self.paused_s += paused_for
        self._paused_since = None
        self._running_since = now
        return paused_for

    def stop(self, now: float) -> None:
        """Freeze at `now`: a pause under way ends, and the countdown is done."""
        self.resume(now)
        self._active_before = self.active(now)
        self._running_since = None
        self.stopped = True
        self.seconds = self._active_before
