"""Issue 23 in the day's engine, on the fake clock: nudges inside a block, skip_confirm (a
second s, or a word), postpone_payback and start_on_pause, each with the exact records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from breakctl.core.day import (
    BreakDeferred,
    BreakStarted,
    NudgeDue,
    Refused,
    SkipAsked,
    SkipKept,
    Typed,
)
from breakctl.core.day.skip_guard import WORDS
from breakctl.core.errors import DataError
from breakctl.core.nudge_config import read_nudges
from breakctl.core.nudges import Nudge
from breakctl.core.presets import PRESETS, STAND_UP
from breakctl.core.settings import resolve_settings
from breakctl.store.paths import Paths
from tests.fakes import FakeClock
from tests.test_engine import START, FakeHost, brief, pomodoro, run
from tests.test_presence_day import day as presence_day

M = 60.0


class TimedView:
    """Every event with the fake clock's second it came at."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.events: list[tuple[float, Any]] = []
        self.messages: list[tuple[str, bool]] = []  # each with whether it is listed at the end

    def update(self, events, snapshot) -> None:  # type: ignore[no-untyped-def]
        self.events += [(self.clock.monotonic(), e) for e in events]

    def message(self, text: str, *, listed: bool = True) -> None:
        self.messages.append((text, listed))

    def prompt(self, text: str) -> None:
        pass


def timed_run(settings, tmp_path: Path, script: dict | None = None, word: str = "walk"):  # type: ignore[no-untyped-def]
    from breakctl.core.day import Session
    from breakctl.host.session.loop import run_session
    from breakctl.store.history import History
    from tests.fakes import ScriptedKeys
    from tests.test_engine import ROUTINE, always

    clock = FakeClock(START)
    view = TimedView(clock)
    history = History(tmp_path / "history.jsonl")
    session = Session(settings, always(ROUTINE))
    session.skip_guard.pick = lambda: word  # the word to type, drawn at random otherwise
    run_session(
        session,
        clock=clock,
        keys=ScriptedKeys(clock, script or {}),
        view=view,
        history=history,
        host=FakeHost(),
    )
    import json

    records = [json.loads(line) for line in history.path.read_text().splitlines()]
    return records, view


# -- nudges ------------------------------------------------------------------------------------


def test_nudges_come_every_so_often_and_once_at_their_time(tmp_path: Path) -> None:
    nudges = read_nudges(
        [{"every": "10m", "say": "shoulders down"}, {"at": "15m", "say": "stand up for a minute"}]
    )
    records, view = timed_run(pomodoro(cycles=1, nudges=nudges), tmp_path)
    said = [(at, e.say) for at, e in view.events if isinstance(e, NudgeDue)]
    assert said == [
        (600, "shoulders down"),
        (900, "stand up for a minute"),
        (1200, "shoulders down"),
    ]  # fmt: skip  (none at 1500: the break is there)
    assert brief(records) == [
        ("work", 1, "completed", 1500, 1500),
        ("break", 1, "completed", 300, 300),
    ]  # fmt: skip  not recorded


def test_a_pause_moves_the_nudges_with_the_active_time(tmp_path: Path) -> None:
    nudges = (Nudge("shoulders down", every_s=600),)
    _, view = timed_run(pomodoro(cycles=1, nudges=nudges), tmp_path, {300: " ", 400: " "})
    said = [at for at, e in view.events if isinstance(e, NudgeDue)]
    assert said == [700, 1300]  # 100 s of pause pushed each one on


