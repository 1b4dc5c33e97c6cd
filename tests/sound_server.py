"""A real PipeWire for the microphone tests: pipewire, wireplumber and pipewire-pulse on a
private runtime directory and session bus, with a null source to record from. Everything it
starts is its own process group, ended when the test ends, however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from tests.presence_helpers import dbus_daemon, need, poll

NULL_SOURCE = "breakctl_test_mic"
NULL_SINK = "breakctl_test_speakers"  # its monitor, NULL_SINK.monitor, records what plays


class SoundServer:
    """The environment a program on this server sees, and a way to start recorders on it."""

    def __init__(self, env: dict[str, str], stack: ExitStack) -> None:
        self.env = env
        self._stack = stack

    def start(self, *argv: str) -> subprocess.Popen[bytes]:
        """A client of this server (a recorder), ended with the server at the latest."""
        process = _group(list(argv), self.env)
        self._stack.callback(end_group, process)
        return process

    def pactl(self, *args: str) -> str:
        argv = ["pactl", *args]
        done = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=30)
        return done.stdout if done.returncode == 0 else ""


def _group(argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        argv,
        env=env,
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def end_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the process's whole group and reap it."""
    with suppress(OSError):  # already gone
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@contextmanager
def pipewire(tmp: Path) -> Iterator[SoundServer]:
    """PipeWire with its session manager and pulse server, private to `tmp`, and a null
    source named NULL_SOURCE and a null sink named NULL_SINK; yields once pactl sees them."""
    need("pipewire", "wireplumber", "pipewire-pulse", "pactl", "dbus-daemon")
    runtime = tmp / "runtime"
    runtime.mkdir(mode=0o700)
    (tmp / "bus").mkdir()
    with ExitStack() as stack:
        bus = stack.enter_context(dbus_daemon(tmp / "bus"))
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp),
            "XDG_RUNTIME_DIR": str(runtime),
            "XDG_CONFIG_HOME": str(tmp / "config"),
            "XDG_STATE_HOME": str(tmp / "state"),
            "XDG_DATA_HOME": str(tmp / "data"),
            "DBUS_SESSION_BUS_ADDRESS": bus,
            "PULSE_SERVER": f"unix:{runtime}/pulse/native",
            "LC_ALL": "C",
        }
        server = SoundServer(env, stack)
        for program in ("pipewire", "wireplumber", "pipewire-pulse"):
            server.start(program)
        poll(lambda: server.pactl("info"), lambda out: "PipeWire" in out, deadline_s=60)
        for name, kind in ((NULL_SOURCE, "Audio/Source/Virtual"), (NULL_SINK, "Audio/Sink")):
            loaded = server.pactl(
                "load-module", "module-null-sink", f"sink_name={name}", f"media.class={kind}"
            )
            assert loaded.strip(), f"the null device {name} could not be made"
        poll(
            lambda: server.pactl("list", "short", "sources"),
            lambda out: NULL_SOURCE in out and f"{NULL_SINK}.monitor" in out,
        )
        yield server
