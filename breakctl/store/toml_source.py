"""Reading a TOML file a person wrote: its size bounded, its syntax errors and each table and
key placed on a line, so every problem can name file:line."""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from breakctl.core.errors import DataError, StorageError

if TYPE_CHECKING:
    import tomllib

_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_STEP_HEADER = re.compile(r"\s*\[\[\s*steps\s*\]\]")
_TABLE_HEADER = re.compile(r"\s*\[\s*(exercises\s*\.\s*)?[\"']?([^\"'\]]*?)[\"']?\s*\]")
_KEY_LINE = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=")
MAX_FILE_BYTES = 1024 * 1024


class _Lines:
    """Finds the line a table or key starts on, so value errors can point into the file.

    One pass over the file indexes every table header, so each look-up is a dict access:
    a routine of thousands of steps costs time in proportion to its length, not its square."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()
        self._steps: list[int] = []
        self._tables: dict[tuple[bool, str], int] = {}
        self._keys: dict[str, int] = {}
        for number, line in enumerate(self._lines, start=1):
            if _STEP_HEADER.match(line):
                self._steps.append(number)
            elif header := _TABLE_HEADER.match(line):
                where = (header.group(1) is not None, header.group(2))
                self._tables.setdefault(where, number)
            elif key := _KEY_LINE.match(line):
                self._keys.setdefault(key.group(1), number)

    def step(self, index: int) -> int | None:
        return self._steps[index] if index < len(self._steps) else None

    def table(self, exercise_id: str, private: bool) -> int | None:
        return self._tables.get((private, exercise_id))

    def key(self, key: str) -> int | None:
        return self._keys.get(key)

    def key_in_table(self, table_line: int | None, key: str) -> int | None:
        """The line of `key = ...` inside the table starting at `table_line`, if it is there."""
        if table_line is None:
            return None
        pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(table_line + 1, len(self._lines) + 1):
            line = self._lines[number - 1]
            if line.lstrip().startswith("["):
                break
            if pattern.match(line):
                return number
        return None


@dataclass
class _Problems:
    """Collects every problem in one file, so the user fixes them all in one go."""

    path: Path
    lines: _Lines
    messages: list[str] = field(default_factory=list)

    def add(self, line: int | None, message: str) -> None:
        where = f"{self.path}:{line}" if line else f"{self.path}"
        self.messages.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise DataError(*self.messages)


def read_toml(path: Path) -> tuple[dict[str, Any], _Problems]:
    """Parse a TOML file; a syntax error names the file and line."""
    try:
        raw = _read_regular_file(path, MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise DataError(f"{path}: larger than {MAX_FILE_BYTES // 1024} KiB: not a routine file")
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, expected a .toml file") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise StorageError(f"{path}: cannot read: {exc.strerror}") from None
    import tomllib  # only once a file is read: a command may need none

    problems = _Problems(path, _Lines(text))
    try:
        return tomllib.loads(text), problems
    except RecursionError:
        problems.add(None, "TOML nested too deeply to be a routine or exercise file")
    except ValueError as exc:  # an integer of more than 4,300 digits
        if isinstance(exc, tomllib.TOMLDecodeError):
            raise _syntax_error(exc, text, problems) from None
        problems.add(None, "a number in this file has over 4,300 digits")
    problems.raise_if_any()
    raise AssertionError("unreachable")


def _read_regular_file(path: Path, limit: int) -> bytes:
    """Up to `limit` bytes of `path`, opened without blocking so that a FIFO or device named
    *.toml cannot hang the command; DataError unless it is a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise DataError(f"{path}: not a regular file")
        with open(fd, "rb", closefd=False) as handle:
            return handle.read(limit)
    finally:
        os.close(fd)


def _syntax_error(exc: tomllib.TOMLDecodeError, text: str, problems: _Problems) -> DataError:
    """A TOML syntax error as a problem naming the file and line."""
    message = str(exc)
    match = _TOML_LINE.search(message)
    line = int(match.group(1)) if match else None
    if line is None and "end of document" in message:
        line = max(1, len(text.splitlines()))
    reason = _TOML_LINE.sub("", message).replace("(at end of document)", "(at the end)").strip()
    problems.add(line, f"TOML syntax error: {reason}")
    return DataError(*problems.messages)


def _unknown_keys(data: dict[str, Any], allowed: Iterable[str]) -> list[tuple[str, str]]:
    """(key, message) for each key that is not in `allowed`, with a did-you-mean hint."""
    allowed = tuple(allowed)
    found = []
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            found.append((key, f"unknown key '{key}'{hint}; expected one of: {', '.join(allowed)}"))
    return found
