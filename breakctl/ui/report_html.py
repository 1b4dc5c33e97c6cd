"""The review as one self-contained HTML page: inline SVG and CSS, no script, no network.

Every figure on the page carries `data-key` (its path in `stats --json`, e.g. "days.0.moved_s")
and `data-value` (its JSON value), so a test can read the page back and compare. All text that
comes from data (routine titles, exercise names) is escaped. Pure: returns a string.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from breakctl.core.durations import format_minutes, plural, round_s
from breakctl.core.model import AREAS
from breakctl.core.stats import HABIT_DAYS, WeekStats
from breakctl.core.stats_hours import busy_hours, heat_rows, shade
from breakctl.core.trend import TrendWeek


@dataclass(frozen=True)
class PageData:
    stats: WeekStats
    trend: Sequence[TrendWeek]
    exercise_names: Mapping[str, str]
    routine_titles: Mapping[str, str]


def _data(key: str, value: object) -> str:
    """The data-key / data-value attributes of one figure."""
    if isinstance(value, float):
        value = round_s(value)
    return f' data-key="{escape(key)}" data-value="{escape(json.dumps(value))}"'


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


CSS = """
:root{--bg:#fff;--fg:#1b1b1b;--muted:#555;--line:#c8c8c8;--card:#f4f5f7;
--s0:#eceef2;--s1:#c6dbef;--s2:#6baed6;--s3:#2b7bba;--s4:#08306b;
--brk:#0a7d32;--good:#0a7d32;--low:#b35c00;--bad:#b3261e;--body:#dcdcdc}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--fg:#ececec;--muted:#b0b0b0;
--line:#3a3f46;--card:#1c2026;--s0:#23272e;--s1:#1f4468;--s2:#2f6fa8;--s3:#5aa0dc;
--s4:#a9d1f5;--brk:#5fd48a;--good:#5fd48a;--low:#f0a24a;--bad:#ff8a80;--body:#3a3f46}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,sans-serif}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 0}h2{font-size:1.15rem;margin:0 0 .5rem}
section{margin:1.5rem 0;break-inside:avoid}
.muted,figcaption{color:var(--muted)}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.5rem;
margin:0}
.figures div{background:var(--card);border-radius:.5rem;padding:.5rem .75rem}
.figures dt{font-size:.85rem;color:var(--muted)}.figures dd{margin:0;font-size:1.35rem;
font-weight:600}
.up{color:var(--good)}.down{color:var(--bad)}.change{display:block;font-size:.8rem;
font-weight:400}
svg{display:block;width:100%;height:auto;max-width:100%}
svg text{fill:var(--fg);font:11px system-ui,sans-serif}svg .small{font-size:9px}
.s0{fill:var(--s0)}.s1{fill:var(--s1)}.s2{fill:var(--s2)}.s3{fill:var(--s3)}
.s4{fill:var(--s4)}.brk{fill:var(--brk)}.met{fill:var(--good)}.under{fill:var(--low)}
.goal{stroke:var(--fg);stroke-dasharray:4 3;stroke-width:1}.axis{stroke:var(--line)}
.none{fill:var(--body)}.neglected{fill:none;stroke:var(--bad);stroke-dasharray:3 2}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.85rem;color:var(--muted);
padding:0;margin:.25rem 0;list-style:none}
.key{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;margin-right:.3em;
border-radius:2px}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.85rem}th,td{padding:.15rem .4rem;text-align:right;
border-bottom:1px solid var(--line);white-space:nowrap}th:first-child{text-align:left}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
ol{margin:.25rem 0;padding-left:1.5rem}figure{margin:0}h3{font-size:1rem;margin:.5rem 0}

