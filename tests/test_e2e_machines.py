"""Two machines end to end (#22 part 3): two homes (two host ids) sharing one history folder,
as a sync tool would keep it, and two real `start` days in pseudo-terminals, each with the
`command` presence source reading its own "last input" file. Input on the laptop keeps the
desk from going away; a break taken on the laptop ends the desk's block."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pexpect
import pytest

from tests.presence_helpers import poll

AWAY_AFTER_S = 45  # longer than a presence file's 30 s between writes, plus a look (5 s)


class Machine:
    def __init__(self, home: Path, shared: Path, extra: str = "") -> None:
        self.home, self.last_input = home, home / "last-input"
        home.mkdir(parents=True)
        script = home / "idle.sh"
        script.write_text(f'echo $(( ($(date +%s%N) - $(cat "{self.last_input}")) / 1000000 ))\n')
        (home / "config.toml").write_text(
            f'[presence]\nsource = "command"\ncommand = "sh {script}"\n'
            f'away_after = "{AWAY_AFTER_S}s"\n{extra}'
        )
        self.env = {
            **os.environ,
            "BREAKCTL_HOME": str(home),
            "BREAKCTL_HISTORY_DIR": str(shared),
            "TERM": "xterm-256color",
        }
        self.touch()
        self.child: pexpect.spawn | None = None
        self.seen = ""  # the screen's output so far, as drained

    def drain(self) -> None:
        """Read what the screen wrote: a pty nobody reads fills up and stops the day."""
        assert self.child is not None
        try:
            while True:
                self.seen += self.child.read_nonblocking(65536, timeout=0)
        except (pexpect.TIMEOUT, pexpect.EOF):
            pass

    def touch(self) -> None:
        self.last_input.write_text(str(time.time_ns()))

    def start(self, *args: str) -> pexpect.spawn:
        self.child = pexpect.spawn(
            sys.executable, ["-m", "breakctl", "start", *args], env=self.env,
            dimensions=(24, 100), timeout=90, encoding="utf-8",
        )  # fmt: skip
        self.child.expect("Work")
        return self.child

    @property
    def host_id(self) -> str:
        return (self.home / "host-id").read_text().strip()

    def status(self) -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-m", "breakctl", "status", "--json"],
            env=self.env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        result: dict[str, object] = json.loads(done.stdout)
        return result

    def records(self) -> list[dict[str, object]]:
        """This machine's own history file, in the shared folder."""
        path = Path(self.env["BREAKCTL_HISTORY_DIR"]) / f"{self.host_id}.jsonl"
        lines = path.read_text().splitlines() if path.exists() else []
        return [json.loads(line) for line in lines]

    def stop(self) -> None:
        if self.child is not None:
            self.child.close(force=True)


@pytest.fixture
def machines(tmp_path: Path) -> Iterator[tuple[Machine, Machine, Path]]:
    shared = tmp_path / "Sync" / "breakctl"
    # The desk is left at the default (on once another machine shows up in the folder).
    desk = Machine(tmp_path / "desk", shared)
    laptop = Machine(tmp_path / "laptop", shared, "across_machines = true\n")
    try:
        yield desk, laptop, shared
    finally:
        desk.stop()
        laptop.stop()


def presence_file(shared: Path, host: str) -> dict[str, object] | None:
    try:
        return json.loads((shared / f"{host}.presence.json").read_text())  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


def test_input_on_one_machine_keeps_the_other_from_going_away_and_a_break_there_counts(
    machines: tuple[Machine, Machine, Path],
) -> None:
    desk, laptop, shared = machines
    desk.start("--work", "20m", "--cycles", "2")
    laptop_day = laptop.start("--work", "20m", "--cycles", "1")
    laptop_id, desk_id = laptop.host_id, desk.host_id
    # The desk is left alone from here; the person types on the laptop.
    left_desk = time.time()
    desk_idle_enough = left_desk + AWAY_AFTER_S + 10

    def laptop_seen_after_desk_idle() -> bool:
        laptop.touch()
        desk.drain()
        laptop.drain()
        time.sleep(0.2)  # a person types a few times a second, not thousands
        told = presence_file(shared, laptop_id)
        if told is None or told.get("last_input") is None:
            return False
        return datetime.fromisoformat(str(told["last_input"])).timestamp() >= desk_idle_enough

    poll(lambda: laptop_seen_after_desk_idle(), bool, deadline_s=180)
    # The desk's own source says idle past away_after, yet the desk is not away: the
    # laptop's input (its presence file) counts. Its own file is there for the laptop too.
    status = desk.status()
    assert status["state"] == "work" and not status.get("away_s"), status
    desk.drain()
    assert "away:" not in desk.seen
    assert presence_file(shared, desk_id) is not None

    # A break on the laptop (its b key): the desk's block ends, no break rings there.
    laptop_day.send("b")
    poll(laptop.status, lambda s: s.get("state") == "break", deadline_s=60)

    def desk_records() -> list[dict[str, object]]:
        desk.drain()
        laptop.drain()
        time.sleep(0.2)
        return desk.records()

    # Within a presence file's 30 s and a look's 5 s (or the laptop's break record).
    (work,) = poll(desk_records, lambda r: len(r) >= 1, deadline_s=120)
    assert work["kind"] == "work" and work["outcome"] == "completed"
    poll(desk.status, lambda s: s.get("cycle") == 2 and s.get("state") == "work", deadline_s=60)
    desk.drain()
    assert "counted here too" in desk.seen.replace("\r\n", " ") or "a new block" in desk.seen
    assert [r["kind"] for r in desk.records()] == ["work"]  # the break is the laptop's record
