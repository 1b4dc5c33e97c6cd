"""The registry of hold sources: a source by name, the ones `[holds] sources` picks, the
`HoldsReader` the day reads every 15 s, and the survey `breakctl holds` shows.

Each source lives in a module named after it (`microphone.py`, `calendar.py`...) with
`source(settings) -> HoldSource`. Modules are imported by name when first built, so building
the registry is free, and a module this version lacks is a source "not available" rather
than an error.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from breakctl.core.holds import Hold, HoldsReading, HoldsSettings, Upcoming
from breakctl.core.holds_config import CONFIGURED_SOURCES, HOLD_SOURCES
from breakctl.host.holds.base import HoldError, HoldSource

SOURCE_NAMES = HOLD_SOURCES
REPROBE_S = 600.0  # how often `auto` looks again at the sources that did not work at first


class Unavailable(HoldSource):
    """A source that cannot work at all here: not configured, or not in this version."""

    def __init__(self, name: str, why: str) -> None:
        self.name = name
        self._why = why

    def holds(self, now: datetime) -> list[Hold]:
        raise HoldError(self._why)


def configured(name: str, settings: HoldsSettings) -> bool:
    """Whether a source that reads only what the user set up has something to read."""
    if name not in CONFIGURED_SOURCES:
        return True
    return bool(getattr(settings, name))


def make_source(name: str, settings: HoldsSettings) -> HoldSource:
    """The source called `name` (one of SOURCE_NAMES), built from `settings`."""
    if not configured(name, settings):
        return Unavailable(name, f"no [holds] {name} set")
    module_name = f"breakctl.host.holds.{name}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return Unavailable(name, "not available in this version of breakctl")
    source: HoldSource = module.source(settings)
    return source


def chosen(settings: HoldsSettings) -> tuple[tuple[str, ...], bool]:
    """(the sources `settings.sources` names, whether each must first prove it works here):
    `auto` takes every source that works here, and the configured ones when configured."""
    if settings.sources != "auto":
        return tuple(settings.sources), False
    return tuple(n for n in SOURCE_NAMES if configured(n, settings)), True


def reading_error(exc: Exception) -> str:
    """One line for any failure of a source (a HoldError's own line; else the type too)."""
    return str(exc) if isinstance(exc, HoldError) else f"{type(exc).__name__}: {exc}"


class HoldsReader:
    """The sources in use for the day, read together. One failing source does not hide the
    others: its failure is reported once (by `take_failures`) until it reads well again."""

    def __init__(self, sources: Sequence[HoldSource], dormant: Sequence[HoldSource] = ()) -> None:
        self._sources = list(sources)
        self._dormant = list(dormant)  # `auto` sources that did not work yet
        self._failing: dict[str, str] = {}
        self._pending: list[str] = []
        self._next_probe: datetime | None = None

    @property
    def names(self) -> list[str]:
        return [source.name for source in self._sources]

    @property
    def dormant(self) -> list[str]:
        """The `auto` sources that did not work yet (looked at again every 10 minutes)."""
        return [source.name for source in self._dormant]

    def read(self, now: datetime) -> HoldsReading:
        """Every source read once: what holds now, and the next busy event."""
        self._wake_dormant(now)
        holds: list[Hold] = []
        upcoming: list[Upcoming] = []
        for source in self._sources:
            try:
                found = source.holds(now)
                next_event = source.upcoming(now)
            except Exception as exc:  # any failure: a source must never end the day
                self._failed(source, reading_error(exc))
                continue
            self._failing.pop(source.name, None)
            warning = source.take_warning()
            if warning:
                self._pending.append(f"holds: {source.name}: {warning}")
            holds.extend(found)
            if next_event is not None:
                upcoming.append(next_event)
        soonest = min(upcoming, key=lambda event: event.starts, default=None)
        return HoldsReading(tuple(holds), soonest)

    def _failed(self, source: HoldSource, why: str) -> None:
        if self._failing.get(source.name) is None:
            self._pending.append(f"holds: {source.name}: {why}")
        self._failing[source.name] = why
        with contextlib.suppress(Exception):  # a broken connection: dropped, opened afresh
            source.close()

    def _wake_dormant(self, now: datetime) -> None:
        if not self._dormant:
            return
        if self._next_probe is not None and now < self._next_probe:
            return
        self._next_probe = now + timedelta(seconds=REPROBE_S)
        for source in list(self._dormant):
            if source.works() is None:
                self._dormant.remove(source)
                self._sources.append(source)

    def take_failures(self) -> list[str]:
        """The lines to say once: a source that stopped working, a calendar's failed fetch."""
        pending, self._pending = self._pending, []
        return pending

    def close(self) -> None:
        for source in (*self._sources, *self._dormant):
            with contextlib.suppress(Exception):
                source.close()


def open_holds(settings: HoldsSettings) -> HoldsReader:
    """The reader of the sources `settings` picks. Under `auto`, a source that does not work
    here waits aside and is looked at again every 10 minutes; a source named in a list is
    read anyway, and its failure reported."""
    names, must_work = chosen(settings)
    sources: list[HoldSource] = []
    dormant: list[HoldSource] = []
    for name in names:
        source = make_source(name, settings)
        if not must_work or name in CONFIGURED_SOURCES or source.works() is None:
            sources.append(source)
        elif not isinstance(source, Unavailable):
            source.close()
            dormant.append(source)
    return HoldsReader(sources, dormant)


@dataclass(frozen=True)
class SourceState:
    """One line of `breakctl holds`: can it tell here, and does it hold now."""

    name: str
    works: bool
    why_not: str | None
    holding: bool
    reason: str | None
    in_use: bool

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "works": self.works,
            "why_not": self.why_not,
            "holding": self.holding,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class HoldsSurvey:
    """What `breakctl holds` shows: every source, and what holds now among those in use."""

    sources: tuple[SourceState, ...]
    reading: HoldsReading
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "sources": [state.to_json() for state in self.sources],
            "held": self.reading.held,
            "reasons": self.reading.reasons,
        }


def survey(settings: HoldsSettings, now: datetime) -> HoldsSurvey:
    """Every source built and read once; `held` counts the sources `settings` uses."""
    names, _ = chosen(settings)
    states: list[SourceState] = []
    holds: list[Hold] = []
    upcoming: list[Upcoming] = []
    warnings: list[str] = []
    for name in SOURCE_NAMES:
        source = make_source(name, settings)
        try:
            found = source.holds(now)
            next_event = source.upcoming(now)
        except Exception as exc:
            states.append(SourceState(name, False, reading_error(exc), False, None, False))
            continue
        finally:
            with contextlib.suppress(Exception):
                source.close()
        warning = source.take_warning()
        if warning:
            warnings.append(f"{name}: {warning}")
        in_use = name in names
        reason = "; ".join(hold.label.removeprefix(f"{name}: ") for hold in found) or None
        states.append(SourceState(name, True, None, bool(found), reason, in_use))
        if in_use:
            holds.extend(found)
            if next_event is not None:
                upcoming.append(next_event)
    soonest = min(upcoming, key=lambda event: event.starts, default=None)
    return HoldsSurvey(tuple(states), HoldsReading(tuple(holds), soonest), tuple(warnings))
