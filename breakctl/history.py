"""The history file: JSON lines, appended one whole record at a time, never rewritten."""

from __future__ import annotations

import errno
import fcntl
import json
import os
from pathlib import Path
from typing import Any

from breakctl.errors import StorageError
from breakctl.paths import ensure_private_dir

SCHEMA_VERSION = 1


def encode(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class History:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _open_for_append(self) -> int:
        try:
            ensure_private_dir(self.path.parent)
            return os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except IsADirectoryError:
            raise StorageError(f"{self.path}: is a directory, expected the history file") from None
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise StorageError(f"{self.path}: cannot write history: {reason}") from None

    def ensure_writable(self) -> None:
        """Fail now, with a clear message, rather than lose a record at the end of a run."""
        os.close(self._open_for_append())

    def append(self, record: dict[str, Any]) -> None:
        """Add one record as one line: a single write under an exclusive lock, then fsync."""
        line = encode(record)
        fd = self._open_for_append()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            # A crash can leave a half-written last line; start ours on a fresh line so the
            # torn one stays a single bad line instead of swallowing this record too.
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line
            _write_all(fd, line)
            os.fsync(fd)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise StorageError(f"{self.path}: disk full, record not saved") from None
            raise StorageError(f"{self.path}: cannot write history: {exc.strerror}") from None
        finally:
            os.close(fd)  # closing releases the lock


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
