"""`history import`'s writing side: records appended to this machine's file in batches, each
under the file's lock with one write and one fsync. Under that lock the batch is first
checked against what other writers (another import, a session) appended since the last look,
so two imports of one file at once write each record once.

Lines are written as they were read: fields this breakctl does not know (a newer one wrote
them) are kept. A record without an id gets one derived from its content, so importing it
again finds it there."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from breakctl.core.errors import DataError, StorageError
from breakctl.core.record_codec import CSV_HEADER
from breakctl.core.records import Correction, Record
from breakctl.store.daycache.ids import IdSet
from breakctl.store.history import History, HistoryReader, signals_deferred

BATCH_BYTES = 1 << 20  # one write and one fsync per MiB of lines
Pending = tuple[Record | Correction, bytes, tuple[Record, bytes] | None]


IMPORT_FORMAT = "JSON lines, as `breakctl history export --format json` writes them"


def check_import_source(path: Path) -> None:
    """DataError (exit 2) saying what `path` is when it is not a file of JSON lines that
    import can read: missing, a folder, a FIFO, a device, a link loop, CSV, iCalendar."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise DataError(f"{path}: a loop of symbolic links, not a file") from None
        if exc.errno == errno.ENOENT and os.path.islink(path):
            raise DataError(f"{path}: a symbolic link to nothing (no such file)") from None
        if exc.errno == errno.ENOENT:
            raise DataError(f"{path}: no such file") from None
        raise StorageError(f"{path}: cannot read: {exc.strerror}") from None
    what = _not_a_file(mode)
    if what is not None:
        raise DataError(f"{path}: {what}, not a file: import takes {IMPORT_FORMAT}")
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise StorageError(f"{path}: cannot read: {exc.strerror}") from None
    first = next((line.strip() for line in head.splitlines() if line.strip()), b"")
    first = first.removeprefix(b"\xef\xbb\xbf")  # a byte order mark some editors add
    if first and not first.startswith(b"{"):
        looks = _looks_like(first)
        raise DataError(f"{path}: {looks}: import takes {IMPORT_FORMAT}")


def _not_a_file(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _looks_like(first: bytes) -> str:
    if first.startswith(b"BEGIN:VCALENDAR"):
        return "iCalendar (as `history export --format ics` writes), which import cannot read"
    if first.split(b",")[:2] == CSV_HEADER.split(b",")[:2]:
        return "CSV (as `history export --format csv` writes), which import cannot read"
    return "not JSON lines (the first line is not a JSON object)"


def content_id(raw: bytes) -> str:
    """A stable id for a record written without one: 32 hex digits of a hash of its JSON
    object (keys sorted, no spaces, non-ASCII as \\u escapes, `id` left out), so the same
    record gets the same id however its line was spaced."""
    fields = json.loads(raw)
    fields.pop("id", None)
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(canonical.encode(), digest_size=16).hexdigest()


def with_content_id(record: Record, raw: bytes) -> tuple[Record, bytes]:
    """`record` and its line given the id `content_id` derives; other fields kept as written.
    ValueError when the line is too deeply nested to be rewritten."""
    try:
        ident = content_id(raw)
        fields = json.loads(raw)
    except RecursionError:
        raise ValueError("nested too deeply to be given an id") from None
    fields.pop("id", None)
    fields = {"v": fields.pop("v"), "id": ident, **fields}
    try:
        line = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()
    except UnicodeEncodeError:  # a lone surrogate, written escaped: kept as it was
        line = json.dumps(fields, separators=(",", ":")).encode()
    return msgspec.structs.replace(record, id=ident), line


@dataclass
class ImportBatches:
    """Records offered one by one, written a batch at a time. `offset`: how far into the
    history file `seen` already accounts for."""

    history: History
    seen: IdSet
    offset: int
    new: int = 0
    old: int = 0
    # (record, line to write, the record and line as read when the id was derived)
    _pending: list[Pending] = field(default_factory=list)
    _size: int = 0

    def offer(self, item: Record | Correction, raw: bytes) -> None:
        """Queue one record (its line as read); written once the batch is full or flushed.
        ValueError when an id-less record cannot be given an id."""
        if isinstance(item, Record) and not item.id:
            self._pending.append((*with_content_id(item, raw), (item, raw)))
        else:
            self._pending.append((item, raw, None))
        self._size += len(raw) + 1
        if self._size >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the queued records not in the history yet: one locked write, one fsync."""
        if not self._pending:
            return
        pending, self._pending, self._size = self._pending, [], 0
        with signals_deferred():
            fd = self.history.open_for_append()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._write(fd, pending)
            except OSError as exc:  # the lock or the size; writing says its own
                raise StorageError(f"{self.history.path}: cannot write: {exc.strerror}") from None
            finally:
                os.close(fd)  # closing releases the lock

    def _write(self, fd: int, pending: list[Pending]) -> None:
        size = os.fstat(fd).st_size
        self._catch_up(size)
        lines = []
        # One look in the files for all the ids of the batch whose key was met (#18).
        news = self.seen.new_of([(item, raw) for item, raw, _ in pending])
        for (_item, raw, as_read), fresh in zip(pending, news, strict=True):
            if as_read is not None:  # also known by its bytes (an id-less copy already here)
                fresh = self.seen.add(*as_read) and fresh
            if fresh:
                lines.append(raw)
            else:
                self.old += 1
        if not lines:
            self.offset = size
            return
        self.history.write_locked(fd, b"\n".join(lines) + b"\n", size)
        self.new += len(lines)
        self.offset = os.fstat(fd).st_size

    def _catch_up(self, size: int) -> None:
        """Count what was appended to the history file since `offset` (by another import or a
        session) as seen."""
        if size <= self.offset:
            self.offset = min(self.offset, size)
            return
        for _, _, raw, item in HistoryReader(self.history.path).lines(self.offset):
            if isinstance(item, Record | Correction):
                self.seen.add(item, raw)
        self.offset = size
