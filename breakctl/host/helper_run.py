"""Running a helper program (a presence command, a hook, tmux, notify-send...): the one way
breakctl runs another program.

The program gets its own process group. Its output is read with a deadline and a byte limit,
never "until end of file": a background child that keeps the output open, output that never
ends, or a program that never exits cannot hold breakctl up. When breakctl stops reading
early (time or size exceeded, or the program exited but something it started still holds
its output), the whole group is killed. Children that let go of the output (`cmd >/dev/null
2>&1 &`) are left to run.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import IO, cast

from breakctl.core.errors import BreakctlError

MAX_OUTPUT = 64 * 1024  # bytes kept of each of stdout and stderr
LEFTOVER_S = 0.25  # after the program exits, how long what it started may keep its output
_TICK_S = 0.05  # how often the program's exit is checked while its output stays open


class HelperError(BreakctlError):
    """A helper program could not run, failed, or was stopped: one line, fit to show."""


def run_helper(
    argv: Sequence[str] | str,
    label: str,
    env: Mapping[str, str],
    timeout_s: float,
    *,
    stdin: bytes = b"",
    capture: bool = True,
    max_bytes: int = MAX_OUTPUT,
) -> bytes:
    """The standard output of a program that exited 0 in time (a string `argv` runs in the
    shell). `stdin` is written to it; without `capture` its standard output goes nowhere.
    HelperError, starting with `label`, says what went wrong otherwise."""
    returncode, out, err = run_helper_status(
        argv, label, env, timeout_s, stdin=stdin, capture=capture, max_bytes=max_bytes
    )
    if returncode != 0:
        text = err.decode("utf-8", "replace")
        last = (text.strip().splitlines() or [""])[-1][:120]
        raise HelperError(f"{label} failed (exit {returncode}){': ' + last if last else ''}")
    return out


def run_helper_status(
    argv: Sequence[str] | str,
    label: str,
    env: Mapping[str, str],
    timeout_s: float,
    *,
    stdin: bytes = b"",
    capture: bool = True,
    max_bytes: int = MAX_OUTPUT,
) -> tuple[int, bytes, bytes]:
    """(exit code, standard output, standard error) of a program that ended in time, for a
    caller to whom the exit code is the answer (a negative code: killed by that signal).
    HelperError when it could not run, took too long or printed too much."""
    try:
        child = subprocess.Popen(
            argv,
            shell=isinstance(argv, str),
            env=dict(env),
            start_new_session=True,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except FileNotFoundError:
        raise HelperError(f"{label} not found") from None
    except OSError as exc:
        raise HelperError(f"{label} could not run: {exc.strerror}") from None
    with child:
        reading = _Reading(child, timeout_s, max_bytes)
        why = reading.run(stdin)
        if why or reading.open_pipes:
            _kill_group(child)
        if why is None and child.poll() is None:  # output closed, program still running
            why = reading.wait_exit()
        if why is not None:
            _kill_group(child)
            raise HelperError(f"{label} {why}")
    return child.returncode, bytes(reading.out), bytes(reading.err)


def start_helper(
    argv: Sequence[str] | str,
    label: str,
    env: Mapping[str, str],
    timeout_s: float,
    report: Callable[[str], None],
    *,
    stdin: bytes = b"",
) -> threading.Thread:
    """`run_helper` in a thread, output not kept, for a program breakctl does not wait for:
    `report` gets the one line saying what went wrong, if anything."""

    def run() -> None:
        try:
            run_helper(argv, label, env, timeout_s, stdin=stdin, capture=False)
        except HelperError as exc:
            report(str(exc))

    thread = threading.Thread(target=run, name=f"helper {label}", daemon=True)
    thread.start()
    return thread


class Detached:
    """A program started and not waited for (a sound player, a speech command): its own
    process group, its output thrown away unread, so there are no bytes to bound; the owner
    bounds its time by calling `kill` when it outlives its limit."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        """Raises OSError when the program cannot be started."""
        self._process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=dict(env) if env is not None else None,
        )
        self.args = list(argv)

    def poll(self) -> int | None:
        """Its exit code once it has ended (reaping it), else None."""
        return self._process.poll()

    def kill(self) -> None:
        """Kill its whole group (a shell and whatever it started); not waited for."""
        with contextlib.suppress(OSError):
            os.killpg(self._process.pid, signal.SIGKILL)

    def wait(self, timeout_s: float) -> bool:
        """Wait up to `timeout_s` for it to end; True when it has."""
        try:
            self._process.wait(timeout=max(0.0, timeout_s))
        except subprocess.TimeoutExpired:
            return False
        return True


class _Reading:
    """The program's pipes, read (and its input written) until they close or time is up."""

    def __init__(self, child: subprocess.Popen[bytes], timeout_s: float, max_bytes: int) -> None:
        self.child, self.max_bytes = child, max_bytes
        self.deadline = time.monotonic() + timeout_s
        self.too_slow = f"took over {timeout_s:g}s and was stopped"
        self.out, self.err = bytearray(), bytearray()
        self.open_pipes = 0
        self._exited_at: float | None = None

    def run(self, stdin: bytes) -> str | None:
        """Read until every pipe is closed; why it stopped early, or None."""
        buffers = {self.child.stdout: self.out, self.child.stderr: self.err}
        with selectors.DefaultSelector() as selector:
            for pipe, buffer in buffers.items():
                if pipe is not None:
                    os.set_blocking(pipe.fileno(), False)
                    selector.register(pipe, selectors.EVENT_READ, buffer)
            pending = memoryview(stdin)
            if self.child.stdin is not None:
                os.set_blocking(self.child.stdin.fileno(), False)
                selector.register(self.child.stdin, selectors.EVENT_WRITE, None)
            while selector.get_map():
                wait = self._time_left()
                if wait <= 0:
                    self.open_pipes = len(selector.get_map())
                    return None if self._exited_at is not None else self.too_slow
                for key, _ in selector.select(min(wait, _TICK_S)):
                    pipe = cast("IO[bytes]", key.fileobj)
                    if key.data is None:
                        pending = self._write(selector, pipe, pending)
                    elif not self._read(selector, pipe, key.data):
                        return f"printed over {self.max_bytes // 1024} KiB and was stopped"
        return None

    def _time_left(self) -> float:
        now = time.monotonic()
        if self._exited_at is None and self.child.poll() is not None:
            self._exited_at = now
        if self._exited_at is not None:
            return min(self.deadline, self._exited_at + LEFTOVER_S) - now
        return self.deadline - now

    def _read(self, selector: selectors.BaseSelector, pipe: IO[bytes], buffer: bytearray) -> bool:
        fd = pipe.fileno()
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return True
        if not chunk:
            selector.unregister(pipe)
            return True
        buffer += chunk
        return len(buffer) <= self.max_bytes

    def _write(
        self, selector: selectors.BaseSelector, pipe: IO[bytes], pending: memoryview
    ) -> memoryview:
        fd = pipe.fileno()
        try:
            pending = pending[os.write(fd, pending) :]
        except BlockingIOError:
            return pending
        except BrokenPipeError:  # it did not want its input: not a failure in itself
            pending = pending[len(pending) :]
        if not pending:
            selector.unregister(pipe)
            pipe.close()  # end of input: a program reading to the end goes on
        return pending

    def wait_exit(self) -> str | None:
        try:
            self.child.wait(max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return self.too_slow
        return None


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    """Kill the program and everything in its process group; reap the program."""
    with contextlib.suppress(OSError):
        os.killpg(child.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(5.0)  # SIGKILL cannot be refused; only a stuck kernel call delays it


def start_background_day(argv: Sequence[str], env: Mapping[str, str], log_fd: int) -> int:
    """breakctl itself, started to outlive this process (`start --detach`): its own session
    (no terminal: closing this one does not end it), stdin from /dev/null, its output to
    `log_fd`. Not a helper to bound: the caller waits for it to listen, with a deadline, and
    the day's lines are few. Returns its pid; OSError when it cannot be started."""
    child = subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=log_fd,
        stderr=log_fd,
        start_new_session=True,
        env=dict(env),
        close_fds=True,
    )
    _forget(child)
    return child.pid


def _forget(child: subprocess.Popen[bytes]) -> None:
    """Not waited for: Python must not warn when this process exits first (the usual case)."""
    child.returncode = 0  # what ResourceWarning's check in __del__ looks at
