"""The ids of the records the day cache has counted, so a record copied into another file (a
sync conflict copy, a restored backup) is counted once.

Each record stands for a 64-bit hash of its id; the hashes live in a sorted binary file beside
the cache, bisected through mmap, plus a short tail kept in the cache's JSON.
"""

from __future__ import annotations

import bisect
import hashlib
import mmap
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from breakctl.core.records import Correction, Record
from breakctl.store.paths import replace_file

if TYPE_CHECKING:
    from breakctl.store.day_cache import DaySummary

# New id hashes stay in the JSON until there are this many, then join the sorted binary file:
# a warm `stats` loads neither more than this nor the binary file (it is bisected via mmap).
TAIL_LIMIT = 4096


def id_hash(record: Record | Correction, raw: bytes) -> int:
    """64 bits that stand for the record's identity: its id, or its bytes when it has none."""
    return key_of(record.id.encode() if record.id else raw)


def key_of(ident: bytes) -> int:
    """The id's own 128 bits folded to 64 when it is 32 hex digits (breakctl's: a uuid4), a
    hash of it otherwise: a full read of a long history hashes almost nothing."""
    if len(ident) == 32:
        try:
            value = int(ident, 16)
        except ValueError:
            pass
        else:
            return (value >> 64) ^ (value & 0xFFFF_FFFF_FFFF_FFFF)
    return int.from_bytes(hashlib.blake2b(ident, digest_size=8).digest(), "big")


class IdIndex:
    """The id hashes counted so far: a sorted binary file bisected through mmap, plus a tail."""

    def __init__(self, path: Path, tail: list[int]) -> None:
        self.path = path
        self.tail = set(tail)
        self._handle: BinaryIO | None = None
        self._mm: mmap.mmap | None = None
        self._view: memoryview | None = None

    def _sorted(self) -> memoryview | None:
        if self._view is None and self._mm is None:
            try:
                handle = self._handle = open(self.path, "rb")  # noqa: SIM115 - see close()
                self._mm = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
                self._view = memoryview(self._mm).cast("Q")
            except (OSError, ValueError):
                self._mm = None
                self._view = memoryview(b"").cast("Q")
        return self._view

    def add(self, key: int) -> bool:
        """Record `key`; False when it was there already."""
        if key in self.tail:
            return False
        view = self._sorted()
        if view is not None and len(view):
            at = bisect.bisect_left(view, key)
            if at < len(view) and view[at] == key:
                return False
        self.tail.add(key)
        return True

    def close(self) -> None:
        if self._view is not None:
            self._view.release()
            self._view = None
        if self._mm is not None:
            self._mm.close()
            self._mm = None
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def flush(self) -> list[int]:
        """Fold a long tail into the sorted file; returns the tail to keep in the JSON."""
        if len(self.tail) <= TAIL_LIMIT:
            return sorted(self.tail)
        view = self._sorted()
        merged = array("Q", view if view is not None else ())
        self.close()
        merged.extend(self.tail)
        replace_file(self.path, array("Q", sorted(merged)).tobytes())
        return []


class IdSet:
    """The ids of the records counted (and corrections met), as the cache knows them after a
    refresh; `add` says whether an id is new and remembers it (in memory only)."""

    def __init__(self, cache_path: Path, summary: DaySummary) -> None:
        self._index = IdIndex(index_path(cache_path), summary.tail)
        self._corrections = {c.id for c in summary.corrections}

    def add(self, item: Record | Correction, raw: bytes) -> bool:
        if isinstance(item, Correction):
            new = item.id not in self._corrections
            self._corrections.add(item.id)
            return new
        return self._index.add(id_hash(item, raw))

    def close(self) -> None:
        self._index.close()


def index_path(cache_path: Path) -> Path:
    return cache_path.with_name(cache_path.stem + "-ids.bin")
