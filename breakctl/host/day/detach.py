"""`breakctl start --detach`: the day started in the background, waited for until it listens
(or fails: then its own words from the log say why)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from breakctl.core.errors import StorageError
from breakctl.host.day.address import answers, socket_path
from breakctl.host.helper_run import start_background_day
from breakctl.store.paths import Paths, ensure_private_dir, open_private

LOG_NAME = "day.log"
READY_S = 60.0  # a day that neither listens nor fails this long: something is wrong
LOG_TAIL = 4096  # bytes of the log quoted when the day failed to start


def spawn_day(paths: Paths, env: Mapping[str, str], args: Sequence[str]) -> tuple[int, Path]:
    """`breakctl ARGS` (a `start --headless` command line) in the background; returns its pid
    and log once it listens for screens. StorageError when it could not start."""
    ensure_private_dir(paths.state_dir)
    log = paths.state_dir / LOG_NAME
    fd = open_private(log, os.O_WRONLY | os.O_NOFOLLOW)
    try:
        os.ftruncate(fd, 0)  # each background day its own log
        pid = start_background_day([sys.executable, "-m", "breakctl", *args], env, fd)
    except OSError as exc:
        raise StorageError(f"cannot start the day in the background: {exc.strerror}") from None
    finally:
        os.close(fd)
    _wait_listening(socket_path(paths, env), pid, log)
    return pid, log


def _wait_listening(path: Path, pid: int, log: Path) -> None:
    deadline = time.monotonic() + READY_S
    delay = 0.01
    while time.monotonic() < deadline:
        if answers(path):
            return
        if not _alive(pid):
            break
        time.sleep(delay)
        delay = min(delay * 2, 0.2)
    else:
        late = f"the day (pid {pid}) did not start listening in {READY_S:.0f}s"
        raise StorageError(f"{late}; see {log}")
    raise StorageError(f"the day did not start: {_last_line(log)} (log: {log})")


def _alive(pid: int) -> bool:
    """Still running (not yet a zombie: it is our child until this command exits)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return done == 0


def _last_line(log: Path) -> str:
    try:
        with log.open("rb") as handle:
            handle.seek(max(0, log.stat().st_size - LOG_TAIL))
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return "no output"
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].removeprefix("breakctl: ") if lines else "no output"
