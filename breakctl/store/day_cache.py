"""A per-day summary of the whole history, kept up to date from the byte offset it last saw.

Streaks, habit days and the weekly trend need every day since the first record; re-reading
years of history on each `breakctl stats` would be slow, so completed breaks and moved seconds
per day are cached here. The cache is
derived data: it can be deleted at any time, and it is rebuilt when the history no longer
starts with the bytes it saw (the file was replaced or edited before that point).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from breakctl.core.records import Record
from breakctl.core.stats_hours import is_movement
from breakctl.store.history import HistoryReader
from breakctl.store.paths import replace_file

CACHE_VERSION = 2
_FINGERPRINT_BYTES = 4096


@dataclass
class DaySummary:
    """What the cache knows: completed breaks and moved seconds per day, and where in the file
    it got to."""

    breaks_completed: dict[date, int] = field(default_factory=dict)
    moved_s: dict[date, float] = field(default_factory=dict)
    offset: int = 0  # bytes of the history read so far, always at a line boundary
    lines: int = 0  # lines in those bytes
    fingerprint: str = ""


class DayCache:
    def __init__(self, cache_path: Path, reader: HistoryReader) -> None:
        self.cache_path = cache_path
        self.reader = reader

    def _fingerprint(self, offset: int) -> str:
        """A hash of the file's first and last few KiB before `offset`."""
        digest = hashlib.sha256()
        try:
            with open(self.reader.path, "rb") as handle:
                digest.update(handle.read(min(offset, _FINGERPRINT_BYTES)))
                handle.seek(max(0, offset - _FINGERPRINT_BYTES))
                digest.update(handle.read(min(offset, _FINGERPRINT_BYTES)))
        except OSError:
            return ""
        return digest.hexdigest()

    def _load(self) -> DaySummary:
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
            if data.get("v") != CACHE_VERSION or data.get("history") != str(self.reader.path):
                return DaySummary()
            return DaySummary(
                breaks_completed={
                    date.fromisoformat(day): int(n) for day, n in data["breaks_completed"].items()
                },
                moved_s={date.fromisoformat(day): float(s) for day, s in data["moved_s"].items()},
                offset=int(data["offset"]),
                lines=int(data["lines"]),
                fingerprint=str(data["fingerprint"]),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return DaySummary()  # missing or damaged: it is only a cache, rebuild it

    def _save(self, summary: DaySummary) -> None:
        data = {
            "v": CACHE_VERSION,
            "history": str(self.reader.path),
            "offset": summary.offset,
            "lines": summary.lines,
            "fingerprint": summary.fingerprint,
            "breaks_completed": {
                day.isoformat(): n for day, n in sorted(summary.breaks_completed.items())
            },
            "moved_s": {day.isoformat(): s for day, s in sorted(summary.moved_s.items())},
        }
        # A cache that cannot be written only costs speed next time; never fail a command on it.
        with contextlib.suppress(OSError):
            replace_file(self.cache_path, json.dumps(data, separators=(",", ":")).encode())

    def refresh(self) -> DaySummary:
        """The summary brought up to the history's last complete line."""
        summary = self._load()
        size = self.reader.size()
        if summary.offset > size or summary.fingerprint != self._fingerprint(summary.offset):
            summary = DaySummary()
        start_offset = summary.offset
        for offset, number, item in self.reader.scan(
            summary.offset, first_line=summary.lines + 1, complete_only=True
        ):
            summary.offset, summary.lines = offset, number
            if not isinstance(item, Record):
                continue
            if item.completed_break:
                summary.breaks_completed[item.day] = summary.breaks_completed.get(item.day, 0) + 1
            if is_movement(item):
                summary.moved_s[item.day] = summary.moved_s.get(item.day, 0.0) + item.active_s
        if summary.offset != start_offset:
            summary.fingerprint = self._fingerprint(summary.offset)
            self._save(summary)
        return summary
