"""The message lines of the holds' events (#21): what the screen and the plain view say when
a break waits for a call, comes after the grace, comes early for a meeting, or gives way."""

from __future__ import annotations

from typing import assert_never

from breakctl.core.day.events import (
    BreakEarly,
    BreakHeld,
    BreakHushed,
    BreakUnhushed,
    BreakYielded,
    HoldsEnded,
    HoldStuck,
)
from breakctl.core.day.held import YIELD_AFTER_S
from breakctl.core.durations import format_duration

HoldEvent = (
    BreakHeld | HoldsEnded | HoldStuck | BreakEarly | BreakHushed | BreakUnhushed | BreakYielded
)
HOLD_EVENTS = (
    BreakHeld, HoldsEnded, HoldStuck, BreakEarly, BreakHushed, BreakUnhushed, BreakYielded,
)  # fmt: skip


def hold_line(event: HoldEvent) -> str:
    """One line per event, each event named once (mypy fails on one left out)."""
    match event:
        case BreakHeld():
            return f"break due, held: {_by(event.held_by)}; it comes once that ends"
        case HoldsEnded():
            return f"the hold ended: the break comes in {format_duration(event.grace_s)}"
        case HoldStuck():
            held = format_duration(event.held_s)
            return f"{event.source} has held breaks for {held}: breaks come again (stuck?)"
        case BreakEarly():
            return f"a break now, before {event.title} at {event.starts:%H:%M}"
        case BreakHushed():
            within = format_duration(YIELD_AFTER_S)
            return f"quiet: {_by(event.held_by)}; the break ends if that lasts over {within}"
        case BreakUnhushed():
            return "the hold ended: the break goes on"
        case BreakYielded():
            return f"break ended: {_by(event.held_by)}; the next one follows the next block"
        case _:
            assert_never(event)


def _by(held_by: tuple[str, ...]) -> str:
    return ", ".join(held_by) or "a hold"
