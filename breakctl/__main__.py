"""Entry point for the `breakctl` console script and `python -m breakctl`."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from breakctl.cli import app

        app(prog_name="breakctl")
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
