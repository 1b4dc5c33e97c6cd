"""The review page's charts, as inline SVG with a text alternative each: the hour map of
sitting and breaks, moved minutes and breaks per day against the goal, the body map, the trend."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from breakctl.core.durations import format_minutes, plural
from breakctl.core.stats import WeekStats
from breakctl.core.stats_hours import HeatRow, busy_hours, heat_rows, shade
from breakctl.core.trend import TrendWeek
from breakctl.ui.report.markup import datum, num


def heat_map(s: WeekStats) -> str:
    rows = heat_rows(s.hours)
    hours = busy_hours(rows)
    cell, left, top = 14, 46, 16
    width = left + cell * len(hours) + 2
    height = top + cell * len(rows) + 4
    per_weekday = bool(rows) and rows[0].per_weekday
    parts = [
        f'<svg viewBox="0 0 {width} {height}" class="heat" style="max-width:{width * 2}px" '
        'role="img" '
        'aria-labelledby="h-heat heat-desc">'
        f'<desc id="heat-desc">{escape(_heat_summary(s))}</desc>'
    ]
    for col, hour in enumerate(hours):
        if hour % 3 == 0:
            parts.append(f'<text x="{left + col * cell}" y="11" class="small">{hour:02d}</text>')
    day_index = {h.date: i for i, h in enumerate(s.hours)}
    for r, row in enumerate(rows):
        y = top + r * cell
        label = f"{row.label_day:%a}" if per_weekday else f"{row.label_day:%a %d}"
        parts.append(f'<text x="0" y="{y + 11}">{label}</text>')
        index = day_index.get(row.label_day)
        for col, hour in enumerate(hours):
            x = left + col * cell
            work, breaks = row.work_s[hour], row.breaks[hour]
            attrs = (
                "" if per_weekday or index is None else datum(f"hours.{index}.work_s.{hour}", work)
            )
            tip = f"{label} {hour:02d}:00: {format_minutes(work)} sat" + (
                f", {plural(breaks, 'break')}" if breaks else ""
            )
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 1}" height="{cell - 1}" rx="2" '
                f'class="s{shade(work)}"{attrs}><title>{tip}</title></rect>'
            )
            if breaks:
                b_attrs = (
                    ""
                    if per_weekday or index is None
                    else datum(f"hours.{index}.breaks.{hour}", breaks)
                )
                parts.append(
                    f'<circle cx="{x + (cell - 1) / 2}" cy="{y + (cell - 1) / 2}" r="3.5" '
                    f'class="brk"{b_attrs}/>'
                )
    parts.append("</svg>")
    return (
        f'<section aria-labelledby="h-heat"><h2 id="h-heat">{_heat_title(per_weekday)}</h2>'
        + "".join(parts)
        + _heat_legend()
        + _sittings(s)
        + _heat_table(rows, hours)
        + "</section>"
    )


def _heat_title(per_weekday: bool) -> str:
    return "When you sat" + (" (average per weekday)" if per_weekday else "")


def _heat_legend() -> str:
    return (
        '<ul class="legend">'
        + "".join(
            f'<li><span class="key" style="background:var(--s{n})"></span>{text}</li>'
            for n, text in (
                (0, "not sat"),
                (1, "under ¼ h"),
                (2, "¼–½ h"),
                (3, "½–¾ h"),
                (4, "¾ h or more"),
            )
        )
        + '<li><span class="key" style="background:var(--brk);border-radius:50%"></span>'
        "a break taken</li></ul>"
    )


def _heat_table(rows: Sequence[HeatRow], hours: Sequence[int]) -> str:
    """The map again as a table, for screen readers and for reading exact minutes."""
    table_rows = "".join(
        f"<tr><th>{row.label_day:%a %d}</th>"
        + "".join(f"<td>{round(row.work_s[h] / 60)}{'+' * row.breaks[h]}</td>" for h in hours)
        + "</tr>"
        for row in rows
    )
    return (
        "<details><summary>The map as a table (minutes sat, + for each break)</summary>"
        '<div class="scroll"><table><tr><th>day</th>'
        + "".join(f"<th>{h:02d}</th>" for h in hours)
        + f"</tr>{table_rows}</table></div></details>"
    )


def _heat_summary(s: WeekStats) -> str:
    worked = sum(h.work_s[n] for h in s.hours for n in range(24))
    if not worked:
        return "Hour by hour map: no work recorded in these days."
    busiest = max(
        ((h.date, n, h.work_s[n]) for h in s.hours for n in range(24)), key=lambda item: item[2]
    )
    return (
        f"Hour by hour map of work and breaks. Busiest hour: {busiest[0]:%A} "
        f"{busiest[1]:02d}:00, {format_minutes(busiest[2])} sat."
    )


def _sittings(s: WeekStats) -> str:
    if not s.longest_sittings:
        return ""
    items = "".join(
        f'<li><span class="nowrap">{x.started:%a %d %b, %H:%M}–{x.ended:%H:%M}</span>: '
        f"<strong{datum(f'longest_sittings.{i}.duration_s', x.duration_s)}>"
        f"{format_minutes(x.duration_s)}</strong> without a break</li>"
        for i, x in enumerate(s.longest_sittings)
    )
    return f"<h3>Longest without a break</h3><ol>{items}</ol>"


def _bars(
    values: Sequence[float],
    labels: Sequence[str],
    goal: float | None,
    keys: Sequence[str],
    shown: Sequence[str],
    title_id: str,
    summary: str,
    step: int = 40,
) -> str:
    """A bar chart, one bar per value, with an optional dashed goal line."""
    left, top, plot = 4, 16, 100
    every = 1 if len(values) * step <= 300 else 2  # labels every other bar when crowded
    width = left + step * len(values)
    most = max([*values, goal or 0, 1e-9])
    parts = [
        f'<svg viewBox="0 0 {width} {top + plot + 18}" style="max-width:{width * 2}px" '
        'role="img" '
        f'aria-labelledby="{title_id}"><desc>{escape(summary)}</desc>'
    ]
    for n, (value, label, key, text) in enumerate(zip(values, labels, keys, shown, strict=True)):
        h = plot * value / most
        x = left + n * step
        cls = "s3" if goal is None else "met" if value >= goal else "under"
        parts.append(
            f'<rect x="{x + step // 6}" y="{top + plot - h:.1f}" width="{step - step // 3}" '
            f'height="{h:.1f}" '
            f'class="{cls}"{datum(key, value) if key else ""}><title>{escape(label)}: '
            f"{escape(text)}</title></rect>"
            f'<text x="{x + step / 2}" y="{top + plot - h - 3:.1f}" text-anchor="middle" '
            f'class="small">{escape(text)}</text>'
            + (
                f'<text x="{x + step / 2}" y="{top + plot + 13}" text-anchor="middle" '
                f'class="small">{escape(label)}</text>'
                if n % every == 0
                else ""
            )
        )
    parts.append(f'<line x1="0" x2="{width}" y1="{top + plot}" y2="{top + plot}" class="axis"/>')
    if goal:
        y = top + plot - plot * goal / most
        parts.append(f'<line x1="0" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" class="goal"/>')
    parts.append("</svg>")
    return "".join(parts)


def per_day(s: WeekStats) -> str:
    goal = s.goal_breaks_per_day
    labels = [f"{d.date:%a %d}" for d in s.days]
    many = len(s.days) > 14
    breaks = _bars(
        [d.breaks_completed for d in s.days],
        labels,
        goal,
        [f"days.{i}.breaks_completed" for i in range(len(s.days))],
        [str(d.breaks_completed) for d in s.days],
        "h-breaks",
        f"Breaks taken per day against the goal of {goal}: "
        + ", ".join(f"{d.date:%a} {d.breaks_completed}" for d in s.days),
    )
    moved = _bars(
        [d.moved_s / 60 for d in s.days],
        labels,
        None,
        ["" for _ in s.days],
        [format_minutes(d.moved_s) for d in s.days],
        "h-moved",
        "Minutes moved per day: "
        + ", ".join(f"{d.date:%a} {format_minutes(d.moved_s)}" for d in s.days),
    )
    hidden = "".join(
        f"<tr><th>{d.date:%a %d %b}</th>"
        f"<td{datum(f'days.{i}.breaks_completed', d.breaks_completed)}>"
        f"{d.breaks_completed}</td><td{datum(f'days.{i}.moved_s', d.moved_s)}>"
        f"{format_minutes(d.moved_s)}</td><td{datum(f'days.{i}.work_s', d.work_s)}>"
        f"{format_minutes(d.work_s)}</td></tr>"
        for i, d in enumerate(s.days)
    )
    table = (
        "<details><summary>Per day as a table</summary>"
        '<div class="scroll"><table><tr><th>day</th><th>breaks</th><th>moved</th>'
        f"<th>worked</th></tr>{hidden}</table></div></details>"
    )
    charts = (
        ""
        if many
        else (
            f'<div class="cols"><figure><h3 id="h-breaks">Breaks taken (goal {goal}, dashed)</h3>'
            f"{breaks}</figure>"
            f'<figure><h3 id="h-moved">Minutes moved</h3>{moved}</figure></div>'
        )
    )
    return (
        '<section aria-labelledby="h-days"><h2 id="h-days">Day by day</h2>'
        f"{charts}{table}</section>"
    )


def trend(trend_weeks: Sequence[TrendWeek], goal: int) -> str:
    weeks = list(trend_weeks)
    labels = [f"{w.start:%d %b}" for w in weeks]
    breaks = _bars(
        [round(w.breaks_per_day, 1) for w in weeks],
        labels,
        goal,
        ["" for _ in weeks],
        [num(w.breaks_per_day) for w in weeks],
        "h-trend-b",
        f"Breaks a day, week by week, against the goal of {goal}: "
        + ", ".join(f"week of {w.start:%d %b} {num(w.breaks_per_day)}" for w in weeks),
        step=30,
    )
    moved = _bars(
        [w.moved_per_day_s / 60 for w in weeks],
        labels,
        None,
        ["" for _ in weeks],
        [format_minutes(w.moved_per_day_s) for w in weeks],
        "h-trend-m",
        "Minutes moved a day, week by week: "
        + ", ".join(f"week of {w.start:%d %b} {format_minutes(w.moved_per_day_s)}" for w in weeks),
        step=30,
    )
    rows = "".join(
        f"<tr><th>{w.start:%d %b %Y}</th>"
        f"<td{datum(f'trend.{i}.breaks_completed', w.breaks_completed)}>{w.breaks_completed}</td>"
        f"<td>{w.days}</td><td>{num(w.breaks_per_day)}</td>"
        f"<td{datum(f'trend.{i}.moved_s', w.moved_s)}>{format_minutes(w.moved_s)}</td></tr>"
        for i, w in enumerate(weeks)
    )
    return (
        f'<section aria-labelledby="h-trend"><h2 id="h-trend">The last {plural(len(weeks), "week")}'
        f'</h2><div><figure><h3 id="h-trend-b">Breaks a day (goal {goal}, dashed)'
        f'</h3>{breaks}</figure><figure><h3 id="h-trend-m">Minutes moved a day</h3>{moved}'
        "</figure></div><details><summary>The weeks as a table</summary>"
        '<div class="scroll"><table><tr><th>week of</th><th>breaks</th><th>days</th>'
        f"<th>a day</th><th>moved</th></tr>{rows}</table></div></details></section>"
    )
