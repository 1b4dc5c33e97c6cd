"""The ids of the records the day cache has read, 16 bytes each (breakctl's ids are 32 hex
digits), in a binary file beside the cache: what `history edit`, `delete` and `undo` need to
find a record by the start of its id without reading the history.

The cache's JSON says how many ids of the file it vouches for (`DaySummary.listed`), and how
many records had an id that is not 32 hex digits (`DaySummary.odd_ids`): the list cannot
vouch for those, and a search then reads the history as before. Copies are listed as often
as they are read; a search answers each id once.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from operator import attrgetter
from pathlib import Path

from breakctl.core.records import Record
from breakctl.store.daycache.ids import uuid_bytes
from breakctl.store.history import write_all
from breakctl.store.paths import PRIVATE_FILE, open_private, replace_file

ID_BYTES = 16
_CHUNK = ID_BYTES * 65536
_SPILL = 1 << 20  # ids kept in memory before a rebuild writes them to its temp file
# A start shorter than this would match a good part of a long history: read it instead.
MIN_START = 4
_ID = attrgetter("id")


def list_path(cache_path: Path) -> Path:
    return cache_path.with_name(cache_path.stem + "-list.bin")


class IdList:
    """The ids one refresh read: packed, and how many could not be. Given a `spool` folder
    (a rebuild, with a million ids to keep), they go to a temp file there as they come, so
    memory holds only the last few thousand."""

    def __init__(self, spool: Path | None = None) -> None:
        self.packed = bytearray()
        self.odd = 0
        self.spool = spool
        self.spooled: str | None = None  # the temp file, once ids went to it

    def add(self, packed: bytes | None, records: Iterable[Record]) -> None:
        """Add the ids of `records`, given packed already (`ids.uuid_bytes`) or not."""
        records = list(records)
        if packed is not None:
            joined = "".join(map(_ID, records))
            if joined == joined.lower():  # as written: the list holds ids as `bytes.hex` does
                self.packed += packed
                self._spill()
                return
        for record in records:
            one = uuid_bytes([record.id])
            if one is not None and one.hex() == record.id:
                self.packed += one
            elif record.id:  # an id-less record is found by no id
                self.odd += 1
        self._spill()

    def _spill(self, least: int = _SPILL) -> None:
        if self.spool is None or len(self.packed) < least:
            return
        if self.spooled is None:
            fd, self.spooled = tempfile.mkstemp(dir=self.spool, prefix=".ids-", suffix=".tmp")
        else:
            fd = os.open(self.spooled, os.O_WRONLY | os.O_APPEND)
        try:
            os.fchmod(fd, PRIVATE_FILE)
            write_all(fd, self.packed)
        finally:
            os.close(fd)
        self.packed.clear()

    def merge(self, other: IdList) -> None:
        """Add what another list read (a child's half) after this one's."""
        if other.spooled is not None:
            with open(other.spooled, "rb") as theirs:
                while chunk := theirs.read(_SPILL):
                    self.packed += chunk
                    self._spill()
            other.discard()
        self.packed += other.packed
        self.odd += other.odd
        self._spill()

    def save(self, path: Path, listed: int, fresh: bool) -> int:
        """Write the ids after the `listed` ones the cache vouches for (all of them when
        `fresh`); how many the file holds now, -1 when it could not be written (the cache
        then vouches for none)."""
        try:
            if fresh and self.spooled is not None:
                self._spill(least=0)
                os.replace(self.spooled, path)
                self.spooled = None
                return os.stat(path).st_size // ID_BYTES
            if fresh:
                replace_file(path, bytes(self.packed))
                return len(self.packed) // ID_BYTES
            if listed < 0:
                return -1
            fd = open_private(path, os.O_RDWR | os.O_CREAT)
            try:
                # Ids past what the JSON vouches for were left by a refresh that never saved.
                os.ftruncate(fd, listed * ID_BYTES)
                os.pwrite(fd, self.packed, listed * ID_BYTES)
            finally:
                os.close(fd)
        except OSError:
            return -1
        finally:
            self.discard()
        return listed + len(self.packed) // ID_BYTES

    def discard(self) -> None:
        """Remove the temp file, if any is left."""
        if self.spooled is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.spooled)
            self.spooled = None


def ids_starting(path: Path, listed: int, start: str) -> set[str] | None:
    """The listed ids that start with `start`; None when the list cannot say (too short a
    start, not hex digits, the file shorter than the cache says)."""
    if start != start.lower():
        return set()  # every listed id is in lower case; any other made the list step aside
    if len(start) < MIN_START or len(start) > 2 * ID_BYTES or listed < 0:
        return None
    try:
        needle = bytes.fromhex(start[: len(start) // 2 * 2])
    except ValueError:
        return None
    found: set[str] = set()
    total = 0
    try:
        with open(path, "rb") as handle:
            # A few thousand ids at a time, each whole in its chunk: memory stays flat.
            while total < listed * ID_BYTES and (
                chunk := handle.read(min(_CHUNK, listed * ID_BYTES - total))
            ):
                total += len(chunk)
                found |= _starting(chunk, needle, start)
    except OSError:
        return None
    return found if total == listed * ID_BYTES else None


def _starting(chunk: bytes, needle: bytes, start: str) -> set[str]:
    found: set[str] = set()
    at = chunk.find(needle)
    while at >= 0:
        if at % ID_BYTES == 0:  # a match across two ids is none
            ident = chunk[at : at + ID_BYTES].hex()
            if ident.startswith(start):
                found.add(ident)
        at = chunk.find(needle, at + 1)
    return found
