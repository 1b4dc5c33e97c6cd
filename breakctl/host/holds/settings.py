"""The [holds] table of config.toml, read into a typed, checked HoldsSettings.

Pure: a raw TOML table comes in, HoldsSettings goes out; every problem names its key and
what it takes, as [presence] does (host/presence/settings)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from breakctl.core.config_schema import TABLES, holds_conflicts, read_setting
from breakctl.core.errors import DataError
from breakctl.core.holds import HoldsSettings

HOLDS = TABLES["holds"]


def read_holds_value(key: str, value: Any) -> Any:
    """One [holds] value checked and converted; DataError names the key and what it takes."""
    return read_setting(HOLDS, key, value)


def holds_settings(table: Mapping[str, Any]) -> HoldsSettings:
    """HoldsSettings from the raw [holds] table: the schema's defaults for what it leaves
    out. Raises DataError naming the bad key (the caller adds the file and `[holds]`)."""
    values = {key: read_holds_value(key, value) for key, value in table.items()}
    problems = holds_conflicts(values, str)
    if problems:
        raise DataError(*problems)

    def value(key: str) -> Any:
        setting = HOLDS.setting(key)
        assert setting is not None, key
        return values.get(key, setting.default)

    return HoldsSettings(
        sources=value("sources"),
        grace_s=value("grace"),
        calendar_lead_s=value("calendar_lead"),
        max_s=value("max"),
        calendar=value("calendar"),
        calendar_me=value("calendar_me"),
        camera_devices=value("camera_devices"),
        programs=value("programs"),
        command=value("command"),
    )
