"""`calendar`: a busy event now, from .ics files or http(s) URLs (`[holds] calendar`).

Recurrences, their exceptions and time zones (VTIMEZONE, X-WR-TIMEZONE) are expanded by
`icalendar` and `recurring-ical-events`, imported only when a calendar is first read (they
cost about 70 ms and 10 MiB). A calendar is parsed once per change of its text (kept parsed)
and expanded once a day (a window of two days); a reading scans that short list.

Not busy, so never holding: all-day events, cancelled ones (STATUS:CANCELLED), free ones
(TRANSP:TRANSPARENT, or Outlook's X-MICROSOFT-CDO-BUSYSTATUS:FREE) and those the user
declined: an ATTENDEE with PARTSTAT=DECLINED whose address is one of `[holds] calendar_me`.
Times without a zone (floating) are local time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from breakctl.core.holds import Hold, HoldsSettings, Upcoming
from breakctl.host.holds.base import HoldError, HoldSource
from breakctl.host.holds.calendar_feed import FileFeed, UrlFeed, is_url
from breakctl.host.localzone import local_zone
from breakctl.store.locations import locate_cache

WINDOW_BEFORE = timedelta(hours=1)
WINDOW_AFTER = timedelta(days=2)
LOOKAHEAD = timedelta(days=1)  # upcoming() looks this far; the window keeps at least this
MAX_TITLE = 60


@dataclass(frozen=True)
class Busy:
    """One busy occurrence: when, and what it is called."""

    starts: datetime
    ends: datetime
    title: str


def parse(data: bytes, where: str) -> Any:
    """The calendar in `data`; HoldError naming `where` when it is not one."""
    import icalendar

    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        detail = "".join(ch for ch in str(exc) if ch.isascii() and ch.isprintable())[:60]
        raise HoldError(
            f"{where}: not an iCalendar file ({detail or type(exc).__name__})"
        ) from None
    if not calendars:
        raise HoldError(f"{where}: not an iCalendar file (no VCALENDAR)")
    return calendars


def _aware(value: datetime, zone: tzinfo | None) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def _title(event: Any) -> str:
    text = " ".join(str(event.get("SUMMARY", "")).split())
    text = "".join(ch for ch in text if ch.isprintable()) or "busy"
    return text[:MAX_TITLE] + ("…" if len(text) > MAX_TITLE else "")


def _declined(event: Any, me: tuple[str, ...]) -> bool:
    attendees = event.get("ATTENDEE", [])
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        address = str(attendee).strip().lower().removeprefix("mailto:")
        if address in me and str(attendee.params.get("PARTSTAT", "")).upper() == "DECLINED":
            return True
    return False


def busy_of(event: Any, me: tuple[str, ...], zone: tzinfo | None) -> Busy | None:
    """The occurrence as a busy time, or None when it does not keep the user busy."""
    start = event.get("DTSTART")
    if start is None or not isinstance(start.dt, datetime):
        return None  # all-day (a date), or no start at all
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return None
    if str(event.get("TRANSP", "")).upper() == "TRANSPARENT":
        return None
    if str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE":
        return None
    if me and _declined(event, me):
        return None
    try:
        end = event.end
    except Exception:  # no DTEND nor DURATION: it ends as it starts
        end = start.dt
    if not isinstance(end, datetime):
        return None
    starts, ends = _aware(start.dt, zone), _aware(end, zone)
    return Busy(starts, ends, _title(event)) if ends > starts else None


def expand(calendars: Any, since: datetime, until: datetime, me: tuple[str, ...]) -> list[Busy]:
    """The busy occurrences meeting [since, until), sorted by start."""
    import recurring_ical_events

    zone = since.tzinfo
    busy: list[Busy] = []
    for calendar in calendars:
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
        for event in query.between(since, until):
            found = busy_of(event, me, zone)
            if found is not None:
                busy.append(found)
    return sorted(busy, key=lambda b: (b.starts, b.ends))


@dataclass
class _Expanded:
    """A feed's text parsed (once per change), and its busy times over a window."""

    version: object
    calendars: Any
    since: datetime
    until: datetime
    busy: list[Busy]


