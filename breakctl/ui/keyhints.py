"""Key hints for a footer, drawn from the one action table (`core.actions.key_help`) and
shortened to fit: never cut in the middle of a word."""

from __future__ import annotations

from collections.abc import Collection

from breakctl.core.actions import Action, key_help
from breakctl.ui.cells import cell_len

_ATTACHED = {"on": False}  # one screen per process: `breakctl attach` sets it before drawing


def for_attached_screen() -> None:
    """This process's screens are attached to a day running elsewhere: they offer d (detach,
    the day goes on) and say that q ends the day for every screen."""
    _ATTACHED["on"] = True


def _entries(where: str, without: Collection[Action]) -> list[tuple[str, str]]:
    entries = key_help(where, without)
    if not _ATTACHED["on"]:
        return entries
    others = [(key, what) for key, what in entries if key != "q"]
    return [*others, ("d", "detach"), ("q", "end the day")]


def hint_forms(where: str, without: Collection[Action] = ()) -> list[str]:
    """The hints for `where`, longest first: 'n next step', then 'n next', then with fewer keys
    (quit is always kept last; on an attached screen, detach before it too)."""
    entries = _entries(where, without)
    full = [f"{key} {what}" for key, what in entries]
    short = [f"{key} {what.split()[0]}" for key, what in entries]
    # `p` (pause for a while) is the first to give way: space pauses too.
    plain = [f"{key} {what}" for key, what in _entries(where, {*without, Action.PAUSE_FOR})]
    forms = [" · ".join(full), " · ".join(plain), " · ".join(short)]
    tail = 2 if _ATTACHED["on"] else 1  # the keys never dropped: q (and d where attached)
    for keep in range(len(short) - tail - 1, -1, -1):  # drop keys from the end of the rest
        forms.append(" · ".join([*short[:keep], *short[-tail:]]))
    return list(dict.fromkeys(forms))


def key_hint(where: str, room: int, *, without: Collection[Action] = (), lead: str = "") -> str:
    """The longest form of the hints that fits in `room` cells, after `lead` (e.g. '2:50 left')
    when that fits too."""
    forms = hint_forms(where, without)
    if lead:
        for form in forms[:2]:
            text = f"{lead} · {form}"
            if cell_len(text) <= room:
                return text
    for form in forms:
        if cell_len(form) <= room:
            return form
    return forms[-1]
