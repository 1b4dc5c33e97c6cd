from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from breakctl.core.errors import DataError
from breakctl.host.hooks import HookRunner
from breakctl.host.notify import osc_sequences
from breakctl.store.config import read_config


def settle(runner: HookRunner, seconds: float = 5.0) -> list[str]:
    runner.wait(seconds)
    return runner.drain()


def test_a_hook_gets_the_event_in_its_environment_and_the_record_on_stdin(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    command = f'echo "$BREAKCTL_EVENT $BREAKCTL_PHASE $BREAKCTL_ROUTINE $BREAKCTL_REMAINING_S" > {out}; cat >> {out}'
    runner = HookRunner({"on_break_end": command}, {"PATH": "/usr/bin:/bin"})
    runner.fire("on_break_end", "break", "desk", 12.4, {"kind": "break", "outcome": "completed"})
    assert settle(runner) == []
    first, rest = out.read_text().split("\n", 1)
    assert first == "break_end break desk 12"
    assert json.loads(rest) == {"kind": "break", "outcome": "completed"}


def test_failing_and_slow_hooks_are_reported_not_fatal(tmp_path: Path) -> None:
    runner = HookRunner(
        {"on_skip": "echo oops >&2; exit 3", "on_work_start": "sleep 30"},
        {"PATH": "/usr/bin:/bin"},
        timeout_s=0.5,
    )
    started = time.monotonic()
    runner.fire("on_skip", "work", None, 0, None)
    runner.fire("on_work_start", "work", None, 0, None)
    assert time.monotonic() - started < 0.5  # firing never waits for the command
    reports = sorted(settle(runner))
    assert reports == [
        "hook on_skip failed (exit 3): oops",
        "hook on_work_start took over 0.5s and was stopped",
    ]


def test_unknown_hooks_are_bad_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[hooks]\non_work_end = "true"\non_lunch = "x"\n')
    with pytest.raises(DataError) as caught:
        read_config(config)
    assert caught.value.problems == [
        f"{config}:3: hooks.on_lunch: unknown setting; known: on_work_start, "
        "on_work_end, on_break_start, on_break_end, on_skip, on_session_end"
    ]


def test_osc_sequences_plain_and_wrapped_for_tmux() -> None:
    plain = osc_sequences("Time to move", "desk; 5 min", in_tmux=False)
    assert (
        plain == "\x1b]9;Time to move: desk, 5 min\x07\x1b]777;notify;Time to move;desk, 5 min\x07"
    )
    wrapped = osc_sequences("a", "b", in_tmux=True)
    assert wrapped.startswith("\x1bPtmux;\x1b\x1b]9;a: b\x07\x1b\\")


def test_a_title_cannot_end_or_escape_the_notification_sequence() -> None:
    from breakctl.host.notify import osc_sequences

    out = osc_sequences("Desk\x9b2J\x1b]52;c;x\x07", "go\x1b[2J\x00", in_tmux=False)
    # Only the two sequences' own ESC ... BEL frames remain: 2 ESCs, 2 BELs, no C1 at all.
    assert out.count("\x1b") == 2 and out.count("\x07") == 2
    assert not any("\x80" <= c <= "\x9f" or (c < " " and c not in "\x1b\x07") for c in out)
