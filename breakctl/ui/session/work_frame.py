"""The work screen of `breakctl start`, composed by hand as finished terminal lines.

It is redrawn every second all day: through Rich's layout engine it costs about ten times
more (benchmarks/countdown.py), so it is built here directly, with every width measured in
terminal cells, and redrawn in place by `InPlaceFrame`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import IO

from breakctl.core.actions import WORK, heads_up_keys
from breakctl.core.day import SessionSnapshot
from breakctl.core.durations import format_clock
from breakctl.ui.bigfont import big_rows
from breakctl.ui.cells import cell_len, clip
from breakctl.ui.keyhints import key_hint
from breakctl.ui.session.message_line import fitted
from breakctl.ui.text import safe

_RESET, _BOLD, _REVERSE = "\x1b[0m", "\x1b[1m", "\x1b[7m"
_COLORS = {"blue": "\x1b[34m", "yellow": "\x1b[33m", "magenta": "\x1b[95m", "grey": "\x1b[90m"}


def block_label(snapshot: SessionSnapshot) -> str:
    of = f" of {snapshot.cycles}" if snapshot.cycles else ""
    return f"block {snapshot.cycle}{of}"


class _Frame:
    """Borders and rows `inner` cells wide, in colour or not."""

    def __init__(self, inner: int, border: str, color: bool) -> None:
        self.inner = inner
        self.border = border
        self.color = color

    def paint(self, text: str, *codes: str) -> str:
        return f"{''.join(codes)}{text}{_RESET}" if self.color and codes else text

    def rule(self, left: str, label: str, right: str) -> str:
        label = clip(f" {label} ", self.inner)
        pad = self.inner - cell_len(label)
        line = "─" * (pad // 2) + label + "─" * (pad - pad // 2)
        return self.paint(left + line + right, self.border)

    def row(self, text: str, *codes: str, visible: int | None = None) -> str:
        """A row of `text` between the borders; `visible` is its width in cells when it holds
        escape codes of its own (then it must already fit)."""
        room = self.inner - 4
        body = text if visible is not None else clip(text, room)
        gap = " " * max(0, room - (cell_len(body) if visible is None else visible))
        edge = self.paint("│", self.border)
        return f"{edge}  {self.paint(body, *codes)}{gap}  {edge}"


def _progress(frame: _Frame, snapshot: SessionSnapshot) -> tuple[str, int, str]:
    """The progress bar (painted), its width in cells, and the share done ('  50%')."""
    done = min(snapshot.elapsed_s, snapshot.planned_s)
    share = f"  {done / snapshot.planned_s:.0%}" if snapshot.planned_s else ""
    bar_width = max(5, min(40, frame.inner - 4 - len(share)))
    filled = round(bar_width * done / snapshot.planned_s) if snapshot.planned_s else 0
    bar = frame.paint("━" * filled, _COLORS["magenta"]) + frame.paint(
        "━" * (bar_width - filled), _COLORS["grey"]
    )
    return bar, bar_width, share


def work_frame(
    snapshot: SessionSnapshot, width: int, color: bool, height: int = 100, message: str = ""
) -> list[str]:
    """The work screen as finished terminal lines, each `width - 1` cells wide (at least 23),
    at most `height - 1` of them when the terminal has room for the one-line countdown; with
    `message` on a row of its own above the keys, room permitting.

    One column short of the width: writing the last column leaves some terminals in a pending
    wrap, where erasing to the end of the line would eat the border. One row short of the
    height: each line ends in a newline, and a frame that scrolls cannot be redrawn in place."""
    border = _COLORS["yellow" if snapshot.heads_up and not snapshot.paused else "blue"]
    frame = _Frame(max(20, width - 3), border, color)  # inner: between the two border columns
    bar, bar_width, share = _progress(frame, snapshot)
    notes = _notes(frame, snapshot)
    keys = key_hint(WORK, frame.inner - 2)
    top = frame.rule("╭", f"Work · {block_label(snapshot)}", "╮")
    bottom = frame.rule("╰", keys, "╯")
    held = snapshot.held_s  # a break held by a call counts up since it came due (#21)
    clock = format_clock(held if held is not None else snapshot.remaining_s)
    big = [frame.row(line, _BOLD) for line in big_rows(clock)]
    bar_row = frame.row(bar + share, visible=bar_width + len(share))
    blank = frame.row("")
    digits = [*big, bar_row]
    line = [frame.row(f"held {clock}" if held is not None else f"{clock} left{share}", _BOLD)]
    said = [frame.row(fitted(message, frame.inner - 4), _COLORS["yellow"])] if message else []
    # By priority: the blank rows give way first, then the message, then the big digits (a
    # short terminal gets the countdown on one line).
    layouts = [([blank, *digits, blank], said), (digits, said), (digits, []), (line, said)]
    room = height - 3 - len(notes)  # one row short, and the two borders
    body, extra = next(((b, m) for b, m in layouts if len(b) + len(m) <= room), (line, []))
    return [top, *body, *notes, *extra, bottom]


def _notes(frame: _Frame, snapshot: SessionSnapshot) -> list[str]:
    """The next break, and the heads-up or the paused line."""
    lines = []
    if snapshot.day_ends_at is not None:  # no break comes after this block, skipped or not
        lines.append(frame.row(day_end_line(snapshot.day_ends_at, snapshot.day_ends)))
    elif snapshot.skip_next_break:
        lines.append(
            frame.row("Next break: skipped (press s again to keep it).", _COLORS["yellow"])
        )
    elif snapshot.held_s is not None and snapshot.ends_at is None:
        lines.append(frame.row(held_line(snapshot), _BOLD, _COLORS["yellow"]))
    elif snapshot.ends_at is not None:
        title = snapshot.next_break_title
        what = safe(title) if title else "free movement"
        lines.append(frame.row(f"Next break at {snapshot.ends_at:%H:%M}: {what}"))
    if snapshot.notice:
        lines.append(frame.row(snapshot.notice, _BOLD, _COLORS["yellow"]))
    if snapshot.paused:
        lines.append(frame.row(paused_line(snapshot), _REVERSE))
    elif snapshot.heads_up:
        heads_up = f"Break coming up: finish your sentence. {heads_up_keys()}."
        lines.append(frame.row(heads_up, _BOLD, _COLORS["yellow"]))
    return lines


def held_line(snapshot: SessionSnapshot) -> str:
    """'Break held 12:34: microphone: zoom · b takes it now' (the status bar's `held 12:34`)."""
    why = safe(", ".join(snapshot.held_by)) or "a hold"
    return f"Break held {format_clock(snapshot.held_s or 0)}: {why} · b takes it now"


def day_end_line(moment: datetime, edge: str) -> str:
    """The last block's line: when the day (or this stretch of working hours) ends."""
    if edge == "off":
        return f"Last block: working hours end at {moment:%H:%M}"
    return f"Last block: the day ends at {moment:%H:%M}"


def paused_line(snapshot: SessionSnapshot) -> str:
    """'paused 44:12 (until 15:00) · space to resume', or an open pause's line."""
    if snapshot.resumes_at is None or snapshot.resumes_in_s is None:
        return "paused · space to resume"
    left = format_clock(snapshot.resumes_in_s)
    return f"paused {left} (until {snapshot.resumes_at:%H:%M}) · space to resume"


class InPlaceFrame:
    """Redraws finished lines in place: up over the last frame, rewrite, clear what is left."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self.height = 0

    def draw(self, lines: Sequence[str]) -> None:
        up = f"\x1b[{self.height}A" if self.height else ""
        self._file.write(f"{up}\r" + "".join(f"{line}\x1b[K\n" for line in lines) + "\x1b[J")
        self._file.flush()
        self.height = len(lines)

    def clear(self) -> None:
        if self.height:
            self._file.write(f"\x1b[{self.height}A\r\x1b[J")
            self._file.flush()
            self.height = 0
