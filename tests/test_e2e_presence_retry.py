"""A presence source that fails and comes back (#22), end to end: the real program in a pty
with the `command` source, whose script reads two files the test moves: the time of the last
input, and whether to fail. Leave, let the script fail (the block must count again, not
freeze), let it work again (presence comes back); every wait is on something observable."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pexpect

from breakctl.store.paths import Paths
from tests.history_helpers import written
from tests.presence_helpers import poll


def test_a_command_that_fails_and_works_again_while_away(breakctl_home: Path) -> None:
    last_input, broken = breakctl_home / "last-input", breakctl_home / "broken"
    script = breakctl_home / "idle.sh"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(
        f'if [ -e "{broken}" ]; then echo "no display" >&2; exit 1; fi\n'
        f'echo $(( ($(date +%s%N) - $(cat "{last_input}")) / 1000000 ))\n'
    )
    (breakctl_home / "config.toml").write_text(
        f'[presence]\nsource = "command"\ncommand = "sh {script}"\naway_after = "3s"\n'
    )
    env = {**os.environ, "BREAKCTL_HOME": str(breakctl_home), "TERM": "xterm-256color"}

    def status() -> dict[str, Any]:
        """`breakctl status --json`, reading the screen so far on the way: a screen nobody
        reads fills the pty, and its writer waits."""
        with contextlib.suppress(pexpect.TIMEOUT):
            child.read_nonblocking(1 << 20, timeout=0)
        done = subprocess.run(
            [sys.executable, "-m", "breakctl", "status", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return json.loads(done.stdout) if done.stdout.strip() else {}

    last_input.write_text(str(time.time_ns()))  # then no input: the person has left
    child = pexpect.spawn(
        sys.executable,
        ["-m", "breakctl", "start", "--work", "20m", "--cycles", "1"],
        env=env,
        dimensions=(30, 200),
        timeout=60,
        encoding="utf-8",
    )
    try:
        child.expect("Work")
        child.expect("away")  # idle 3 s: away, noticed within a reading (5 s)
        away = poll(status, lambda s: s.get("state") == "away", deadline_s=60)
        assert away["presence"] == "ok"
        broken.touch()  # the source fails while the person is away
        child.expect("presence lost: command stopped working")
        # Not frozen: the block counts again from the failure, and status says why.
        lost = poll(status, lambda s: s.get("presence") == "retrying", deadline_s=60)
        assert lost["state"] == "work"
        counting = lost["remaining_s"]
        poll(status, lambda s: s.get("remaining_s", counting) < counting - 1, deadline_s=60)
        broken.unlink()  # the source works again: retried after 5 s, then every reading
        child.expect("presence back: command works again")
        poll(status, lambda s: s.get("presence") == "ok", deadline_s=60)
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, child.before
    (work,) = written(Paths(breakctl_home, breakctl_home, breakctl_home))
    assert (work["kind"], work["outcome"]) == ("work", "interrupted")
    # The time away before the failure stays away time; the block counted after it.
    assert work["away_s"] >= 3 and work["active_s"] >= 1
