"""The [presence] table: defaults, values, and errors that name the key."""

from __future__ import annotations

import pytest

from breakctl.core.errors import DataError
from breakctl.host.presence.settings import (
    PRESENCE_KEYS,
    PresenceSettings,
    presence_settings,
    read_presence_value,
)


def test_defaults() -> None:
    assert presence_settings({}) == PresenceSettings("auto", None, 120.0, 1800.0)


def test_every_key() -> None:
    table = {"source": "tmux", "command": " idle-ms ", "away_after": "90s", "reset_after": 45}
    assert presence_settings(table) == PresenceSettings("tmux", "idle-ms", 90.0, 2700.0)


@pytest.mark.parametrize(
    "source", ["auto", "x11", "gnome", "freedesktop", "logind", "macos", "tmux", "none"]
)
def test_each_source_name(source: str) -> None:
    assert presence_settings({"source": source}).source == source


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"source": "kwin"},
            "source: expected one of auto, x11, gnome, wayland, freedesktop, logind, macos, tmux, command, none, got 'kwin'",
        ),
        (
            {"source": 1},
            "source: expected one of auto, x11, gnome, wayland, freedesktop, logind, macos, tmux, command, none, got 1",
        ),
        (
            {"command": ""},
            "command: expected a shell command that prints the idle time in milliseconds, got ''",
        ),
        (
            {"command": ["idle"]},
            "command: expected a shell command that prints the idle time in milliseconds, got an array",
        ),
        (
            {"away_after": "soon"},
            "away_after: not a duration: 'soon' (expected e.g. '25m', '90s', '1h30m', '1.5h' or 'PT25M')",
        ),
        ({"away_after": 0}, "away_after: must be longer than 0, got 0"),
        (
            {"reset_after": True},
            "reset_after: expected a duration such as '30s', '2m' or '1m30s', got True",
        ),
        ({"reset_after": "-5m"}, "reset_after: a duration cannot be negative, got '-5m'"),
        (
            {"source": "command"},
            'command: needed when source = "command", e.g. command = "my-idle-ms"',
        ),
        (
            {"idle": 3},
            "idle: unknown setting; known: source, command, away_after, reset_after, "
            "across_machines",
        ),
    ],
)
def test_errors_name_the_key(table: dict, message: str) -> None:
    with pytest.raises(DataError) as caught:
        presence_settings(table)
    assert caught.value.problems == [message]


def test_values_from_the_command_line_read_the_same_way() -> None:
    """For `config set presence.KEY VALUE`: text in, the checked value out."""
    assert read_presence_value("away_after", "3") == 180.0
    assert read_presence_value("source", "x11") == "x11"
    assert set(PRESENCE_KEYS) == {
        "source",
        "command",
        "away_after",
        "reset_after",
        "across_machines",
    }
