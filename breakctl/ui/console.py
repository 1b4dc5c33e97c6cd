"""The console every screen prints to."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console


def make_console(*, stderr: bool = False, file: TextIO | None = None) -> Console:
    """A console that drops colour and animation when piped, and honours NO_COLOR (Rich reads
    both). Markup and emoji codes are off: nothing printed as a string is ever read as markup,
    whatever it contains; styled output is built from `Text`."""
    return Console(stderr=stderr, file=file, highlight=False, markup=False, emoji=False)


def live_screen(console: Console) -> bool:
    """Redraw screens in place only on a real terminal; otherwise print plain lines."""
    return console.is_terminal and not console.is_dumb_terminal
