"""What a work countdown costs and how punctually it ends, with the real `breakctl start` in a
pseudo-terminal.

Usage: python benchmarks/countdown.py [--smoke] [--presence SOURCE[,SOURCE...]]
(smoke: 5 s blocks instead of 60 s)
Prints, for a 60 s work block: CPU seconds in all and in the steady countdown (start-up
excluded) as a share of one core, peak RSS, and how late the break began against its deadline,
idle and with both cores kept busy. Goals: <= 0.2 % of a core, <= 40 MiB, <= 20 ms late.

With --presence (e.g. `--presence none,x11`), the idle block is then run once more for each
source, with `[presence] source = "..."` in the home's config.toml, and CPU and peak RSS are
printed side by side. `x11` reads the X server in $DISPLAY, or an Xvfb the script starts when
DISPLAY is unset; `wayland` a headless sway the script starts (tests/wayland_helpers.py). The
pointer is moved every 10 s (xdotool or swaymsg, when installed) so the person reads as
present and working, as at a desk.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from _timing import BIN, smoke_requested

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.wayland_helpers

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def burn(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def presence_arg() -> list[str]:
    args = sys.argv[1:]
    for n, arg in enumerate(args):
        if arg == "--presence" and n + 1 < len(args):
            return [name for name in args[n + 1].split(",") if name]
        if arg.startswith("--presence="):
            return [name for name in arg.split("=", 1)[1].split(",") if name]
    return []


@contextmanager
def x_display() -> Iterator[str]:
    """$DISPLAY when set, else a fresh Xvfb on a free display for the duration."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
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
            number = pipe.readline().strip()  # written once Xvfb accepts connections
        if not number:
            sys.exit("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait()


def touch_input(env: dict[str, str]) -> None:
    """Move the pointer (resets the idle time) when there is a display: X, or sway's seat."""
    for x in ("11", "10"):
        if env.get("DISPLAY") and shutil.which("xdotool"):
            subprocess.run(["xdotool", "mousemove", x, "10"], env=env, check=False)
        if env.get("SWAYSOCK") and shutil.which("swaymsg"):
            move = ["swaymsg", "seat", "-", "cursor", "move", x, "10"]
            subprocess.run(move, env=env, check=False, capture_output=True)


def in_use(env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(BIN / "breakctl"), "presence", "--json"], env=env, capture_output=True, text=True
    )
    try:
        return str(json.loads(done.stdout)["in_use"])
    except (ValueError, KeyError):
        return f"? (breakctl presence exited {done.returncode})"


def first_work_record(home: Path) -> dict[str, object]:
    """The block's work record: in the history folder (history/<host-id>.jsonl)."""
    for path in [*sorted((home / "history").glob("*.jsonl")), home / "history.jsonl"]:
        if path.exists():
            for line in path.read_text().splitlines():
                record = json.loads(line)
                if record.get("kind") == "work":
                    return dict(record)
    raise SystemExit(f"no work record written in {home}")


