"""The history file: JSON lines, appended one whole record at a time, never rewritten."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path
from typing import BinaryIO, NamedTuple

from breakctl.core.errors import StorageError
from breakctl.core.record_codec import decode_block, decode_item, encode
from breakctl.core.records import MAX_LINE_BYTES, BadLine, Correction, Record
from breakctl.store.paths import ensure_private_dir, open_private


class History:
    def __init__(self, path: Path) -> None:
        self.path = path

    def open_for_append(self) -> int:
        try:
            ensure_private_dir(self.path.parent)
            # A symbolic link is followed: the history may live in a synced folder.
            return open_private(self.path, os.O_RDWR | os.O_APPEND)
        except IsADirectoryError:
            raise StorageError(f"{self.path}: is a directory, expected the history file") from None
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise StorageError(f"{self.path}: cannot write history: {reason}") from None

    def ensure_writable(self) -> None:
        """Fail now, with a clear message, rather than lose a record at the end of a run."""
        os.close(self.open_for_append())

    def append(self, record: Record | Correction) -> None:
        """Add one record as one line: a single write under an exclusive lock, then fsync."""
        with signals_deferred():
            self._append(encode(record))

    def _append(self, line: bytes) -> None:
        fd = self.open_for_append()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
        except OSError as exc:
            os.close(fd)
            raise StorageError(f"{self.path}: cannot write history: {exc.strerror}") from None
        try:
            self.write_locked(fd, line, size)
        finally:
            os.close(fd)  # closing releases the lock

    def write_locked(self, fd: int, lines: bytes, size: int) -> None:
        """Append whole `lines` to the file open (and locked) as `fd`, `size` bytes long, then
        fsync; on failure cut the file back to `size` and raise StorageError."""
        try:
            # A crash can leave a half-written last line; start ours on a fresh line so the
            # torn one stays a single bad line instead of swallowing this record too.
            if size and os.pread(fd, 1, size - 1) != b"\n":
                lines = b"\n" + lines
            write_all(fd, lines)
            os.fsync(fd)
        except OSError as exc:
            # Never leave part of a line behind: cut the file back to where it was.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            if exc.errno == errno.ENOSPC:
                raise StorageError(f"{self.path}: disk full, record not saved") from None
            raise StorageError(f"{self.path}: cannot write history: {exc.strerror}") from None


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the record is on disk: their handlers record the
    block in progress, which must not find this record half-written."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    blocked = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_all(fd: int, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# -- reading -----------------------------------------------------------------------------------

_CHUNK = 64 * 1024
# Forward reads: large enough that the per-read cost disappears, small enough that a run's
# lines and records stay a few MiB (a full read's peak memory; 1 MiB blocks added 5 MiB).
_BLOCK = 256 * 1024
Item = Record | Correction | BadLine


class Run(NamedTuple):
    """Consecutive lines of one file as a forward read found them: their bytes as written
    (newline dropped, a `\\r` before it kept), the first numbered `first`, from byte `start` to
    byte `end`. A line longer than MAX_LINE_BYTES comes alone, as `overlong` (its length
    without the newline), with none of its bytes kept."""

    start: int
    first: int
    end: int
    lines: list[bytes]
    overlong: int = 0

    @property
    def line_count(self) -> int:
        return 1 if self.overlong else len(self.lines)


class HistoryReader:
    """Reads the history without ever changing it. Raises StorageError when it cannot.
    No line costs more memory than MAX_LINE_BYTES, however long it is."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _open(self) -> BinaryIO | None:
        try:
            return open(self.path, "rb")
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            raise StorageError(f"{self.path}: is a directory, expected the history file") from None
        except OSError as exc:
            raise StorageError(f"{self.path}: cannot read history: {exc.strerror}") from None

    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def scan(
        self, start: int = 0, first_line: int = 1, complete_only: bool = False
    ) -> Iterator[tuple[int, int, Item | None]]:
        """Yield (offset after the line, its line number, record / bad line / None if blank)
        from byte `start` forward. With complete_only, a last line not yet ended by a newline
        is left for next time (it may still be being written)."""
        for offset, number, _, item in self.lines(start, first_line, complete_only):
            yield offset, number, item

    def lines(
        self,
        start: int = 0,
        first_line: int = 1,
        complete_only: bool = False,
        stop: int | None = None,
    ) -> Iterator[tuple[int, int, bytes, Item | None]]:
        """As `scan`, with each line's bytes as written (no newline, no `\\r`; empty when
        overlong), up to byte `stop` (a line boundary) if given."""
        for run in self.runs(start, first_line, complete_only, stop):
            records = None if run.overlong else decode_block(run.lines)
            items = (
                careful_items(run) if records is None else zip(count(run.first), run.lines, records)
            )
            offset = run.start
            for number, raw, item in items:
                offset = run.end if run.overlong else min(offset + len(raw) + 1, run.end)
                yield offset, number, raw.removesuffix(b"\r"), item

    def runs(
        self,
        start: int = 0,
        first_line: int = 1,
        complete_only: bool = False,
        stop: int | None = None,
    ) -> Iterator[Run]:
        """The lines from byte `start` forward (to byte `stop`, a line boundary, if given), a
        block at a time: a full read of a long history costs little beyond decoding, and a
        caller can decode a whole run in a row. With complete_only, a last line not yet ended
        by a newline is left for next time (it may still be being written). The file is open
        only while a block is read: a merge of hundreds of files holds none of them open."""
        offset, number = start, first_line
        while True:
            size = _BLOCK if stop is None else min(_BLOCK, stop - offset)
            block, overlong = self._block(offset, size)
            if not block:
                return
            cut = block.rfind(b"\n") + 1
            if overlong is not None:  # a line longer than a block
                length, ended = overlong
                if ended or not complete_only:
                    yield Run(offset, number, offset + length + ended, [], length)
                offset, number = offset + length + 1, number + 1
                continue
            if cut == 0:  # the last line, without its newline
                if not complete_only:
                    yield from _runs(offset, number, [block], ended=False)
                return
            lines = block.split(b"\n")
            lines.pop()  # what follows the last newline: read again with the next block
            if _short_lines(block, cut):
                yield Run(offset, number, offset + cut, lines)
            else:
                yield from _runs(offset, number, lines)
            offset, number = offset + cut, number + len(lines)

    def _block(self, offset: int, size: int) -> tuple[bytes, tuple[int, bool] | None]:
        """`size` bytes from `offset` (none when the file is gone), and when they hold no
        newline and fill a whole block, the length of the line starting there and whether a
        newline ends it."""
        handle = self._open()
        if handle is None:
            return b"", None
        with handle:
            fd = handle.fileno()
            block = os.pread(fd, size, offset) if size > 0 else b""
            if len(block) == _BLOCK and b"\n" not in block:
                return block, _line_length(fd, offset)
            return block, None

    def backwards(self, total_lines: int) -> Iterator[tuple[int, int, Item]]:
        """(offset of the line's start, line number, record or bad line) from the last line
        to the first, reading in blocks from the end, so the caller can stop once it has gone
        back far enough. `total_lines` is the file's line count, to number the lines."""
        handle = self._open()
        if handle is None:
            return
        with handle:
            position = handle.seek(0, os.SEEK_END)
            # The end of a line whose start lies further back; an overlong one is not kept.
            tail, tail_length = b"", 0
            number = total_lines
            at_end = True
            while position > 0:
                step = min(_CHUNK, position)
                position -= step
                handle.seek(position)
                block = handle.read(step)
                parts = block.split(b"\n")
                head = parts.pop(0)  # may continue in the block before this one
                if not parts:
                    tail_length += len(head)
                    tail = head + tail if tail_length <= MAX_LINE_BYTES else b""
                    continue
                ends: list[tuple[int, bytes, int]] = []
                line_start = position + len(head) + 1
                for part in parts:
                    ends.append((line_start, part, len(part)))
                    line_start += len(part) + 1
                begin, last, last_length = ends[-1]
                kept = last + tail if tail_length <= MAX_LINE_BYTES else b""
                ends[-1] = (begin, kept, last_length + tail_length)
                if at_end and ends[-1][2] == 0:
                    ends.pop()  # what follows the file's final newline is not a line
                at_end = False
                tail, tail_length = head, len(head)
                for begin, raw, length in reversed(ends):
                    item = _item(raw.rstrip(b"\r"), length, number)
                    if item is not None:
                        yield begin, number, item
                    number -= 1
            item = _item(tail.rstrip(b"\r"), tail_length, number)
            if item is not None:
                yield 0, number, item


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off for a full read: decoding a million records makes
    millions of objects and no cycle among them, and each pass the collector makes over the
    objects alive cost a full read a tenth of its time."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _line_length(fd: int, offset: int) -> tuple[int, bool]:
    """The length of the line starting at `offset` (without its newline), read a block at a
    time and not kept; and whether a newline ends it."""
    length = 0
    while block := os.pread(fd, _BLOCK, offset + length):
        end = block.find(b"\n")
        if end >= 0:
            return length + end, True
        length += len(block)
    return length, False