class CalendarSource(HoldSource):
    """Every calendar of `[holds] calendar`. One that cannot be read is said once (the
    others still hold); the source fails only when none can be read."""

    name = "calendar"

    def __init__(
        self, feeds: list[FileFeed | UrlFeed], me: tuple[str, ...], zone: tzinfo | None
    ) -> None:
        self._feeds = feeds
        self._me = me
        self._zone = zone
        self._expanded: dict[int, _Expanded] = {}
        self._warnings: list[str] = []
        self._failing: dict[int, str] = {}
        self._broken: dict[int, tuple[object, str]] = {}  # a text that failed, by feed

    def _busy(self, now: datetime) -> list[Busy]:
        if not self._feeds:
            raise HoldError("no [holds] calendar set")
        now = _aware(now, self._zone)
        busy: list[Busy] = []
        failures: list[str] = []
        for index, feed in enumerate(self._feeds):
            try:
                busy += self._feed_busy(index, feed, now)
            except HoldError as exc:
                failures.append(str(exc))
                if self._failing.get(index) != str(exc) and len(self._feeds) > 1:
                    self._warnings.append(str(exc))
                self._failing[index] = str(exc)
                continue
            self._failing.pop(index, None)
            warning = feed.take_warning()
            if warning:
                self._warnings.append(warning)
        if len(failures) == len(self._feeds):
            raise HoldError("; ".join(failures))
        return busy

    def _feed_busy(self, index: int, feed: FileFeed | UrlFeed, now: datetime) -> list[Busy]:
        version = feed.version()
        broken = self._broken.get(index)
        if broken is not None and broken[0] == version:
            raise HoldError(broken[1])  # the same text fails the same way: not parsed again
        try:
            return self._expand(index, feed, version, now)
        except HoldError as exc:
            self._broken[index] = (version, str(exc))
            raise

    def _expand(
        self, index: int, feed: FileFeed | UrlFeed, version: object, now: datetime
    ) -> list[Busy]:
        known = self._expanded.get(index)
        if known is None or known.version != version:
            known = _Expanded(version, parse(feed.read(), feed.shown), now, now, [])
            self._expanded[index] = known
        if not known.since <= now <= known.until - LOOKAHEAD:
            since, until = now - WINDOW_BEFORE, now + WINDOW_AFTER
            try:
                known.busy = expand(known.calendars, since, until, self._me)
            except Exception as exc:  # a series the libraries cannot expand
                raise HoldError(f"{feed.shown}: cannot expand its events ({exc})") from None
            known.since, known.until = since, until
        return known.busy

    def holds(self, now: datetime) -> list[Hold]:
        zone = now.tzinfo or self._zone
        return [
            Hold(self.name, event.title, until=event.ends.astimezone(zone))
            for event in self._busy(now)
            if event.starts <= _aware(now, self._zone) < event.ends
        ]

    def upcoming(self, now: datetime) -> Upcoming | None:
        """The next busy event starting after `now`, within a day."""
        aware = _aware(now, self._zone)
        later = [e for e in self._busy(now) if aware < e.starts <= aware + LOOKAHEAD]
        if not later:
            return None
        first = min(later, key=lambda e: e.starts)
        zone = now.tzinfo or self._zone
        return Upcoming(first.title, first.starts.astimezone(zone), first.ends.astimezone(zone))

    def take_warning(self) -> str | None:
        warnings, self._warnings = self._warnings, []
        return "; ".join(warnings) or None


def source(settings: HoldsSettings, env: Mapping[str, str] | None = None) -> HoldSource:
    env = os.environ if env is None else env
    cache_dir = Path(locate_cache(env, sys.platform)) / "holds"
    feeds: list[FileFeed | UrlFeed] = [
        UrlFeed(location, cache_dir) if is_url(location) else FileFeed(location)
        for location in settings.calendar
    ]
    return CalendarSource(feeds, settings.calendar_me, local_zone(env))
