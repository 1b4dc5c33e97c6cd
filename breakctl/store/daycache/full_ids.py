"""The full ids behind the 64-bit keys: where two records share a key, the ids say whether
they are one record copied (a sync conflict copy, a restored backup) or two records whose
ids happen to end alike. Distinct ids are distinct records, always.

Keys repeat rarely but in bulk (a conflict copy repeats a whole file), so the search is
made once for all the ids in question: one pass over the files' bytes, decoding only the
lines that hold one of them."""

from __future__ import annotations

import mmap
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import msgspec

from breakctl.core.record_codec import decode_item
from breakctl.core.records import MAX_LINE_BYTES, Record

# Below this many ids, one search of the bytes per id; above, one pass over all "id" values.
_ONE_BY_ONE = 16
_BACK_BLOCK = 64 * 1024  # a backwards search reads this much at a time
_ID_VALUE = re.compile(rb'"id"\s*:\s*"((?:[^"\\\n]|\\.){1,512})"')


def record_lines(files: Sequence[Path], ids: Iterable[str]) -> Counter[str]:
    """How many lines of `files` are records (not corrections) with each of `ids`."""
    wanted = {msgspec.json.encode(ident)[1:-1]: ident for ident in ids if ident}
    found: Counter[str] = Counter()
    if not wanted:
        return found
    targets = set(wanted.values())
    for path in files:
        try:
            with (
                open(path, "rb") as handle,
                mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
            ):
                for begin in sorted(_line_starts(data, wanted)):
                    end = data.find(b"\n", begin)
                    item = decode_item(data[begin : end if end >= 0 else len(data)], 0)
                    if isinstance(item, Record) and item.id in targets:
                        found[item.id] += 1
        except (OSError, ValueError):
            continue  # missing or empty: nothing there
    return found


def _line_starts(data: mmap.mmap, wanted: dict[bytes, str]) -> set[int]:
    """Where the lines that mention one of `wanted` (as an "id" value) begin."""
    starts: set[int] = set()
    if len(wanted) <= _ONE_BY_ONE:
        for quoted in (b'"' + raw + b'"' for raw in wanted):
            at = data.find(quoted)
            while at >= 0:
                starts.add(data.rfind(b"\n", 0, at) + 1)
                at = data.find(quoted, at + 1)
        return starts
    for match in _ID_VALUE.finditer(data):
        if match.group(1) in wanted:
            starts.add(data.rfind(b"\n", 0, match.start()) + 1)
    return starts


def find_records(files: Sequence[Path], ids: set[str]) -> dict[str, Record]:
    """The records (as written) with these ids, searched for in the files' bytes, each file
    from its end (a correction is usually about a recent record), the files in the order
    they are counted in: the copy found is the one counted. A read of the files, not a parse."""
    found: dict[str, Record] = {}
    for path in files:
        if len(found) == len(ids):
            break
        try:
            with (
                open(path, "rb") as handle,
                mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mm,
            ):
                for ident in ids - found.keys():
                    quoted = b'"' + ident.encode() + b'"'
                    at = mm.rfind(quoted)
                    while at >= 0:
                        begin = mm.rfind(b"\n", 0, at) + 1
                        end = mm.find(b"\n", at)
                        item = decode_item(mm[begin : end if end >= 0 else len(mm)], 0)
                        if isinstance(item, Record) and item.id == ident:
                            found[ident] = item
                            break
                        at = mm.rfind(quoted, 0, begin)
        except (OSError, ValueError):
            continue  # missing or empty: nothing to find there
    return found


def find_written(files: Sequence[Path], ident: str) -> Record | None:
    """The record with id `ident` as written, searched for from the end of each file (in the
    order they are counted in: the copy found is the one counted), a block at a time: a
    recent record costs a block or two, however long the history."""
    needle = b'"' + ident.encode() + b'"'
    for path in files:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            for line in _lines_holding(fd, os.fstat(fd).st_size, needle):
                item = decode_item(line.removesuffix(b"\r"), 0)
                if isinstance(item, Record) and item.id == ident:
                    return item
        finally:
            os.close(fd)
    return None


def _lines_holding(fd: int, size: int, needle: bytes) -> Iterator[bytes]:
    """The lines of the file open as `fd` that hold `needle`, last first, read backwards a
    block at a time. A line longer than MAX_LINE_BYTES (never a record) is not kept."""
    end, rest, overlong = size, b"", False
    while end > 0:
        start = max(0, end - _BACK_BLOCK)
        data = os.pread(fd, end - start, start) + rest
        if overlong:  # what follows the last newline begins that line: not kept
            data, overlong = data[: data.rfind(b"\n") + 1], not data.count(b"\n")
        # Before the first newline: a line begun earlier, read with the next block.
        cut = 0 if start == 0 else data.find(b"\n") + 1
        if start == 0 or cut:
            whole = data[cut:]
            at = whole.rfind(needle)
            while at >= 0:
                begin = whole.rfind(b"\n", 0, at) + 1
                stop = whole.find(b"\n", at)
                yield whole[begin : stop if stop >= 0 else len(whole)]
                at = whole.rfind(needle, 0, begin)
        rest = data[:cut] if cut else data
        if len(rest) > MAX_LINE_BYTES + len(b"\r\n"):
            rest, overlong = b"", True
        end = start
