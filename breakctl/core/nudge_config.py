"""[start] nudges as config.toml writes them: a list of {every|at, say} tables, each checked,
the error naming the nudge. Apart from core/nudges so that the presets (which carry nudges)
never import the config kinds (which look the presets up)."""

from __future__ import annotations

import math
from typing import Any

from breakctl.core.config_kinds import read_duration, shown
from breakctl.core.durations import format_duration
from breakctl.core.errors import DataError
from breakctl.core.nudges import Nudge

MAX_NUDGES = 20
MAX_SAY = 120  # a line on the message line, said in one breath
NUDGE_KEYS = ("every", "at", "say")
MIN_EVERY_S = 60.0  # more often than once a minute is not a nudge, it is noise
EXAMPLE = '[{every = "10m", say = "shoulders down, jaw loose"}]'


def _nudge(index: int, value: Any) -> Nudge:
    where = f"nudge {index + 1}"
    if not isinstance(value, dict):
        raise DataError(f"{where}: expected a table like {EXAMPLE[1:-1]}, got {shown(value)}")
    unknown = [key for key in value if key not in NUDGE_KEYS]
    if unknown:
        raise DataError(f"{where}: unknown key {shown(unknown[0])}; known: every, at, say")
    say = value.get("say")
    if say is None:
        raise DataError(f'{where}: say: missing, the line to show, e.g. say = "jaw loose"')
    if not isinstance(say, str) or not say.strip() or len(say) > MAX_SAY or "\n" in say:
        raise DataError(
            f"{where}: say: expected one line of up to {MAX_SAY} characters, got {shown(say)}"
        )
    if ("every" in value) == ("at" in value):
        raise DataError(f'{where}: give either every (e.g. "10m") or at (e.g. "20m")')
    key = "every" if "every" in value else "at"
    try:
        seconds = read_duration(value[key])
    except DataError as exc:
        raise DataError(f"{where}: {key}: {exc}") from None
    if key == "every" and seconds < MIN_EVERY_S:
        raise DataError(f"{where}: every: at least 1m apart, got {shown(value[key])}")
    return Nudge(say.strip(), **{f"{key}_s": seconds})


def read_nudges(value: Any) -> tuple[Nudge, ...]:
    """[start] nudges: a list of {every|at, say} tables, each checked, and their moments at
    least a minute apart; the DataError lists every problem, each naming its nudge."""
    if not isinstance(value, list | tuple):
        raise DataError(f"expected a list like {EXAMPLE}, got {shown(value)}")
    if len(value) > MAX_NUDGES:
        raise DataError(f"at most {MAX_NUDGES} nudges, got {len(value)}")
    nudges: list[tuple[int, Nudge]] = []
    problems: list[str] = []
    for index, entry in enumerate(value):
        try:
            nudges.append((index, entry if isinstance(entry, Nudge) else _nudge(index, entry)))
        except DataError as exc:
            problems += exc.problems
    for later, (index, nudge) in enumerate(nudges):
        problems += [
            f"nudge {index + 1}: {clash}"
            for other, before in nudges[:later]
            if (clash := _too_close(nudge, before, other + 1))
        ]
    if problems:
        raise DataError(*problems)
    return tuple(nudge for _, nudge in nudges)


def _when(nudge: Nudge) -> str:
    return f"{'every' if nudge.every_s else 'at'} {format_duration(_ms(nudge) / 1000)}"


def _ms(nudge: Nudge) -> int:
    return round((nudge.every_s or nudge.at_s or 0) * 1000)


def _too_close(nudge: Nudge, before: Nudge, number: int) -> str | None:
    """Why `nudge` comes too soon after or before nudge `number`, if it does. An `at` that
    falls exactly on an `every` is said with it (the README's own example does this); two
    lines at one moment are one nudge written twice."""
    a, b, limit = _ms(nudge), _ms(before), round(MIN_EVERY_S * 1000)
    if nudge.at_s is not None and before.at_s is not None:
        gap = abs(a - b)
    elif nudge.every_s is not None and before.every_s is not None:
        gap = math.gcd(a, b)  # the closest two of their moments ever come (other than 0)
        gap = 0 if a == b else gap
    else:
        at, every = (a, b) if nudge.at_s is not None else (b, a)
        # the every's moments are every, 2*every...: the block's start is none of them
        gap = min(at % every if at > every else every, every - at % every) or limit
    if gap >= limit:
        return None
    if gap == 0:
        return f"{_when(nudge)} comes with nudge {number} ({_when(before)}): say both in one line"
    return (
        f"{_when(nudge)} comes within {format_duration(gap / 1000)} of nudge {number} "
        f"({_when(before)}); nudges come at least 1m apart"
    )


def store_nudges(raw: str) -> Any:
    """`config set start.nudges`: a list of tables is written in config.toml itself."""
    raise DataError(f"edit config.toml to set nudges, e.g. nudges = {EXAMPLE}")