def test_cornell_stands_you_up_with_a_nudge_and_no_nudges_turns_it_off(tmp_path: Path) -> None:
    cornell = resolve_settings({"preset": "cornell"}, {})
    assert cornell.block_nudges == (Nudge(STAND_UP, at_s=20 * M),)
    _, view = timed_run(resolve_settings({}, {"preset": "cornell", "cycles": 1}), tmp_path)
    assert [(at, e.say) for at, e in view.events if isinstance(e, NudgeDue)] == [(1200, STAND_UP)]
    quiet = resolve_settings({}, {"preset": "cornell", "cycles": 1, "nudges": ()})
    _, view = timed_run(quiet, tmp_path / "quiet")
    assert not [e for _, e in view.events if isinstance(e, NudgeDue)]
    assert PRESETS["pomodoro"].nudges == ()
    assert PRESETS["sit-stand"].nudges == (Nudge(STAND_UP, at_s=30 * M),)
    assert PRESETS["sit-stand"].stand_after_s == 30 * M and PRESETS["hse"].stand_after_s is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("often", "expected a list"),
        ([{"every": "10m"}], "nudge 1: say: missing"),
        ([{"every": "10m", "say": 3}], "nudge 1: say: expected one line"),
        ([{"say": "x"}], "nudge 1: give either every"),
        ([{"every": "10m", "at": "5m", "say": "x"}], "nudge 1: give either every"),
        ([{"every": "10s", "say": "x"}], "nudge 1: every: at least 1m apart"),
        ([{"at": "20m", "say": "x", "loud": True}], "nudge 1: unknown key 'loud'"),
        ([{"at": "forever", "say": "x"}], "nudge 1: at: not a duration"),
    ],
)
def test_bad_nudges_are_named(value: Any, message: str) -> None:
    with pytest.raises(DataError) as caught:
        resolve_settings({"nudges": value}, {})
    assert f"nudges: {message}" in str(caught.value)


def test_nudges_closer_than_a_minute_across_entries_are_each_named() -> None:
    nudges = [
        {"at": "5m", "say": "x"},
        {"at": "5m", "say": "y"},
        {"at": "5m10s", "say": "z"},
        {"every": "2m", "say": "w"},
    ]
    with pytest.raises(DataError) as caught:
        resolve_settings({"nudges": nudges}, {})
    assert caught.value.problems == [
        "nudges: nudge 2: at 5m comes with nudge 1 (at 5m): say both in one line",
        "nudges: nudge 3: at 5m10s comes within 10s of nudge 1 (at 5m); nudges come at least 1m apart",
        "nudges: nudge 3: at 5m10s comes within 10s of nudge 2 (at 5m); nudges come at least 1m apart",
        "nudges: nudge 4: every 2m comes within 50s of nudge 3 (at 5m10s); nudges come at least 1m apart",
    ]
    with pytest.raises(DataError, match=r"nudge 2: every 2m30s comes within 30s of nudge 1 \(ev"):
        read_nudges([{"every": "2m", "say": "w"}, {"every": "2m30s", "say": "v"}])
    # An `at` exactly on an `every` is said with it (the README's example); the block's start
    # is no moment of an `every`.
    fine = [
        {"every": "10m", "say": "a"},
        {"at": "20m", "say": "b"},
        {"at": "30s", "say": "c"},
        {"every": "15m", "say": "d"},
    ]
    assert len(resolve_settings({"nudges": fine}, {}).block_nudges) == 4


def test_config_check_lists_every_problem_in_the_nudges(paths: Paths) -> None:
    from breakctl.store.config import check_config

    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(
        '[start]\nnudges = [{every = "10s", say = "a"}, {at = "x", say = "b"}, {at = "5m"}]\n'
    )
    problems = check_config(paths.config_file)
    assert [p.partition(":2: ")[2] for p in problems] == [
        "start.nudges: nudge 1: every: at least 1m apart, got '10s'",
        "start.nudges: nudge 2: at: not a duration: 'x' (expected e.g. '25m', '90s', '1h30m', "
        "'1.5h' or 'PT25M')",
        'start.nudges: nudge 3: say: missing, the line to show, e.g. say = "jaw loose"',
    ]


# -- skip_confirm ------------------------------------------------------------------------------

BREAK_AT = 1500.0  # the first break of a pomodoro day starts here


