"""tmux against a real tmux server with a client attached in a pseudo-terminal. tmux keeps
activity in whole seconds, so these tests wait a second or two."""

from __future__ import annotations

from pathlib import Path

import pexpect

from breakctl.host.presence.settings import PresenceSettings
from breakctl.host.presence.sources import open_presence
from breakctl.host.presence.tools import TmuxSource
from tests.presence_helpers import poll, tmux_server


def test_keys_in_the_client_reset_idle_time(tmp_path: Path) -> None:
    with tmux_server(tmp_path) as (env, client):
        source = TmuxSource(env)
        assert source.probe() == (True, None)
        poll(source.idle_s, lambda idle: idle >= 1.5)
        client.send("x")
        poll(source.idle_s, lambda idle: idle < 1.0, deadline_s=2)


def test_with_every_client_detached_idle_time_goes_on_from_the_last_key(tmp_path: Path) -> None:
    with tmux_server(tmp_path) as (env, client):
        source = TmuxSource(env)
        client.send("\x02d")  # the prefix, then d: detach
        client.expect(pexpect.EOF)
        assert source.idle_s() < 1.0  # detaching was typing
        poll(source.idle_s, lambda idle: idle >= 1.0)


def test_not_inside_tmux() -> None:
    assert TmuxSource({}).probe() == (False, "not inside tmux (TMUX is not set)")


def test_a_server_that_is_gone(tmp_path: Path) -> None:
    works, why = TmuxSource({"TMUX": f"{tmp_path}/none,1,0", "PATH": "/usr/bin:/bin"}).probe()
    assert not works
    assert why is not None and why.startswith("tmux failed (exit 1)")


def test_auto_picks_tmux_after_the_desktop_sources(tmp_path: Path) -> None:
    with tmux_server(tmp_path) as (env, _):
        env = {k: v for k, v in env.items() if not k.startswith(("DISPLAY", "DBUS", "XDG"))}
        env["DBUS_SYSTEM_BUS_ADDRESS"] = f"unix:path={tmp_path}/no-system-bus"
        presence = open_presence(PresenceSettings(command="echo 5"), env)
        assert presence.name == "tmux"
