"""Screens rendered alone on a recording console, as Rich's own tests do."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from rich.console import Console

from breakctl.core.day import SessionSnapshot
from breakctl.ui import view

CET = timezone(timedelta(hours=1))


def text_of(renderable: object, width: int = 90) -> str:
    console = Console(record=True, width=width, force_terminal=False, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_work_screen_shows_time_block_next_break_and_keys() -> None:
    snapshot = SessionSnapshot(
        phase="work", cycle=2, cycles=4, paused=False, remaining_s=754, planned_s=1500,
        elapsed_s=746, ends_at=datetime(2026, 3, 2, 9, 42, 34, tzinfo=CET),
        next_break_routine="neck", next_break_title="Neck and upper back",
    )  # fmt: skip
    screen = text_of(view.render_session_screen(snapshot, ""))
    assert "Work · block 2 of 4" in screen
    assert "Next break at 09:42: Neck and upper back" in screen
    assert "50%" in screen
    assert "b break now" in screen and "+ postpone 5 min" in screen
    assert view.big_text("12:34").plain.splitlines()[0] == " ██ ███   ███ █ █"


def test_heads_up_and_paused_lines() -> None:
    base = dict(phase="work", cycle=1, cycles=None, remaining_s=20, planned_s=1500, elapsed_s=1480,
                ends_at=datetime(2026, 3, 2, 9, 25, tzinfo=CET))  # fmt: skip
    assert "Break coming up" in text_of(
        view.render_session_screen(SessionSnapshot(paused=False, heads_up=True, **base), "")
    )
    paused = text_of(view.render_session_screen(SessionSnapshot(paused=True, **base), ""))
    assert "paused · space to resume" in paused and "block 1" in paused


def test_free_movement_screen() -> None:
    snapshot = SessionSnapshot(phase="break", cycle=1, cycles=None, paused=False,
                               remaining_s=120, planned_s=300, elapsed_s=180, free_s=120,
                               reason="no routine fits in 30s: moving freely instead")  # fmt: skip
    screen = text_of(view.render_session_screen(snapshot, "Walk about."))
    assert "Free movement" in screen and "Walk about." in screen and "no routine fits" in screen


def test_work_frame_lines_fill_the_width_exactly_with_or_without_colour() -> None:
    import re

    snapshot = SessionSnapshot(
        phase="work", cycle=3, cycles=None, paused=False, remaining_s=65, planned_s=1500,
        elapsed_s=1435, ends_at=datetime(2026, 3, 2, 9, 42, tzinfo=CET),
        heads_up=True, next_break_title="A very long routine title " * 5,
    )  # fmt: skip
    for width in (30, 60, 100, 200):
        plain = view.work_frame(snapshot, width, color=False)
        coloured = view.work_frame(snapshot, width, color=True)
        assert [len(line) for line in plain] == [width - 1] * len(plain)
        assert [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in coloured] == plain
    assert "\x1b" not in "".join(view.work_frame(snapshot, 80, color=False))  # NO_COLOR, pipes


def test_a_short_terminal_gets_a_compact_frame() -> None:
    snapshot = SessionSnapshot(
        phase="work",
        cycle=1,
        cycles=4,
        paused=False,
        remaining_s=754,
        planned_s=1500,
        elapsed_s=746,
        ends_at=datetime(2026, 3, 2, 9, 42, tzinfo=CET),
    )
    compact = view.work_frame(snapshot, 80, color=False, height=8)
    assert len(compact) < 8
    assert "12:34 left  50%" in compact[1]
    assert len(view.work_frame(snapshot, 80, color=False, height=30)) > 8
