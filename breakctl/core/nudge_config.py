"""[start] nudges as config.toml writes them: a list of {every|at, say} tables, each checked,
the error naming the nudge. Apart from core/nudges so that the presets (which carry nudges)
never import the config kinds (which look the presets up)."""

from __future__ import annotations

from typing import Any

from breakctl.core.config_kinds import read_duration, shown
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
    if not isinstance(say, str) or not say.strip() or len(say) > MAX_SAY or "\n" in say:
        raise DataError(f"{where}: say: expected one line of up to {MAX_SAY} characters, "
                        f"got {shown(say)}")  # fmt: skip
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
    """[start] nudges: a list of {every|at, say} tables, each checked, the error naming it."""
    if not isinstance(value, list | tuple):
        raise DataError(f"expected a list like {EXAMPLE}, got {shown(value)}")
    if len(value) > MAX_NUDGES:
        raise DataError(f"at most {MAX_NUDGES} nudges, got {len(value)}")
    return tuple(n if isinstance(n, Nudge) else _nudge(i, n) for i, n in enumerate(value))


def store_nudges(raw: str) -> Any:
    """`config set start.nudges`: a list of tables is written in config.toml itself."""
    raise DataError(f"edit config.toml to set nudges, e.g. nudges = {EXAMPLE}")
