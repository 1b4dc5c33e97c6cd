"""A 3x5 block font for the big countdown; readable from across the room."""

from __future__ import annotations

from rich.text import Text

_BIG_FONT = {
    "0": ["███", "█ █", "█ █", "█ █", "███"],
    "1": [" ██", "  █", "  █", "  █", "  █"],
    "2": ["███", "  █", "███", "█  ", "███"],
    "3": ["███", "  █", "███", "  █", "███"],
    "4": ["█ █", "█ █", "███", "  █", "  █"],
    "5": ["███", "█  ", "███", "  █", "███"],
    "6": ["███", "█  ", "███", "█ █", "███"],
    "7": ["███", "  █", "  █", "  █", "  █"],
    "8": ["███", "█ █", "███", "█ █", "███"],
    "9": ["███", "█ █", "███", "  █", "███"],
    ":": [" ", "█", " ", "█", " "],
}


def big_rows(text: str) -> list[str]:
    """`text` (digits and colons) as five rows of block characters, one cell each."""
    return [" ".join(_BIG_FONT[ch][row] for ch in text if ch in _BIG_FONT) for row in range(5)]


def big_text(text: str) -> Text:
    return Text("\n".join(big_rows(text)), style="bold")
