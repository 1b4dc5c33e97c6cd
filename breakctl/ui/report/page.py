"""The review as one self-contained HTML page: inline SVG and CSS, no script, no network.

Every figure on the page carries `data-key` (its path in `stats --json`, e.g. "days.0.moved_s")
and `data-value` (its JSON value), so a test can read the page back and compare. All text that
comes from data (routine titles, exercise names) is escaped. Pure: returns a string.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from breakctl.core.durations import format_minutes, plural
from breakctl.core.stats import HABIT_DAYS, WeekStats, due_text, held_text
from breakctl.core.trend import TrendWeek
from breakctl.ui.report import body_map, charts
from breakctl.ui.report.markup import CSS, change, datum


@dataclass(frozen=True)
class PageData:
    stats: WeekStats
    trend: Sequence[TrendWeek]
    exercise_names: Mapping[str, str]
    routine_titles: Mapping[str, str]


def _figures(data: PageData) -> str:
    s = data.stats
    t, p = s.totals, s.previous
    b = t.breaks
    compliance = "—" if t.compliance is None else f"{t.compliance:.0%}"
    habit = (
        f"{HABIT_DAYS} days: the median time to a habit"
        if s.habit_days >= HABIT_DAYS
        else f"{s.habit_days} of {HABIT_DAYS} days"
    )
    stopped = b["interrupted"] + b["recovered"]
    tiles = [
        ("Breaks taken", f"<span{datum('breaks.completed', b['completed'])}>{b['completed']}</span>"
         + change(b["completed"], p.breaks["completed"], False)),
        ("Skipped · postponed · cut-short · interrupted",
         f"<span{datum('breaks.skipped', b['skipped'])}>{b['skipped']}</span> · "
         f"<span{datum('breaks.postponed', b['postponed'])}>{b['postponed']}</span> · "
         f"<span{datum('breaks.cut_short', b['cut_short'])}>{b['cut_short']}</span> · {stopped}"),
        ("Taken when due", f"<span{datum('compliance', t.compliance)}>{compliance}</span>"
         f'<span class="change">{escape(due_text(t)[0])}</span>'),
        ("Not taken", escape(due_text(t)[1] or "—")),
        ("Taken away from the desk · typed through",
         f"<span{datum('breaks.natural', b['natural'])}>{b['natural']}</span> · "
         f"<span{datum('breaks.worked_through', b['worked_through'])}>{b['worked_through']}"
         "</span>"),
        ("Time away", f"<span{datum('away_s', t.away_s)}>{format_minutes(t.away_s)}</span>"),
        ("Waited for meetings", f"<span{datum('breaks.held', b['held'])}>"
         f"{escape(held_text(t) or '—')}</span>"),
        ("Moved", f"<span{datum('moved_s', t.moved_s)}>{format_minutes(t.moved_s)}</span>"
         + change(t.moved_s, p.moved_s, True)),
        ("Worked", f"<span{datum('work_s', t.work_s)}>{format_minutes(t.work_s)}</span>"),
        ("Longest sitting", f"<span{datum('longest_sitting_s', s.longest_sitting_s)}>"
         f"{format_minutes(s.longest_sitting_s)}</span>"),
        ("Routines ad hoc", f"<span{datum('routines', t.routines)}>{t.routines}</span>"),
        ("Streak", f"<span{datum('streak_days', s.streak_days)}>"
         f"{plural(s.streak_days, 'day')}</span>"
         f'<span class="change">best {s.best_streak_days}, at {s.goal_breaks_per_day}+ breaks'
         "</span>"),
        ("Habit", f"<span{datum('habit_days', s.habit_days)} class=\"nowrap\">{habit}</span>"),
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


def _done_most(data: PageData) -> str:
    s = data.stats
    routines = "".join(
        f"<li><span{datum(f'routines_done.{name}', n)}>"
        f"{escape(data.routine_titles.get(name, name))}"
        f" ×{n}</span></li>"
        for name, n in list(s.routines_done.items())[:5]
    )
    exercises = "".join(
        f"<li><span{datum(f'exercises.{ex}', n)}>{escape(data.exercise_names.get(ex, ex))}"
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
            _figures(data)
            + charts.heat_map(s)
            + charts.per_day(s)
            + body_map.body_map(s)
            + charts.trend(data.trend, s.goal_breaks_per_day)
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
