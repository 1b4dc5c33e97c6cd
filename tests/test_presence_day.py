"""Presence in the day, on the fake clock with a scripted idle source: every rule of
issue 9 with the exact records it produces. The person uses the computer all the time except
during the scripted absences."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from breakctl.core.day import PresenceRules, Session, StepAway, WaitingForYou, WelcomeBack
from breakctl.host.session.loop import run_session
from breakctl.store.history import History
from tests.fakes import FakeClock, ScriptedKeys
from tests.test_engine import ROUTINE, START, FakeHost, NullView, always, pomodoro

RULES = PresenceRules(away_after_s=120, reset_after_s=1800)


class Absences:
    """Idle time as a real source reports it: seconds since the last input, where input
    stops at the start of each absence and comes back at its end."""

    name = "scripted"

    def __init__(self, clock: FakeClock, spans: Sequence[tuple[float, float]]) -> None:
        self.clock, self.spans = clock, spans
        self.readings = 0

    def idle_s(self) -> float | None:
        self.readings += 1
        now = self.clock.monotonic()
        for start, end in self.spans:
            if start <= now < end:
                return now - start
        return 0.0

    def take_failure(self) -> str | None:
        return None


def day(
    tmp_path: Path,
    spans: Sequence[tuple[float, float]],
    *,
    routine: Any = None,
    rules: PresenceRules | None = RULES,
    keys: dict[float, str] | None = None,
    **settings: Any,
) -> tuple[list[dict[str, Any]], NullView, FakeHost, Absences]:
    clock = FakeClock(START)
    idle = Absences(clock, spans)
    history = History(tmp_path / "history.jsonl")
    view, host = NullView(), FakeHost()
    session = Session(pomodoro(**settings), always(routine), presence=rules)
    run_session(
        session,
        clock=clock,
        keys=ScriptedKeys(clock, dict(keys or {})),
        view=view,
        history=history,
        host=host,
        presence=idle,
    )
    records = [json.loads(line) for line in history.path.read_text().splitlines()]
    return records, view, host, idle


def at(seconds: float) -> str:
    from datetime import timedelta

    return (START + timedelta(seconds=seconds)).isoformat(timespec="milliseconds")


def shape(record: dict[str, Any]) -> tuple[Any, ...]:
    return (
        record["kind"],
        record["cycle"],
        record["outcome"],
        record["started"],
        record["ended"],
        record["active_s"],
        record.get("away_s", 0),
        record.get("natural", False),
    )


def test_a_short_absence_is_left_out_of_the_block_which_resumes(tmp_path: Path) -> None:
    records, view, _, _ = day(tmp_path, [(600, 800), (1700, 2100)], cycles=1)
    assert [shape(r) for r in records] == [
        ("work", 1, "completed", at(0), at(1700), 1500, 200, False),
        ("break", 1, "completed", at(1700), at(2000), 300, 0, False),
    ]
    assert records[0]["paused_s"] == 0  # time away is not a pause
    welcome = [e for e in view.events if isinstance(e, WelcomeBack)]
    assert welcome == [WelcomeBack(200, natural_break=False)]


def test_an_absence_shorter_than_away_after_changes_nothing(tmp_path: Path) -> None:
    records, _, _, _ = day(tmp_path, [(600, 700)], cycles=1)
    assert shape(records[0]) == ("work", 1, "completed", at(0), at(1500), 1500, 0, False)


def test_away_as_long_as_a_break_is_the_break(tmp_path: Path) -> None:
    records, view, host, _ = day(tmp_path, [(600, 2100), (3600, 4000)], cycles=2)
    assert [shape(r) for r in records] == [
        ("work", 1, "completed", at(0), at(600), 600, 0, False),
        ("break", 1, "completed", at(600), at(2100), 0, 1500, True),
        ("work", 2, "completed", at(2100), at(3600), 1500, 0, False),
        ("break", 2, "completed", at(3600), at(3900), 300, 0, False),
    ]
    assert records[1]["routine"] is None and records[1]["steps"] == []
    assert host.alerts.count("Time to move") == 1  # no alert for the break taken away
    assert WelcomeBack(1500, natural_break=True) in view.events


def test_no_break_comes_due_while_away(tmp_path: Path) -> None:
    """Away for most of the block but back before a break's length: the block waits."""
    records, _, host, _ = day(tmp_path, [(1000, 1250)], cycles=1)
    assert shape(records[0]) == ("work", 1, "completed", at(0), at(1750), 1500, 250, False)
    assert host.alerts.count("Time to move") == 1


