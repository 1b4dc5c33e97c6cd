"""`command`: `[holds] command` holds while it exits 0; the first line it prints is the reason.

For everything the other sources cannot see (a softphone's state file, a meeting app's own
command line). Run through host/helper_run like every helper: its own process group, output
read with a deadline and a byte limit, killed with all it started when it runs too long.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime

from breakctl.core.holds import Hold, HoldsSettings
from breakctl.host.helper_run import HelperError, run_helper_status
from breakctl.host.holds.base import HoldError, HoldSource

TIMEOUT_S = 5.0  # read every 15 s: a check that takes longer is broken
MAX_BYTES = 4096  # a reason is one line
MAX_REASON = 80
SHELL_FAILURES = {126: "could not run", 127: "was not found"}


def first_line(out: bytes) -> str:
    """The reason a command gives: its first non-empty line, one line, cut to fit."""
    text = out.decode("utf-8", "replace")
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    line = "".join(ch for ch in line if ch.isprintable())
    return line[:MAX_REASON] + ("…" if len(line) > MAX_REASON else "")


class CommandSource(HoldSource):
    """A shell command: exit 0 holds (reason: its first line, else the command itself); any
    other exit does not. A command that cannot run (the shell's 126, 127), hangs, or is
    killed (a negative code, or the shell's 128 + the signal) cannot tell: HoldError."""

    name = "command"

    def __init__(self, command: str | None, env: Mapping[str, str]) -> None:
        self._command = command
        self._env = env

    def holds(self, now: datetime) -> list[Hold]:
        if not self._command:
            raise HoldError("no [holds] command set")
        label = f"command {self._command!r}"
        try:
            code, out, _ = run_helper_status(
                self._command, label, self._env, TIMEOUT_S, max_bytes=MAX_BYTES
            )
        except HelperError as exc:
            raise HoldError(str(exc)) from None
        signal = -code if code < 0 else code - 128 if 128 < code <= 128 + 64 else 0
        if signal:  # killed itself (exec'd by the shell), or the shell saw it killed
            raise HoldError(f"{label} was killed (signal {signal})")
        if code in SHELL_FAILURES:  # no answer from the command: it never ran
            raise HoldError(f"{label} {SHELL_FAILURES[code]} (exit {code})")
        if code != 0:
            return []
        return [Hold(self.name, first_line(out) or self._command)]


def source(settings: HoldsSettings, env: Mapping[str, str] | None = None) -> HoldSource:
    return CommandSource(settings.command, os.environ if env is None else env)
