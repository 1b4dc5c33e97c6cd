"""Random key presses at random times, through the real loop on a fake clock: whatever a
person does, the history that comes out must make sense. Hypothesis draws the presses (and
shrinks a failure to the fewest); CI runs a fixed, derandomized profile (tests/conftest.py)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from breakctl.core.day import Session
from breakctl.core.record_codec import to_dict
from breakctl.core.records import Record
from breakctl.core.settings import resolve_settings
from breakctl.host.routine.loop import run_routine
from breakctl.host.session.loop import run_session
from breakctl.store.history import History, HistoryReader
from breakctl.store.library import Catalog, builtin_dir
from tests.fakes import FakeClock, JumpingKeys, RecordingView
from tests.test_engine import ROUTINE, START, FakeHost, NullView, always

OUTCOMES = {
    "work": {"completed", "interrupted"},
    "break": {"completed", "skipped", "postponed", "interrupted", "cut-short"},
}
CATALOG = Catalog(builtin_dir(), Path("/nonexistent"))


class BoundedKeys(JumpingKeys):
    """Scripted keys that fail the test instead of looping forever. The clock jumps over the
    hours a paused or waiting run spends until the next press: that time is counted from
    timestamps, and ticking through it (a loop turn a second, up to the closing q at 40,000 s)
    took most of this file's time and a quarter of the suite's."""

    def wait(self, timeout: float) -> str | None:
        if self.waits > 200_000:
            raise AssertionError("the session never ended")
        return super().wait(timeout)


def read_back(history: History) -> list[Record]:
    items = [item for _, _, item in HistoryReader(history.path).scan() if item is not None]
    assert all(isinstance(i, Record) for i in items), items
    return items  # type: ignore[return-value]


presses_in = st.dictionaries(
    st.floats(0, 9000).map(lambda t: round(t, 1)), st.sampled_from(" bs+nq"), max_size=25
)


@given(presses=presses_in, wait=st.booleans(), with_routine=st.booleans())
def test_random_presses_leave_a_sane_history(
    presses: dict[float, str], wait: bool, with_routine: bool
) -> None:
    settings = replace(resolve_settings({}, {}), cycles=3, wait=wait)
    clock = FakeClock(START)
    presses = dict(presses)
    if wait:  # someone has to press on after each phase
        presses.update({float(t): " " for t in range(600, 20000, 600)})
    presses[40_000.0] = "q"  # a paused or waiting session rightly waits for a person: end it
    session = Session(settings, always(ROUTINE if with_routine else None))
    keys = BoundedKeys(
        clock, dict(presses), idle=lambda: session.next_wake(clock.monotonic()) is None
    )
    with tempfile.TemporaryDirectory() as folder:
        history = History(Path(folder) / "history.jsonl")
        run_session(
            session, clock=clock, keys=keys, view=NullView(), history=history, host=FakeHost()
        )
        records = read_back(history)
    previous_end: datetime | None = None
    for record in records:
        assert record.outcome in OUTCOMES[record.kind], record
        assert record.cycle is not None and 1 <= record.cycle <= 3
        wall = (record.ended - record.started).total_seconds()
        assert -1e-6 <= record.active_s <= wall + 1e-6, record
        assert record.active_s + record.paused_s <= wall + 1e-3, record
        if previous_end is not None:
            assert record.started >= previous_end - (record.ended - record.started), record
        previous_end = record.ended
    assert sum(r.outcome == "interrupted" for r in records) <= 1
    if session.ended == "cycles":  # not quit: every block ran and the last break happened
        ends = [
            (r.kind, r.cycle) for r in records if r.outcome in ("completed", "skipped", "cut-short")
        ]
        assert ends[-1] == ("break", 3), records
    else:
        assert session.ended == "quit" and any(at for at, key in presses.items() if key == "q")


@given(
    name=st.sampled_from(["micro", "desk", "neck", "floor"]),
    fractions=st.dictionaries(
        st.floats(0, 1.5).map(lambda t: round(t, 4)), st.sampled_from(" nq"), max_size=12
    ),
)
def test_random_presses_in_a_routine_leave_a_sane_record(
    name: str, fractions: dict[float, str]
) -> None:
    routine = CATALOG.load(name)
    clock = FakeClock(START)
    presses = {round(f * routine.planned_s, 2): key for f, key in fractions.items()}
    presses[100_000.0] = "q"
    view = RecordingView()
    keys = BoundedKeys(
        clock, presses, idle=lambda: bool(view.snapshots) and view.snapshots[-1].paused
    )
    with tempfile.TemporaryDirectory() as folder:
        history = History(Path(folder) / "history.jsonl")
        record = run_routine(routine, clock=clock, keys=keys, view=view, history=history)
        (stored,) = read_back(history)
    assert to_dict(stored) == to_dict(record)
    assert record.outcome in {"completed", "quit"}
    steps = record.steps or ()
    assert [s.exercise for s in steps] == [s.exercise.id for s in routine.steps]
    outcomes = [s.outcome for s in steps]
    assert set(outcomes) <= {"done", "skipped", "not-reached"}
    # Steps go done/skipped ... then not-reached: nothing is reached after a step not reached.
    assert outcomes == sorted(outcomes, key=lambda o: o == "not-reached")
    wall = (stored.ended - stored.started).total_seconds()
    assert sum(s.active_s for s in steps) <= record.active_s + 1e-3
    assert record.active_s + record.paused_s <= wall + 1e-3
    if record.outcome == "completed":
        assert "not-reached" not in outcomes
        assert all(
            s.active_s == step.seconds
            for s, step in zip(steps, routine.steps, strict=True)
            if s.outcome == "done"
        )
