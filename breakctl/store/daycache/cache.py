"""A per-day summary of the whole history (every file of the folder), kept up to date from
the byte offset it last saw in each file.

Streaks, habit days and the weekly trend need every day since the first record; re-reading
years of history on each `breakctl stats` would be slow, so completed breaks and moved seconds
per day are cached here, with each file's offset, line count and fingerprint, the corrections
met, and (in a second file, store/daycache/ids.py) a 64-bit key of every record id counted,
in the order counted, so a record copied into another file (a sync conflict copy, a restored
backup) is counted once. The cache is derived data: it can be deleted at any time, and it is
rebuilt when a file no longer starts with the bytes it saw (replaced or edited before that
point) or disappears.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from datetime import date, datetime
from pathlib import Path

import msgspec

from breakctl.core.corrections import resolve
from breakctl.core.record_codec import decode_item
from breakctl.core.records import Correction
from breakctl.store.daycache.full_ids import find_records
from breakctl.store.daycache.id_list import ID_BYTES, list_path
from breakctl.store.daycache.ids import IdIndex, index_path
from breakctl.store.daycache.split import read_fresh
from breakctl.store.daycache.summary import DaySummary, FileState
from breakctl.store.daycache.tally import Tally, contribution
from breakctl.store.paths import ensure_private_dir, replace_file

CACHE_VERSION = 8  # 8: the id list (id_list.py); 7: each file's spans of `started`, its own
# records; 6: moved time counts breaks taken only, a natural break up to its length (#18);
# 5: uuid keys, unsorted
_FINGERPRINT_BYTES = 4096


# A summary as saved, and its raw per-day figures and id-hash tail.
_Loaded = tuple[DaySummary, dict[date, int], dict[date, float], list[int]]
# ... brought up to date, and whether anything changed.
_Read = tuple[DaySummary, dict[date, int], dict[date, float], list[int], bool]


class _Version(msgspec.Struct):
    v: int = 0


class _Saved(msgspec.Struct):
    """The cache's JSON, as written and read back."""

    v: int
    files: dict[str, FileState]
    breaks_completed: dict[date, int]
    moved_s: dict[date, float]
    corrections: list[str]  # the correction lines met, as written
    tail: list[int]
    filed: int
    originals: dict[str, tuple[date, int, float]]
    absent: list[str]
    listed: int
    odd_ids: int


