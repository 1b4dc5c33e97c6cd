"""Start-up cost of breakctl's Typer commands against the same commands of a minimal 6-command
Typer app (benchmarks/reference_app.py, same Typer and Rich; `stats` and `history` on an
empty history), and `--version` against `status`.

Usage: python benchmarks/startup.py [--smoke]   (run with the venv's own interpreter)
Goals: each Typer command <= 1.1x the reference's; `breakctl --version` <= 1.3x `breakctl status`.
Prints medians of interleaved runs (every command of both apps in each round).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from _timing import BIN, byte_compile_breakctl, smoke_requested, time_commands

REFERENCE = str(Path(__file__).with_name("reference_app.py"))
# (label, breakctl's arguments, the reference app's arguments)
PAIRS = [
    ("--help", ["--help"], ["--help"]),
    ("routine list", ["routine", "list"], ["routine", "list"]),
    ("presets", ["presets"], ["presets"]),
    ("stats (empty history)", ["stats"], ["stats"]),
    ("history --last 20 (empty)", ["history", "--last", "20"], ["history", "--last", "20"]),
]


def main() -> None:
    runs = 3 if smoke_requested() else 21
    byte_compile_breakctl()
    breakctl = str(BIN / "breakctl")
    commands: dict[str, list[str]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "breakctl status": [breakctl, "status"],
        "breakctl --version": [breakctl, "--version"],
    }
    for label, ours, theirs in PAIRS:
        commands[f"breakctl {label}"] = [breakctl, *ours]
        commands[f"reference {label}"] = [sys.executable, REFERENCE, *theirs]
    with tempfile.TemporaryDirectory() as home:
        medians = time_commands(commands, runs, env={"BREAKCTL_HOME": home, "COLUMNS": "100"})
    print(f"{runs} interleaved runs each, medians in ms; load {os.getloadavg()[0]:.2f}")
    floor = medians["python -c pass"]
    print(f"{'python -c pass':<34}{floor * 1000:>8.1f}")
    for label, _, _ in PAIRS:
        ours, theirs = medians[f"breakctl {label}"], medians[f"reference {label}"]
        verdict = "ok" if ours <= 1.1 * theirs else "over"
        print(
            f"{'breakctl ' + label:<34}{ours * 1000:>8.1f}  reference {theirs * 1000:>7.1f}"
            f"  {ours / theirs:>5.2f}x (goal 1.10x: {verdict})"
        )
    version, status = medians["breakctl --version"], medians["breakctl status"]
    verdict = "ok" if version <= 1.3 * status else "over"
    print(
        f"{'breakctl --version':<34}{version * 1000:>8.1f}  status    {status * 1000:>7.1f}"
        f"  {version / status:>5.2f}x (goal 1.30x: {verdict})"
    )
    if smoke_requested():
        print("(smoke run: too few runs to judge the ratios)")


if __name__ == "__main__":
    main()
