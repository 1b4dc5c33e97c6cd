"""Keyboard or mouse use during a break: how long the person stayed at the computer (the
record's `input_s`), and the one request to step away. Keys pressed in breakctl's own
terminal are not using the computer."""

from __future__ import annotations

from dataclasses import dataclass

from breakctl.core.day.events import SessionEvent, StepAway


@dataclass
class BreakInput:
    input_s: float = 0.0
    asked_to_step_away: bool = False
    last_reading: float | None = None  # monotonic: the reading before this one
    last_key: float | None = None  # monotonic: a key in breakctl's own terminal

    def reading(
        self, last_input: float, now: float, paused: bool, nag_after_s: float
    ) -> list[SessionEvent]:
        """A presence reading: the person last used keyboard or mouse at `last_input`."""
        previous, self.last_reading = self.last_reading, now
        own_key = self.last_key is not None and previous is not None and self.last_key >= previous
        if previous is None or last_input <= previous or own_key or paused:
            return []
        self.input_s += now - previous  # this stretch had keyboard or mouse input
        if self.input_s < nag_after_s or self.asked_to_step_away:
            return []
        self.asked_to_step_away = True
        return [StepAway()]

    def unseen(self) -> None:
        """The source failed: input is counted again only from the next reading after it."""
        self.last_reading = None
