"""When the session loop reads the hold sources (#21): every `check_every_s` while working
or in a break, and as a break comes due (a second before: a reading takes some milliseconds,
which must not make the break late), so a call that began since the last reading still holds
it. Off hours, waits and pauses between phases read nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from breakctl.core.day import Session, SessionEvent
from breakctl.core.day.work import WorkPhase
from breakctl.host.session.ports import HoldsReader

READ_PHASES = ("work", "break")
READ_BEFORE_DUE_S = 1.0  # the reading for a break coming due, this long before its deadline


class HoldsPoll:
    """Reads `reader` when due and hands each reading to the session."""

    def __init__(self, reader: HoldsReader, every_s: float) -> None:
        self.reader = reader
        self.every_s = every_s
        self.say: Callable[[str], None] = lambda line: None  # a source failing, once
        self.due = float("-inf")  # the first step reads
        self.read_at_deadline: float | None = None  # a block's deadline already read for
        self.readings = 0

    def next_due(self, session: Session) -> float | None:
        """When the next reading is due (for the loop's wait); None: none while idle."""
        phase = session.phase
        if phase is None or phase.name not in READ_PHASES:
            return None
        deadline = _break_due(phase)
        if deadline is None or deadline == self.read_at_deadline:
            return self.due
        return min(self.due, deadline)

    def read(self, session: Session, now: float, wall: datetime) -> list[SessionEvent]:
        """A reading if one is due now, handed to the session; [] otherwise."""
        due = self.next_due(session)
        if due is None or now < due:
            return []
        read_for = _break_due(session.phase)
        if now >= self.due:
            self.due = now + self.every_s
        if read_for is not None and now >= read_for:  # for the break coming due: once, and
            self.read_at_deadline = read_for  # none at the deadline itself (never late)
            while self.due <= read_for + READ_BEFORE_DUE_S:
                self.due += self.every_s
        self.readings += 1
        events = session.holds(self.reader.read(wall), now, wall)
        for line in self.reader.take_failures():
            self.say(line)
        return events


def _break_due(phase: object) -> float | None:
    """When to read for a work block's break coming due (not yet held): just before its
    deadline (the reading before may be 15 s old)."""
    if not isinstance(phase, WorkPhase) or phase.held_since is not None:
        return None
    deadline = phase.timer.deadline()
    return None if deadline is None else deadline - READ_BEFORE_DUE_S
