"""The one schema of config.toml: every table, key, type, default and help text.

`start`/`plan` (through core.settings), `config show`, `config set`, `config check`, shell
completion and every command that reads the file use this table and nothing else. A new table
(e.g. [presence]) is one `Table(...)` entry in SCHEMA; a new key is one `Setting(...)` line.
Pure: stdlib and core only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from breakctl.core.config_kinds import (
    BOOLEAN,
    BRING,
    BRING_DEFAULT,
    CLOCK_TIME,
    COUNT,
    DURATION,
    HOURS,
    POSITIVE_COUNT,
    PRESET_NAME,
    ROUTINE_NAME,
    ROUTINE_NAMES,
    SHELL_COMMAND,
    SKIP_CONFIRM,
    TERMINAL_COMMAND,
    VOLUME,
    Kind,
    command_with,
    did_you_mean,
    one_of,
    shown,
    text_reader,
)
from breakctl.core.errors import DataError
from breakctl.core.holds_config import (
    ADDRESSES,
    CALENDARS,
    CONFIGURED_SOURCES,
    DEVICE_PATTERNS,
    DURATION_OR_ZERO,
    PROGRAM_NAMES,
    SOURCES,
)
from breakctl.core.nudge_config import read_nudges, store_nudges
from breakctl.core.schedule import parse_schedule


@dataclass(frozen=True)
class Setting:
    key: str
    kind: Kind
    default: Any  # None: unset (for [start] durations: the preset's own value)
    help: str
    attr: str = ""  # the StartSettings field it fills, when it is not the key itself


@dataclass(frozen=True)
class Table:
    name: str
    help: str
    settings: tuple[Setting, ...]
    # Rules across keys, on the values read: (values, how a key is named) -> problems
    check: Callable[[Mapping[str, Any], Callable[[str], str]], list[str]] | None = None
    # A table whose keys are the user's own (e.g. day names), read whole into one value.
    whole: Callable[[Mapping[str, Any]], tuple[Any, list[Problem]]] | None = None

    def setting(self, key: str) -> Setting | None:
        return next((s for s in self.settings if s.key == key), None)


def start_conflicts(values: Mapping[str, Any], name: Callable[[str], str]) -> list[str]:
    """Settings of [start] that exclude each other (in the file, or file and command line)."""
    return [
        f"use {name(a)} or {name(b)}, not both"
        for a, b in (("cycles", "until"), ("routine", "rotate"))
        if values.get(a) and values.get(b)
    ]


def presence_conflicts(values: Mapping[str, Any], name: Callable[[str], str]) -> list[str]:
    if values.get("source") == "command" and not values.get("command"):
        example = f'{name("command")} = "my-idle-ms"'
        return [f'{name("command")}: needed when {name("source")} = "command", e.g. {example}']
    return []


def holds_conflicts(values: Mapping[str, Any], name: Callable[[str], str]) -> list[str]:
    """A source named in [holds] sources that has nothing to read."""
    sources = values.get("sources", "auto")
    named = () if isinstance(sources, str) else sources
    return [
        f"{name(source)}: needed when {name('sources')} names {source!r}"
        for source in CONFIGURED_SOURCES
        if source in named and not values.get(source)
    ]


# Where idle time can come from, in the order `auto` tries them (`command` only when set).
PRESENCE_SOURCES = ("x11", "gnome", "wayland", "freedesktop", "logind", "macos", "tmux", "command")
PRESENCE_CHOICES = ("auto", *PRESENCE_SOURCES, "none")  # what [presence] source takes
IDLE_COMMAND = Kind(
    "shell command", text_reader("a shell command that prints the idle time in milliseconds")
)
HOOK_EVENTS = (
    "on_work_start", "on_work_end", "on_break_start", "on_break_end", "on_skip", "on_session_end",
)  # fmt: skip
DEFAULT_BREAKS_PER_DAY = 8
NUDGES = Kind("nudges", read_nudges, store=store_nudges,
              show=lambda nudges: [n.as_table() for n in nudges])  # fmt: skip
PLAYER_COMMAND = Kind("command", command_with("file", "'pw-play {file}'"), store=str)
SPEECH_COMMAND = Kind("command", command_with("text", "'espeak-ng {text}'"), store=str)
# [sound] keys that turn each kind of chime on or off, and when it plays.
SOUND_EVENTS = (
    ("break_due", "when a break is due"), ("step", "at each step and switch of sides"),
    ("hold_end", "when a hold ends"), ("break_over", "when a break is over"),
    ("breath", "at each breath in and out"), ("nudge", "with each nudge"),
)  # fmt: skip

SCHEMA: tuple[Table, ...] = (
    Table("start", "Defaults for `breakctl start` (the command line wins).", (
        Setting("preset", PRESET_NAME, "pomodoro", "The schedule, from `breakctl presets`."),
        Setting("work", DURATION, None, "Work block, e.g. 25m (default: the preset's).",
                "work_s"),
        Setting("break", DURATION, None, "Short break (default: the preset's).", "break_s"),
        Setting("long_break", DURATION, None, "Long break (default: the preset's).",
                "long_break_s"),
        Setting("long_every", COUNT, None, "A long break after every N work blocks; 0: never."),
        Setting("cycles", POSITIVE_COUNT, None, "Stop after N work blocks and their breaks."),
        Setting("until", CLOCK_TIME, None, "Stop at this time of day, e.g. 17:30."),
        Setting("routine", ROUTINE_NAME, None, "Use this routine in every break."),
        Setting("rotate", ROUTINE_NAMES, (), "Take turns with these routines."),
        Setting("seated", BOOLEAN, False, "Only seated routines (an open-plan office)."),
        Setting("wait", BOOLEAN, False, "Wait for a key before each next phase."),
        Setting("bell", BOOLEAN, True, "Ring the terminal bell."),
        Setting("notify", BOOLEAN, True, "Desktop notifications."),
        Setting("skips_per_day", COUNT, None, "Skips of a break allowed a day; unset: no limit."),
        Setting("postpones_in_a_row", COUNT, None,
                "Postpones of one break allowed in a row; unset: no limit."),
        Setting("strict", BOOLEAN, False, "No skip and no postpone at all."),
        Setting("focus", BOOLEAN, None,
                "Bring breakctl's tmux pane to the front at a break (default: yes in tmux)."),
        Setting("nudges", NUDGES, None, 'Lines inside a block: [{every = "10m", say = "..."}, '
                '{at = "20m", say = "..."}] (default: the preset\'s).'),
        Setting("skip_confirm", SKIP_CONFIRM, False,
                'Skipping asks first: true (s again within 3 s) or "word" (type a word).'),
        Setting("postpone_payback", BOOLEAN, False,
                "Minutes postponed are taken off the next work block."),
        Setting("start_on_pause", DURATION, None,
                "A break due waits up to this long (e.g. 45s) for a pause in your typing.",
                "start_on_pause_s"),
        Setting("bring_break", BRING, BRING_DEFAULT,
                "With no screen on the day, a break comes to you the first way that works: "
                "popup (tmux), notify (with a Start action), terminal; [] turns it off."),
        Setting("terminal", TERMINAL_COMMAND, None,
                "The terminal to open for a break, its command put after it, e.g. 'kitty -e' "
                "(default: $TERMINAL, else the first one found)."),
    ), check=start_conflicts),
    Table("goals", "Targets `breakctl stats` measures you against.", (
        Setting("breaks_per_day", POSITIVE_COUNT, DEFAULT_BREAKS_PER_DAY,
                "Breaks a day that count as a good day."),
        Setting("work_per_day", HOURS, None,
                "Active work a day after which `start` ends the day, e.g. 6h (a number: hours)."),
    )),
    Table("schedule", "Working hours: mon-fri = [\"09:00-12:30\", \"13:30-17:30\"]; days not "
          "named are days off.", (), whole=lambda data: _schedule(data)),
    Table("hooks", "Shell commands run on session events (5 s limit each).", tuple(
        Setting(event, SHELL_COMMAND, None, f"Run on {event[3:].replace('_', ' ')}.")
        for event in HOOK_EVENTS
    )),
    Table("presence", "Where idle time comes from, and when you count as away.", (
        Setting("source", Kind("source name", one_of(PRESENCE_CHOICES)),
                "auto", f"{', '.join(PRESENCE_CHOICES[:-1])} or {PRESENCE_CHOICES[-1]}."),
        Setting("command", IDLE_COMMAND, None, "Prints the idle time in milliseconds."),
        Setting("away_after", DURATION, 120.0, "Idle this long: away."),
        Setting("reset_after", DURATION, 1800.0,
                "Away this long: the long-break count starts over."),
        Setting("across_machines", BOOLEAN, None,
                "Share presence and breaks with your other machines through the history "
                "folder (default: yes once another machine's files are there)."),
    ), check=presence_conflicts),
    Table("holds", "What holds a due break back: calls, a camera, meetings, do-not-disturb.", (
        Setting("sources", SOURCES, "auto",
                'auto (every source that works here), [] (off) or a list, e.g. ["calendar"].'),
        Setting("grace", DURATION_OR_ZERO, 60.0,
                "After the last hold ends, the break waits this long (0: at once)."),
        Setting("calendar_lead", DURATION_OR_ZERO, 600.0,
                "A break due this soon before a busy event comes early instead (0: never)."),
        Setting("max", DURATION, 3 * 3600.0, "One hold longer than this no longer holds."),
        Setting("calendar", CALENDARS, (), ".ics files or http(s) URLs of your calendars."),
        Setting("calendar_me", ADDRESSES, (),
                "Your addresses in those calendars (events you declined do not hold)."),
        Setting("camera_devices", DEVICE_PATTERNS, ("/dev/video*",),
                "The camera devices, paths or patterns."),
        Setting("programs", PROGRAM_NAMES, (), 'Programs that hold while they run: ["obs"].'),
        Setting("command", SHELL_COMMAND, None,
                "Holds while it exits 0; the first line it prints is the reason."),
    ), check=holds_conflicts),
    Table("sound", "Chimes through a sound player (pw-play, paplay, aplay, afplay).", (
        Setting("enabled", BOOLEAN, None, "Play chimes (default: yes, except over SSH)."),
        Setting("volume", VOLUME, 70, "Volume of the chimes, 0-100."),
        Setting("player", PLAYER_COMMAND, None,
                "Play with this command, {file} the sound (default: the first player found)."),
        *(Setting(key, BOOLEAN, True, f"Chime {about}.") for key, about in SOUND_EVENTS),
    )),
    Table("voice", "Spoken cues through spd-say, espeak-ng or say.", (
        Setting("enabled", BOOLEAN, False, "Speak each step, the last seconds of a hold, ..."),
        Setting("command", SPEECH_COMMAND, None,
                "Speak with this command, {text} the phrase (default: the first one found)."),
    )),
    Table("history", "Where the history folder is (one file per machine; sync it as you like).", (
        Setting("dir", Kind("folder", text_reader("a folder", "~/Sync/breakctl"), store=str), None,
                "The history folder, e.g. ~/Sync/breakctl (BREAKCTL_HISTORY_DIR wins)."),
    )),
)  # fmt: skip
TABLES = {table.name: table for table in SCHEMA}


def read_setting(table: Table, key: str, value: Any) -> Any:
    """One value of `table` (from the file or the command line) checked and converted; the
    DataError names the key and what it takes."""
    setting = table.setting(key)
    if setting is None:
        known = ", ".join(s.key for s in table.settings)
        raise DataError(f"{key}: unknown setting; known: {known}")
    try:
        return setting.kind.read(value)
    except DataError as exc:
        raise DataError(*(f"{key}: {p}" for p in exc.problems)) from None


def setting_names() -> list[str]:
    """Every SECTION.KEY, for `config set`, errors and shell completion."""
    return [f"{t.name}.{s.key}" for t in SCHEMA for s in t.settings]


def find_setting(dotted: str) -> tuple[Table, Setting]:
    """The setting SECTION.KEY names; DataError with a "did you mean" otherwise."""
    section, _, key = dotted.partition(".")
    table = TABLES.get(section)
    setting = table.setting(key) if table else None
    if table is None or setting is None:
        raise DataError(
            f"unknown setting {shown(dotted)}{did_you_mean(dotted, setting_names())}; "
            "`breakctl config show` lists them"
        )
    return table, setting


@dataclass(frozen=True)
class Problem:
    where: tuple[str, ...]  # (table,) or (table, key): for a line number
    message: str


def _schedule(data: Mapping[str, Any]) -> tuple[Any, list[Problem]]:
    """[schedule] read whole (its ranges are checked against each other); each problem is
    placed at its day's key."""
    marker = "\x1f"
    try:
        return parse_schedule(data, where=lambda key: marker + key), []
    except DataError as exc:
        found = []
        for problem in exc.problems:
            key, _, message = problem.removeprefix(marker).partition(": ")
            found.append(Problem(("schedule", key), message))
        return None, found


