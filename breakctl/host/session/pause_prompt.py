"""The p key: "pause for how long?", answered a key at a time while the pause is already on."""

from __future__ import annotations

from breakctl.core.actions import Action
from breakctl.core.clock import Clock
from breakctl.core.day import Refused, Session, SessionEvent
from breakctl.core.errors import BreakctlError
from breakctl.core.settings import pause_end
from breakctl.host.keys import KeySource
from breakctl.host.session.ports import SessionView

PROMPT = "pause for how long? (45m, 1h, 15:00; Enter: until you resume) "
PROMPT_IDLE_S = 30.0  # no key this long: the pause stays open


def ask_pause(keys: KeySource, view: SessionView) -> str:
    """Read the answer to "pause for how long?" a key at a time; the pause is already on."""
    typed = ""
    view.prompt(PROMPT)
    while True:
        key = keys.wait(PROMPT_IDLE_S)
        if key is None or key in ("\n", "\r"):
            break
        if key in ("\x7f", "\b"):
            typed = typed[:-1]
        elif key.isprintable():
            typed += key
        view.prompt(PROMPT + typed)
    view.prompt("")
    return typed.strip()


def is_paused(session: Session, clock: Clock) -> bool:
    return session.phase is not None and session.snapshot(clock.monotonic(), clock.now()).paused


def timed_pause(session: Session, answer: str, clock: Clock) -> list[SessionEvent]:
    now, wall = clock.monotonic(), clock.now()
    try:
        until = pause_end(answer, wall)
    except BreakctlError as exc:
        return [Refused(f"pause: {exc}; paused until you resume")]
    return session.act(Action.PAUSE, now, wall, until=until)
