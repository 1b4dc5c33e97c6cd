"""Real components for the presence tests: an X server, a private D-Bus bus with a stub
service, a tmux server. Each starts in the test's own temporary directory and is stopped
after it; a test that needs a missing tool is skipped (CI installs them all)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pexpect
import pytest

T = TypeVar("T")
STUB = Path(__file__).with_name("dbus_stub_service.py")


def need(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (CI installs them)")


def alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def poll(read: Callable[[], T], ok: Callable[[T], bool], deadline_s: float = 5.0) -> T:
    """Read until `ok` holds, or fail with the last value once the deadline passes."""
    end = time.monotonic() + deadline_s
    while True:
        value = read()
        if ok(value):
            return value
        if time.monotonic() > end:
            raise AssertionError(f"still {value!r} after {deadline_s}s")
        time.sleep(0.05)


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def xvfb() -> Iterator[str]:
    """A real X server (Xvfb) on a free display; yields its DISPLAY value."""
    need("Xvfb")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", "640x480x24"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()  # Xvfb writes it once it accepts connections
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        stop(server)


def xdotool(display: str, *args: str) -> None:
    subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display}, check=True)


@contextmanager
def dbus_daemon(tmp: Path) -> Iterator[str]:
    """A private bus (dbus-daemon with the session configuration); yields its address."""
    need("dbus-daemon")
    daemon = subprocess.Popen(
        [
            "dbus-daemon",
            "--session",
            "--nofork",
            "--nopidfile",
            "--print-address",
            f"--address=unix:dir={tmp}",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        assert address, "dbus-daemon did not start"
        yield address
    finally:
        stop(daemon)


@contextmanager
def stub_service(address: str, *roles: str) -> Iterator[subprocess.Popen[str]]:
    """tests/dbus_stub_service.py on the bus at `address`, answering as `roles` (gnome,
    freedesktop, logind); yields once its names are on the bus."""
    service = subprocess.Popen(
        [sys.executable, str(STUB), address, *roles], stdout=subprocess.PIPE, text=True
    )
    try:
        assert service.stdout is not None
        assert service.stdout.readline().strip() == "ready", "the stub service did not start"
        yield service
    finally:
        stop(service)


def stub_control(
    address: str, method: str, signature: str | None = None, body: tuple = ()
) -> tuple:
    """Call the stub's own control interface (not part of any real service); its answer."""
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.wrappers import unwrap_msg

    target = DBusAddress("/control", "org.breakctl.TestStub", "org.breakctl.TestStub")
    with open_dbus_connection(bus=address) as connection:
        return unwrap_msg(
            connection.send_and_get_reply(
                new_method_call(target, method, signature, body), timeout=5
            )
        )


@contextmanager
def tmux_server(tmp: Path) -> Iterator[tuple[dict[str, str], pexpect.spawn]]:
    """A tmux server on its own socket with one session and a client attached in a
    pseudo-terminal; yields the environment a program in that session sees, and the client."""
    need("tmux")
    socket = str(tmp / "tmux.sock")
    env = {k: v for k, v in os.environ.items() if k != "TMUX"} | {"TERM": "xterm-256color"}
    subprocess.run(
        ["tmux", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", "work", "sh"],
        env=env,
        check=True,
    )
    client = pexpect.spawn(
        "tmux", ["-S", socket, "attach", "-t", "work"], env=env, dimensions=(24, 80)
    )
    try:
        pid = subprocess.run(
            ["tmux", "-S", socket, "display", "-p", "#{pid}"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        poll(lambda: _clients(socket, env), lambda n: n == 1)
        yield env | {"TMUX": f"{socket},{pid},0"}, client
    finally:
        client.close(force=True)
        subprocess.run(["tmux", "-S", socket, "kill-server"], env=env, capture_output=True)


def _clients(socket: str, env: dict[str, str]) -> int:
    argv = ["tmux", "-S", socket, "list-clients", "-F", "#{client_name}"]
    return len(subprocess.run(argv, env=env, capture_output=True, text=True).stdout.split())
