"""The ids of the records the day cache has counted, so a record copied into another file (a
sync conflict copy, a restored backup) is counted once.

Each record stands for a 64-bit key of its id. The keys live in a binary file beside the cache,
in the order they were counted, plus a short tail kept in the cache's JSON; the JSON says how
many keys of the file it vouches for (a refresh that died before saving the JSON may have
added more). Nothing is sorted: a rebuild writes the keys as it read them, and a check of new
records reads the file in one pass in C (about 30 ms per million records), or, asked again in
the same command, loads it once as a set.
"""

from __future__ import annotations

import os
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from breakctl.core.records import Correction, Record
from breakctl.store.daycache.full_ids import record_lines
from breakctl.store.daycache.keyset import KeySet
from breakctl.store.daycache.summary import DaySummary
from breakctl.store.paths import open_private

# New keys stay in the JSON until there are this many, then are appended to the binary file:
# a warm `stats` with nothing new reads neither more than this nor the binary file.
TAIL_LIMIT = 4096
_KEY_BYTES = 8


def id_hash(ident: str, raw: bytes) -> int:
    """64 bits that stand for a record's identity: its id, or its bytes when it has none."""
    return key_of(ident or raw)


def key_of(ident: bytes | str) -> int:
    """The last 8 of the id's 16 bytes when it is 32 hex digits (breakctl's ids are uuid4s: 62
    random bits there), in this machine's byte order as the id file holds them; a hash of it
    otherwise. A full read of a long history hashes almost nothing."""
    if isinstance(ident, str) and len(ident) == 32:
        try:
            raw = bytes.fromhex(ident)
        except ValueError:
            raw = b""
        if len(raw) == 16:  # fromhex skips spaces: 32 characters may be fewer bytes
            return int.from_bytes(raw[8:], sys.byteorder)
    import hashlib  # ids that are not breakctl's own are rare

    raw = ident.encode() if isinstance(ident, str) else ident
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big")


def keys_of(ids: Sequence[str]) -> array[int] | None:
    """`key_of` of many ids at once, all in C; None unless every id is 32 hex digits (then
    ask `key_of` one by one)."""
    raw = uuid_bytes(ids)
    return None if raw is None else keys_in(raw)


def uuid_bytes(ids: Sequence[str]) -> bytes | None:
    """The ids as 16 bytes each, in C; None unless every id is 32 hex digits."""
    joined = "".join(ids)
    # The total is right and none is longer: every id is 32 characters.
    if not ids or len(joined) != 32 * len(ids) or max(map(len, ids)) != 32:
        return None
    try:
        raw = bytes.fromhex(joined)
    except ValueError:
        return None
    return raw if len(raw) == 16 * len(ids) else None


def keys_in(raw: bytes) -> array[int]:
    """The keys of ids given as 16 bytes each (`uuid_bytes`): their last 8 bytes."""
    keys = array("Q")
    keys.frombytes(memoryview(raw).cast("Q")[1::2].tobytes())
    return keys


def keys_for(records: Sequence[Record], lines: Sequence[bytes]) -> tuple[array[int], bytes | None]:
    """Each record's key (`lines`: the records' lines as written), and their ids as 16 bytes
    each (None unless every id is one of breakctl's): in C when every id is one of
    breakctl's, else one by one."""
    raw = uuid_bytes([record.id for record in records])
    if raw is not None:
        return keys_in(raw), raw
    pairs = zip(records, lines, strict=True)
    return array("Q", (id_hash(r.id, line.removesuffix(b"\r")) for r, line in pairs)), None


