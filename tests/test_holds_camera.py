"""`camera` on real character devices the test makes with mknod, held open by real
processes (this user's, and another user's that must not count)."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breakctl.core.holds import Hold, HoldsSettings
from breakctl.host.holds import camera
from breakctl.host.holds.camera import RESCAN_S, CameraSource
from tests.presence_helpers import poll

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """A character device node (the kernel's null device, 1:3) named like a camera."""
    node = tmp_path / "dev" / "video0"
    node.parent.mkdir()
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod needs root (CAP_MKNOD); CI runs as root")
    return node


@pytest.fixture
def holders() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts to hold a device open; all ended after the test."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        process.kill()
        process.wait(timeout=30)


def _hold_open(
    device: Path, holders: list[subprocess.Popen[bytes]], **kwargs: object
) -> subprocess.Popen[bytes]:
    """`sleep` with the device as its standard input; the test process lets go of it."""
    with device.open("rb") as held:
        process = subprocess.Popen(["sleep", "600"], stdin=held, **kwargs)  # type: ignore[call-overload]
    holders.append(process)
    poll(lambda: _has_open(process.pid, device), bool, deadline_s=30)
    return process


def _has_open(pid: int, device: Path) -> bool:
    try:
        return any(
            os.readlink(f"/proc/{pid}/fd/{fd}") == str(device)
            for fd in os.listdir(f"/proc/{pid}/fd")
        )
    except OSError:
        return False


def test_a_process_with_the_camera_open_holds_until_it_closes(
    video: Path, holders: list[subprocess.Popen[bytes]]
) -> None:
    source = CameraSource((str(video.parent / "video*"),))
    assert source.works() is None
    assert source.holds(NOW) == []
    call = _hold_open(video, holders)
    # the same `now` every time: the device's open and close events alone bring the answer
    held = poll(lambda: source.holds(NOW), bool, deadline_s=30)
    assert held == [Hold("camera", "sleep")]
    assert held[0].label == "camera: sleep"
    call.kill()
    call.wait(timeout=30)
    poll(lambda: source.holds(NOW), lambda h: h == [], deadline_s=30)
    source.close()


def test_another_users_process_does_not_hold(
    video: Path, holders: list[subprocess.Popen[bytes]]
) -> None:
    if os.getuid() != 0:
        pytest.skip("starting a process as another user needs root; CI runs as root")
    _hold_open(video, holders, user=65534, group=65534)
    source = CameraSource((str(video.parent / "video*"),))
    assert source.holds(NOW) == []
    # the same scan does see this user's process
    _hold_open(video, holders)
    assert poll(lambda: source.holds(NOW), bool, deadline_s=30) == [Hold("camera", "sleep")]


def test_without_an_event_the_scan_still_runs_every_few_minutes(
    video: Path, holders: list[subprocess.Popen[bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = CameraSource((str(video),))
    assert source.holds(NOW) == []
    monkeypatch.setattr(source._watch, "changed", lambda paths: False)  # events lost
    _hold_open(video, holders)
    assert source.holds(NOW + timedelta(seconds=RESCAN_S - 1)) == []  # the last answer
    assert source.holds(NOW + timedelta(seconds=RESCAN_S)) == [Hold("camera", "sleep")]


def test_devices_come_from_the_globs_by_their_real_names(tmp_path: Path, video: Path) -> None:
    link = tmp_path / "by-id-camera"
    link.symlink_to(video)
    source = CameraSource((str(tmp_path / "by-id-*"), str(tmp_path / "nothing-*")))
    assert source.devices() == {str(video)}


def test_no_camera_no_scan(tmp_path: Path) -> None:
    source = CameraSource((str(tmp_path / "video*"),), proc=Path("/proc"))
    assert source.holds(NOW) == []
    assert source._scanned is None


def test_no_proc_says_why(tmp_path: Path) -> None:
    why = CameraSource(("/dev/video*",), proc=tmp_path / "proc").works()
    assert why == f"no {tmp_path / 'proc'} to see open devices in (camera holds need Linux)"


def test_the_registry_gets_a_source_from_the_settings(tmp_path: Path) -> None:
    made = camera.source(HoldsSettings(camera_devices=(str(tmp_path / "cam*"),)))
    assert made.name == "camera"
    assert isinstance(made, CameraSource) and made._globs == (str(tmp_path / "cam*"),)