def _short_lines(block: bytes, cut: int) -> bool:
    """Whether no line of `block[:cut]` (whole lines) can be longer than MAX_LINE_BYTES: true
    when every aligned stretch of half that length holds a newline, as any longer line would
    hold one such stretch whole. A few searches a block instead of a length per line."""
    stretch = max(1, MAX_LINE_BYTES // 2)
    return all(block.find(b"\n", at, at + stretch) >= 0 for at in range(0, cut, stretch))


def _runs(offset: int, number: int, lines: list[bytes], ended: bool = True) -> Iterator[Run]:
    """`lines` as one run, or split around the lines too long to keep. `ended`: the last line
    has its newline (only the file's last line may not)."""
    size = sum(map(len, lines)) + len(lines) - (not ended)
    if max(map(len, lines)) <= MAX_LINE_BYTES:
        yield Run(offset, number, offset + size, lines)
        return
    kept: list[bytes] = []
    for index, line in enumerate(lines):
        length = len(line) + (ended or index < len(lines) - 1)
        if len(line) > MAX_LINE_BYTES:
            if kept:
                kept_size = sum(map(len, kept)) + len(kept)
                yield Run(offset, number, offset + kept_size, kept)
                offset, number, kept = offset + kept_size, number + len(kept), []
            yield Run(offset, number, offset + length, [], len(line))
            offset, number = offset + length, number + 1
        else:
            kept.append(line)
    if kept:
        yield Run(offset, number, offset + sum(map(len, kept)) + len(kept) - (not ended), kept)


def careful_items(run: Run) -> Iterator[tuple[int, bytes, Item | None]]:
    """Each line of `run` decoded on its own: (number, bytes as written, what it is)."""
    if run.overlong:
        yield run.first, b"", _item(b"", run.overlong, run.first)
        return
    for number, raw in enumerate(run.lines, run.first):
        yield number, raw, item_of(raw, number)


def item_of(raw: bytes, number: int) -> Item | None:
    """One line as written (a `\\r` before its newline allowed): its record, correction or
    bad line; None when blank."""
    return _item(raw.removesuffix(b"\r"), len(raw), number)


def _item(body: bytes, length: int, number: int) -> Item | None:
    """A line's record or bad line, None when blank. `length` is its real length in bytes
    (newline excluded), which an overlong line's kept bytes fall short of."""
    if length > MAX_LINE_BYTES:
        return BadLine(number, f"longer than {MAX_LINE_BYTES // 1024} KiB: not a record")
    if not body.strip():
        return None
    return decode_item(body, number)
