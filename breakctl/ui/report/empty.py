"""The review of days with nothing recorded: all an empty history's `breakctl stats` prints,
without the figures' screens (ui/report/terminal.py)."""

from __future__ import annotations

from datetime import date

from rich.console import Group, RenderableType
from rich.text import Text


def render_empty(start: date, end: date) -> RenderableType:
    """The days' heading, and how to fill them."""
    return Group(
        heading(start, end),
        Text(""),
        Text("Nothing recorded in these days yet.", style="bold"),
        Text(
            "Run `breakctl start` for work/break cycles, or `breakctl routine micro` for a "
            "one-minute break right now; this page fills in as you go."
        ),
    )


def heading(start: date, end: date) -> Text:
    return Text(f"{start:%a %d %b} – {end:%a %d %b %Y}", style="bold")
