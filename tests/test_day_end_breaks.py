"""Nothing runs past --until or the end of working hours, not even a break (#18): a break that
cannot fit before the edge never starts (the block before it is the last, says so, and runs to
the edge), and a break the edge does cut (a pause pushed it there) is `completed` only if it
was taken."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from breakctl.core.actions import Action
from breakctl.core.day import HeadsUp, Session
from breakctl.core.model import Routine
from breakctl.store.library import Catalog, builtin_dir
from breakctl.ui.session.work_frame import work_frame
from tests.test_dayshape import M, day, schedule, times
from tests.test_engine import START, always, pomodoro


def look_away() -> Routine:
    """The built-in 22-second routine of the new-user trial: it grows a 20 s break to 22 s."""
    routines, _ = Catalog(builtin_dir(), Path("/nonexistent")).load_all()
    return next(r for r in routines if r.name == "look-away")


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def run_to(session: Session, since: float, moment: float) -> None:
    """Advance the session from `since` through every wake-up up to `moment`, as the real
    loop does."""
    now = since
    while (wake := session.next_wake(now)) is not None and wake <= moment:
        session.advance(wake, at(wake))
        now = wake
    session.advance(moment, at(moment))


def test_a_block_ending_seconds_before_until_is_the_last_and_no_break_starts(
    tmp_path: Path,
) -> None:
    # The trial: --work 20s --break 20s --routine look-away --until 107 s after the start.
    # Block 3 would end 3 s before --until, too little for the 22 s break: it is the last block,
    # says so from its first second, runs to --until, and no break starts at all.
    routine, until = look_away(), time(9, 1, 47)
    settings = pomodoro(work_s=20.0, break_s=20.0, until=until)
    records, *_, session = day(settings, tmp_path, START, choose=always(routine))
    assert times(records) == [
        ("work", "09:00:00", "09:00:20"),
        ("break", "09:00:20", "09:00:42"),
        ("work", "09:00:42", "09:01:02"),
        ("break", "09:01:02", "09:01:24"),
        ("work", "09:01:24", "09:01:47"),
    ]
    assert [r["outcome"] for r in records] == ["completed"] * 5
    assert records[-1]["planned_s"] == 23 and session.ended == "until"
    # What the screen says during blocks 2 and 3.
    session = Session(settings, always(routine))
    session.start(0.0, START)
    run_to(session, 0.0, 42.0)
    assert session.snapshot(42.0, at(42)).day_ends_at is None  # 09:01:02 + 22 s fits
    run_to(session, 42.0, 84.0)
    snapshot = session.snapshot(84.0, at(84))
    assert (snapshot.phase, snapshot.cycle, snapshot.remaining_s) == ("work", 3, 23.0)
    assert (snapshot.day_ends_at, snapshot.day_ends) == (at(107), "until")
    text = "\n".join(work_frame(snapshot, 80, color=False))
    assert "Last block: the day ends at 09:01" in text and "Next break" not in text


@pytest.mark.parametrize(
    "edge", [{"until": time(9, 57)}, {"schedule": schedule(mon=["09:00-09:57"])}]
)
def test_the_last_block_takes_the_minutes_a_break_cannot_use(
    tmp_path: Path, edge: dict[str, Any]
) -> None:
    # 25/5 until 09:57 (--until, or the end of working hours): block 2 would end at 09:55 with
    # 2 minutes left for a 5-minute break. It runs to 09:57, with no 30-second warning.
    records, _, host, view, _ = day(pomodoro(**edge), tmp_path, START, until_mono=7200)
    assert times(records) == [
        ("work", "09:00:00", "09:25:00"),
        ("break", "09:25:00", "09:30:00"),
        ("work", "09:30:00", "09:57:00"),
    ]
    assert [e for e in view.events if isinstance(e, HeadsUp)] == [HeadsUp(30)]  # 09:24:30 only
    assert host.alerts.count("Break in 30 seconds") == 1


@pytest.mark.parametrize(
    "edge", [{"until": time(9, 33)}, {"schedule": schedule(mon=["09:00-09:33"])}]
)
def test_a_pause_that_leaves_no_room_for_the_break_makes_the_block_the_last(
    tmp_path: Path, edge: dict[str, Any]
) -> None:
    # A 5-minute pause moves the block's end to 09:30: 3 minutes left, no room for the break.
    script = {10 * M: " ", 15 * M: " "}
    records, _, host, view, _ = day(pomodoro(**edge), tmp_path, START, script, until_mono=7200)
    assert times(records) == [("work", "09:00:00", "09:33:00")]
    assert records[0]["outcome"] == "completed" and records[0]["active_s"] == 28 * M
    assert not [e for e in view.events if isinstance(e, HeadsUp)]
    assert "Break in 30 seconds" not in host.alerts
    session = Session(pomodoro(**edge), always(None))
    session.start(0.0, START)
    session.act(Action.PAUSE, 10 * M, at(10 * M))
    session.act(Action.RESUME, 15 * M, at(15 * M))
    assert session.snapshot(15 * M, at(15 * M)).day_ends_at == START.replace(minute=33)


@pytest.mark.parametrize(
    "edge", [{"until": time(9, 31)}, {"schedule": schedule(mon=["09:00-09:31"])}]
)
@pytest.mark.parametrize(
    ("pause_at", "outcome", "active"), [(26 * M, "cut-short", 120.0), (28 * M, "completed", 240.0)]
)
def test_a_break_the_edge_cuts_counts_only_if_it_was_taken(
    tmp_path: Path, edge: dict[str, Any], pause_at: float, outcome: str, active: float
) -> None:
    # The 5-minute break fits at 09:25, then a pause to 09:30 pushes its end past 09:31: the
    # edge cuts it. Two minutes of five were not taken (cut-short); four were (completed).
    script = {pause_at: " ", 30 * M: " "}
    records, *_ = day(pomodoro(**edge), tmp_path, START, script, until_mono=7200)
    assert times(records) == [("work", "09:00:00", "09:25:00"), ("break", "09:25:00", "09:31:00")]
    assert (records[1]["outcome"], records[1]["active_s"]) == (outcome, active)
