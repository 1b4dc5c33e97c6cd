"""Turn SIGTERM and SIGHUP into an exception, so a run unwinds and records what it did."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from breakctl.core.errors import ExitStatus


class Terminated(BaseException):
    """Raised in the main thread when SIGTERM or SIGHUP arrives (BaseException, like Ctrl-C)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_status(self) -> ExitStatus:
        return ExitStatus.SIGHUP if self.signum == signal.SIGHUP else ExitStatus.SIGTERM


@contextmanager
def terminating_signals_raise() -> Iterator[None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise Terminated(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
