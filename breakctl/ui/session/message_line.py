"""The live screen's message line: the latest thing the day had to say (a hook that failed, a
refused key or command, presence), with its time, in one row of the screen's own layout. A new
message replaces it; it clears itself after `MESSAGE_S` on the injected clock, or when the
phase changes. When the screen ends, each message it showed is listed once. Piped output
prints every message as a line instead (PlainSessionView)."""

from __future__ import annotations

from rich.text import Text

from breakctl.core.clock import Clock
from breakctl.ui.cells import cell_len, clip
from breakctl.ui.layout import Part, inner_width, part
from breakctl.ui.text import safe

MESSAGE_S = 30.0  # how long a message stays on the live screen
KEPT = 50  # the distinct messages kept for the list printed when the live screen ends
# Gives way after the extras of a break (why this routine, the grown break, blank rows) and
# before the free-movement text, the safety line, cautions and the posture reset.
MESSAGE_RANK = 4
MESSAGE_STYLE = "yellow"


class MessageLine:
    """The message on screen, if any: '10:42 hook on_break_end failed (exit 3)'."""

    def __init__(self, clock: Clock, hold_s: float = MESSAGE_S) -> None:
        self._clock = clock
        self._hold_s = hold_s
        self._text = ""
        self._since = 0.0
        self._phase: str | None = None
        self._said: dict[str, tuple[str, int]] = {}  # each text: when last said, how often

    def show(self, text: str, phase: str | None, *, listed: bool = True) -> None:
        """`text` replaces the message on screen; `phase` is the one on screen (None: nothing
        drawn yet, so the first phase drawn is the message's own). `listed` False: a passing
        prompt, left out of `said`."""
        when = f"{self._clock.now():%H:%M}"
        self._text = f"{when} {text}"
        self._since = self._clock.monotonic()
        self._phase = phase
        if not listed:
            return
        _, times = self._said.pop(text, ("", 0))
        self._said[text] = (when, times + 1)
        if len(self._said) > KEPT:
            del self._said[next(iter(self._said))]

    def said(self) -> list[str]:
        """Each message shown, once, by when it was last said: '10:42 text (3 times)'."""
        return [
            f"{when} {text}" + (f" ({times} times)" if times > 1 else "")
            for text, (when, times) in self._said.items()
        ]

    def current(self, phase: str | None) -> str:
        """The line to show in `phase` now ('' for none)."""
        if not self._text:
            return ""
        if self._phase is None:
            self._phase = phase
        if phase != self._phase or self._clock.monotonic() - self._since >= self._hold_s:
            self._text = ""
        return self._text


def fitted(message: str, cells: int) -> str:
    """`message` made safe (it may quote a hook) in at most `cells` terminal cells, ending in
    '…' when cut."""
    text = safe(message)
    if cell_len(text) <= cells:
        return text
    return clip(text, max(0, cells - 1)).rstrip() + "…"


def message_parts(message: str, width: int) -> list[Part]:
    """The message line of a panel on a `width`-cell terminal: one row, never wrapped."""
    if not message:
        return []
    text = Text(fitted(message, inner_width(width)), style=MESSAGE_STYLE, no_wrap=True)
    return [part(text, rank=MESSAGE_RANK)]
