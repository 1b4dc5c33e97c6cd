"""How one exercise shows on a routine or break screen: its cues beside the figure, the start
and feel lines, its caution, easier and harder versions, and the safety line before the first
routine of a day. Each is a Part that gives way by rank when the terminal is small.

Every name, cue and caution comes from a routine file or an exercise library: shown through
`literal`, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from breakctl.core.model import Exercise
from breakctl.core.safety import SAFETY, SAFETY_SHORT
from breakctl.ui.cells import cell_len, literal
from breakctl.ui.layout import Part, part

FIGURE_GAP = 3
CUES_MIN = 30  # the figure goes beside the cues only when they keep this many cells


def _figure(figure: str | None) -> Text | None:
    return literal(figure, "cyan", newlines=True) if figure else None


def cell_len_block(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


def _bullets(items: Sequence[str]) -> Table:
    """A bulleted list whose wrapped lines stay indented under their text."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row("•", literal(item))
    return grid


def _cues(exercise: Exercise, figure: str | None, inner: int) -> tuple[RenderableType, ...]:
    """The cues, in their forms from fullest to shortest: beside the figure (when it fits),
    alone, the first one only."""
    cues = exercise.cues
    forms: list[RenderableType] = []
    drawing = _figure(figure)
    if drawing is not None and inner - cell_len_block(drawing) - FIGURE_GAP >= CUES_MIN:
        grid = Table.grid(padding=(0, FIGURE_GAP, 0, 0))
        grid.add_column(max_width=inner - cell_len_block(drawing) - FIGURE_GAP)
        grid.add_column(no_wrap=True)
        grid.add_row(_bullets(cues), drawing)
        forms.append(grid)
    forms.append(_bullets(cues))
    if len(cues) > 1:
        forms.append(_bullets(cues[:1]))
    return tuple(forms)


def _labelled(label: str, text: str, style: str) -> Text:
    return Text.assemble((label, f"bold {style}".strip()), literal(text, style))


def exercise_parts(exercise: Exercise, figure: str | None, inner: int) -> list[Part]:
    """Start (rank 6), the cues beside the figure (5), where to feel it (6), the caution (2),
    and easier/harder versions (8): where space allows, fullest first."""
    parts = []
    if exercise.start:
        parts.append(part(_labelled("Start: ", exercise.start, ""), rank=6))
    parts.append(part(*_cues(exercise, figure, inner), rank=5))
    if exercise.feel:
        parts.append(part(_labelled("Feel it: ", exercise.feel, "green"), rank=6))
    parts.extend(caution_parts(exercise))
    links = link_text(exercise)
    if links:
        parts.append(part(Text(links, style="dim"), rank=8))
    return parts


def link_text(exercise: Exercise) -> str:
    """'easier: Wall push-up · harder: Knee push-up' (the linked moves' names, else their
    ids), or '' for a move with neither."""
    links = [
        ("easier", exercise.easier_name or exercise.easier),
        ("harder", exercise.harder_name or exercise.harder),
    ]
    return " · ".join(f"{key}: {target}" for key, target in links if target)


def caution_parts(exercise: Exercise) -> list[Part]:
    if not exercise.caution:
        return []
    return [part(Text.assemble("! ", literal(exercise.caution), style="yellow"), rank=2)]


def safety_part() -> Part:
    """The safety line: in full where there is room, else (before the cues give way) one short
    line that points to `breakctl safety`; never gone, even on a 60 × 12 terminal."""
    return part(Text(SAFETY, style="yellow"), Text(SAFETY_SHORT, style="yellow"), rank=6, kept=True)
