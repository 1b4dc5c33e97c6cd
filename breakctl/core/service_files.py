"""The files `breakctl service install` writes so the day starts at login: a systemd user
unit, a launchd agent, an XDG autostart entry. Pure: the command line and environment come
in, the file's bytes go out, each quoted by its own format's rules."""

from __future__ import annotations

import plistlib
from collections.abc import Mapping, Sequence
from typing import Literal

from breakctl.core.errors import BreakctlError, DataError

Kind = Literal["systemd", "launchd", "autostart"]
KINDS: tuple[Kind, ...] = ("systemd", "launchd", "autostart")
UNIT_NAME = "breakctl.service"
LAUNCHD_LABEL = "io.breakctl.day"
# What a service manager runs (no screen, a line per phase) and what a desktop's autostart
# runs (the day in the background, returning at once).
HEADLESS = ("start", "--headless")
DETACHED = ("start", "--detach")
HEADER = "Written by `breakctl service install`; `breakctl service remove` takes it away."
DESCRIPTION = "breakctl: work/break cycles with guided stretching routines"
# The day's own exit statuses for SIGTERM, SIGHUP and Ctrl-C: a stop, not a failure to
# restart after (systemd's own stop sends SIGTERM).
STOP_STATUSES = "129 130 143"

# Characters a desktop entry's Exec argument must be quoted for (Desktop Entry spec, "The
# Exec key"), and those escaped inside the quotes.
_DESKTOP_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_DESKTOP_ESCAPED = ("\\", '"', "`", "$")  # the backslash first


def _checked(argv: Sequence[str], env: Mapping[str, str]) -> None:
    for text in (*argv, *env.keys(), *env.values()):
        if any(ord(char) < 32 or char == "\x7f" for char in text):
            raise DataError(f"cannot write a service for {text!r}: it has a control character")


def _systemd_word(word: str, *, dollars: bool = True) -> str:
    """One word of a systemd command line (or an Environment= assignment, `dollars` False:
    no variables there): specifiers (%) and variables ($) kept literal, quoted when it holds
    a space, a quote or a backslash."""
    word = word.replace("%", "%%")
    if dollars:
        word = word.replace("$", "$$")
    if word and not any(char in word for char in " \t\"'\\"):
        return word
    quoted = word.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}"'


def systemd_unit(argv: Sequence[str], env: Mapping[str, str]) -> bytes:
    """The user unit: `argv` + start --headless, restarted when it fails, at login."""
    _checked(argv, env)
    if any(char in argv[0] for char in "\"'\\"):
        raise BreakctlError(
            f"cannot write a systemd unit for {argv[0]}: systemd refuses a program whose path "
            "has a quote or a backslash; `--kind autostart` can run it"
        )
    program, *words = argv
    lines = [
        f"# {HEADER}",
        "[Unit]",
        f"Description={DESCRIPTION}",
        "",
        "[Service]",
        "Type=simple",
        # No variables in the program's path ($ is itself there), in its arguments there are.
        "ExecStart="
        + " ".join(
            [_systemd_word(program, dollars=False)]
            + [_systemd_word(w) for w in (*words, *HEADLESS)]
        ),
        *(
            "Environment=" + _systemd_word(f"{key}={value}", dollars=False)
            for key, value in sorted(env.items())
        ),
        "Restart=on-failure",
        "RestartSec=5",
        f"SuccessExitStatus={STOP_STATUSES}",
        "",
        "[Install]",
        "WantedBy=default.target",
        "",
    ]
    return "\n".join(lines).encode()


def launchd_plist(argv: Sequence[str], env: Mapping[str, str], log: str) -> bytes:
    """The launchd agent: loaded at login, run at load, started again after a crash."""
    _checked(argv, env)
    agent: dict[str, object] = {
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": [*argv, *HEADLESS],
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},  # again after a crash, not after `stop`
        "ProcessType": "Interactive",
        "StandardOutPath": log,
        "StandardErrorPath": log,
    }
    if env:
        agent["EnvironmentVariables"] = dict(sorted(env.items()))
    return plistlib.dumps(agent, sort_keys=False)


def _desktop_word(word: str) -> str:
    if word and not any(char in _DESKTOP_RESERVED for char in word):
        return word
    for char in _DESKTOP_ESCAPED:
        word = word.replace(char, "\\" + char)
    return f'"{word}"'


def _desktop_string(value: str) -> str:
    """A desktop entry string value: backslashes escaped once more, % doubled (field codes)."""
    return value.replace("\\", "\\\\").replace("%", "%%")


def autostart_entry(argv: Sequence[str], env: Mapping[str, str]) -> bytes:
    """The XDG autostart entry: `argv` + start --detach when the desktop session starts."""
    _checked(argv, env)
    words = [*(["env", *(f"{k}={v}" for k, v in sorted(env.items()))] if env else []), *argv]
    command = " ".join(_desktop_word(word) for word in (*words, *DETACHED))
    lines = [
        f"# {HEADER}",
        "[Desktop Entry]",
        "Type=Application",
        "Name=breakctl",
        "Comment=Work/break cycles with guided stretching routines, run in the background",
        f"Exec={_desktop_string(command)}",
        "Terminal=false",
        "NoDisplay=true",
        "X-GNOME-Autostart-enabled=true",
        "",
    ]
    return "\n".join(lines).encode()
