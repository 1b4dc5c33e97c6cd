"""What one reading of each Linux hold source of this module costs: microphone, camera,
fullscreen, on the real components (the tests' own PipeWire, Xvfb and openbox).

Usage: python benchmarks/hold_sources.py [--smoke]   (run with the venv's own interpreter)
Prints, per source, the median CPU time of one reading (this process and the programs it
runs), and what it comes to as a share of one core at one reading every 15 s (the day's
rate; the goal for every source together is 0.2 %). The camera is read on a desktop-like
/proc: PROCESSES extra processes with FDS open files each, one holding the camera; its
rows compare the full scan (what an open or close brings) with a reading between events.
The reference is `python -c pass`, run in the same loop: one reading against starting a
Python. Asserts nothing.
"""

from __future__ import annotations

import os
import resource
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from _timing import smoke_requested

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests' components

from breakctl.host.holds.camera import CameraSource
from breakctl.host.holds.fullscreen import FullscreenSource
from breakctl.host.holds.microphone import MicrophoneSource
from tests.presence_helpers import xvfb
from tests.sound_server import NULL_SOURCE, pipewire
from tests.test_holds_fullscreen import Window, openbox

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
EVERY_S = 15.0
HOLDER = "import os, sys, time\n[os.open('/dev/null', os.O_RDONLY) for _ in range({fds})]\n"
HOLDER += "print('ready', flush=True)\nsys.stdin.read()\n"


def cpu_ms(read: Callable[[], object], calls: int) -> float:
    """Median CPU milliseconds of one call: this process's and its children's."""
    samples = []
    for _ in range(calls):
        own, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
        read()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        samples.append((time.process_time() - own + spent) * 1000)
    return statistics.median(samples)


def row(name: str, ms: float, reference_ms: float) -> None:
    share = ms / 1000 / EVERY_S * 100
    ratio = ms / reference_ms
    print(f"  {name:<44}{ms:>8.3f} ms  {share:>7.4f} % of a core  {ratio:>6.3f}x python -c pass")


@contextmanager
def desktop(processes: int, fds: int) -> Iterator[None]:
    """`processes` Python processes with `fds` files open each, as a desktop's /proc has."""
    started = []
    try:
        for _ in range(processes):
            child = subprocess.Popen(
                [sys.executable, "-c", HOLDER.format(fds=fds)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            started.append(child)
        for child in started:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        yield
    finally:
        for child in started:
            child.kill()
            child.wait()


def camera_rows(tmp: Path, calls: int, processes: int, fds: int, reference: float) -> None:
    node = tmp / "video0"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        print("  camera: skipped (mknod needs root)")
        return
    with desktop(processes, fds), node.open("rb") as held:
        holder = subprocess.Popen(["sleep", "600"], stdin=held)
        try:
            count = sum(1 for name in os.listdir("/proc") if name.isdigit())
            source = CameraSource((str(node),))
            scan = source._openers
            full = cpu_ms(lambda: list(scan({str(node)})), calls)
            row(f"camera: full /proc scan ({count} processes)", full, reference)
            source.holds(NOW)
            row(
                "camera: a reading between open/close events",
                cpu_ms(lambda: source.holds(NOW), calls * 10),
                reference,
            )
            source.close()
        finally:
            holder.kill()
            holder.wait()


def microphone_rows(tmp: Path, calls: int, reference: float) -> None:
    if not all(
        shutil.which(tool) for tool in ("pipewire", "wireplumber", "pipewire-pulse", "parecord")
    ):
        print("  microphone: skipped (needs pipewire, wireplumber, pipewire-pulse, parecord)")
        return
    with pipewire(tmp) as server:
        mic = MicrophoneSource(server.env, asound=tmp / "no-asound")
        row(
            "microphone: pactl, nothing recording", cpu_ms(lambda: mic.holds(NOW), calls), reference
        )
        server.start("parecord", "-d", NULL_SOURCE, "--client-name=zoom", "/dev/null")
        deadline = time.monotonic() + 30
        while not mic.holds(NOW) and time.monotonic() < deadline:
            time.sleep(0.05)
        row("microphone: pactl, a call recording", cpu_ms(lambda: mic.holds(NOW), calls), reference)
        dump = MicrophoneSource({**server.env, "PATH": str(_only(tmp, "pw-dump"))})
        row(
            "microphone: pw-dump (no pactl), a call",
            cpu_ms(lambda: dump.holds(NOW), calls),
            reference,
        )


def _only(tmp: Path, program: str) -> Path:
    folder = tmp / f"only-{program}"
    folder.mkdir()
    (folder / program).symlink_to(shutil.which(program) or program)
    return folder


def fullscreen_rows(tmp: Path, calls: int, reference: float) -> None:
    if not (shutil.which("Xvfb") and shutil.which("openbox")):
        print("  fullscreen: skipped (needs Xvfb and openbox)")
        return
    with xvfb() as display, openbox(display, tmp):
        window = Window(display)
        window.activate()
        window.fullscreen(True)
        source = FullscreenSource({"DISPLAY": display})
        deadline = time.monotonic() + 30
        while not source.holds(NOW) and time.monotonic() < deadline:
            time.sleep(0.05)
        row(
            "fullscreen: a fullscreen window (Xvfb, openbox)",
            cpu_ms(lambda: source.holds(NOW), calls * 10),
            reference,
        )
        source.close()
        window.close()


def main() -> None:
    smoke = smoke_requested()
    calls, processes, fds = (5, 20, 10) if smoke else (41, 300, 40)
    reference = cpu_ms(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), calls)
    print(f"one reading, median CPU of {calls} (x10 for the cheap ones); reference:")
    row("python -c pass", reference, reference)
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        for name, rows in (
            ("camera", lambda where: camera_rows(where, calls, processes, fds, reference)),
            ("microphone", lambda where: microphone_rows(where, calls, reference)),
            ("fullscreen", lambda where: fullscreen_rows(where, calls, reference)),
        ):
            where = Path(tmp) / name
            where.mkdir()
            rows(where)


if __name__ == "__main__":
    main()
