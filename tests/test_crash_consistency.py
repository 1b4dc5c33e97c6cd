"""A kill at any instant of a day, phase changes included: the next command records each
block exactly once. The fault is injected into the disk: at the k-th write the process
"dies" (nothing it does afterwards reaches the disk, as after kill -9), for every k."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from breakctl.core.day import Session, SessionSnapshot
from breakctl.core.record_codec import to_dict
from breakctl.core.records import Record
from breakctl.core.settings import resolve_settings
from breakctl.host.session.loop import run_session
from breakctl.store.history import History, HistoryReader
from breakctl.store.history_dir import locate_history
from breakctl.store.paths import Paths
from breakctl.store.state import recover, write_atomically
from tests.fakes import FakeClock, OneScreen, ScriptedKeys
from tests.test_engine import START, NullView, always


class Killed(BaseException):
    """kill -9: not an exception the program can handle; here, one nothing may write after."""


class Disk:
    def __init__(self, kill_at: int | None, clock: FakeClock) -> None:
        self.kill_at = kill_at
        self.clock = clock
        self.writes = 0
        self.dead = False
        self.last_write: datetime | None = None  # when the last write reached the disk

    def write(self, action: Any) -> None:
        if self.dead:
            raise Killed
        self.writes += 1
        if self.writes == self.kill_at:
            self.dead = True
            raise Killed
        action()
        self.last_write = self.clock.now()


class DyingHistory(History):
    def __init__(self, path: Path, disk: Disk) -> None:
        super().__init__(path)
        self.disk = disk

    def append(self, record: Record) -> None:
        self.disk.write(lambda: super(DyingHistory, self).append(record))


class DyingHost(OneScreen):
    def __init__(self, paths: Paths, disk: Disk) -> None:
        self.paths, self.disk = paths, disk

    def take_control(self) -> str | None:
        return None

    def write_state(self, document: dict[str, Any]) -> None:
        self.disk.write(lambda: write_atomically(self.paths.state_file, document))

    def alert(self, title: str, body: str) -> None:
        pass

    def fire_hook(self, event: str, snapshot: SessionSnapshot, record: Record | None) -> None:
        pass

    def hook_reports(self) -> list[str]:
        return []

    def reply(self, request: str, answer: str | None) -> None:
        pass

    def focus_break(self) -> None:
        pass


def day(paths: Paths, kill_at: int | None, keys: dict[float, str]) -> Disk:
    """Run a two-cycle day with short blocks; the disk says what reached it."""
    settings = replace(resolve_settings({}, {}), work_s=30, break_s=20, long_break_s=20, cycles=2)
    clock = FakeClock(START)
    disk = Disk(kill_at, clock)
    history = DyingHistory(locate_history(paths).host_file, disk)
    with contextlib.suppress(Killed):
        run_session(
            Session(settings, always(None)),
            clock=clock,
            keys=ScriptedKeys(clock, dict(keys)),
            view=NullView(),
            history=history,
            host=DyingHost(paths, disk),
        )
    return disk


def same(record: Record) -> dict[str, Any]:
    """A record as it reads, less the ids each run draws anew."""
    return {k: v for k, v in to_dict(record).items() if k not in ("id", "session")}


def records(paths: Paths) -> list[Record]:
    items = [item for _, _, item in HistoryReader(locate_history(paths).host_file).scan() if item]
    assert all(isinstance(item, Record) for item in items), items
    return items  # type: ignore[return-value]


SCRIPTS = {
    "plain": {},
    "postpone and break now": {5.0: "+", 40.0: "b"},
    "skip the next break": {3.0: "s"},
}


@pytest.mark.parametrize("script", SCRIPTS, ids=list(SCRIPTS))
def test_a_kill_at_every_write_records_each_block_once(tmp_path: Path, script: str) -> None:
    keys = SCRIPTS[script]
    reference_paths = Paths(tmp_path / "ref", tmp_path / "ref", tmp_path / "ref")
    total = day(reference_paths, None, keys).writes
    reference = records(reference_paths)
    assert total > len(reference)  # the sweep below covers every state write and append
    for kill_at in range(1, total + 1):
        home = tmp_path / f"k{kill_at}"
        paths = Paths(home, home, home)
        disk = day(paths, kill_at, keys)
        recover(paths)
        assert recover(paths) is None  # once
        found = records(paths)
        ids = [r.id for r in found]
        assert len(ids) == len(set(ids)), (kill_at, found)
        # What had ended is there exactly as it ended, in order; the block under way at the
        # kill is there once, as recovered.
        ended = [same(r) for r in found if r.outcome != "recovered"]
        assert ended == [same(r) for r in reference[: len(ended)]], kill_at
        cut = [(r.kind, r.cycle, r.started) for r in found if r.outcome == "recovered"]
        assert len(cut) <= 1, (kill_at, found)
        blocks = {(r.kind, r.cycle, r.started) for r in reference}
        assert set(cut) <= blocks - {(r.kind, r.cycle, r.started) for r in found[: len(ended)]}
        # Nothing is lost that had begun by the last write that reached the disk.
        present = {(r.kind, r.cycle, r.started) for r in found}
        if disk.last_write is not None:
            begun = {b for b in blocks if b[2] <= disk.last_write}
            assert begun <= present, (kill_at, begun - present)
        assert not paths.state_file.exists()
