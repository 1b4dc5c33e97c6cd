"""The terminal a brought break opens in: [start] terminal, else $TERMINAL, else the first
one installed of a known list, each with its own way to run a command; Terminal.app on macOS.
The window runs `breakctl attach --break` and closes when the break ends."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence

# Searched in this order; each with the arguments that make it run the command put after.
KNOWN_TERMINALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("x-terminal-emulator", ("-e",)),  # Debian's alternative: -e takes the command and its args
    ("gnome-terminal", ("--",)),
    ("konsole", ("-e",)),
    ("kitty", ()),
    ("alacritty", ("-e",)),
    ("wezterm", ("start", "--")),
    ("foot", ()),
    ("xterm", ("-e",)),
)
RUNS_WITH = dict(KNOWN_TERMINALS)


class NoTerminal(Exception):
    """No terminal to open: the one line that says why."""


def terminal_argv(
    command: Sequence[str],
    configured: str | None,
    env: Mapping[str, str],
    *,
    platform: str = sys.platform,
    which: Callable[[str], str | None] = shutil.which,
) -> list[str]:
    """The argv that opens a terminal window running `command`. NoTerminal otherwise."""
    if configured:  # the user's own command line: theirs says how it runs a command
        return [*shlex.split(configured), *command]
    if platform != "darwin" and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        # a service started before the desktop, or one that never got its variables
        raise NoTerminal("no desktop to open a terminal on (DISPLAY and WAYLAND_DISPLAY unset)")
    chosen = env.get("TERMINAL", "").strip()
    if chosen:
        try:
            words = shlex.split(chosen)
        except ValueError:
            raise NoTerminal(f"$TERMINAL {chosen!r}: its quotes do not close") from None
        program = os.path.basename(words[0])
        runs = RUNS_WITH.get(program, ("-e",))  # -e: what most terminals take
        given = set(words[1:])
        extra = [] if runs and runs[-1] in given else list(runs)
        return [*words, *extra, *command]
    if platform == "darwin":
        return mac_terminal(command)
    for program, runs in KNOWN_TERMINALS:
        if which(program):
            return [program, *runs, *command]
    names = ", ".join(name for name, _ in KNOWN_TERMINALS)
    raise NoTerminal(f"no terminal found: set [start] terminal or $TERMINAL (looked for {names})")


def mac_terminal(command: Sequence[str]) -> list[str]:
    """Terminal.app, through osascript: `open -a Terminal` cannot pass a command's arguments."""
    line = shlex.join(command).replace("\\", "\\\\").replace('"', '\\"')
    script = f'tell application "Terminal"\nactivate\ndo script "{line}; exit"\nend tell'
    return ["osascript", "-e", script]
