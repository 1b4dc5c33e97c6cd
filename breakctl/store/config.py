"""config.toml: the user's settings, read and written through the one schema
(core/config_schema.py). Every problem names the file, and the line where it can be found.

Reading uses tomllib; `config set` edits the file with tomlkit so the user's comments and layout
stay, checks the result with the same rules as reading, and writes it atomically through a
symlink (a dotfiles manager's link stays a link).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from breakctl.core.config_schema import TABLES, Problem, find_setting, store_value, validate
from breakctl.core.errors import DataError, StorageError
from breakctl.core.schedule import Schedule
from breakctl.store.paths import ensure_private_dir, open_private, replace_file

MAX_CONFIG_BYTES = 1 << 20  # a settings file is a few hundred bytes; refuse to parse megabytes


@dataclass(frozen=True)
class Config:
    """config.toml read and checked: the user's raw tables and the values they give."""

    path: Path
    raw: dict[str, Any] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)

    def table(self, name: str) -> dict[str, Any]:
        """The table as written (e.g. [start] for core.settings to layer with the CLI)."""
        table = self.raw.get(name, {})
        return table if isinstance(table, dict) else {}

    def value(self, table: str, key: str) -> Any:
        """The value read, or the schema's default when the file does not set it."""
        setting = TABLES[table].setting(key)
        assert setting is not None, f"{table}.{key} is not in the schema"
        return self.values.get(table, {}).get(key, setting.default)


def _read_text(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StorageError(f"{path}: cannot read config: is a directory") from None
    except OSError as exc:
        raise StorageError(f"{path}: cannot read config: {exc.strerror}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise DataError(f"{path}: over {MAX_CONFIG_BYTES >> 10} KiB: not a config file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text") from None


def _parse(path: Path, text: str) -> dict[str, Any]:
    import tomllib  # only when there is a config file to read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: TOML syntax error: {exc}") from None
    except RecursionError:
        raise DataError(f"{path}: nested too deeply to be a config file") from None


def problems_in(
    path: Path, text: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]], list[str]]:
    """(raw tables, values read, every problem as 'file:line: message')."""
    raw, values, problems = _checked(path, text)
    lines = _line_index(text)
    return raw, values, [_located(path, lines, p) for p in problems]


def _checked(
    path: Path, text: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]], list[Problem]]:
    raw = _parse(path, text)
    values, problems = validate(raw)
    return raw, values, problems


def read_config(path: Path) -> Config:
    """The checked config ({} when there is no file yet); DataError lists every problem."""
    text = _read_text(path)
    if text is None:
        return Config(path)
    raw, values, problems = problems_in(path, text)
    if problems:
        raise DataError(*problems)
    return Config(path, raw, values)


def check_config(path: Path) -> list[str]:
    """Every problem in the file, for `config check` (none when there is no file)."""
    try:
        text = _read_text(path)
        return [] if text is None else problems_in(path, text)[2]
    except DataError as exc:
        return exc.problems


def set_value(path: Path, dotted: str, raw_value: str, *, lock: Path) -> list[str]:
    """Set SECTION.KEY in config.toml, keeping every comment and the layout, after checking
    the result as reading will. Returns the problems the file already had elsewhere. `lock`:
    the file locked around it (in the state folder: config.toml may live in a dotfiles repo)."""
    table_of, setting = find_setting(dotted)
    table_name = table_of.name
    value = store_value(dotted, raw_value)
    # Read, edit, write under one lock: `config set`s of different keys at once each keep
    # the others' changes (the file is replaced whole, so the lock is a file of its own).
    with _locked(lock):
        before = _read_text(path) or ""
        after, problems = _edited(path, before, table_name, setting.key, value)
        write_through_link(path, after.encode())
    return problems


def _edited(
    path: Path, before: str, table_name: str, key: str, value: Any
) -> tuple[str, list[str]]:
    """config.toml's text with `key` of [table_name] set, and the problems it has elsewhere;
    DataError when the change itself is a problem."""
    import tomlkit  # only `config set` edits a file in place

    old_problems = {p.message for p in _checked(path, before)[2]}
    try:
        document = tomlkit.parse(before)
        if table_name not in document:
            document.add(table_name, tomlkit.table())
        table = document[table_name]
        if not isinstance(table, dict):
            raise DataError(f"{path}: [{table_name}] is not a table; fix it by hand first")
        if key in table:
            table[key] = value
        else:
            _add_key(table, key, value)
        after = tomlkit.dumps(document)
    except RecursionError:
        raise DataError(f"{path}: nested too deeply to be a config file") from None
    except tomlkit.exceptions.TOMLKitError as exc:
        raise DataError(f"{path}: TOML syntax error: {exc}") from None
    _, _, problems = _checked(path, after)
    lines = _line_index(after)
    new_problems = [_located(path, lines, p) for p in problems if p.message not in old_problems]
    if new_problems:
        raise DataError(*new_problems)
    return after, [_located(path, lines, p) for p in problems]


@contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    import fcntl

    try:
        ensure_private_dir(lock_path.parent)
        fd = open_private(lock_path, os.O_RDWR)
    except OSError as exc:
        raise StorageError(f"{lock_path}: cannot lock the config: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _add_key(table: Any, key: str, value: Any) -> None:
    """A new key goes after the table's own lines, before the comment block (and the blank
    line above it) that leads the next table: tomlkit keeps those comments in this table."""
    from tomlkit.items import Comment, Whitespace

    body = table.value.body  # (key or None, item): None for comments and blank lines
    start = len(body)
    while start > 0 and isinstance(body[start - 1][1], Comment):
        start -= 1
    if start == len(body):
        table[key] = value  # no comment block at the end: tomlkit's own place is right
        return
    if start > 0 and isinstance(body[start - 1][1], Whitespace):
        start -= 1
    table.value._insert_at(start, key, value)  # no public insert-at in tomlkit


def write_through_link(path: Path, data: bytes) -> None:
    """Replace the file a path names, atomically (temp file + rename in the same folder,
    created 0600); when `path` is a symlink, its target is replaced and the link stays."""
    target = Path(os.path.realpath(path))
    try:
        replace_file(target, data)
    except OSError as exc:
        raise StorageError(f"{path}: cannot write: {exc.strerror}") from None


# --- Line numbers for problems: where a table or key is written --------------------------------

_HEADER = re.compile(r"^\s*\[(?!\[)\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in dotted.split("."))


def _line_index(text: str) -> dict[tuple[str, ...], int]:
    """Where each table and key first appears (1-based); good enough for plain files."""
    where: dict[tuple[str, ...], int] = {}
    current: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        key = None if header else _KEY.match(line)
        if header:
            current = _parts(header.group(1))
            full = current
        elif key:
            full = current + _parts(key.group(1))
        else:
            continue
        for size in range(1, len(full) + 1):
            where.setdefault(full[:size], number)
    return where


def _located(path: Path, lines: dict[tuple[str, ...], int], problem: Problem) -> str:
    line = lines.get(problem.where) or lines.get(problem.where[:1])
    return f"{path}:{line}: {problem.message}" if line else f"{path}: {problem.message}"


def schedule_of(config: Config) -> Schedule | None:
    """[schedule], read and checked whole; None when the file sets no working hours."""
    schedule = config.values.get("schedule", {}).get("schedule")
    return schedule if isinstance(schedule, Schedule) else None


def work_per_day_of(config: Config) -> float | None:
    """[goals] work_per_day in seconds: the daily limit of active work (None: no limit)."""
    value = config.values.get("goals", {}).get("work_per_day")
    return float(value) if value is not None else None
