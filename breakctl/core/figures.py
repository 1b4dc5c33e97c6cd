"""Small line-art figures of each pose: size rules, tidying and mirroring. Pure, no I/O."""

from __future__ import annotations

import unicodedata

MAX_LINES = 8
MAX_COLUMNS = 24

# Characters that point one way and must point the other way in a mirror image.
_PAIRS = (
    "/\\",
    "()",
    "<>",
    "[]",
    "{}",
    "╱╲",
    "┌┐",
    "└┘",
    "├┤",
    "╭╮",
    "╰╯",
    "┍┑",
    "┕┙",
    "┎┒",
    "┖┚",
    "╔╗",
    "╚╝",
    "╠╣",
    "◄►",
    "◀▶",
    "◁▷",
    "◢◣",
    "◥◤",
    "▌▐",
    "⌐¬",
    "↙↘",
    "↖↗",
    "←→",
    "⟨⟩",
    "«»",
    "‹›",
    "╼╾",
    "▖▗",
    "▘▝",
    "▙▟",
    "▛▜",
    "┏┓",
    "┗┛",
    "┣┫",
    "┞┦",
    "┡┩",
    "┢┪",
    "┝┥",
    "↻↺",
    "↶↷",
    "◂▸",
    "◃▹",
    "⤸⤹",
    "◝◜",
    "◟◞",
    "╘╛",
    "╒╕",
)
MIRROR = {}
for _pair in _PAIRS:
    _a, _b = _pair[0], _pair[-1]
    MIRROR[_a], MIRROR[_b] = _b, _a


def columns(text: str) -> int:
    """Terminal columns a line takes: wide (East Asian) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def tidy(figure: str) -> str:
    """Trailing spaces, blank first and last lines and the indent common to all lines removed."""
    lines = [line.rstrip() for line in figure.replace("\t", "    ").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    indent = min((len(line) - len(line.lstrip(" ")) for line in lines if line), default=0)
    return "\n".join(line[indent:] for line in lines)


def size(figure: str) -> tuple[int, int]:
    """(lines, columns) of a figure."""
    lines = figure.split("\n") if figure else []
    return len(lines), max((columns(line) for line in lines), default=0)


def problem(figure: str) -> str | None:
    """Why a figure cannot be used, or None when it fits the rules."""
    lines, width = size(figure)
    if lines == 0:
        return "figure: expected a small drawing, got an empty text"
    if lines > MAX_LINES or width > MAX_COLUMNS:
        return (
            f"figure: at most {MAX_LINES} lines of {MAX_COLUMNS} columns, "
            f"got {lines} lines of up to {width}"
        )
    return None


def mirror(figure: str) -> str:
    """The figure flipped left to right: each line padded to the figure's width, reversed,
    and every character that points one way swapped for its opposite."""
    _, width = size(figure)
    flipped = []
    for line in figure.split("\n"):
        padded = line + " " * (width - columns(line))
        flipped.append("".join(MIRROR.get(ch, ch) for ch in reversed(padded)).rstrip())
    return "\n".join(flipped)
