"""The screens of `breakctl start` drawn with Rich: a break (its routine, or free movement),
and the wait between phases. `render_session_screen` also gives the work screen as text."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from breakctl.core.day import SessionSnapshot
from breakctl.core.durations import format_clock
from breakctl.ui.bigfont import big_text
from breakctl.ui.cells import literal
from breakctl.ui.routine_screen import render_routine_screen
from breakctl.ui.work_screen import block_label, work_frame

BREAK_KEYS_HINT = "space pause · n next step · s skip the rest · q quit"
GROWN = "This routine runs longer than the break; the break grows to fit it."


def render_session_screen(snapshot: SessionSnapshot, free_text: str) -> RenderableType:
    if snapshot.phase == "work":
        return Text("\n".join(work_frame(snapshot, 80, color=False)))
    if snapshot.phase == "break":
        if snapshot.routine is None:
            return _render_free(snapshot, free_text)
        why = literal(snapshot.reason, "dim italic") if snapshot.reason else Text("")
        extended = Text(GROWN, style="yellow") if snapshot.extended else Text("")
        return render_routine_screen(
            snapshot.routine,
            title_prefix=f"Break after {block_label(snapshot)} · ",
            subtitle=f"{format_clock(snapshot.remaining_s)} left · {BREAK_KEYS_HINT}",
            above=(why, extended),
        )
    if snapshot.phase == "wait":
        return Panel(
            Text("Ready when you are: press any key to go on, q to quit.", style="bold"),
            title="breakctl",
            padding=(1, 2),
        )
    return Text("")


def _render_free(snapshot: SessionSnapshot, free_text: str) -> RenderableType:
    remaining = snapshot.free_s if snapshot.free_s is not None else snapshot.remaining_s
    parts: list[RenderableType] = [
        Text("Free movement", style="bold green"),
        literal(free_text),
    ]
    if snapshot.reason and snapshot.reason != free_text:
        parts.append(literal(snapshot.reason, "dim italic"))
    parts += [Text(""), big_text(format_clock(remaining))]
    if snapshot.paused:
        parts.append(Text("paused · space to resume", style="reverse"))
    return Panel(
        Group(*parts),
        title=Text(f"Break after {block_label(snapshot)}"),
        subtitle=Text(f"{format_clock(snapshot.remaining_s)} left · {BREAK_KEYS_HINT}"),
        border_style="green",
        padding=(1, 2),
    )
