"""Presets and settings for `breakctl start`: what a day of work blocks and breaks looks like.
Pure: config and command-line values come in as dicts, a StartSettings goes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import time
from typing import Any

from breakctl.core.config_schema import TABLES, start_conflicts
from breakctl.core.errors import DataError

WALK = "Walk: around the room, to the window, up and down the stairs; get some water."


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    work_s: float
    break_s: float
    long_break_s: float
    long_every: int  # a long break after every N work blocks; 0 = never
    routines: tuple[str, ...]  # candidates for short breaks
    long_routines: tuple[str, ...]  # candidates for long breaks
    free: str  # what to do in the time no routine fills
    source: str
    stand_after_s: float | None = None  # Cornell: stand up this far into a work block


M = 60.0
PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("pomodoro", "Classic Pomodoro", 25 * M, 5 * M, 15 * M, 4,
               ("neck", "standing", "wfh", "micro"), ("desk", "floor", "lunch"),
               "Stand up, walk about, drink some water.",
               "25-minute blocks with a longer break every four (article 001, Pomodoro technique)"),
        Preset("micro", "Micro breaks", 30 * M, 1 * M, 1 * M, 0, ("micro",), ("micro",),
               "Stand up and shake it out.",
               "a one-minute move every 30 minutes; sit no more than 30 min (articles 000, 004)"),
        Preset("hourly", "Hourly reset", 55 * M, 5 * M, 5 * M, 0,
               ("neck", "standing", "wfh"), ("neck", "standing", "wfh"), WALK,
               "2-5 minutes of movement every 45-60 minutes (article 001)"),
        Preset("pain-now", "Pain as soon as you sit", 50 * M, 10 * M, 10 * M, 0,
               ("standing", "wfh", "neck"), ("standing", "wfh", "neck"), WALK,
               "pain at once: the routine every hour plus 5-10 minute walks (article 003)"),
        Preset("pain-30", "Pain after 30+ minutes", 90 * M, 15 * M, 15 * M, 0,
               ("desk", "floor", "wfh"), ("desk", "floor", "wfh"), WALK,
               "pain after 30+ min: the routine every 1-2 hours, 10-20 minute walks (article 003)"),
        Preset("pain-60", "Pain after an hour or more", 225 * M, 15 * M, 45 * M, 2,
               ("desk", "floor"), ("lunch",), WALK,
               "pain after 1 h+: the routine twice a day and a 30-60 minute walk (article 003)"),
        Preset("mclean", "30-second micro-breaks", 20 * M, 30, 30, 0, (), (),
               "Stand, roll your shoulders, look into the distance.",
               "30 s micro-breaks every 20 min (McLean et al. 2001, Applied Ergonomics)"),
        Preset("dunstan", "Walk every 20 minutes", 20 * M, 2 * M, 2 * M, 0, (), (),
               "Walk for two minutes at an easy pace.",
               "a 2-minute light walk every 20 min (Dunstan et al. 2012, Diabetes Care)"),
        Preset("cornell", "Sit 20, stand 8, move 2", 28 * M, 2 * M, 2 * M, 0,
               ("micro",), ("micro",),
               "Move: walk about, stretch.",
               "20 min sitting, 8 standing, 2 moving (Cornell University Ergonomics, Hedge)",
               stand_after_s=20 * M),
        Preset("hse", "Screen-work breaks", 50 * M, 10 * M, 10 * M, 0,
               ("neck", "standing", "wfh"), ("neck", "standing", "wfh"), WALK,
               "5-10 min off-screen after 50-60 min of screen work (UK HSE, DSE guidance)"),
    )
}  # fmt: skip
DEFAULT_PRESET = "pomodoro"
POSTPONE_S = 5 * M
HEADS_UP_S = 30.0

# Keys of the [start] table in config.toml and the kind of each: from the one config schema.
START = TABLES["start"]
START_KEYS = {setting.key: setting.kind.name for setting in START.settings}


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

    def is_long_break(self, cycle: int) -> bool:
        return self.long_every > 0 and cycle % self.long_every == 0

    def break_length(self, cycle: int) -> float:
        return self.long_break_s if self.is_long_break(cycle) else self.break_s


def read_value(key: str, value: Any) -> Any:
    """A [start] value (or the same option on the command line) checked and converted; the
    error names the key. A bare number is minutes."""
    setting = START.setting(key)
    if setting is None:
        raise DataError(f"{key}: unknown setting; known: {', '.join(START_KEYS)}")
    try:
        return setting.kind.read(value)
    except DataError as exc:
        raise DataError(f"{key}: {exc}") from None


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
