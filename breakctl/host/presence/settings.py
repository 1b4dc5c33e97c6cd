"""The [presence] table of config.toml, read into a typed, checked PresenceSettings.

Pure: a raw TOML table comes in, PresenceSettings goes out; every problem names its key and
what it takes, in the style of [start] (breakctl.core.settings)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from breakctl.core.durations import parse_duration
from breakctl.core.errors import DataError

# Where idle time can come from, in the order `auto` tries them (`command` only when set).
SOURCE_NAMES = ("x11", "gnome", "freedesktop", "logind", "macos", "tmux", "command")
SOURCE_CHOICES = ("auto", *SOURCE_NAMES, "none")

# Keys of the [presence] table, and how a value is read (as START_KEYS in breakctl.core.settings).
PRESENCE_KEYS = {
    "source": "source name",
    "command": "shell command",
    "away_after": "duration",
    "reset_after": "duration",
}

AWAY_AFTER_S = 120.0
RESET_AFTER_S = 1800.0


@dataclass(frozen=True)
class PresenceSettings:
    source: str = "auto"  # one of SOURCE_CHOICES
    command: str | None = None  # prints the idle time in milliseconds
    away_after_s: float = AWAY_AFTER_S  # idle this long: away
    reset_after_s: float = RESET_AFTER_S  # away this long: the long-break count starts over


def read_presence_value(key: str, value: Any) -> Any:
    """One [presence] value (from the file or `config set`) checked and converted; DataError
    names the key and what it takes. A bare number is minutes, as in [start]."""
    if key not in PRESENCE_KEYS:
        raise DataError(f"{key}: unknown setting; known: {', '.join(PRESENCE_KEYS)}")
    kind = PRESENCE_KEYS[key]
    try:
        if kind == "duration":
            seconds = parse_duration(value, bare_unit="m")
            if seconds <= 0:
                raise DataError(f"must be longer than 0, got {value!r}")
            return seconds
        if kind == "source name":
            if not isinstance(value, str) or value.strip() not in SOURCE_CHOICES:
                raise DataError(f"expected one of {', '.join(SOURCE_CHOICES)}, got {value!r}")
            return value.strip()
        if not isinstance(value, str) or not value.strip():
            raise DataError(
                f"expected a shell command that prints the idle time in milliseconds, got {value!r}"
            )
        return value.strip()
    except DataError as exc:
        raise DataError(f"{key}: {exc}") from None


def presence_settings(table: Mapping[str, Any]) -> PresenceSettings:
    """PresenceSettings from the raw [presence] table: defaults for what it leaves out.
    Raises DataError naming the bad key (the caller adds the file and `[presence]`)."""
    values = {key: read_presence_value(key, value) for key, value in table.items()}
    settings = PresenceSettings(
        source=values.get("source", "auto"),
        command=values.get("command"),
        away_after_s=values.get("away_after", AWAY_AFTER_S),
        reset_after_s=values.get("reset_after", RESET_AFTER_S),
    )
    if settings.source == "command" and settings.command is None:
        raise DataError('command: needed when source = "command", e.g. command = "my-idle-ms"')
    return settings
