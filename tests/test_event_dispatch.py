"""Every consumer of the day's events names each event: a new event that one of them does not
handle fails mypy (a `match` ending in `assert_never`), rather than being silently ignored."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEW_EVENT = '''

@dataclass(frozen=True)
class Nudged:
    """An event added to the union for the test, handled nowhere."""
'''
CONSUMERS = {"breakctl/host/session/effects.py", "breakctl/ui/session/views.py"}


def test_an_event_no_consumer_handles_fails_mypy(tmp_path: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "breakctl", tmp_path / "breakctl", ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    events = tmp_path / "breakctl" / "core" / "day" / "events.py"
    source = events.read_text()
    union = source.index("\nSessionEvent = (")
    close = source.index(")", union)
    added = source[:union] + NEW_EVENT + source[union:close] + "| Nudged\n" + source[close:]
    events.write_text(added)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    unhandled = {
        line.split(":")[0]
        for line in done.stdout.splitlines()
        if '"assert_never" has incompatible type "Nudged"' in line
    }
    assert unhandled == CONSUMERS, done.stdout
