"""The registry of idle-time sources: building one by name, choosing the first that works, the
`Presence` wrapper the day polls, and the survey `breakctl presence` shows.

The sources themselves (base.py: what a source is; x11, dbus, tools: the back-ends) sit below
this module. Each back-end imports its library or runs its tool only when first asked, so
building sources is free.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from breakctl.host.presence.base import PresenceError, Source
from breakctl.host.presence.settings import SOURCE_NAMES, PresenceSettings


def make_source(name: str, settings: PresenceSettings, env: Mapping[str, str]) -> Source:
    """The source called `name` (one of SOURCE_NAMES), reading what it needs from `env`."""
    # light: each imports its library lazily
    from breakctl.host.presence import dbus, tools, wayland, x11

    makers: dict[str, Callable[[], Source]] = {
        "x11": lambda: x11.X11Source(env),
        "gnome": lambda: dbus.GnomeSource(env),
        "wayland": lambda: wayland.WaylandSource(env),
        "freedesktop": lambda: dbus.FreedesktopSource(env),
        "logind": lambda: dbus.LogindSource(env),
        "macos": lambda: tools.MacosSource(env),
        "tmux": lambda: tools.TmuxSource(env),
        "command": lambda: tools.CommandSource(settings.command, env),
    }
    return makers[name]()


def candidates(settings: PresenceSettings, env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The sources `settings.source` allows, in the order they are tried. In a Wayland
    session (`WAYLAND_DISPLAY` in `env`) `wayland` goes first: x11 there is XWayland, which
    sees only the input that goes to X programs."""
    if settings.source == "none":
        return ()
    if settings.source != "auto":
        return (settings.source,)
    names = tuple(n for n in SOURCE_NAMES if n != "command" or settings.command is not None)
    if env is not None and env.get("WAYLAND_DISPLAY"):
        names = ("wayland", *(n for n in names if n != "wayland"))
    return names


class Presence:
    """The source in use for the day. `idle_s()` is None when presence is off or a reading
    failed; then `take_failure()` says why, once. A source that fails lets go of its
    connection and is kept: the next reading tries it afresh (the day's retry policy,
    core/presence_retry, decides when). Just after `open_presence`, `take_failure()` is the
    line saying why no source works, if one was named."""

    def __init__(self, source: Source | None, failure: str | None = None) -> None:
        self._source = source
        self._failure = failure

    @property
    def name(self) -> str:
        return self._source.name if self._source is not None else "none"

    def idle_s(self) -> float | None:
        source = self._source
        if source is None:
            return None
        try:
            return max(0.0, float(source.idle_s()))
        except Exception as exc:  # any failure: sensing must never end the day
            self._failure = (
                str(exc) if isinstance(exc, PresenceError) else (f"{type(exc).__name__}: {exc}")
            )
            with contextlib.suppress(Exception):  # a broken connection: drop it, retry afresh
                source.close()
            return None

    def take_failure(self) -> str | None:
        failure, self._failure = self._failure, None
        return failure

    def close(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None


def open_presence(settings: PresenceSettings, env: Mapping[str, str] | None = None) -> Presence:
    """The first source in `settings` order that works here. A named source that does not
    work gives presence off with a failure to report; `auto` finding none is just off."""
    env = os.environ if env is None else env
    why_not: str | None = None
    for name in candidates(settings, env):
        source = make_source(name, settings, env)
        works, why_not = source.probe()
        if works:
            return Presence(source)
        source.close()
    if settings.source in ("auto", "none"):
        return Presence(None)
    return Presence(
        None, f"presence: {settings.source} does not work here ({why_not}); presence is off"
    )


@dataclass(frozen=True)
class Probe:
    name: str
    works: bool
    why_not: str | None
    via: str | None = None  # what a working source reads through (the Wayland protocol)


@dataclass(frozen=True)
class Survey:
    """What `breakctl presence` shows: every source, the one in use, the idle time now."""

    configured: str
    sources: tuple[Probe, ...]
    in_use: str
    idle_s: float | None
    via: str | None = None  # what the source in use reads through, where it has a choice

    def to_json(self) -> dict[str, object]:
        return {
            "configured": self.configured,
            "sources": [
                {"name": p.name, "works": p.works, "why_not": p.why_not} for p in self.sources
            ],
            "in_use": self.in_use,
            "via": self.via,
            "idle_s": None if self.idle_s is None else round(self.idle_s, 3),
        }


def survey(settings: PresenceSettings, env: Mapping[str, str] | None = None) -> Survey:
    """Probe every source; use the one `open_presence` would, and read it once more (once
    it has settled: a `wayland` connection knows nothing of the time before it)."""
    env = os.environ if env is None else env
    probes: list[Probe] = []
    working: dict[str, Source] = {}
    try:
        for name in SOURCE_NAMES:
            source = make_source(name, settings, env)
            works, why_not = source.probe()
            probes.append(Probe(name, works, why_not, source.via))
            if works:
                working[name] = source
            else:
                source.close()
        chosen = next((working[n] for n in candidates(settings, env) if n in working), None)
        if chosen is not None:
            chosen.settle()
        presence = Presence(chosen)
        idle = presence.idle_s()
        via = None if chosen is None else chosen.via
        return Survey(settings.source, tuple(probes), presence.name, idle, via)
    finally:
        for source in working.values():
            source.close()