.nowrap{white-space:nowrap}
@media print{:root{--bg:#fff;--fg:#000;--card:#fff}main{max-width:none}
details{display:none}section{page-break-inside:avoid}}
"""


def _change(now: float, before: float, is_time: bool) -> str:
    if now == before:
        return '<span class="change">= same as before</span>'
    up = now > before
    amount = format_minutes(abs(now - before)) if is_time else _num(abs(now - before))
    word = "more" if up else "fewer" if not is_time else "less"
    arrow = "▲" if up else "▼"
    return (
        f'<span class="change {"up" if up else "down"}">'
        f'<span aria-hidden="true">{arrow} </span>{amount} {word} than before</span>'
    )


def _figures(data: PageData) -> str:
    s = data.stats
    t, p = s.totals, s.previous
    b = t.breaks
    compliance = "—" if t.compliance is None else f"{t.compliance:.0%}"
    habit = (
        f"formed: {HABIT_DAYS}+ days"
        if s.habit_days >= HABIT_DAYS
        else f"{s.habit_days} of {HABIT_DAYS} days"
    )
    cut = b["interrupted"] + b["recovered"]
    tiles = [
        ("Breaks taken", f"<span{_data('breaks.completed', b['completed'])}>{b['completed']}</span>"
         + _change(b["completed"], p.breaks["completed"], False)),
        ("Skipped · postponed · cut short",
         f"<span{_data('breaks.skipped', b['skipped'])}>{b['skipped']}</span> · "
         f"<span{_data('breaks.postponed', b['postponed'])}>{b['postponed']}</span> · {cut}"),
        ("Taken when due", f"<span{_data('compliance', t.compliance)}>{compliance}</span>"),
        ("Moved", f"<span{_data('moved_s', t.moved_s)}>{format_minutes(t.moved_s)}</span>"
         + _change(t.moved_s, p.moved_s, True)),
        ("Worked", f"<span{_data('work_s', t.work_s)}>{format_minutes(t.work_s)}</span>"),
        ("Longest sitting", f"<span{_data('longest_sitting_s', s.longest_sitting_s)}>"
         f"{format_minutes(s.longest_sitting_s)}</span>"),
        ("Routines ad hoc", f"<span{_data('routines', t.routines)}>{t.routines}</span>"),
        ("Streak", f"<span{_data('streak_days', s.streak_days)}>"
         f"{plural(s.streak_days, 'day')}</span>"
         f'<span class="change">best {s.best_streak_days}, at {s.goal_breaks_per_day}+ breaks'
         "</span>"),
        ("Habit", f"<span{_data('habit_days', s.habit_days)} class=\"nowrap\">{habit}</span>"),
    ]  # fmt: skip
    cells = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in tiles)
    return (
        '<section aria-labelledby="h-fig"><h2 id="h-fig">The figures</h2>'
        f'<dl class="figures">{cells}</dl></section>'
    )


def _compared(s: WeekStats) -> str:
    previous = s.window.previous()
    if s.previous_until is not None:
        return (
            "Changes compare with the same part of the days before: "
            f"{previous.start:%a %d %b} – {s.previous_until:%a %d %b %H:%M}."
        )
    return f"Changes compare with {previous.start:%a %d %b} – {previous.end:%a %d %b}."


def _heat_map(s: WeekStats) -> str:
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
                "" if per_weekday or index is None else _data(f"hours.{index}.work_s.{hour}", work)
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
                    else _data(f"hours.{index}.breaks.{hour}", breaks)
                )
                parts.append(
                    f'<circle cx="{x + (cell - 1) / 2}" cy="{y + (cell - 1) / 2}" r="3.5" '
                    f'class="brk"{b_attrs}/>'
                )
    parts.append("</svg>")
    legend = (
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
    title = "When you sat" + (" (average per weekday)" if per_weekday else "")
    table_rows = "".join(
        f"<tr><th>{row.label_day:%a %d}</th>"
        + "".join(f"<td>{round(row.work_s[h] / 60)}{'+' * row.breaks[h]}</td>" for h in hours)
        + "</tr>"
        for row in rows
    )
    table = (
        "<details><summary>The map as a table (minutes sat, + for each break)</summary>"
        '<div class="scroll"><table><tr><th>day</th>'
        + "".join(f"<th>{h:02d}</th>" for h in hours)
        + f"</tr>{table_rows}</table></div></details>"
    )
    return (
        f'<section aria-labelledby="h-heat"><h2 id="h-heat">{title}</h2>'
        + "".join(parts)
        + legend
        + _sittings(s)
        + table
        + "</section>"
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
        f"<strong{_data(f'longest_sittings.{i}.duration_s', x.duration_s)}>"
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
            f'class="{cls}"{_data(key, value) if key else ""}><title>{escape(label)}: '
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


def _per_day(s: WeekStats) -> str:
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
        f"<td{_data(f'days.{i}.breaks_completed', d.breaks_completed)}>"
        f"{d.breaks_completed}</td><td{_data(f'days.{i}.moved_s', d.moved_s)}>"
        f"{format_minutes(d.moved_s)}</td><td{_data(f'days.{i}.work_s', d.work_s)}>"
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


# Body map shapes: (area, view, svg shape); views are the front (x 0-110) and back (120-230).
_BODY = [
    ("eyes", "ellipse", 'cx="55" cy="16" rx="3.5" ry="2.5"'),
    ("eyes", "ellipse", 'cx="65" cy="16" rx="3.5" ry="2.5"'),
    ("neck", "rect", 'x="54" y="33" width="12" height="10"'),
    ("shoulders", "ellipse", 'cx="38" cy="50" rx="12" ry="8"'),
    ("shoulders", "ellipse", 'cx="82" cy="50" rx="12" ry="8"'),
    ("chest", "rect", 'x="44" y="46" width="32" height="22" rx="4"'),
    ("core", "rect", 'x="46" y="70" width="28" height="26" rx="3"'),
    ("hip-flexors", "rect", 'x="44" y="98" width="32" height="12" rx="3"'),
    ("quads", "rect", 'x="44" y="112" width="14" height="44" rx="5"'),
    ("quads", "rect", 'x="62" y="112" width="14" height="44" rx="5"'),
    ("neck", "rect", 'x="174" y="33" width="12" height="10"'),
    ("shoulders", "ellipse", 'cx="158" cy="50" rx="12" ry="8"'),
    ("shoulders", "ellipse", 'cx="202" cy="50" rx="12" ry="8"'),
    ("upper-back", "rect", 'x="164" y="46" width="32" height="26" rx="4"'),
    ("lower-back", "rect", 'x="166" y="74" width="28" height="22" rx="3"'),
    ("glutes", "rect", 'x="164" y="98" width="32" height="16" rx="5"'),
    ("hamstrings", "rect", 'x="164" y="116" width="14" height="40" rx="5"'),
    ("hamstrings", "rect", 'x="182" y="116" width="14" height="40" rx="5"'),
    ("calves", "rect", 'x="165" y="160" width="12" height="40" rx="5"'),
    ("calves", "rect", 'x="183" y="160" width="12" height="40" rx="5"'),
]
# Parts that are not areas: head, arms, front lower legs.
_SILHOUETTE = "".join(
    f'<circle cx="{cx}" cy="18" r="13" class="none"/>'
    f'<rect x="{cx - 36}" y="56" width="9" height="52" rx="4" class="none"/>'
    f'<rect x="{cx + 27}" y="56" width="9" height="52" rx="4" class="none"/>'
    for cx in (60, 180)
) + (
    '<rect x="45" y="160" width="12" height="40" rx="5" class="none"/>'
    '<rect x="63" y="160" width="12" height="40" rx="5" class="none"/>'
)


def _body_map(s: WeekStats) -> str:
    most = max([*s.areas.values(), 1e-9])
    shapes = []
    for area, tag, geometry in _BODY:
        seconds = s.areas.get(area, 0.0)
        level = 0 if seconds <= 0 else 1 + min(3, int(4 * seconds / most))
        cls = "neglected" if level == 0 else f"s{level}"
        shapes.append(
            f'<{tag} {geometry} class="{cls}"{_data(f"areas.{area}", seconds)}>'
            f"<title>{escape(area)}: {format_minutes(seconds)}</title></{tag}>"
        )
    worked = [(a, x) for a, x in sorted(s.areas.items(), key=lambda i: -i[1]) if x > 0]
    neglected = [a for a in AREAS if s.areas.get(a, 0.0) <= 0]
    desc = (
        "Body map, front and back. "
        + (
            "Worked: " + ", ".join(f"{a} {format_minutes(x)}" for a, x in worked) + ". "
            if worked
            else "No area worked yet. "
        )
        + ("Not worked: " + ", ".join(neglected) + "." if neglected else "Every area worked.")
    )
    svg = (
        '<svg viewBox="0 0 240 222" role="img" aria-labelledby="h-body" '
        f'style="max-width:22rem"><desc>{escape(desc)}</desc>{_SILHOUETTE}'
        + "".join(shapes)
        + '<text x="60" y="218" text-anchor="middle">front</text>'
        '<text x="180" y="218" text-anchor="middle">back</text></svg>'
    )
    worked_list = "".join(
        f'<li><span class="nowrap">{escape(a)} {format_minutes(x)}</span></li>' for a, x in worked
    )
    neglected_text = (
        "<p><strong>Not worked:</strong> "
        + ", ".join(f'<span class="nowrap">{escape(a)}</span>' for a in neglected)
        + " (dashed outline).</p>"
        if neglected
        else "<p>Every area worked.</p>"
    )
    return (
        '<section aria-labelledby="h-body"><h2 id="h-body">Your body this week</h2>'
        f'<div class="cols"><div>{svg}</div><div><p>Darker is more time.</p>'
        f"<ol>{worked_list}</ol>{neglected_text}</div></div></section>"
    )


def _trend(data: PageData) -> str:
    weeks = list(data.trend)
    goal = data.stats.goal_breaks_per_day
    labels = [f"{w.start:%d %b}" for w in weeks]
    breaks = _bars(
        [round(w.breaks_per_day, 1) for w in weeks],
        labels,
        goal,
        ["" for _ in weeks],
        [_num(w.breaks_per_day) for w in weeks],
        "h-trend-b",
        f"Breaks a day, week by week, against the goal of {goal}: "
        + ", ".join(f"week of {w.start:%d %b} {_num(w.breaks_per_day)}" for w in weeks),
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
        f"<td{_data(f'trend.{i}.breaks_completed', w.breaks_completed)}>{w.breaks_completed}</td>"
        f"<td>{w.days}</td><td>{_num(w.breaks_per_day)}</td>"
        f"<td{_data(f'trend.{i}.moved_s', w.moved_s)}>{format_minutes(w.moved_s)}</td></tr>"
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


def _done_most(data: PageData) -> str:
    s = data.stats
    routines = "".join(
        f"<li><span{_data(f'routines_done.{name}', n)}>"
        f"{escape(data.routine_titles.get(name, name))}"
        f" ×{n}</span></li>"
        for name, n in list(s.routines_done.items())[:5]
    )
    exercises = "".join(
        f"<li><span{_data(f'exercises.{ex}', n)}>{escape(data.exercise_names.get(ex, ex))}"
        f" ×{n}</span></li>"
        for ex, n in list(s.exercises.items())[:5]
    )
    return (
        '<section aria-labelledby="h-most"><h2 id="h-most">Done most</h2><div class="cols">'
        f"<div><h3>Routines</h3><ol>{routines or '<li>none yet</li>'}</ol></div>"
        f"<div><h3>Exercises</h3><ol>{exercises or '<li>none yet</li>'}</ol></div>"
        "</div></section>"
    )


def render_page(data: PageData) -> str:
    s = data.stats
    window = s.window
    title = f"Your review: {window.start:%a %d %b} – {window.end:%a %d %b %Y}"
    if s.empty:
        body = (
            "<p><strong>Nothing recorded in these days yet.</strong> Run "
            "<code>breakctl start</code> for work/break cycles, or <code>breakctl routine "
            "micro</code> for a one-minute break; this page fills in as you go.</p>"
        )
    else:
        body = (
            _figures(data) + _heat_map(s) + _per_day(s) + _body_map(s) + _trend(data)
            + _done_most(data)
        )  # fmt: skip
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>"
        f'<h1>{escape(title)}</h1><p class="muted">{escape(_compared(s))}</p>'
        f"{body}"
        '<p class="muted">Written by breakctl from your local history; nothing here left '
        "your computer.</p></main></body></html>\n"
    )
