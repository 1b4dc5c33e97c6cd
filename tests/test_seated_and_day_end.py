"""`--seated` with a routine named (#18), and the last block before the day ends (#18)."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from breakctl.core.actions import Action
from breakctl.core.day import HeadsUp, Session
from breakctl.store.library import Catalog, builtin_dir
from breakctl.store.paths import Paths
from breakctl.ui.session.work_frame import work_frame
from tests.test_dayshape import M, day, schedule
from tests.test_engine import START, always, pomodoro
from tests.test_start_cli import invoke, records


def seated_routines() -> str:
    """The built-in routines done wholly in the chair, as the library has them."""
    routines, _ = Catalog(builtin_dir(), Path("/nonexistent")).load_all()
    return ", ".join(sorted(r.name for r in routines if r.seated and r.steps))


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--routine", "standing"], "standing is not a seated routine"),
        (["--rotate", "desk,neck,standing"], "neck and standing are not seated routines"),
    ],
)
def test_seated_refuses_a_routine_out_of_the_chair(
    paths: Paths, args: list[str], named: str
) -> None:
    result = invoke(paths, "start", "--seated", *args, "--cycles", "1", "--no-notify")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"breakctl: seated routines only (--seated, or [start] seated): {named} (some steps "
        f"are not done in the chair); seated routines: {seated_routines()}\n"
    )
    assert records(paths) == []
    assert {"desk", "eyes"} <= set(
        seated_routines().split(", ")
    ) and "neck" not in seated_routines()


def test_seated_from_the_config_refuses_too(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text('[start]\nseated = true\nrotate = ["micro"]\n')
    result = invoke(paths, "start", "--cycles", "1", "--no-notify")
    assert result.exit_code == 2 and "micro is not a seated routine" in result.stderr


def test_the_readme_example_runs_seated(paths: Paths) -> None:
    args = ["--rotate", "desk,desk-short,eyes", "--seated", "--cycles", "3", "--no-notify"]
    result = invoke(paths, "start", *args, "--work", "1m", "--break", "8m")
    assert result.exit_code == 0, result.output
    assert [r["routine"] for r in records(paths) if r["kind"] == "break"] == [
        "desk",
        "desk-short",
        "eyes",
    ]


# -- the last block before --until or the end of working hours ------------------------------


def test_the_last_block_says_when_the_day_ends_and_sends_no_warning() -> None:
    session = Session(pomodoro(until=time(9, 20)), always(None))
    session.start(0.0, START)
    snapshot = session.snapshot(0.0, START)
    assert (snapshot.day_ends_at, snapshot.day_ends) == (START.replace(minute=20), "until")
    late = 20 * M - 29
    events = session.advance(late, START + timedelta(seconds=late))
    assert not any(isinstance(e, HeadsUp) for e in events)
    snapshot = session.snapshot(late, START + timedelta(seconds=late))
    assert not snapshot.heads_up
    text = "\n".join(work_frame(snapshot, 80, color=False))
    assert "Last block: the day ends at 09:20" in text
    assert "Next break" not in text and "Break coming up" not in text


def test_a_block_that_ends_with_working_hours_has_no_warning(tmp_path: Path) -> None:
    hours = schedule(mon=["09:00-09:40"])
    records, _, host, view, _ = day(pomodoro(schedule=hours), tmp_path, START, until_mono=7200)
    assert [r["kind"] for r in records] == ["work", "break", "work"]
    assert [e for e in view.events if isinstance(e, HeadsUp)] == [HeadsUp(30)]  # 09:24:30 only
    assert host.alerts.count("Break in 30 seconds") == 1
    session = Session(pomodoro(schedule=hours), always(None))
    late = START.replace(minute=20)
    session.start(0.0, late)
    snapshot = session.snapshot(0.0, late)
    assert (snapshot.day_ends_at, snapshot.day_ends) == (START.replace(minute=40), "off")
    assert "Last block: working hours end at 09:40" in "\n".join(work_frame(snapshot, 80, False))


def test_a_pause_can_make_a_block_the_last(tmp_path: Path) -> None:
    session = Session(pomodoro(until=time(9, 40)), always(None))
    session.start(0.0, START)
    assert session.snapshot(0.0, START).day_ends_at is None  # 09:25 comes before 09:40
    at = 10 * M
    session.act(Action.PAUSE, at, START + timedelta(seconds=at))
    resumed = at + 20 * M
    session.act(Action.RESUME, resumed, START + timedelta(seconds=resumed))
    snapshot = session.snapshot(resumed, START + timedelta(seconds=resumed))
    assert snapshot.day_ends_at == START.replace(minute=40)  # 15 min left at 09:30: cut at 09:40
    assert "Last block: the day ends at 09:40" in "\n".join(work_frame(snapshot, 80, False))


def test_the_plain_screen_says_the_day_ends(paths: Paths) -> None:
    result = invoke(paths, "start", "--until", "09:20", "--no-notify")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "09:00:00  work block 1: 20:00 (last block: the day ends at 09:20)"
    assert not any("break in" in line for line in lines)
