"""The ids' 64-bit keys a full read collects, in bounded memory: packed 8 bytes each in 256
arrays, one per value of a key's low byte (random in breakctl's uuid4 ids, and in the hash
of any other id).

Whether a key repeats is then asked of one array at a time: a set of a million keys as
Python ints took 70 MiB, a set of one array's few thousand takes nothing. Keys are put in
their array a run at a time, in C (no Python call per key)."""

from __future__ import annotations

import sys
from array import array
from collections import Counter, deque
from collections.abc import Iterator

_LOW = 0 if sys.byteorder == "little" else 7  # where a key's low byte is in its 8 bytes
_append = array.append


class KeySet:
    def __init__(self) -> None:
        self._parts = [array("Q") for _ in range(256)]
        self._route = self._parts.__getitem__

    def __len__(self) -> int:
        return sum(map(len, self._parts))

    def extend(self, keys: array[int]) -> None:
        """Add `keys` (a run's, in any order: only which keys there are matters)."""
        lows = memoryview(keys).cast("B")[_LOW::8]
        deque(map(_append, map(self._route, lows), keys), 0)

    def append(self, key: int) -> None:
        self._parts[key & 0xFF].append(key)

    def update(self, other: KeySet) -> None:
        """Add every key of `other`."""
        for mine, theirs in zip(self._parts, other._parts, strict=True):
            mine.extend(theirs)

    def frombytes(self, data: bytes) -> None:
        """Add the keys packed in `data` (as `tobytes` gives them)."""
        keys = array("Q")
        keys.frombytes(data)
        self.extend(keys)

    def tobytes(self) -> bytes:
        return b"".join(self._parts)

    def pieces(self) -> list[memoryview]:
        """The packed keys as they are held, to write without a copy."""
        return [memoryview(part) for part in self._parts]

    def __contains__(self, key: int) -> bool:
        return key in self._parts[key & 0xFF]

    def unique(self) -> bool:
        """Whether no key is here twice."""
        return all(len(set(part)) == len(part) for part in self._parts)

    def repeated(self) -> set[int]:
        """The keys that are here more than once."""
        found: set[int] = set()
        for part in self._parts:
            if len(set(part)) != len(part):
                found.update(key for key, n in Counter(part).items() if n > 1)
        return found

    def __iter__(self) -> Iterator[int]:
        for part in self._parts:
            yield from part
