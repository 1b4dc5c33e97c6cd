"""When a break due is brought to a person no screen shows it to ([start] bring_break)."""

from __future__ import annotations

from breakctl.core.day.snapshot import SessionSnapshot


def should_bring(snapshot: SessionSnapshot) -> bool:
    """A break under way, not paused, and someone at the computer: a break that waits for an
    empty chair brings nothing (the absence becomes a natural break, or the routine starts
    when the person is back, and is brought then)."""
    return snapshot.phase == "break" and not snapshot.paused and not snapshot.waiting_for_you
