"""The [presence] table of config.toml, read into a typed, checked PresenceSettings.

Pure: a raw TOML table comes in, PresenceSettings goes out; every problem names its key and
what it takes, in the style of [start] (breakctl.core.settings)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from breakctl.core.config_schema import (
    PRESENCE_CHOICES,
    PRESENCE_SOURCES,
    TABLES,
    presence_conflicts,
    read_setting,
)
from breakctl.core.errors import DataError

# The [presence] table of the one config schema: its sources, keys, kinds and defaults.
PRESENCE = TABLES["presence"]
SOURCE_NAMES = PRESENCE_SOURCES
SOURCE_CHOICES = PRESENCE_CHOICES
PRESENCE_KEYS = {setting.key: setting.kind.name for setting in PRESENCE.settings}

AWAY_AFTER_S: float = PRESENCE.setting("away_after").default  # type: ignore[union-attr]
RESET_AFTER_S: float = PRESENCE.setting("reset_after").default  # type: ignore[union-attr]


@dataclass(frozen=True)
class PresenceSettings:
    source: str = "auto"  # one of SOURCE_CHOICES
    command: str | None = None  # prints the idle time in milliseconds
    away_after_s: float = AWAY_AFTER_S  # idle this long: away
    reset_after_s: float = RESET_AFTER_S  # away this long: the long-break count starts over
    across_machines: bool | None = None  # None: on once another machine's files are in the folder


def read_presence_value(key: str, value: Any) -> Any:
    """One [presence] value (from the file or `config set`) checked and converted; DataError
    names the key and what it takes. A bare number is minutes, as in [start]."""
    return read_setting(PRESENCE, key, value)


def presence_settings(table: Mapping[str, Any]) -> PresenceSettings:
    """PresenceSettings from the raw [presence] table: defaults for what it leaves out.
    Raises DataError naming the bad key (the caller adds the file and `[presence]`)."""
    values = {key: read_presence_value(key, value) for key, value in table.items()}
    settings = PresenceSettings(
        source=values.get("source", "auto"),
        command=values.get("command"),
        away_after_s=values.get("away_after", AWAY_AFTER_S),
        reset_after_s=values.get("reset_after", RESET_AFTER_S),
        across_machines=values.get("across_machines"),
    )
    problems = presence_conflicts(values, str)
    if problems:
        raise DataError(*problems)
    return settings
