"""The day as a process (#20): what a headless day costs, with and without screens attached,
how fast a screen's first frame comes, and how fast a key's effect reaches the screen.

Usage: python benchmarks/daemon.py [--smoke]   (run with the venv's own interpreter)
A real `breakctl start --headless` works a long block with presence on (the `command` source,
`echo 1000`: someone is at the keyboard, read every 5 s as while working).
Prints:
- the day's CPU as a share of one core over a steady window (its own, and with the presence
  command's children), and its RSS, alone and with three `breakctl attach` screens in
  pseudo-terminals (goals: <= 0.2 % alone, <= 0.5 % with three screens, <= 40 MiB);
- the wall time from starting `breakctl attach` to its whole first frame on the terminal,
  against `breakctl routine list` run to its end in the same kind of terminal, medians of
  interleaved runs (goal: <= 1.2x);
- a key's effect on screen: from the space key written to an attached screen's terminal to
  the paused line drawn there (the day applies it and sends the frame back), median and
  worst (goal: median <= 50 ms).
Asserts nothing. `--smoke`: 4 s windows, a few runs.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import tempfile
import termios
import time
from pathlib import Path

from _timing import BIN, byte_compile_breakctl, smoke_requested

TICKS = os.sysconf("SC_CLK_TCK")
FRAME_END = "╯".encode()  # the work frame's bottom-right corner: the frame is whole
PAUSED = b"space to resume"
DEADLINE_S = 60.0


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(its own CPU seconds, those of its children it has waited for)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS, (int(fields[13]) + int(fields[14])) / TICKS


def rss_mib(pid: int) -> tuple[float, float]:
    """(RSS now, peak RSS) in MiB."""
    status = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


class PtyProgram:
    """A program in a pseudo-terminal of 100 x 30, read with timestamps."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.primary, secondary = pty.openpty()
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.process = subprocess.Popen(
            argv, stdin=secondary, stdout=secondary, stderr=secondary, env=env,
            start_new_session=True,
        )  # fmt: skip
        os.close(secondary)
        self.seen = b""

    def read_until(self, marker: bytes) -> float:
        """The monotonic time `marker` arrived (in what was read since the last call)."""
        end = time.monotonic() + DEADLINE_S
        while marker not in self.seen:
            left = end - time.monotonic()
            if left <= 0:
                raise SystemExit(f"{self.process.args}: no {marker!r} in {DEADLINE_S:.0f}s")
            ready, _, _ = select.select([self.primary], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.primary, 65536)
                except OSError:
                    raise SystemExit(f"{self.process.args} ended: {self.seen[-300:]!r}") from None
        at = time.monotonic()
        self.seen = self.seen[self.seen.index(marker) + len(marker) :]
        return at

    def drain(self) -> None:
        while select.select([self.primary], [], [], 0)[0]:
            try:
                if not os.read(self.primary, 65536):
                    return
            except OSError:
                return
        self.seen = b""

    def send(self, data: bytes) -> float:
        at = time.monotonic()
        os.write(self.primary, data)
        return at

    def wait_exit(self) -> float:
        """Read until the program ends (a terminal's reader must, or it may block); its end."""
        while True:
            ready, _, _ = select.select([self.primary], [], [], 1.0)
            if ready:
                try:
                    if os.read(self.primary, 65536):
                        continue
                except OSError:
                    pass
            if self.process.poll() is not None or ready:
                self.process.wait(DEADLINE_S)
                return time.monotonic()

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.primary)


def wait_for_state(home: Path, ok: object = None) -> dict[str, object]:
    end = time.monotonic() + DEADLINE_S
    while time.monotonic() < end:
        try:
            state = json.loads((home / "current.json").read_text())
        except (OSError, ValueError):
            state = {}
        if state and (ok is None or ok(state)):  # type: ignore[operator]
            return dict(state)
        time.sleep(0.02)
    raise SystemExit("the day never wrote its state")


def measure_window(pid: int, seconds: float) -> dict[str, float]:
    own0, kids0 = cpu_seconds(pid)
    start = time.monotonic()
    time.sleep(seconds)
    own1, kids1 = cpu_seconds(pid)
    wall = time.monotonic() - start
    rss, peak = rss_mib(pid)
    return {
        "own_pct": 100 * (own1 - own0) / wall,
        "all_pct": 100 * (own1 - own0 + kids1 - kids0) / wall,
        "rss": rss,
        "peak": peak,
    }


