"""The live screen's message line: one row of the screen's own layout, fitted in terminal cells,
showing the latest message with its time; replaced by the next, cleared after a while on the
injected clock or at the next phase, and giving way before the countdown, step and keys."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from breakctl.ui.session.message_line import MESSAGE_S, MessageLine, fitted
from breakctl.ui.session.screens import render_session_screen
from breakctl.ui.session.views import LiveSessionView
from breakctl.ui.session.work_frame import work_frame
from tests.fakes import FakeClock
from tests.terminal import Terminal
from tests.test_layout import MOMENTS, SIZES, check, has_countdown, lines_of, routine_at, session

REFUSED = "skip refused: no skips left today (2 of 2 used)"
WIDE = "フック on_break_end が失敗しました 首と肩のストレッチ 🧘 중국어 " * 3  # 2 cells a character

SCREENS = {
    "work": session(),
    "heads-up": session(heads_up=True),
    "routine": session(
        phase="break",
        remaining_s=250,
        planned_s=300,
        elapsed_s=50,
        routine=routine_at(MOMENTS["hold"]),
        reason="hips and back first",
    ),
    "free": session(phase="break", remaining_s=20, planned_s=300, elapsed_s=280, free_s=20),
    "wait": session(phase="wait"),
    "waiting for you": session(phase="break", waiting_for_you=True),
}


def essentials(name: str, text: str) -> None:
    """What every screen keeps, message or not."""
    assert "q quit" in text
    if name in ("work", "heads-up"):
        assert has_countdown(text, 754)
    elif name == "routine":
        routine = SCREENS[name].routine
        assert routine is not None and has_countdown(text, routine.segment_remaining_s)
        assert "step 1 of 6" in text
    elif name == "free":
        assert has_countdown(text, 20)


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("name", SCREENS)
@pytest.mark.parametrize("message", [REFUSED, WIDE])
def test_each_screen_shows_the_message_once_and_fits(
    width: int, height: int, name: str, message: str
) -> None:
    line = f"09:00 {message}"
    screen = render_session_screen(
        SCREENS[name], "Walk.", width=width, height=height, safety=True, message=line
    )
    text = check(lines_of(screen, width, height), width, height)
    essentials(name, text)
    shown = text.count("09:00 ")
    if height == 12 and name == "free":
        assert shown == 0  # the big countdown and the step leave no row: the message gives way
    else:
        assert shown == 1
        row = next(row for row in text.split("\n") if "09:00 " in row)
        assert ("…" in row) == (cell_len(line) > width - 7)  # cut in cells, never wrapped
        assert line[:20] in row


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("height", [12, 24, 40])
def test_the_work_frame_keeps_one_width_with_a_wide_message(width: int, height: int) -> None:
    for color in (False, True):
        lines = work_frame(session(), width, color, height, message=f"09:00 {WIDE}")
        plain = [line for line in work_frame(session(), width, False, height, f"09:00 {WIDE}")]
        assert len(lines) == len(plain) <= height - 1
    assert [cell_len(line) for line in plain] == [width - 1] * len(plain)
    assert sum("09:00 フック" in line for line in plain) == 1


def test_the_message_gives_way_before_the_big_digits_and_blank_rows_before_it() -> None:
    def rows(height: int, message: str = "") -> list[str]:
        return work_frame(session(), 60, False, height, message)

    with_message = {height: rows(height, "09:00 m") for height in range(6, 14)}
    assert len(with_message[13]) == len(rows(13)) + 1 == 12  # room for all
    assert with_message[12] == [*rows(11)[:-1], with_message[12][-2], rows(11)[-1]]  # no blanks
    assert "09:00 m" in with_message[12][-2] and "09:00 m" in with_message[11][-2]
    assert with_message[10] == rows(10)  # then the message gives way: the big digits stay
    assert "12:34 left" in with_message[9][1] and "09:00 m" in with_message[9][-2]
    assert with_message[6] == [*rows(6)[:-1], with_message[6][-2], rows(6)[-1]]


def test_fitted_cuts_in_cells_and_makes_hook_output_safe() -> None:
    assert fitted("首と肩のストレッチ", 9) == "首と肩の…"  # 8 cells and the ellipsis
    assert fitted("abc", 3) == "abc"
    assert fitted("boom\x1b[2J\x07", 40) == "boom\\x1b[2J\\x07"


def test_the_message_line_clears_after_its_time_or_at_the_next_phase(clock: FakeClock) -> None:
    line = MessageLine(clock)
    line.show("hook on_work_start failed (exit 3)", None)  # before anything was drawn
    assert line.current("work") == "09:00 hook on_work_start failed (exit 3)"
    clock.sleep(MESSAGE_S - 0.5)
    line.show("second", "work")
    assert line.current("work") == "09:00 second"
    clock.sleep(MESSAGE_S - 0.5)
    assert line.current("work") == "09:00 second"
    clock.sleep(0.5)
    assert line.current("work") == ""
    line.show("third", "work")
    assert line.current("break") == "" and line.current("work") == ""  # gone with its phase
    line.show("second", "break")
    assert line.said() == [
        "09:00 hook on_work_start failed (exit 3)",
        "09:00 third",
        "09:00 second (2 times)",
    ]


class Screen:
    """A LiveSessionView on a fake terminal, as a person would see it."""

    def __init__(self, clock: FakeClock, width: int, height: int = 24) -> None:
        self.file = io.StringIO()
        console = Console(
            file=self.file,
            width=width,
            height=height,
            force_terminal=True,
            color_system="standard",
            legacy_windows=False,
        )
        self.view = LiveSessionView(console, "Walk.", clock=clock, bell=False)
        self.terminal = Terminal(width, height)
        self._read = 0

    def text(self) -> str:
        output = self.file.getvalue()
        self.terminal.write(output[self._read :])
        self._read = len(output)
        return self.terminal.text()

    def used(self) -> list[tuple[int, str]]:
        """The rows with something on them, and where."""
        return [(i, row) for i, row in enumerate(self.text().split("\n")) if row.strip()]


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("phase", ["work", "break"])
def test_the_live_screen_shows_replaces_and_clears_messages(
    clock: FakeClock, width: int, phase: str
) -> None:
    screen = Screen(clock, width)
    snapshot = SCREENS["work" if phase == "work" else "free"]
    with screen.view:
        screen.view.update([], snapshot)
        before = screen.used()
        screen.view.message("hook on_work_start failed (exit 3): 首と肩")
        first = screen.text()
        assert first.count("09:00 hook on_work_start failed (exit 3): 首と肩") == 1
        assert screen.used()[0] == before[0]  # the screen holds still: same top row, same place
        assert len(screen.used()) <= len(before) + 1  # the message line, nothing more
        clock.sleep(61)
        screen.view.message(REFUSED)  # shown at once, no update needed
        second = screen.text()
        assert "09:01 skip refused" in second and "on_work_start" not in second
        clock.sleep(MESSAGE_S)
        screen.view.update([], snapshot)
        assert "skip refused" not in screen.text()
        screen.view.message("welcome back: 3 min away counted as your break")
        screen.view.update([], SCREENS["wait"])  # the next phase
        assert "welcome back" not in screen.text()
    after = screen.text()  # the day's messages, once each, where the screen was
    assert after.count("hook on_work_start failed") == after.count("skip refused") == 1


def test_a_passing_prompt_is_shown_but_not_listed_when_the_screen_ends(clock: FakeClock) -> None:
    screen = Screen(clock, 80)
    with screen.view:
        screen.view.update([], SCREENS["free"])
        screen.view.message("to skip, type the word: sta", listed=False)
        assert "to skip, type the word: sta" in screen.text()
        screen.view.message("not skipped")
    after = screen.text()
    assert "not skipped" in after and "to skip" not in after
