"""Start-up cost of breakctl commands against Python's floor and a bare `import typer`.

Usage: python benchmarks/startup.py [--smoke]   (run with the venv's own interpreter)
Prints medians of interleaved runs and each one's ratio to `python -c pass`.
"""

from __future__ import annotations

import sys
import tempfile

from _timing import BIN, smoke_requested, time_commands


def main() -> None:
    runs = 3 if smoke_requested() else 25
    breakctl = str(BIN / "breakctl")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import typer'": [sys.executable, "-c", "import typer"],
        "breakctl --version": [breakctl, "--version"],
        "breakctl routine list": [breakctl, "routine", "list"],
    }
    with tempfile.TemporaryDirectory() as home:
        medians = time_commands(commands, runs, env={"BREAKCTL_HOME": home})
    floor = medians["python -c pass"]
    typer_import = medians["python -c 'import typer'"]
    print(f"{runs} interleaved runs each, medians")
    print(f"{'command':<28}{'ms':>8}{'x pass':>9}{'x typer':>9}")
    for name, seconds in medians.items():
        print(
            f"{name:<28}{seconds * 1000:>8.1f}{seconds / floor:>9.2f}{seconds / typer_import:>9.2f}"
        )


if __name__ == "__main__":
    main()
