"""`programs`: a program named in `[holds] programs` runs (OBS, a meeting app...).

Matched on the program's name, case aside: on Linux each process's `/proc/PID/comm` (the
kernel keeps its first 15 characters) and the last part of its argv[0]; on macOS the
executables a bounded `ps` lists. Any user's processes count: a recording may run as another.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from datetime import datetime

from breakctl.core.holds import Hold, HoldsSettings
from breakctl.host.helper_run import HelperError, run_helper
from breakctl.host.holds.base import HoldError, HoldSource

COMM_CHARS = 15  # TASK_COMM_LEN - 1: the kernel cuts longer names there
PS_TIMEOUT_S = 2.0
PS_MAX_BYTES = 4 << 20


def _names_of(argv0: bytes) -> set[str]:
    """The program names a process's argv[0] stands for: its last path part, and that of
    its first word when the process rewrote its command line into one string."""
    text = argv0.decode("utf-8", "replace")
    return {os.path.basename(text).lower(), os.path.basename(text.split(" ")[0]).lower()}


def linux_programs(proc: str = "/proc") -> Iterable[tuple[str, set[str]]]:
    """(comm, argv[0] names) of every process that can be read; a process that ends while
    it is read is passed over."""
    try:
        entries = os.scandir(proc)
    except OSError as exc:
        raise HoldError(f"cannot list processes in {proc}: {exc.strerror}") from None
    with entries:
        for entry in entries:
            if not entry.name.isdigit():
                continue
            try:
                with open(f"{entry.path}/comm", "rb") as handle:
                    comm = handle.read(64).strip().decode("utf-8", "replace").lower()
                with open(f"{entry.path}/cmdline", "rb") as handle:
                    argv0 = handle.read(4096).split(b"\0", 1)[0]
            except OSError:
                continue
            yield comm, _names_of(argv0) if argv0 else set()


def macos_programs(env: Mapping[str, str]) -> Iterable[tuple[str, set[str]]]:
    try:
        out = run_helper(["ps", "-axo", "comm="], "ps", env, PS_TIMEOUT_S, max_bytes=PS_MAX_BYTES)
    except HelperError as exc:
        raise HoldError(str(exc)) from None
    for line in out.splitlines():
        names = _names_of(line.strip())
        yield "", names


class ProgramsSource(HoldSource):
    """Holds while any of `programs` runs; the reason is the program's name as configured."""

    name = "programs"

    def __init__(
        self,
        programs: tuple[str, ...],
        env: Mapping[str, str],
        platform: str = sys.platform,
        proc: str = "/proc",
    ) -> None:
        self._programs = programs
        self._env = env
        self._platform = platform
        self._proc = proc

    def _running(self) -> Iterable[tuple[str, set[str]]]:
        if self._platform == "darwin":
            return macos_programs(self._env)
        if os.path.isdir(self._proc):
            return linux_programs(self._proc)
        raise HoldError(f"cannot list programs here (no {self._proc})")

    def holds(self, now: datetime) -> list[Hold]:
        if not self._programs:
            raise HoldError("no [holds] programs set")
        wanted = {program.lower(): program for program in self._programs}
        found: set[str] = set()
        for comm, names in self._running():
            for key in wanted:
                if key in names or comm == key[:COMM_CHARS]:
                    found.add(key)
            if len(found) == len(wanted):
                break
        return [Hold(self.name, wanted[key]) for key in wanted if key in found]


def source(settings: HoldsSettings, env: Mapping[str, str] | None = None) -> HoldSource:
    return ProgramsSource(settings.programs, os.environ if env is None else env)
