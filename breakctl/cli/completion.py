"""Shell completion from the user's own files: routine names, preset names, exercise ids,
config keys and history ids. Typer calls these (through `_BREAKCTL_COMPLETE=complete_bash`
and friends, set up by `breakctl --install-completion`); `breakctl status` never reaches them.

Each takes the word typed so far and returns candidates (Typer keeps those that start with
it); none ever raises: a broken file just completes nothing."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import wraps
from itertools import islice
from typing import Any

import typer

from breakctl.core.errors import BreakctlError

HISTORY_IDS = 50  # the newest records are the ones a person looks up


def _quietly(find: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    @wraps(find)
    def complete(*args: Any, **kwargs: Any) -> list[Any]:  # Typer passes them by name
        try:
            return find(*args, **kwargs)
        except (BreakctlError, OSError, ValueError):
            return []

    return complete


def _paths() -> Any:
    from breakctl.store.paths import Paths

    return Paths.from_env(os.environ)


def _catalog() -> Any:
    from breakctl.store.library import Catalog, builtin_dir

    return Catalog(builtin_dir(), _paths().routines_dir)


@_quietly
def complete_routine(incomplete: str) -> list[str]:
    """Routine names: built-in and the user's (file names, as `breakctl routine NAME` takes)."""
    return sorted(name for name in _catalog().routine_files() if name.startswith(incomplete))


@_quietly
def complete_routines(incomplete: str) -> list[str]:
    """For --rotate A,B,C: the names typed so far, then each routine for the last one."""
    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [prefix + name for name in complete_routine(last)]


@_quietly
def complete_preset(incomplete: str) -> list[tuple[str, str]]:
    from breakctl.core.presets import PRESETS

    return [(p.name, p.title) for p in PRESETS.values() if p.name.startswith(incomplete)]


@_quietly
def complete_exercise(incomplete: str) -> list[tuple[str, str]]:
    exercises = _catalog().exercises.values()
    return [(e.id, e.name) for e in exercises if e.id.startswith(incomplete)]


@_quietly
def complete_config_key(incomplete: str) -> list[tuple[str, str]]:
    from breakctl.core.config_schema import SCHEMA

    return [
        (f"{table.name}.{s.key}", s.help)
        for table in SCHEMA
        for s in table.settings
        if f"{table.name}.{s.key}".startswith(incomplete)
    ]


@_quietly
def complete_config_value(ctx: typer.Context, incomplete: str) -> list[Any]:
    """The value for `config set KEY`: the presets, routines or true/false KEY takes."""
    from breakctl.core.config_kinds import BOOLEAN, PRESET_NAME, ROUTINE_NAME, ROUTINE_NAMES
    from breakctl.core.config_schema import find_setting

    _, setting = find_setting(str(ctx.params.get("key") or ""))
    by_kind: dict[Any, Callable[[str], list[Any]]] = {
        PRESET_NAME: complete_preset,
        ROUTINE_NAME: complete_routine,
        ROUTINE_NAMES: complete_routines,
        BOOLEAN: lambda typed: [b for b in ("true", "false") if b.startswith(typed)],
    }
    complete = by_kind.get(setting.kind)
    return complete(incomplete) if complete else []


def _newest_records() -> Iterator[Any]:
    """Records from the end of each history file (every machine's), newest first."""
    import heapq
    import os

    from breakctl.core.records import Record
    from breakctl.store.history import HistoryReader
    from breakctl.store.history_dir import locate_history

    def newest(path: Any) -> Iterator[Any]:
        for _, _, item in HistoryReader(path).backwards(0):
            if isinstance(item, Record) and item.id:
                yield item

    files = locate_history(_paths(), os.environ).files()
    merged = heapq.merge(*(newest(p) for p in files), key=lambda r: r.started, reverse=True)
    seen: set[str] = set()
    for record in merged:
        if record.id not in seen:
            seen.add(record.id)
            yield record


@_quietly
def complete_history_id(incomplete: str) -> list[tuple[str, str]]:
    """Record ids, newest first, each with what it was ('2026-03-02 09:00 work completed')."""
    found = (r for r in _newest_records() if r.id.startswith(incomplete))
    return [
        (r.id, f"{r.started:%Y-%m-%d %H:%M} {r.kind} {r.outcome}")
        for r in islice(found, HISTORY_IDS)
    ]
