"""What a way of bringing a break raises when it cannot: one line, fit to show."""

from __future__ import annotations

from breakctl.core.errors import BreakctlError


class CannotBring(BreakctlError):
    """This way cannot bring the break here (no tmux client, no notification server...)."""
