"""Random key presses at random times, through the real loop on a fake clock: whatever a
person does, the history that comes out must make sense."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from breakctl.history import History, HistoryRecord, parse_record
from breakctl.plan import resolve_settings
from tests.fakes import FakeClock, ScriptedKeys
from tests.test_engine import ROUTINE, START, FakeHost, NullView, always

OUTCOMES = {"work": {"completed", "interrupted"},
            "break": {"completed", "skipped", "postponed", "interrupted"}}  # fmt: skip


class BoundedKeys(ScriptedKeys):
    """Scripted keys that fail the test instead of looping forever."""

    def wait(self, timeout: float) -> str | None:
        if self.waits > 200_000:
            raise AssertionError("the session never ended")
        return super().wait(timeout)


@pytest.mark.parametrize("seed", range(100))
def test_random_presses_leave_a_sane_history(tmp_path: Path, seed: int) -> None:
    from breakctl.engine import Session
    from breakctl.runner import run_session

    rng = random.Random(seed)
    settings = replace(resolve_settings({}, {}), cycles=3, wait=rng.random() < 0.3)
    clock = FakeClock(START)
    presses = {
        round(rng.uniform(0, 9000), 1): rng.choice(" bs+nq ") for _ in range(rng.randint(0, 25))
    }
    presses = {at: key for at, key in presses.items() if key != "q" or rng.random() < 0.3}
    if settings.wait:  # someone has to press on after each phase
        presses.update({float(t): " " for t in range(600, 20000, 600)})
    presses[40_000.0] = "q"  # a paused or waiting session rightly waits for a person: end it
    keys = BoundedKeys(clock, dict(presses))
    history = History(tmp_path / "history.jsonl")
    routine = ROUTINE if rng.random() < 0.5 else None
    session = Session(settings, always(routine))
    run_session(session, clock=clock, keys=keys, view=NullView(), history=history, host=FakeHost())

    lines = history.path.read_bytes().splitlines()
    records = [parse_record(line, n) for n, line in enumerate(lines, 1)]
    assert all(isinstance(r, HistoryRecord) for r in records), records
    previous_end: datetime | None = None
    for record in records:
        raw = record.raw
        assert record.outcome in OUTCOMES[record.kind], raw
        assert 1 <= raw["cycle"] <= 3
        wall = (record.ended - record.started).total_seconds()
        assert -1e-6 <= record.active_s <= wall + 1e-6, raw
        assert record.active_s + raw["paused_s"] <= wall + 1e-3, raw
        if previous_end is not None:
            assert record.started >= previous_end - (record.ended - record.started), raw
        previous_end = record.ended
        if record.kind == "break":
            assert all(s.active_s >= 0 for s in record.steps)
    assert sum(r.outcome == "interrupted" for r in records) <= 1
    if session.ended == "cycles":  # not quit: every block ran and the last break happened
        ends = [(r.kind, r.raw["cycle"]) for r in records if r.outcome in ("completed", "skipped")]
        assert ends[-1] == ("break", 3), json.dumps([r.raw for r in records])[:2000]
    else:
        assert session.ended == "quit" and any(at for at, key in presses.items() if key == "q")


@pytest.mark.parametrize("seed", range(100))
def test_random_presses_in_a_routine_leave_a_sane_record(tmp_path: Path, seed: int) -> None:
    from breakctl.library import Catalog, builtin_dir
    from breakctl.runner import run_routine
    from tests.fakes import RecordingView

    rng = random.Random(seed)
    catalog = Catalog(builtin_dir(), tmp_path / "none")
    routine = catalog.load(rng.choice(["micro", "desk", "neck", "floor"]))
    clock = FakeClock(START)
    presses = {
        round(rng.uniform(0, routine.planned_s * 1.5), 2): rng.choice(" nnq ")
        for _ in range(rng.randint(0, 12))
    }
    presses[100_000.0] = "q"
    history = History(tmp_path / "history.jsonl")
    record = run_routine(
        routine,
        clock=clock,
        keys=BoundedKeys(clock, presses),
        view=RecordingView(),
        history=history,
    )
    (stored,) = [parse_record(line, 1) for line in history.path.read_bytes().splitlines()]
    assert isinstance(stored, HistoryRecord) and stored.raw == record
    assert record["outcome"] in {"completed", "quit"}
    assert [s["exercise"] for s in record["steps"]] == [s.exercise.id for s in routine.steps]
    outcomes = [s["outcome"] for s in record["steps"]]
    assert set(outcomes) <= {"done", "skipped", "not-reached"}
    # Steps go done/skipped ... then not-reached: nothing is reached after a step not reached.
    assert outcomes == sorted(outcomes, key=lambda o: o == "not-reached")
    wall = (stored.ended - stored.started).total_seconds()
    assert sum(s["active_s"] for s in record["steps"]) <= record["active_s"] + 1e-3
    assert record["active_s"] + record["paused_s"] <= wall + 1e-3
    if record["outcome"] == "completed":
        assert "not-reached" not in outcomes
        assert all(
            s["active_s"] == step.seconds
            for s, step in zip(record["steps"], routine.steps, strict=True)
            if s["outcome"] == "done"
        )
