"""#20's break brought to you, for real: a background day (`start --detach`), no screen
attached, and a break coming due.
- popup: a real tmux server (3.2 or later, on a private TMUX_TMPDIR) with a client attached in a
  pseudo-terminal; the pop-up opens on it with the break's routine (`attach --break`), and
  closes when the break ends.
- notify: a stub notification server on a private session bus receives the notification with
  its action; picking it runs the configured terminal with `breakctl attach --break`.
Every wait is for something seen (the client's screen, a file, the bus), with generous
deadlines; the day, tmux and the bus are ended by the test however it ends."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bring_helpers import notifications, recorded_argv, recording_terminal
from tests.presence_helpers import alive, dbus_daemon, poll, stub_control, stub_service
from tests.test_bring_popup import attached_client, clients, tmux_home
from tests.test_e2e_start import env as breakctl_env

DEADLINE_S = 60.0
BIN = Path(sys.executable).absolute().parent
ROUTINE = """
name = "reach"
title = "Reach for it"
rest = "1s"

[exercises.reach-up]
name = "Reach up high"
position = "standing"
targets = ["shoulders"]
hold = "60s"
cues = ["Arms up."]

[[steps]]
exercise = "reach-up"
"""


def breakctl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The installed breakctl script, as a service or a login would run it."""
    argv = [str(BIN / "breakctl"), *args]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=DEADLINE_S)


@pytest.fixture
def home(breakctl_home: Path) -> Path:
    (breakctl_home / "routines").mkdir(parents=True)
    (breakctl_home / "routines" / "reach.toml").write_text(ROUTINE)
    return breakctl_home


@contextlib.contextmanager
def background_day(env: dict[str, str], *args: str) -> Iterator[int]:
    """`breakctl start --detach` with a 3-second block then the one-minute routine; killed
    at the end if still running."""
    done = breakctl(
        env, "start", "--detach", "--no-presence", "--work", "3s", "--routine", "reach",
        "--cycles", "1", *args,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pid = int(re.search(r"\(pid (\d+)\)", done.stdout)[1])  # type: ignore[index]
    try:
        yield pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)  # its own session: the group is the day's


def day_log(home: Path) -> str:
    return (home / "day.log").read_text()


def test_a_due_break_opens_a_tmux_popup_with_the_routine_and_closes_at_its_end(
    home: Path, tmp_path: Path
) -> None:
    with tmux_home(tmp_path) as tmux_env, attached_client(tmux_env) as client:
        name = clients(tmux_env)[0].split()[1]
        env = breakctl_env(home) | {"TMUX_TMPDIR": tmux_env["TMUX_TMPDIR"]}
        env.pop("TMUX", None)
        with background_day(env, "--no-notify") as pid:
            shown = client.shows(lambda text: "Reach up high" in text)
            assert "Break after block 1" in shown  # the break's screen, in the pop-up
            line = f"break brought to you in a tmux pop-up on {name}"
            poll(lambda: day_log(home), lambda log: line in log, DEADLINE_S)
            assert breakctl(env, "skip").returncode == 0  # the break ends...
            client.shows(lambda text: "Reach up high" not in text)  # ...and so does it
            poll(lambda: alive(pid), lambda running: not running, DEADLINE_S)


def test_the_notification_s_action_opens_the_terminal_with_attach_break(
    home: Path, tmp_path: Path
) -> None:
    terminal, record = recording_terminal(tmp_path)
    (home / "config.toml").write_text(
        f'[start]\nbring_break = ["notify"]\nterminal = "{terminal} -e"\n'
    )
    with dbus_daemon(tmp_path) as bus, stub_service(bus, "notifications"):
        env = breakctl_env(home) | {"DBUS_SESSION_BUS_ADDRESS": bus}
        with background_day(env) as pid:
            (shown,) = poll(lambda: notifications(bus), lambda n: len(n) == 1, DEADLINE_S)
            assert shown["summary"] == "Time to move"
            assert shown["body"].startswith("Reach for it: ")
            assert shown["actions"][:2] == ["start-routine", "Start the routine"]
            stub_control(bus, "Invoke", "us", (shown["id"], "start-routine"))
            assert recorded_argv(record) == ["-e", str(BIN / "breakctl"), "attach", "--break"]
            assert breakctl(env, "stop").returncode == 0
            poll(lambda: alive(pid), lambda running: not running, DEADLINE_S)
        assert "break brought to you by a notification with its action" in day_log(home)
