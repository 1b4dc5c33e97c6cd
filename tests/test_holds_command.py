"""The `command` hold source, with real scripts run through the bounded helper runner."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from breakctl.core.holds import Hold, HoldsSettings
from breakctl.host.holds import command
from breakctl.host.holds.base import HoldError

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))


def script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def holds(command_line: str) -> list[Hold]:
    return command.source(HoldsSettings(command=command_line)).holds(NOW)


def test_exit_0_holds_with_its_first_line_as_the_reason(tmp_path: Path) -> None:
    check = script(tmp_path, "in-call", "echo\necho '  Standup with the team  '\necho more\n")
    assert holds(check) == [Hold("command", "Standup with the team")]


def test_exit_0_without_output_holds_with_the_command_as_reason(tmp_path: Path) -> None:
    check = script(tmp_path, "quiet", "exit 0\n")
    assert holds(check) == [Hold("command", check)]


def test_a_nonzero_exit_does_not_hold(tmp_path: Path) -> None:
    assert holds(script(tmp_path, "free", "echo 'not now'\nexit 1\n")) == []


def test_the_state_it_reads_decides(tmp_path: Path) -> None:
    flag = tmp_path / "on-air"
    check = script(tmp_path, "check-air", f'test -e "{flag}" && cat "{flag}"\n')
    source = command.source(HoldsSettings(command=check))
    assert source.holds(NOW) == []
    flag.write_text("recording\n", encoding="utf-8")
    assert source.holds(NOW) == [Hold("command", "recording")]


def test_a_command_that_hangs_is_stopped_with_what_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(command, "TIMEOUT_S", 0.5)
    pid_file = tmp_path / "child.pid"
    check = script(tmp_path, "hang", f'sleep 600 &\necho $! > "{pid_file}"\nwait\n')
    with pytest.raises(HoldError, match=r"took over 0.5s and was stopped"):
        holds(check)
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 30
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        if Path(f"/proc/{child}/stat").read_text().split(")")[-1].split()[0] == "Z":
            break  # gone, waiting for its parent (pid 1) to reap it
        time.sleep(0.05)
    stat = Path(f"/proc/{child}/stat")
    assert not stat.exists() or stat.read_text().split(")")[-1].split()[0] == "Z"


def test_a_killed_command_cannot_tell(tmp_path: Path) -> None:
    with pytest.raises(HoldError, match=r"was killed \(signal 9\)"):
        holds(script(tmp_path, "killed", "kill -9 $$\n"))


def test_a_command_the_shell_cannot_find_or_run_cannot_tell(tmp_path: Path) -> None:
    """The shell's 127 and 126 are no answer from the command: a misspelt command must not
    pass for "not in a call" forever."""
    with pytest.raises(HoldError, match=r"missing' was not found \(exit 127\)"):
        command.CommandSource(str(tmp_path / "missing"), os.environ).holds(NOW)
    not_executable = tmp_path / "plain"
    not_executable.write_text("exit 0\n", encoding="utf-8")
    with pytest.raises(HoldError, match=r"could not run \(exit 126\)"):
        holds(str(not_executable))


def test_no_command_set() -> None:
    with pytest.raises(HoldError, match=r"no \[holds\] command set"):
        holds("")