def test_skip_confirm_true_takes_a_second_s_within_3_seconds(tmp_path: Path) -> None:
    settings = pomodoro(cycles=1, skip_confirm=True)
    records, view = timed_run(settings, tmp_path, {BREAK_AT + 10: "s", BREAK_AT + 12: "s"})
    assert [(at, e) for at, e in view.events if isinstance(e, SkipAsked)] == [
        (BREAK_AT + 10, SkipAsked(None, 3.0))
    ]
    assert brief(records)[1] == ("break", 1, "skipped", 300, 12)


@pytest.mark.parametrize(("script", "why"), [({12: "x"}, "other key"), ({}, "timeout")])
def test_skip_confirm_keeps_the_break_on_any_other_key_or_no_answer(
    tmp_path: Path, script: dict[float, str], why: str
) -> None:
    keys = {BREAK_AT + 10: "s", **{BREAK_AT + at: key for at, key in script.items()}}
    records, view = timed_run(pomodoro(cycles=1, skip_confirm=True), tmp_path, keys)
    kept = [(at, e) for at, e in view.events if isinstance(e, SkipKept)]
    assert kept == [(BREAK_AT + (12 if script else 13), SkipKept(why))]
    assert brief(records)[1] == ("break", 1, "completed", 300, 300)


def test_a_second_s_after_the_3_seconds_asks_again(tmp_path: Path) -> None:
    keys = {BREAK_AT + 10: "s", BREAK_AT + 14: "s"}
    records, view = timed_run(pomodoro(cycles=1, skip_confirm=True), tmp_path, keys)
    assert [at for at, e in view.events if isinstance(e, SkipAsked)] == [
        BREAK_AT + 10,
        BREAK_AT + 14,
    ]
    assert brief(records)[1][2] == "completed"


def test_skip_confirm_word_takes_the_word_shown(tmp_path: Path) -> None:
    settings = pomodoro(cycles=1, skip_confirm="word")
    records, view = timed_run(settings, tmp_path, {BREAK_AT + 10: "s"}, word="stretch")
    assert [e for _, e in view.events if isinstance(e, SkipAsked)] == [SkipAsked("stretch", 10)]
    assert brief(records)[1][2] == "completed"  # not typed: kept
    assert view.messages == [  # the answer is listed at the end, the question is not
        ("to skip, type stretch (within 10 s); any other key keeps it", False),
        ("not skipped: no answer in time", True),
    ]
    keys = {BREAK_AT + 10: "s", **{BREAK_AT + 11 + i: c for i, c in enumerate("stretch")}}
    records, view = timed_run(settings, tmp_path / "typed", keys, word="stretch")
    typed = [e.so_far for _, e in view.events if isinstance(e, Typed)]
    assert typed == ["s", "st", "str", "stre", "stret", "stretc"]
    assert brief(records)[1] == ("break", 1, "skipped", 300, 17)
    # The questions pass with the answer: none is listed when the day's screen ends.
    assert [text for text, listed in view.messages if not listed] == [
        "to skip, type stretch (within 10 s); any other key keeps it",
        *(f"to skip, type the word: {so_far}" for so_far in typed),
    ]
    assert [text for text, listed in view.messages if listed] == []


def test_the_word_to_type_is_drawn_from_short_words() -> None:
    from breakctl.core.day import Session
    from tests.test_engine import always

    session = Session(pomodoro(skip_confirm="word"), always(None))
    assert {session.skip_guard.pick() for _ in range(50)} <= set(WORDS)


def test_skip_confirm_word_keeps_the_break_on_a_wrong_letter(tmp_path: Path) -> None:
    settings = pomodoro(cycles=1, skip_confirm="word")
    keys = {BREAK_AT + 10: "s", BREAK_AT + 11: "w", BREAK_AT + 12: "x"}
    records, view = timed_run(settings, tmp_path, keys)
    assert any(isinstance(e, SkipKept) for _, e in view.events)
    assert brief(records)[1][2] == "completed"


