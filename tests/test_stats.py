"""The weekly review on hand-built histories where every figure is known."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.core.stats import streaks
from breakctl.core.window import Window, week_of
from breakctl.host.context import AppContext
from breakctl.store.paths import Paths
from tests.fakes import FakeClock

CET = timezone(timedelta(hours=1))
FRIDAY_EVENING = datetime(2026, 3, 6, 18, 0, tzinfo=CET)


def rec(
    kind: str,
    started: str,
    ended: str,
    active: float,
    outcome: str,
    routine: str | None = None,
    steps: list[tuple[str, str, float]] | None = None,
    **extra: object,
) -> dict:
    record: dict = {
        "v": 1,
        "id": f"{kind}-{started}",
        "kind": kind,
        "started": started,
        "ended": ended,
        "active_s": active,
        "outcome": outcome,
        **extra,
    }
    if routine:
        record["routine"] = routine
    if kind != "work":
        record["steps"] = [{"exercise": e, "outcome": o, "active_s": s} for e, o, s in steps or []]
    return record


def t(day: str, hhmm: str, offset: str = "+01:00") -> str:
    return f"2026-{day}T{hhmm}:00.000{offset}"


def hours(
    day: str, work: dict[int, float] | None = None, breaks: dict[int, int] | None = None
) -> dict:
    """One `hours` entry: the hours not named are 0."""
    return {
        "date": day,
        "work_s": [(work or {}).get(n, 0) for n in range(24)],
        "breaks": [(breaks or {}).get(n, 0) for n in range(24)],
    }


HAND_BUILT = [
    rec(
        "break",
        t("01-10", "10:00"),
        t("01-10", "10:05"),
        300,
        "completed",
        "desk",
        [("walk", "done", 300)],
    ),
    # previous week
    rec("work", t("02-26", "09:00"), t("02-26", "09:25"), 1500, "completed"),
    rec(
        "break",
        t("02-26", "09:25"),
        t("02-26", "09:30"),
        300,
        "completed",
        "desk",
        [("walk", "done", 300)],
    ),
    # Monday
    rec("work", t("03-02", "09:00"), t("03-02", "09:25"), 1500, "completed"),
    rec(
        "break",
        t("03-02", "09:25"),
        t("03-02", "09:30"),
        300,
        "completed",
        "desk",
        [
            ("seated-knee-hug", "done", 63),
            ("seated-trunk-rotation", "done", 63),
            ("chest-opener", "skipped", 10),
        ],
    ),
    rec("work", t("03-02", "09:30"), t("03-02", "09:55"), 1500, "completed"),
    rec(
        "break",
        t("03-02", "09:55"),
        t("03-02", "09:55"),
        0,
        "skipped",
        "desk",
        [("walk", "not-reached", 0)],
    ),
    rec("work", t("03-02", "09:55"), t("03-02", "10:20"), 1500, "completed"),
    rec("break", t("03-02", "10:20"), t("03-02", "10:20"), 0, "postponed", "desk", []),
    rec("work", t("03-02", "10:20"), t("03-02", "10:25"), 300, "completed"),
    rec(
        "break",
        t("03-02", "10:25"),
        t("03-02", "10:27"),
        120,
        "interrupted",
        "lunch",
        [("walk", "skipped", 120)],
    ),
    rec(
        "routine",
        t("03-02", "14:00"),
        t("03-02", "14:05"),
        300,
        "completed",
        "neck",
        [("neck-circle", "done", 40)],
    ),
    # Tuesday: a paused work block, then a break recovered after a crash
    rec("work", t("03-03", "09:00"), t("03-03", "09:50"), 2700, "completed", paused_s=300),
    rec(
        "break",
        t("03-03", "09:50"),
        t("03-03", "09:52"),
        100,
        "recovered",
        "micro",
        [("overhead-reach", "done", 15), ("shoulder-roll", "skipped", 85)],
    ),
    # Wednesday: nothing. Thursday: travelling, New York time (already Friday 05:30 in CET at the end)
    rec("work", t("03-05", "22:00", "-05:00"), t("03-05", "22:25", "-05:00"), 1500, "completed"),
    rec(
        "break",
        t("03-05", "22:25", "-05:00"),
        t("03-05", "22:26", "-05:00"),
        60,
        "completed",
        "micro",
        [("weight-shift", "done", 60)],
    ),
    # Friday
    rec(
        "routine",
        t("03-06", "12:00"),
        t("03-06", "12:01"),
        30,
        "quit",
        "lunch",
        [("walk", "skipped", 30)],
    ),
]

EXPECTED = {
    "from": "2026-03-02",
    "to": "2026-03-08",
    "breaks": {
        "completed": 2,
        "skipped": 1,
        "postponed": 1,
        "interrupted": 1,
        "recovered": 1,
        "natural": 0,
        "worked_through": 0,
        "cut_short": 0,
        "held": 0,
    },
    "compliance": 0.4,
    # Breaks taken and routines only: the interrupted and the recovered break add nothing.
    "moved_s": 690,
    "work_s": 9000,
    "away_s": 0,
    "held_s": 0,
    "longest_sitting_s": 3300,
    # Monday 09:30-10:25 (a skipped, a postponed and an interrupted break do not end it), the
    # paused Tuesday block, Monday's first block, then Thursday in New York.
    "longest_sittings": [
        {"started": "2026-03-02T09:30:00+01:00", "duration_s": 3300},
        {"started": "2026-03-03T09:00:00+01:00", "duration_s": 2700},
        {"started": "2026-03-02T09:00:00+01:00", "duration_s": 1500},
        {"started": "2026-03-05T22:00:00-05:00", "duration_s": 1500},
    ],
    "routines": 2,
    "days": [
        {"date": "2026-03-02", "breaks_completed": 1, "moved_s": 600, "work_s": 4800},
        {"date": "2026-03-03", "breaks_completed": 0, "moved_s": 0, "work_s": 2700},
        {"date": "2026-03-04", "breaks_completed": 0, "moved_s": 0, "work_s": 0},
        {"date": "2026-03-05", "breaks_completed": 1, "moved_s": 60, "work_s": 1500},
        {"date": "2026-03-06", "breaks_completed": 0, "moved_s": 30, "work_s": 0},
        {"date": "2026-03-07", "breaks_completed": 0, "moved_s": 0, "work_s": 0},
        {"date": "2026-03-08", "breaks_completed": 0, "moved_s": 0, "work_s": 0},
    ],
    # Monday 9h: 25m + 25m + the first 5m of the 09:55 block; 10h: its other 20m + 5m.
    # Tuesday's 50 minutes held a 5-minute pause: 2700 s of work, all in 9h.
    "hours": [
        hours("2026-03-02", {9: 3300, 10: 1500}, {9: 1}),
        hours("2026-03-03", {9: 2700}),
        hours("2026-03-04"),
        hours("2026-03-05", {22: 1500}, {22: 1}),
        hours("2026-03-06"),
        hours("2026-03-07"),
        hours("2026-03-08"),
    ],
    "exercises": {  # not the overhead reach of the recovered break: it was not taken
        "neck-circle": 1,
        "seated-knee-hug": 1,
        "seated-trunk-rotation": 1,
        "weight-shift": 1,
    },
    "routines_done": {"desk": 1, "micro": 1, "neck": 1},
    "areas": {
        "neck": 40,
        "shoulders": 0,
        "chest": 10,
        "upper-back": 73,
        "lower-back": 93,
        "core": 63,
        "glutes": 153,
        "hip-flexors": 0,
        "hamstrings": 30,
        "quads": 0,
        "calves": 90,
        "eyes": 0,
        "forearms": 0,
        "shins": 0,
    },
    "streak_days": 1,
    "best_streak_days": 1,
    "habit_days": 4,
    "habit_goal_days": 66,
    "goal_breaks_per_day": 1,
    "previous": {
        # Friday evening: compared with the previous week up to Friday 18:00
        "from": "2026-02-23",
        "to": "2026-02-27",
        "until": "2026-02-27T18:00:00",
        "breaks": {
            "completed": 1,
            "skipped": 0,
            "postponed": 0,
            "interrupted": 0,
            "recovered": 0,
            "natural": 0,
            "worked_through": 0,
            "cut_short": 0,
            "held": 0,
        },
        "compliance": 1.0,
        "moved_s": 300,
        "work_s": 1500,
        "routines": 0,
    },
}


def write_history(paths: Paths, records: list[dict], raw_lines: list[str] | None = None) -> None:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r) for r in records] + (raw_lines or [])
    paths.history_file.write_text("\n".join(lines) + "\n")


def stats(paths: Paths, *args: str, now: datetime = FRIDAY_EVENING):
    ctx = AppContext(paths=paths, clock=FakeClock(now))
    return CliRunner().invoke(app, ["stats", *args], obj=ctx)


@pytest.fixture
def goal_one(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("[goals]\nbreaks_per_day = 1\n")


def test_every_figure_of_a_hand_built_week(paths: Paths, goal_one: None) -> None:
    write_history(paths, HAND_BUILT)
    result = stats(paths, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == EXPECTED
    assert result.stderr == ""


def test_the_screen_shows_the_same_figures(paths: Paths, goal_one: None) -> None:
    write_history(paths, HAND_BUILT)
    screen = stats(paths).stdout
    words = " ".join(screen.split())  # a row may wrap at 80 columns
    assert "breaks 2 taken, 3 not taken, 1 postponed ▲ 1 vs before" in words
    # Every outcome "taken when due" counts, with shares that add up to 100%.
    assert "taken when due 40% of 5 due: 40% moving (2), 0% natural" in words
    assert (
        "not taken 0% worked-through, 0% cut-short, 20% skipped (1), 40% interrupted (2)" in words
    )
    assert "40%" in screen and "longest sitting  55m" in screen
    assert "Mon 02" in screen and "Wed 04" in screen
    assert "Not worked yet: shoulders, hip-flexors, quads" in screen  # the recovered break's roll
    assert "▲ 1 vs before" in screen
    assert "\x1b[" not in screen


def test_a_cache_warm_run_gives_the_same_answer(paths: Paths, goal_one: None) -> None:
    write_history(paths, HAND_BUILT)
    first = json.loads(stats(paths, "--json").stdout)
    assert (paths.state_dir / "history-days.json").exists()
    assert json.loads(stats(paths, "--json").stdout) == first
    with paths.history_file.open("a") as handle:  # a new record after the cache was written
        handle.write(
            json.dumps(
                rec(
                    "break", t("03-06", "13:00"), t("03-06", "13:05"), 300, "completed", "micro", []
                )
            )
            + "\n"
        )
    after = json.loads(stats(paths, "--json").stdout)
    assert (
        after["breaks"]["completed"] == 3 and after["streak_days"] == 2 and after["habit_days"] == 5
    )


def test_a_replaced_history_rebuilds_the_cache(paths: Paths, goal_one: None) -> None:
    write_history(paths, HAND_BUILT)
    stats(paths, "--json")
    write_history(paths, HAND_BUILT[:3])  # replaced by a shorter file
    result = json.loads(stats(paths, "--json").stdout)
    assert result["habit_days"] == 2 and result["breaks"]["completed"] == 0


def test_a_damaged_cache_is_rebuilt(paths: Paths, goal_one: None) -> None:
    write_history(paths, HAND_BUILT)
    paths.state_dir.mkdir(parents=True, exist_ok=True)
    (paths.state_dir / "history-days.json").write_text("{not json")
    assert json.loads(stats(paths, "--json").stdout) == EXPECTED


def test_bad_lines_are_skipped_with_one_warning(paths: Paths, goal_one: None) -> None:
    write_history(paths, HAND_BUILT, ["garbage", '{"v": 1}', "\x00\x00"])
    with paths.history_file.open("ab") as handle:
        handle.write(b'{"v":1,"kind":"work","sta')  # torn by a crash
    before = paths.history_file.read_bytes()
    result = stats(paths, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == EXPECTED
    n = len(HAND_BUILT)
    warning = result.stderr.strip()
    assert warning.count("\n") == 0
    assert f"skipped 4 unreadable lines: {n + 1}, {n + 2}, {n + 3}, {n + 4}" in warning
    assert paths.history_file.read_bytes() == before


def test_old_history_is_not_read_for_this_week(paths: Paths, goal_one: None) -> None:
    """A bad line long before the window is never reached: stats read backwards and stopped."""
    old = [
        rec("work", t("01-0" + str(d), "09:00"), t("01-0" + str(d), "09:25"), 1500, "completed")
        for d in range(1, 9)
    ]
    write_history(paths, [], ["garbage from years ago"])
    with paths.history_file.open("a") as handle:
        for record in old + HAND_BUILT[1:]:
            handle.write(json.dumps(record) + "\n")
    (paths.state_dir / "history-days.json").unlink(missing_ok=True)
    stats(paths, "--json")  # builds the cache (a full scan, once)
    result = stats(paths, "--json")
    assert "unreadable" not in result.stderr
    assert json.loads(result.stdout)["moved_s"] == 690


def test_a_late_recovered_record_does_not_stop_the_scan(paths: Paths) -> None:
    monday = rec("break", t("03-02", "10:00"), t("03-02", "10:05"), 300, "completed", "micro", [])
    recovered = rec("work", t("02-10", "09:00"), t("02-10", "09:20"), 1200, "recovered")
    tuesday = rec("break", t("03-03", "10:00"), t("03-03", "10:05"), 300, "completed", "micro", [])
    write_history(paths, [monday, recovered, tuesday])
    figures = json.loads(stats(paths, "--json").stdout)
    assert figures["breaks"]["completed"] == 2


def test_days_are_local_days_across_a_dst_change(paths: Paths) -> None:
    """Europe switched to summer time on Sun 29 March 2026; records keep their own offset."""
    records = [
        rec(
            "break",
            "2026-03-28T23:30:00.000+01:00",
            "2026-03-28T23:35:00.000+01:00",
            300,
            "completed",
            "micro",
            [],
        ),
        rec(
            "break",
            "2026-03-29T00:30:00.000+01:00",
            "2026-03-29T00:35:00.000+01:00",
            300,
            "completed",
            "micro",
            [],
        ),
        rec(
            "break",
            "2026-03-29T23:30:00.000+02:00",
            "2026-03-29T23:35:00.000+02:00",
            300,
            "completed",
            "micro",
            [],
        ),
        rec(
            "break",
            "2026-03-30T00:10:00.000+02:00",
            "2026-03-30T00:15:00.000+02:00",
            300,
            "completed",
            "micro",
            [],
        ),
    ]
    write_history(paths, records)
    now = datetime(2026, 3, 29, 23, 50, tzinfo=timezone(timedelta(hours=2)))
    figures = json.loads(stats(paths, "--json", now=now).stdout)
    assert (figures["from"], figures["to"]) == ("2026-03-23", "2026-03-29")
    per_day = {d["date"]: d["breaks_completed"] for d in figures["days"]}
    assert per_day["2026-03-28"] == 1 and per_day["2026-03-29"] == 2
    assert sum(per_day.values()) == 3  # Monday 30th belongs to next week


def test_empty_history_gets_a_friendly_first_week(paths: Paths) -> None:
    result = stats(paths)
    assert result.exit_code == 0
    assert "Nothing recorded in these days yet" in result.stdout
    figures = json.loads(stats(paths, "--json").stdout)
    assert figures["breaks"] == {
        "completed": 0,
        "skipped": 0,
        "postponed": 0,
        "interrupted": 0,
        "recovered": 0,
        "natural": 0,
        "worked_through": 0,
        "cut_short": 0,
        "held": 0,
    }
    assert figures["compliance"] is None and figures["moved_s"] == 0 and figures["exercises"] == {}
    assert len(figures["days"]) == 7 and figures["streak_days"] == 0


@pytest.mark.parametrize(
    ("args", "window"),
    [
        ([], ("2026-03-02", "2026-03-08")),
        (["--week", "last"], ("2026-02-23", "2026-03-01")),
        (["--days", "3"], ("2026-03-04", "2026-03-06")),
        (["--since", "2026-02-01"], ("2026-02-01", "2026-03-06")),
        (["--since", "2026-02-01", "--until", "2026-02-10"], ("2026-02-01", "2026-02-10")),
    ],
)
def test_windows(paths: Paths, args: list[str], window: tuple[str, str]) -> None:
    figures = json.loads(stats(paths, "--json", *args).stdout)
    assert (figures["from"], figures["to"]) == window
    assert (
        len(figures["days"])
        == (date.fromisoformat(window[1]) - date.fromisoformat(window[0])).days + 1
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "next"], "--week: expected 'this' or 'last'"),
        (["--days", "0"], "--days: expected 1 to 36600"),
        (["--days", "1000000"], "--days: expected 1 to 36600"),
        (["--since", "0001-01-01"], "--since: expected 1900-01-01 or later"),
        (["--since", "yesterday"], "--since: expected a date like 2026-11-16"),
        (["--until", "2026-03-01"], "--until goes with --since"),
        (["--since", "2026-03-05", "--until", "2026-03-01"], "is before --since"),
        (["--days", "3", "--week", "last"], "not several"),
    ],
)
def test_bad_windows_are_exit_2(paths: Paths, args: list[str], message: str) -> None:
    result = stats(paths, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_unreadable_history_is_exit_1(paths: Paths) -> None:
    (paths.data_dir / "history").parent.mkdir(parents=True, exist_ok=True)
    (paths.data_dir / "history").write_text("a file where the history folder goes")
    result = stats(paths)
    assert result.exit_code == 1 and "not a folder" in result.stderr


def test_bad_goal_in_config_names_the_key(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("[goals]\nbreaks_per_day = 0\n")
    result = stats(paths)
    assert result.exit_code == 2 and "goals.breaks_per_day" in result.stderr


D = date(2026, 3, 6)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({}, (0, 0, 0)),
        ({D - timedelta(1): 8, D - timedelta(2): 8}, (2, 2, 2)),  # today not finished yet
        ({D: 8, D - timedelta(1): 8}, (2, 2, 2)),  # today already met the goal
        ({D: 3, D - timedelta(1): 8}, (1, 1, 1)),  # today under way, below goal
        (
            {D - timedelta(1): 8, D - timedelta(3): 8, D - timedelta(4): 8, D - timedelta(5): 8},
            (1, 3, 4),
        ),  # a gap day
        ({D - timedelta(2): 8}, (0, 1, 1)),  # yesterday missed: the streak is over
        ({D - timedelta(1): 7}, (0, 0, 0)),  # one short of the goal
    ],
)
def test_streak_edges(counts: dict[date, int], expected: tuple[int, int, int]) -> None:
    assert streaks(counts, 8, D) == expected


def test_windows_arithmetic() -> None:
    week = week_of(date(2026, 3, 4))
    assert week == Window(date(2026, 3, 2), date(2026, 3, 8))
    assert week.previous() == Window(date(2026, 2, 23), date(2026, 3, 1))
