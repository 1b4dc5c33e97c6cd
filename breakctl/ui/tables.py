"""The listings: routines, one routine's steps, exercises, history records and presets.

Every cell that holds data from a file (routine and exercise files, config, the history) is
built with `literal`: control characters made visible, `[...]` never read as markup.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from breakctl.core.durations import format_clock, format_duration, plural
from breakctl.core.model import Routine, describe_dose
from breakctl.core.safety import SAFETY
from breakctl.ui.cells import cell_len, literal
from breakctl.ui.exercise_parts import link_text

if TYPE_CHECKING:  # a type only: `presets` and `routine list` need not load msgspec
    from breakctl.core.records import Record


def _table(*columns: str, right: Sequence[str] = (), overflow: str = "ellipsis") -> Table:
    """A borderless table with bold headers; `right` names the right-aligned columns."""
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in columns:
        justify = "right" if column in right else "left"
        table.add_column(column, justify=justify, overflow=overflow)  # type: ignore[arg-type]
    return table


def routine_table(rows: Sequence[dict[str, Any]], shadowing: Container[str] = ()) -> Table:
    """`shadowing`: the names of the user's routines that replace a built-in one."""
    table = _table("name", "title", "min", "steps", "source", right=("min", "steps"))
    for row in rows:
        shadows = row["name"] in shadowing
        table.add_row(
            literal(row["name"]),
            literal(row["title"]),
            f"{row['minutes']:g}",
            str(row["steps"]),
            literal(row["source"] + (", shadows built-in" if shadows else "")),
        )
    return table


def routine_detail(routine: Routine) -> RenderableType:
    # The figure keeps a fixed column; the text column wraps, except ids (users copy them).
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1, 1, 1))
    table.add_column("#", justify="right")
    table.add_column("exercise (id) · position · dose · time", ratio=1)
    table.add_column("figure", no_wrap=True)
    for number, step in enumerate(routine.steps, start=1):
        exercise = step.exercise
        about = Text.assemble(
            literal(exercise.name, "bold"),
            "\n",
            literal(exercise.id, "dim"),
            "\n",
            literal(f"{exercise.position} · {describe_dose(step)} · {format_clock(step.seconds)}"),
        )
        for label, text in (("Start: ", exercise.start), ("Feel it: ", exercise.feel)):
            if text:
                about.append_text(Text.assemble("\n", (label, "bold"), literal(text)))
        if exercise.caution:
            about.append_text(Text.assemble("\n! ", literal(exercise.caution), style="yellow"))
        if exercise.easier or exercise.harder:
            about.append_text(Text.assemble("\n", literal(link_text(exercise), "dim")))
        table.add_row(str(number), about, literal(exercise.figure or "", "cyan", newlines=True))
    heading = Text.assemble(
        literal(routine.title, "bold"), "  (", literal(f"{routine.name}, {routine.source}"), ")"
    )
    footer = Text(
        f"{plural(len(routine.steps), 'step')}, {format_clock(routine.planned_s)} in all "
        f"including {format_duration(routine.rest_s)} to get ready before each step.",
    )
    parts: list[RenderableType] = [heading]
    if routine.summary:
        parts.append(literal(routine.summary, newlines=True))
    return Group(*parts, Text(""), table, Text(""), footer, Text(SAFETY, style="yellow"))


class _ExerciseTable:
    """Ids are what people copy into routine files: never cut. The other columns wrap, and on
    a narrow terminal they stack in one column beside the id."""

    def __init__(self, exercises: Sequence[Any]) -> None:
        self._exercises = exercises

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        ids = [literal(ex.id) for ex in self._exercises]
        widest = max((cell_len(text.plain) for text in ids), default=2)
        table = Table(box=None, header_style="bold", pad_edge=False)
        table.add_column("id", no_wrap=True, min_width=widest)
        if options.max_width - widest >= 60:
            for column in ("name", "position", "targets", "dose"):
                table.add_column(column, overflow="fold")
            for text, ex in zip(ids, self._exercises, strict=True):
                table.add_row(
                    text,
                    literal(ex.name),
                    literal(ex.position),
                    literal(", ".join(ex.targets)),
                    describe_dose(ex),
                )
        else:
            table.add_column("name · position · dose · targets", overflow="fold")
            for text, ex in zip(ids, self._exercises, strict=True):
                about = Text.assemble(
                    literal(ex.name, "bold"),
                    "\n",
                    literal(f"{ex.position} · {describe_dose(ex)}"),
                    "\n",
                    literal(", ".join(ex.targets), "dim"),
                )
                table.add_row(text, about)
        yield table


def exercise_table(exercises: Sequence[Any]) -> RenderableType:
    return _ExerciseTable(exercises)


class _HistoryTable:
    """Ids are what `breakctl history edit ID` takes: never cut, down to 60 columns (the
    narrowest screen breakctl lays out). Below 80 the start's time goes under its day and the
    outcome under the routine, and the routine and outcome fold instead."""

    def __init__(self, records: Sequence[Record]) -> None:
        self._records = records

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        narrow = options.max_width < 80
        table = Table(box=None, header_style="bold", pad_edge=False)
        table.add_column("started", no_wrap=True)
        table.add_column("kind", no_wrap=True)
        for name in ("routine\noutcome",) if narrow else ("routine", "outcome"):
            table.add_column(name, overflow="fold")
        table.add_column("planned", justify="right", no_wrap=True)
        table.add_column("active", justify="right", no_wrap=True)
        table.add_column("id", no_wrap=True, min_width=8)
        started = "%Y-%m-%d\n%H:%M" if narrow else "%Y-%m-%d %H:%M"
        for record in self._records:
            planned = record.planned_s
            routine, outcome = literal(record.routine or ""), literal(record.outcome)
            what = [Text.assemble(routine, "\n", outcome)] if narrow else [routine, outcome]
            table.add_row(
                record.started.strftime(started),
                literal(record.kind),
                *what,
                format_clock(planned) if planned is not None else "",
                format_clock(record.active_s),
                literal(record.id[:8]),  # short: `history edit ID` takes a unique start
            )
        yield table


def history_table(records: Sequence[Record]) -> RenderableType:
    return _HistoryTable(records)


def render_presets(rows: Sequence[dict[str, Any]]) -> Table:
    columns = ("name", "work", "break", "long_break", "routines", "source")
    table = _table(*(c.replace("_", " ") for c in columns), overflow="fold")
    for row in rows:
        cells = [literal(row[c]) for c in columns]
        if row.get("note"):  # the safety line of the pain presets
            cells[-1].append_text(Text.assemble("\n! ", literal(row["note"]), style="yellow"))
        table.add_row(*cells)
    return table
