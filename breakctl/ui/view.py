"""Everything the user sees, drawn with Rich. The only module that imports Rich."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, TextIO

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from breakctl.core.clock import Clock
from breakctl.core.day import (
    BreakPostponed,
    BreakStarted,
    FreeMovementStarted,
    HeadsUp,
    LimitReached,
    NextBreakSkipped,
    OffHours,
    PausedUntil,
    PauseOver,
    PhasePaused,
    PhaseResumed,
    Recorded,
    RoutineEvent,
    SessionEnded,
    SessionEvent,
    SessionSnapshot,
    StandUp,
    Suspended,
    Waiting,
    WorkHoursBegin,
    WorkStarted,
)
from breakctl.core.day.off import off_until
from breakctl.core.durations import format_clock, format_duration, format_minutes, plural
from breakctl.core.model import Routine, describe_dose
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
from breakctl.core.safety import POSTURE_RESET, SAFETY
from breakctl.core.stats import HABIT_DAYS, WeekStats
from breakctl.core.stats_hours import busy_hours, heat_rows, shade
from breakctl.core.timeline import Segment
from breakctl.core.trend import TrendWeek

ROUTINE_KEYS_HINT = "space pause · n next step · q quit"

# A 3x5 block font for the big countdown; readable from across the room.
_BIG_FONT = {
    "0": ["███", "█ █", "█ █", "█ █", "███"],
    "1": [" ██", "  █", "  █", "  █", "  █"],
    "2": ["███", "  █", "███", "█  ", "███"],
    "3": ["███", "  █", "███", "  █", "███"],
    "4": ["█ █", "█ █", "███", "  █", "  █"],
    "5": ["███", "█  ", "███", "  █", "███"],
    "6": ["███", "█  ", "███", "█ █", "███"],
    "7": ["███", "  █", "  █", "  █", "  █"],
    "8": ["███", "█ █", "███", "█ █", "███"],
    "9": ["███", "█ █", "███", "  █", "███"],
    ":": [" ", "█", " ", "█", " "],
}


def make_console(*, stderr: bool = False, file: TextIO | None = None) -> Console:
    """A console that drops colour and animation when piped, and honours NO_COLOR."""
    return Console(stderr=stderr, file=file, highlight=False)


def live_screen(console: Console) -> bool:
    """Redraw screens in place only on a real terminal; otherwise print plain lines."""
    return console.is_terminal and not console.is_dumb_terminal


def big_text(text: str) -> Text:
    rows = [" ".join(_BIG_FONT[ch][row] for ch in text if ch in _BIG_FONT) for row in range(5)]
    return Text("\n".join(rows), style="bold")


# -- routine screens --------------------------------------------------------------------------


def render_routine_screen(snapshot: Snapshot) -> RenderableType:
    """The full-screen panel for one instant of a routine."""
    routine, segment, step = snapshot.routine, snapshot.segment, snapshot.step
    total = len(routine.steps)
    if segment is None or step is None:
        return Panel(Text("Done.", style="bold green"), title=routine.title)
    number = segment.step_index + 1
    exercise = step.exercise
    parts: list[RenderableType] = []
    if segment.kind == "ready":
        parts.append(Text("Get ready", style="bold cyan"))
        parts.append(
            Text.assemble(
                ("Next: ", "dim"),
                (exercise.name, "bold"),
                f"  ({describe_dose(step)}, {exercise.position})",
            )
        )
        parts.append(Text(f"  {exercise.cues[0]}"))
    elif segment.kind == "switch":
        parts.append(Text("Switch sides", style="bold magenta"))
        parts.append(Text(f"{exercise.name}: now the {segment.side} side"))
    else:
        side = f"  · {segment.side} side" if segment.side else ""
        parts.append(
            Text.assemble(
                (exercise.name, "bold"), (side, "magenta"), (f"  {describe_dose(step)}", "dim")
            )
        )
        parts.extend(Text(f"  • {cue}") for cue in exercise.cues)
        if exercise.caution:
            parts.append(Text(f"  ! {exercise.caution}", style="yellow"))
    parts.append(Text(""))
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
    title = f"{routine.title} · step {number} of {total}"
    subtitle = f"{format_clock(snapshot.remaining_s)} left · {ROUTINE_KEYS_HINT}"
    return Panel(Group(*parts), title=title, subtitle=subtitle, padding=(1, 2))


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

    def _line(self, text: str) -> None:
        self._console.print(text, markup=False, highlight=False, soft_wrap=True)

    def say(self, text: str) -> None:
        self._line(f"{self._clock.now():%H:%M:%S}  {text}")

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
                self._line(f"          - {cue}")
            if step.exercise.caution:
                self._line(f"          ! {step.exercise.caution}")


def print_routine_summary(console: Console, routine: Routine, record: Record) -> None:
    done = sum(1 for s in record.steps or () if s.outcome == "done")
    verb = "done" if record.outcome == "completed" else "stopped"
    console.print(
        f"{routine.title} {verb}: {done} of {len(routine.steps)} steps, "
        f"{format_clock(record.active_s)} moving.",
        markup=False,
        highlight=False,
    )
    console.print(POSTURE_RESET, markup=False, highlight=False, soft_wrap=True)


# -- tables ---------------------------------------------------------------------------------


def routine_table(rows: Sequence[dict[str, Any]]) -> Table:
    table = Table(title=None, box=None, header_style="bold", pad_edge=False)
    table.add_column("name")
    table.add_column("title")
    table.add_column("min", justify="right")
    table.add_column("steps", justify="right")
    table.add_column("source")
    for row in rows:
        table.add_row(
            row["name"], row["title"], f"{row['minutes']:g}", str(row["steps"]), row["source"]
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
            (exercise.name, "bold"),
            "\n",
            (exercise.id, "dim"),
            f"\n{exercise.position} · {describe_dose(step)} · {format_clock(step.seconds)}",
        )
        if exercise.caution:
            about.append(f"\n! {exercise.caution}", style="yellow")
        table.add_row(str(number), about, Text(exercise.figure or "", style="cyan"))
    heading = Text.assemble((routine.title, "bold"), f"  ({routine.name}, {routine.source})")
    footer = Text(
        f"{len(routine.steps)} steps, {format_clock(routine.planned_s)} in all "
        f"including {format_duration(routine.rest_s)} to get ready before each step.",
    )
    parts: list[RenderableType] = [heading]
    if routine.summary:
        parts.append(Text(routine.summary))
    safety = Text(SAFETY, style="yellow")
    return Group(*parts, Text(""), table, Text(""), footer, safety)


def exercise_table(exercises: Sequence[Any]) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "name", "position", "targets", "dose"):
        table.add_column(column)
    for ex in exercises:
        table.add_row(ex.id, ex.name, ex.position, ", ".join(ex.targets), describe_dose(ex))
    return table


# -- stats ------------------------------------------------------------------------------------


_minutes = format_minutes


def _change(now: float, before: float, unit: str = "") -> Text:
    """▲/▼ against the previous window, or '=' when equal."""
    if now == before:
        return Text("  = same as before", style="dim")
    arrow, style = ("▲", "green") if now > before else ("▼", "red")
    amount = _minutes(abs(now - before)) if unit == "time" else f"{abs(now - before):g}"
    return Text(f"  {arrow} {amount} vs before", style=style)


def render_week(
    stats: WeekStats, names: Mapping[str, str], trend: Sequence[TrendWeek] = ()
) -> RenderableType:
    """The weekly review screen. `names` maps exercise ids to display names; `trend` (the
    weeks of `stats --weeks N`) adds the trend chart."""
    window = stats.window
    heading = Text(f"{window.start:%a %d %b} – {window.end:%a %d %b %Y}", style="bold")
    if stats.empty:
        return Group(
            heading,
            Text(""),
            Text("Nothing recorded in these days yet.", style="bold"),
            Text(
                "Run `breakctl start` for work/break cycles, or `breakctl routine micro` for a "
                "one-minute break right now; this page fills in as you go."
            ),
        )
    totals, before = stats.totals, stats.previous
    breaks = totals.breaks
    compliance = "—" if totals.compliance is None else f"{totals.compliance:.0%}"
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold", justify="right")
    summary.add_column()
    cut_short = breaks["interrupted"] + breaks["recovered"]
    summary.add_row(
        "breaks",
        Text.assemble(
            f"{breaks['completed']} taken, {breaks['skipped']} skipped, "
            f"{breaks['postponed']} postponed, {cut_short} cut short",
            _change(breaks["completed"], before.breaks["completed"]),
        ),
    )
    summary.add_row("taken when due", compliance)
    summary.add_row(
        "moved",
        Text.assemble(_minutes(totals.moved_s), _change(totals.moved_s, before.moved_s, "time")),
    )
    summary.add_row("worked", _minutes(totals.work_s))
    summary.add_row("longest sitting", _minutes(stats.longest_sitting_s))
    summary.add_row("routines ad hoc", str(totals.routines))

    chart = Table(box=None, header_style="bold", pad_edge=False, show_header=False)
    chart.add_column()
    chart.add_column()
    chart.add_column(justify="right")
    chart.add_column(justify="right")
    most = max((d.moved_s for d in stats.days), default=0) or 1
    for day in stats.days:
        bar = "█" * round(20 * day.moved_s / most) if day.moved_s else "·"
        off = day.off and not day.breaks_completed and not day.work_s
        chart.add_row(
            f"{day.date:%a %d}",
            Text("off" if off else bar, style="dim" if off else "green"),
            "" if off else _minutes(day.moved_s),
            "day off" if off else plural(day.breaks_completed, "break"),
        )

    parts: list[RenderableType] = [
        heading,
        _compared_with(stats),
        Text(""),
        summary,
        Text(""),
        Text("Moved per day", style="bold"),
        chart,
        Text(""),
        *_heat_map(stats),
        *_sitting_list(stats),
    ]
    if trend:
        parts += [Text(""), *_trend_chart(trend, stats.goal_breaks_per_day)]
    if stats.exercises:
        top = [f"{names.get(ex, ex)} ×{n}" for ex, n in list(stats.exercises.items())[:5]]
        parts += [Text(""), Wrapped("Done most:", top)]
    worked = [(a, s) for a, s in sorted(stats.areas.items(), key=lambda i: -i[1]) if s > 0]
    neglected = [a for a, s in stats.areas.items() if s == 0]
    if worked:
        parts.append(Wrapped("Areas worked:", [f"{a} {_minutes(s)}" for a, s in worked]))
    if neglected:
        parts.append(Wrapped("Not worked yet:", neglected, "bold yellow"))
    goal = stats.goal_breaks_per_day
    habit = min(stats.habit_days, HABIT_DAYS)
    habit_text = (
        f"Habit formed: {HABIT_DAYS}+ days "
        if stats.habit_days >= HABIT_DAYS
        else f"Habit: {stats.habit_days} of {HABIT_DAYS} days "
    )
    parts += [
        Text(""),
        Text(
            f"Streak: {plural(stats.streak_days, 'day')} at {goal}+ breaks "
            f"(best {stats.best_streak_days}).",
        ),
        Text.assemble(
            habit_text,
            ("█" * (habit * 20 // HABIT_DAYS), "cyan"),
            ("░" * (20 - habit * 20 // HABIT_DAYS), "dim"),
        ),
    ]
    return Group(*parts)


class Wrapped:
    """'Label: item, item, ...' wrapped to the width between items, never inside one."""

    def __init__(self, label: str, items: Sequence[str], style: str = "bold") -> None:
        self.label, self.items, self.style = label, list(items), style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width, 1)
        line = Text()
        line.append(self.label, style=self.style)
        for n, item in enumerate(self.items):
            piece = item + ("," if n < len(self.items) - 1 else "")
            if line.cell_len + 1 + len(piece) > width and line.plain.strip():
                yield line
                line = Text("  ")
            line.append(" " if line.plain.strip() else "")
            line.append(piece)
        yield line


def _compared_with(stats: WeekStats) -> Text:
    previous = stats.window.previous()
    if stats.previous_until is not None:
        return Text(
            f"compared with the same part of the days before: "
            f"{previous.start:%a %d %b} – {stats.previous_until:%a %d %b %H:%M}",
            style="dim",
        )
    return Text(f"compared with {previous.start:%a %d %b} – {previous.end:%a %d %b}", style="dim")


_SHADES = "·░▒▓█"


def _heat_map(stats: WeekStats) -> list[RenderableType]:
    """Hour of day x day: how much of each hour was sat, and where breaks started."""
    rows = heat_rows(stats.hours)
    hours = busy_hours(rows)
    ruler = "".join(f"{n:02d}" if n % 3 == 0 else "  " for n in hours)
    grid = Text("       " + ruler.rstrip() + "\n", style="dim")
    for n, row in enumerate(rows):
        label = f"{row.label_day:%a}" if row.per_weekday else f"{row.label_day:%a %d}"
        grid.append(f"{label:<7}")
        for hour in hours:
            level = shade(row.work_s[hour])
            grid.append(_SHADES[level], style="blue" if level else "dim")
            grid.append(
                "●" if row.breaks[hour] else _SHADES[level] if level else " ",
                style=("bold green" if row.breaks[hour] else "blue"),
            )
        if n < len(rows) - 1:
            grid.append("\n")
    title = "Sitting by hour" + (" (average per weekday)" if rows and rows[0].per_weekday else "")
    legend = Text("█ a whole hour sat  ▓ ¾  ▒ ½  ░ ¼  ● a break taken", style="dim")
    return [Text(title, style="bold"), grid, legend]


def _sitting_list(stats: WeekStats) -> list[RenderableType]:
    if not stats.longest_sittings:
        return []
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    for sitting in stats.longest_sittings:
        table.add_row(
            f"{sitting.started:%a %d %H:%M}–{sitting.ended:%H:%M}",
            _minutes(sitting.duration_s),
        )
    return [Text(""), Text("Longest without a break", style="bold"), table]


def _trend_chart(weeks: Sequence[TrendWeek], goal: int) -> list[RenderableType]:
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("week of", no_wrap=True)
    table.add_column("breaks a day", no_wrap=True)
    table.add_column("", justify="right", no_wrap=True)
    table.add_column("moved a day", justify="right", no_wrap=True)
    most = max([goal, *(w.breaks_per_day for w in weeks)])
    for week in weeks:
        if not week.days:
            continue
        width = round(20 * week.breaks_per_day / most)
        met = week.breaks_per_day >= goal
        table.add_row(
            f"{week.start:%d %b}",
            Text("█" * width or "·", style="green" if met else "yellow"),
            f"{week.breaks_per_day:.1f}",
            _minutes(week.moved_per_day_s),
        )
    title = f"Trend, {plural(len(weeks), 'week')} (goal {goal} breaks a day)"
    return [Text(title, style="bold"), table]


def history_table(records: Sequence[Record]) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("started", "kind", "routine", "outcome"):
        table.add_column(column)
    table.add_column("planned", justify="right")
    table.add_column("active", justify="right")
    for record in records:
        planned = record.planned_s
        table.add_row(
            f"{record.started:%Y-%m-%d %H:%M}",
            record.kind,
            record.routine or "",
            record.outcome,
            format_clock(planned) if planned is not None else "",
            format_clock(record.active_s),
        )
    return table


# -- breakctl start ---------------------------------------------------------------------------

WORK_KEYS_HINT = "space/p pause · b break now · s skip next break · + postpone 5 min · q quit"
BREAK_KEYS_HINT = "space/p pause · n next step · s skip the rest · q quit"


def _block_label(snapshot: SessionSnapshot) -> str:
    of = f" of {snapshot.cycles}" if snapshot.cycles else ""
    return f"block {snapshot.cycle}{of}"


def render_session_screen(snapshot: SessionSnapshot, free_text: str) -> RenderableType:
    if snapshot.phase == "work":
        return Text("\n".join(work_frame(snapshot, 80, color=False)))
    if snapshot.phase == "break":
        if snapshot.routine is not None:
            screen = render_routine_screen(snapshot.routine)
            if isinstance(screen, Panel):
                why = Text(snapshot.reason, style="dim italic") if snapshot.reason else Text("")
                extended = (
                    Text(
                        "This routine runs longer than the break; the break grows to fit it.",
                        style="yellow",
                    )
                    if snapshot.extended
                    else Text("")
                )
                screen.renderable = Group(why, extended, screen.renderable)
                screen.title = f"Break after {_block_label(snapshot)} · {screen.title}"
                screen.subtitle = f"{format_clock(snapshot.remaining_s)} left · {BREAK_KEYS_HINT}"
            return screen
        return _render_free(snapshot, free_text)
    if snapshot.phase == "off":
        left = format_clock(snapshot.remaining_s) if snapshot.resumes_at else ""
        return Panel(
            Group(
                Text(off_until(snapshot.resumes_at), style="bold"),
                big_text(left) if left else Text(""),
                Text("Outside working hours nothing counts; q quits.", style="dim"),
            ),
            title="breakctl · working hours",
            padding=(1, 2),
        )
    if snapshot.phase == "wait":
        return Panel(
            Text("Ready when you are: press any key to go on, q to quit.", style="bold"),
            title="breakctl",
            padding=(1, 2),
        )
    return Text("")


_RESET, _BOLD, _REVERSE = "\x1b[0m", "\x1b[1m", "\x1b[7m"
_COLORS = {"blue": "\x1b[34m", "yellow": "\x1b[33m", "magenta": "\x1b[95m", "grey": "\x1b[90m"}


def work_frame(snapshot: SessionSnapshot, width: int, color: bool, height: int = 100) -> list[str]:
    """The work screen as finished terminal lines. It is redrawn every second all day, so it
    is composed here directly: through Rich's layout engine it costs about ten times more."""

    def paint(text: str, *codes: str) -> str:
        return f"{''.join(codes)}{text}{_RESET}" if color and codes else text

    # One column short of the width: writing the last column leaves some terminals in a
    # pending wrap, where erasing to the end of the line would eat the border.
    inner = max(20, width - 3)  # between the two border columns
    border = _COLORS["yellow" if snapshot.heads_up and not snapshot.paused else "blue"]

    def rule(left: str, label: str, right: str) -> str:
        label = f" {label} "[:inner]
        pad = inner - len(label)
        line = "─" * (pad // 2) + label + "─" * (pad - pad // 2)
        return paint(left + line + right, border)

    def row(text: str, visible: int | None = None, *codes: str) -> str:
        shown = len(text) if visible is None else visible
        room = inner - 4
        body = text if shown <= room else text[:room]
        gap = " " * max(0, room - min(shown, room))
        return paint("│", border) + "  " + paint(body, *codes) + gap + "  " + paint("│", border)

    done = min(snapshot.elapsed_s, snapshot.planned_s)
    share = f"  {done / snapshot.planned_s:.0%}" if snapshot.planned_s else ""
    bar_width = max(5, min(40, inner - 4 - len(share)))
    filled = round(bar_width * done / snapshot.planned_s) if snapshot.planned_s else 0
    bar = paint("━" * filled, _COLORS["magenta"]) + paint(
        "━" * (bar_width - filled), _COLORS["grey"]
    )
    lines = [rule("╭", f"Work · {_block_label(snapshot)}", "╮")]
    if height >= 16:
        lines.append(row(""))
        digits = big_text(format_clock(snapshot.remaining_s)).plain.splitlines()
        lines += [row(line, None, _BOLD) for line in digits]
        lines += [row(bar + share, bar_width + len(share)), row("")]
    else:  # a short terminal: a frame taller than the screen could not be redrawn in place
        lines.append(row(f"{format_clock(snapshot.remaining_s)} left{share}", None, _BOLD))
    if snapshot.skip_next_break:
        lines.append(
            row("Next break: skipped (press s again to keep it).", None, _COLORS["yellow"])
        )
    elif snapshot.ends_at is not None:
        routine = f": {snapshot.next_break_title}" if snapshot.next_break_title else ""
        lines.append(row(f"Next break at {snapshot.ends_at:%H:%M}{routine}"))
    if snapshot.notice:
        lines.append(row(snapshot.notice, None, _BOLD, _COLORS["yellow"]))
    if snapshot.paused:
        lines.append(row(paused_line(snapshot), None, _REVERSE))
    elif snapshot.heads_up:
        lines.append(
            row(
                "Break coming up: finish your sentence. + postpones, s skips.",
                None,
                _BOLD,
                _COLORS["yellow"],
            )
        )
    lines.append(rule("╰", WORK_KEYS_HINT, "╯"))
    return lines


def paused_line(snapshot: SessionSnapshot) -> str:
    """'paused 44:12 (until 15:00) · space to resume', or an open pause's line."""
    if snapshot.resumes_at is None or snapshot.resumes_in_s is None:
        return "paused · space to resume"
    left = format_clock(snapshot.resumes_in_s, pad=True)
    return f"paused {left} (until {snapshot.resumes_at:%H:%M}) · space to resume"


class InPlaceFrame:
    """Redraws finished lines in place: up over the last frame, rewrite, clear what is left."""

    def __init__(self, file: TextIO) -> None:
        self._file = file
        self.height = 0

    def draw(self, lines: Sequence[str]) -> None:
        up = f"\x1b[{self.height}A" if self.height else ""
        self._file.write(f"{up}\r" + "".join(f"{line}\x1b[K\n" for line in lines) + "\x1b[J")
        self._file.flush()
        self.height = len(lines)

    def clear(self) -> None:
        if self.height:
            self._file.write(f"\x1b[{self.height}A\r\x1b[J")
            self._file.flush()
            self.height = 0


def _render_free(snapshot: SessionSnapshot, free_text: str) -> RenderableType:
    remaining = snapshot.free_s if snapshot.free_s is not None else snapshot.remaining_s
    parts: list[RenderableType] = [
        Text("Free movement", style="bold green"),
        Text(free_text),
    ]
    if snapshot.reason and snapshot.reason != free_text:
        parts.append(Text(snapshot.reason, style="dim italic"))
    parts += [Text(""), big_text(format_clock(remaining))]
    if snapshot.paused:
        parts.append(Text("paused · space to resume", style="reverse"))
    return Panel(
        Group(*parts),
        title=f"Break after {_block_label(snapshot)}",
        subtitle=f"{format_clock(snapshot.remaining_s)} left · {BREAK_KEYS_HINT}",
        border_style="green",
        padding=(1, 2),
    )


class LiveSessionView:
    """On a terminal: the work screen through InPlaceFrame (cheap, once a second all day),
    breaks and the rest through Rich's Live."""

    def __init__(self, console: Console, free_text: str) -> None:
        self._console = console
        self._free_text = free_text
        self._live = Live(console=console, auto_refresh=False, transient=True)
        self._live_on = False
        self._frame = InPlaceFrame(console.file)
        self._color = console.color_system is not None and not console.no_color

    def __enter__(self) -> LiveSessionView:
        self._console.show_cursor(False)
        return self

    def __exit__(self, *exc: Any) -> None:
        # The terminal may be gone (window closed): that must not hide why we are exiting.
        with contextlib.suppress(OSError, ValueError):
            self._frame.clear()
            if self._live_on:
                self._live.stop()
            self._console.show_cursor(True)

    def update(self, events: Sequence[SessionEvent], snapshot: SessionSnapshot) -> None:
        if any(isinstance(e, RoutineEvent) and isinstance(e.event, SegmentStarted)
               and e.event.segment.kind == "switch" for e in events):  # fmt: skip
            self._console.bell()
        if snapshot.phase == "work":
            if self._live_on:
                self._live.stop()
                self._live_on = False
            size = self._console.size
            self._frame.draw(work_frame(snapshot, size.width, self._color, size.height))
            return
        self._frame.clear()
        if not self._live_on:
            self._live.start()
            self._live_on = True
        self._live.update(render_session_screen(snapshot, self._free_text), refresh=True)

    def message(self, text: str) -> None:
        self._frame.clear()
        self._console.print(Text(text, style="dim"))

    def prompt(self, text: str) -> None:
        """One line at the bottom, rewritten as the answer is typed (the screen holds still
        meanwhile: the pause is on)."""
        self._frame.clear()
        if self._live_on:
            self._live.stop()
            self._live_on = False
        self._console.file.write(f"\r\x1b[2K{text}")
        self._console.file.flush()


class PlainSessionView:
    """Timestamped lines for pipes and logs: one per change, nothing per second."""

    def __init__(self, console: Console, clock: Clock, free_text: str) -> None:
        self._console = console
        self._clock = clock
        self._free_text = free_text
        self._routine = PlainRoutineView(console, clock)

    def __enter__(self) -> PlainSessionView:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def message(self, text: str) -> None:
        self._routine.say(text)

    def prompt(self, text: str) -> None:
        if text:
            self._routine.say(text)

    def update(self, events: Sequence[SessionEvent], snapshot: SessionSnapshot) -> None:
        say = self._routine.say
        for event in events:
            if isinstance(event, WorkStarted):
                of = f"/{snapshot.cycles}" if snapshot.cycles else ""
                ends = self._clock.now() + timedelta(seconds=event.planned_s)
                length = format_clock(event.planned_s)
                say(f"work block {event.cycle}{of}: {length} (break at {ends:%H:%M})")
            elif isinstance(event, HeadsUp):
                say(f"break in {round(event.seconds_left)}s")
            elif isinstance(event, StandUp):
                say("stand up: keep working on your feet until the break")
            elif isinstance(event, BreakStarted):
                what = event.routine.title if event.routine else "free movement"
                grown = (
                    " (the routine is longer than the break: the break grows to fit it)"
                    if event.extended
                    else ""
                )
                say(f"break: {format_clock(event.planned_s)}, {what}{grown}")
                if event.reason:
                    say(f"  why: {event.reason}")
            elif isinstance(event, FreeMovementStarted):
                say(f"free movement {format_clock(event.seconds)}: {self._free_text}")
            elif isinstance(event, RoutineEvent) and snapshot.routine is not None:
                if not isinstance(event.event, Finished):
                    self._routine.update([event.event], snapshot.routine)
            elif isinstance(event, PhasePaused):
                say("paused")
            elif isinstance(event, PhaseResumed):
                say(f"resumed after {format_duration(event.paused_s)}")
            elif isinstance(event, NextBreakSkipped):
                say("the next break will be skipped")
            elif isinstance(event, BreakPostponed):
                say(f"break postponed {format_duration(event.seconds)}")
            elif isinstance(event, Suspended):
                kind = "counted as your break" if event.natural_break else "not counted"
                say(f"the computer slept {format_duration(event.seconds)}: {kind}")
            elif isinstance(event, Waiting):
                say(f"waiting: press a key to start the {event.next_phase}")
            elif isinstance(event, Recorded):
                record = event.record
                say(f"{record.kind} {record.outcome}: {format_clock(record.active_s)}")
            elif isinstance(event, OffHours):
                say(off_until(event.resumes_at))
            elif isinstance(event, WorkHoursBegin):
                say("working hours begin")
            elif isinstance(event, PausedUntil):
                say(f"paused until {event.until:%H:%M}")
            elif isinstance(event, PauseOver):
                say("the pause is over")
            elif isinstance(event, LimitReached):
                then = "this block is the last" if event.ends_day else "going on (--ignore-limit)"
                say(f"{format_duration(event.limit_s)} of work today: time to stop; {then}")
            elif isinstance(event, SessionEnded):
                say(ENDINGS[event.reason])


ENDINGS = {
    "cycles": "all blocks done", "until": "reached --until", "quit": "stopped",
    "limit": "the daily limit of work is reached: done for today",
}  # fmt: skip


def print_day_summary(console: Console, stats: WeekStats) -> None:
    """The day so far, printed when `start` ends."""
    totals = stats.totals
    breaks = totals.breaks
    taken = breaks["completed"]
    console.print(
        f"Today: {_minutes(totals.work_s)} worked, {taken} break{'' if taken == 1 else 's'} taken, "
        f"{breaks['skipped']} skipped, {_minutes(totals.moved_s)} moving; "
        f"longest sitting {_minutes(stats.longest_sitting_s)}.",
        markup=False,
        highlight=False,
    )


def render_presets(rows: Sequence[dict[str, Any]]) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("name", "work", "break", "long break", "routines", "source"):
        table.add_column(column, overflow="fold")
    for row in rows:
        source = Text(row["source"])
        if row.get("note"):
            source.append(f"\n! {row['note']}", style="yellow")
        table.add_row(
            row["name"],
            row["work"],
            row["break"],
            row["long_break"],
            row["routines"],
            source,
        )
    return table
