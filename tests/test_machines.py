"""One person, several machines (#22 part 3), on the fake clock: the real presence files in a
real folder, written by "the laptop" at scripted moments while this machine's day runs with a
scripted idle source. Input elsewhere, a break elsewhere, stale files, late copies."""

from __future__ import annotations

import itertools
import json
import os
import stat
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from breakctl.core.day import AwayStarted, BreakElsewhere, Session, WelcomeBack
from breakctl.core.machines import (
    MachinePresence,
    decode_presence,
    idle_elsewhere,
    worth_writing,
)
from breakctl.core.record_codec import encode
from breakctl.core.records import Record
from breakctl.host.presence.machines import AcrossMachines
from breakctl.host.session.loop import run_session
from breakctl.store.history import History
from breakctl.store.history_dir import HistoryPlace
from breakctl.store.paths import Paths
from breakctl.store.presence_files import PresenceFolder, presence_host
from tests.fakes import FakeClock, ScriptedKeys
from tests.test_engine import START, FakeHost, NullView, always, pomodoro
from tests.test_presence_day import RULES, Absences

HERE, LAPTOP = "desk-aaaaaa", "laptop-bbbbbb"


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


class Scripted(ScriptedKeys):
    """No keys; at each scripted second, something happens on the other machine."""

    def __init__(self, clock: FakeClock, script: Sequence[tuple[float, Callable[[], None]]]):
        super().__init__(clock, {})
        self.script = sorted(script, key=lambda item: item[0])

    def wait(self, timeout: float) -> str | None:
        super().wait(timeout)
        while self.script and self.script[0][0] <= self._clock.monotonic():
            self.script.pop(0)[1]()
        return None


class Laptop:
    """The other machine, as the sync tool brings its files: presence and history."""

    def __init__(self, folder: Path) -> None:
        self.place = PresenceFolder(folder, LAPTOP)
        self.history = folder / f"{LAPTOP}.jsonl"

    def typing(self, second: float, *, state: str = "work", broke: float | None = None) -> None:
        self.place.write(
            MachinePresence(
                host=LAPTOP,
                state=state,
                updated=at(second),
                last_input=at(second),
                break_started=None if broke is None else at(broke),
            )
        )

    def recorded_break(self, started: float, ended: float, record_id: str = "b1") -> None:
        record = Record(
            v=1, kind="break", started=at(started), ended=at(ended), active_s=ended - started,
            outcome="completed", id=record_id, steps=(),
        )  # fmt: skip
        with open(self.history, "ab") as handle:
            handle.write(encode(record))


def day(
    folder: Path,
    absences: Sequence[tuple[float, float]],
    script: Sequence[tuple[float, Callable[[], None]]],
    *,
    local: bool = True,
    always_on: bool = True,
    **settings: Any,
) -> tuple[list[dict[str, Any]], NullView, FakeHost, AcrossMachines]:
    clock = FakeClock(START)
    idle = Absences(clock, absences) if local else None
    machines = AcrossMachines(idle, PresenceFolder(folder, HERE), clock, always=always_on)
    history = History(folder / f"{HERE}.jsonl")
    view, host = NullView(), FakeHost()
    session = Session(pomodoro(**settings), always(None), presence=RULES if local else None)
    run_session(
        session, clock=clock, keys=Scripted(clock, script), view=view, history=history,
        host=host, presence=machines if local else None, machines=machines,
    )  # fmt: skip
    records = [json.loads(line) for line in history.path.read_text().splitlines()]
    return records, view, host, machines


def shape(record: dict[str, Any]) -> tuple[Any, ...]:
    return (record["kind"], record["cycle"], record["outcome"], record["active_s"])


