"""config.toml: the user's settings. Read with tomllib; every bad value names its key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from breakctl.core.durations import parse_duration
from breakctl.core.errors import DataError, StorageError
from breakctl.core.schedule import Schedule, parse_schedule
from breakctl.store.paths import replace_file


def load_config(path: Path) -> dict[str, Any]:
    """The parsed config, or {} when there is no file yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise StorageError(f"{path}: cannot read config: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: TOML syntax error: {exc}") from None


def positive_int(config: dict[str, Any], section: str, key: str, default: int, path: Path) -> int:
    table = config.get(section, {})
    if not isinstance(table, dict):
        raise DataError(f"{path}: [{section}] must be a table")
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DataError(
            f"{path}: {section}.{key}: expected a whole number of 1 or more, got {value!r}"
        )
    return value


def read_schedule(config: dict[str, Any], path: Path) -> Schedule | None:
    """The [schedule] table (None when there is none); errors name file:line and the key."""
    from breakctl.store.library import TomlLines

    table = config.get("schedule")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise DataError(f"{path}: [schedule] must be a table of days, like mon-fri = [...]")
    try:
        lines = TomlLines(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        lines = TomlLines("")
    header = lines.section("schedule")

    def where(key: str) -> str:
        line = lines.key_in_table(header, key) or header
        return f"{path}:{line}" if line else str(path)

    return parse_schedule(table, where)


def read_work_per_day(config: dict[str, Any], path: Path) -> float | None:
    """[goals] work_per_day: the daily limit of active work, in seconds (None: no limit)."""
    table = config.get("goals", {})
    value = table.get("work_per_day") if isinstance(table, dict) else None
    if value is None:
        return None
    try:
        seconds = parse_duration(value, bare_unit="h")
    except DataError as exc:
        raise DataError(f"{path}: goals.work_per_day: {exc}") from None
    if seconds <= 0:
        raise DataError(f"{path}: goals.work_per_day: must be longer than 0, got {value!r}")
    return seconds


def set_value(config: dict[str, Any], dotted_key: str, raw: str) -> dict[str, Any]:
    """A copy of `config` with SECTION.KEY set from the command line's text, checked the way
    it will be read; DataError says what the key takes."""
    from breakctl.core.settings import START_KEYS, read_value
    from breakctl.host.hooks import HOOK_EVENTS

    section, _, key = dotted_key.partition(".")
    if section == "start" and key in START_KEYS:
        checked = read_value(key, raw)  # raises with the key's name and an example
        kind = START_KEYS[key]
        if kind == "count":
            value: Any = checked
        elif kind == "true/false":
            value = checked
        elif kind == "routine names":
            value = list(checked)
        else:
            value = raw.strip()  # durations and times stay as the user wrote them
    elif section == "goals" and key == "breaks_per_day":
        value = positive_int({"goals": {key: _int_or_text(raw)}}, "goals", key, 8, Path("value"))
    elif section == "hooks" and key in HOOK_EVENTS:
        value = raw
    else:
        known = [f"start.{k}" for k in START_KEYS] + ["goals.breaks_per_day"]
        known += [f"hooks.{h}" for h in HOOK_EVENTS]
        raise DataError(f"unknown setting {dotted_key!r}; known: {', '.join(known)}")
    updated = {
        name: dict(table) if isinstance(table, dict) else table for name, table in config.items()
    }
    table = updated.setdefault(section, {})
    if not isinstance(table, dict):
        raise DataError(f"[{section}] in the config is not a table; fix it by hand first")
    table[key] = value
    return updated


def _int_or_text(raw: str) -> Any:
    return int(raw) if raw.strip().lstrip("-").isdigit() else raw


def write_config(path: Path, config: dict[str, Any]) -> None:
    import tomli_w  # only needed when writing, which is rare

    replace_file(path, tomli_w.dumps(config).encode())
