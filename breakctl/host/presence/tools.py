"""`macos`, `tmux` and `command`: idle time from a program's output.

Each reading runs the program once through host/helper_run (own process group, output read
with a deadline and a byte limit): a program that hangs is killed with everything it started.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Mapping, Sequence

from breakctl.host.helper_run import HelperError, run_helper
from breakctl.host.presence.base import PresenceError, Source

TIMEOUT_S = 2.0


def run_tool(
    argv: Sequence[str] | str, label: str, env: Mapping[str, str], timeout_s: float = TIMEOUT_S
) -> str:
    """The standard output, as text, of a program that finished well in time (a string
    `argv` runs in the shell); PresenceError saying what went wrong otherwise."""
    try:
        out = run_helper(argv, label, env, timeout_s)
    except HelperError as exc:
        raise PresenceError(str(exc)) from None
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PresenceError(
            f"{label} printed bytes that are not UTF-8 (at byte {exc.start})"
        ) from None


_HID_IDLE = re.compile(r'^[\s|]*"HIDIdleTime"\s*=\s*(\d+)\s*$', re.MULTILINE)


def parse_ioreg(text: str) -> float:
    """Idle seconds from `ioreg -c IOHIDSystem` output: HIDIdleTime is in nanoseconds. With
    several IOHIDSystem entries, the smallest (the latest input) counts."""
    values = [int(v) for v in _HID_IDLE.findall(text)]
    if not values:
        raise PresenceError("ioreg printed no HIDIdleTime")
    return min(values) / 1e9


class MacosSource(Source):
    name = "macos"

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def idle_s(self) -> float:
        return parse_ioreg(run_tool(["ioreg", "-c", "IOHIDSystem"], "ioreg (macOS)", self._env))


class TmuxSource(Source):
    """The newest `client_activity` (epoch seconds) of the clients attached to the tmux server
    breakctl runs in ($TMUX names its socket). With every client detached, the newest
    `session_activity` stands in: nobody has typed since."""

    name = "tmux"

    def __init__(self, env: Mapping[str, str], now: Callable[[], float] = time.time) -> None:
        self._env = env
        self._socket = env.get("TMUX", "").split(",")[0]
        self._now = now

    def idle_s(self) -> float:
        if not self._socket:
            raise PresenceError("not inside tmux (TMUX is not set)")
        newest = self._newest("list-clients", "#{client_activity}")
        if newest is None:
            newest = self._newest("list-sessions", "#{session_activity}")
        if newest is None:
            raise PresenceError("tmux has no clients and no sessions")
        return max(0.0, self._now() - newest)

    def _newest(self, command: str, field: str) -> float | None:
        argv = ["tmux", "-S", self._socket, command, "-F", field]
        out = run_tool(argv, "tmux", self._env)
        try:
            stamps = [float(line) for line in out.split()]
        except ValueError:
            raise PresenceError(f"tmux {command} printed {out.strip()[:40]!r}") from None
        return max(stamps, default=None)


class CommandSource(Source):
    """[presence] command: any shell command that prints the idle time in milliseconds."""

    name = "command"

    def __init__(self, command: str | None, env: Mapping[str, str]) -> None:
        self._command = command
        self._env = env

    def idle_s(self) -> float:
        if not self._command:
            raise PresenceError("no [presence] command set")
        out = run_tool(self._command, f"command {self._command!r}", self._env)
        try:
            ms = float(out.strip())
        except ValueError:
            raise PresenceError(
                f"command {self._command!r} printed {out.strip()[:40]!r}, not milliseconds"
            ) from None
        if not (math.isfinite(ms) and ms >= 0):
            raise PresenceError(f"command {self._command!r} printed {ms:g}, not milliseconds")
        return ms / 1000.0
