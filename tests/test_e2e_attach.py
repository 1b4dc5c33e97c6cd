"""The day as a process (#20), for real: a background day (`start --detach`) and screens
attached to it in real pseudo-terminals. Every wait is for something seen (a screen, a file,
an exit), with generous deadlines; every process a test starts is ended by its fixtures."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pexpect
import pytest
from pexpect.popen_spawn import PopenSpawn

from tests.presence_helpers import alive, poll
from tests.terminal import Terminal, interruptible
from tests.test_e2e_start import breakctl, env, records

DEADLINE_S = 60.0


class Screen:
    """`breakctl ARGS` in a pty of its own, with the terminal a person would see (and the raw
    output, for what a terminal does not show: the bell)."""

    def __init__(self, home: Path, *args: str) -> None:
        self.terminal = Terminal(100, 30)
        self.raw = ""
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "breakctl", *args],
            env=env(home),
            dimensions=(30, 100),
            timeout=DEADLINE_S,
            encoding="utf-8",
            preexec_fn=interruptible,
        )
        self.child.logfile_read = self

    def write(self, text: str) -> None:
        self.raw += text
        self.terminal.write(text)

    def flush(self) -> None:
        pass

    def pump(self) -> None:
        """Take in whatever the program has written so far."""
        with contextlib.suppress(pexpect.TIMEOUT, pexpect.EOF):
            while True:
                self.child.read_nonblocking(65536, timeout=0.05)

    def text(self) -> str:
        self.pump()
        return self.terminal.text()

    def shows(self, needle: str) -> str:
        return poll(self.text, lambda text: needle in text, deadline_s=DEADLINE_S)

    def exit_status(self) -> int | None:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus


@pytest.fixture
def day(breakctl_home: Path) -> Iterator[Callable[..., int]]:
    """Start a background day; it is killed at the end of the test if still running."""
    pids: list[int] = []

    def start(*args: str) -> int:
        done = breakctl(breakctl_home, "start", "--detach", "--no-notify", "--no-presence", *args)
        assert done.returncode == 0, done.stderr
        match = re.fullmatch(
            r"breakctl: the day runs in the background \(pid (\d+)\); .*\n", done.stdout
        )
        assert match, done.stdout
        assert "`breakctl attach`" in done.stdout
        pids.append(int(match[1]))
        return int(match[1])

    yield start
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)  # its own session: the group is the day's


@pytest.fixture
def screens(breakctl_home: Path) -> Iterator[Callable[..., Screen]]:
    opened: list[Screen] = []

    def open_screen(*args: str) -> Screen:
        screen = Screen(breakctl_home, *(args or ("attach",)))
        opened.append(screen)
        return screen

    yield open_screen
    for screen in opened:
        screen.child.close(force=True)


def status(home: Path) -> dict:
    return json.loads(breakctl(home, "status", "--json").stdout)


def log_lines(home: Path, text: str) -> list[str]:
    return [line for line in (home / "day.log").read_text().splitlines() if line.endswith(text)]


def test_two_screens_show_one_day_and_a_key_acts_once(
    breakctl_home: Path, day: Callable[..., int], screens: Callable[..., Screen]
) -> None:
    pid = day("--work", "10m")
    first, second = screens(), screens()
    first.shows("Work · block 1")
    second.shows("Work · block 1")
    poll(lambda: status(breakctl_home), lambda s: s["attached"] == 2, DEADLINE_S)
    assert status(breakctl_home)["mode"] == "background"

    first.child.send(" ")  # pause, from one screen: both show it, and it happened once
    same = poll(
        lambda: (first.text(), second.text()),
        lambda texts: texts[0] == texts[1] and "paused" in texts[0],
        DEADLINE_S,
    )
    assert "Work · block 1" in same[0]
    assert status(breakctl_home)["state"] == "paused"  # twice would have resumed it
    assert len(log_lines(breakctl_home, "  paused")) == 1

    first.child.send("d")  # detach: that screen goes, the other and the day stay
    assert first.exit_status() == 0
    poll(lambda: status(breakctl_home), lambda s: s["attached"] == 1, DEADLINE_S)
    second.child.send(" ")  # resumed from the screen that stayed
    poll(lambda: status(breakctl_home), lambda s: s["state"] == "work", DEADLINE_S)
    assert alive(pid)

    third = screens()  # a screen attached later gets the whole state at once
    third.shows("Work · block 1")
    second.child.send("q")  # q ends the day: every screen prints the summary and exits 0
    for screen in (second, third):
        screen.shows("Today:")
        assert screen.exit_status() == 0
    poll(lambda: alive(pid), lambda running: not running, DEADLINE_S)
    ((kind, outcome),) = [(r["kind"], r["outcome"]) for r in records(breakctl_home)]
    assert kind == "work" and outcome == "interrupted"
    assert status(breakctl_home)["state"] == "idle"


def test_kill_9_of_a_screen_changes_nothing_and_of_the_day_is_recovered(
    breakctl_home: Path, day: Callable[..., int], screens: Callable[..., Screen]
) -> None:
    pid = day("--work", "10m")
    doomed, survivor = screens(), screens()
    doomed.shows("Work · block 1")
    survivor.shows("Work · block 1")
    poll(lambda: status(breakctl_home), lambda s: s["attached"] == 2, DEADLINE_S)
    doomed.child.kill(signal.SIGKILL)
    doomed.child.close()
    poll(lambda: status(breakctl_home), lambda s: s["attached"] == 1, DEADLINE_S)
    survivor.child.send(" ")
    survivor.shows("paused")
    assert status(breakctl_home)["state"] == "paused" and alive(pid)

    os.kill(pid, signal.SIGKILL)
    survivor.shows("ended without a word")
    assert survivor.exit_status() == 1
    assert records(breakctl_home) == []
    assert breakctl(breakctl_home, "status").stdout == ""  # the next command recovers it...
    (record,) = records(breakctl_home)  # ...once
    assert (record["kind"], record["outcome"]) == ("work", "recovered")


def test_a_bare_start_attaches_to_the_running_day(
    breakctl_home: Path, day: Callable[..., int], screens: Callable[..., Screen]
) -> None:
    pid = day("--work", "10m")
    again = screens("start")
    again.shows(f"a day is already running (pid {pid}): attaching to it")
    again.shows("Work · block 1")
    again.child.sendintr()  # Ctrl-C detaches
    assert again.exit_status() == 0
    assert alive(pid) and status(breakctl_home)["state"] == "work"


def test_detach_refuses_bad_options_before_starting_and_logs_privately(
    breakctl_home: Path, day: Callable[..., int]
) -> None:
    bad = breakctl(breakctl_home, "start", "--detach", "--work", "soon")
    assert bad.returncode == 2 and "--work" in bad.stderr
    assert not (breakctl_home / "day.log").exists() and status(breakctl_home)["state"] == "idle"
    pid = day("--work", "10m")
    log = breakctl_home / "day.log"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    poll(log.read_text, lambda text: "work block 1: 10:00" in text, DEADLINE_S)
    again = breakctl(breakctl_home, "start", "--detach")
    assert again.returncode == 1 and f"already running (pid {pid})" in again.stderr
    assert os.getsid(pid) == pid  # its own session: no terminal's hang-up reaches it


def test_attach_with_no_day_says_so_and_exits_1(breakctl_home: Path) -> None:
    done = breakctl(breakctl_home, "attach")
    assert done.returncode == 1
    assert done.stderr == "breakctl: no day is running (`breakctl start` starts one)\n"


def test_attach_break_exits_when_the_break_ends(
    breakctl_home: Path, day: Callable[..., int], screens: Callable[..., Screen]
) -> None:
    pid = day("--work", "3s", "--break", "4s", "--cycles", "2")
    popup = screens("attach", "--break")
    popup.shows("Break after block 1")
    poll(lambda: popup.raw, lambda raw: "\a" in raw, DEADLINE_S)  # alerted as the day's own
    assert popup.exit_status() == 0
    assert alive(pid)  # the day goes on: its second block
    assert status(breakctl_home)["state"] in ("work", "break")
    (first,) = [r for r in records(breakctl_home) if r["kind"] == "break"]
    assert first["cycle"] == 1


def test_headless_prints_a_line_per_phase(breakctl_home: Path) -> None:
    done = breakctl(
        breakctl_home, "start", "--headless", "--work", "2s", "--break", "2s", "--cycles", "1",
        "--no-notify", "--no-presence",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"\d\d:\d\d:\d\d  work block 1/1: 0:02 \(break at \d\d:\d\d\)", lines[0])
    assert any(line.endswith("all blocks done") for line in lines)
    assert "\x1b" not in done.stdout  # no screen: plain lines


def test_a_foreground_day_takes_screens_too(
    breakctl_home: Path, screens: Callable[..., Screen]
) -> None:
    own = screens("start", "--work", "10m", "--no-notify", "--no-presence")
    own.shows("Work · block 1")
    other = screens()
    other.shows("Work · block 1")
    shown = poll(lambda: status(breakctl_home), lambda s: s["attached"] == 2, DEADLINE_S)
    assert shown["mode"] == "foreground"  # its own screen counts as one
    other.child.send(" ")  # a key from the attached screen acts on the day in the terminal
    own.shows("paused")
    assert status(breakctl_home)["state"] == "paused"
    own.child.send("q")
    for screen in (own, other):
        screen.shows("Today:")
        assert screen.exit_status() == 0


def test_control_commands_drive_a_background_day_and_piped_attach_shows_lines(
    breakctl_home: Path, day: Callable[..., int]
) -> None:
    pid = day("--work", "10m")
    lines = PopenSpawn(
        [sys.executable, "-m", "breakctl", "attach"], env=env(breakctl_home),
        timeout=DEADLINE_S, encoding="utf-8",
    )  # fmt: skip
    try:
        lines.expect_exact(f"  attached to the day (pid {pid})\n")
        for command, said in (("pause", "  paused\n"), ("resume", "  resumed after"),
                              ("skip", "  the next break will be skipped\n")):  # fmt: skip
            assert breakctl(breakctl_home, command).returncode == 0
            lines.expect_exact(said)
        assert breakctl(breakctl_home, "stop").returncode == 0
        lines.expect_exact("Today:")
        lines.expect(pexpect.EOF)
        assert lines.wait() == 0
    finally:
        if lines.proc.poll() is None:
            lines.kill(signal.SIGKILL)
            lines.wait()