def run_block(
    work_s: int,
    busy: bool,
    presence: str | None = None,
    session: dict[str, str] | None = None,
    config: str = "",
    prepare: Callable[[Path], None] | None = None,
) -> dict[str, float | str]:
    """One block of `breakctl start`; `session` adds a desktop's variables (DISPLAY, or
    WAYLAND_DISPLAY and XDG_RUNTIME_DIR) to the environment; `config` is more of config.toml
    (benchmarks/holds.py: a [holds] table; benchmarks/machines.py: [presence] lines);
    `prepare`, given the home, fills it before the day starts."""
    with tempfile.TemporaryDirectory() as home:
        primary, secondary = pty.openpty()
        env = {**os.environ, "BREAKCTL_HOME": home, "TERM": "xterm-256color"}
        if presence is not None:
            config = f'[presence]\nsource = "{presence}"\n{config}'
        if config:
            Path(home, "config.toml").write_text(config)
        if prepare is not None:
            prepare(Path(home))
        env |= session or {}
        source = in_use(env)
        touch_input(env)
        last_touch = time.monotonic()
        argv = [
            str(BIN / "breakctl"),
            "start",
            "--work",
            f"{work_s}s",
            "--break",
            "1s",
            "--cycles",
            "1",
            "--no-notify",
        ]
        burners = []
        if busy:
            burners = [multiprocessing.Process(target=burn, args=(work_s + 10,)) for _ in range(2)]
            for burner in burners:
                burner.start()
        child = subprocess.Popen(
            argv,
            stdin=secondary,
            stdout=secondary,
            stderr=secondary,
            env=env,
            start_new_session=True,
        )
        os.close(secondary)
        bell_at: datetime | None = None
        window_start: tuple[float, float] | None = None  # (monotonic, child CPU seconds)
        window_end: tuple[float, float] | None = None
        started = time.monotonic()
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:  # reaped here, for this child's own rusage (peak RSS, CPU)
                child.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - last_touch >= 10:
                touch_input(env)
                last_touch = time.monotonic()
            ready, _, _ = select.select([primary], [], [], 0.05)
            if ready:
                try:
                    data = os.read(primary, 65536)
                except OSError:
                    break
                if bell_at is None and b"\a" in data:
                    bell_at = datetime.now().astimezone()  # the break's bell reached the terminal
                    window_end = (time.monotonic(), cpu_seconds(child.pid))
            # The steady countdown: from a few seconds in (start-up over) to the break.
            if window_start is None and time.monotonic() - started >= min(5, work_s / 2):
                window_start = (time.monotonic(), cpu_seconds(child.pid))
        if child.returncode is None:  # left the loop on the terminal closing: reap it here
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
        os.close(primary)
        for burner in burners:
            burner.terminate()
        work = first_work_record(Path(home))
        deadline = datetime.fromisoformat(str(work["started"])) + timedelta(seconds=work_s)
        late_ms = (bell_at - deadline).total_seconds() * 1000 if bell_at else float("nan")
        steady = float("nan")
        if window_start and window_end and window_end[0] > window_start[0]:
            steady = 100 * (window_end[1] - window_start[1]) / (window_end[0] - window_start[0])
        return {
            "late_ms": late_ms,
            "steady_pct": steady,
            "source": source,
            "cpu_s": usage.ru_utime + usage.ru_stime,  # this child's own, start-up included
            "peak_mib": usage.ru_maxrss / 1024,
        }


def compare_presence(work_s: int, sources: list[str]) -> None:
    results: dict[str, dict[str, float | str]] = {}
    with presence_sessions(sources) as sessions:
        for name in sources:
            results[name] = run_block(work_s, busy=False, presence=name, session=sessions.get(name))
    print(f"presence sources, {work_s} s idle block each (config: [presence] source = ...):")
    print(
        f"  {'source':<8} {'in use':<8} {'CPU whole run':>14} {'steady % core':>14} "
        f"{'peak RSS':>10} {'late':>8}"
    )
    for name, r in results.items():
        print(
            f"  {name:<8} {r['source']!s:<8} {r['cpu_s']:>12.2f} s {r['steady_pct']:>14.3f} "
            f"{r['peak_mib']:>6.1f} MiB {r['late_ms']:>5.1f} ms"
        )


@contextmanager
def presence_sessions(sources: list[str]) -> Iterator[dict[str, dict[str, str]]]:
    """The desktop each source needs: an X display for x11, a headless sway for wayland."""
    with ExitStack() as stack:
        sessions: dict[str, dict[str, str]] = {}
        if "x11" in sources:
            sessions["x11"] = {"DISPLAY": stack.enter_context(x_display())}
        if "wayland" in sources:
            from tests.wayland_helpers import headless_sway

            sessions["wayland"] = stack.enter_context(headless_sway())
        yield sessions


def main() -> None:
    work_s = 5 if smoke_requested() else 60
    idle = run_block(work_s, busy=False)
    total_cpu = float(idle["cpu_s"])
    peak_mib = float(idle["peak_mib"])
    loaded = run_block(work_s, busy=True)
    print(f"{work_s} s work block in a pseudo-terminal (the work frame redrawn once a second)")
    share = 100 * total_cpu / (work_s + 1)
    print(f"  CPU, whole run incl. start-up: {total_cpu:.2f} s ({share:.2f} % of a core)")
    caveat = " (smoke: window too short to judge)" if smoke_requested() else " (goal <= 0.2 %)"
    print(f"  CPU, steady countdown:         {idle['steady_pct']:.3f} % of a core{caveat}")
    print(f"  peak RSS:                      {peak_mib:.1f} MiB (goal <= 40 MiB)")
    print(
        f"  break began late by:           {idle['late_ms']:.1f} ms idle, "
        f"{loaded['late_ms']:.1f} ms with both cores busy (goal <= 20 ms)"
    )
    print(f"  presence source in use:        {idle['source']} (default config)")
    sources = presence_arg()
    if sources:
        compare_presence(work_s, sources)


if __name__ == "__main__":
    main()
