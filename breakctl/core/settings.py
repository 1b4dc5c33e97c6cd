"""Presets and settings for `breakctl start`: what a day of work blocks and breaks looks like.
Pure: config and command-line values come in as dicts, a StartSettings goes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

from breakctl.core.config_kinds import BRING_DEFAULT, parse_clock_time
from breakctl.core.config_schema import TABLES, read_setting, start_conflicts
from breakctl.core.durations import parse_duration
from breakctl.core.errors import DataError
from breakctl.core.nudges import Nudge
from breakctl.core.presets import DEFAULT_PRESET, PRESETS, Preset
from breakctl.core.schedule import Schedule

# The [start] table of the one config schema: its keys, their kinds and how each is read.
START = TABLES["start"]


@dataclass(frozen=True)
class StartSettings:
    preset: Preset
    work_s: float
    break_s: float
    long_break_s: float
    long_every: int
    cycles: int | None = None
    until: time | None = None
    routine: str | None = None
    rotate: tuple[str, ...] = ()
    seated: bool = False
    wait: bool = False
    bell: bool = True
    notify: bool = True
    skips_per_day: int | None = None  # None: unlimited
    postpones_in_a_row: int | None = None  # None: unlimited
    strict: bool = False  # no skip and no postpone at all
    focus: bool | None = None  # bring the pane forward in tmux; None: yes inside tmux
    nudges: tuple[Nudge, ...] | None = None  # None: the preset's; () with --no-nudges
    skip_confirm: bool | str = False  # True: s twice; "word": type a word shown on screen
    postpone_payback: bool = False  # minutes postponed come off the next work block
    start_on_pause_s: float | None = None  # a break due waits this long for a typing pause
    bring_break: tuple[str, ...] = BRING_DEFAULT  # with no screen attached: the ways to try
    terminal: str | None = None  # the terminal a break opens in; None: $TERMINAL or one found
    # Not [start] keys: [schedule] and [goals] work_per_day, put in by the command.
    schedule: Schedule | None = None
    work_per_day_s: float | None = None
    stop_at_limit: bool = True  # False with --ignore-limit
    # A day that runs for days (a service): the daily limit ends today's work, not the day,
    # and work goes on after local midnight. False: `start` in a terminal ends at the limit.
    across_days: bool = False

    @property
    def block_nudges(self) -> tuple[Nudge, ...]:
        """The nudges of each work block: [start] nudges, else the preset's."""
        return self.preset.nudges if self.nudges is None else self.nudges

    def is_long_break(self, cycle: int) -> bool:
        return self.long_every > 0 and cycle % self.long_every == 0

    def is_walk_break(self, cycle: int) -> bool:
        """Every `walk_every`-th long break of the preset is a walk (never with --seated)."""
        every = self.preset.walk_every
        return (
            every > 0
            and not self.seated
            and self.is_long_break(cycle)
            and (cycle // self.long_every) % every == 0
        )

    def break_length(self, cycle: int) -> float:
        if self.is_walk_break(cycle):
            return max(self.preset.walk_break_s, self.long_break_s)
        return self.long_break_s if self.is_long_break(cycle) else self.break_s


def read_value(key: str, value: Any) -> Any:
    """A [start] value (or the same option on the command line) checked and converted; the
    error names the key. A bare number is minutes."""
    return read_setting(START, key, value)


MIDNIGHT = "24:00"


def pause_end(text: str, wall: datetime, *, clock_only: bool = False) -> datetime:
    """When a pause asked for as "45m" (a duration) or "15:00" (a time today; 24:00 is
    midnight tonight) ends. With `clock_only` (pause --until) a time is all it takes: a bare
    9 is not nine minutes there."""
    text = text.strip()
    if text == MIDNIGHT:
        return datetime.combine(wall.date() + timedelta(days=1), time(0), wall.tzinfo)
    if clock_only and ":" not in text:
        raise DataError(
            f"--until: expected a time today as HH:MM, like 15:00 ({MIDNIGHT} for midnight), "
            f"got {text!r}; for a duration: breakctl pause {text}m"
        )
    if ":" in text:
        at = parse_clock_time(text)
        end = datetime.combine(wall.date(), at, wall.tzinfo)
        if end <= wall:
            raise DataError(f"{text} has already passed (it is {wall:%H:%M})")
        return end
    seconds = parse_duration(text, bare_unit="m")
    if seconds <= 0:
        raise DataError(f"a pause must be longer than 0, got {text!r}")
    return (wall.astimezone(UTC) + timedelta(seconds=seconds)).astimezone(wall.tzinfo)


def resolve_settings(config: Mapping[str, Any], cli: Mapping[str, Any]) -> StartSettings:
    """Defaults, then the preset, then config.toml's [start], then the command line.

    A preset named on the command line starts from that preset alone: the config's own
    durations belong to the config's preset. Raises DataError naming the bad key."""
    file_values = {key: read_value(key, value) for key, value in config.items()}
    cli_values = {key: value for key, value in cli.items() if value is not None}
    layers = [cli_values] if "preset" in cli_values else [file_values, cli_values]
    preset_name = DEFAULT_PRESET
    for layer in layers:
        preset_name = layer.get("preset", preset_name)
    preset = PRESETS[preset_name]
    settings = StartSettings(
        preset, preset.work_s, preset.break_s, preset.long_break_s, preset.long_every
    )
    fields = {s.key: s.attr or s.key for s in START.settings if s.key != "preset"}
    for layer in layers:
        changes = {fields[k]: v for k, v in layer.items() if k in fields}
        settings = replace(settings, **changes)
    if "break" in cli_values and "long_break" not in cli_values and settings.long_every:
        # `--break 3m` alone should not leave a 15-minute long break from the preset behind
        # when it is shorter than the new short break.
        settings = replace(settings, long_break_s=max(settings.long_break_s, settings.break_s))
    conflicts = start_conflicts(vars(settings), lambda key: f"--{key}")
    if conflicts:
        raise DataError(*conflicts)
    return settings
