"""A day opening its socket: its screens and keys become DayScreens and DayKeys, and its host
learns its mode and how many screens show it."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass

from breakctl.host.day.address import socket_path
from breakctl.host.day.protocol import Ended, encode
from breakctl.host.day.screens import DayKeys, DayScreens
from breakctl.host.day.server import DayServer
from breakctl.host.keys import KeySource, TerminalKeys
from breakctl.host.session.host import SessionHost
from breakctl.host.session.ports import SessionView
from breakctl.store.paths import Paths


@dataclass
class PublishedDay:
    screens: DayScreens
    keys: KeySource
    server: DayServer | None
    problem: str | None  # why no screen can attach (the day runs on without its socket)

    def close(self) -> None:
        """The day is over, its records written: attached screens are told so, then let go."""
        if self.server is not None:
            self.server.close(farewell=encode(Ended()))
            self.server = None


def publish_day(
    paths: Paths,
    env: Mapping[str, str],
    host: SessionHost,
    *,
    view: SessionView,
    keys: KeySource,
    mode: str,
    free_text: str,
    bell: bool,
) -> PublishedDay:
    """The day's socket opened, with this process's `view` (a foreground screen, or the plain
    lines of a headless day) and `keys` (a terminal's, or none) among its screens and keys."""
    screens = DayScreens(view, mode=mode, free_text=free_text, bell=bell)
    server = DayServer(socket_path(paths, env), screens.hello, lambda _: host.screens_changed())
    host.mode = mode
    host.screens = lambda: screens.attached
    try:
        server.open()
    except OSError as exc:
        with contextlib.suppress(OSError):
            server.close()
        reason = exc.strerror or str(exc)
        problem = f"no screen can attach to this day: {server.path}: {reason}"
        return PublishedDay(screens, keys, None, problem)
    screens.server = server
    terminal = keys if isinstance(keys, TerminalKeys) else None
    return PublishedDay(screens, DayKeys(server, terminal), server, None)
