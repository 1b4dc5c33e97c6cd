"""`camera`: a program of this user has a video device open (a call with the camera on).

Linux shows every open file of a process as a link in /proc/PID/fd. A reading lists the
devices `[holds] camera_devices` matches (none: no camera, nothing to scan), then reads the
fd links of this user's processes only (other users' are not readable anyway, and not
this person's call). Each fd directory is opened once and its links read relative to it;
a process that ends mid-scan is skipped.

That scan costs a system call per open file of every process: about 2.5 ms for 100
processes here, tens of ms on a busy desktop. So it runs only when inotify saw a device
opened or closed since the last one, and at least every RESCAN_S (a holder that handed its
descriptor to a child and ended raises no event); otherwise the last answer stands.
"""

from __future__ import annotations

import contextlib
import glob
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from breakctl.core.holds import Hold, HoldsSettings
from breakctl.host.holds.base import HoldError, HoldSource
from breakctl.host.holds.open_watch import OpenWatch

PROC = Path("/proc")
RESCAN_S = 300.0


class CameraSource(HoldSource):
    name = "camera"

    def __init__(
        self, device_globs: tuple[str, ...], proc: Path = PROC, uid: int | None = None
    ) -> None:
        self._globs = device_globs
        self._proc = proc
        self._uid = os.getuid() if uid is None else uid
        self._watch = OpenWatch()
        self._last: list[Hold] = []
        self._scanned: datetime | None = None

    def holds(self, now: datetime) -> list[Hold]:
        if not (self._proc / "self" / "fd").is_dir():
            raise HoldError(f"no {self._proc} to see open devices in (camera holds need Linux)")
        devices = self.devices()
        if not devices:
            self._watch.close()
            return []
        changed = self._watch.changed(devices)
        due = self._scanned is None or abs(now - self._scanned) >= timedelta(seconds=RESCAN_S)
        if changed or due:
            programs = [_program(process) for process in self._openers(devices)]
            self._last = [Hold(self.name, program) for program in dict.fromkeys(programs)]
            self._scanned = now
        return list(self._last)

    def close(self) -> None:
        self._watch.close()

    def devices(self) -> set[str]:
        """The device files the globs match now, by the name the kernel gives them."""
        found = set()
        for pattern in self._globs:
            for path in glob.glob(os.path.expanduser(pattern)):
                found.add(os.path.realpath(path))
        return found

    def _openers(self, devices: set[str]) -> Iterator[str]:
        """The /proc folder of each of this user's processes with one of `devices` open."""
        with os.scandir(self._proc) as entries:
            for entry in entries:
                if not entry.name.isdigit():
                    continue
                try:
                    if entry.stat().st_uid != self._uid:
                        continue
                    targets = _fd_targets(entry.path)
                except OSError:  # ended, or not ours to read after all
                    continue
                if not devices.isdisjoint(targets):
                    yield entry.path


def _fd_targets(process: str) -> list[str]:
    fds = os.open(f"{process}/fd", os.O_RDONLY | os.O_DIRECTORY)
    try:
        targets = []
        for fd in os.listdir(fds):
            with contextlib.suppress(OSError):  # closed since the listing
                targets.append(os.readlink(fd, dir_fd=fds))
        return targets
    finally:
        os.close(fds)


def _program(process: str) -> str:
    try:
        return Path(process, "comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "unknown program"


def source(settings: HoldsSettings) -> HoldSource:
    """The `camera` source, watching the devices `[holds] camera_devices` names."""
    return CameraSource(settings.camera_devices)
