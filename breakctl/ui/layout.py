"""A panel laid out by priority to fit the terminal: what matters most (the countdown, the step,
the keys) always stays; lesser parts give way first, by rank, or shrink to a shorter form.

The panel is one column narrower than the terminal, like the work frame, so the border does
not jump between work and break (and writing the last column cannot leave a pending wrap).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from breakctl.ui.cells import cell_len

ALWAYS = 0  # the rank of parts that never give way (they may still take a shorter form)

_MEASURE = Console(file=io.StringIO(), width=200, color_system=None, legacy_windows=False)


@dataclass(frozen=True)
class Part:
    """Something to show, in its fullest form first and shorter forms after; parts of a higher
    rank give way first (rank 0: never dropped)."""

    forms: tuple[RenderableType, ...]
    rank: int = ALWAYS
    kept: bool = False  # shrinks at its rank, but its shortest form never gives way


def part(*forms: RenderableType, rank: int = ALWAYS, kept: bool = False) -> Part:
    return Part(tuple(forms), rank, kept)


def height_of(renderable: RenderableType, width: int) -> int:
    """Rows `renderable` takes at `width` cells."""
    options = _MEASURE.options.update(width=width, height=None)
    return len(_MEASURE.render_lines(renderable, options, pad=False))


def panel_width(width: int) -> int:
    return max(24, width - 1)


def _hpad(outer: int) -> int:
    return 2 if outer >= 50 else 1


def inner_width(width: int) -> int:
    """Cells inside the panel's borders and padding on a `width`-cell terminal."""
    outer = panel_width(width)
    return outer - 2 - 2 * _hpad(outer)


def _choose(parts: Sequence[Part], inner: int, rows: int) -> list[RenderableType]:
    """The form of each part (or none) so that they fit in `rows` rows, if they can: the part
    of the highest rank (the later one on a tie) gives way first, one form at a time."""
    form = [0] * len(parts)  # index into forms; len(forms) means dropped
    cache: dict[tuple[int, int], int] = {}

    def rows_of(i: int) -> int:
        if form[i] >= len(parts[i].forms):
            return 0
        key = (i, form[i])
        if key not in cache:
            cache[key] = height_of(parts[i].forms[form[i]], inner)
        return cache[key]

    while sum(rows_of(i) for i in range(len(parts))) > rows:
        shrinkable = [
            i
            for i, p in enumerate(parts)
            if form[i] < len(p.forms) - 1
            or (p.rank > ALWAYS and not p.kept and form[i] < len(p.forms))
        ]
        if not shrinkable:
            break
        worst = max(shrinkable, key=lambda i: (parts[i].rank, i))
        form[worst] += 1
    return [p.forms[form[i]] for i, p in enumerate(parts) if form[i] < len(p.forms)]


def fit_panel(
    parts: Sequence[Part],
    *,
    width: int,
    height: int,
    titles: Sequence[Text],
    footer: Callable[[int], str],
    border_style: str = "",
) -> Panel:
    """A panel of `parts` no wider than `width - 1` and no taller than `height - 1` rows, with
    the first of `titles` that fits, and `footer(room)` (made to fit `room` cells) below."""
    outer = panel_width(width)
    hpad = _hpad(outer)
    inner = inner_width(width)
    rows = max(1, height - 1) - 2  # the borders
    room = outer - 6  # corners, a rule each side, a space each side
    title = next((t for t in titles if cell_len(t.plain) <= room), titles[-1])
    chosen = _choose(parts, inner, rows)
    used = sum(height_of(r, inner) for r in chosen)
    vpad = 1 if used + 2 <= rows else 0
    return Panel(
        Group(*chosen),
        title=title,
        subtitle=Text(footer(room)),
        width=outer,
        padding=(vpad, hpad),
        border_style=border_style,
    )
