"""Helper programs (presence commands, hooks, notifiers, tmux) run through one function whose
reading is bounded in time and bytes whatever the program's children do. Real programs,
real background children holding the output."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakctl.host import notify
from breakctl.host.helper_run import HelperError, run_helper
from breakctl.host.hooks import HookRunner
from breakctl.host.presence.tools import CommandSource
from tests.presence_helpers import alive, poll

ENV = {"PATH": os.environ["PATH"]}
HANG_S = 60.0  # far beyond any limit under test: reaching it means breakctl waited on the child


@pytest.fixture
def pid_file(tmp_path: Path) -> Iterator[Path]:
    """Where a background child writes its pid; whatever is left running is killed after."""
    path = tmp_path / "child.pid"
    yield path
    with contextlib.suppress(OSError, ValueError):
        os.kill(int(path.read_text()), signal.SIGKILL)


def _escaped_child(pid_file: Path) -> str:
    """A shell line starting a child that leaves the process group (setsid) but keeps the
    helper's stdout and stderr open for two minutes, past any limit under test (the fixture
    kills it sooner)."""
    code = (
        "import os, sys, time; os.setsid(); "
        "open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(120)"
    )
    return f'{sys.executable} -c "{code}" {pid_file} &'


def _bounded(call: object) -> object:
    """Run `call` in a thread; its result, or a failure if it is still waiting after HANG_S."""
    box: list[object] = []

    def run() -> None:
        try:
            box.append(call())  # type: ignore[operator]
        except HelperError as exc:
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_S)
    assert not thread.is_alive(), "the helper's reading never ended"
    return box[0]


def test_a_background_child_holding_the_output_does_not_keep_the_answer(pid_file: Path) -> None:
    command = f"echo 5000; sleep 600 & echo $! > {pid_file}"
    assert CommandSource(command, ENV).idle_s() == 5.0  # the command answered, then exited
    pid = int(pid_file.read_text())
    poll(lambda: alive(pid), lambda alive: not alive)  # what held its output is killed


def test_a_child_that_left_the_group_cannot_freeze_the_reading(pid_file: Path) -> None:
    answer = _bounded(lambda: run_helper(f"echo 42; {_escaped_child(pid_file)}", "c", ENV, 2.0))
    assert answer == b"42\n"
    poll(pid_file.exists, bool)


def test_a_hanging_command_whose_child_left_the_group_is_stopped(pid_file: Path) -> None:
    command = f"{_escaped_child(pid_file)} sleep 600"
    works, why = _bounded(lambda: CommandSource(command, ENV).probe())  # type: ignore[misc]
    assert not works
    assert why == f"command {command!r} took over 2s and was stopped"


def test_output_without_end_is_cut_at_the_byte_limit() -> None:
    failure = _bounded(lambda: run_helper("yes", "command 'yes'", ENV, 30.0, max_bytes=4096))
    assert str(failure) == "command 'yes' printed over 4 KiB and was stopped"


def test_bytes_that_are_not_utf8_are_a_reported_failure() -> None:
    works, why = CommandSource(r"printf '\377\376 12\n'", ENV).probe()
    assert not works
    assert (
        why
        == r"""command "printf '\\377\\376 12\\n'" printed bytes that are not UTF-8 (at byte 0)"""
    )


def test_input_is_written_while_the_output_is_read() -> None:
    # More than a pipe holds in both directions: writing all, then reading, would deadlock.
    payload = b"x" * 300_000
    out = run_helper("cat", "cat", ENV, 30.0, stdin=payload, max_bytes=len(payload))
    assert out == payload


def test_a_program_that_ignores_its_input_is_not_a_failure() -> None:
    assert run_helper("echo done", "echo", ENV, 5.0, stdin=b"y" * 300_000) == b"done\n"


def test_a_hook_whose_child_holds_stderr_is_not_slow(pid_file: Path) -> None:
    runner = HookRunner({"on_skip": f"sleep 600 & echo $! > {pid_file}"}, ENV, timeout_s=30)
    runner.fire("on_skip", "work", None, 0, None)
    runner.wait(HANG_S)
    assert runner.drain() == []
    pid = int(pid_file.read_text())
    poll(lambda: alive(pid), lambda alive: not alive)


def test_a_notifier_that_hangs_is_stopped_and_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pid_file: Path
) -> None:
    tool = tmp_path / "notify-send"  # hangs the first time (with a child), then works
    hung = tmp_path / "hung-once"
    tool.write_text(
        f"#!/bin/sh\n[ -e {hung} ] && exit 0\n: > {hung}\n"
        f"sleep 600 >/dev/null 2>&1 &\necho $! > {pid_file}\nwait\n"
    )
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    monkeypatch.setattr(notify, "NOTIFIER_TIMEOUT_S", 2.0)  # time for a busy machine to start it
    notifier = notify.Notifier(
        terminal=None, env={**os.environ, "DISPLAY": ":99"}
    )  # a desktop to try
    assert notifier.alert("Break", "now") == []  # not waited for
    poll(pid_file.exists, bool, deadline_s=30)
    pid = int(pid_file.read_text())
    poll(lambda: alive(pid), lambda alive: not alive, deadline_s=30)  # stopped with its group
    problems = poll(lambda: notifier.alert("Break", "again"), bool, deadline_s=30)
    assert problems == ["notify-send took over 2s and was stopped"]
    assert notifier.alert("Break", "third") == []


def test_every_program_breakctl_runs_goes_through_the_one_helper_function() -> None:
    """No module but host/helper_run starts a program: each new one is bounded the same way."""
    import ast

    package = Path(__file__).resolve().parents[1] / "breakctl"
    starters = {"system", "popen", "spawnl", "spawnv", "spawnvp", "execv", "execvp", "posix_spawn"}
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "helper_run.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Attribute) and node.attr in starters:
                names = [f"os.{node.attr}"] if getattr(node.value, "id", "") == "os" else []
            if any(n == "subprocess" or n.startswith(("os.", "pty")) for n in names):
                found.append(f"{path.relative_to(package)}:{node.lineno} {names}")
    assert found == []