class IdIndex:
    """The keys counted so far: the binary file's first `filed` keys, plus a tail."""

    def __init__(self, path: Path, tail: Iterable[int], filed: int) -> None:
        self.path = path
        self.tail = set(tail)
        self.filed = filed
        self._loaded: set[int] | None = None  # the file as a set, once asked twice
        self._passes = 0

    def known(self, keys: set[int]) -> set[int]:
        """Those of `keys` counted already."""
        found = keys & self.tail
        rest = keys - found
        if rest and self.filed:
            found |= self._in_file(rest)
        return found

    def _in_file(self, keys: set[int]) -> set[int]:
        if self._loaded is None:
            self._passes += 1
            filed = self._filed()
            if self._passes == 1:
                return keys.intersection(filed)
            self._loaded = set(filed)
        return keys & self._loaded

    def _filed(self) -> memoryview:
        try:
            with open(self.path, "rb") as handle:
                data = handle.read(self.filed * _KEY_BYTES)
        except OSError:
            data = b""
        return memoryview(data[: len(data) - len(data) % _KEY_BYTES]).cast("Q")

    def add(self, key: int) -> bool:
        """Record `key`; False when it was counted already."""
        if self.known({key}):
            return False
        self.tail.add(key)
        return True

    def add_all(self, keys: array[int]) -> bool:
        """Record all of `keys` when every one is new and none repeats; otherwise record none
        and return False (the caller then adds them one by one, in order)."""
        new = set(keys)
        if len(new) != len(keys) or self.known(new):
            return False
        self.tail |= new
        return True

    def replace(self, keys: KeySet, write: bool, unique: bool | None = None) -> bool:
        """Make `keys` the whole index (a rebuild, once its files are read): the binary file
        when `write`, the tail otherwise. False, changing nothing, when a key repeats (`unique`:
        already known whether one does)."""
        if not (unique if unique is not None else keys.unique()):
            return False
        self._loaded, self.tail, self.filed = None, set(), 0
        if write:
            try:
                keys.write(self.path)
                self.filed = len(keys)
                return True
            except OSError:
                pass  # the keys stay in the JSON: slower next time, never wrong
        self.tail = set(keys)
        return True

    def flush(self) -> list[int]:
        """Append a long tail to the binary file; returns the tail to keep in the JSON."""
        if len(self.tail) <= TAIL_LIMIT:
            return sorted(self.tail)
        keys = array("Q", sorted(self.tail)).tobytes()
        try:
            fd = open_private(self.path, os.O_RDWR)
            try:
                # Keys past what the JSON vouches for were left by a refresh that never saved.
                os.ftruncate(fd, self.filed * _KEY_BYTES)
                os.pwrite(fd, keys, self.filed * _KEY_BYTES)
            finally:
                os.close(fd)
        except OSError:
            return sorted(self.tail)
        self.filed += len(self.tail)
        self.tail = set()
        return []


class IdSet:
    """The ids of the records counted (and corrections met), as the cache knows them after a
    refresh; `new_of` says which of some lines are new and remembers them (in memory only).
    A key met before is a copy only when a line of `files` holds that very id."""

    def __init__(self, cache_path: Path, summary: DaySummary, files: Sequence[Path]) -> None:
        self._index = IdIndex(index_path(cache_path), summary.tail, summary.filed)
        self._corrections = {c.id for c in summary.corrections}
        self._files = files

    def add(self, item: Record | Correction, raw: bytes) -> bool:
        (new,) = self.new_of([(item, raw)])
        return new

    def new_of(self, items: Sequence[tuple[Record | Correction, bytes]]) -> list[bool]:
        """Whether each item is new (a later one with the id of an earlier new one is not).
        The files are searched once for all the ids whose key was met before."""
        new: list[bool | None] = []
        for item, raw in items:
            if isinstance(item, Correction):
                new.append(item.id not in self._corrections)
                self._corrections.add(item.id)
            else:
                added = self._index.add(id_hash(item.id, raw))
                new.append(True if added else None if item.id else False)
        asked = {item.id for (item, _), n in zip(items, new, strict=True) if n is None}
        held = record_lines(self._files, asked) if asked else Counter[str]()
        taken = {item.id for (item, _), n in zip(items, new, strict=True) if n}
        out = []
        for (item, _), n in zip(items, new, strict=True):
            if n is None:  # its key was met: new only if no line and no earlier item has it
                n = not held[item.id] and item.id not in taken
                taken.add(item.id)
            out.append(n)
        return out


def index_path(cache_path: Path) -> Path:
    return cache_path.with_name(cache_path.stem + "-ids.bin")
