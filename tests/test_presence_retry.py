"""A presence source that fails and comes back (#22), on the fake clock: the retry policy's
exact timing, the lines it says, a day that goes on by the clock alone meanwhile, and nothing
left waiting for an input that cannot be seen (an absence, a break waiting for the person)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from breakctl.core.day import Session
from breakctl.core.presence_retry import PresenceRetry, retry_delay
from breakctl.host.session.loop import run_session
from breakctl.store.history import History
from tests.fakes import FakeClock, ScriptedKeys
from tests.test_engine import ROUTINE, START, FakeHost, NullView, always, pomodoro
from tests.test_presence_day import RULES, Absences, at, shape

Spans = Sequence[tuple[float, float]]
WHY = "command 'idle-ms' failed (exit 1): lost the display"
NEVER_BACK = 10**9  # an absence or failure that lasts past the end of the day


class Froze(Exception):
    """A day that should have ended long ago is still running."""


class FailingSource(Absences):
    """Absences, and spans where every reading fails; each reading's time is kept."""

    name = "command"

    def __init__(self, clock: FakeClock, absent: Spans, failing: Spans) -> None:
        super().__init__(clock, absent)
        self.failing = failing
        self.read_at: list[float] = []
        self.failure: str | None = None

    def idle_s(self) -> float | None:
        now = self.clock.monotonic()
        self.read_at.append(now)
        if any(start <= now < end for start, end in self.failing):
            self.failure = WHY
            return None
        return super().idle_s()

    def take_failure(self) -> str | None:
        failure, self.failure = self.failure, None
        return failure


def day(
    tmp_path: Path, absent: Spans, failing: Spans, **settings: Any
) -> tuple[list[dict[str, Any]], NullView, FakeHost, FailingSource]:
    clock = FakeClock(START)
    source = FailingSource(clock, absent, failing)
    history = History(tmp_path / "history.jsonl")
    view, host = NullView(), FakeHost()
    session = Session(pomodoro(**settings), always(settings.pop("routine", None)), presence=RULES)
    # A day that froze would run on for ever: this stops it long after it should have ended.
    keys = ScriptedKeys(clock, {20_000.0: Froze("the day was still running at 20000 s")})
    run_session(
        session, clock=clock, keys=keys, view=view, history=history, host=host, presence=source
    )
    records = [json.loads(line) for line in history.path.read_text().splitlines()]
    return records, view, host, source


def said(view: NullView) -> list[str]:
    """The lines about the presence source itself."""
    return [line for line in view.messages if line.startswith("presence ")]


def test_the_wait_between_tries_doubles_from_5_s_to_5_min() -> None:
    assert [retry_delay(n) for n in range(1, 10)] == [5, 10, 20, 40, 80, 160, 300, 300, 300]


def test_the_policy_on_an_injected_clock() -> None:
    now = [100.0]
    retry = PresenceRetry("gnome", lambda: now[0])
    assert (retry.state, retry.due()) == ("ok", True)
    lost = retry.failed("no org.gnome.Mutter.IdleMonitor on the session bus")
    assert lost is not None and lost.change == "lost"
    assert lost.text == (
        "presence lost: gnome stopped working (no org.gnome.Mutter.IdleMonitor on the session "
        "bus); counting by the clock alone, retrying in 5s"
    )
    assert (retry.state, retry.next_try, retry.due()) == ("retrying", 105.0, False)
    now[0] = 105.0
    assert retry.due()
    assert retry.failed("again") is None  # still failing is no change
    assert retry.next_try == 115.0
    for _ in range(4):  # 20 s, 40 s, 80 s, 160 s: still no line
        assert retry.failed("again") is None
    ceiling = retry.failed("still")
    assert ceiling is not None and ceiling.change == "retrying"
    assert ceiling.text == "presence retrying: gnome still fails (still); trying again every 5m"
    assert retry.failed("still") is None  # the ceiling is said once
    back = retry.worked()
    assert back is not None and (back.change, back.text) == (
        "back",
        "presence back: gnome works again",
    )
    assert (retry.state, retry.next_try, retry.due(), retry.worked()) == ("ok", None, True, None)
    lost_then = PresenceRetry("x11", lambda: 0.0).failed("gone", then="the break starts now")
    assert lost_then is not None and lost_then.text.endswith("retrying in 5s; the break starts now")


