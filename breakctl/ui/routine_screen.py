"""`breakctl routine`: the live routine screen, its plain-line twin for pipes, the summary.

Every title, name, cue and caution comes from a routine file or an exercise library: it is
shown through `literal`/`safe`, never as markup.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from breakctl.core.clock import Clock
from breakctl.core.durations import format_clock, format_duration
from breakctl.core.model import Routine, Step, describe_dose
from breakctl.core.records import Record
from breakctl.core.routine_run import (
    Event,
    Finished,
    Paused,
    Resumed,
    SegmentStarted,
    Snapshot,
    StepSkipped,
)
from breakctl.core.safety import POSTURE_RESET
from breakctl.core.timeline import Segment
from breakctl.ui.bigfont import big_text
from breakctl.ui.cells import literal
from breakctl.ui.text import safe

ROUTINE_KEYS_HINT = "space pause · n next step · q quit"


def _segment_lines(segment: Segment, step: Step) -> list[RenderableType]:
    """What to do now: get ready for the next exercise, switch sides, or the exercise itself."""
    exercise = step.exercise
    if segment.kind == "ready":
        return [
            Text("Get ready", style="bold cyan"),
            Text.assemble(
                ("Next: ", "dim"),
                literal(exercise.name, "bold"),
                f"  ({describe_dose(step)}, ",
                literal(exercise.position),
                ")",
            ),
            Text.assemble("  ", literal(exercise.cues[0])),
        ]
    if segment.kind == "switch":
        return [
            Text("Switch sides", style="bold magenta"),
            Text.assemble(literal(exercise.name), f": now the {segment.side} side"),
        ]
    side = f"  · {segment.side} side" if segment.side else ""
    lines: list[RenderableType] = [
        Text.assemble(
            literal(exercise.name, "bold"), (side, "magenta"), (f"  {describe_dose(step)}", "dim")
        )
    ]
    lines.extend(Text.assemble("  • ", literal(cue)) for cue in exercise.cues)
    if exercise.caution:
        lines.append(Text.assemble("  ! ", literal(exercise.caution), style="yellow"))
    return lines


def render_routine_screen(
    snapshot: Snapshot,
    *,
    title_prefix: str = "",
    subtitle: str | None = None,
    above: Sequence[RenderableType] = (),
) -> RenderableType:
    """The full-screen panel for one instant of a routine. A break of `breakctl start` shows
    the same panel with its own title prefix, subtitle and lines `above` the exercise."""
    routine, segment, step = snapshot.routine, snapshot.segment, snapshot.step
    title = Text.assemble(title_prefix, literal(routine.title))
    if segment is None or step is None:
        done_text = Text("Done.", style="bold green")
        return Panel(
            Group(*above, done_text) if above else done_text,
            title=title,
            subtitle=None if subtitle is None else Text(subtitle),
        )
    parts = [*above, *_segment_lines(segment, step), Text("")]
    parts.append(big_text(format_clock(snapshot.segment_remaining_s)))
    done = min(snapshot.segment_elapsed_s, segment.seconds)
    label = ""
    if snapshot.rep is not None and step.reps is not None:
        label = f"rep {snapshot.rep} of {step.reps}" + (" (hold)" if step.hold_s else "")
    bar_row = Table.grid(padding=(0, 2))
    bar_row.add_row(ProgressBar(total=segment.seconds or 1, completed=done, width=40), label)
    parts.append(bar_row)
    if snapshot.paused:
        paused = f"paused {format_clock(snapshot.paused_for_s)} · space to resume"
        parts.append(Text(paused, style="reverse"))
    title.append(f" · step {segment.step_index + 1} of {len(routine.steps)}")
    if subtitle is None:
        subtitle = f"{format_clock(snapshot.remaining_s)} left · {ROUTINE_KEYS_HINT}"
    return Panel(Group(*parts), title=title, subtitle=Text(subtitle), padding=(1, 2))


class LiveRoutineView:
    """Redraws the routine screen in place; used when stdout is a terminal."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._live = Live(console=console, auto_refresh=False, transient=True)

    def __enter__(self) -> LiveRoutineView:
        self._live.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        # The terminal may be gone (window closed): that must not hide why we are exiting.
        with contextlib.suppress(OSError):
            self._live.__exit__(*exc)

    def update(self, events: Sequence[Event], snapshot: Snapshot) -> None:
        if any(isinstance(e, SegmentStarted) and e.segment.kind == "switch" for e in events):
            self._console.bell()
        self._live.update(render_routine_screen(snapshot), refresh=True)


class PlainRoutineView:
    """One timestamped line per change, no escape codes: for pipes, logs and CI."""

    def __init__(self, console: Console, clock: Clock) -> None:
        self._console = console
        self._clock = clock

    def __enter__(self) -> PlainRoutineView:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def line(self, text: str) -> None:
        """Every plain line goes out here, made safe: it may quote a file or a hook."""
        self._console.print(safe(text), markup=False, highlight=False, soft_wrap=True)

    def say(self, text: str) -> None:
        self.line(f"{self._clock.now():%H:%M:%S}  {text}")

    def update(self, events: Sequence[Event], snapshot: Snapshot) -> None:
        for event in events:
            if isinstance(event, SegmentStarted):
                self._segment_started(snapshot.routine, event.segment)
            elif isinstance(event, Paused):
                self.say("paused")
            elif isinstance(event, Resumed):
                self.say(f"resumed after {format_duration(event.paused_s)}")
            elif isinstance(event, StepSkipped):
                self.say(f"skipped step {event.step_index + 1}")
            elif isinstance(event, Finished):
                self.say(f"{snapshot.routine.title}: {event.outcome}")

    def _segment_started(self, routine: Routine, segment: Segment) -> None:
        step = routine.steps[segment.step_index]
        name = step.exercise.name
        if segment.kind == "ready":
            self.say(f"get ready ({format_duration(segment.seconds)}): next is {name}")
            return
        if segment.kind == "switch":
            self.say(f"switch sides: {segment.side} side next")
            return
        side = f", {segment.side} side" if segment.side else ""
        if step.reps is not None:
            dose = f"{step.reps} reps, {format_duration(step.rep_s)} each"
        else:
            dose = f"hold {format_duration(segment.seconds)}"
        number = f"{segment.step_index + 1}/{len(routine.steps)}"
        self.say(f"step {number} {name}{side}: {dose}")
        if segment.side != "right":  # cues once per step, not again after the switch
            for cue in step.exercise.cues:
                self.line(f"          - {cue}")
            if step.exercise.caution:
                self.line(f"          ! {step.exercise.caution}")


def print_routine_summary(console: Console, routine: Routine, record: Record) -> None:
    done = sum(1 for s in record.steps or () if s.outcome == "done")
    verb = "done" if record.outcome == "completed" else "stopped"
    console.print(
        safe(
            f"{routine.title} {verb}: {done} of {len(routine.steps)} steps, "
            f"{format_clock(record.active_s)} moving."
        ),
        markup=False,
        highlight=False,
    )
    console.print(POSTURE_RESET, markup=False, highlight=False, soft_wrap=True)
