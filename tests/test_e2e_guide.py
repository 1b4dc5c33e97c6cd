"""Issue 23 for real, in a pseudo-terminal: a routine spoken through [voice] command and
chimed through [sound] player (recording scripts stand in for both), and skip_confirm's word
typed key by key. Each step waits for something it can observe, never a fixed time."""

from __future__ import annotations

import re
from pathlib import Path

import pexpect

from tests.presence_helpers import poll
from tests.test_e2e_pty import SHORT, spawn
from tests.test_e2e_start import records
from tests.test_e2e_start import spawn as spawn_start


def recorder(path: Path, log: Path) -> Path:
    path.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> {log}\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def ended(child: pexpect.spawn) -> int | None:
    """The program's exit status, once it has ended."""
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def lines_once_there(log: Path, count: int) -> list[str]:
    """The log's lines once it has `count` of them (helpers run beside the routine)."""

    def read() -> list[str]:
        return log.read_text().splitlines() if log.exists() else []

    return poll(read, lambda lines: len(lines) >= count, deadline_s=60)


def test_a_routine_is_spoken_and_chimed_in_order(breakctl_home: Path, tmp_path: Path) -> None:
    (breakctl_home / "routines").mkdir(parents=True)
    (breakctl_home / "routines" / "short.toml").write_text(SHORT)
    said, played = tmp_path / "said", tmp_path / "played"
    say = recorder(tmp_path / "say", said)
    play = recorder(tmp_path / "play", played)
    (breakctl_home / "config.toml").write_text(
        f'[sound]\nenabled = true\nplayer = "{play} {{file}}"\n'
        f'[voice]\ncommand = "{say} {{text}}"\n'
    )
    child = spawn(breakctl_home, "routine", "short", "--voice")
    child.expect("Short one done")
    assert ended(child) == 0
    phrases = [
        "Next: Hold A",
        "Hold A, hold 2 seconds",
        "Next: Hold B",
        "Hold B, left side, hold 2 seconds",
        "Switch sides",
        "Hold B, right side, hold 2 seconds",
        "Routine done",
    ]
    assert lines_once_there(said, len(phrases)) == phrases
    sounds = [Path(line).stem for line in lines_once_there(played, 7)]
    assert sounds == ["step", "step", "hold-end", "step", "step", "step", "break-over"]


def test_skip_confirm_word_is_typed_key_by_key(breakctl_home: Path) -> None:
    breakctl_home.mkdir(parents=True, exist_ok=True)
    (breakctl_home / "config.toml").write_text('[start]\nskip_confirm = "word"\n')
    child = spawn_start(breakctl_home, "start", "--work", "60s", "--break", "60s", "--no-notify")
    child.expect("Work · block 1")
    child.send("b")
    child.expect("Break after block 1")
    child.send("s")
    child.expect(r"to skip, type (\w+) ")
    word = child.match.group(1)
    child.send("!")  # not the word: the break is kept
    child.expect("not skipped")
    child.send("s")
    child.expect(r"to skip, type (\w+) ")
    word = child.match.group(1)
    for index, letter in enumerate(word):
        child.send(letter)
        if index < len(word) - 1:
            child.expect(re.escape(f"type the word: {word[: index + 1]}"))
    child.expect("Work · block 2")  # the word typed whole: skipped
    child.send("q")
    assert ended(child) == 0
    outcomes = [(r["kind"], r["outcome"]) for r in records(breakctl_home)]
    assert outcomes == [("work", "completed"), ("break", "skipped"), ("work", "interrupted")]