def every(start: float, end: float, step: float, do: Callable[[float], None]) -> list[Any]:
    moments = [start + i * step for i in range(int((end - start) // step) + 1)]
    return [(m, (lambda m=m: do(m))) for m in moments]


def test_input_on_another_machine_keeps_you_from_being_away_here(tmp_path: Path) -> None:
    laptop = Laptop(tmp_path)
    # Nothing touched here from 600 s to 2100 s; the laptop is typed on all along.
    typing = every(0, 2400, 30, laptop.typing)
    records, view, _, _ = day(tmp_path, [(600, 2100)], typing, cycles=1)
    assert shape(records[0]) == ("work", 1, "completed", 1500)
    assert records[0].get("away_s", 0) == 0
    assert not any(isinstance(e, AwayStarted) for e in view.events)
    assert not any(r.get("natural") for r in records)  # no natural break credited


def test_a_stale_presence_file_says_nothing(tmp_path: Path) -> None:
    laptop = Laptop(tmp_path)
    # The laptop's last word was at 0 s: at 600 s (and after) it is older than 2 min.
    records, view, _, _ = day(tmp_path, [(600, 2100)], [(1, lambda: laptop.typing(0))], cycles=1)
    assert shape(records[0]) == ("work", 1, "completed", 600)
    assert records[1]["natural"] is True
    assert WelcomeBack(1500, natural_break=True) in view.events


def test_a_break_on_another_machine_resets_the_block_here_once(tmp_path: Path) -> None:
    laptop = Laptop(tmp_path)
    script = [
        (700, lambda: laptop.typing(700, state="break", broke=690)),
        # The same break's record arrives four minutes later: it is not counted again.
        (940, lambda: laptop.recorded_break(690, 990)),
    ]
    records, view, host, _ = day(tmp_path, [], script, cycles=2)
    assert [shape(r) for r in records][:2] == [
        ("work", 1, "completed", records[0]["active_s"]),
        ("work", 2, "completed", 1500),
    ]
    assert 700 <= records[0]["active_s"] <= 706  # ended within a look (5 s) of the file
    assert [e for e in view.events if isinstance(e, BreakElsewhere)] == [BreakElsewhere(LAPTOP)]
    # No break record here: the break is the laptop's record. Only block 2's break rang.
    assert [r["kind"] for r in records] == ["work", "work", "break"]
    assert host.alerts.count("Time to move") == 1


def test_a_break_record_arriving_late_still_counts(tmp_path: Path) -> None:
    laptop = Laptop(tmp_path)
    # No presence file at all: the break taken at 300 s reaches this folder at 1000 s.
    script = [(1000, lambda: laptop.recorded_break(300, 600))]
    records, view, _, _ = day(tmp_path, [], script, cycles=1)
    assert shape(records[0])[:3] == ("work", 1, "completed")
    assert 1000 <= records[0]["active_s"] <= 1006
    assert any(isinstance(e, BreakElsewhere) for e in view.events)


def test_a_break_from_before_this_block_does_not_count(tmp_path: Path) -> None:
    laptop = Laptop(tmp_path)
    laptop.recorded_break(-900, -600, "old")  # already there when the day started: old news
    # A copy of a break taken before the block began arrives late (a sync conflict copy).
    copy = tmp_path / f"{LAPTOP}.sync-conflict-20260302-090000-ABC.jsonl"
    late = [(800, lambda: copy.write_bytes(laptop.history.read_bytes()))]
    late.append((805, lambda: laptop.typing(805, state="break", broke=-300)))
    records, view, _, _ = day(tmp_path, [], late, cycles=1)
    assert shape(records[0]) == ("work", 1, "completed", 1500)
    assert not any(isinstance(e, BreakElsewhere) for e in view.events)


def test_without_a_presence_source_here_breaks_elsewhere_still_count(tmp_path: Path) -> None:
    laptop = Laptop(tmp_path)
    script = [(400, lambda: laptop.typing(400, state="break", broke=395))]
    records, _, _, _ = day(tmp_path, [], script, local=False, cycles=1)
    assert shape(records[0])[:3] == ("work", 1, "completed")
    assert 400 <= records[0]["active_s"] <= 406
    written = decode_presence((tmp_path / f"{HERE}.presence.json").read_bytes())
    assert written is not None and written.last_input is None  # no input seen here to tell


def test_the_presence_file_is_written_whole_private_and_at_most_every_30_s(
    tmp_path: Path,
) -> None:
    writes: list[MachinePresence] = []
    original = PresenceFolder.write

    def counted(self: PresenceFolder, presence: MachinePresence) -> None:
        writes.append(presence)
        original(self, presence)

    PresenceFolder.write = counted  # type: ignore[method-assign]
    try:
        day(tmp_path, [(600, 800)], [], cycles=1)
    finally:
        PresenceFolder.write = original  # type: ignore[method-assign]
    gaps = [(b.updated - a.updated).total_seconds() for a, b in itertools.pairwise(writes)]
    assert writes and min(gaps) >= 30
    # Idle here from 600 s to 800 s: nothing changed, nothing written.
    assert not any(at(630) < w.updated < at(800) for w in writes)
    assert {w.state for w in writes} >= {"work", "break"}
    own = tmp_path / f"{HERE}.presence.json"
    assert stat.S_IMODE(os.stat(own).st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_across_machines_by_default_only_once_another_machine_shows_up(tmp_path: Path) -> None:
    _records, _, _, machines = day(tmp_path, [], [], always_on=False, cycles=1)
    assert not machines.active and not (tmp_path / f"{HERE}.presence.json").exists()
    laptop = Laptop(tmp_path)
    laptop.recorded_break(-900, -600)
    _, _, _, machines = day(tmp_path, [], [], always_on=False, cycles=1)
    assert machines.active and machines.written is not None


def test_history_readers_ignore_presence_files(tmp_path: Path) -> None:
    Laptop(tmp_path).typing(0)
    (tmp_path / f"{HERE}.jsonl").write_text("")
    place = HistoryPlace(tmp_path, tmp_path / "history.jsonl", Paths(tmp_path, tmp_path, tmp_path))
    assert [p.name for p in place.files()] == [f"{HERE}.jsonl"]


def test_the_rules_in_brief() -> None:
    now = at(1000)
    typed = MachinePresence(host=LAPTOP, state="work", updated=at(990), last_input=at(980))
    stale = MachinePresence(host="old-1", state="work", updated=at(800), last_input=at(800))
    assert idle_elsewhere([typed, stale], now) == 20
    assert idle_elsewhere([stale], now) is None
    later = MachinePresence(host=LAPTOP, state="work", updated=at(1010), last_input=at(1010))
    assert not worth_writing(typed, later)  # 20 s after the last write: not yet
    assert worth_writing(typed, MachinePresence(**{**_fields(later), "updated": at(1020)}))
    same = MachinePresence(host=LAPTOP, state="work", updated=at(2000), last_input=at(980))
    assert not worth_writing(typed, same)  # nothing changed
    assert presence_host(f"{LAPTOP}.presence.json") == LAPTOP
    assert presence_host(f"{LAPTOP}.sync-conflict-20260302-1-AB.presence.json") is None
    assert decode_presence(b'{"host": "x", "state": "work", "updated": "2026-03-02T09:00"}') is None
    assert decode_presence(b"not json") is None


def _fields(presence: MachinePresence) -> dict[str, Any]:
    return {f: getattr(presence, f) for f in presence.__struct_fields__}


def test_next_wake_long_after_the_last_call_does_not_break_the_block_record() -> None:
    """Found by the two-machine run: asked for its next wake long after its last reading, the
    day made the block's record with the wall time of that reading and the active time of
    now (active time longer than its span: a ValueError that ended the day)."""
    session = Session(pomodoro(), always(None))
    session.start(0.0, START)
    assert session.next_wake(8.0) == 9.0  # the next shown second


def test_presence_lists_the_machines_seen(tmp_path: Path) -> None:
    import subprocess
    import sys

    now = datetime.now().astimezone()
    laptop = PresenceFolder(tmp_path / "shared", LAPTOP)
    laptop.write(
        MachinePresence(
            host=LAPTOP, state="work", updated=now, last_input=now - timedelta(seconds=30)
        )
    )
    env = {
        **os.environ,
        "BREAKCTL_HOME": str(tmp_path / "home"),
        "BREAKCTL_HISTORY_DIR": str(tmp_path / "shared"),
    }
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "breakctl", "presence", "--json"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (machine,) = json.loads(done.stdout)["machines"]
    assert machine["host"] == LAPTOP and machine["fresh"] is True
    assert 29 <= machine["idle_s"] < 90
