"""Wayland compositors for the `wayland` presence tests and benchmark.

`headless_sway()`: Debian 12's real sway 1.7 (wlroots 0.15), headless, in a private runtime
directory; it offers `org_kde_kwin_idle` (ext-idle-notify-v1 came with wlroots 0.16). sway
refuses to run as root (it checks that it cannot regain root after dropping it), so as root
it runs as `nobody` through setpriv; the test, as root, still reaches its sockets. Input comes
from real clients: `wtype` (virtual keyboard protocol) and `swaymsg seat - cursor move`.

`ScriptedCompositor`: for ext-idle-notify-v1 versions 1 and 2, which no compositor in Debian 12
offers. See tests/wayland_wire.py for what it is and where its messages come from.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.presence_helpers import need

START_WITHIN_S = 60.0  # sway answering its IPC: only a broken sway takes this long


def _as_nobody() -> tuple[list[str], int | None, int | None]:
    """The prefix that runs sway unprivileged when we are root, and that user's ids."""
    if os.geteuid() != 0:
        return [], None, None
    import pwd

    user = pwd.getpwnam("nobody")
    prefix = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]
    return prefix, user.pw_uid, user.pw_gid


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """sway and anything it started: TERM, then KILL if it lingers."""
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            continue
    if process.poll() is None:
        process.wait()


@contextmanager
def headless_sway() -> Iterator[dict[str, str]]:
    """A real headless sway; yields the environment a client needs to reach it
    (WAYLAND_DISPLAY, XDG_RUNTIME_DIR, SWAYSOCK, PATH)."""
    need("sway", "swaymsg")
    prefix, uid, gid = _as_nobody()
    runtime = Path(tempfile.mkdtemp(prefix="breakctl-sway-", dir="/tmp"))
    os.chmod(runtime, 0o700)
    config = runtime / "config"
    config.write_text("xwayland disable\n")
    if uid is not None and gid is not None:
        os.chown(runtime, uid, gid)
        os.chown(config, uid, gid)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(runtime),
        "XDG_RUNTIME_DIR": str(runtime),
        "WLR_BACKENDS": "headless",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman",
    }
    log = open(runtime.with_suffix(".log"), "wb")  # noqa: SIM115 - closed in finally
    sway = subprocess.Popen(
        [*prefix, "sway", "-c", str(config)],
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,  # its own group: stopped whole, whatever the test does
    )
    try:
        client_env = _wait_ready(sway, runtime)
        yield client_env
    finally:
        _kill_group(sway)
        log.close()
        shutil.rmtree(runtime, ignore_errors=True)
        runtime.with_suffix(".log").unlink(missing_ok=True)


def _wait_ready(sway: subprocess.Popen[bytes], runtime: Path) -> dict[str, str]:
    """Wait until sway answers on its IPC socket (its Wayland socket is served by then)."""
    end = time.monotonic() + START_WITHIN_S
    while True:
        if sway.poll() is not None:
            log = runtime.with_suffix(".log").read_text(errors="replace")
            raise AssertionError(f"sway exited ({sway.returncode}):\n{log[-2000:]}")
        ipc = sorted(runtime.glob("sway-ipc.*.sock"))
        displays = sorted(p for p in runtime.glob("wayland-*") if not p.name.endswith(".lock"))
        if ipc and displays:
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "XDG_RUNTIME_DIR": str(runtime),
                "WAYLAND_DISPLAY": displays[0].name,
                "SWAYSOCK": str(ipc[0]),
            }
            answer = subprocess.run(
                ["swaymsg", "-t", "get_version"], env=env, capture_output=True, timeout=30
            )
            if answer.returncode == 0:
                return env
        if time.monotonic() > end:
            raise AssertionError(f"sway not ready after {START_WITHIN_S}s")
        time.sleep(0.05)


def wtype(env: dict[str, str], text: str) -> None:
    """Type `text` as a person would, through the compositor's virtual keyboard."""
    need("wtype")
    subprocess.run(["wtype", text], env=env, check=True, capture_output=True, timeout=30)


def move_pointer(env: dict[str, str], x: int, y: int) -> None:
    """Move sway's seat cursor (sway counts it as input on the seat)."""
    subprocess.run(
        ["swaymsg", "seat", "-", "cursor", "move", str(x), str(y)],
        env=env,
        check=True,
        capture_output=True,
        timeout=30,
    )
