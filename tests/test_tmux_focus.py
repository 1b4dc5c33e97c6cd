"""The break brought to you, against a real tmux server on its own socket: two windows (and a
second session), a client attached in a pseudo-terminal, and bring_forward() run as breakctl
runs it, from inside the pane it is to show."""

from __future__ import annotations

import subprocess
from pathlib import Path

from breakctl.host.session.host import SessionHost
from breakctl.host.tmux_focus import bring_forward, in_tmux
from tests.presence_helpers import poll, tmux_server


def tmux(env: dict[str, str], *args: str) -> str:
    socket = env["TMUX"].split(",")[0]
    argv = ["tmux", "-S", socket, *args]
    return subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout.strip()


def shown(env: dict[str, str]) -> str:
    """What the attached client shows: session, window index, pane id."""
    return tmux(env, "list-clients", "-F", "#{session_name} #{window_index} #{pane_id}")


def test_a_break_selects_the_window_and_pane_breakctl_runs_in(tmp_path: Path) -> None:
    with tmux_server(tmp_path) as (env, _client):
        ours = tmux(env, "display", "-p", "-t", "work:0", "#{pane_id}")
        tmux(env, "split-window", "-d", "-t", "work:0", "sh")  # a second pane, ours not active
        other = tmux(env, "new-window", "-P", "-F", "#{pane_id}", "-t", "work", "sh")
        tmux(
            env,
            "select-pane",
            "-t",
            tmux(env, "list-panes", "-t", "work:0", "-F", "#{pane_id}").split()[1],
        )
        tmux(env, "select-window", "-t", "work:1")
        assert shown(env) == f"work 1 {other}"
        assert bring_forward(env | {"TMUX_PANE": ours}) is None
        assert poll(lambda: shown(env), lambda s: s == f"work 0 {ours}") == f"work 0 {ours}"


def test_a_client_showing_another_session_is_switched_to_ours(tmp_path: Path) -> None:
    with tmux_server(tmp_path) as (env, _client):
        ours = tmux(env, "display", "-p", "-t", "work:0", "#{pane_id}")
        tmux(env, "new-session", "-d", "-s", "chat", "sh")
        tmux(env, "new-window", "-d", "-t", "work", "sh")
        tmux(env, "switch-client", "-t", "chat")
        assert poll(lambda: shown(env), lambda s: s.startswith("chat")).startswith("chat")
        assert bring_forward(env | {"TMUX_PANE": ours}) is None
        assert poll(lambda: shown(env), lambda s: s == f"work 0 {ours}") == f"work 0 {ours}"


def test_focus_is_on_by_default_inside_tmux_and_ignored_elsewhere(tmp_path: Path) -> None:
    inside = {"TMUX": "/tmp/sock,1,0", "TMUX_PANE": "%0"}
    assert in_tmux(inside) and not in_tmux({})
    host = SessionHost.__new__(SessionHost)
    for env, setting, expected in [
        (inside, None, True),
        (inside, True, True),
        (inside, False, False),
        ({}, True, False),
    ]:
        SessionHost.__init__(host, None, None, None, env, setting)  # type: ignore[arg-type]
        assert host.focus is expected
    assert bring_forward({}) == "not inside tmux"


def test_a_pane_that_is_gone_is_reported_not_raised(tmp_path: Path) -> None:
    with tmux_server(tmp_path) as (env, _client):
        problem = bring_forward(env | {"TMUX_PANE": "%999"})
        assert problem == "pane %999 is gone" or (problem or "").startswith("tmux failed")
