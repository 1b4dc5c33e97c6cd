"""The `programs` hold source, with real child processes."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from breakctl.core.holds import Hold, HoldsSettings
from breakctl.host.holds import programs
from breakctl.host.holds.base import HoldError
from tests.presence_helpers import poll, stop

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))


@contextmanager
def running(argv: list[str]) -> Iterator[subprocess.Popen[bytes]]:
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
    try:
        yield child
    finally:
        stop(child)


def program(tmp_path: Path, name: str) -> str:
    """A real program called `name` (a copy of sleep) that runs until stopped."""
    path = tmp_path / name
    shutil.copy(shutil.which("sleep") or "/bin/sleep", path)
    return str(path)


def holds(*names: str) -> list[Hold]:
    return programs.source(HoldsSettings(programs=names)).holds(NOW)


def test_a_running_program_holds_and_its_end_releases(tmp_path: Path) -> None:
    with running([program(tmp_path, "fakemeeting"), "600"]) as child:
        found = poll(lambda: holds("obs", "FakeMeeting"), bool, 30)
        assert found == [Hold("programs", "FakeMeeting")]
        stop(child)
    poll(lambda: holds("obs", "FakeMeeting"), lambda found: found == [], 30)


def test_a_name_longer_than_the_kernels_15_characters_matches(tmp_path: Path) -> None:
    name = "a-very-long-meeting-app"
    with running([program(tmp_path, name), "600"]):
        assert poll(lambda: holds(name), bool, 30) == [Hold("programs", name)]


def test_argv0_is_matched_too(tmp_path: Path) -> None:
    """`exec -a zoom sleep`: the kernel calls it sleep, its command line calls it zoom."""
    with running(["bash", "-c", "exec -a /opt/zoom/zoom sleep 600"]):
        assert poll(lambda: holds("zoom"), bool, 30) == [Hold("programs", "zoom")]


def test_a_program_not_running_does_not_hold() -> None:
    assert holds("no-such-program-breakctl") == []


def test_macos_reads_a_bounded_ps(tmp_path: Path) -> None:
    """On macOS the list comes from `ps -axo comm=`: here a stand-in `ps` on PATH prints
    what macOS's does (full paths of the executables)."""
    fake_ps = tmp_path / "ps"
    fake_ps.write_text(
        "#!/bin/sh\necho '/sbin/launchd'\necho '/Applications/zoom.us.app/Contents/MacOS/zoom.us'\n"
    )
    fake_ps.chmod(0o755)
    source = programs.ProgramsSource(("zoom.us", "obs"), {"PATH": str(tmp_path)}, "darwin")
    assert source.holds(NOW) == [Hold("programs", "zoom.us")]


def test_no_programs_and_no_proc(tmp_path: Path) -> None:
    with pytest.raises(HoldError, match=r"no \[holds\] programs set"):
        holds()
    source = programs.ProgramsSource(("obs",), {}, "linux", str(tmp_path / "proc"))
    with pytest.raises(HoldError, match="cannot list programs here"):
        source.holds(NOW)
