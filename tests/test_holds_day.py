"""Holds in the day (#21), on the fake clock with a scripted holds reader: each rule of "What
the day does" with the exact records and side effects it produces. A 25-minute block, a
5-minute break; the reader says what holds at each monotonic second."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from breakctl.core.clockface import format_clock
from breakctl.core.day import (
    BreakStarted,
    HeadsUp,
    PresenceRules,
    Session,
    SessionSnapshot,
    WaitingForYou,
)
from breakctl.core.day.events import (
    BreakEarly,
    BreakHeld,
    BreakHushed,
    BreakUnhushed,
    BreakYielded,
    HoldsEnded,
    HoldStuck,
)
from breakctl.core.holds import Hold, HoldsReading, HoldsSettings, Upcoming
from breakctl.host.session.holds_poll import HoldsPoll
from breakctl.host.session.loop import run_session
from breakctl.status import describe, line, render
from breakctl.store.history import History
from breakctl.ui.session.work_frame import work_frame
from tests.fakes import FakeClock, ScriptedKeys
from tests.test_engine import ROUTINE, START, FakeHost, NullView, always, pomodoro
from tests.test_presence_day import Absences, at

ZOOM = Hold("microphone", "zoom")
SETTINGS = HoldsSettings()  # grace 60 s, lead 10 min, max 3 h, every 15 s


@dataclass(frozen=True)
class Span:
    start: float  # monotonic seconds, from the start of the day
    end: float  # exclusive
    hold: Hold = ZOOM


class ScriptedHolds:
    """A holds reader whose answer is scripted by the fake clock."""

    def __init__(
        self, clock: FakeClock, spans: Sequence[Span], upcoming: Upcoming | None = None
    ) -> None:
        self.clock, self.spans, self.upcoming = clock, spans, upcoming
        self.reads: list[float] = []

    def read(self, now: datetime) -> HoldsReading:
        mono = self.clock.monotonic()
        self.reads.append(mono)
        holds = tuple(s.hold for s in self.spans if s.start <= mono < s.end)
        return HoldsReading(holds, self.upcoming)

    def take_failures(self) -> list[str]:
        return []


@dataclass
class Day:
    records: list[dict[str, Any]]
    view: NullView
    host: FakeHost
    reader: ScriptedHolds

    def events(self, kind: type) -> list[Any]:
        return [e for e in self.view.events if isinstance(e, kind)]


def day(
    tmp_path: Path,
    spans: Sequence[Span],
    *,
    holds: HoldsSettings = SETTINGS,
    upcoming: Upcoming | None = None,
    keys: dict[float, str] | None = None,
    routine: Any = None,
    presence: Sequence[tuple[float, float]] | None = None,
    **settings: Any,
) -> Day:
    clock = FakeClock(START)
    reader = ScriptedHolds(clock, spans, upcoming)
    history = History(tmp_path / "history.jsonl")
    view, host = NullView(), FakeHost()
    rules = PresenceRules() if presence is not None else None
    session = Session(
        pomodoro(**{"cycles": 1, **settings}), always(routine), presence=rules, holds=holds
    )
    run_session(
        session,
        clock=clock,
        keys=ScriptedKeys(clock, dict(keys or {})),
        view=view,
        history=history,
        host=host,
        presence=Absences(clock, presence) if presence is not None else None,
        holds=HoldsPoll(reader, holds.check_every_s),
    )
    records = [json.loads(line) for line in history.path.read_text().splitlines()]
    return Day(records, view, host, reader)


def brief(record: dict[str, Any]) -> tuple[Any, ...]:
    return (
        record["kind"],
        record["outcome"],
        record["started"],
        record["ended"],
        record["active_s"],
        record.get("held_s", 0),
        record.get("held_by", []),
    )


def test_a_break_due_while_held_waits_and_comes_after_the_grace(tmp_path: Path) -> None:
    """The call runs 23:20 to 33:30; the break was due at 25:00. It comes at 34:30 (a minute
    of grace), with no heads-up, alert or tmux focus before; the block counts on."""
    d = day(tmp_path, [Span(1400, 2010)])
    assert [brief(r) for r in d.records] == [
        ("work", "completed", at(0), at(2070), 2070, 0, []),
        ("break", "completed", at(2070), at(2370), 300, 570, ["microphone"]),
    ]
    assert d.events(HeadsUp) == []  # due in a call: no "break in 30 seconds" either
    assert d.events(BreakHeld) == [BreakHeld(("microphone: zoom",))]
    assert d.events(HoldsEnded) == [HoldsEnded(60)]
    assert d.host.alerts == ["Time to move"]  # the break's own, when it came
    assert d.host.focused == 1
    held = [s for s in d.host.states if s["phase"] == "held"]
    assert held and held[0]["held_by"] == ["microphone: zoom"]
    assert {round(s["held_s"]) for s in held} >= {0, 500}  # counting since it came due
    assert all(s["held_s"] <= 570 for s in held)
    # Shown as held until the break starts, with the grace's end once the call ended.
    assert held[-1]["ends_at"] is not None and held[0]["ends_at"] is None


def test_without_a_hold_the_same_day_breaks_on_time(tmp_path: Path) -> None:
    d = day(tmp_path, [Span(3000, 4000)])
    assert [brief(r)[:5] for r in d.records] == [
        ("work", "completed", at(0), at(1500), 1500),
        ("break", "completed", at(1500), at(1800), 300),
    ]
    assert len(d.events(HeadsUp)) == 1 and "held_s" not in d.records[1]


def test_the_holds_are_read_at_the_moment_the_break_comes_due(tmp_path: Path) -> None:
    """Read every 40 s (…1480, 1520): a call from 1490 is seen as the break comes due (a
    second before its deadline, 1500, so the reading never makes it late)."""
    d = day(tmp_path, [Span(1490, 1700)], holds=replace(SETTINGS, check_every_s=40))
    assert 1499 in d.reader.reads
    assert brief(d.records[1])[:3] == ("break", "completed", at(1780))  # seen over at 1720
    assert d.records[1]["held_s"] == 280


def test_a_new_hold_within_the_grace_holds_the_break_again(tmp_path: Path) -> None:
    d = day(tmp_path, [Span(1400, 1800), Span(1830, 2100, Hold("camera", "obs"))])
    assert brief(d.records[1])[:3] == ("break", "completed", at(2160))
    assert d.records[1]["held_by"] == ["microphone", "camera"]


def test_away_after_the_call_makes_it_a_natural_break(tmp_path: Path) -> None:
    """Typing until the call ends at 2010, then gone until 2600: the break that comes at
    2070 waits for the person, and the absence (590 s) was the break."""
    d = day(tmp_path, [Span(1400, 2010)], presence=[(2010, 2600)])
    assert d.events(WaitingForYou) == [WaitingForYou()]
    work, rest = d.records
    assert (work["ended"], work["active_s"]) == (at(2070), 2070)
    assert rest["natural"] is True and rest["held_s"] == 570
    assert rest["held_by"] == ["microphone"]


def test_a_meeting_is_not_an_absence(tmp_path: Path) -> None:
    """No keyboard for the whole call: the block does not stop counting as away."""
    d = day(tmp_path, [Span(0, 1700)], presence=[(100, 1705)])
    work = d.records[0]
    assert work.get("away_s", 0) == 0
    assert (work["ended"], work["active_s"]) == (at(1770), 1770)  # seen over at 1710


def test_a_calendar_brings_the_break_forward_before_a_meeting(tmp_path: Path) -> None:
    """Team sync at 09:27: the break due at 09:25 comes once half the block is done."""
    starts = START + timedelta(seconds=1620)
    sync = Upcoming("Team sync", starts, starts + timedelta(minutes=30))
    d = day(tmp_path, [], upcoming=sync)
    assert [brief(r)[:5] for r in d.records] == [
        ("work", "completed", at(0), at(750), 750),
        ("break", "completed", at(750), at(1050), 300),
    ]
    assert d.events(BreakEarly) == [BreakEarly("Team sync", starts)]


def test_calendar_lead_0_brings_no_break_forward(tmp_path: Path) -> None:
    starts = START + timedelta(seconds=1620)
    sync = Upcoming("Team sync", starts, starts + timedelta(minutes=30))
    d = day(tmp_path, [], upcoming=sync, holds=replace(SETTINGS, calendar_lead_s=0))
    assert d.records[0]["ended"] == at(1500) and d.events(BreakEarly) == []


def test_grace_0_brings_the_break_as_the_call_ends(tmp_path: Path) -> None:
    d = day(tmp_path, [Span(1400, 2010)], holds=replace(SETTINGS, grace_s=0))
    assert brief(d.records[1])[:3] == ("break", "completed", at(2010))
    assert d.records[1]["held_s"] == 510


def test_a_meeting_after_the_lead_changes_nothing(tmp_path: Path) -> None:
    starts = START + timedelta(seconds=2200)  # the break (due 1500) is 700 s before: > 600
    d = day(tmp_path, [], upcoming=Upcoming("Later", starts, starts + timedelta(hours=1)))
    assert d.records[0]["ended"] == at(1500) and d.events(BreakEarly) == []


def test_a_call_during_a_break_hushes_it_then_ends_it(tmp_path: Path) -> None:
    """A call from 1560 (seen at that reading): quiet at once; a minute on, the break ends
    interrupted with held_by, and the next block starts as after any interrupted break."""
    d = day(tmp_path, [Span(1560, 4000)], routine=ROUTINE, cycles=2)
    rest, work2 = d.records[1:3]
    assert brief(rest)[:4] == ("break", "interrupted", at(1500), at(1620))
    assert rest["held_by"] == ["microphone"] and "held_s" not in rest
    assert work2["started"] == at(1620)
    assert d.events(BreakHushed) == [BreakHushed(("microphone: zoom",))]
    assert d.events(BreakYielded) == [BreakYielded(("microphone: zoom",))]
    assert d.host.hooks.count("on_break_end") >= 1


def test_a_short_call_during_a_break_only_hushes_it(tmp_path: Path) -> None:
    d = day(tmp_path, [Span(1560, 1590)], routine=ROUTINE)
    assert brief(d.records[1])[:4] == ("break", "completed", at(1500), at(1800))
    assert "held_by" not in d.records[1]
    assert d.events(BreakUnhushed) == [BreakUnhushed()]


def test_a_stuck_source_stops_holding_after_max(tmp_path: Path) -> None:
    """A microphone open all day: after 3 h of that one hold, the break comes at once (no
    grace: it is long overdue), with one message naming the source."""
    d = day(tmp_path, [Span(0, 50_000)])
    work, rest = d.records[:2]
    assert work["ended"] == at(10_800) and rest["held_s"] == 10_800 - 1500
    assert d.events(HoldStuck) == [HoldStuck("microphone", 10_800)]
    assert any("microphone has held breaks for 3h" in m for m in d.view.messages)


def test_b_takes_the_held_break_now(tmp_path: Path) -> None:
    d = day(tmp_path, [Span(1400, 4000)], keys={1600: "b"})
    assert brief(d.records[1])[:3] == ("break", "completed", at(1600))
    assert d.records[1]["held_s"] == 100


def test_s_skips_the_held_break(tmp_path: Path) -> None:
    d = day(tmp_path, [Span(1400, 4000)], keys={1600: "s"}, cycles=2)
    assert [r["outcome"] for r in d.records[:2]] == ["completed", "skipped"]
    assert d.records[1]["held_by"] == ["microphone"] and d.records[1]["held_s"] == 100
    assert d.records[2]["started"] == at(1600)  # the next block starts
    assert [e.cycle for e in d.events(BreakStarted)] == [2]


def test_pause_while_held_holds_the_break_until_resumed(tmp_path: Path) -> None:
    """Paused at 1600 during the call, which ends at 1800; resumed at 2000: the break comes
    then, not during the pause."""
    d = day(tmp_path, [Span(1400, 1800)], keys={1600: "p", 2000: "p"})
    work, rest = d.records[:2]
    assert work["paused_s"] == 400 and rest["started"] == at(2000)


class SlowTerminal(NullView):
    """A screen whose write blocks for 3 s once (a pty nobody reads, a stalled ssh link)."""

    def __init__(self, clock: FakeClock, at: float) -> None:
        super().__init__()
        self.clock, self.at = clock, at

    def update(self, events: Sequence[Any], snapshot: Any) -> None:
        super().update(events, snapshot)
        if self.clock.monotonic() >= self.at:
            self.at = float("inf")
            self.clock.sleep(3)


def test_a_screen_that_blocks_for_seconds_does_not_break_the_day(tmp_path: Path) -> None:
    """The next wake-up is computed with the time after the block, not the last reading's
    wall time: a block never looks longer than its own span (found by the pty run)."""
    clock = FakeClock(START)
    history = History(tmp_path / "history.jsonl")
    session = Session(pomodoro(cycles=1), always(None))
    view = SlowTerminal(clock, 600)
    run_session(
        session, clock=clock, keys=ScriptedKeys(clock, {}), view=view, history=history,
        host=FakeHost(),
    )  # fmt: skip
    records = [json.loads(line) for line in history.path.read_text().splitlines()]
    assert [(r["kind"], r["outcome"], r["active_s"]) for r in records] == [
        ("work", "completed", 1500),
        ("break", "completed", 300),
    ]


def test_status_says_held_and_since_when(tmp_path: Path) -> None:
    """`status` from the state file the day writes while held: plain `held 1:40`, and JSON
    state "held" with held_by and held_s, counting on from the heartbeat."""
    d = day(tmp_path, [Span(1400, 2010)])
    state = next(s for s in d.host.states if s["phase"] == "held" and s["held_s"] >= 100)
    now = state["heartbeat_epoch"] + 20
    info = describe(state, now)
    assert line(info) == f"held {format_clock(state['held_s'] + 20)}"
    data = json.loads(render(info, "json", None) or "")
    assert data["state"] == "held" and data["held_by"] == ["microphone: zoom"]
    assert data["held_s"] == round(state["held_s"] + 20, 3)


def test_the_work_screen_shows_the_held_break() -> None:
    snapshot = SessionSnapshot(
        phase="work", cycle=1, cycles=None, paused=False, planned_s=1500, elapsed_s=1600,
        held_s=100, held_by=("calendar: Team sync until 14:30",),
    )  # fmt: skip
    lines = work_frame(snapshot, 80, False, 30)
    assert any("Break held 1:40: calendar: Team sync until 14:30" in row for row in lines)
    assert not any("left" in row for row in work_frame(snapshot, 80, False, 8))
