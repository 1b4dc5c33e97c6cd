"""A day that runs for days (a service): the engine on a fake clock across three midnights,
in milliseconds. Per-day counts (skip budget, daily limit, breaks today) start over at local
midnight, a sleep as long as reset_after starts the long-break count over, and working hours
shape every day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from breakctl.core.actions import Action
from breakctl.core.day import (
    LimitReached,
    OffHours,
    PresenceRules,
    Recorded,
    Refused,
    Session,
    SessionEnded,
    SessionEvent,
    WorkHoursBegin,
)
from breakctl.core.records import Record
from breakctl.core.schedule import parse_schedule
from breakctl.host.session.effects import BreaksToday
from breakctl.host.session.loop import run_session
from breakctl.store.history import History
from tests.fakes import FakeClock, ScriptedKeys
from tests.test_engine import FakeHost, NullView, always, pomodoro

BERLIN = ZoneInfo("Europe/Berlin")
# Monday 2 March 2026, 10:00 in Berlin: three midnights come before Thursday 10:00.
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)
H = 3600.0


@dataclass
class Drive:
    """A Session driven minute by minute (as the loop would, only coarser: each phase starts
    at the previous deadline, so the step does not change what is recorded)."""

    session: Session
    wall0: datetime
    now: float = 0.0
    events: list[SessionEvent] = field(default_factory=list)

    @property
    def wall(self) -> datetime:
        return (self.wall0 + timedelta(seconds=self.now)).astimezone(self.wall0.tzinfo)

    def start(self) -> Drive:
        self.events += self.session.start(self.now, self.wall)
        return self

    def run(self, seconds: float, step: float = 60.0) -> None:
        end = self.now + seconds
        while self.now < end:
            self.now = min(end, self.now + step)
            self.events += self.session.advance(self.now, self.wall)

    def act(self, action: Action) -> list[SessionEvent]:
        told = self.session.act(action, self.now, self.wall, key=True)
        self.events += told
        return told

    @property
    def records(self) -> list[Record]:
        return [e.record for e in self.events if isinstance(e, Recorded)]


def work_by_day(records: list[Record]) -> dict[date, float]:
    totals: Counter[date] = Counter()
    for record in records:
        if record.kind == "work":
            totals[record.day] += record.active_s
    return dict(totals)


def test_the_daily_limit_ends_each_day_and_work_starts_again_after_midnight() -> None:
    settings = pomodoro(work_per_day_s=2 * H, across_days=True)
    drive = Drive(Session(settings, always(None)), MONDAY).start()
    drive.run(3 * 24 * H)
    assert not [e for e in drive.events if isinstance(e, SessionEnded)]
    worked = work_by_day(drive.records)
    days = [date(2026, 3, d) for d in (2, 3, 4, 5)]
    assert sorted(worked) == days
    for day in days:  # each day: the limit, then nothing more until midnight
        assert 2 * H <= worked[day] < 2 * H + 25 * 60, (day, worked[day])
    assert [e for e in drive.events if isinstance(e, LimitReached)] == [
        LimitReached(2 * H, True, today_only=True)
    ] * 4
    offs = [e for e in drive.events if isinstance(e, OffHours)]
    assert [o.resumes_at for o in offs] == [
        datetime(2026, 3, d, 0, 0, tzinfo=BERLIN) for d in (3, 4, 5, 6)
    ]
    assert all(o.limit for o in offs)
    assert not [e for e in drive.events if isinstance(e, WorkHoursBegin)]  # no alert at 00:00
    midnights = [r for r in drive.records if r.kind == "work" and r.started.time() == time(0)]
    assert [(r.started.day, r.cycle) for r in midnights] == [(3, 1), (4, 1), (5, 1)]


def test_across_days_the_first_block_after_midnight_is_block_one() -> None:
    drive = Drive(Session(pomodoro(across_days=True), always(None)), MONDAY).start()
    drive.run(3 * 24 * H)
    works = [r for r in drive.records if r.kind == "work"]
    firsts = {}
    for record in works:
        firsts.setdefault(record.started.date(), record)
    assert [(r.started.strftime("%a %H:%M"), r.cycle) for r in firsts.values()] == [
        ("Mon 10:00", 1),
        ("Tue 00:00", 1),  # after block 26 and its break
        ("Wed 00:20", 1),  # block 45 ran 23:50-00:15, its break to 00:20
        ("Thu 00:10", 1),  # after a long break
    ]
    for first in list(firsts.values())[1:]:  # the long break comes after the day's 4th again
        day = [r for r in drive.records if r.kind == "break" and r.started >= first.started]
        assert [r.planned_s for r in day[:4]] == [300, 300, 300, 900]


def test_with_cycles_the_numbers_run_on_across_midnight() -> None:
    late = datetime(2026, 3, 2, 23, 0, tzinfo=BERLIN)
    drive = Drive(Session(pomodoro(across_days=True, cycles=4), always(None)), late).start()
    drive.run(4 * H)
    assert [r.cycle for r in drive.records if r.kind == "work"] == [1, 2, 3, 4]
    assert drive.session.ended == "cycles"


def test_in_a_terminal_the_daily_limit_still_ends_the_day() -> None:
    drive = Drive(Session(pomodoro(work_per_day_s=2 * H), always(None)), MONDAY).start()
    drive.run(24 * H)
    assert [e for e in drive.events if isinstance(e, SessionEnded)] == [SessionEnded("limit")]
    assert drive.session.ended == "limit"


def test_the_skip_budget_starts_over_at_midnight() -> None:
    drive = Drive(Session(pomodoro(skips_per_day=1), always(None)), MONDAY)
    drive.start()
    answers = []
    for _ in range(3):
        drive.run(10 * 60)  # into a work block
        answers.append((drive.wall.date(), drive.act(Action.SKIP)))
        drive.run(30 * 60)  # the skipped break, the next block under way
        answers.append((drive.wall.date(), drive.act(Action.SKIP)))
        drive.run(24 * H - 40 * 60)
    refusals = [(day, [e for e in told if isinstance(e, Refused)]) for day, told in answers]
    assert refusals == [
        (date(2026, 3, d), expected)
        for d in (2, 3, 4)
        for expected in ([], [Refused("no skips left today: 1 used")])
    ]
    skipped = [r.day for r in drive.records if r.outcome == "skipped"]
    assert skipped == [date(2026, 3, d) for d in (2, 3, 4)]
    assert drive.wall.date() == date(2026, 3, 5)  # a fourth day: its skip is still there
    assert drive.session.snapshot(drive.now, drive.wall).skips_left == 1


def test_working_hours_shape_every_day_with_the_limit_across_days() -> None:
    hours = parse_schedule({"mon-fri": ["09:00-17:00"]}).with_zone(BERLIN)
    settings = pomodoro(schedule=hours, work_per_day_s=3 * H, across_days=True)
    drive = Drive(Session(settings, always(None)), MONDAY).start()
    drive.run(3 * 24 * H)
    firsts: dict[date, datetime] = {}
    for record in drive.records:
        firsts.setdefault(record.day, record.started)
    assert [moment.strftime("%a %H:%M") for moment in firsts.values()] == [
        "Mon 10:00",
        "Tue 09:00",
        "Wed 09:00",
        "Thu 09:00",
    ]
    worked = work_by_day(drive.records)
    assert all(3 * H <= worked[date(2026, 3, d)] < 3 * H + 25 * 60 for d in (2, 3, 4))
    assert len([e for e in drive.events if isinstance(e, WorkHoursBegin)]) == 3  # 09:00 each


def long_breaks(drive: Drive) -> list[int]:
    return [r.cycle for r in drive.records if r.kind == "break" and r.planned_s > 300]


def test_a_sleep_as_long_as_reset_after_starts_the_long_break_count_over() -> None:
    def sleep_in_block_three(presence: PresenceRules | None, sleep_s: float) -> list[int]:
        session = Session(pomodoro(cycles=5), always(None), presence=presence)
        drive = Drive(session, MONDAY).start()
        drive.run(2 * 30 * 60 + 10 * 60)  # two blocks and breaks, 10 minutes into the third
        drive.wall0 += timedelta(seconds=sleep_s)  # the lid closed: wall time moves alone
        drive.run(3 * H)
        return long_breaks(drive)

    # Asleep 40 minutes in the third block: that was its break, and the count starts over,
    # so the fourth break is short; without the sleep the fourth one is the long break.
    assert sleep_in_block_three(None, 40 * 60) == []
    assert sleep_in_block_three(PresenceRules(reset_after_s=3 * H), 40 * 60) == [4]
    assert sleep_in_block_three(PresenceRules(reset_after_s=30 * 60), 40 * 60) == []
    assert sleep_in_block_three(None, 6 * 60) == [4]  # a short sleep is just time away


def test_a_sleep_through_a_break_starts_the_count_over_too() -> None:
    drive = Drive(Session(pomodoro(cycles=6), always(None)), MONDAY).start()
    drive.run(2 * 30 * 60 + 25 * 60 + 60)  # a minute into the third break
    drive.wall0 += timedelta(hours=1)
    drive.run(4 * H)
    assert long_breaks(drive) == []  # the fourth is short: counted from after the sleep


def test_breaks_today_in_the_state_file_starts_over_at_midnight(tmp_path: Path) -> None:
    start = datetime(2026, 3, 2, 22, 40, tzinfo=BERLIN)
    clock = FakeClock(start)
    host = FakeHost()
    session = Session(pomodoro(cycles=4), always(None))
    history = History(tmp_path / "history.jsonl")
    keys = ScriptedKeys(clock, {})
    run_session(session, clock=clock, keys=keys, view=NullView(), history=history, host=host)
    by_date = {}
    for state in host.states:
        today = state["today"]
        by_date.setdefault(today["date"], []).append(today["breaks"])
    assert max(by_date["2026-03-02"]) == 2  # 23:05-23:10 and 23:35-23:40
    assert by_date["2026-03-03"][0] == 0  # not yesterday's 2 under today's date
    assert max(by_date["2026-03-03"]) == 2  # 00:05-00:10 and the long one, 00:35-00:50


def test_breaks_today_counts_a_break_on_its_start_day() -> None:
    today = BreaksToday(date(2026, 3, 2), 3)
    assert today.on(date(2026, 3, 2)) == 3
    assert today.on(date(2026, 3, 3)) == 0
