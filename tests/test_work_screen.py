"""The hand-drawn work frame: exact widths in terminal cells, with or without colour."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from rich.cells import cell_len

from breakctl.core.day import SessionSnapshot
from breakctl.ui.session.work_frame import work_frame

CET = timezone(timedelta(hours=1))
SGR = re.compile(r"\x1b\[[0-9;]*m")


def snapshot(title: str, **changes: object) -> SessionSnapshot:
    fields: dict = dict(
        phase="work",
        cycle=3,
        cycles=None,
        paused=False,
        remaining_s=65,
        planned_s=1500,
        elapsed_s=1435,
        ends_at=datetime(2026, 3, 2, 9, 42, tzinfo=CET),
        heads_up=True,
        next_break_title=title,
    )
    return SessionSnapshot(**{**fields, **changes})


def test_work_frame_lines_fill_the_width_exactly_with_or_without_colour() -> None:
    work = snapshot("A very long routine title " * 5)
    for width in (30, 60, 100, 200):
        plain = work_frame(work, width, color=False)
        coloured = work_frame(work, width, color=True)
        assert [len(line) for line in plain] == [width - 1] * len(plain)
        assert [SGR.sub("", line) for line in coloured] == plain
    assert "\x1b" not in "".join(work_frame(work, 80, color=False))  # NO_COLOR, pipes


WIDE = "首と肩のストレッチ 🧘 肩こり解消 🙆‍♀️ 중국어"


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("height", [12, 24, 40])
@pytest.mark.parametrize("paused", [False, True])
def test_wide_characters_keep_every_line_one_width_that_fits_the_terminal(
    width: int, height: int, paused: bool
) -> None:
    """CJK and emoji take two cells each: measured with len() the frame came out ragged and
    wider than the terminal, so each line wrapped and the in-place redraw walked up the screen."""
    work = snapshot(WIDE * 3, paused=paused)
    for color in (False, True):
        lines = [SGR.sub("", line) for line in work_frame(work, width, color, height)]
        assert [cell_len(line) for line in lines] == [width - 1] * len(lines)
        assert all(line[0] in "╭│╰" and line[-1] in "╮│╯" for line in lines)
    text = "\n".join(work_frame(work, width, False, height))
    assert "Next break at 09:42: 首と肩のストレッチ 🧘" in text


def test_a_wide_title_that_fits_is_shown_whole_and_padded_in_cells() -> None:
    lines = work_frame(snapshot("首と肩 🧘"), 60, color=False)
    row = next(line for line in lines if "Next break" in line)
    text = "Next break at 09:42: 首と肩 🧘"  # 26 characters, 30 cells
    assert row == "│  " + text + " " * (53 - 30) + "  │"  # 53 cells between the margins
    assert cell_len(row) == 59


def test_a_short_terminal_gets_a_compact_frame() -> None:
    work = SessionSnapshot(
        phase="work",
        cycle=1,
        cycles=4,
        paused=False,
        remaining_s=754,
        planned_s=1500,
        elapsed_s=746,
        ends_at=datetime(2026, 3, 2, 9, 42, tzinfo=CET),
    )
    compact = work_frame(work, 80, color=False, height=8)
    assert len(compact) < 8
    assert "12:34 left  50%" in compact[1]
    assert len(work_frame(work, 80, color=False, height=30)) > 8
