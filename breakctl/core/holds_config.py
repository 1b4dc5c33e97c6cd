"""The `[holds]` values as config.toml writes them: which sources, calendars, devices and
programs, each checked with an error naming what it expected. Apart from core/holds so that
the day's types never import the config kinds. Pure: stdlib and core only."""

from __future__ import annotations

from typing import Any

from breakctl.core.config_kinds import Kind, did_you_mean, read_duration, shown
from breakctl.core.durations import format_duration, parse_duration
from breakctl.core.errors import DataError

# Every hold source, in the order `breakctl holds` lists them and `auto` tries them.
HOLD_SOURCES = ("microphone", "camera", "calendar", "dnd", "fullscreen", "programs", "command")
# Used under `auto` only when configured: they have nothing to read otherwise.
CONFIGURED_SOURCES = ("calendar", "programs", "command")
MAX_ITEMS = 50
SOURCES_EXAMPLE = '"auto", [] (off) or ["microphone", "calendar"]'


def _items(value: Any, what: str, example: str) -> list[str]:
    """A list of non-empty one-line strings (a string alone, or comma-separated for `config
    set`, is read as such a list)."""
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise DataError(f"expected a list of {what}, e.g. {example}, got {shown(value)}")
    for item in value:
        if not isinstance(item, str) or not item.strip() or "\n" in item or "\x00" in item:
            raise DataError(f"expected a list of {what}, e.g. {example}, got {shown(item)}")
    return list(dict.fromkeys(item.strip() for item in value))


def read_sources(value: Any) -> str | tuple[str, ...]:
    """ "auto", or the source names to use (an empty list: holds off)."""
    if isinstance(value, str) and value.strip() in ("auto", "[]", ""):
        return "auto" if value.strip() == "auto" else ()
    names = _items(value, "source names", SOURCES_EXAMPLE)
    for name in names:
        if name not in HOLD_SOURCES:
            raise DataError(
                f"unknown source {shown(name)}{did_you_mean(name, HOLD_SOURCES)}; "
                f"sources: {', '.join(HOLD_SOURCES)}"
            )
    return tuple(names)


def _store_sources(raw: str) -> str | list[str]:
    sources = read_sources(raw)
    return sources if isinstance(sources, str) else list(sources)


def read_calendars(value: Any) -> tuple[str, ...]:
    """.ics files or http(s) URLs."""
    example = '["~/calendar.ics", "https://example.org/me.ics"]'
    items = _items(value, ".ics files or http(s) URLs", example)
    for item in items:
        scheme, found, _ = item.partition("://")
        if found and scheme.lower() not in ("http", "https"):
            raise DataError(f"expected an .ics file or an http(s) URL, got {shown(item)}")
    return tuple(items)


def read_addresses(value: Any) -> tuple[str, ...]:
    """The user's own calendar addresses, compared without `mailto:` and case."""
    items = _items(value, "e-mail addresses", '["me@example.org"]')
    for item in items:
        if "@" not in item:
            raise DataError(f"expected an e-mail address like me@example.org, got {shown(item)}")
    return tuple(item.lower().removeprefix("mailto:") for item in items)


def _list_kind(name: str, what: str, example: str) -> Kind:
    def read(value: Any) -> tuple[str, ...]:
        return tuple(_items(value, what, example))

    return Kind(name, read, store=lambda raw: list(read(raw)), show=list)


def read_duration_or_zero(value: Any) -> float:
    """A duration that may be 0 (`grace = 0`: the break as soon as the hold ends)."""
    try:
        if parse_duration(value, bare_unit="m") == 0:
            return 0.0
    except (DataError, OverflowError, TypeError, ValueError):
        pass  # read_duration says what is wrong
    return read_duration(value)


DURATION_OR_ZERO = Kind("duration", read_duration_or_zero,
                        show=lambda s: format_duration(s) if s else "0s")  # fmt: skip
SOURCES = Kind("sources", read_sources, store=_store_sources,
               show=lambda value: value if isinstance(value, str) else list(value))  # fmt: skip
CALENDARS = Kind("calendars", read_calendars, store=lambda raw: list(read_calendars(raw)),
                 show=list)  # fmt: skip
ADDRESSES = Kind("addresses", read_addresses, store=lambda raw: list(read_addresses(raw)),
                 show=list)  # fmt: skip
DEVICE_PATTERNS = _list_kind("device patterns", "device paths or patterns", '["/dev/video*"]')
PROGRAM_NAMES = _list_kind("program names", "program names", '["obs", "zoom"]')
