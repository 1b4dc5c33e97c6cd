"""Where a calendar's text comes from: an .ics file, or an http(s) URL fetched at most every
15 minutes into a private cache copy.

A feed gives its bytes and a `version` that changes only when they do, so the calendar is
parsed once per change, not per reading. A URL's fetch is bounded in time and bytes; a failed
one keeps the last copy (the cache survives restarts) and says so once, through `warning`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from breakctl.host.holds.base import HoldError
from breakctl.store.paths import replace_file

FETCH_EVERY_S = 15 * 60.0
FETCH_TIMEOUT_S = 10.0  # the whole fetch, connection to last byte
MAX_BYTES = 8 << 20  # a year of a busy calendar is well under a megabyte
USER_AGENT = "breakctl (calendar holds)"


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def shown_url(url: str) -> str:
    """A URL as messages show it: scheme and host only, since calendar links often carry a
    secret token in their path or query."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}/…"


class FileFeed:
    """An .ics file, read again when its size or modification time changes."""

    def __init__(self, location: str) -> None:
        self.location = self.shown = location
        self.path = Path(os.path.expanduser(location))

    def version(self) -> object:
        try:
            info = self.path.stat()
        except OSError as exc:
            raise HoldError(f"{self.location}: cannot read: {exc.strerror}") from None
        return (info.st_ino, info.st_size, info.st_mtime_ns)

    def read(self) -> bytes:
        try:
            with open(self.path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise HoldError(f"{self.location}: cannot read: {exc.strerror}") from None
        if len(data) > MAX_BYTES:
            raise HoldError(f"{self.location}: over {MAX_BYTES >> 20} MiB: not a calendar")
        return data

    def take_warning(self) -> str | None:
        return None


def fetch(url: str, timeout_s: float = FETCH_TIMEOUT_S, max_bytes: int = MAX_BYTES) -> bytes:
    """The body of a 200 answer, read within `timeout_s` and `max_bytes`; HoldError (naming
    the host only) otherwise."""
    import urllib.error
    import urllib.request  # only when a calendar URL is due

    deadline = time.monotonic() + timeout_s
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    body = bytearray()
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:
            while chunk := answer.read(65536):
                body += chunk
                if len(body) > max_bytes:
                    raise HoldError(f"{shown_url(url)}: over {max_bytes >> 20} MiB: not a calendar")
                if time.monotonic() > deadline:
                    raise HoldError(f"{shown_url(url)}: took over {timeout_s:g}s and was stopped")
    except urllib.error.HTTPError as exc:
        raise HoldError(f"{shown_url(url)}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        why = getattr(exc, "reason", None) or exc
        raise HoldError(f"{shown_url(url)}: cannot fetch: {why}") from None
    return bytes(body)


def in_thread(work: Callable[[], None]) -> None:
    threading.Thread(target=work, name="calendar fetch", daemon=True).start()


class UrlFeed:
    """An http(s) calendar: fetched when its copy is 15 minutes old (a failed fetch waits as
    long before the next try), the copy kept whole and private in the cache folder. A fetch due
    at the first reading is waited for; later ones run beside the readings (`background`),
    which go on with the copy they have: a slow server never holds the day up."""

    def __init__(
        self,
        url: str,
        cache_dir: Path,
        clock: Callable[[], float] = time.time,
        fetcher: Callable[[str], bytes] = fetch,
        background: Callable[[Callable[[], None]], None] = in_thread,
    ) -> None:
        self.location = url
        self.shown = shown_url(url)  # messages name the host only
        self.cache = cache_dir / f"calendar-{hashlib.sha256(url.encode()).hexdigest()[:16]}.ics"
        self._clock = clock
        self._fetch = fetcher
        self._background = background
        self._data: bytes | None = None
        self._copy_time: float | None = None
        self._next_fetch: float | None = None
        self._version = 0
        self._warning: str | None = None
        self._failing = False
        self._fetching = False
        self._result: tuple[float, bytes | HoldError] | None = None  # set by the fetch

    def _load_copy(self) -> None:
        """The cache's copy, once per process: a restart does not fetch again before due."""
        try:
            with open(self.cache, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
            copy_time = os.stat(self.cache).st_mtime
        except OSError:
            self._next_fetch = self._clock()
            return
        now = self._clock()
        self._next_fetch = copy_time + FETCH_EVERY_S if copy_time <= now else now
        if len(data) <= MAX_BYTES:
            self._data, self._copy_time = data, copy_time
            self._version += 1

    def version(self) -> object:
        first = self._next_fetch is None
        if first:
            self._load_copy()
        assert self._next_fetch is not None
        self._collect()
        now = self._clock()
        if now >= self._next_fetch and not self._fetching:
            self._next_fetch = now + FETCH_EVERY_S
            self._fetching = True
            if first or self._data is None:
                # The process's first reading (`breakctl holds`, the day's start), or nothing
                # to read meanwhile: wait for the fetch.
                self._attempt(now)
            else:
                self._background(lambda: self._attempt(now))
            self._collect()
        if self._data is None:
            raise HoldError(self._warning or f"{self.shown}: no copy yet")
        return self._version

    def _attempt(self, started: float) -> None:
        """One fetch; its result is taken by the next reading (one assignment: thread-safe)."""
        try:
            result: bytes | HoldError = self._fetch(self.location)
        except HoldError as exc:
            result = exc
        self._result = (started, result)

    def _collect(self) -> None:
        done, self._result = self._result, None
        if done is None:
            return
        self._fetching = False
        started, result = done
        if isinstance(result, HoldError):
            if self._data is None:
                self._warning = str(result)
            elif not self._failing:
                assert self._copy_time is not None
                copy = datetime.fromtimestamp(self._copy_time).astimezone()
                self._warning = f"{result}; using the copy from {copy:%Y-%m-%d %H:%M}"
            self._failing = True
            return
        self._failing = False
        self._warning = None
        with contextlib.suppress(OSError):  # the copy in memory serves this process
            replace_file(self.cache, result)
        if result != self._data:
            self._version += 1
        self._data, self._copy_time = result, started

    def read(self) -> bytes:
        assert self._data is not None, "version() first"
        return self._data

    def take_warning(self) -> str | None:
        """The failed fetch, once, while the last copy stands in."""
        if self._data is None:
            return None  # said by the HoldError instead
        warning, self._warning = self._warning, None
        return warning
