"""Regenerate the README's screens: the work screen, a break step with its cues, and the weekly
review as SVG (Rich's own Console.save_svg), plus a PNG of the review page (headless chromium).

Usage: python docs/screens.py [--out DIR] [--no-png]     (default DIR: docs/)
tests/test_screens.py regenerates the SVGs in a temporary folder and checks they match.

It draws through the screens' public functions only: work_frame.work_frame (the work screen),
screens.render_session_screen (a break), terminal.render_week (the review), and
page.render_page (the page). Every figure comes from a fixed, made-up week.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from rich.console import Console
from rich.text import Text

from breakctl.core.day import SessionSnapshot
from breakctl.core.record_codec import decode_line
from breakctl.core.records import Record
from breakctl.core.routine_run import Snapshot
from breakctl.core.stats import WeekStats, week_stats
from breakctl.core.stats_hours import routines_done
from breakctl.core.timeline import build_timeline
from breakctl.core.trend import TrendWeek, trend
from breakctl.core.window import Window
from breakctl.store.library import Catalog, builtin_dir
from breakctl.ui.report import page as report_page
from breakctl.ui.report.terminal import render_week
from breakctl.ui.session.screens import render_session_screen
from breakctl.ui.session.work_frame import work_frame

DOCS = Path(__file__).resolve().parent
CET = timezone(timedelta(hours=1))
WIDTH = 80
CATALOG = Catalog(builtin_dir(), Path("/nonexistent"))  # built-in routines only


def console() -> Console:
    return Console(
        record=True,
        width=WIDTH,
        force_terminal=True,
        color_system="truecolor",
        file=open("/dev/null", "w"),
    )


def work_screen(out: Path) -> None:
    snapshot = SessionSnapshot(
        phase="work",
        cycle=2,
        cycles=4,
        paused=False,
        remaining_s=754,
        planned_s=1500,
        elapsed_s=746,
        ends_at=datetime(2026, 3, 2, 10, 12, tzinfo=CET),
        next_break_routine="neck",
        next_break_title="Neck and upper back",
    )
    screen = console()
    screen.print(Text.from_ansi("\n".join(work_frame(snapshot, WIDTH, color=True, height=20))))
    screen.save_svg(str(out / "screen-work.svg"), title="breakctl start: working")


def break_screen(out: Path) -> None:
    routine = CATALOG.load("desk")
    segment = next(s for s in build_timeline(routine) if s.kind == "work" and s.step_index == 1)
    step = routine.steps[segment.step_index]
    routine_snapshot = Snapshot(routine, segment, step, 9, segment.seconds - 9, 170, None, False, 0)
    snapshot = SessionSnapshot(
        phase="break",
        cycle=2,
        cycles=4,
        paused=False,
        remaining_s=170,
        planned_s=300,
        elapsed_s=130,
        routine=routine_snapshot,
        reason="after 50 minutes sitting: hips and back first",
    )
    screen = console()
    screen.print(render_session_screen(snapshot, ""))
    screen.save_svg(str(out / "screen-break.svg"), title="breakctl start: a break")


def _week_records() -> list[Record]:
    """Five workdays of 50-minute blocks and breaks; some breaks skipped, one long stretch."""
    raw = []
    routines = ["desk", "micro", "neck", "micro"]
    for day in range(5):
        moment = datetime(2026, 3, 2 + day, 9, 0, tzinfo=CET)
        for block in range(6 if day != 2 else 4):
            end = moment + timedelta(minutes=50)
            raw.append(
                {
                    "v": 1,
                    "kind": "work",
                    "started": moment.isoformat(),
                    "ended": end.isoformat(),
                    "active_s": 3000,
                    "outcome": "completed",
                }
            )
            skipped = (day + block) % 4 == 3
            routine = routines[(day + block) % len(routines)]
            ex = {"desk": "seated-knee-hug", "micro": "shoulder-roll", "neck": "neck-circle"}
            moved = 0 if skipped else 300
            raw.append(
                {
                    "v": 1,
                    "kind": "break",
                    "started": end.isoformat(),
                    "ended": (end + timedelta(seconds=moved)).isoformat(),
                    "active_s": moved,
                    "outcome": "skipped" if skipped else "completed",
                    "routine": routine,
                    "steps": [
                        {
                            "exercise": ex[routine],
                            "outcome": "done" if moved else "not-reached",
                            "active_s": moved,
                        }
                    ],
                }
            )
            moment = end + timedelta(minutes=5 if block != 2 else 60)
    parsed = [decode_line(json.dumps(r).encode(), n) for n, r in enumerate(raw, 1)]
    return [r for r in parsed if isinstance(r, Record)]


def review_figures() -> tuple[WeekStats, list[TrendWeek], dict[str, str]]:
    records = _week_records()
    window = Window(date(2026, 3, 2), date(2026, 3, 8))
    library = CATALOG.exercises
    targets = {ex_id: ex.targets for ex_id, ex in library.items()}
    breaks = {r.day: 0 for r in records}
    week_moved = {r.day: 0.0 for r in records}
    for r in records:
        breaks[r.day] += r.completed_break
        week_moved[r.day] += r.active_s if r.kind != "work" else 0.0
    history = {window.start - timedelta(days=n): 5 + n % 4 for n in range(1, 80)}
    moved = {day: 1200.0 + 60 * (n % 5) for n, day in enumerate(history)}
    figures = week_stats(window, records, [], {**history, **breaks}, targets, date(2026, 3, 6), 6)
    weeks = trend(window.end, 12, {**history, **breaks}, {**moved, **week_moved}, date(2026, 3, 6))
    return figures, weeks, {ex_id: ex.name for ex_id, ex in library.items()}


def review_screen(out: Path) -> None:
    figures, weeks, names = review_figures()
    screen = console()
    screen.print(render_week(figures, names, weeks))
    screen.save_svg(str(out / "screen-review.svg"), title="breakctl stats --weeks 12")


def review_page_png(out: Path) -> None:
    """A screenshot of the page, when chromium is installed (not compared by the test)."""
    binary = shutil.which("chromium")
    if binary is None:
        print("chromium not installed: review-page.png left as it was", file=sys.stderr)
        return
    figures, weeks, names = review_figures()
    titles = {name: CATALOG.load(name).title for name in routines_done(_week_records())}
    page = report_page.render_page(report_page.PageData(figures, weeks, names, titles))
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "review.html"
        html.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={tmp}/profile",
                "--window-size=1000,2900",
                f"--screenshot={out / 'review-page.png'}",
                html.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main(argv: list[str]) -> None:
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else DOCS
    out.mkdir(parents=True, exist_ok=True)
    work_screen(out)
    break_screen(out)
    review_screen(out)
    if "--no-png" not in argv:
        review_page_png(out)


if __name__ == "__main__":
    main(sys.argv[1:])
