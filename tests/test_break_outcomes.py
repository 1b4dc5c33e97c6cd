"""A break counts only when it was taken (#18): at least half its planned length, or every
step of its routine done. Ended earlier with steps skipped, it is `cut-short`; a quit after the
whole routine records it `completed` up to that moment. On the fake clock, exact records."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import msgspec

from breakctl.core.model import Routine, Step
from breakctl.core.planner import areas_last_worked
from breakctl.core.records import Record, StepResult
from breakctl.store.paths import Paths
from tests.test_engine import CET, MOVE, ROUTINE, always, brief, pomodoro, run
from tests.test_stats import goal_one, rec, stats, t, write_history

__all__ = ["goal_one"]  # a fixture

SHORT = Routine("half-min", "Half a minute", "", 0, (Step(MOVE, 30, None, None, False),), "user")


def steps(record: dict) -> list[str]:
    return [step["outcome"] for step in record["steps"]]


def test_n_past_every_step_and_the_free_movement_is_cut_short(tmp_path: Path) -> None:
    records, _, _, _ = run(pomodoro(cycles=1), tmp_path, {1502: "n", 1504: "n", 1507: "n"})
    assert brief(records)[1] == ("break", 1, "cut-short", 300, 7)
    assert steps(records[1]) == ["skipped", "skipped"]  # recorded as skipped, as before


def test_the_whole_routine_then_q_is_completed_and_ends_the_day(tmp_path: Path) -> None:
    records, _, _, _ = run(pomodoro(), tmp_path, {1500 + 40: "q"}, choose=always(SHORT))
    assert brief(records) == [
        ("work", 1, "completed", 1500, 1500),
        ("break", 1, "completed", 300, 40),  # up to the q, well under half: the routine was done
    ]
    assert steps(records[1]) == ["done"]
    assert records[1]["ended"] == "2026-03-02T09:25:40.000+01:00"


def test_q_before_the_routine_is_done_is_still_interrupted(tmp_path: Path) -> None:
    records, _, _, _ = run(pomodoro(), tmp_path, {1500 + 70: "q"})
    assert brief(records)[1] == ("break", 1, "interrupted", 300, 70)
    assert steps(records[1]) == ["done", "skipped"]


def test_half_the_break_gone_counts_as_taken_whatever_ends_it(tmp_path: Path) -> None:
    script = {1502: "n", 1504: "n", 1500 + 150: "n"}  # both steps skipped, then free movement
    records, _, _, _ = run(pomodoro(cycles=1), tmp_path, script)
    assert brief(records)[1] == ("break", 1, "completed", 300, 150)
    records, _, _, _ = run(pomodoro(), tmp_path / "q", {1500 + 200: "q"}, choose=always(None))
    assert brief(records)[1] == ("break", 1, "completed", 300, 200)


def test_free_movement_ended_early_is_cut_short(tmp_path: Path) -> None:
    records, _, _, _ = run(pomodoro(cycles=1), tmp_path, {1510: "n"}, choose=always(None))
    assert brief(records)[1] == ("break", 1, "cut-short", 300, 10)


def test_every_step_done_then_n_is_completed(tmp_path: Path) -> None:
    records, _, _, _ = run(pomodoro(cycles=1), tmp_path, {1500 + 35: "n"}, choose=always(SHORT))
    assert brief(records)[1] == ("break", 1, "completed", 300, 35)


def test_s_with_nothing_done_is_still_a_skip(tmp_path: Path) -> None:
    records, _, _, _ = run(pomodoro(cycles=1), tmp_path, {1502: "n", 1504: "s"})
    assert brief(records)[1] == ("break", 1, "skipped", 300, 4)


def test_a_cut_short_break_is_not_a_break_taken_today(tmp_path: Path) -> None:
    records, _, host, _ = run(pomodoro(cycles=1), tmp_path, {1502: "n", 1504: "n", 1507: "n"})
    assert records[1]["outcome"] == "cut-short"
    assert host.states[-1]["today"]["breaks"] == 0
    assert ROUTINE.name == records[1]["routine"]


# -- the review counts only breaks taken ----------------------------------------------------

NOT_TAKEN_DAY = [
    rec("work", t("03-02", "09:00"), t("03-02", "09:25"), 1500, "completed"),
    rec(
        "break",
        t("03-02", "09:25"),
        t("03-02", "09:30"),
        300,
        "worked-through",
        "desk",
        [("seated-knee-hug", "done", 63)],
        planned_s=300,
        input_s=200,
    ),
    rec("work", t("03-02", "09:30"), t("03-02", "09:55"), 1500, "completed"),
    rec(
        "break",
        t("03-02", "09:55"),
        t("03-02", "09:56"),
        10,
        "cut-short",
        "desk",
        [("seated-knee-hug", "skipped", 5), ("seated-trunk-rotation", "skipped", 5)],
        planned_s=300,
    ),
    rec("work", t("03-02", "09:56"), t("03-02", "10:21"), 1500, "completed"),
    # Away 24 minutes: a natural break, which moved for its planned 5 minutes.
    rec(
        "break",
        t("03-02", "10:21"),
        t("03-02", "10:45"),
        0,
        "completed",
        planned_s=300,
        natural=True,
        away_s=1440,
    ),
    rec("work", t("03-02", "10:45"), t("03-02", "11:10"), 1500, "completed"),
]


def test_breaks_not_taken_add_nothing_and_do_not_end_a_sitting(
    paths: Paths, goal_one: None
) -> None:
    write_history(paths, NOT_TAKEN_DAY)
    figures = json.loads(stats(paths, "--json").stdout)
    assert figures["breaks"] == {
        "completed": 1,
        "skipped": 0,
        "postponed": 0,
        "interrupted": 0,
        "recovered": 0,
        "natural": 1,
        "worked_through": 1,
        "cut_short": 1,
        "held": 0,
    }
    assert figures["compliance"] == 0.333
    assert figures["moved_s"] == 300 and figures["days"][0]["moved_s"] == 300
    assert figures["exercises"] == {} and set(figures["areas"].values()) == {0}
    assert figures["routines_done"] == {}
    # 09:00-10:21 is one sitting (typed through, cut short); the natural break ends it.
    assert [s["duration_s"] for s in figures["longest_sittings"]] == [4500, 1500]
    assert figures["days"][0]["breaks_completed"] == 1 and figures["streak_days"] == 0
    trend = json.loads(stats(paths, "--json", "--weeks", "1").stdout)["trend"]
    assert trend[-1]["moved_s"] == 300 and trend[-1]["breaks_completed"] == 1


def test_the_review_line_lists_every_outcome_it_counts(paths: Paths, goal_one: None) -> None:
    write_history(paths, NOT_TAKEN_DAY)
    words = " ".join(stats(paths).stdout.split())
    taken = re.search(
        r"taken when due (\d+)% of 3 due: (\d+)% moving, (\d+)% natural \(1\) "
        r"not taken (\d+)% worked-through \(1\), (\d+)% cut-short \(1\), "
        r"(\d+)% skipped, (\d+)% interrupted",
        words,
    )
    assert taken is not None, words
    headline, *shares = (int(n) for n in taken.groups())
    assert headline == 33 == sum(shares[:2]) and sum(shares) == 100
    assert shares[2] + shares[3] == 67


def test_a_natural_break_moves_at_most_its_planned_length() -> None:
    started = datetime(2026, 3, 2, 10, 0, tzinfo=CET)
    natural = Record(
        v=1,
        kind="break",
        started=started,
        ended=started + timedelta(minutes=3),
        active_s=0,
        outcome="completed",
        planned_s=300,
        natural=True,
        steps=(),
    )
    assert natural.moved_s == 180
    assert msgspec.structs.replace(natural, ended=started + timedelta(hours=9)).moved_s == 300
    assert msgspec.structs.replace(natural, outcome="worked-through").moved_s == 0


def test_the_planner_does_not_count_areas_of_a_break_skipped_through() -> None:
    started = datetime(2026, 3, 2, 10, 0, tzinfo=CET)
    steps = (StepResult("move", "skipped", 20.0),)
    cut = Record(
        v=1,
        kind="break",
        started=started,
        ended=started + timedelta(seconds=20),
        active_s=20,
        outcome="cut-short",
        planned_s=300,
        steps=steps,
    )
    assert areas_last_worked([cut], {"move": MOVE}) == {}
    taken = msgspec.structs.replace(cut, outcome="completed")
    assert areas_last_worked([taken], {"move": MOVE}) == {"core": started.date()}
