"""A terminal emulator (pyte) fed with what a program wrote: the screen a person would see."""

from __future__ import annotations

import signal

import pyte


def interruptible() -> None:
    """pexpect's preexec_fn for a program a test sends Ctrl-C: it starts with SIGINT's default
    action. A test run started in the background (`pytest &`, some CI steps) has SIGINT
    ignored, the program inherits that, and Python leaves an ignored SIGINT ignored: Ctrl-C
    would do nothing and every Ctrl-C test fail, however long it waited."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """`columns` × `lines` cells; `write` takes output as it comes (a pexpect logfile too)."""

    def __init__(self, columns: int, lines: int) -> None:
        self.screen = pyte.Screen(columns, lines)
        self.screen.set_mode(pyte.modes.LNM)  # a newline returns the carriage too, as a tty does
        self._stream = pyte.Stream(self.screen)

    def write(self, text: str) -> None:
        self._stream.feed(text)

    def flush(self) -> None:
        pass

    def rows(self) -> list[str]:
        return [row.rstrip() for row in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.rows())

    def row_of(self, needle: str) -> int:
        """The first row that holds `needle` (-1: none)."""
        return next((i for i, row in enumerate(self.rows()) if needle in row), -1)
