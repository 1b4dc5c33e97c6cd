"""The kinds of value config.toml holds, and how each is read, stored and shown.

A `Kind` names a type of setting in help, reads a value from the file (or the command line)
with a clear one-line error, turns `config set` text into the TOML value written, and shows a
read value as `config show` prints it. The schema (core.config_schema) gives each key a kind.
Pure: stdlib and core only.
"""

from __future__ import annotations

import math
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import Any

from breakctl.core.durations import format_duration, parse_duration
from breakctl.core.errors import DataError

MAX_DURATION_S = 24 * 3600.0  # longer blocks are a typo, and overflow the clock arithmetic
MAX_COUNT = 1000


def shown(value: Any) -> str:
    """A value as an error message quotes it: short, one line, and safe for any depth."""
    if isinstance(value, str):
        text = repr(value[:60] + ("…" if len(value) > 60 else ""))
    elif isinstance(value, bool | float):
        text = repr(value)
    elif isinstance(value, int):
        text = str(value) if abs(value) < 10**18 else "a huge number"
    elif isinstance(value, dict):
        text = "a table"
    elif isinstance(value, list | tuple):
        text = "an array"
    else:
        text = f"a {type(value).__name__}"  # date, time, datetime from TOML
    return text


# --- How a value of each kind is read (from TOML or the command line) -----------------------


def read_duration(value: Any, bare_unit: str = "m") -> float:
    """Seconds; a bare number is minutes (hours for a daily limit), in the file and on the
    command line alike."""
    if not isinstance(value, str | int | float):
        raise DataError(f"expected a duration like '25m', got {shown(value)}")
    try:
        seconds = parse_duration(value, bare_unit=bare_unit)
    except (OverflowError, ValueError):
        seconds = math.inf
    if not math.isfinite(seconds) or seconds > MAX_DURATION_S:
        raise DataError(f"expected a duration of at most 24h, got {shown(value)}")
    if seconds <= 0:
        raise DataError(f"must be longer than 0, got {shown(value)}")
    return seconds


def _count(least: int) -> Callable[[Any], int]:
    def read(value: Any) -> int:
        if isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) < 10:
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MAX_COUNT:
            raise DataError(
                f"expected a whole number from {least} to {MAX_COUNT}, got {shown(value)}"
            )
        return value

    return read


def parse_clock_time(value: Any) -> time:
    text = value.strip() if isinstance(value, str) else ""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text, re.ASCII)  # ٩ is a \d too
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise DataError(f"expected a clock time like 17:30, got {shown(value)}")
    return time(int(match.group(1)), int(match.group(2)))


def read_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = value.strip().lower() if isinstance(value, str) else None
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    raise DataError(f"expected true or false, got {shown(value)}")


def did_you_mean(word: object, known: object) -> str:
    """' (did you mean 'x'?)' for the nearest of `known`, or nothing."""
    if not isinstance(word, str):
        return ""
    import difflib  # only on an error

    matches = difflib.get_close_matches(word, [str(k) for k in known], n=1)  # type: ignore[attr-defined]
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def _preset_name(value: Any) -> str:
    from breakctl.core.presets import PRESETS

    if not isinstance(value, str) or value not in PRESETS:
        raise DataError(
            f"unknown preset {shown(value)}{did_you_mean(value, PRESETS)}; "
            f"presets: {', '.join(PRESETS)}"
        )
    return value


def text_reader(what: str, example: str = "") -> Callable[[Any], str]:
    def read(value: Any) -> str:
        if not isinstance(value, str) or not value.strip() or "\x00" in value:
            example_text = f", e.g. {example}" if example else ""
            raise DataError(f"expected {what}{example_text}, got {shown(value)}")
        return value.strip()

    return read


def one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        if not isinstance(value, str) or value.strip() not in choices:
            raise DataError(f"expected one of {', '.join(choices)}, got {shown(value)}")
        return value.strip()

    return read


def _routine_names(value: Any) -> tuple[str, ...]:
    names = value if isinstance(value, list) else value.split(",") if isinstance(value, str) else []
    if not all(isinstance(n, str) for n in names) or not any(n.strip() for n in names):
        raise DataError(f"expected routine names like desk,neck,standing, got {shown(value)}")
    return tuple(n.strip() for n in names if n.strip())


@dataclass(frozen=True)
class Kind:
    """A type of setting: its name in help, how to read it, and how `config set` stores it."""

    name: str
    read: Callable[[Any], Any]
    store: Callable[[str], Any] = str.strip  # command-line text -> the TOML value written
    show: Callable[[Any], Any] = lambda value: value  # read value -> what `config show` prints


