"""The day's shape on the fake clock, with the exact records each rule leaves: working hours
(across midnight and both of Berlin's 2026 DST changes), a timed pause across a break's due
time, the skip budget across a restart, strict mode, and the daily limit reached mid-block."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from breakctl.core.actions import Action, Control
from breakctl.core.day import LimitReached, OffHours, PauseOver, Refused, Session
from breakctl.core.day.rules import SoFar
from breakctl.core.errors import DataError
from breakctl.core.record_codec import decode_line
from breakctl.core.schedule import Schedule, parse_schedule, seconds_between
from breakctl.core.settings import pause_end
from breakctl.host.session.effects import state_document
from breakctl.host.session.loop import run_session
from breakctl.store.config import read_config
from breakctl.store.history import History
from tests.fakes import FakeClock, ScriptedKeys
from tests.test_engine import START, FakeHost, NullView, always, brief, pomodoro

BERLIN = ZoneInfo("Europe/Berlin")
M = 60


def schedule(**days: list[str]) -> Schedule:
    return parse_schedule({key.replace("_", "-"): value for key, value in days.items()})


def day(
    settings: Any,
    tmp_path: Path,
    start: datetime,
    script: dict | None = None,
    host: FakeHost | None = None,
    so_far: SoFar | None = None,
    until_mono: float | None = None,
    choose: Any = None,
) -> tuple[list[dict], FakeClock, FakeHost, NullView, Session]:
    """Run a day on the fake clock; `until_mono`: press q then (a schedule never ends)."""
    clock = FakeClock(start)
    session = Session(settings, choose or always(None), so_far)
    history = History(tmp_path / "history.jsonl")
    host = host or FakeHost()
    view = NullView()
    script = dict(script or {})
    if until_mono is not None:
        script[until_mono] = "q"
    keys = ScriptedKeys(clock, script)
    run_session(session, clock=clock, keys=keys, view=view, history=history, host=host)
    lines = history.path.read_text().splitlines() if history.path.exists() else []
    return [json.loads(line) for line in lines], clock, host, view, session


def times(records: list[dict]) -> list[tuple[str, str, str]]:
    return [(r["kind"], r["started"][11:19], r["ended"][11:19]) for r in records]


# -- [schedule] --------------------------------------------------------------------------------


def test_schedule_answers_across_midnight_and_both_dst_changes() -> None:
    week = schedule(
        mon_fri=["09:00-12:30", "13:30-17:30"],
        sat=["22:00-24:00"],
        sun=["00:00-01:00", "03:00-04:00"],
    ).with_zone(BERLIN)
    friday = datetime(2026, 3, 27, 12, 0, tzinfo=BERLIN)
    assert week.is_working(friday) and week.range_end(friday) == friday.replace(minute=30)
    lunch = datetime(2026, 3, 27, 13, 30, tzinfo=BERLIN)
    assert week.next_start(friday.replace(hour=12, minute=45)) == lunch
    assert week.gap_before(lunch) == 3600
    # Saturday 22:00 to Sunday 01:00 is one stretch across midnight.
    saturday = datetime(2026, 3, 28, 23, 0, tzinfo=BERLIN)
    assert week.range_end(saturday) == datetime(2026, 3, 29, 1, 0, tzinfo=BERLIN)
    # 29 Mar 2026: 02:00 CET jumps to 03:00 CEST, so 01:00 to 03:00 is one real hour off.
    after = datetime(2026, 3, 29, 1, 0, tzinfo=BERLIN)
    start = week.next_start(after)
    assert start is not None and start.isoformat() == "2026-03-29T03:00:00+02:00"
    assert seconds_between(after, start) == 3600 and week.gap_before(start) == 3600
    # 25 Oct 2026: 03:00 CEST falls back to 02:00 CET, so 01:00 to 03:00 is three real hours.
    autumn = datetime(2026, 10, 25, 1, 0, tzinfo=BERLIN)
    start = week.next_start(autumn)
    assert start is not None and start.isoformat() == "2026-10-25T03:00:00+01:00"
    assert seconds_between(autumn, start) == 3 * 3600
    assert week.works_on(date(2026, 3, 31)) and week.works_on(date(2026, 3, 29))
    assert not schedule(mon=["09:00-10:00"]).works_on(date(2026, 3, 31))  # a Tuesday


BAD = """\
[start]
preset = "pomodoro"