def test_skip_confirm_in_work_asks_before_the_next_break_is_skipped(tmp_path: Path) -> None:
    records, _ = timed_run(
        pomodoro(cycles=1, skip_confirm=True), tmp_path, {100: "s", 101: "q", 102: "q"}
    )
    assert [r["outcome"] for r in records] == ["interrupted"]  # q answered "keep", q quit
    records, _ = timed_run(
        pomodoro(cycles=1, skip_confirm=True), tmp_path / "2", {100: "s", 101: "s"}
    )
    assert [(r["kind"], r["outcome"]) for r in records] == [
        ("work", "completed"),
        ("break", "skipped"),
    ]


def test_strict_refuses_at_once_without_asking(tmp_path: Path) -> None:
    _, view = timed_run(
        pomodoro(cycles=1, skip_confirm=True, strict=True), tmp_path, {BREAK_AT + 10: "s"}
    )
    assert not any(isinstance(e, SkipAsked) for _, e in view.events)
    assert any(isinstance(e, Refused) for _, e in view.events)


def test_a_skip_from_another_terminal_is_not_asked(tmp_path: Path) -> None:
    host = FakeHost()

    class Keys:
        def __init__(self, clock: FakeClock) -> None:
            self.clock = clock

        def wait(self, timeout: float) -> str | None:
            if self.clock.monotonic() + timeout >= BREAK_AT + 10 and not host.replies:
                self.clock.sleep(BREAK_AT + 10 - self.clock.monotonic())
                host.controls.append("skip")
                return None
            self.clock.sleep(timeout)
            return None

    clock = FakeClock(START)
    records, _, _, _ = run(
        pomodoro(cycles=1, skip_confirm=True), tmp_path, Keys(clock), host=host, clock=clock
    )
    assert brief(records)[1][2] == "skipped"


# -- postpone_payback --------------------------------------------------------------------------


def test_postponed_minutes_come_off_the_next_block(tmp_path: Path) -> None:
    records, _, _, _ = run(
        pomodoro(cycles=2, postpone_payback=True), tmp_path, {1400: "+", 1600: "+"}, choose=None
    )
    work = [(r["cycle"], r["planned_s"], r["active_s"]) for r in records if r["kind"] == "work"]
    assert work == [(1, 1500, 2100), (2, 900, 900)]  # 10 min postponed, 10 min paid back


def test_without_payback_the_next_block_is_whole(tmp_path: Path) -> None:
    records, _, _, _ = run(pomodoro(cycles=2), tmp_path, {1400: "+"})
    work = [(r["cycle"], r["planned_s"]) for r in records if r["kind"] == "work"]
    assert work == [(1, 1500), (2, 1500)]


# -- start_on_pause ----------------------------------------------------------------------------


def test_a_break_due_while_typing_begins_at_the_next_pause(tmp_path: Path) -> None:
    # Typing until 1520, then 3 s without input: the break begins at the first reading after.
    records, view, _, _ = presence_day(tmp_path, [(1520, 9999)], cycles=1, start_on_pause_s=45.0)
    work, taken = records[0], records[1]
    assert any(isinstance(e, BreakDeferred) for e in view.events)
    assert work["planned_s"] == 1500 and 1523 <= work["active_s"] <= 1524
    assert taken["kind"] == "break" and taken["started"] == work["ended"]


def test_a_break_due_waits_no_longer_than_start_on_pause(tmp_path: Path) -> None:
    records, view, _, _ = presence_day(tmp_path, [], cycles=1, start_on_pause_s=45.0)
    assert records[0]["active_s"] == 1545  # typing on: the break begins after 45 s anyway
    assert [e for e in view.events if isinstance(e, BreakDeferred)] == [BreakDeferred(45.0)]


def test_without_presence_the_break_begins_at_once(tmp_path: Path) -> None:
    records, view, _, _ = presence_day(tmp_path, [], cycles=1, rules=None, start_on_pause_s=45.0)
    assert records[0]["active_s"] == 1500
    assert not [e for e in view.events if isinstance(e, BreakDeferred)]
    assert any(isinstance(e, BreakStarted) for e in view.events)
