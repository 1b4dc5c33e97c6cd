"""What a person can ask of a running timer, and every way of asking: keys, control commands
(`breakctl pause|resume|skip|stop` from another terminal) and the help shown for them.

One table: the engine acts on `Action`s only, and screens draw their key hints from here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from breakctl.core.presets import POSTPONE_S


class Action(StrEnum):
    TOGGLE_PAUSE = "toggle-pause"  # a key: pause, or resume when paused
    PAUSE = "pause"  # a command: idempotent; may carry an end (a timed pause)
    PAUSE_FOR = "pause-for"  # the p key: pause, and ask for how long (the host asks)
    RESUME = "resume"
    BREAK_NOW = "break-now"
    TOGGLE_SKIP = "toggle-skip"  # the s key during work: skip the next break, or take it back
    SKIP = "skip"  # skip the next break (work) or the rest of this one (break); idempotent
    POSTPONE = "postpone"
    NEXT = "next"  # the next step of a routine
    CONTINUE = "continue"  # start the phase a wait is holding back
    QUIT = "quit"


# Where a binding applies: the day's phases, and a routine run on its own.
WORK, BREAK, WAIT, ROUTINE, OFF = "work", "break", "wait", "routine", "off"


@dataclass(frozen=True)
class Binding:
    key: str  # the character read from the terminal
    label: str  # how help text names the key
    action: Action
    help: str  # short, for a footer
    where: frozenset[str]


def _b(key: str, label: str, action: Action, help: str, *where: str) -> Binding:
    return Binding(key, label, action, help, frozenset(where))


BINDINGS = (
    _b(" ", "space", Action.TOGGLE_PAUSE, "pause", WORK, BREAK, ROUTINE),
    _b("p", "p", Action.PAUSE_FOR, "pause for…", WORK, BREAK),
    _b("p", "p", Action.TOGGLE_PAUSE, "pause", ROUTINE),
    _b("b", "b", Action.BREAK_NOW, "break now", WORK),
    _b("s", "s", Action.TOGGLE_SKIP, "skip next break", WORK),
    _b("+", "+", Action.POSTPONE, f"postpone {POSTPONE_S / 60:g} min", WORK),
    _b("n", "n", Action.NEXT, "next step", BREAK, ROUTINE),
    _b("s", "s", Action.SKIP, "skip the rest", BREAK),
    _b("q", "q", Action.QUIT, "quit", WORK, BREAK, WAIT, ROUTINE, OFF),
)

# `breakctl pause|resume|skip|stop|break` from another terminal: each idempotent.
COMMANDS: dict[str, Action] = {
    "pause": Action.PAUSE,
    "resume": Action.RESUME,
    "skip": Action.SKIP,
    "stop": Action.QUIT,
    "break": Action.BREAK_NOW,
}


@dataclass(frozen=True)
class Control:
    """A command from another terminal, with what it carries: `breakctl pause 45m` an end,
    `breakctl break desk` a routine; `id` names the reply the sender waits for."""

    command: str
    until: datetime | None = None
    routine: str | None = None
    id: str | None = None


def action_for_key(key: str, where: str) -> Action | None:
    """The action a key means in this phase; in a wait any other key goes on."""
    for binding in BINDINGS:
        if binding.key == key and where in binding.where:
            return binding.action
    return Action.CONTINUE if where == WAIT else None


def key_help(where: str, without: Collection[Action] = ()) -> list[tuple[str, str]]:
    """(key label, what it does) for a footer, one entry per action (space and p share);
    `without` leaves out actions that mean nothing at the moment (n with no step to skip)."""
    seen: set[Action] = set(without)
    entries = []
    for binding in BINDINGS:
        if where in binding.where and binding.action not in seen:
            seen.add(binding.action)
            entries.append((binding.label, binding.help))
    return entries


def key_for(action: Action, where: str) -> str:
    """How help text names the key for `action` in `where` (the first bound, if several)."""
    for binding in BINDINGS:
        if binding.action is action and where in binding.where:
            return binding.label
    raise ValueError(f"no key for {action} in {where}")


def heads_up_keys() -> str:
    """What the keys can do about a break coming up: "+ postpones, s skips"."""
    postpone, skip = key_for(Action.POSTPONE, WORK), key_for(Action.TOGGLE_SKIP, WORK)
    return f"{postpone} postpones, {skip} skips"
