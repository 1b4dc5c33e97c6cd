"""A break brought to you: inside tmux, show the pane breakctl runs in when a break starts.

Selects the pane's window and the pane itself; when no client shows the pane's session, the
most recently active client is switched to it. $TMUX names the server's socket and
$TMUX_PANE the pane. Never raises: a problem comes back as one line for the screen.
"""

from __future__ import annotations

from collections.abc import Mapping

from breakctl.host.presence.base import PresenceError
from breakctl.host.presence.tools import run_tool


def in_tmux(env: Mapping[str, str]) -> bool:
    return bool(env.get("TMUX")) and bool(env.get("TMUX_PANE"))


def bring_forward(env: Mapping[str, str]) -> str | None:
    """Select this pane's window and pane (and switch a client to its session); None when
    done, or what went wrong."""
    if not in_tmux(env):
        return "not inside tmux"
    socket, pane = env["TMUX"].split(",")[0], env["TMUX_PANE"]

    def tmux(*args: str) -> str:
        return run_tool(["tmux", "-S", socket, *args], "tmux", env, timeout_s=2.0)

    try:
        where = tmux("display", "-p", "-t", pane, "#{pane_id} #{session_id} #{window_id}").split()
        if len(where) != 3 or where[0] != pane:
            return f"pane {pane} is gone"
        _, session, window = where
        tmux("select-window", "-t", window)
        tmux("select-pane", "-t", pane)
        clients = [
            line.split(" ", 2)
            for line in tmux(
                "list-clients", "-F", "#{client_activity} #{session_id} #{client_name}"
            ).splitlines()
            if line.strip()
        ]
        if clients and not any(c[1] == session for c in clients):
            newest = max(clients, key=lambda c: int(c[0]) if c[0].isdecimal() else 0)
            tmux("switch-client", "-c", newest[2], "-t", pane)
    except PresenceError as exc:
        return str(exc)
    return None
