"""The screens of `breakctl start` drawn with Rich: a break (its routine, or free movement),
and the wait between phases, each laid out to fit the terminal. `render_session_screen` also
gives the work screen as text."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text

from breakctl.core.actions import BREAK, WAIT, Action
from breakctl.core.day import SessionSnapshot
from breakctl.core.day.off import off_until
from breakctl.core.durations import format_clock
from breakctl.core.safety import posture_reset
from breakctl.ui.cells import literal
from breakctl.ui.exercise_parts import safety_part
from breakctl.ui.keyhints import key_hint
from breakctl.ui.layout import Part, fit_panel, part
from breakctl.ui.routine_screen import POSTURE_S, countdown_forms, render_routine_screen
from breakctl.ui.session.message_line import message_parts
from breakctl.ui.session.work_frame import block_label, paused_line, work_frame

GROWN = "This routine runs longer than the break; the break grows to fit it."


def render_session_screen(
    snapshot: SessionSnapshot,
    free_text: str,
    *,
    width: int = 80,
    height: int = 30,
    safety: bool = False,
    message: str = "",
) -> RenderableType:
    """The screen for one instant of the day on a `width` × `height` terminal; `safety` adds
    the safety line (the first break of a day), `message` the message line (see message_line)."""
    if snapshot.phase == "work":
        frame = work_frame(snapshot, width, color=False, height=height, message=message)
        return Text("\n".join(frame))
    said = message_parts(message, width)
    if snapshot.phase == "break" and snapshot.waiting_for_you:
        what = snapshot.next_break_title or "free movement"
        lines = [
            part(Text("Time for a break", style="bold green")),
            part(Text.assemble("Next: ", literal(what, "bold"))),
            part(Text("It starts at your next key or mouse move.", style="dim")),
            *said,
        ]
        return fit_panel(lines, width=width, height=height,
                         titles=[Text(f"Break after {block_label(snapshot)}")],
                         footer=lambda room: key_hint(BREAK, room))  # fmt: skip
    if snapshot.phase == "break":
        above = _above(snapshot, free_text, safety)
        below = [*_below(snapshot), *said]
        if snapshot.routine is None:
            return _render_free(snapshot, free_text, width, height, above, below)
        return render_routine_screen(
            snapshot.routine,
            width=width,
            height=height,
            title_prefix=f"Break after {block_label(snapshot)} · ",
            where=BREAK,
            above=above,
            below=below,
        )
    if snapshot.phase == "off":
        left = format_clock(snapshot.remaining_s) if snapshot.resumes_at else ""
        rows = [Text(off_until(snapshot.resumes_at), style="bold")]
        if left:
            rows.append(Text(f"{left} to go", style="bold"))
        rows.append(Text("Outside working hours nothing counts; q quits.", style="dim"))
        return fit_panel([*(part(row) for row in rows), *said], width=width, height=height,
                         titles=[Text("breakctl · working hours")],
                         footer=lambda room: key_hint(WAIT, room))  # fmt: skip
    if snapshot.phase == "wait":
        text = Text("Ready when you are: press any key to go on, q to quit.", style="bold")
        return fit_panel([part(text), *said], width=width, height=height, titles=[Text("breakctl")],
                         footer=lambda room: key_hint(WAIT, room))  # fmt: skip
    return Text("")


def _above(snapshot: SessionSnapshot, free_text: str, safety: bool) -> list[Part]:
    """The safety line (never dropped, at least its short form), then why this routine (7)
    and the grown break (6)."""
    parts = []
    if safety:
        parts.append(safety_part())
    if snapshot.reason and snapshot.reason != free_text:
        parts.append(part(literal(snapshot.reason, "dim italic"), rank=7))
    if snapshot.extended and snapshot.routine is not None:
        parts.append(part(Text(GROWN, style="yellow"), rank=6))
    return parts


def _below(snapshot: SessionSnapshot) -> list[Part]:
    """In a break's last seconds: how to sit back down, or (a break spent in the chair) to
    stand soon; that one only once the routine is over, never in the middle of it."""
    if snapshot.remaining_s > POSTURE_S or (snapshot.seated and snapshot.routine is not None):
        return []
    return [part(Text(posture_reset(snapshot.seated), style="bold cyan"), rank=1)]


def _render_free(
    snapshot: SessionSnapshot,
    free_text: str,
    width: int,
    height: int,
    above: list[Part],
    below: list[Part],
) -> RenderableType:
    remaining = snapshot.free_s if snapshot.free_s is not None else snapshot.remaining_s
    parts = [
        part(Text("Free movement", style="bold green")),
        *above,
        part(literal(free_text), rank=4),
        part(Text(""), rank=9),
        part(*countdown_forms(remaining)),
    ]
    if snapshot.paused:
        parts.append(part(Text(paused_line(snapshot), style="reverse")))
    parts.extend(below)
    left = f"{format_clock(snapshot.remaining_s)} left"
    label = f"Break after {block_label(snapshot)}"
    return fit_panel(
        parts,
        width=width,
        height=height,
        titles=[Text(label), Text("Break")],
        footer=lambda room: key_hint(BREAK, room, without=(Action.NEXT,), lead=left),
        border_style="green",
    )
