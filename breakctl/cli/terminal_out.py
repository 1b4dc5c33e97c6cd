"""Data written to standard output (JSON lines, CSV, iCalendar) that reaches a terminal must not
drive it: a control character in a routine title could clear the screen or set the clipboard.
Piped or redirected, the bytes go out exactly as they are."""

from __future__ import annotations

import re
import sys
from typing import BinaryIO

# C0 controls but tab, newline and carriage return; DEL; C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"  # valid inside a JSON string, visible elsewhere


class _TerminalSafe:
    def __init__(self, out: BinaryIO) -> None:
        self._out = out

    def write(self, data: bytes) -> int:
        text = _CONTROL.sub(_escape, data.decode("utf-8", errors="replace"))
        return self._out.write(text.encode("utf-8"))

    def flush(self) -> None:
        self._out.flush()


def data_out() -> BinaryIO:
    """Standard output for data: as is into a pipe or file, control characters shown as
    `\\uXXXX` escapes on a terminal."""
    out = sys.stdout.buffer
    return _TerminalSafe(out) if out.isatty() else out  # type: ignore[return-value]
