"""What the session loop talks to besides the clock and the keys: the screen, the host (state
file, alerts, hooks, control commands), the presence source and the holds. Protocols only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from breakctl.core.actions import Control
from breakctl.core.day import SessionEvent, SessionSnapshot
from breakctl.core.holds import HoldsReading
from breakctl.core.records import Record


class IdleSource(Protocol):
    """Seconds since the person last used keyboard or mouse (host/presence's Presence)."""

    @property
    def name(self) -> str:
        """The source's name, for the lines that say it failed or works again."""
        ...

    def idle_s(self) -> float | None:
        """None when the reading failed: `take_failure()` then says why, once."""
        ...

    def take_failure(self) -> str | None: ...


class OtherMachines(Protocol):
    """The person's other machines, through the history folder (host/presence/machines)."""

    def tick(self, phase: str, now: float, wall: datetime) -> list[tuple[str, datetime]]:
        """Tell them this day's phase; the breaks (machine, start) taken there, each once."""
        ...


class HoldsReader(Protocol):
    """Every hold source read once (host/holds/sources' HoldsReader): what holds now."""

    def read(self, now: datetime) -> HoldsReading: ...

    def take_failures(self) -> list[str]:
        """Lines to say once: a source that stopped working, a calendar's failed fetch."""
        ...


class SessionView(Protocol):
    def update(self, events: Sequence[SessionEvent], snapshot: SessionSnapshot) -> None: ...

    def message(self, text: str, *, listed: bool = True) -> None:
        """A line on the message line; `listed` False: a passing prompt, not one to list
        when the screen ends."""
        ...

    def prompt(self, text: str) -> None:
        """Show a question and what has been typed so far (the p key's "for how long?")."""
        ...


class SessionHost(Protocol):
    """What the loop needs from the outside besides clock, keys and view: all optional."""

    def take_control(self) -> Control | str | None: ...

    def reply(self, request: str, refused: str | None) -> None:
        """Answer the terminal that sent a command: done, or refused and why."""
        ...

    def focus_break(self) -> None:
        """A break starts: bring this terminal to the front (tmux), if so configured."""
        ...

    def bring_break(self, title: str, body: str, break_s: float) -> bool:
        """No screen shows the break: bring it ([start] bring_break). True when this sends
        the break's desktop notification itself (the alert then leaves it out)."""
        ...

    def break_over(self) -> None:
        """The break has ended: what bringing it started stops."""
        ...

    def write_state(self, document: dict[str, Any]) -> None: ...

    def alert(self, title: str, body: str) -> None: ...

    def fire_hook(self, event: str, snapshot: SessionSnapshot, record: Record | None) -> None: ...

    def hook_reports(self) -> list[str]: ...

    def attached_screens(self) -> int:
        """Screens showing the day right now (a foreground start's own counts as one)."""
        ...