def first_frames(env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    """Interleaved: attach to its first whole frame, `routine list` to its end."""
    attach, listing = [], []
    for _ in range(runs):
        start = time.monotonic()
        screen = PtyProgram([str(BIN / "breakctl"), "attach"], env)
        attach.append(screen.read_until(FRAME_END) - start)
        screen.send(b"d")
        screen.wait_exit()
        screen.close()
        start = time.monotonic()
        lister = PtyProgram([str(BIN / "breakctl"), "routine", "list"], env)
        listing.append(lister.wait_exit() - start)
        lister.close()
    return attach, listing


def key_latencies(screen: PtyProgram, home: Path, samples: int) -> list[float]:
    took = []
    for _ in range(samples):
        screen.drain()
        pressed = screen.send(b" ")
        took.append(screen.read_until(PAUSED) - pressed)
        screen.send(b" ")  # resume, and wait until the day has
        wait_for_state(home, lambda state: state.get("paused") is False)
    return took


def print_window(label: str, figures: dict[str, float], goal: float) -> None:
    verdict = "ok" if figures["own_pct"] <= goal else "over"
    print(
        f"{label:<34}{figures['own_pct']:>7.3f} % of a core (goal {goal} %: {verdict}); "
        f"with presence's children {figures['all_pct']:.3f} %; "
        f"RSS {figures['rss']:.1f} MiB, peak {figures['peak']:.1f} (goal 40)"
    )


def main() -> None:
    smoke = smoke_requested()
    window, runs, samples = (4.0, 3, 5) if smoke else (60.0, 15, 41)
    byte_compile_breakctl()
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        home = Path(folder)
        (home / "config.toml").write_text('[presence]\nsource = "command"\ncommand = "echo 1000"\n')
        env = {**os.environ, "BREAKCTL_HOME": folder, "TERM": "xterm-256color", "COLUMNS": "100"}
        env.pop("NO_COLOR", None)
        day = subprocess.Popen(
            [str(BIN / "breakctl"), "start", "--headless", "--work", "3h", "--no-notify"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=env, start_new_session=True,
        )  # fmt: skip
        screens: list[PtyProgram] = []
        try:
            state = wait_for_state(home)
            presence = state.get("presence")
            print(f"headless day pid {day.pid}, presence {presence}, {window:.0f}s windows")
            time.sleep(min(3.0, window))  # start-up over
            alone = measure_window(day.pid, window)
            for _ in range(3):
                screen = PtyProgram([str(BIN / "breakctl"), "attach"], env)
                screen.read_until(FRAME_END)
                screens.append(screen)
            wait_for_state(home, lambda s: s.get("attached") == 3)
            attached = measure_window(day.pid, window)
            for screen in screens:  # their output read, or their terminal fills and they stop
                screen.drain()
            tick = 100 / TICKS / window
            print(f"(CPU is counted in ticks of 1/{TICKS} s: {tick:.3f} % of a core in a window)")
            print_window("day alone, working", alone, 0.2)
            print_window("day with 3 screens attached", attached, 0.5)
            latencies = key_latencies(screens[0], home, samples)
            median = statistics.median(latencies) * 1000
            verdict = "ok" if median <= 50 else "over"
            print(
                f"{'key to its effect on screen':<34}{median:>7.1f} ms median, worst "
                f"{max(latencies) * 1000:.1f} ms, {samples} presses (goal 50 ms: {verdict})"
            )
            attach, listing = first_frames(env, runs)
            ours, theirs = statistics.median(attach), statistics.median(listing)
            verdict = "ok" if ours <= 1.2 * theirs else "over"
            print(
                f"{'attach: first whole frame':<34}{ours * 1000:>7.1f} ms; `routine list` "
                f"{theirs * 1000:.1f} ms: {ours / theirs:.2f}x (goal 1.20x: {verdict}), "
                f"medians of {runs} interleaved runs"
            )
        finally:
            for screen in screens:
                screen.close()
            os.killpg(day.pid, signal.SIGTERM)
            day.wait(DEADLINE_S)
    if smoke:
        print("(smoke run: windows too short and too few runs to judge the goals)")


if __name__ == "__main__":
    main()
