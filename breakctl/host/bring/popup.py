"""A tmux pop-up (tmux 3.2 or later) on the user's tmux client used most recently, running
`breakctl attach --break`; `-E` closes it when that exits, at the break's end.
`tmux display-popup` itself waits until the pop-up closes: it runs detached, and is killed if
it outlives the break.

The server is the one `tmux` finds from the day's environment: $TMUX's socket when the day
runs inside tmux, else the default socket under $TMUX_TMPDIR (default /tmp)."""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from breakctl.host.bring.base import CannotBring
from breakctl.host.helper_run import Detached, HelperError, run_helper

TMUX_TIMEOUT_S = 2.0
REFUSED_WITHIN_S = 1.0  # tmux refuses a pop-up at once; one still waiting after this is shown
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
        gone = ("no server running", "error connecting", "server exited unexpectedly")
        if any(text in str(exc) for text in gone):  # none, or one on its way out
            raise HelperError("no tmux server running") from None
        raise
    clients = parse_clients(text)
    if not clients:
        raise HelperError("no tmux client attached")
    return max(clients, key=lambda c: c.activity)


def open_popup(command: Sequence[str], env: Mapping[str, str]) -> tuple[Detached, str]:
    """Open the pop-up: the `tmux display-popup` process (it waits while the pop-up is open;
    killing it leaves the pop-up be) and the client it opened on. CannotBring says why not."""
    try:
        client = newest_client(env)
    except HelperError as exc:
        raise CannotBring(str(exc)) from None
    width, height = min(client.width, MAX_WIDTH), min(client.height, MAX_HEIGHT)
    # tmux runs the line through the shell, in the server's environment.
    argv = tmux_argv(
        env, "display-popup", "-c", client.name, "-E", "-w", str(width), "-h", str(height),
        shlex.join(command),
    )  # fmt: skip
    try:
        popup = Detached(argv, env)
    except OSError as exc:
        raise CannotBring(f"tmux could not run: {exc.strerror}") from None
    if popup.wait(REFUSED_WITHIN_S):  # a pop-up shown keeps it waiting: none was
        if popup.poll() == 0:
            raise CannotBring(f"a pop-up is already open on {client.name}")
        # too old for display-popup, the client gone...
        raise CannotBring(f"tmux display-popup failed (exit {popup.poll()}) on {client.name}")
    return popup, client.name
