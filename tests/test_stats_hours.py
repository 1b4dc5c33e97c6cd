"""The review's new figures: hours, sitting stretches, the trend, the partial comparison, and
the fixes to the screen a new user hit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from breakctl.core.durations import format_minutes, plural
from breakctl.core.record_codec import decode_line as parse_record
from breakctl.core.stats_hours import day_hours, longest_sittings
from breakctl.store.paths import Paths
from breakctl.ui.report.terminal import Wrapped
from tests.test_stats import CET, HAND_BUILT, goal_one, rec, stats, t, write_history  # noqa: F401


def records(*raw: dict):
    parsed = [parse_record(json.dumps(r).encode(), n) for n, r in enumerate(raw, 1)]
    assert all(not hasattr(p, "reason") for p in parsed), parsed
    return parsed


def test_a_block_across_hours_and_midnight_is_split_pro_rata() -> None:
    # 40 minutes on the clock with a 10-minute pause: 30 minutes of work, spread evenly.
    paused = rec("work", t("03-02", "09:40"), t("03-02", "10:20"), 1800, "completed", paused_s=600)
    late = rec("work", t("03-02", "23:30"), t("03-03", "00:30"), 3600, "completed")
    days = [date(2026, 3, 2), date(2026, 3, 3)]
    monday, tuesday = day_hours(days, records(paused, late))
    assert (monday.work_s[9], monday.work_s[10]) == (900, 900)
    assert monday.work_s[23] == 1800 and tuesday.work_s[0] == 1800
    assert sum(monday.work_s) + sum(tuesday.work_s) == 1800 + 3600
    # The part after the last day asked for is left out, not moved.
    (only_monday,) = day_hours(days[:1], records(late))
    assert sum(only_monday.work_s) == 1800


def test_breaks_per_hour_count_completed_breaks_where_they_started() -> None:
    taken = rec("break", t("03-02", "10:59"), t("03-02", "11:04"), 300, "completed", "micro")
    skipped = rec("break", t("03-02", "11:30"), t("03-02", "11:30"), 0, "skipped", "micro")
    (monday,) = day_hours([date(2026, 3, 2)], records(taken, skipped))
    assert monday.breaks[10] == 1 and sum(monday.breaks) == 1


def test_stretches_end_at_a_completed_break_or_a_gap_and_keep_five() -> None:
    raw = []
    for n in range(7):  # seven blocks of growing length, each followed by a completed break
        start = datetime(2026, 3, 2, 8 + n, 0, tzinfo=CET)
        minutes = 10 + n
        raw.append(
            rec(
                "work",
                start.isoformat(),
                (start + timedelta(minutes=minutes)).isoformat(),
                minutes * 60,
                "completed",
            )
        )
        raw.append(
            rec(
                "break",
                (start + timedelta(minutes=minutes)).isoformat(),
                (start + timedelta(minutes=minutes + 1)).isoformat(),
                60,
                "completed",
                "micro",
            )
        )
    longest = longest_sittings(records(*raw))
    assert [s.duration_s / 60 for s in longest] == [16, 15, 14, 13, 12]
    assert longest[0].started == datetime(2026, 3, 2, 14, 0, tzinfo=CET)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0m"), (1, "<1m"), (29, "<1m"), (31, "1m"), (90, "2m"), (3300, "55m"), (3900, "1h05m")],
)
def test_one_duration_format(seconds: float, shown: str) -> None:
    assert format_minutes(seconds) == shown


def test_plurals() -> None:
    assert (plural(0, "break"), plural(1, "break"), plural(2, "break")) == (
        "0 breaks",
        "1 break",
        "2 breaks",
    )


def test_lists_wrap_between_items_never_inside_one() -> None:
    items = [f"area-{n} {n}m" for n in range(12)]
    console = Console(width=30, record=True, color_system=None)
    console.print(Wrapped("Areas worked:", items))
    lines = console.export_text().splitlines()
    assert len(lines) > 2 and all(len(line) <= 30 for line in lines)
    text = " ".join(line.strip() for line in lines)
    for item in items:
        assert item in text  # each item whole on one line


@pytest.mark.usefixtures("goal_one")
def test_the_screen_shows_hours_stretches_and_plurals(paths: Paths) -> None:
    write_history(paths, HAND_BUILT)
    screen = stats(paths).stdout
    assert "Sitting by hour" in screen and "●" in screen
    assert "Mon 02 09:30–10:25  55m" in screen
    assert "1 break\n" in screen and "1 breaks" not in screen
    assert "chest <1m" in screen and " 0m," not in screen
    assert "compared with the same part of the days before: Mon 23 Feb – Fri 27 Feb 18:00" in screen


def test_monday_morning_compares_with_last_monday_morning(paths: Paths) -> None:
    last_monday = rec("break", t("02-23", "09:00"), t("02-23", "09:05"), 300, "completed", "micro")
    last_friday = rec("break", t("02-27", "15:00"), t("02-27", "15:05"), 300, "completed", "micro")
    this_monday = rec("break", t("03-02", "09:00"), t("03-02", "09:05"), 300, "completed", "micro")
    write_history(paths, [last_monday, last_friday, this_monday])
    monday_morning = datetime(2026, 3, 2, 9, 40, tzinfo=CET)
    figures = json.loads(stats(paths, "--json", now=monday_morning).stdout)
    assert figures["previous"]["breaks"]["completed"] == 1
    assert figures["previous"]["until"] == "2026-02-23T09:40:00"
    assert "= same as before" in stats(paths, now=monday_morning).stdout
    # Once the week is over, the whole week before counts.
    figures = json.loads(stats(paths, "--json", "--week", "last", now=monday_morning).stdout)
    assert figures["previous"]["until"] is None and figures["previous"]["to"] == "2026-02-22"


@pytest.mark.usefixtures("goal_one")
def test_habit_formed_once_the_goal_is_reached(paths: Paths) -> None:
    first = date(2026, 1, 1)
    write_history(
        paths,
        [
            rec(
                "break",
                f"{first + timedelta(n)}T10:00:00+01:00",
                f"{first + timedelta(n)}T10:05:00+01:00",
                300,
                "completed",
                "micro",
            )
            for n in range(70)
        ],
    )
    screen = stats(paths).stdout
    assert "Habit: 66 days: the median time to a habit" in screen and "of 66 days" not in screen


@pytest.mark.usefixtures("goal_one")
def test_trend_over_weeks(paths: Paths) -> None:
    write_history(paths, HAND_BUILT)
    figures = json.loads(stats(paths, "--json", "--weeks", "12").stdout)
    trend = figures["trend"]
    assert len(trend) == 12 and trend[0]["from"] == "2025-12-15" and trend[-1]["to"] == "2026-03-08"
    assert trend[-1] == {
        "from": "2026-03-02",
        "to": "2026-03-08",
        "days": 5,
        "breaks_completed": 2,
        "moved_s": 690,
    }
    assert trend[-2]["breaks_completed"] == 1 and trend[-2]["moved_s"] == 300
    assert "trend" not in json.loads(stats(paths, "--json").stdout)
    screen = stats(paths, "--weeks", "12").stdout
    assert "Trend, 12 weeks (goal 1 break a day)" in screen and "02 Mar" in screen


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weeks", "0"], "--weeks: expected 1 to 520"),
        (["--json", "--html", "x.html"], "use --json or --html, not both"),
        (["--open"], "--open goes with --html FILE"),
    ],
)
def test_bad_review_options_are_exit_2(paths: Paths, args: list[str], message: str) -> None:
    result = stats(paths, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_the_page_escapes_titles_from_user_files(paths: Paths, tmp_path: Path) -> None:
    write_history(paths, HAND_BUILT)
    paths.routines_dir.mkdir(parents=True, exist_ok=True)
    paths.routines_dir.joinpath("desk.toml").write_text(
        'name = "desk"\ntitle = "<script>alert(1)</script> & co"\nsummary = "s"\n'
        '[[steps]]\nexercise = "walk"\n'
    )
    page = tmp_path / "review.html"
    result = stats(paths, "--html", str(page))
    assert result.exit_code == 0, result.output
    assert f"Wrote {page}" in result.stdout
    html = page.read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert len(html.encode()) < 200_000


def test_an_unwritable_page_is_one_line_exit_1(paths: Paths, tmp_path: Path) -> None:
    result = stats(paths, "--html", str(tmp_path / "missing" / "review.html"))
    assert result.exit_code == 1 and "review.html: cannot write" in result.stderr
    assert result.stderr.count("\n") == 1


def _run_open(tmp_path: Path, browser: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(BREAKCTL_HOME=str(tmp_path / "home"), BROWSER=browser)
    page = tmp_path / "review.html"
    return subprocess.run(
        [sys.executable, "-m", "breakctl", "stats", "--html", str(page), "--open"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_open_hands_the_page_to_the_browser(tmp_path: Path) -> None:
    seen = tmp_path / "seen.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" > {seen}\n')
    browser.chmod(0o755)
    result = _run_open(tmp_path, str(browser))
    assert result.returncode == 0, result.stderr
    assert seen.read_text().strip() == (tmp_path / "review.html").as_uri()


def test_open_without_a_browser_says_so_in_one_line(tmp_path: Path) -> None:
    result = _run_open(tmp_path, str(tmp_path / "no-such-browser"))
    assert result.returncode == 1
    assert "no web browser found to open file://" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert (tmp_path / "review.html").exists()  # the page is written all the same