def validate(config: Mapping[str, Any]) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Every table read through the schema: ({table: {key: value read}}, every problem found).
    Only what the user wrote is in the values; defaults are the reader's business."""
    values: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    for name, table_data in config.items():
        table = TABLES.get(name)
        if table is None:
            hint = did_you_mean(name, [*TABLES, *setting_names()])
            problems.append(Problem((name,), f"unknown table or key {shown(name)}{hint}"))
            continue
        if not isinstance(table_data, dict):
            problems.append(Problem((name,), f"[{name}] must be a table, got {shown(table_data)}"))
            continue
        if table.whole is not None:
            whole, found = table.whole(table_data)
            values[name] = {name: whole} if not found else {}
            problems += found
            continue
        read: dict[str, Any] = {}
        for key, value in table_data.items():
            setting = table.setting(key)
            if setting is None:
                hint = did_you_mean(key, [s.key for s in table.settings])
                message = f"{name}.{key}: unknown setting{hint}; known: " + ", ".join(
                    s.key for s in table.settings
                )
                problems.append(Problem((name, key), message))
                continue
            try:
                read[key] = setting.kind.read(value)
            except DataError as exc:
                problems.extend(Problem((name, key), f"{name}.{key}: {p}") for p in exc.problems)
        if table.check is not None:
            dotted = f"{name}.{{}}".format
            problems.extend(Problem((name,), m) for m in table.check(read, dotted))
        values[name] = read
    return values, problems


def store_value(dotted: str, raw: str) -> Any:
    """What `config set SECTION.KEY RAW` writes into the file, checked as it will be read."""
    _, setting = find_setting(dotted)
    try:
        stored = setting.kind.store(raw)
        setting.kind.read(stored)
    except DataError as exc:
        raise DataError(*(f"{dotted}: {p}" for p in exc.problems)) from None
    return stored
