"""A routine driven by the real loop on a fake clock: full run, pause, skip, quit, Ctrl-C."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from breakctl.core.errors import StorageError
from breakctl.core.model import Exercise, Routine, Step
from breakctl.core.record_codec import to_dict
from breakctl.core.routine_run import (
    Finished,
    Paused,
    Resumed,
    RoutineRun,
    SegmentStarted,
    StepSkipped,
)
from breakctl.host.routine.loop import run_routine
from breakctl.store.history import History
from breakctl.store.library import Catalog
from tests.fakes import FakeClock, RecordingView, ScriptedKeys

HOLD = Exercise("hold-it", "Hold it", "standing", ("core",), ("Hold.",), hold_s=10)
REPS = Exercise("rep-it", "Rep it", "seated", ("neck",), ("Rep.",), reps=4, pace_s=2, sides=True)
# ready 5 | hold 10 | ready 5 | left 8 | switch 3 | right 8  = 39 s
ROUTINE = Routine(
    name="two",
    title="Two steps",
    summary="",
    rest_s=5,
    steps=(Step(HOLD, 10, None, None, False), Step(REPS, None, 4, 2, True)),
    source="user",
)


def run(
    clock: FakeClock, tmp_path: Path, script: dict[float, str | BaseException] | None = None
) -> tuple[dict, RecordingView, list[dict]]:
    view = RecordingView()
    view.clock = clock
    history = History(tmp_path / "h" / "history.jsonl")
    keys = ScriptedKeys(clock, script or {})
    record = to_dict(run_routine(ROUTINE, clock=clock, keys=keys, view=view, history=history))
    lines = history.path.read_text().splitlines()
    return record, view, [json.loads(line) for line in lines]


def without_id(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "id"}


def test_full_run_records_exactly_what_happened(clock: FakeClock, tmp_path: Path) -> None:
    record, view, stored = run(clock, tmp_path)
    assert stored == [record]
    assert len(record["id"]) == 32
    assert without_id(record) == {
        "v": 1,
        "kind": "routine",
        "routine": "two",
        "started": "2026-03-02T09:00:00.000+01:00",
        "ended": "2026-03-02T09:00:39.000+01:00",
        "planned_s": 39,
        "active_s": 39,
        "paused_s": 0,
        "outcome": "completed",
        "steps": [
            {"exercise": "hold-it", "outcome": "done", "active_s": 10},
            {"exercise": "rep-it", "outcome": "done", "active_s": 19},
        ],
    }
    starts = [
        (at, e.segment.kind, e.segment.side)
        for at, e in view.events
        if isinstance(e, SegmentStarted)
    ]
    assert starts == [
        (0, "ready", None),
        (5, "work", None),
        (15, "ready", None),
        (20, "work", "left"),
        (28, "switch", "right"),
        (31, "work", "right"),
    ]
    assert view.events[-1] == (39, Finished("completed"))


def test_redraws_once_a_second_and_counts_reps(clock: FakeClock, tmp_path: Path) -> None:
    _, view, _ = run(clock, tmp_path)
    assert len(view.snapshots) <= 39 + 8  # one per shown second, plus segment and rep changes
    left = [s.rep for s in view.snapshots if s.segment and s.segment.side == "left"]
    assert sorted(set(left)) == [1, 2, 3, 4]
    remaining = [round(s.remaining_s) for s in view.snapshots]
    assert remaining == sorted(remaining, reverse=True)


def test_pause_adds_to_ended_but_not_to_active(clock: FakeClock, tmp_path: Path) -> None:
    record, view, _ = run(clock, tmp_path, {12.0: " ", 42.0: " "})
    assert record["active_s"] == 39
    assert record["paused_s"] == 30
    assert record["ended"] == "2026-03-02T09:01:09.000+01:00"
    assert record["steps"][0]["active_s"] == 10
    kinds = [type(e) for _, e in view.events]
    assert Paused in kinds and Resumed in kinds
    # The paused screen redraws once a second with how long it has been paused.
    assert [s.paused_for_s for s in view.snapshots if s.paused] == list(range(30))


def test_n_skips_the_step_and_moves_on(clock: FakeClock, tmp_path: Path) -> None:
    record, view, _ = run(clock, tmp_path, {7.0: "n"})
    assert record["outcome"] == "completed"
    assert record["steps"] == [
        {"exercise": "hold-it", "outcome": "skipped", "active_s": 2},
        {"exercise": "rep-it", "outcome": "done", "active_s": 19},
    ]
    assert record["active_s"] == 7 + 5 + 19
    assert (7.0, StepSkipped(0)) in view.events


def test_q_quits_keeping_what_was_done(clock: FakeClock, tmp_path: Path) -> None:
    record, _, stored = run(clock, tmp_path, {22.0: "q"})
    assert stored == [record]
    assert record["outcome"] == "quit"
    assert record["active_s"] == 22
    assert record["steps"] == [
        {"exercise": "hold-it", "outcome": "done", "active_s": 10},
        {"exercise": "rep-it", "outcome": "skipped", "active_s": 2},
    ]


def test_quit_while_getting_ready_leaves_the_step_not_reached(
    clock: FakeClock, tmp_path: Path
) -> None:
    record, _, _ = run(clock, tmp_path, {17.0: "q"})
    assert [s["outcome"] for s in record["steps"]] == ["done", "not-reached"]


def test_ctrl_c_records_the_run_then_propagates(clock: FakeClock, tmp_path: Path) -> None:
    history = History(tmp_path / "history.jsonl")
    keys = ScriptedKeys(clock, {12.5: KeyboardInterrupt()})
    with pytest.raises(KeyboardInterrupt):
        run_routine(ROUTINE, clock=clock, keys=keys, view=RecordingView(), history=history)
    (record,) = [json.loads(line) for line in history.path.read_text().splitlines()]
    assert record["outcome"] == "quit"
    assert record["active_s"] == 12.5
    assert record["steps"][0] == {"exercise": "hold-it", "outcome": "skipped", "active_s": 7.5}


def test_unwritable_history_fails_before_the_routine_starts(
    clock: FakeClock, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    history = History(blocker / "history.jsonl")
    with pytest.raises(StorageError, match="cannot write history"):
        run_routine(
            ROUTINE,
            clock=clock,
            keys=ScriptedKeys(clock, {}),
            view=RecordingView(),
            history=history,
        )
    assert clock.monotonic() == 0


def test_a_late_wake_does_not_shift_later_segments() -> None:
    run_ = RoutineRun(ROUTINE, started_at=100.0)
    run_.start()
    events = run_.advance(100.0 + 5.7)  # woke 0.7 s late for the end of get-ready
    assert [e.segment.kind for e in events if isinstance(e, SegmentStarted)] == ["work"]
    assert run_.snapshot(105.7).segment_remaining_s == pytest.approx(9.3)
    events = run_.advance(100.0 + 40)  # slept through everything else
    assert events[-1] == Finished("completed")
    assert [s.active_s for s in run_.steps] == [10, 19]


def test_a_builtin_routine_runs_in_milliseconds(
    catalog: Catalog, clock: FakeClock, tmp_path: Path
) -> None:
    lunch = catalog.load("lunch")
    history = History(tmp_path / "history.jsonl")
    record = run_routine(
        lunch, clock=clock, keys=ScriptedKeys(clock, {}), view=RecordingView(), history=history
    )
    assert record.outcome == "completed"
    assert record.active_s == record.planned_s == lunch.planned_s
    assert all(step.outcome == "done" for step in record.steps or ())
