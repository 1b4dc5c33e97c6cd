"""A tmux pop-up (tmux 3.2 or later) on the user's tmux client used most recently, running
`breakctl attach --break`; `-E` closes it when that exits, at the break's end.

The server is the one `tmux` finds from the day's environment: $TMUX's socket when the day
runs inside tmux, else the default socket under $TMUX_TMPDIR (default /tmp)."""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from breakctl.host.helper_run import HelperError, run_helper

TMUX_TIMEOUT_S = 2.0
MAX_WIDTH, MAX_HEIGHT = 100, 34  # cells: room for the routine screen, not the whole screen
CLIENT_FORMAT = "#{client_activity} #{client_width} #{client_height} #{client_name}"


@dataclass(frozen=True)
class Client:
    activity: int  # epoch seconds of its last key or resize
    width: int
    height: int
    name: str  # its tty, as -c takes it


def tmux_argv(env: Mapping[str, str], *args: str) -> list[str]:
    socket = env.get("TMUX", "").split(",")[0]
    return ["tmux", *(["-S", socket] if socket else []), *args]


def parse_clients(text: str) -> list[Client]:
    clients = []
    for line in text.splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4 and all(p.isdecimal() for p in parts[:3]) and parts[3]:
            clients.append(Client(int(parts[0]), int(parts[1]), int(parts[2]), parts[3]))
    return clients


def newest_client(env: Mapping[str, str]) -> Client:
    """The client used most recently; HelperError when there is no server or no client."""
    argv = tmux_argv(env, "list-clients", "-F", CLIENT_FORMAT)
    try:
        text = run_helper(argv, "tmux", env, TMUX_TIMEOUT_S).decode("utf-8", "replace")
    except HelperError as exc:
        if "no server running" in str(exc) or "error connecting" in str(exc):
            raise HelperError("no tmux server running") from None
        raise
    clients = parse_clients(text)
    if not clients:
        raise HelperError("no tmux client attached")
    return max(clients, key=lambda c: c.activity)


def open_popup(command: Sequence[str], env: Mapping[str, str]) -> str:
    """Open the pop-up; the client it opened on. HelperError says why not."""
    client = newest_client(env)
    width, height = min(client.width, MAX_WIDTH), min(client.height, MAX_HEIGHT)
    # tmux runs the line through the shell, in the server's environment.
    argv = tmux_argv(
        env, "display-popup", "-c", client.name, "-E", "-w", str(width), "-h", str(height),
        shlex.join(command),
    )  # fmt: skip
    run_helper(argv, "tmux display-popup", env, TMUX_TIMEOUT_S)
    return client.name
