"""The history file: JSON lines, appended one whole record at a time, never rewritten."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from breakctl.core.errors import StorageError
from breakctl.core.records import (
    MAX_LINE_BYTES,
    BadLine,
    Correction,
    Record,
    decode_block,
    decode_item,
    encode,
)
from breakctl.store.paths import ensure_private_dir, open_private


class History:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _open_for_append(self) -> int:
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
        os.close(self._open_for_append())

    def append(self, record: Record | Correction) -> None:
        """Add one record as one line: a single write under an exclusive lock, then fsync."""
        with _signals_deferred():
            self._append(encode(record))

    def _append(self, line: bytes) -> None:
        fd = self._open_for_append()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
        except OSError as exc:
            os.close(fd)
            raise StorageError(f"{self.path}: cannot write history: {exc.strerror}") from None
        try:
            # A crash can leave a half-written last line; start ours on a fresh line so the
            # torn one stays a single bad line instead of swallowing this record too.
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line
            _write_all(fd, line)
            os.fsync(fd)
        except OSError as exc:
            # Never leave part of a line behind: cut the file back to where it was.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            if exc.errno == errno.ENOSPC:
                raise StorageError(f"{self.path}: disk full, record not saved") from None
            raise StorageError(f"{self.path}: cannot write history: {exc.strerror}") from None
        finally:
            os.close(fd)  # closing releases the lock


@contextmanager
def _signals_deferred() -> Iterator[None]:
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


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# -- reading -----------------------------------------------------------------------------------

_CHUNK = 64 * 1024
_BLOCK = 1024 * 1024  # forward reads: large enough that the per-read cost disappears
Item = Record | Correction | BadLine


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
        self, start: int = 0, first_line: int = 1, complete_only: bool = False
    ) -> Iterator[tuple[int, int, bytes, Item | None]]:
        """As `scan`, with each line's bytes as written (no newline; empty when overlong).
        Read in large blocks: a full read of a long history costs little beyond decoding."""
        handle = self._open()
        if handle is None:
            return
        with handle:
            handle.seek(start)
            offset, number = start, first_line
            rest = b""  # the start of a line whose end is in a later block
            overlong = 0  # the length so far of a line too long to keep
            while block := handle.read(_BLOCK):
                pieces = block.split(b"\n")
                fast = self._fast(pieces, rest, overlong, offset, number)
                if fast is not None:
                    yield from fast
                    offset, number = fast[-1][0], fast[-1][1] + 1
                    rest, overlong = b"", 0
                    pieces = pieces[-1:]
                for raw in pieces[:-1]:
                    length = len(raw) + 1
                    if overlong:
                        length, raw, overlong = length + overlong, b"", 0
                    elif rest:
                        raw, rest = rest + raw, b""
                        length = len(raw) + 1
                    offset += length
                    body = raw[:-1] if raw.endswith(b"\r") else raw
                    yield offset, number, body, _item(body, length - 1, number)
                    number += 1
                tail = pieces[-1]
                if overlong or len(rest) + len(tail) > MAX_LINE_BYTES:
                    overlong += len(rest) + len(tail)  # counted, not kept
                    rest = b""
                else:
                    rest += tail
            if (rest or overlong) and not complete_only:
                length = overlong or len(rest)
                body = b"" if overlong else (rest[:-1] if rest.endswith(b"\r") else rest)
                yield offset + length, number, body, _item(body, length, number)

    @staticmethod
    def _fast(
        pieces: list[bytes], rest: bytes, overlong: int, offset: int, number: int
    ) -> list[tuple[int, int, bytes, Item | None]] | None:
        """A block's complete lines decoded together when all of them are plain records; None
        sends the block down the careful path, line by line."""
        complete = pieces[:-1]
        if overlong or not complete:
            return None
        if rest:
            complete = [rest + complete[0], *complete[1:]]
        if max(map(len, complete)) > MAX_LINE_BYTES:
            return None
        records = decode_block(complete)
        if records is None:
            return None
        out: list[tuple[int, int, bytes, Item | None]] = []
        for raw, record in zip(complete, records, strict=True):
            offset += len(raw) + 1
            out.append((offset, number, raw[:-1] if raw.endswith(b"\r") else raw, record))
            number += 1
        return out

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


def _item(body: bytes, length: int, number: int) -> Item | None:
    """A line's record or bad line, None when blank. `length` is its real length in bytes
    (newline excluded), which an overlong line's kept bytes fall short of."""
    if length > MAX_LINE_BYTES:
        return BadLine(number, f"longer than {MAX_LINE_BYTES // 1024} KiB: not a record")
    if not body.strip():
        return None
    return decode_item(body, number)
