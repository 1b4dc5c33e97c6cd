"""The screens of `breakctl start` rendered alone on a recording console, as Rich's own tests do."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from rich.console import Console

from breakctl.core.day import SessionSnapshot
from breakctl.core.model import Routine
from breakctl.core.records import Record
from breakctl.ui import bigfont
from breakctl.ui.session import screens
from breakctl.ui.tables import history_table

CET = timezone(timedelta(hours=1))


def text_of(renderable: object, width: int = 90) -> str:
    console = Console(record=True, width=width, force_terminal=False, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_work_screen_shows_time_block_next_break_and_keys() -> None:
    snapshot = SessionSnapshot(
        phase="work",
        cycle=2,
        cycles=4,
        paused=False,
        remaining_s=754,
        planned_s=1500,
        elapsed_s=746,
        ends_at=datetime(2026, 3, 2, 9, 42, 34, tzinfo=CET),
        next_break_routine="neck",
        next_break_title="Neck and upper back",
    )
    screen = text_of(screens.render_session_screen(snapshot, ""))
    assert "Work · block 2 of 4" in screen
    assert "Next break at 09:42: Neck and upper back" in screen
    assert "50%" in screen
    assert "b break now" in screen and "+ postpone 5 min" in screen
    assert bigfont.big_text("12:34").plain.splitlines()[0] == " ██ ███   ███ █ █"


def test_heads_up_and_paused_lines() -> None:
    base = dict(
        phase="work",
        cycle=1,
        cycles=None,
        remaining_s=20,
        planned_s=1500,
        elapsed_s=1480,
        ends_at=datetime(2026, 3, 2, 9, 25, tzinfo=CET),
    )
    assert "Break coming up" in text_of(
        screens.render_session_screen(SessionSnapshot(paused=False, heads_up=True, **base), "")
    )
    paused = text_of(screens.render_session_screen(SessionSnapshot(paused=True, **base), ""))
    assert "paused · space to resume" in paused and "block 1" in paused


def test_free_movement_screen() -> None:
    snapshot = SessionSnapshot(
        phase="break",
        cycle=1,
        cycles=None,
        paused=False,
        remaining_s=120,
        planned_s=300,
        elapsed_s=180,
        free_s=120,
        reason="no routine fits in 30s: moving freely instead",
    )
    screen = text_of(screens.render_session_screen(snapshot, "Walk about."))
    assert "Free movement" in screen and "Walk about." in screen and "no routine fits" in screen


def test_history_table_never_cuts_an_id_down_to_60_columns() -> None:
    rows = [
        ("break", "desk-short", "worked-through"),
        ("work", None, "interrupted"),
        ("routine", "a-very-long-routine-name-indeed", "completed"),
    ]
    records = [
        Record(
            v=1,
            kind=kind,
            routine=routine,
            outcome=outcome,
            active_s=300,
            planned_s=300,
            started=datetime(2026, 3, 2, 9 + n, tzinfo=CET),
            ended=datetime(2026, 3, 2, 9 + n, 5, tzinfo=CET),
            id=f"{n}c0ffee{n}-rest-of-it",
        )
        for n, (kind, routine, outcome) in enumerate(rows)
    ]
    for width in (60, 64, 72, 79, 80, 100):
        lines = text_of(history_table(records), width=width).splitlines()
        assert all(len(line) <= width for line in lines)
        for n in range(len(rows)):
            assert any(line.rstrip().endswith(f"{n}c0ffee{n}") for line in lines), (width, n)
        assert "\n".join(lines).count("2026-03-02") == len(rows)  # the day is never cut either


def test_a_seated_break_says_to_stand_soon_only_once_its_routine_is_over() -> None:
    # The trial: --work 8s --break 30s --routine look-away (22 s, all seated). During the hold
    # of "Look far" the screen must not already tell the person to stand up "at the next
    # chance"; in the free movement after it, it does.
    from breakctl.core.day import Session
    from breakctl.core.safety import SEATED_RESET
    from tests.test_day_end_breaks import at, look_away, run_to
    from tests.test_engine import START, always, pomodoro

    routine = look_away()
    assert routine.seated
    session = Session(pomodoro(work_s=8.0, break_s=30.0), always(routine))
    session.start(0.0, START)
    run_to(session, 0.0, 18.0)  # ten seconds into the hold
    during = session.snapshot(18.0, at(18))
    assert during.phase == "break" and during.routine is not None and during.remaining_s < 30
    assert "You stayed in your chair" not in text_of(screens.render_session_screen(during, ""))
    run_to(session, 18.0, 33.0)  # the routine is over: free movement to the break's end
    after = session.snapshot(33.0, at(33))
    assert after.routine is None and after.free_s is not None
    screen = text_of(screens.render_session_screen(after, "Walk about."))
    assert SEATED_RESET.startswith("You stayed in your chair") and "You stayed in your" in screen


def test_the_end_of_a_routine_wraps_to_the_terminal_and_stays_one_line_piped() -> None:
    from breakctl.core.safety import SEATED_RESET
    from breakctl.ui.routine_plain import print_routine_summary
    from tests.test_day_end_breaks import look_away

    routine = look_away()
    reset = Routine("reset", "Reset", "", 0, routine.steps, "user")  # seated, as its step
    record = Record(
        v=1,
        kind="routine",
        routine="reset",
        outcome="completed",
        active_s=22,
        planned_s=22,
        started=datetime(2026, 3, 2, 9, tzinfo=CET),
        ended=datetime(2026, 3, 2, 9, 0, 22, tzinfo=CET),
        id="0" * 32,
    )
    for terminal, width in ((True, 61), (False, 61), (True, 40)):
        console = Console(record=True, width=width, force_terminal=terminal, color_system=None)
        print_routine_summary(console, reset, record)
        lines = console.export_text().splitlines()
        assert lines[0] == "Reset done: 0 of 1 step, 0:22 moving."
        if terminal:  # wrapped between words, never past the edge
            assert all(len(line) <= width for line in lines)
            assert " ".join(line.strip() for line in lines[1:]) == SEATED_RESET
        else:
            assert lines[1:] == [SEATED_RESET]
