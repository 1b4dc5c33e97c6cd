"""Human durations ("25m", "1h30m", "90s", "1.5h", "PT25M", "45") to seconds and back."""

from __future__ import annotations

import re

from breakctl.core.clockface import format_clock, plural
from breakctl.core.errors import DataError

__all__ = ["format_clock", "format_duration", "format_minutes", "parse_duration", "plural"]

_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([hms])")
_ISO = re.compile(r"P?T?(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def parse_duration(value: str | int | float, *, bare_unit: str = "s") -> float:
    """Return seconds for a duration; a bare number is in `bare_unit` ("s" or "m").

    Raises DataError naming the text and giving an example of what is accepted.
    """
    if isinstance(value, bool):
        raise DataError(f"expected a duration such as '30s', '2m' or '1m30s', got {value!r}")
    if isinstance(value, int | float):
        seconds = float(value) * _UNIT_SECONDS[bare_unit]
        return _checked(seconds, str(value))
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
    if seconds < 0:
        raise DataError(f"a duration cannot be negative, got {shown!r}")
    return seconds


def _bad(text: str) -> DataError:
    return DataError(
        f"not a duration: {text!r} (expected e.g. '25m', '90s', '1h30m', '1.5h' or 'PT25M')"
    )


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
