"""The command a brought break runs: this very breakctl, `attach --break`; for a tmux pop-up
(run in the tmux server's environment, not the day's) pointed at this day's folders."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

# The variables that say where the day's files are (store/locations, the socket's folder).
WHERE_VARIABLES = (
    "BREAKCTL_HOME",
    "BREAKCTL_HISTORY_DIR",
    "HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_RUNTIME_DIR",
)
ATTACH_BREAK = ("attach", "--break")


def breakctl_argv(argv0: str | None = None, executable: str = sys.executable) -> list[str]:
    """How to run this breakctl again from anywhere: its script by absolute path (the one
    run, else the one beside the interpreter), or the interpreter with `-m breakctl`."""
    first = sys.argv[0] if argv0 is None else argv0
    path = os.path.abspath(first) if first else ""
    beside = os.path.join(os.path.dirname(executable), "breakctl")  # a venv's, pipx's script
    for script in (path, beside):
        if os.path.basename(script) == "breakctl" and os.access(script, os.X_OK):
            return [os.path.abspath(script)]
    return [os.path.abspath(executable), "-m", "breakctl"]


def attach_break(argv0: str | None = None) -> list[str]:
    return [*breakctl_argv(argv0), *ATTACH_BREAK]


def with_folders(command: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """`command` run through env(1) with the day's folder variables, where any is set."""
    where = [f"{name}={env[name]}" for name in WHERE_VARIABLES if env.get(name)]
    return ["env", *where, *command] if where else list(command)
