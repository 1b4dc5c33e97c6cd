"""[start] skip_confirm: the skip key asks before it skips, so a reflex does not cost a break.
With `true` a second `s` within 3 s confirms; with "word", typing the short word shown does.
Any other key, or no answer in time, keeps the break. Only keys are asked: `breakctl skip`
from another terminal is already deliberate. Pure: every call gets `now`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from breakctl.core.actions import Action
from breakctl.core.day.events import Refused, SessionEvent, SkipAsked, SkipKept, Typed

CONFIRM_S = 3.0  # for the second s
WORD_S = 10.0  # for typing a word
# Short words, easy to type, that name what the break is for.
WORDS = ("move", "stand", "walk", "reach", "stretch", "breathe", "rest", "sway")
_SKIPS = (Action.SKIP, Action.TOGGLE_SKIP)


def _first_word() -> str:
    return WORDS[0]


@dataclass
class SkipGuard:
    mode: bool | str  # False: skip at once; True: s twice; "word": type the word
    pick: Callable[[], str] = _first_word  # the word to type; the session draws one at random
    asked: Action | None = field(default=None, init=False)  # the skip waiting for an answer
    word: str | None = field(default=None, init=False)
    typed: str = field(default="", init=False)
    until: float = field(default=0.0, init=False)  # monotonic: when the question lapses
    owner: object = field(default=None, init=False)  # the phase that asked

    def key(
        self,
        action: Action | None,
        typed: str | None,
        now: float,
        phase: Any,
        refused: Callable[[Action], Refused | None],
    ) -> tuple[Action | None, list[SessionEvent]]:
        """A key pressed in `phase`: a skip asks first, and the next keys answer. Returns the
        action to go on with, and what was said when the key only asked or answered. A skip
        the rules refuse (strict, no skips left) is refused at once, not asked about."""
        if phase is None:
            return action, []
        if self.asked is not None and self.owner is phase:
            confirmed, told = self.answer(typed or "", now)
            return confirmed, told if confirmed is None else []
        pending = bool(getattr(phase, "skip_next_break", False))
        if action is None or not self.guards(action, pending):
            return action, []
        refusal = refused(action)
        if refusal is not None:
            return None, [refusal]
        return None, [self.ask(action, now, phase)]

    def lapsed(self, now: float, phase: Any) -> list[SessionEvent]:
        """No answer in time keeps the break; a question whose phase is over goes silently."""
        if self.asked is not None and self.owner is not phase:
            self.drop()
        return self.expire(now)

    def guards(self, action: Action | None, pending_skip: bool) -> bool:
        """Whether this key's action has to be confirmed first: a skip, not the taking back
        of one (s again in work, when the next break is already to be skipped)."""
        if not self.mode or action not in _SKIPS:
            return False
        return not (action is Action.TOGGLE_SKIP and pending_skip)

    def ask(self, action: Action, now: float, owner: object) -> SkipAsked:
        self.asked, self.typed, self.owner = action, "", owner
        self.word = self.pick() if self.mode == "word" else None
        seconds = WORD_S if self.word else CONFIRM_S
        self.until = now + seconds
        return SkipAsked(self.word, seconds)

    def answer(self, key: str, now: float) -> tuple[Action | None, list[SessionEvent]]:
        """A key while asking: (the skip to do now, or None, and what to tell)."""
        action = self.asked
        assert action is not None
        if now > self.until:
            return None, self.expire(now)
        if self.word is None and key == "s":
            self.asked = None
            return action, []
        if self.word is None:
            return None, self._keep("other key")
        typed = self.typed + key
        if not self.word.startswith(typed):
            return None, self._keep("other key")
        if typed == self.word:
            self.asked = None
            return action, []
        self.typed = typed
        return None, [Typed(typed)]

    def expire(self, now: float) -> list[SessionEvent]:
        """No answer in time: the break is kept."""
        if self.asked is None or now < self.until:
            return []
        return self._keep("timeout")

    def drop(self) -> None:
        """The phase that asked is over: the question goes with it, said nothing about."""
        self.asked = None

    def _keep(self, why: str) -> list[SessionEvent]:
        self.asked = None
        return [SkipKept(why)]

    def deadline(self) -> float | None:
        return self.until if self.asked is not None else None