def test_a_failing_source_is_retried_with_backoff_and_comes_back(tmp_path: Path) -> None:
    # Away during the break only, so it is not worked through.
    records, view, host, source = day(tmp_path, [(1500, 1800)], [(100, 1000)], cycles=1)
    # Read every 5 s while it works; after the failure at 100 s, 5 s later, then 10, 20, 40,
    # 80, 160, 300, 300 s; at 1015 s it works again and the 5 s rhythm comes back.
    tries = [100, 105, 115, 135, 175, 255, 415, 715, 1015]
    during = [t for t in source.read_at if 100 <= t <= 1015]
    assert during == pytest.approx(tries)
    assert source.read_at[source.read_at.index(1015) + 1] == pytest.approx(1020)
    assert said(view) == [
        f"presence lost: command stopped working ({WHY}); counting by the clock alone, "
        "retrying in 5s",
        f"presence retrying: command still fails ({WHY}); trying again every 5m",
        "presence back: command works again",
    ]
    # The day went on by the clock alone: the block and its break are exactly the clock-only
    # day's.
    assert [shape(r) for r in records] == [
        ("work", 1, "completed", at(0), at(1500), 1500, 0, False),
        ("break", 1, "completed", at(1500), at(1800), 300, 0, False),
    ]
    changes = [(s["presence"], s["heartbeat"]) for s in host.states]
    changes = [c for i, c in enumerate(changes) if i == 0 or c[0] != changes[i - 1][0]]
    assert changes == [("ok", at(0)), ("retrying", at(100)), ("ok", at(1015))]  # at once
    states = [state["presence"] for state in host.states]
    assert states[0] == "ok" and "retrying" in states and states[-1] == "ok"
    first_retrying = states.index("retrying")
    assert set(states[first_retrying : states.index("ok", first_retrying)]) == {"retrying"}


def test_presence_lost_while_away_resumes_the_block_at_that_moment(tmp_path: Path) -> None:
    # Away from 300 s (noticed at 420 s, 2 min later); the source fails at 600 s and never
    # comes back. The 300 s away stay away time; the block counts again from 600 s.
    records, view, _, _ = day(tmp_path, [(300, NEVER_BACK)], [(600, NEVER_BACK)], cycles=1)
    work, rest = records
    assert shape(work) == ("work", 1, "completed", at(0), at(1800), 1500, 300, False)
    assert work["paused_s"] == 0
    # Nobody could be seen at the break either: it runs by the clock, not waiting for anyone.
    assert shape(rest) == ("break", 1, "completed", at(1800), at(2100), 300, 0, False)
    lost, retrying = said(view)  # the source never came back: 5 min later, its rhythm
    assert lost.endswith("; you were away: the block counts again from now")
    assert retrying.startswith("presence retrying: command still fails")


def test_an_absence_seen_again_after_the_failure_starts_when_sight_came_back(
    tmp_path: Path,
) -> None:
    # Away 300-900 s; the source fails from 600 s to 700 s, and works at the retry at 755 s:
    # still idle, away again, but from 755 s: 600-755 s was counted while nothing could be
    # seen, and stays counted. Back at 900 s: away 300 + 145 s, both shorter than a break.
    records, view, _, _ = day(tmp_path, [(300, 900)], [(600, 700)], cycles=1)
    work = records[0]
    assert shape(work) == ("work", 1, "completed", at(0), at(1945), 1500, 445, False)
    assert said(view)[-1] == "presence back: command works again"


def test_a_break_waiting_for_the_person_starts_when_presence_is_lost(tmp_path: Path) -> None:
    # Idle from 1400 s: the break due at 1500 s waits for the person; away from 1500 s (its
    # start), noticed at 1520 s; the source fails at 1600 s. The routine starts then.
    records, view, _, _ = day(
        tmp_path, [(1400, NEVER_BACK)], [(1600, NEVER_BACK)], cycles=1, routine=ROUTINE
    )
    work, rest = records
    assert shape(work) == ("work", 1, "completed", at(0), at(1500), 1500, 0, False)
    assert (rest["started"], rest["ended"], rest["routine"]) == (at(1500), at(1900), "two-min")
    assert (rest["outcome"], rest["active_s"], rest["away_s"]) == ("completed", 300, 100)
    lost = said(view)[0]
    assert lost.startswith("presence lost: command stopped working")
    assert lost.endswith("; the break starts now, without waiting for you")


def test_a_day_without_presence_says_off(tmp_path: Path) -> None:
    clock = FakeClock(START)
    host = FakeHost()
    run_session(
        Session(pomodoro(cycles=1), always(None)),
        clock=clock,
        keys=ScriptedKeys(clock, {}),
        view=NullView(),
        history=History(tmp_path / "history.jsonl"),
        host=host,
    )
    assert {state["presence"] for state in host.states} == {"off"}


def test_a_break_deferred_for_a_pause_in_typing_starts_when_presence_is_lost(
    tmp_path: Path,
) -> None:
    # Typing when the block ends at 1500 s: the break waits (up to 45 s) for a pause in the
    # typing, read every second; the source fails at 1502 s, and the pause can no longer be
    # seen: the break starts then, not 43 s later.
    records, _, _, _ = day(
        tmp_path, [(1502, NEVER_BACK)], [(1502, NEVER_BACK)], cycles=1, start_on_pause_s=45.0
    )
    work, rest = records
    assert (work["ended"], work["active_s"], work["outcome"]) == (at(1502), 1502, "completed")
    assert (rest["started"], rest["ended"]) == (at(1502), at(1802))
