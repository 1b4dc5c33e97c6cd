"""The history file: JSON lines, appended one whole record at a time, never rewritten."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
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
        with _signals_deferred():
            self._append(encode(record))

    def _append(self, line: bytes) -> None:
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

KINDS = ("work", "break", "routine")
STEP_KINDS = ("break", "routine")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class StepRecord:
    exercise: str
    outcome: str
    active_s: float


@dataclass(frozen=True)
class HistoryRecord:
    """One valid history line, with its times parsed. `raw` keeps every field as written."""

    line: int  # 1-based line number in the file
    kind: str
    started: datetime
    ended: datetime
    active_s: float
    outcome: str
    steps: tuple[StepRecord, ...]
    raw: dict[str, Any]

    @property
    def completed_break(self) -> bool:
        """A break taken: what compliance, streaks and the daily goal count."""
        return self.kind == "break" and self.outcome == "completed"

    @property
    def day(self) -> date:
        """The day the record counts on: its start's calendar date in its own offset."""
        return self.started.date()

    def number(self, key: str) -> float:
        """An optional numeric field, 0 when missing or mistyped (paused_s, suspended_s...)."""
        value = self.raw.get(key)
        return float(value) if _is_number(value) else 0.0


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _timestamp(value: Any, field: str) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"'{field}' is not a timestamp")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{field}' is not an ISO 8601 timestamp: {value[:40]!r}") from None
    # A hand-edited time without an offset is taken as local time rather than rejected.
    return moment if moment.tzinfo else moment.astimezone()


def parse_record(raw_line: bytes, line: int) -> HistoryRecord | BadLine:
    """Validate one line; a BadLine says why it cannot be counted."""
    try:
        text = raw_line.decode("utf-8")
    except UnicodeDecodeError:
        return BadLine(line, "not UTF-8 text")
    if "\x00" in text:
        return BadLine(line, "contains NUL bytes (left by a crash or power cut)")
    try:
        data = json.loads(text)
    except ValueError:
        return BadLine(line, "not valid JSON (half-written or edited by hand)")
    if not isinstance(data, dict):
        return BadLine(line, f"not a JSON object but {type(data).__name__}")
    try:
        return _record_from(data, line)
    except ValueError as exc:
        return BadLine(line, str(exc))


def _record_from(data: dict[str, Any], line: int) -> HistoryRecord:
    for field in ("v", "kind", "started", "ended", "active_s", "outcome"):
        if field not in data:
            raise ValueError(f"missing required field '{field}'")
    version = data["v"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"'v' must be a positive whole number, got {version!r}")
    if version > SCHEMA_VERSION:
        raise ValueError(f"written by a newer breakctl (v{version}); this one reads v1")
    kind = data["kind"]
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (expected work, break or routine)")
    if not _is_number(data["active_s"]) or data["active_s"] < 0:
        raise ValueError(f"'active_s' must be a number of seconds, got {data['active_s']!r}")
    if not isinstance(data["outcome"], str):
        raise ValueError(f"'outcome' must be text, got {data['outcome']!r}")
    started = _timestamp(data["started"], "started")
    ended = _timestamp(data["ended"], "ended")
    steps: list[StepRecord] = []
    if kind in STEP_KINDS:
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, list):
            raise ValueError(f"a {kind} record needs 'steps' (a list)")
        for step in raw_steps:
            if not (
                isinstance(step, dict)
                and isinstance(step.get("exercise"), str)
                and isinstance(step.get("outcome"), str)
                and _is_number(step.get("active_s", 0))
            ):
                raise ValueError("'steps' holds an entry that is not {exercise, outcome, active_s}")
            steps.append(
                StepRecord(step["exercise"], step["outcome"], float(step.get("active_s", 0)))
            )
    return HistoryRecord(
        line=line,
        kind=kind,
        started=started,
        ended=ended,
        active_s=float(data["active_s"]),
        outcome=data["outcome"],
        steps=tuple(steps),
        raw=data,
    )


class HistoryReader:
    """Reads the history without ever changing it. Raises StorageError when it cannot."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _open(self) -> Any:
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
    ) -> Iterator[tuple[int, int, HistoryRecord | BadLine | None]]:
        """Yield (offset after the line, its line number, record / bad line / None if blank)
        from byte `start` forward. With complete_only, a last line not yet ended by a newline
        is left for next time (it may still be being written)."""
        handle = self._open()
        if handle is None:
            return
        with handle:
            handle.seek(start)
            offset, number = start, first_line
            for raw in handle:
                if complete_only and not raw.endswith(b"\n"):
                    return
                offset += len(raw)
                body = raw.rstrip(b"\r\n")
                yield offset, number, parse_record(body, number) if body.strip() else None
                number += 1

    def backwards(self, total_lines: int) -> Iterator[HistoryRecord | BadLine]:
        """Records and bad lines from the last line to the first, reading in blocks from the
        end, so the caller can stop once it has gone back far enough. `total_lines` is the
        file's line count, to number the lines from the start."""
        handle = self._open()
        if handle is None:
            return
        with handle:
            position = handle.seek(0, os.SEEK_END)
            tail = b""
            number = total_lines
            at_end = True
            while position > 0:
                step = min(_CHUNK, position)
                position -= step
                handle.seek(position)
                block = handle.read(step) + tail
                lines = block.split(b"\n")
                tail = lines.pop(0)  # may continue in the previous block
                if at_end:
                    at_end = False
                    if lines and lines[-1] == b"":
                        lines.pop()  # what follows the file's final newline is not a line
                for raw in reversed(lines):
                    if raw.strip():
                        yield parse_record(raw.rstrip(b"\r"), number)
                    number -= 1
            if tail.strip():
                yield parse_record(tail.rstrip(b"\r"), number)
