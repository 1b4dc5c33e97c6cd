"""Short-lived helper programs (a sound player, a speech command) started without waiting:
each in its own process group, its output thrown away unread (so it costs no bytes here),
stopped when it outlives its time limit or when a newer one takes its place. Nothing here
ever blocks the caller's clock.

The programs are started by the one helper runner (host/helper_run.Detached): this module
only keeps their time limits and cuts one short when a newer one takes its place."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from breakctl.host.helper_run import Detached

DEFAULT_LIMIT_S = 10.0  # a chime lasts a second, a phrase a few: ten is a hung program


@dataclass
class _Child:
    process: Detached
    deadline: float  # on the monotonic clock
    name: str  # the program, for a failure line


@dataclass
class Helpers:
    """The helper programs of one kind (players, or speech) that may be running now."""

    limit_s: float = DEFAULT_LIMIT_S
    env: Mapping[str, str] | None = None
    monotonic: Callable[[], float] = time.monotonic
    _children: list[_Child] = field(default_factory=list)
    _dying: list[Detached] = field(default_factory=list)  # killed, to reap
    failures: list[str] = field(default_factory=list)  # one line per failure, to report

    def start(self, argv: Sequence[str], *, cut_previous: bool = False) -> bool:
        """Start `argv`; with `cut_previous`, stop the ones still running first (a new phrase
        cuts the old one short rather than queueing behind it). False when it cannot run."""
        self.reap()
        if cut_previous:
            for child in self._children:
                self._cut(child.process)
            self._children.clear()
        try:
            process = Detached(argv, self.env)
        except OSError as exc:
            self.failures.append(f"{argv[0]}: {exc.strerror}")
            return False
        self._children.append(_Child(process, self.monotonic() + self.limit_s, argv[0]))
        return True

    def reap(self) -> None:
        """Collect the finished ones (noting failures), stop the ones past their limit."""
        now, running = self.monotonic(), []
        for child in self._children:
            code = child.process.poll()
            if code is None and now >= child.deadline:
                self._cut(child.process)
                self.failures.append(f"{child.name}: stopped after {self.limit_s:g}s")
            elif code is None:
                running.append(child)
            elif code != 0:
                self.failures.append(f"{child.name}: exit {code}")
        self._children = running
        self._dying = [process for process in self._dying if process.poll() is None]

    def _cut(self, process: Detached) -> None:
        process.kill()
        self._dying.append(process)  # reaped by a later reap(): the caller never waits

    @property
    def running(self) -> int:
        return sum(1 for child in self._children if child.process.poll() is None)

    def take_failures(self) -> list[str]:
        found, self.failures = self.failures, []
        return found

    def wait(self, seconds: float) -> None:
        """Give the running ones up to `seconds` in all to finish (`notify --test` plays one
        sound after another; a run's last phrase is let finish), then stop the rest."""
        end = time.monotonic() + seconds  # real waiting, on the real clock
        for child in self._children:
            child.process.wait(end - time.monotonic())
        self.reap()
        self.close()

    def close(self) -> None:
        """At the end: nothing of ours keeps playing or speaking after we are gone."""
        for child in self._children:
            self._cut(child.process)
        self._children.clear()
        for process in self._dying:  # SIGKILL: gone at once; the wait is bounded all the same
            process.wait(1.0)
        self._dying.clear()
