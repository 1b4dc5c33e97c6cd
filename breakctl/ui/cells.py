"""Text shaped for the screen: widths in terminal cells, and data as literal Rich text.

A CJK character or most emoji take two cells and a combining mark none, so `len()` is not a
width: every width the ui computes goes through `cell_len`, `fit` or `clip`.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from breakctl.ui.text import safe

__all__ = ["cell_len", "clip", "fit", "literal"]


def clip(text: str, cells: int) -> str:
    """`text` cut to at most `cells` cells (a wide character that would straddle the edge is
    replaced by a space)."""
    return text if cell_len(text) <= cells else set_cell_size(text, cells)


def fit(text: str, cells: int) -> str:
    """`text` cut or padded with spaces to exactly `cells` cells."""
    return set_cell_size(text, max(0, cells))


def literal(value: object, style: str = "", *, newlines: bool = False) -> Text:
    """Data from a file, the history or a hook as Rich text: control characters made visible
    and `[...]` shown as written, never read as markup."""
    return Text(safe(str(value), newlines=newlines), style=style)