[schedule]
mon-fri = ["9-17"]
sat = ["10:00-12:00", "11:00-13:00"]
sun = ["18:00-08:00"]
funday = []
"""


def test_schedule_errors_name_the_file_the_line_and_what_was_wanted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(BAD)
    with pytest.raises(DataError) as caught:
        read_config(path)
    assert sorted(caught.value.problems) == sorted(
        [
            f'{path}:5: schedule.mon-fri: "9-17": want HH:MM-HH:MM, e.g. 09:00-12:30',
            f'{path}:7: schedule.sun: "18:00-08:00": ends before it starts (a range across '
            "midnight is two: 22:00-24:00, and 00:00-02:00 on the next day)",
            f"{path}:8: schedule.funday: unknown day name 'funday'; want mon … sun or a range "
            "like mon-fri",
            f"{path}:6: schedule.sat: overlapping ranges on sat: 10:00-12:00 and 11:00-13:00",
        ]
    )


# -- working hours in the day ------------------------------------------------------------------


def test_off_until_the_range_starts_then_blocks_end_with_the_range(tmp_path: Path) -> None:
    # 08:00 Monday; work 09:00-09:40 and 10:00-10:30. The 20-minute gap resets the cycle.
    hours = schedule(mon=["09:00-09:40", "10:00-10:30"])
    start = datetime(2026, 3, 2, 8, 0, tzinfo=START.tzinfo)
    records, _clock, host, view, _ = day(
        pomodoro(schedule=hours), tmp_path, start, until_mono=3 * 3600
    )
    assert times(records) == [
        ("work", "09:00:00", "09:25:00"),
        ("break", "09:25:00", "09:30:00"),
        ("work", "09:30:00", "09:40:00"),  # ends with the range, no break after it
        ("work", "10:00:00", "10:25:00"),
        ("break", "10:25:00", "10:30:00"),
    ]
    assert [(r["cycle"], r["outcome"], r["planned_s"], r["active_s"]) for r in records] == [
        (1, "completed", 1500, 1500),
        (1, "completed", 300, 300),
        (2, "completed", 600, 600),
        (1, "completed", 1500, 1500),
        (1, "completed", 300, 300),  # cycle count starts over
    ]
    assert OffHours(datetime(2026, 3, 2, 9, 0, tzinfo=START.tzinfo)) in view.events
    assert host.alerts.count("Working hours") == 2
    assert host.alerts.count("Working hours are over") == 3  # 08:00, 09:40, 10:30
    # Off: state "off" with resumes_at; the first state file says so.
    first = host.states[0]
    assert (first["phase"], first["resumes_at"], first["remaining_s"]) == (
        "off",
        "2026-03-02T09:00:00+01:00",
        3600,
    )
    assert first["record"] is None  # nothing counts, nothing is recorded


def test_a_pause_that_runs_past_the_range_end_ends_the_block_there(tmp_path: Path) -> None:
    hours = schedule(mon=["09:00-09:20"])
    records, *_ = day(pomodoro(schedule=hours), tmp_path, START, {600: " "}, until_mono=7200)
    assert brief(records) == [("work", 1, "completed", 1200, 600)]
    assert records[0]["ended"] == "2026-03-02T09:20:00.000+01:00"
    assert records[0]["paused_s"] == 600


def test_a_break_that_would_run_past_the_range_end_is_cut_there(tmp_path: Path) -> None:
    hours = schedule(mon=["09:00-09:28"])
    settings = pomodoro(schedule=hours, work_s=25 * M)
    # b at 09:23: the block ends early, and its 5-minute break meets the range end at 09:28.
    records, *_ = day(settings, tmp_path, START, {23 * M: "b"}, until_mono=7200)
    assert times(records) == [("work", "09:00:00", "09:23:00"), ("break", "09:23:00", "09:28:00")]
    records, *_ = day(settings, tmp_path / "late", START, {24 * M: "b"}, until_mono=7200)
    assert times(records) == [("work", "09:00:00", "09:24:00"), ("break", "09:24:00", "09:28:00")]
    assert (records[1]["outcome"], records[1]["planned_s"], records[1]["active_s"]) == (
        "completed",
        300,
        240,
    )


def test_a_stretch_across_midnight_keeps_counting(tmp_path: Path) -> None:
    hours = schedule(mon=["23:00-24:00"], tue=["00:00-00:30"])
    start = datetime(2026, 3, 2, 23, 0, tzinfo=START.tzinfo)
    records, *_ = day(pomodoro(schedule=hours), tmp_path, start, until_mono=4 * 3600)
    assert times(records) == [
        ("work", "23:00:00", "23:25:00"),
        ("break", "23:25:00", "23:30:00"),
        ("work", "23:30:00", "23:55:00"),
        ("break", "23:55:00", "00:00:00"),
        ("work", "00:00:00", "00:25:00"),
        ("break", "00:25:00", "00:30:00"),
    ]
    assert [r["cycle"] for r in records] == [1, 1, 2, 2, 3, 3]


@pytest.mark.parametrize(
    ("start", "first", "waited_s"),
    [  # 01:00 Berlin to 03:00 on the day of each change: one real hour in spring, three in autumn
        ("2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00.000+02:00", 3600),
        ("2026-10-25T01:00:00+02:00", "2026-10-25T03:00:00.000+01:00", 3 * 3600),
    ],
)
def test_off_hours_across_a_dst_change(
    tmp_path: Path, start: str, first: str, waited_s: int
) -> None:
    hours = schedule(sun=["03:00-03:30"]).with_zone(BERLIN)
    begin = datetime.fromisoformat(start).astimezone(BERLIN)
    records, _clock, host, *_ = day(
        pomodoro(schedule=hours), tmp_path, begin, until_mono=waited_s + 3600
    )
    assert records[0]["started"] == first
    assert host.states[0]["remaining_s"] == waited_s
    assert [(r["kind"], r["active_s"]) for r in records] == [("work", 1500), ("break", 300)]


def test_nothing_runs_past_until_even_with_a_break_due(tmp_path: Path) -> None:
    records, clock, *_ = day(pomodoro(until=time(9, 28)), tmp_path, START, {24 * M: "b"})
    assert times(records) == [("work", "09:00:00", "09:24:00"), ("break", "09:24:00", "09:28:00")]
    assert clock.now() == START + timedelta(minutes=28)


# -- pausing for a meeting ---------------------------------------------------------------------


def test_a_timed_pause_across_the_breaks_due_time(tmp_path: Path) -> None:
    """Paused 45 minutes with 2 minutes of work left: the break comes 2 minutes after."""
    host = FakeHost()
    until = START + timedelta(minutes=23 + 45)
    host.controls = []

    class Pauser(ScriptedKeys):
        longest = 0.0

        def wait(self, timeout: float) -> str | None:
            Pauser.longest = max(Pauser.longest, timeout)  # commands are read this often
            if self._clock.monotonic() == 0:
                self._clock.sleep(23 * M)
                host.controls.append(Control("pause", until, None, "r1"))  # type: ignore[arg-type]
                return None
            return super().wait(timeout)

    clock = FakeClock(START)
    session = Session(pomodoro(cycles=1), always(None))
    history = History(tmp_path / "history.jsonl")
    view = NullView()
    run_session(session, clock=clock, keys=Pauser(clock, {}), view=view, history=history, host=host)
    records = [json.loads(line) for line in history.path.read_text().splitlines()]
    assert times(records) == [("work", "09:00:00", "10:10:00"), ("break", "10:10:00", "10:15:00")]
    assert (records[0]["active_s"], records[0]["paused_s"]) == (1500, 2700)
    assert PauseOver() in view.events and "Pause over" in host.alerts
    assert host.replies == [("r1", None)]
    assert Pauser.longest <= 1.0  # a `resume` during the 45 minutes is read within a second
    paused = [s for s in host.states if s["paused"]]
    assert paused[0]["resumes_at"] == "2026-03-02T10:08:00+01:00"


def test_the_p_key_asks_for_how_long(tmp_path: Path) -> None:
    # p at 10 min, then "1", "5", "m", Enter: a 15-minute pause that resumes by itself.
    script: dict[float, Any] = {600: "p", 601: "1", 602: "5", 603: "m", 604: "\n"}
    records, _clock, _host, view, _ = day(pomodoro(cycles=1), tmp_path, START, script)
    # The pause starts at p; the 15 minutes count from the answer (Enter at 604 s).
    assert records[0]["paused_s"] == 15 * M + 4
    assert records[0]["ended"] == "2026-03-02T09:40:04.000+01:00"
    assert view.prompts[0].startswith("pause for how long?") and view.prompts[-1] == ""
    assert view.prompts[-2].endswith("15m")


def test_the_p_key_with_enter_alone_is_an_open_pause_and_space_resumes(tmp_path: Path) -> None:
    script: dict[float, Any] = {600: "p", 601: "\n", 1200: " "}
    records, *_ = day(pomodoro(cycles=1), tmp_path, START, script)
    assert records[0]["paused_s"] == 600


def test_resume_ends_a_timed_pause_early_and_an_open_pause_replaces_it() -> None:
    session = Session(pomodoro(), always(None))
    session.start(0.0, START)
    session.act(Action.PAUSE, 60.0, START + timedelta(seconds=60), until=START + timedelta(hours=1))
    snapshot = session.snapshot(120.0, START + timedelta(seconds=120))
    assert snapshot.paused and snapshot.resumes_in_s == 3600 - 120
    session.act(Action.RESUME, 180.0, START + timedelta(seconds=180))
    assert not session.snapshot(181.0, START + timedelta(seconds=181)).paused
    assert session.next_wake(181.0) is not None
    session.act(Action.PAUSE, 200.0, START + timedelta(seconds=200))
    assert session.snapshot(201.0, START + timedelta(seconds=201)).resumes_at is None
    assert pause_end("15:00", START).isoformat() == "2026-03-02T15:00:00+01:00"
    with pytest.raises(DataError, match="08:00 has already passed"):
        pause_end("08:00", START)


# -- skip budget and strict mode ---------------------------------------------------------------


def test_the_skip_budget_holds_across_a_restart(tmp_path: Path) -> None:
    settings = pomodoro(skips_per_day=2)
    # First start: skips the first two breaks (s during work), the third s is refused.
    script = {10: "s", 1600: "s", 3200: "s", 3300: "q"}
    records, _, host, view, _session = day(settings, tmp_path, START, script)
    assert [(r["kind"], r["cycle"], r["outcome"]) for r in records] == [
        ("work", 1, "completed"),
        ("break", 1, "skipped"),
        ("work", 2, "completed"),
        ("break", 2, "skipped"),
        ("work", 3, "interrupted"),
    ]
    assert Refused("no skips left today: 2 used") in view.events
    assert "no skips left today: 2 used" in view.messages
    assert host.states[-1]["skips_left"] == 0
    # A restart reads today's history: the budget is still spent.
    lines = (tmp_path / "history.jsonl").read_bytes().splitlines()
    so_far = SoFar.of(START.date(), [decode_line(raw, n) for n, raw in enumerate(lines)])  # type: ignore[misc]
    assert so_far.skips == 2
    host = FakeHost()
    host.controls = [Control("skip", id="r2")]  # type: ignore[list-item]
    _, _, host, view, _ = day(
        settings, tmp_path / "again", START + timedelta(hours=1), {5: "q"}, host=host, so_far=so_far
    )
    assert host.replies == [("r2", "no skips left today: 2 used")]
    assert host.states[0]["skips_left"] == 0


def test_strict_mode_refuses_skip_postpone_and_cutting_free_movement(tmp_path: Path) -> None:
    script = {10: "s", 20: "+", 1600: "n", 1610: "s", 1900: "q"}
    records, _, _host, view, _ = day(pomodoro(strict=True), tmp_path, START, script)
    refused = [e.reason for e in view.events if isinstance(e, Refused)]
    assert refused == [
        "strict mode: no skipping",
        "strict mode: no postponing",
        "strict mode: the break runs its full length",
        "strict mode: no skipping",
    ]
    assert brief(records)[:2] == [
        ("work", 1, "completed", 1500, 1500),
        ("break", 1, "completed", 300, 300),
    ]


def test_postpones_in_a_row(tmp_path: Path) -> None:
    script = {1480: "+", 1780: "+", 2080: "+", 2500: "q"}
    records, _, _, view, _ = day(pomodoro(postpones_in_a_row=2), tmp_path, START, script)
    assert [r["outcome"] for r in records if r["kind"] == "break"][:2] == ["postponed"] * 2
    assert Refused("no more postponing: 2 postpones in a row") in view.events


# -- the daily limit ---------------------------------------------------------------------------


def test_the_daily_limit_reached_mid_block_ends_the_day_with_that_block(tmp_path: Path) -> None:
    settings = pomodoro(work_per_day_s=6 * 3600)
    so_far = SoFar(START.date(), work_s=6 * 3600 - 10 * M)  # 5h50m worked earlier today
    records, _clock, host, view, session = day(settings, tmp_path, START, so_far=so_far)
    assert brief(records) == [("work", 1, "completed", 1500, 1500)]  # no break, no next block
    assert session.ended == "limit"
    assert LimitReached(6 * 3600, True) in view.events
    assert host.alerts.count("6h of work today") == 1
    reached = [s for s in host.states if s["notice"]]
    assert reached[0]["notice"] == "6h of work today: time to stop"
    assert reached[0]["heartbeat"] == "2026-03-02T09:10:00.000+01:00"  # noticed on the minute


def test_ignore_limit_notifies_once_and_goes_on(tmp_path: Path) -> None:
    settings = pomodoro(work_per_day_s=3600, stop_at_limit=False, cycles=4)
    records, _, host, _view, _ = day(settings, tmp_path, START)
    assert len(records) == 8 and host.alerts.count("1h of work today") == 1


def test_state_document_for_a_timed_pause() -> None:
    session = Session(pomodoro(skips_per_day=3), always(None))
    session.start(0.0, START)
    wall = START + timedelta(seconds=60)
    session.act(Action.PAUSE, 60.0, wall, until=START + timedelta(minutes=46))
    doc = state_document(session, session.snapshot(60.0, wall), None, wall, 0)
    assert (doc["paused"], doc["resumes_at"], doc["skips_left"]) == (
        True,
        "2026-03-02T09:46:00+01:00",
        3,
    )
    assert doc["resumes_at_epoch"] == (START + timedelta(minutes=46)).timestamp()


def test_break_from_another_terminal_with_a_routine(tmp_path: Path) -> None:
    from tests.test_engine import ROUTINE

    host = FakeHost()
    host.controls = [Control("break", routine="two-min", id="r3")]  # type: ignore[list-item]
    clock = FakeClock(START)
    session = Session(replace(pomodoro(cycles=1)), always(None))
    history = History(tmp_path / "history.jsonl")
    run_session(
        session,
        clock=clock,
        keys=ScriptedKeys(clock, {}),
        view=NullView(),
        history=history,
        host=host,
        load_routine=lambda name: ROUTINE,
    )
    records = [json.loads(line) for line in history.path.read_text().splitlines()]
    assert (records[0]["active_s"], records[1]["routine"]) == (1, "two-min")  # the first tick
    assert host.replies == [("r3", None)] and host.focused == 1


# -- the review --------------------------------------------------------------------------------


def test_days_off_do_not_break_a_streak() -> None:
    from breakctl.core.stats import streaks

    weekdays = schedule(mon_fri=["09:00-17:00"])
    day_off = lambda d: not weekdays.works_on(d)  # noqa: E731
    # Thu 5, Fri 6 met the goal; the weekend had no working hours; Mon 9 met it too.
    met = {date(2026, 3, d): 6 for d in (5, 6, 9)}
    assert streaks(met, 6, date(2026, 3, 9)) == (1, 2, 3)
    assert streaks(met, 6, date(2026, 3, 9), day_off) == (3, 3, 3)
    # Tuesday 10, a working day, not met yet: the streak runs to yesterday, over the weekend.
    assert streaks(met, 6, date(2026, 3, 10), day_off) == (3, 3, 3)
    # Missing a working day still breaks it.
    assert streaks({date(2026, 3, 5): 6, date(2026, 3, 9): 6}, 6, date(2026, 3, 9), day_off) == (
        1,
        1,
        2,
    )
    assert streaks({}, 6, date(2026, 3, 8), day_off) == (0, 0, 0)


def test_the_review_shows_days_outside_the_schedule_as_off_and_counts_cut_breaks() -> None:
    from breakctl.core.records import SCHEMA_VERSION, Record
    from breakctl.core.stats import week_stats
    from breakctl.core.window import Window

    weekdays = schedule(mon_fri=["09:00-17:00"])
    at = datetime(2026, 3, 6, 16, 55, tzinfo=START.tzinfo)
    cut = Record(
        v=SCHEMA_VERSION,
        kind="break",
        started=at,
        ended=at + timedelta(minutes=5),
        active_s=300,
        planned_s=900,
        outcome="completed",
        steps=(),
    )
    window = Window(date(2026, 3, 2), date(2026, 3, 8))
    stats = week_stats(
        window,
        [cut],
        [],
        {cut.day: 1},
        {},
        date(2026, 3, 8),
        1,
        day_off=lambda d: not weekdays.works_on(d),
    )
    assert stats.totals.breaks["completed"] == 1  # a break cut at the end of hours was taken
    days = stats.to_json()["days"]
    assert [d["date"][8:] for d in days if d.get("off")] == ["07", "08"]
    assert stats.streak_days == 1


def test_a_failing_hook_is_reported_when_it_fails_not_when_the_phase_ends(tmp_path: Path) -> None:
    clock = FakeClock(START)

    class FailingHookHost(FakeHost):
        def hook_reports(self) -> list[str]:
            # on_work_start's hook fails 105 s in (a slow command that then exits 1)
            if clock.monotonic() >= 105 and not getattr(self, "told", False):
                self.told = True
                return ["hook on_work_start failed (exit 1)"]
            return []

    class TimedView(NullView):
        def message(self, text: str, *, listed: bool = True) -> None:
            self.messages.append(f"{clock.monotonic():g} {text}")

    view = TimedView()
    session = Session(pomodoro(cycles=1), always(None))
    run_session(
        session,
        clock=clock,
        keys=ScriptedKeys(clock, {}),
        view=view,
        history=History(tmp_path / "h.jsonl"),
        host=FailingHookHost(),
    )
    assert view.messages == ["105 hook on_work_start failed (exit 1)"]  # not at a heartbeat


def test_a_hook_that_fails_as_the_session_ends_is_left_for_after_the_screen(
    tmp_path: Path,
) -> None:
    """on_session_end's report waits for the host's close (one warning line once the screen is
    gone), even when the hook fails before the loop has drawn its last screen."""

    class InstantHooksHost(FakeHost):
        def __init__(self) -> None:
            super().__init__()
            self.pending: list[str] = []

        def fire_hook(self, event: str, snapshot: Any, record: Any) -> None:
            super().fire_hook(event, snapshot, record)
            self.pending.append(f"hook {event} failed (exit 4)")  # done at once

        def hook_reports(self) -> list[str]:
            reports, self.pending = self.pending, []
            return reports

    clock, host, view = FakeClock(START), InstantHooksHost(), NullView()
    session = Session(pomodoro(cycles=1), always(None))
    keys = ScriptedKeys(clock, {10.0: "q"})
    history = History(tmp_path / "h.jsonl")
    run_session(session, clock=clock, keys=keys, view=view, history=history, host=host)
    assert view.messages == ["hook on_work_start failed (exit 4)"]
    assert host.pending == [
        "hook on_work_end failed (exit 4)",
        "hook on_session_end failed (exit 4)",
    ]
