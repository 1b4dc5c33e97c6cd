"""The console every screen prints to."""

from __future__ import annotations

import io
import os
from typing import TextIO

from rich.console import Console


def make_console(*, stderr: bool = False, file: TextIO | None = None) -> Console:
    """A console that drops colour and animation when piped, and honours NO_COLOR (Rich reads
    both). Markup and emoji codes are off: nothing printed as a string is ever read as markup,
    whatever it contains; styled output is built from `Text`."""
    return Console(stderr=stderr, file=file, highlight=False, markup=False, emoji=False)


def whole_writes(stream: TextIO) -> TextIO:
    """`stream` as it is, or, on a terminal, a buffered text stream on the same terminal, which
    writes every byte it is given.

    A write to a terminal can be cut short by a signal (the kernel takes it in 2 KB pieces;
    a hook or notifier child exiting while a screen is drawn is enough). A buffered writer
    writes the rest; with PYTHONUNBUFFERED=1 or `python -u`, sys.stdout writes straight to
    the file descriptor and silently drops it: the terminal misses the end of a screen and
    the cursor moves that bring the next one back to its top row."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        return stream
    if not os.isatty(fd):
        return stream
    stream.flush()  # what was written before comes first
    raw = io.FileIO(fd, "w", closefd=False)  # the descriptor stays the stream's to close
    return io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=True,
    )


def live_screen(console: Console) -> bool:
    """Redraw screens in place only on a real terminal; otherwise print plain lines."""
    return console.is_terminal and not console.is_dumb_terminal