class DayCache:
    def __init__(self, cache_path: Path, files: list[Path]) -> None:
        self.cache_path = cache_path
        self.index_path = index_path(cache_path)
        self.list_path = list_path(cache_path)
        self.files = files

    def _load(self) -> _Loaded:
        empty: _Loaded
        empty = (DaySummary(), {}, {}, [])
        try:
            data = self.cache_path.read_bytes()
            if msgspec.json.decode(data, type=_Version).v != CACHE_VERSION:
                return empty
            # Typed: the days come as dates, with no dict of strings beside them (a long
            # history's cache holds tens of thousands of days).
            saved = msgspec.json.decode(data, type=_Saved)
            corrections = []
            for line in saved.corrections:
                item = decode_item(line.encode(), 0)
                if isinstance(item, Correction):
                    corrections.append(item)
            summary = DaySummary(
                files=saved.files,
                corrections=corrections,
                originals=saved.originals,
                absent=set(saved.absent),
                filed=saved.filed,
                listed=saved.listed,
                odd_ids=saved.odd_ids,
            )
            return summary, saved.breaks_completed, saved.moved_s, saved.tail
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return empty  # missing or damaged: it is only a cache, rebuild it

    def _save(
        self,
        summary: DaySummary,
        breaks: dict[date, int],
        moved: dict[date, float],
        tail: list[int],
    ) -> None:
        from breakctl.core.record_codec import encode

        saved = _Saved(
            v=CACHE_VERSION,
            files=summary.files,
            breaks_completed={d: n for d, n in sorted(breaks.items()) if n},
            moved_s={d: s for d, s in sorted(moved.items()) if s},
            corrections=[encode(c).decode().rstrip("\n") for c in summary.corrections],
            tail=tail,
            filed=summary.filed,
            originals=summary.originals,
            absent=sorted(summary.absent),
            listed=summary.listed,
            odd_ids=summary.odd_ids,
        )
        # A cache that cannot be written only costs speed next time; never fail a command on it.
        with contextlib.suppress(OSError):
            replace_file(self.cache_path, msgspec.json.encode(saved))

    def refresh(self, now: datetime | None = None) -> DaySummary:
        """The summary brought up to every file's last complete line, corrections applied
        (those made ahead of `now` taken as the oldest: core/corrections). One command at a
        time refreshes (a lock beside the cache), so the JSON and the id file always describe
        the same bytes."""
        lock = self.cache_path.with_name(self.cache_path.stem + ".lock")
        try:
            ensure_private_dir(lock.parent)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            fd = -1  # no lock, no cache: read everything, write nothing
        try:
            if fd >= 0:
                fcntl.flock(fd, fcntl.LOCK_EX)
            return self._refresh(fd >= 0, now)
        finally:
            if fd >= 0:
                os.close(fd)

    def _refresh(self, save: bool, now: datetime | None) -> DaySummary:
        loaded = self._start(save)
        read = self._read(loaded, save, fresh=not loaded[0].files)
        if read is None:  # a rebuild met an id twice: again, each record checked as it comes
            read = self._read(self._start(save), save, fresh=False)
            assert read is not None  # only a fresh read gives up
        summary, breaks, moved, tail, changed = read
        if changed and save:
            self._save(summary, breaks, moved, tail)
        summary.resolved = resolve(summary.corrections, now)
        summary.tail = tail
        summary.breaks_completed, summary.moved_s = self._corrected(summary, breaks, moved)
        return summary

    def _read(self, loaded: _Loaded, save: bool, fresh: bool) -> _Read | None:
        """Count what the files hold past the cache; None when `fresh` met an id twice."""
        summary, breaks, moved, tail = loaded
        ids = self.index_path if save else self.index_path.with_suffix(".none")
        index = IdIndex(ids, tail, summary.filed)
        spool = self.list_path.parent if save else None  # where a rebuild keeps its ids
        tally = Tally(summary, breaks, moved, index, fresh, spool)
        try:
            return self._counted(tally, index, save, fresh)
        finally:  # temp files left by a rebuild that did not save
            tally.ids.discard()
            if tally.keys is not None:
                tally.keys.discard()

    def _counted(self, tally: Tally, index: IdIndex, save: bool, fresh: bool) -> _Read | None:
        summary = tally.summary
        changed = False
        starts = {}
        for path in self.files:
            starts[path] = summary.files.setdefault(str(path), FileState()).offset
        if fresh:
            read_fresh(tally, self.files, summary.files)
        else:
            for path in self.files:
                tally.read(path, summary.files[str(path)])
            tally.settle(self.files)
        for path, start in starts.items():
            state = summary.files[str(path)]
            if state.offset != start or not state.fingerprint:
                state.fingerprint = _fingerprint(path, state.offset)
                changed = True
        if tally.keys is not None and not index.replace(tally.keys, save and changed, tally.unique):
            return None
        tail = index.flush() if changed and save else sorted(index.tail)
        summary.filed = index.filed
        if changed:
            listed = tally.ids.save(self.list_path, summary.listed, fresh) if save else -1
            summary.listed, summary.odd_ids = listed, summary.odd_ids + tally.ids.odd
        changed |= self._find_originals(summary, tally.wanted)
        return summary, tally.breaks, tally.moved, tail, changed

    def _start(self, save: bool) -> _Loaded:
        """The cache as saved, or nothing when it no longer matches the files (or `save` is off:
        no cache at all)."""
        summary, breaks, moved, tail = self._load() if save else (DaySummary(), {}, {}, [])
        names = [str(p) for p in self.files]
        # An id file shorter than the JSON vouches for was cut short (a crash): start again.
        if (
            (summary.filed and _size(str(self.index_path)) < 8 * summary.filed)
            or (summary.listed > 0 and _size(str(self.list_path)) < ID_BYTES * summary.listed)
            or any(name not in names for name in summary.files)
            or any(
                s.offset
                and (s.offset > _size(name) or _fingerprint(Path(name), s.offset) != s.fingerprint)
                for name, s in summary.files.items()
            )
        ):
            summary, breaks, moved, tail = DaySummary(), {}, {}, []  # rebuild from scratch
        if not summary.files and save:
            # The id files, and the temp files of a rebuild killed before it saved (under the
            # lock, no other rebuild is running).
            leftovers = [*self.cache_path.parent.glob(".keys-*.tmp")]
            leftovers += self.cache_path.parent.glob(".ids-*.tmp")
            for stale in (self.index_path, self.list_path, *leftovers):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(stale)
        return summary, breaks, moved, tail

    def _find_originals(self, summary: DaySummary, wanted: set[str]) -> bool:
        """Records named by a correction met for the first time, read before it: look once.
        True when the summary changed."""
        unknown = wanted - summary.absent
        if not unknown:
            return False
        found = find_records(self.files, unknown)
        summary.originals.update((i, contribution(r)) for i, r in found.items())
        summary.absent |= unknown - found.keys()
        return True

    def _corrected(
        self, summary: DaySummary, breaks: dict[date, int], moved: dict[date, float]
    ) -> tuple[dict[date, int], dict[date, float]]:
        """The raw per-day figures with each corrected record's original taken out and its
        corrected version (if any) put in; a correction of a record not there changes nothing."""
        resolved = summary.resolved
        if resolved.empty:
            return breaks, moved
        breaks, moved = dict(breaks), dict(moved)
        for target, correction in resolved.by_target.items():
            changes = []
            if target in summary.originals:
                day, completed, moved_s = summary.originals[target]
                changes.append((day, -completed, -moved_s))
            if correction.record is not None:
                changes.append(contribution(correction.record))
            for day, completed, moved_s in changes:
                breaks[day] = breaks.get(day, 0) + completed
                moved[day] = moved.get(day, 0.0) + moved_s
        return (
            {d: n for d, n in breaks.items() if n > 0},
            {d: s for d, s in moved.items() if s > 1e-9},
        )


def _size(name: str) -> int:
    try:
        return os.stat(name).st_size
    except OSError:
        return -1


def _fingerprint(path: Path, offset: int) -> str:
    """A hash of the file's first and last few KiB before `offset`."""
    import hashlib  # only once a cache exists

    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            digest.update(handle.read(min(offset, _FINGERPRINT_BYTES)))
            handle.seek(max(0, offset - _FINGERPRINT_BYTES))
            digest.update(handle.read(min(offset, _FINGERPRINT_BYTES)))
    except OSError:
        return ""
    return digest.hexdigest()
