"""`breakctl stats`: the weekly review page, and the day's summary printed when `start` ends.

Exercise names come from the libraries, exercise ids and areas from the history: all are
shown through `literal`/`safe`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from breakctl.core.durations import format_minutes as minutes
from breakctl.core.durations import plural
from breakctl.core.stats import DUE, HABIT_DAYS, WeekStats, due_text, held_text
from breakctl.core.stats_hours import busy_hours, heat_rows, shade
from breakctl.core.trend import TrendWeek
from breakctl.ui.report.empty import heading, render_empty
from breakctl.ui.text import safe


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
    missed = sum(breaks[key] for key in DUE) - breaks["completed"]
    summary.add_row(
        "breaks",
        Text.assemble(
            f"{breaks['completed']} taken, {missed} not taken, {breaks['postponed']} postponed",
            _change(breaks["completed"], before.breaks["completed"]),
        ),
    )
    taken_text, missed_text = due_text(totals)
    summary.add_row("taken when due", compliance + taken_text)
    if missed_text:
        summary.add_row("not taken", missed_text)
    if breaks["natural"] or breaks["worked_through"] or totals.away_s:  # presence's figures
        summary.add_row(
            "presence",
            f"{plural(breaks['natural'], 'break')} taken away from the desk, "
            f"{breaks['worked_through']} typed through; {minutes(totals.away_s)} away",
        )
    if held_text(totals):  # holds (#21): breaks that waited for a call or a meeting
        summary.add_row("held", held_text(totals))
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
        off = day.off and not day.breaks_completed and not day.work_s  # not a missed goal
        chart.add_row(
            f"{day.date:%a %d}",
            Text("off" if off else bar, style="dim" if off else "green"),
            "" if off else minutes(day.moved_s),
            "day off" if off else plural(day.breaks_completed, "break"),
        )
    return chart


def _exercises_and_areas(stats: WeekStats, names: Mapping[str, str]) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if stats.exercises:
        top = [f"{names.get(ex, ex)} ×{n}" for ex, n in list(stats.exercises.items())[:5]]
        parts += [Text(""), Wrapped("Done most:", top)]
    worked = [(a, s) for a, s in sorted(stats.areas.items(), key=lambda i: -i[1]) if s > 0]
    neglected = [a for a, s in stats.areas.items() if s == 0]
    if worked:
        parts.append(Wrapped("Areas worked:", [f"{a} {minutes(s)}" for a, s in worked]))
    if neglected:
        parts.append(Wrapped("Not worked yet:", neglected, "bold yellow"))
    return parts


class Wrapped:
    """'Label: item, item, ...' wrapped to the width between items, never inside one."""

    def __init__(self, label: str, items: Sequence[str], style: str = "bold") -> None:
        self.label, self.items, self.style = label, [safe(i) for i in items], style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width, 1)
        line = Text()
        line.append(self.label, style=self.style)
        for n, item in enumerate(self.items):
            piece = item + ("," if n < len(self.items) - 1 else "")
            if line.cell_len + 1 + Text(piece).cell_len > width and line.plain.strip():
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
    return [Text(""), Text(title, style="bold"), grid, legend]


def _sitting_list(stats: WeekStats) -> list[RenderableType]:
    if not stats.longest_sittings:
        return []
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    for sitting in stats.longest_sittings:
        table.add_row(
            f"{sitting.started:%a %d %H:%M}–{sitting.ended:%H:%M}",
            minutes(sitting.duration_s),
        )
    return [Text(""), Text("Longest without a break", style="bold"), table]


def _trend_chart(weeks: Sequence[TrendWeek], goal: int) -> list[RenderableType]:
    if not weeks:
        return []
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
            minutes(week.moved_per_day_s),
        )
    title = f"Trend, {plural(len(weeks), 'week')} (goal {plural(goal, 'break')} a day)"
    return [Text(""), Text(title, style="bold"), table]


def _habit(stats: WeekStats) -> list[RenderableType]:
    goal = stats.goal_breaks_per_day
    habit = min(stats.habit_days, HABIT_DAYS)
    habit_text = (
        f"Habit: {HABIT_DAYS} days: the median time to a habit "
        if stats.habit_days >= HABIT_DAYS
        else f"Habit: {stats.habit_days} of {HABIT_DAYS} days "
    )
    return [
        Text(""),
        Text(
            f"Streak: {plural(stats.streak_days, 'day')} at {goal}+ breaks "
            f"(best {stats.best_streak_days})."
        ),
        Text.assemble(
            habit_text,
            ("█" * (habit * 20 // HABIT_DAYS), "cyan"),
            ("░" * (20 - habit * 20 // HABIT_DAYS), "dim"),
        ),
    ]


def render_week(
    stats: WeekStats, names: Mapping[str, str], trend: Sequence[TrendWeek] = ()
) -> RenderableType:
    """The weekly review screen. `names` maps exercise ids to display names; `trend` (the
    weeks of `stats --weeks N`) adds the trend chart."""
    window = stats.window
    if stats.empty:
        return render_empty(window.start, window.end)
    return Group(
        heading(window.start, window.end),
        _compared_with(stats),
        Text(""),
        _summary(stats),
        Text(""),
        Text("Moved per day", style="bold"),
        _chart(stats),
        *_heat_map(stats),
        *_sitting_list(stats),
        *_trend_chart(trend, stats.goal_breaks_per_day),
        *_exercises_and_areas(stats, names),
        *_habit(stats),
    )


def print_day_summary(console: Console, stats: WeekStats) -> None:
    """The day so far, printed when `start` ends."""
    totals = stats.totals
    breaks = totals.breaks
    taken = breaks["completed"]
    cut = f"{breaks['cut_short']} cut-short, " if breaks["cut_short"] else ""  # not taken
    console.print(
        safe(
            f"Today: {minutes(totals.work_s)} worked, {plural(taken, 'break')} "
            f"taken, {breaks['skipped']} skipped, {cut}{minutes(totals.moved_s)} moving; "
            f"longest sitting {minutes(stats.longest_sitting_s)}."
        ),
        markup=False,
        highlight=False,
    )
