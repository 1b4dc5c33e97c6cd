"""`breakctl stats`: the weekly review page, and the day's summary printed when `start` ends.

Exercise names come from the libraries, exercise ids and areas from the history: all are
shown through `literal`/`safe`.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from breakctl.core.stats import HABIT_DAYS, WeekStats
from breakctl.ui.cells import literal
from breakctl.ui.text import safe


def minutes(seconds: float) -> str:
    """`42m`, or `1h05m` from an hour on."""
    whole = round(seconds / 60)
    return f"{whole // 60}h{whole % 60:02d}m" if whole >= 60 else f"{whole}m"


def _change(now: float, before: float, unit: str = "") -> Text:
    """▲/▼ against the previous window, or '=' when equal."""
    if now == before:
        return Text("  = same as before", style="dim")
    arrow, style = ("▲", "green") if now > before else ("▼", "red")
    amount = minutes(abs(now - before)) if unit == "time" else f"{abs(now - before):g}"
    return Text(f"  {arrow} {amount} vs before", style=style)


def _summary(stats: WeekStats) -> Table:
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
        Text.assemble(minutes(totals.moved_s), _change(totals.moved_s, before.moved_s, "time")),
    )
    summary.add_row("worked", minutes(totals.work_s))
    summary.add_row("longest sitting", minutes(stats.longest_sitting_s))
    summary.add_row("routines ad hoc", str(totals.routines))
    return summary


def _chart(stats: WeekStats) -> Table:
    chart = Table(box=None, header_style="bold", pad_edge=False, show_header=False)
    chart.add_column()
    chart.add_column()
    chart.add_column(justify="right")
    chart.add_column(justify="right")
    most = max((d.moved_s for d in stats.days), default=0) or 1
    for day in stats.days:
        bar = "█" * round(20 * day.moved_s / most) if day.moved_s else "·"
        chart.add_row(
            f"{day.date:%a %d}",
            Text(bar, style="green"),
            minutes(day.moved_s),
            f"{day.breaks_completed} breaks",
        )
    return chart


def _exercises_and_areas(stats: WeekStats, names: Mapping[str, str]) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if stats.exercises:
        top = ", ".join(f"{names.get(ex, ex)} ×{n}" for ex, n in list(stats.exercises.items())[:5])
        parts += [Text(""), Text.assemble(("Done most: ", "bold"), literal(top))]
    worked = [(a, s) for a, s in sorted(stats.areas.items(), key=lambda i: -i[1]) if s > 0]
    neglected = [a for a, s in stats.areas.items() if s == 0]
    if worked:
        areas = ", ".join(f"{a} {minutes(s)}" for a, s in worked)
        parts.append(Text.assemble(("Areas worked: ", "bold"), literal(areas)))
    if neglected:
        parts.append(
            Text.assemble(("Not worked yet: ", "bold yellow"), literal(", ".join(neglected)))
        )
    return parts


def _habit(stats: WeekStats) -> list[RenderableType]:
    goal = stats.goal_breaks_per_day
    habit = min(stats.habit_days, HABIT_DAYS)
    return [
        Text(""),
        Text(
            f"Streak: {stats.streak_days} days at {goal}+ breaks (best {stats.best_streak_days})."
        ),
        Text.assemble(
            f"Habit: {stats.habit_days} of {HABIT_DAYS} days ",
            ("█" * (habit * 20 // HABIT_DAYS), "cyan"),
            ("░" * (20 - habit * 20 // HABIT_DAYS), "dim"),
        ),
    ]


def render_week(stats: WeekStats, names: Mapping[str, str]) -> RenderableType:
    """The weekly review screen. `names` maps exercise ids to display names."""
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
    return Group(
        heading,
        Text(""),
        _summary(stats),
        Text(""),
        Text("Moved per day", style="bold"),
        _chart(stats),
        *_exercises_and_areas(stats, names),
        *_habit(stats),
    )


def print_day_summary(console: Console, stats: WeekStats) -> None:
    """The day so far, printed when `start` ends."""
    totals = stats.totals
    breaks = totals.breaks
    taken = breaks["completed"]
    console.print(
        safe(
            f"Today: {minutes(totals.work_s)} worked, {taken} break{'' if taken == 1 else 's'} "
            f"taken, {breaks['skipped']} skipped, {minutes(totals.moved_s)} moving; "
            f"longest sitting {minutes(stats.longest_sitting_s)}."
        ),
        markup=False,
        highlight=False,
    )
