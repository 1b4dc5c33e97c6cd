"""Entry point for the `breakctl` console script and `python -m breakctl`."""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv == ["--version"]:
        from breakctl import __version__

        print(f"breakctl {__version__}")  # no need to load Typer for one line
        return
    if argv[:1] == ["status"]:
        # Status bars call this every second: answer before importing Typer or Rich.
        from breakctl.status import main as status_main

        sys.exit(status_main(argv[1:]))
    try:
        if argv[:1] in (["stats"], ["history"]):
            # Full reads of the history: these exact forms answer without Typer (see there).
            from breakctl.cli.fast_reads import run_fast

            status = run_fast(argv)
            if status is not None:
                sys.exit(status)
        from breakctl.cli import app

        app(prog_name="breakctl")
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
