"""What holds a break back: a call, a camera, a busy calendar event, do-not-disturb.

Pure types shared by the day (which defers a due break while anything holds) and the host's
hold sources (which read the machine). A meeting is not an absence: a hold defers the break
and never counts as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Hold:
    """One source holding now, and why, e.g. `microphone` / `zoom`."""

    source: str
    reason: str
    until: datetime | None = None  # when the source knows it (a calendar event's end)

    @property
    def label(self) -> str:
        """`microphone: zoom`, `calendar: Team sync until 14:30`: what status and screens say."""
        if self.until is None:
            return f"{self.source}: {self.reason}"
        return f"{self.source}: {self.reason} until {self.until:%H:%M}"


@dataclass(frozen=True)
class Upcoming:
    """The next busy calendar event (for `[holds] calendar_lead`: a break early, not held)."""

    title: str
    starts: datetime
    ends: datetime


@dataclass(frozen=True)
class HoldsReading:
    """Every source read once: what holds now, and the next busy event if a calendar knows."""

    holds: tuple[Hold, ...] = ()
    upcoming: Upcoming | None = None

    @property
    def held(self) -> bool:
        return bool(self.holds)

    @property
    def reasons(self) -> list[str]:
        return [hold.label for hold in self.holds]

    @property
    def sources(self) -> list[str]:
        """The names of the sources holding, each once, in the order read."""
        return list(dict.fromkeys(hold.source for hold in self.holds))


@dataclass(frozen=True)
class HoldsSettings:
    """The `[holds]` table, read and checked (the registry builds the sources from it).

    `sources` is "auto" (every source that works here, and calendar/programs/command when
    configured) or the names to use; an empty tuple turns holds off."""

    sources: str | tuple[str, ...] = "auto"
    grace_s: float = 60.0  # after the last hold ends, before the break comes
    calendar_lead_s: float = 600.0  # a break due this soon before a busy event comes early
    max_s: float = 3 * 3600.0  # one hold longer than this no longer holds (a stuck source)
    check_every_s: float = 15.0
    calendar: tuple[str, ...] = ()  # .ics files or http(s) URLs
    calendar_me: tuple[str, ...] = ()  # the user's addresses there (lower case, no mailto:)
    camera_devices: tuple[str, ...] = ("/dev/video*",)
    programs: tuple[str, ...] = ()
    command: str | None = None