DURATION = Kind("duration", read_duration, show=format_duration)
HOURS = Kind("duration", lambda value: read_duration(value, "h"), show=format_duration)
COUNT = Kind("count", _count(0), store=lambda raw: _count(0)(raw))
POSITIVE_COUNT = Kind("count", _count(1), store=lambda raw: _count(1)(raw))
CLOCK_TIME = Kind("clock time", parse_clock_time, show=lambda t: t.strftime("%H:%M"))
BOOLEAN = Kind("true/false", read_boolean, store=read_boolean)
PRESET_NAME = Kind("preset name", _preset_name)
ROUTINE_NAME = Kind("routine name", text_reader("a routine name", "desk"))
ROUTINE_NAMES = Kind(
    "routine names", _routine_names, store=lambda raw: list(_routine_names(raw)), show=list
)
SHELL_COMMAND = Kind(
    "shell command", text_reader("a shell command", "'notify-send break'"), store=str
)


def _volume(value: Any) -> int:
    return _count_between(value, 0, 100, "a volume")


def _count_between(value: Any, least: int, most: int, what: str) -> int:
    if isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) < 10:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise DataError(f"expected {what} from {least} to {most}, got {shown(value)}")
    return value


def command_with(placeholder: str, example: str) -> Callable[[Any], str]:
    """A command that must say where its argument goes, as {file} or {text}."""
    read_text = text_reader("a command", example)

    def read(value: Any) -> str:
        text = read_text(value)
        if "{" + placeholder + "}" not in text:
            raise DataError(
                f"expected a command with {{{placeholder}}} in it, e.g. {example}, "
                f"got {shown(value)}"
            )
        try:  # split as it will be run (never through a shell)
            shlex.split(text)
        except ValueError as exc:
            raise DataError(
                f"expected a command whose quotes close, e.g. {example}, got "
                f"{shown(value)} ({str(exc).lower()})"
            ) from None
        return text

    return read


# [start] bring_break: popup (a tmux pop-up on the client used last), notify (a desktop
# notification with a "Start the routine" action), terminal (a terminal window at once).
BRING_WAYS = ("popup", "notify", "terminal")
BRING_DEFAULT = ("popup", "notify")


def _bring_ways(value: Any) -> tuple[str, ...]:
    """An ordered list of ways ("popup,notify" on the command line); [] turns it off. A way
    named twice counts once, where it first stands."""
    if isinstance(value, str):  # `config set`: "popup,notify", "[]"
        text = value.strip().removeprefix("[").removesuffix("]")
        value = [part.strip().strip("'\"") for part in text.split(",") if part.strip()]
    expected = f"expected a list of {', '.join(BRING_WAYS)} in the order to try them, or []"
    if not isinstance(value, list | tuple):
        raise DataError(f"{expected}, got {shown(value)}")
    ways: list[str] = []
    for way in value:
        name = way.strip() if isinstance(way, str) else way
        if name not in BRING_WAYS:
            raise DataError(f"{expected}; {shown(way)} is not one of them")
        if name not in ways:
            ways.append(name)
    return tuple(ways)


def _skip_confirm(value: Any) -> bool | str:
    """true (a second s), "word" (type a word shown on screen) or false."""
    if value == "word" or (isinstance(value, str) and value.strip() == "word"):
        return "word"
    try:
        return read_boolean(value)
    except DataError:
        raise DataError(f'expected true, false or "word", got {shown(value)}') from None


VOLUME = Kind("volume", _volume, store=_volume)
SKIP_CONFIRM = Kind('true/false/"word"', _skip_confirm, store=_skip_confirm)
BRING = Kind("ways", _bring_ways, store=lambda raw: list(_bring_ways(raw)), show=list)


def _terminal_command(value: Any) -> str:
    """A terminal's command line; breakctl's own command goes after it (never a shell)."""
    example = "'kitty -e' or 'gnome-terminal --'"
    text = text_reader("a terminal's command line that runs the command put after it", example)(
        value
    )
    try:
        shlex.split(text)
    except ValueError as exc:
        raise DataError(
            f"expected a command line whose quotes close, e.g. {example}, got {shown(value)} "
            f"({str(exc).lower()})"
        ) from None
    return text


TERMINAL_COMMAND = Kind("command", _terminal_command, store=str)
