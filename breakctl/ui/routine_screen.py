"""`breakctl routine`: the live routine screen, its plain-line twin for pipes, the summary.

Every title, name, cue and caution comes from a routine file or an exercise library: it is
shown through `literal`/`safe`, never as markup.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from rich.console import Console, RenderableType
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from breakctl.core.actions import ROUTINE, Action
from breakctl.core.durations import format_clock, format_duration
from breakctl.core.model import Routine, Step, describe_dose
from breakctl.core.pacing import Chime, beat_of
from breakctl.core.routine_run import (
    Event,
    Snapshot,
)
from breakctl.core.timeline import (
    BREATH_PHASES,
    EXHALE,
    HOLD,
    HOLD_OUT,
    INHALE,
    LET_GO,
    REP,
    Beat,
    Segment,
)
from breakctl.ui.bigfont import big_text
from breakctl.ui.cells import cell_len, literal
from breakctl.ui.exercise_parts import exercise_parts, safety_part
from breakctl.ui.keyhints import key_hint
from breakctl.ui.layout import Part, fit_panel, inner_width, part

TICKS_MAX = 40  # more reps than this get no row of ticks
POSTURE_S = 30.0  # the posture reset shows in a break's last seconds


def _ticks(beat: Beat) -> str:
    """One tick per rep: done, under way, to come."""
    if beat.rep is None or beat.reps is None or beat.reps > TICKS_MAX:
        return ""
    done = beat.rep if beat.kind == LET_GO else beat.rep - 1
    current = "" if beat.kind == LET_GO else "◐"
    return "●" * done + current + "○" * (beat.reps - done - len(current))


# What each phase of a breath is called on screen and in plain lines.
PHASE_WORDS = {INHALE: "breathe in", "hold-in": "hold", EXHALE: "breathe out", HOLD_OUT: "hold"}


def breath_fill(beat: Beat) -> float:
    """How full the breath bar is: filling on the breath in, full while held, emptying on the
    breath out, empty while held out."""
    done = 1.0 - beat.remaining_s / beat.seconds if beat.seconds else 1.0
    return {INHALE: done, EXHALE: 1.0 - done, HOLD_OUT: 0.0}.get(beat.kind, 1.0)


def _beat_label(beat: Beat | None, step: Step, ticks: bool = True) -> Text:
    """'hold 3 of 8', 'let go · 3 of 8 done' or 'rep 5 of 20 · 3s each', and a tick per rep."""
    if beat is None:
        return Text("")
    if beat.kind in BREATH_PHASES:
        label = Text.assemble((PHASE_WORDS[beat.kind], "bold cyan"))
        label.append(f" · breath {beat.rep} of {beat.reps}", "dim")
        return label
    if beat.rep is None:
        return Text("hold", style="bold green")
    row = _ticks(beat) if ticks else ""
    if beat.kind == HOLD:
        label = Text.assemble((f"hold {beat.rep} of {beat.reps}", "bold green"))
    elif beat.kind == LET_GO:
        label = Text.assemble(("let go", "bold cyan"), f" · {beat.rep} of {beat.reps} done")
    else:
        label = Text.assemble((f"rep {beat.rep} of {beat.reps}", "bold"))
        label.append(f" · {format_duration(step.rep_s)} each", "dim")
    if row:
        label.append(f"  {row}", "magenta")
    return label


def _status_row(snapshot: Snapshot, beat: Beat | None, step: Step, inner: int) -> Table:
    """A progress bar (of the current hold, let-go or rep; else of the segment) and the label."""
    label = _beat_label(beat, step)
    if cell_len(label.plain) > inner - 10:  # narrow: the ticks give way to the bar
        label = _beat_label(beat, step, ticks=False)
    if beat is not None and beat.kind in BREATH_PHASES:
        total, done = 1.0, breath_fill(beat)
    elif beat is not None:
        total, done = beat.seconds, beat.seconds - beat.remaining_s
    else:
        segment = snapshot.segment
        total = segment.seconds if segment else 1.0
        done = min(snapshot.segment_elapsed_s, total)
    gap = 2 if label.plain else 0
    bar_width = max(8, min(40, inner - cell_len(label.plain) - gap))
    row = Table.grid(padding=(0, gap, 0, 0))
    row.add_row(ProgressBar(total=total or 1, completed=done, width=bar_width), label)
    return row


def countdown_forms(seconds: float) -> tuple[RenderableType, ...]:
    """The countdown in big digits, or on one line when the terminal is short."""
    clock = format_clock(seconds)
    return big_text(clock), Text(f"{clock} left", style="bold")


def _what_now(segment: Segment, step: Step, inner: int) -> list[Part]:
    """What to do now: get ready for the next exercise, switch sides, or the exercise itself."""
    exercise = step.exercise
    if segment.kind == "ready":
        return [
            part(Text("Get ready", style="bold cyan")),
            part(
                Text.assemble(
                    ("Next: ", "dim"),
                    literal(exercise.name, "bold"),
                    f"  ({describe_dose(step)}, ",
                    literal(exercise.position),
                    ")",
                )
            ),
            *exercise_parts(exercise, exercise.figure_for(None), inner),
        ]
    if segment.kind == "switch":
        figure = exercise.figure_for(segment.side)
        return [
            part(Text("Switch sides", style="bold magenta")),
            part(Text.assemble(literal(exercise.name, "bold"), f": now the {segment.side} side")),
            *([part(literal(figure, "cyan", newlines=True), rank=6)] if figure else []),
        ]
    side = f"  · {segment.side} side" if segment.side else ""
    return [
        part(
            Text.assemble(
                literal(exercise.name, "bold"),
                (side, "magenta"),
                (f"  {describe_dose(step)}", "dim"),
            )
        ),
        *exercise_parts(exercise, exercise.figure_for(segment.side), inner),
    ]


def _preview(routine: Routine, segment: Segment) -> list[Part]:
    """What comes after this step, on a work segment: the first thing to give way."""
    after = segment.step_index + 1
    if segment.kind != "work" or after >= len(routine.steps) or segment.side == "left":
        return []
    upcoming = routine.steps[after].exercise
    return [part(Text.assemble(("Then: ", "dim"), literal(upcoming.name, "dim")), rank=8)]


def render_routine_screen(
    snapshot: Snapshot,
    *,
    width: int = 80,
    height: int = 30,
    title_prefix: str = "",
    where: str = ROUTINE,
    above: Sequence[Part] = (),
    below: Sequence[Part] = (),
) -> RenderableType:
    """The routine at one instant, laid out to fit a `width` × `height` terminal. A break of
    `breakctl start` shows the same panel with its own title prefix, keys, and parts `above`
    and `below` the exercise."""
    routine, segment, step = snapshot.routine, snapshot.segment, snapshot.step
    name = literal(routine.title)
    inner = inner_width(width)
    if segment is None or step is None:
        parts = [*above, part(Text("Done.", style="bold green")), *below]
        return fit_panel(
            parts,
            width=width,
            height=height,
            titles=[Text(title_prefix) + name, name],
            footer=lambda room: key_hint(where, room, without=(Action.NEXT,)),
        )
    beat = beat_of(snapshot)
    # a held rep counts down its own hold or let-go; anything else counts down the segment
    timed = beat is not None and beat.rep is not None and beat.kind != REP
    clock = beat.remaining_s if timed and beat else snapshot.segment_remaining_s
    parts = [
        *above,
        *_what_now(segment, step, inner),
        *_preview(routine, segment),
        part(Text(""), rank=9),
        part(*countdown_forms(clock)),
        part(_status_row(snapshot, beat, step, inner)),
    ]
    if snapshot.paused:
        paused = f"paused {format_clock(snapshot.paused_for_s)} · space to resume"
        parts.append(part(Text(paused, style="reverse")))
    parts.extend(below)
    of = f"step {segment.step_index + 1} of {len(routine.steps)}"
    titles = [Text(title_prefix) + name + f" · {of}", name + f" · {of}", Text(of)]
    left = f"{format_clock(snapshot.remaining_s)} left"
    return fit_panel(
        parts,
        width=width,
        height=height,
        titles=titles,
        footer=lambda room: key_hint(where, room, lead=left),
    )


class LiveRoutineView:
    """Redraws the routine screen in place, sized to the terminal; used when stdout is one.
    Rings the bell when a hold ends and at each switch of sides, unless `bell` is off."""

    def __init__(self, console: Console, *, bell: bool = True, safety: bool = False) -> None:
        self._console = console
        self._live = Live(console=console, auto_refresh=False, transient=True)
        self._chime = Chime(bell)
        self._safety = safety  # the first routine of the day: the safety line on its first step

    def __enter__(self) -> LiveRoutineView:
        self._live.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        # The terminal may be gone (window closed): that must not hide why we are exiting.
        with contextlib.suppress(OSError):
            self._live.__exit__(*exc)

    def update(self, events: Sequence[Event], snapshot: Snapshot) -> None:
        if self._chime.due(events, snapshot):
            self._console.bell()
        size = self._console.size
        first = snapshot.segment is not None and snapshot.segment.step_index == 0
        above = [safety_part()] if self._safety and first else []
        screen = render_routine_screen(snapshot, width=size.width, height=size.height, above=above)
        self._live.update(screen, refresh=True)
