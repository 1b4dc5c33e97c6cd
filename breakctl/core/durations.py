"""Human durations ("25m", "1h30m", "90s", "1.5h", "PT25M", "45") to seconds and back."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time

from breakctl.core.clockface import format_clock, plural
from breakctl.core.errors import DataError

__all__ = ["format_clock", "format_duration", "format_minutes", "parse_duration", "plural"]

_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([hms])")
_ISO = re.compile(r"P?T?(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# The longest duration anything in breakctl takes: a longer one is a typo, and far longer ones
# (99999999999999999999h) overflow the clock arithmetic they would feed.
MAX_DURATION_S = 24 * 3600.0


def parse_duration(value: str | int | float, *, bare_unit: str = "s") -> float:
    """Return seconds for a duration; a bare number is in `bare_unit` ("s" or "m").

    Raises DataError naming the text and giving an example of what is accepted.
    """
    if isinstance(value, bool):
        raise DataError(f"expected a duration such as '30s', '2m' or '1m30s', got {value!r}")
    if isinstance(value, int | float):
        try:
            seconds = float(value) * _UNIT_SECONDS[bare_unit]
        except OverflowError:  # an int of hundreds of digits
            seconds = math.inf
        return _checked(seconds, _short(str(value)))
    if not isinstance(value, str):
        raise DataError(
            f"expected a duration such as '30s', '2m' or '1m30s', got {_type_name(value)}"
        )
    text = value.strip().lower()
    if text.startswith("-"):
        raise DataError(f"a duration cannot be negative, got {value!r}")
    if _NUMBER.fullmatch(text):
        return _checked(float(text) * _UNIT_SECONDS[bare_unit], value)
    if text.startswith("pt") or text.startswith("p"):
        match = _ISO.fullmatch(text.upper())
        if match and any(match.groups()):
            hours, minutes, secs = (float(g) if g else 0.0 for g in match.groups())
            return _checked(hours * 3600 + minutes * 60 + secs, value)
        raise _bad(value)
    compact = text.replace(" ", "")
    parts = _PART.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise _bad(value)
    units = [u for _, u in parts]
    if len(set(units)) != len(units) or units != sorted(units, key="hms".index):
        raise _bad(value)
    return _checked(sum(float(n) * _UNIT_SECONDS[u] for n, u in parts), value)


def _checked(seconds: float, shown: str) -> float:
    if math.isnan(seconds):
        raise DataError(f"not a duration: {_short(shown)!r} (not a number)")
    if seconds < 0:
        raise DataError(f"a duration cannot be negative, got {_short(shown)!r}")
    if seconds > MAX_DURATION_S:
        raise DataError(f"a duration cannot be longer than 24h, got {_short(shown)!r}")
    return seconds


def _bad(text: str) -> DataError:
    return DataError(
        f"not a duration: {_short(text)!r} (expected e.g. '25m', '90s', '1h30m', '1.5h' or 'PT25M')"
    )


def _short(text: str) -> str:
    """A value from a file or command line, cut to a length an error line can show."""
    return text if len(text) <= 40 else text[:37] + "..."


def _type_name(value: object) -> str:
    """What a TOML value is, in the file's own words: a date, a list, a table..."""
    names = {
        datetime: "a date and time",
        date: "a date",
        time: "a time of day",
        list: "a list",
        dict: "a table",
    }
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__


def format_duration(seconds: float) -> str:
    """Seconds in words-like units: '30s', '2m', '1m30s', '1h5m'."""
    if seconds < 60:
        return f"{round(seconds, 3):g}s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    return text + (f"{secs}s" if secs else "")


def round_s(seconds: float) -> float | int:
    """Seconds as stored in history: to the millisecond, and an int when whole."""
    rounded = round(seconds, 3)
    return int(rounded) if rounded == int(rounded) else rounded


def format_minutes(seconds: float) -> str:
    """Time in the reviews, one format everywhere: '0m', '<1m', '55m', '1h05m'."""
    minutes = round(seconds / 60)
    if seconds > 0 and minutes == 0:
        return "<1m"
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"
