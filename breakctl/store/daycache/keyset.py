"""The ids' 64-bit keys a full read collects, in bounded memory: packed 8 bytes each in 256
arrays, one per value of a key's low byte (random in breakctl's uuid4 ids, and in the hash
of any other id).

Whether a key repeats is then asked of one array at a time: a set of a million keys as
Python ints took 70 MiB, a set of one array's few thousand takes nothing. Keys are put in
their array a run at a time, in C (no Python call per key). Given a `spool` folder (the day
cache's rebuild), the arrays go to a temp file there whenever they hold SPILL_KEYS keys,
each array's stretches noted, so a million keys cost no memory; the file then becomes the id
file as it is (its order does not matter)."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from array import array
from collections import Counter, deque
from collections.abc import Iterator
from pathlib import Path

from breakctl.store.history import write_all
from breakctl.store.paths import PRIVATE_FILE, replace_file

_LOW = 0 if sys.byteorder == "little" else 7  # where a key's low byte is in its 8 bytes
_KEY_BYTES = 8
SPILL_KEYS = 1 << 17  # 1 MiB of keys held before they go to the spool file
_append = array.append


class KeySet:
    def __init__(self, spool: Path | None = None) -> None:
        self._parts = [array("Q") for _ in range(256)]
        self._route = self._parts.__getitem__
        self._spool = spool
        self._file: str | None = None  # the temp file, once keys went to it
        self._written: list[list[tuple[int, int]]] = [[] for _ in range(256)]  # (offset, keys)
        self._size = 0  # bytes in the file
        self._held = 0  # keys in memory

    def __len__(self) -> int:
        return self._size // _KEY_BYTES + self._held

    def extend(self, keys: array[int]) -> None:
        """Add `keys` (a run's, in any order: only which keys there are matters)."""
        lows = memoryview(keys).cast("B")[_LOW::8]
        deque(map(_append, map(self._route, lows), keys), 0)
        self._held += len(keys)
        self._spill()

    def append(self, key: int) -> None:
        self._parts[key & 0xFF].append(key)
        self._held += 1
        self._spill()

    def _spill(self, least: int = SPILL_KEYS) -> None:
        if self._spool is None or self._held < least or not self._held:
            return
        if self._file is None:
            fd, self._file = tempfile.mkstemp(dir=self._spool, prefix=".keys-", suffix=".tmp")
            os.fchmod(fd, PRIVATE_FILE)
        else:
            fd = os.open(self._file, os.O_WRONLY | os.O_APPEND)
        try:
            for part, written in zip(self._parts, self._written, strict=True):
                if part:
                    write_all(fd, part.tobytes())
                    written.append((self._size, len(part)))
                    self._size += len(part) * _KEY_BYTES
                    del part[:]
        finally:
            os.close(fd)
        self._held = 0

    def _whole(self) -> Iterator[array[int]]:
        """Each array with what of it went to the file."""
        if self._file is None:
            yield from self._parts
            return
        with open(self._file, "rb") as handle:
            fd = handle.fileno()
            for part, written in zip(self._parts, self._written, strict=True):
                whole = array("Q")
                for offset, count in written:
                    whole.frombytes(os.pread(fd, count * _KEY_BYTES, offset))
                whole.extend(part)
                yield whole

    def update(self, other: KeySet) -> None:
        """Add every key of `other`."""
        for part in other._whole():
            self.extend(part)

    def frombytes(self, data: bytes) -> None:
        """Add the keys packed in `data` (as `tobytes` gives them)."""
        keys = array("Q")
        keys.frombytes(data)
        self.extend(keys)

    def tobytes(self) -> bytes:
        return b"".join(self._whole())

    def write(self, path: Path) -> None:
        """Make `path` a file of the keys (the temp file itself, when there is one)."""
        if self._file is None:
            replace_file(path, [memoryview(part) for part in self._parts])
            return
        self._spill(least=1)
        os.replace(self._file, path)
        self._file, self._written, self._size = None, [[] for _ in range(256)], 0

    def discard(self) -> None:
        """Remove the temp file, if any is left."""
        if self._file is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._file)
            self._file = None

    def __contains__(self, key: int) -> bool:
        index = key & 0xFF
        if key in self._parts[index]:
            return True
        if self._file is None or not self._written[index]:
            return False
        with open(self._file, "rb") as handle:
            return any(
                key in memoryview(os.pread(handle.fileno(), n * _KEY_BYTES, at)).cast("Q")
                for at, n in self._written[index]
            )

    def unique(self) -> bool:
        """Whether no key is here twice."""
        return all(len(set(part)) == len(part) for part in self._whole())

    def repeated(self) -> set[int]:
        """The keys that are here more than once."""
        found: set[int] = set()
        for part in self._whole():
            if len(set(part)) != len(part):
                found.update(key for key, n in Counter(part).items() if n > 1)
        return found

    def __iter__(self) -> Iterator[int]:
        for part in self._whole():
            yield from part
