"""`breakctl start`'s day on a fake clock: every test checks the exact records produced."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from breakctl.core.day import BreakChoice, Session, SessionEvent, SessionSnapshot
from breakctl.core.model import Exercise, Routine, Step
from breakctl.core.presets import PRESETS
from breakctl.core.settings import StartSettings, resolve_settings
from breakctl.host.session.loop import run_session
from breakctl.store.history import History
from tests.fakes import FakeClock, OneScreen, ScriptedKeys

CET = timezone(timedelta(hours=1))
START = datetime(2026, 3, 2, 9, 0, tzinfo=CET)
MOVE = Exercise("move", "Move", "standing", ("core",), ("Move.",), hold_s=60)
ROUTINE = Routine("two-min", "Two minutes", "", 0, (Step(MOVE, 60, None, None, False),) * 2, "user")


class FakeHost(OneScreen):
    def __init__(self) -> None:
        self.controls: list[str] = []
        self.states: list[dict[str, Any]] = []
        self.alerts: list[str] = []
        self.hooks: list[str] = []
        self.replies: list[tuple[str, str | None]] = []
        self.focused = 0

    def take_control(self) -> str | None:
        return self.controls.pop(0) if self.controls else None

    def write_state(self, document: dict[str, Any]) -> None:
        self.states.append(document)

    def alert(self, title: str, body: str) -> None:
        self.alerts.append(title)

    def fire_hook(
        self, event: str, snapshot: SessionSnapshot, record: dict[str, Any] | None
    ) -> None:
        self.hooks.append(event)

    def hook_reports(self) -> list[str]:
        return []

    def reply(self, request: str, refused: str | None) -> None:
        self.replies.append((request, refused))

    def focus_break(self) -> None:
        self.focused += 1


class NullView:
    def __init__(self) -> None:
        self.events: list[SessionEvent] = []
        self.snapshots = 0
        self.messages: list[str] = []
        self.prompts: list[str] = []

    def update(self, events: Sequence[SessionEvent], snapshot: SessionSnapshot) -> None:
        self.events.extend(events)
        self.snapshots += 1

    def message(self, text: str, *, listed: bool = True) -> None:
        self.messages.append(text)

    def prompt(self, text: str) -> None:
        self.prompts.append(text)


def always(routine: Routine | None) -> Any:
    return lambda cycle, length, long: BreakChoice(routine, "test")


def run(
    settings: StartSettings,
    tmp_path: Path,
    script: dict | None = None,
    choose: Any = None,
    host: FakeHost | None = None,
    clock: FakeClock | None = None,
):
    clock = clock or FakeClock(START)
    session = Session(settings, choose or always(ROUTINE))
    history = History(tmp_path / "history.jsonl")
    host = host or FakeHost()
    view = NullView()
    keys = script if hasattr(script, "wait") else ScriptedKeys(clock, script or {})
    run_session(session, clock=clock, keys=keys, view=view, history=history, host=host)
    lines = history.path.read_text().splitlines()
    return [json.loads(line) for line in lines], clock, host, view


def brief(records: list[dict]) -> list[tuple]:
    return [(r["kind"], r["cycle"], r["outcome"], r["planned_s"], r["active_s"]) for r in records]


def pomodoro(**changes: Any) -> StartSettings:
    return replace(resolve_settings({}, {}), **changes)


def test_four_block_pomodoro_day_with_a_long_break(tmp_path: Path) -> None:
    records, clock, host, view = run(pomodoro(cycles=4), tmp_path, choose=always(None))
    assert brief(records) == [
        ("work", 1, "completed", 1500, 1500),
        ("break", 1, "completed", 300, 300),
        ("work", 2, "completed", 1500, 1500),
        ("break", 2, "completed", 300, 300),
        ("work", 3, "completed", 1500, 1500),
        ("break", 3, "completed", 300, 300),
        ("work", 4, "completed", 1500, 1500),
        ("break", 4, "completed", 900, 900),
    ]
    assert clock.now() == START + timedelta(minutes=130)
    assert len({r["session"] for r in records}) == 1
    assert records[0]["started"] == "2026-03-02T09:00:00.000+01:00"
    assert records[-1]["ended"] == "2026-03-02T11:10:00.000+01:00"
    assert all(r["paused_s"] == 0 and r["suspended_s"] == 0 for r in records)
    assert host.alerts.count("Time to move") == 4 and host.alerts.count("Break in 30 seconds") == 4
    assert host.hooks[:3] == ["on_work_start", "on_work_end", "on_break_start"]
    assert host.hooks[-1] == "on_session_end"
    assert view.snapshots < 8000  # about one redraw a second, not a busy loop


def test_break_runs_the_routine_then_free_movement(tmp_path: Path) -> None:
    records, _, _, view = run(pomodoro(cycles=1), tmp_path)
    assert brief(records) == [
        ("work", 1, "completed", 1500, 1500),
        ("break", 1, "completed", 300, 300),
    ]
    assert records[1]["routine"] == "two-min"
    assert records[1]["steps"] == [{"exercise": "move", "outcome": "done", "active_s": 60}] * 2
    from breakctl.core.day import FreeMovementStarted

    assert FreeMovementStarted(180) in view.events


def test_a_routine_longer_than_the_break_extends_it(tmp_path: Path) -> None:
    records, clock, _, _ = run(pomodoro(cycles=1, break_s=60), tmp_path)
    assert brief(records)[1] == ("break", 1, "completed", 120, 120)
    assert clock.now() == START + timedelta(seconds=1500 + 120)


def test_pause_and_resume_during_work(tmp_path: Path) -> None:
    records, clock, _, _ = run(pomodoro(cycles=1), tmp_path, {600: " ", 900: " "})
    work = records[0]
    assert (work["active_s"], work["paused_s"]) == (1500, 300)
    assert work["ended"] == "2026-03-02T09:30:00.000+01:00"
    assert clock.now() == START + timedelta(seconds=1500 + 300 + 300)


def test_pause_during_a_break(tmp_path: Path) -> None:
    records, _, _, _ = run(pomodoro(cycles=1), tmp_path, {1530: " ", 1590: " "})
    brk = records[1]
    assert (brk["active_s"], brk["paused_s"], brk["outcome"]) == (300, 60, "completed")


def test_postpone_records_and_brings_the_break_back_5_minutes_later(tmp_path: Path) -> None:
    records, clock, _, _ = run(pomodoro(cycles=1), tmp_path, {1480: "+"})
    assert brief(records) == [
        ("break", 1, "postponed", 300, 0),
        ("work", 1, "completed", 1500, 1800),
        ("break", 1, "completed", 300, 300),
    ]
    assert records[0]["started"] == "2026-03-02T09:24:40.000+01:00"
    assert clock.now() == START + timedelta(seconds=1800 + 300)


def test_skip_the_next_break(tmp_path: Path) -> None:
    records, _clock, _, _ = run(pomodoro(cycles=2), tmp_path, {100: "s"}, choose=always(None))
    assert brief(records) == [
        ("work", 1, "completed", 1500, 1500),
        ("break", 1, "skipped", 300, 0),
        ("work", 2, "completed", 1500, 1500),
        ("break", 2, "completed", 300, 300),
    ]
    assert records[1]["started"] == records[1]["ended"] == "2026-03-02T09:25:00.000+01:00"


def test_break_now(tmp_path: Path) -> None:
    records, _, _, _ = run(pomodoro(cycles=1), tmp_path, {600: "b"}, choose=always(None))
    assert brief(records) == [
        ("work", 1, "completed", 1500, 600),
        ("break", 1, "completed", 300, 300),
    ]


def test_skip_the_rest_of_a_break(tmp_path: Path) -> None:
    records, _, _, _ = run(pomodoro(cycles=1), tmp_path, {1500 + 70: "s"})
    assert brief(records)[1] == ("break", 1, "cut-short", 300, 70)  # under half, a step skipped
    assert [s["outcome"] for s in records[1]["steps"]] == ["done", "skipped"]
    records, _, _, _ = run(pomodoro(cycles=1), tmp_path / "half", {1500 + 150: "s"})
    assert brief(records)[1] == ("break", 1, "completed", 300, 150)  # half of it: taken
    records, _, _, _ = run(pomodoro(cycles=1), tmp_path / "b", {1500 + 20: "s"})
    assert brief(records)[1] == ("break", 1, "skipped", 300, 20)


def test_quit_records_the_block_in_progress_as_interrupted(tmp_path: Path) -> None:
    records, _, _, _ = run(pomodoro(), tmp_path, {1500 + 300 + 100: "q"}, choose=always(None))
    assert brief(records) == [
        ("work", 1, "completed", 1500, 1500),
        ("break", 1, "completed", 300, 300),
        ("work", 2, "interrupted", 1500, 100),
    ]


def test_ctrl_c_records_then_propagates(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        run(pomodoro(), tmp_path, {1600: KeyboardInterrupt()})
    records = [json.loads(x) for x in (tmp_path / "history.jsonl").read_text().splitlines()]
    assert brief(records) == [
        ("work", 1, "completed", 1500, 1500),
        ("break", 1, "interrupted", 300, 100),
    ]
    assert records[1]["steps"] == [
        {"exercise": "move", "outcome": "done", "active_s": 60},
        {"exercise": "move", "outcome": "skipped", "active_s": 40},
    ]


def test_a_short_suspend_during_work_pauses_the_block(tmp_path: Path) -> None:
    clock = FakeClock(START)

    class SleepAt600:
        def __init__(self) -> None:
            self.slept = False

        def wait(self, timeout: float) -> None:
            if not self.slept and clock.monotonic() + timeout >= 600:
                clock.sleep(600 - clock.monotonic())
                clock.suspend(120)  # lid closed for two minutes
                self.slept = True
                return None
            clock.sleep(timeout)
            return None

    records, _, _, _view = run(
        pomodoro(cycles=1), tmp_path, SleepAt600(), choose=always(None), clock=clock
    )
    work = records[0]
    assert (work["active_s"], work["suspended_s"], work["outcome"]) == (1500, 120, "completed")
    assert work["ended"] == "2026-03-02T09:27:00.000+01:00"


def test_a_suspend_as_long_as_a_break_is_a_natural_break(tmp_path: Path) -> None:
    clock = FakeClock(START)

    class SleepAt600:
        slept = False

        def wait(self, timeout: float) -> None:
            if not self.slept and clock.monotonic() + timeout >= 600:
                clock.sleep(600 - clock.monotonic())
                clock.suspend(3600)  # an hour-long meeting with the laptop shut
                self.slept = True
                return None
            clock.sleep(timeout)
            return None

    records, _, _, _ = run(
        pomodoro(cycles=2), tmp_path, SleepAt600(), choose=always(None), clock=clock
    )
    assert brief(records) == [
        ("work", 1, "completed", 1500, 600),
        ("break", 1, "completed", 300, 0),
        ("work", 2, "completed", 1500, 1500),
        ("break", 2, "completed", 300, 300),
    ]
    natural = records[1]
    assert natural["natural"] is True and natural["suspended_s"] == 3600
    assert natural["started"] == "2026-03-02T09:10:00.000+01:00"
    assert natural["ended"] == "2026-03-02T10:10:00.000+01:00"
    assert records[2]["started"] == "2026-03-02T10:10:00.000+01:00"


def test_a_suspend_during_a_break_counts_as_rest(tmp_path: Path) -> None:
    clock = FakeClock(START)

    class SleepInBreak:
        slept = False

        def wait(self, timeout: float) -> None:
            if not self.slept and clock.monotonic() + timeout >= 1560:
                clock.sleep(1560 - clock.monotonic())
                clock.suspend(100)
                self.slept = True
                return None
            clock.sleep(timeout)
            return None

    records, _, _, _ = run(
        pomodoro(cycles=1), tmp_path, SleepInBreak(), choose=always(None), clock=clock
    )
    brk = records[1]
    assert (brk["active_s"], brk["suspended_s"], brk["outcome"]) == (200, 100, "completed")
    assert brk["ended"] == "2026-03-02T09:30:00.000+01:00"


def test_until_cuts_the_last_block(tmp_path: Path) -> None:
    from datetime import time

    records, clock, _, _ = run(pomodoro(until=time(9, 40)), tmp_path, choose=always(None))
    assert brief(records) == [
        ("work", 1, "completed", 1500, 1500),
        ("break", 1, "completed", 300, 300),
        ("work", 2, "completed", 600, 600),
    ]
    assert clock.now() == START + timedelta(minutes=40)  # nothing runs past --until


def test_wait_holds_each_phase_until_a_key(tmp_path: Path) -> None:
    script = {2000: " ", 2600: " ", 4200: " "}  # start break 1, work 2, break 2
    records, _clock, host, _ = run(
        pomodoro(cycles=2, wait=True), tmp_path, script, choose=always(None)
    )
    assert brief(records) == [
        ("work", 1, "completed", 1500, 1500),
        ("break", 1, "completed", 300, 300),
        ("work", 2, "completed", 1500, 1500),
        ("break", 2, "completed", 300, 300),
    ]
    assert records[1]["started"] == "2026-03-02T09:33:20.000+01:00"  # the key at 2000 s
    assert records[2]["started"] == "2026-03-02T09:43:20.000+01:00"  # the key at 2600 s
    assert records[3]["started"] == "2026-03-02T10:10:00.000+01:00"  # the key at 4200 s
    assert "Press a key" not in host.alerts


def test_remote_control_pause_resume_stop(tmp_path: Path) -> None:
    host = FakeHost()
    clock = FakeClock(START)

    class Remote:
        def wait(self, timeout: float) -> None:
            clock.sleep(timeout)
            at = clock.monotonic()
            if at >= 100 and "p" not in done:
                host.controls.append("pause")
                host.controls.append("pause")  # twice: still just paused
                done.add("p")
            elif at >= 200 and "r" not in done:
                host.controls.append("resume")
                done.add("r")
            elif at >= 300 and "s" not in done:
                host.controls.append("stop")
                done.add("s")
            return None

    done: set[str] = set()
    records, _, _, _ = run(pomodoro(), tmp_path, Remote(), host=host, clock=clock)
    assert brief(records) == [("work", 1, "interrupted", 1500, 200)]
    assert records[0]["paused_s"] == 100


def test_state_document_for_status(tmp_path: Path) -> None:
    _, _, host, _ = run(pomodoro(cycles=1), tmp_path)
    first = host.states[0]
    assert first["phase"] == "work" and first["cycle"] == 1 and first["remaining_s"] == 1500
    assert first["routine"] == "two-min"  # the coming break's routine, chosen as work starts
    assert first["record"]["kind"] == "work" and first["record"]["outcome"] == "interrupted"
    in_break = next(s for s in host.states if s["phase"] == "break" and s["step"])
    assert in_break["routine"] == "two-min" and in_break["steps"] == 2
    beats = [s["heartbeat_epoch"] for s in host.states]
    assert max(b - a for a, b in itertools.pairwise(beats)) <= 10.001


def test_presets_cover_the_sources() -> None:
    assert {
        "pomodoro",
        "micro",
        "hourly",
        "pain-now",
        "pain-30",
        "pain-60",
        "mclean",
        "dunstan",
        "cornell",
        "hse",
    } <= set(PRESETS)
    assert (PRESETS["pomodoro"].work_s, PRESETS["pomodoro"].break_s) == (1500, 300)


def test_a_break_asked_for_outweighs_an_earlier_skip(tmp_path: Path) -> None:
    """s (skip the next break), then b (a break now): the break happens."""
    records, _, _, _ = run(pomodoro(cycles=1), tmp_path, {60: "s", 120: "b"}, choose=always(None))
    assert [(r["kind"], r["outcome"]) for r in records] == [
        ("work", "completed"),
        ("break", "completed"),
    ]
