"""config.toml: the user's settings. Read with tomllib; every bad value names its key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from breakctl.errors import DataError, StorageError


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
