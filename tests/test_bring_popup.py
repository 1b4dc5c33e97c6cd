"""The popup way of [start] bring_break against a real tmux server (3.2 or later) on its own
TMUX_TMPDIR, found as a day outside tmux finds it (no $TMUX), with clients attached in
pseudo-terminals: the pop-up opens on the client used last, running this breakctl's
`attach --break` with the day's folders, and closes when that command ends."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pexpect

from breakctl.host.bring.bringer import BreakBringer
from breakctl.host.bring.popup import parse_clients
from breakctl.host.notify import Notifier
from tests.bring_helpers import recorded_argv, recording_terminal, standin_breakctl
from tests.presence_helpers import need, poll
from tests.terminal import Terminal

DEADLINE_S = 30.0


class Client:
    """A tmux client in a pseudo-terminal, and the screen it shows."""

    def __init__(self, env: dict[str, str], columns: int = 100, lines: int = 30) -> None:
        self.screen = Terminal(columns, lines)
        self.process = pexpect.spawn(
            "tmux", ["attach", "-t", "work"], env=env, dimensions=(lines, columns),
            encoding="utf-8", codec_errors="replace",
        )  # fmt: skip
        self.process.logfile_read = self.screen

    def shows(self, ok: Callable[[str], bool]) -> str:
        """The screen once `ok` holds for its text (output read as it comes)."""
        end = time.monotonic() + DEADLINE_S
        while True:
            with suppress(pexpect.TIMEOUT):
                self.process.read_nonblocking(65536, timeout=0.1)
            text = self.screen.text()
            if ok(text):
                return text
            assert time.monotonic() < end, f"the client still shows:\n{text}"


def tmux(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["tmux", *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


@contextmanager
def tmux_home(tmp: Path) -> Iterator[dict[str, str]]:
    """A tmux server on the default socket of a private TMUX_TMPDIR; killed afterwards."""
    need("tmux")
    folder = tmp / "tmux"
    folder.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
    env |= {"TMUX_TMPDIR": str(folder), "TERM": "xterm-256color"}
    tmux(env, "-f", "/dev/null", "new-session", "-d", "-s", "work", "-x", "100", "-y", "30", "sh")
    try:
        yield env
    finally:
        subprocess.run(["tmux", "kill-server"], env=env, capture_output=True)


def clients(env: dict[str, str]) -> list[str]:
    return tmux(env, "list-clients", "-F", "#{client_activity} #{client_name}").split("\n")[:-1]


@contextmanager
def attached_client(env: dict[str, str], clients_then: int = 1) -> Iterator[Client]:
    """A client attached (`clients_then` attached with it), closed afterwards."""
    client = Client(env)
    try:
        poll(lambda: clients(env), lambda c: len(c) == clients_then, DEADLINE_S)
        yield client
    finally:
        client.process.close(force=True)


def bringer(env: dict[str, str], breakctl: Path) -> BreakBringer:
    return BreakBringer(["popup", "terminal"], "false", env, Notifier(None, env, system=False),
                        argv0=str(breakctl))  # fmt: skip


def test_the_popup_runs_attach_break_on_the_client_and_closes_with_it(tmp_path: Path) -> None:
    breakctl, over = standin_breakctl(tmp_path)
    with tmux_home(tmp_path) as env, attached_client(env) as client:
        brought = bringer(env, breakctl)
        assert brought.bring("Time to move", "Desk: 5 min", 300.0)
        client.shows(lambda text: "ROUTINE HERE: attach --break" in text)
        assert poll(brought.take_reports, bool, DEADLINE_S) == [
            f"break brought to you in a tmux pop-up on {clients(env)[0].split()[1]}"
        ]
        over.touch()  # the break ends: attach --break exits, and the pop-up with it
        client.shows(lambda text: "ROUTINE HERE" not in text)
        brought.close()


def test_the_popup_opens_on_the_client_used_last(tmp_path: Path) -> None:
    breakctl, _over = standin_breakctl(tmp_path)
    with tmux_home(tmp_path) as env, attached_client(env) as first:
        since = int(clients(env)[0].split()[0])
        poll(time.time, lambda now: int(now) > since, DEADLINE_S)  # activity counts in seconds
        with attached_client(env, clients_then=2) as second:
            bringer(env, breakctl).bring("Time to move", "Desk: 5 min", 300.0)
            second.shows(lambda text: "ROUTINE HERE" in text)
            assert "ROUTINE HERE" not in first.shows(lambda text: "work" in text)


def test_a_popup_already_open_there_is_said_and_the_next_way_tried(tmp_path: Path) -> None:
    breakctl, over = standin_breakctl(tmp_path)
    with tmux_home(tmp_path) as env, attached_client(env) as client:
        name = clients(env)[0].split()[1]
        first, second = bringer(env, breakctl), bringer(env, breakctl)
        first.bring("Time to move", "Desk: 5 min", 300.0)
        client.shows(lambda text: "ROUTINE HERE" in text)
        terminal, record = recording_terminal(tmp_path)
        second.terminal = str(terminal)
        second.bring("Time to move", "Desk: 5 min", 300.0)
        assert recorded_argv(record)[-2:] == ["attach", "--break"]
        assert poll(second.take_reports, bool, DEADLINE_S) == [
            "break brought to you in a new terminal window "
            f"(popup: a pop-up is already open on {name})"
        ]
        over.touch()
        first.close()
        second.close()


def test_with_no_tmux_client_the_next_way_is_tried_and_named(tmp_path: Path) -> None:
    breakctl, _over = standin_breakctl(tmp_path)
    with tmux_home(tmp_path) as env:
        brought = bringer(env, breakctl)  # terminal "false": it starts, so it counts
        brought.ways = ("popup",)
        brought.bring("Time to move", "Desk: 5 min", 300.0)
        assert poll(brought.take_reports, bool, DEADLINE_S) == [
            "the break could not be brought to you (popup: no tmux client attached)"
        ]
    brought.bring("Time to move", "Desk: 5 min", 300.0)
    assert poll(brought.take_reports, bool, DEADLINE_S) == [
        "the break could not be brought to you (popup: no tmux server running)"
    ]


def test_the_same_failure_is_said_once_not_at_every_break(tmp_path: Path) -> None:
    breakctl, _over = standin_breakctl(tmp_path)
    with tmux_home(tmp_path) as env:
        brought = bringer(env, breakctl)
        brought.ways = ("popup",)
        brought.bring("Time to move", "Desk: 5 min", 300.0)
        assert poll(brought.take_reports, bool, DEADLINE_S) == [
            "the break could not be brought to you (popup: no tmux client attached)"
        ]
        brought.bring("Time to move", "Desk: 5 min", 300.0)  # the next break, as before
        assert brought.thread is not None
        brought.thread.join(DEADLINE_S)
        assert not brought.thread.is_alive() and brought.take_reports() == []
    brought.bring("Time to move", "Desk: 5 min", 300.0)  # a new failure is said again
    assert poll(brought.take_reports, bool, DEADLINE_S) == [
        "the break could not be brought to you (popup: no tmux server running)"
    ]


def test_clients_are_read_from_tmux_s_own_format() -> None:
    text = "1700000000 100 30 /dev/pts/3\n1700000009 80 24 /dev/pts/7\ngarbled\n"
    assert [(c.activity, c.name) for c in parse_clients(text)] == [
        (1700000000, "/dev/pts/3"), (1700000009, "/dev/pts/7"),
    ]  # fmt: skip
