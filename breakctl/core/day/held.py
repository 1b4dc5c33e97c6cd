"""What holds the day's breaks now (#21), as the phases see it: the last reading of the hold
sources, since when each source holds, the grace after the last hold ends, and the sources
past `[holds] max` (a microphone left open for hours) that no longer hold anything.

A meeting is not an absence: a hold defers a break and never counts as one. The readings
come from the host (every `check_every_s` while working, and when a break comes due)."""

from __future__ import annotations

from breakctl.core.day.events import HoldStuck, SessionEvent
from breakctl.core.holds import HoldsReading, HoldsSettings

YIELD_AFTER_S = 60.0  # a hold during a break longer than this ends the break


class HoldState:
    """The holds as of the last reading, on the monotonic clock."""

    def __init__(self, settings: HoldsSettings) -> None:
        self.settings = settings
        self.reading = HoldsReading()
        self.began: dict[str, float] = {}  # source -> when its hold began (monotonic)
        self.stuck: set[str] = set()  # past `max`: ignored until they let go
        self.clear_at: float | None = None  # when the last hold ended: the grace runs from here
        self.last_by: tuple[str, ...] = ()  # the sources of the hold that ended last

    @property
    def grace_s(self) -> float:
        return self.settings.grace_s

    def read(self, reading: HoldsReading, now: float) -> list[SessionEvent]:
        """A new reading at `now`: what began, what ended, what is stuck."""
        was = self.holding
        sources = reading.sources
        for source in [s for s in self.began if s not in sources]:
            del self.began[source]
            self.stuck.discard(source)  # it let go: it may hold again
        for source in sources:
            self.began.setdefault(source, now)
        self.reading = reading
        events: list[SessionEvent] = []
        for source, began in self.began.items():
            if source not in self.stuck and now - began >= self.settings.max_s:
                self.stuck.add(source)
                events.append(HoldStuck(source, now - began))
        if self.holding:
            self.clear_at, self.last_by = None, tuple(self.sources)
        elif was:  # let go now: the grace runs; a stuck source gets none (long overdue)
            stuck = bool(sources)  # sources still hold, every one of them stuck
            self.clear_at = now - self.grace_s if stuck else now
        return events

    @property
    def sources(self) -> list[str]:
        """The sources holding now, stuck ones left out."""
        return [s for s in self.reading.sources if s not in self.stuck]

    @property
    def reasons(self) -> tuple[str, ...]:
        """What holds now, as status and the screen say it ("microphone: zoom")."""
        return tuple(h.label for h in self.reading.holds if h.source not in self.stuck)

    @property
    def holding(self) -> bool:
        return bool(self.sources)

    def free_from(self) -> float | None:
        """When a break may come: None while something holds; the end of the grace after it
        (a moment in the past once the grace is over); -inf when nothing held at all."""
        if self.holding:
            return None
        return float("-inf") if self.clear_at is None else self.clear_at + self.grace_s

    def blocks(self, at: float) -> bool:
        """Whether a break coming due at `at` waits (a hold, or the grace after one)."""
        free = self.free_from()
        return free is None or at < free