def test_a_long_absence_starts_the_long_break_count_over(tmp_path: Path) -> None:
    # Pomodoro: a long break after every 4th block. Away 40 min in block 3: that was its
    # break, and the count starts over, so the 4th block (now the 1st) gets a short break.
    away = [(1500, 1800), (3300, 3600), (3600 + 600, 3600 + 3000), (6300, 6600), (8100, 9000)]
    records, _, _, _ = day(tmp_path, away, cycles=4)
    breaks = [
        (r["cycle"], r["planned_s"], r.get("natural", False))
        for r in records
        if r["kind"] == "break"
    ]
    assert breaks == [(1, 300, False), (2, 300, False), (3, 300, True), (4, 300, False)]


def test_a_break_due_while_idle_waits_for_the_person(tmp_path: Path) -> None:
    spans = [(1450, 1530), (1533, 2000)]  # back for a moment, then away for the break
    records, view, host, _ = day(tmp_path, spans, routine=ROUTINE, cycles=1)
    work, rest = records
    assert work["ended"] == at(1500) and work["active_s"] == 1500
    assert host.alerts.count("Time to move") == 1  # the alert rings as usual
    assert any(isinstance(e, WaitingForYou) for e in view.events)
    # The routine started at the first input, 30 s after the break began, and the break
    # then ran its whole length: waiting for the person was not part of it.
    assert rest["started"] == at(1500) and rest["routine"] == "two-min"
    assert rest["outcome"] == "completed" and rest["ended"] == at(1530 + 300)
    assert rest["active_s"] == 300


def test_away_through_a_waiting_break_makes_it_a_natural_one(tmp_path: Path) -> None:
    records, _, _, _ = day(tmp_path, [(1450, 2400)], routine=ROUTINE, cycles=1)
    rest = records[1]
    assert rest["natural"] is True and rest["routine"] is None and rest["outcome"] == "completed"
    assert rest["started"] == at(1500) and rest["ended"] == at(2400)
    assert rest["away_s"] == 900


def test_typing_through_a_break_is_worked_through(tmp_path: Path) -> None:
    records, view, _, _ = day(tmp_path, [], cycles=1)  # input all the time
    rest = records[1]
    assert rest["outcome"] == "worked-through"
    assert rest["input_s"] >= 295
    assert sum(isinstance(e, StepAway) for e in view.events) == 1  # asked once


def test_a_break_mostly_away_from_the_keys_is_taken(tmp_path: Path) -> None:
    records, _, _, _ = day(tmp_path, [(1500, 1900)], cycles=1)
    rest = records[1]
    assert rest["outcome"] == "completed" and rest.get("input_s", 0) == 0


def test_own_key_presses_in_a_break_are_not_using_the_computer(tmp_path: Path) -> None:
    presses = {float(t): "x" for t in range(1501, 1800, 2)}  # keys in breakctl's terminal
    records, _, _, _ = day(tmp_path, [(1500, 1800)], keys=presses, cycles=1)
    assert records[1]["outcome"] == "completed" and records[1].get("input_s", 0) == 0


def test_presence_off_is_exactly_the_clock_only_day(tmp_path: Path) -> None:
    on, _, _, _ = day(tmp_path / "on", [], rules=None, cycles=2)
    plain, _, _, _ = day(tmp_path / "off", [(0, 10_000)], rules=None, cycles=2)
    assert [shape(r) for r in on] == [shape(r) for r in plain]
    assert all("away_s" not in r and "input_s" not in r for r in on)
