"""What the tests of a break brought to you share: a terminal that records how it was asked
to run a command, and a breakctl stand-in for a pop-up that shows a line until told to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.presence_helpers import poll, stub_control


def recording_terminal(tmp: Path) -> tuple[Path, Path]:
    """A "terminal" script that writes its arguments, one a line, to a file and exits."""
    script, record = tmp / "record-terminal", tmp / "terminal-argv"
    script.write_text(
        f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {record}.part && mv {record}.part {record}\n"
    )
    script.chmod(0o755)
    return script, record


def recorded_argv(record: Path) -> list[str]:
    """The arguments the recording terminal was run with (waits for them)."""
    poll(record.exists, bool, 30)
    return record.read_text().splitlines()


def notifications(bus: str) -> list[dict[str, Any]]:
    """What the stub notification server has shown so far."""
    (text,) = stub_control(bus, "Notifications")
    return [json.loads(line) for line in text.splitlines()]


def standin_breakctl(tmp: Path) -> tuple[Path, Path]:
    """An executable named breakctl that shows "ROUTINE HERE" and its arguments, and ends
    when the returned file appears (as `attach --break` ends with the break)."""
    folder = tmp / "bin"
    folder.mkdir(exist_ok=True)
    script, end = folder / "breakctl", tmp / "break-over"
    script.write_text(
        f'#!/bin/sh\necho "ROUTINE HERE: $*"\nwhile [ ! -e {end} ]; do sleep 0.1; done\n'
    )
    script.chmod(0o755)
    return script, end
