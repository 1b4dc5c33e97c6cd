"""Nudges inside a work block ([start] nudges): a short line every so often or once at a set
point of the block, on the active clock (pauses excluded). Not breaks, never recorded. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from breakctl.core.durations import format_duration


@dataclass(frozen=True)
class Nudge:
    say: str
    every_s: float | None = None  # again and again, this far apart
    at_s: float | None = None  # once, this far into the block

    def due_in(self, start_s: float, end_s: float) -> float | None:
        """The last moment of this nudge in (start_s, end_s] of active time, if any."""
        if self.at_s is not None:
            return self.at_s if start_s < self.at_s <= end_s else None
        assert self.every_s is not None
        last = (end_s // self.every_s) * self.every_s
        return last if last > start_s and last > 0 else None

    def next_after(self, active_s: float) -> float:
        """The first moment of this nudge after `active_s` (inf when there is none)."""
        if self.at_s is not None:
            return self.at_s if self.at_s > active_s else float("inf")
        assert self.every_s is not None
        return (active_s // self.every_s + 1) * self.every_s

    def as_table(self) -> dict[str, str]:
        """As config.toml writes it (for `config show`)."""
        when = "every" if self.every_s is not None else "at"
        return {when: format_duration(self.every_s or self.at_s or 0), "say": self.say}


def due(nudges: Sequence[Nudge], start_s: float, end_s: float) -> list[Nudge]:
    """The nudges that fall in (start_s, end_s] of a block's active time, in the order they
    fall; each at most once, however long the stretch (a machine that slept)."""
    found = [(when, n) for n in nudges if (when := n.due_in(start_s, end_s)) is not None]
    return [nudge for _, nudge in sorted(found, key=lambda pair: pair[0])]


@dataclass
class BlockNudges:
    """The nudges of one work block, on its active time: each said once when it falls due,
    none at or past the block's end (the break is there)."""

    nudges: Sequence[Nudge]
    said_to: float = 0.0  # active seconds up to which nudges have been given

    def due(self, active_s: float, block_s: float) -> list[str]:
        end = min(active_s, block_s - 1e-6)
        if end <= self.said_to:
            return []
        found = due(self.nudges, self.said_to, end)
        self.said_to = end
        return [nudge.say for nudge in found]

    def next_at(self, active_s: float, block_s: float) -> float | None:
        """Active seconds of the next nudge in this block, or None."""
        upcoming = min((n.next_after(active_s) for n in self.nudges), default=float("inf"))
        return upcoming if upcoming < block_s else None
