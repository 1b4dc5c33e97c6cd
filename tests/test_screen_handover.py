"""`start`'s screen changing hands: the work frame redrawn in place, the break (and the wait
and off-hours screens) through Rich's Live. Each takes over on the same top row, leaves no row
of the other behind, and never touches the lines above it; and every byte of a screen reaches
a terminal even when a signal cuts a write short."""

from __future__ import annotations

import io
import os
import signal
import threading
import tty

import pytest
from rich.console import Console

from breakctl.ui.console import whole_writes
from breakctl.ui.session.views import LiveSessionView
from tests.fakes import FakeClock
from tests.terminal import Terminal
from tests.test_layout import MOMENTS, routine_at, session

ABOVE = ["$ echo hello", "hello", "$ breakctl start"]  # the person's own lines above the screen
WORK = session()
ROUTINE = session(
    phase="break",
    remaining_s=250,
    planned_s=300,
    elapsed_s=50,
    routine=routine_at(MOMENTS["hold"]),
    reason="hips and back first",
)
FREE = session(phase="break", remaining_s=20, planned_s=300, elapsed_s=280, free_s=20)
WAIT = session(phase="wait")


class Screen:
    """A LiveSessionView on an 80 × 30 terminal that already shows the lines ABOVE."""

    def __init__(self, clock: FakeClock) -> None:
        self.file = io.StringIO()
        self.file.write("".join(f"{line}\n" for line in ABOVE))
        console = Console(
            file=self.file,
            width=80,
            height=30,
            force_terminal=True,
            color_system="standard",
            legacy_windows=False,
        )
        self.view = LiveSessionView(console, "Walk.", clock=clock, bell=False)
        self.terminal = Terminal(80, 30)
        self._read = 0

    def new_output(self) -> str:
        output = self.file.getvalue()
        new, self._read = output[self._read :], len(output)
        self.terminal.write(new)
        return new

    def rows(self) -> list[str]:
        self.new_output()
        return self.terminal.rows()


@pytest.mark.parametrize("rest", [ROUTINE, FREE, WAIT], ids=["routine", "free", "wait"])
def test_every_hand_over_starts_on_the_same_row_and_keeps_the_lines_above(
    clock: FakeClock, rest: object
) -> None:
    screen = Screen(clock)
    with screen.view:
        for _ in range(3):  # the second break is where a reused Live climbed over the lines
            screen.view.update([], WORK)
            rows = screen.rows()
            assert rows[: len(ABOVE)] == ABOVE
            assert rows[len(ABOVE)].startswith("╭") and "Work · block 2 of 4" in rows[3]
            assert not any("Walk." in row or "hips and back" in row for row in rows)
            for _ in range(2):
                screen.view.update([], rest)  # type: ignore[arg-type]
                rows = screen.rows()
                assert rows[: len(ABOVE)] == ABOVE
                assert rows[len(ABOVE)].startswith("╭") and "Work" not in "".join(rows)


def test_a_break_is_erased_without_being_drawn_again(clock: FakeClock) -> None:
    """The hand-over to the work frame writes little: no second copy of the break screen (the
    bigger the write at a phase change, the likelier a signal cuts it short)."""
    screen = Screen(clock)
    with screen.view:
        screen.view.update([], WORK)
        screen.view.update([], FREE)
        screen.new_output()
        screen.view.update([], WORK)
        hand_over = screen.new_output()
        assert "Walk." not in hand_over and "Free movement" not in hand_over
        rows = screen.terminal.rows()
        assert rows[: len(ABOVE)] == ABOVE and "Work · block 2 of 4" in rows[3]
        assert not any("Walk." in row for row in rows)


def test_a_terminal_gets_every_byte_of_a_write_a_signal_cuts_short() -> None:
    """On a real pseudo-terminal read slowly, with signals arriving all through a write: the
    kernel returns early, and sys.stdout under PYTHONUNBUFFERED=1 (built here as Python
    builds it) would drop the rest; whole_writes writes it."""
    master, slave = os.openpty()
    tty.setraw(slave)  # bytes as they are: no newline translation
    unbuffered = io.TextIOWrapper(
        io.FileIO(slave, "w", closefd=False), encoding="utf-8", write_through=True
    )
    stream = whole_writes(unbuffered)
    assert stream is not unbuffered
    screen = "".join(f"row {i:05d} " + "─" * 60 + "\r" for i in range(6000))  # ~1.3 MB
    received = bytearray()
    writing, signalled = threading.Event(), []

    def read_slowly() -> None:  # small reads: the writer keeps finding the terminal full
        while not received.endswith(b"END"):
            received.extend(os.read(master, 64))

    def interrupt(main: int) -> None:
        while writing.is_set():
            signal.pthread_kill(main, signal.SIGUSR1)
            writing.wait(0)  # let the main thread run between signals

    previous = signal.signal(signal.SIGUSR1, lambda *_: signalled.append(1))
    reader = threading.Thread(target=read_slowly)
    sender = threading.Thread(target=interrupt, args=(threading.get_ident(),))
    try:
        reader.start()
        writing.set()
        sender.start()
        stream.write(screen)
        stream.flush()
        writing.clear()
        sender.join()
        stream.write("END")
        stream.flush()
        reader.join(timeout=60)
    finally:
        writing.clear()
        signal.signal(signal.SIGUSR1, previous)
        os.close(slave)
        os.close(master)
    assert signalled  # the writes were interrupted...
    assert received.decode() == screen + "END"  # ...and nothing was lost


def test_whole_writes_leaves_pipes_and_files_alone(tmp_path: object) -> None:
    buffer = io.StringIO()
    assert whole_writes(buffer) is buffer
    read, write = os.pipe()
    with os.fdopen(write, "w") as pipe:
        assert whole_writes(pipe) is pipe
    os.close(read)
