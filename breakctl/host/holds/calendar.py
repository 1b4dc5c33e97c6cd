"""`calendar`: a busy event now, from .ics files or http(s) URLs (`[holds] calendar`).

The day never imports the calendar libraries: a calendar is expanded by a bounded helper
process (`calendar_expand`, run through helper_run: time and byte limits) into its busy
times over a window (an hour back, two days ahead), which the source keeps: a reading is a
lookup. The helper runs again only when the text changed (a file's size or modification time,
a fetch that brought new bytes) or when the window nears its end. A text that is not a
calendar fails the source until it changes; a helper stopped at its limit or answering
nonsense is said once and the last good busy times stand (tried again after 15 minutes).
Times without a zone (floating) are local time.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from breakctl.core.holds import Hold, HoldsSettings, Upcoming
from breakctl.host.helper_run import HelperError, run_helper_status
from breakctl.host.holds.base import HoldError, HoldSource
from breakctl.host.holds.calendar_expand import WARNING
from breakctl.host.holds.calendar_feed import FileFeed, UrlFeed, is_url
from breakctl.host.localzone import local_zone
from breakctl.store.locations import locate_cache

WINDOW_BEFORE = timedelta(hours=1)
WINDOW_AFTER = timedelta(days=2)
LOOKAHEAD = timedelta(days=1)  # upcoming() looks this far; the window keeps at least this
RETRY_AFTER = timedelta(minutes=15)  # a helper stopped at its limit is tried again after this
EXPAND_TIMEOUT_S = 30.0  # generous: a year of a busy calendar expands in well under a second
EXPAND_MAX_BYTES = 1 << 20  # two days of busy times are a few KiB
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[3])  # where `breakctl` is importable


@dataclass(frozen=True)
class Busy:
    """One busy occurrence: when, and what it is called."""

    starts: datetime
    ends: datetime
    title: str


class HelperCut(HoldError):
    """The helper was stopped at its limit or answered nonsense: not the calendar's fault."""


def _aware(value: datetime, zone: tzinfo | None) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def _decode(out: bytes, zone: tzinfo | None) -> list[Busy]:
    """The helper's JSON as busy times, sorted; ValueError when it is not what it prints."""
    busy: list[Busy] = []
    rows = json.loads(out)
    if not isinstance(rows, list):
        raise ValueError("not a list")
    for row in rows:
        starts, ends, title = row
        if not isinstance(title, str):
            raise ValueError("a title that is not text")
        first = _aware(datetime.fromisoformat(starts), zone)
        last = _aware(datetime.fromisoformat(ends), zone)
        if last > first:
            busy.append(Busy(first, last, title))
    return sorted(busy, key=lambda b: (b.starts, b.ends))


def expand_in_helper(
    data: bytes,
    where: str,
    window: tuple[datetime, datetime],
    me: tuple[str, ...],
    env: Mapping[str, str],
) -> tuple[list[Busy], list[str]]:
    """The busy times of the calendar text `data` over `window`, expanded by the helper
    process, and its warnings (events it could not read). HoldError (the text's fault) or
    HelperCut (the helper's) otherwise."""
    since, until = window
    argv = [sys.executable, "-m", "breakctl.host.holds.calendar_expand", "--where", where]
    argv += ["--since", since.isoformat(), "--until", until.isoformat()]
    for address in me:
        argv += ["--me", address]
    path = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p)
    label = f"{where}: the calendar helper"
    try:
        code, out, err = run_helper_status(
            argv,
            label,
            {**env, "PYTHONPATH": path},
            EXPAND_TIMEOUT_S,
            stdin=data,
            max_bytes=EXPAND_MAX_BYTES,
        )
    except HelperError as exc:
        raise HelperCut(str(exc)) from None
    last = (err.decode("utf-8", "replace").strip().splitlines() or [""])[-1][:200]
    if code == 2 and last:
        raise HoldError(last)
    if code != 0:
        raise HelperCut(f"{label} failed (exit {code}){': ' + last if last else ''}")
    said = err.decode("utf-8", "replace").splitlines()
    warnings = [line.removeprefix(WARNING) for line in said if line.startswith(WARNING)]
    try:
        return _decode(out, since.tzinfo), warnings
    except (ValueError, TypeError) as exc:
        raise HelperCut(f"{label} answered nonsense ({exc})") from None


@dataclass
class _Expanded:
    """A feed's busy times over a window, and the text version they come from."""

    version: object
    since: datetime
    until: datetime
    busy: list[Busy] = field(default_factory=list)


@dataclass(frozen=True)
class _Failure:
    """An expansion that failed: not tried again for the same text (a cut one: for a while)."""

    version: object
    at: datetime
    error: HoldError


class CalendarSource(HoldSource):
    """Every calendar of `[holds] calendar`. One that cannot be read is said once (the
    others still hold); the source fails only when none can be read."""

    name = "calendar"

    def __init__(
        self,
        feeds: list[FileFeed | UrlFeed],
        me: tuple[str, ...],
        zone: tzinfo | None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._feeds = feeds
        self._me = me
        self._zone = zone
        self._env = os.environ if env is None else env
        self._expanded: dict[int, _Expanded] = {}
        self._warnings: list[str] = []
        self._failing: dict[int, str] = {}
        self._failed: dict[int, _Failure] = {}  # the last expansion that failed, by feed

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
        known = self._expanded.get(index)
        fresh = known is not None and known.version == version
        if fresh and known is not None and known.since <= now <= known.until - LOOKAHEAD:
            return known.busy  # the usual reading: a lookup
        failed = self._failed.get(index)
        if failed is not None and failed.version == version:
            retry = isinstance(failed.error, HelperCut) and now - failed.at >= RETRY_AFTER
            if not retry:
                return self._after_failure(known, failed.error)
        since, until = now - WINDOW_BEFORE, now + WINDOW_AFTER
        try:
            busy, warnings = expand_in_helper(
                feed.read(), feed.shown, (since, until), self._me, self._env
            )
        except HoldError as exc:
            self._failed[index] = _Failure(version, now, exc)
            if isinstance(exc, HelperCut) and known is not None:
                self._warnings.append(f"{exc}; the last busy times stand")
            return self._after_failure(known, exc)
        self._failed.pop(index, None)
        if not fresh:
            self._warnings += warnings  # once a text, not at each new window
        self._expanded[index] = _Expanded(version, since, until, busy)
        return busy

    @staticmethod
    def _after_failure(known: _Expanded | None, error: HoldError) -> list[Busy]:
        """The last good busy times when the helper was cut; the error when the text is bad
        (or there is nothing to fall back on)."""
        if isinstance(error, HelperCut) and known is not None:
            return known.busy
        raise error

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
    return CalendarSource(feeds, settings.calendar_me, local_zone(env), env)
