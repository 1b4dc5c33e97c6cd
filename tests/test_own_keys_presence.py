"""breakctl's own keys are input (#18): with no tmux client attached to breakctl's session,
tmux says nobody has typed since the session began, yet keys pressed in breakctl's pane are
the person at the computer. A real tmux server, with no client, and the real loop on the
fake clock (which starts at the real time, so tmux's activity stamps and the clock agree)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from breakctl.core.day import PresenceRules, Session
from breakctl.host.presence.sources import Presence
from breakctl.host.presence.tools import TmuxSource
from breakctl.host.session.loop import run_session
from breakctl.store.history import History
from tests.fakes import FakeClock, ScriptedKeys
from tests.presence_helpers import need
from tests.test_engine import FakeHost, NullView, always, pomodoro


@contextmanager
def detached_tmux(tmp: Path) -> Iterator[dict[str, str]]:
    """A tmux server with one session and no client attached; yields the environment a
    program in that session sees."""
    need("tmux")
    socket = str(tmp / "tmux.sock")
    env = {k: v for k, v in os.environ.items() if k != "TMUX"} | {"TERM": "xterm-256color"}
    tmux = ["tmux", "-S", socket]
    subprocess.run(
        [*tmux, "-f", "/dev/null", "new-session", "-d", "-s", "breakctl", "sh"],
        env=env,
        check=True,
        timeout=30,
    )
    try:
        pid = subprocess.run(
            [*tmux, "display", "-p", "#{pid}"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        clients = subprocess.run(
            [*tmux, "list-clients"], env=env, capture_output=True, text=True, check=True, timeout=30
        ).stdout
        assert clients == ""
        yield env | {"TMUX": f"{socket},{pid},0"}
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, capture_output=True, timeout=30)


def test_keys_in_breakctls_pane_are_presence_with_no_client_attached(tmp_path: Path) -> None:
    with detached_tmux(tmp_path) as env:
        clock = FakeClock(datetime.now().astimezone())
        source = TmuxSource(env, now=lambda: clock.now().timestamp())
        settings = replace(pomodoro(cycles=1), work_s=300.0, break_s=60.0)
        session = Session(settings, always(None), presence=PresenceRules(away_after_s=120))
        keys = ScriptedKeys(clock, {float(t): "x" for t in (*range(30, 300, 30), 295)})
        history = History(tmp_path / "history.jsonl")
        view = NullView()
        run_session(
            session,
            clock=clock,
            keys=keys,
            view=view,
            history=history,
            host=FakeHost(),
            presence=Presence(source),
        )
        idle_at_the_end = source.idle_s()
    work, rest = (json.loads(line) for line in history.path.read_text().splitlines())
    assert (work["kind"], work["outcome"], work["active_s"]) == ("work", "completed", 300)
    assert "away_s" not in work  # never away: a key every 30 s
    assert (rest["kind"], rest["outcome"], rest["active_s"]) == ("break", "completed", 60)
    assert "natural" not in rest and "input_s" not in rest
    assert not any("away" in m or "welcome" in m for m in view.messages)
    assert idle_at_the_end >= 360  # tmux itself saw no typing all along
