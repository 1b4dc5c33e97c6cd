"""Corrections that make sense only: `history edit/add` refuse what no day could have written
(exit 2, nothing written); the latest correction made wins, and one made on a machine whose
clock ran ahead cannot freeze a record (#18)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from breakctl.core.corrections import resolve
from breakctl.core.record_codec import encode
from breakctl.core.records import Correction
from breakctl.store.paths import Paths
from tests.history_helpers import written
from tests.test_corrections import MADE, PREFIX, TAKEN, correct, correction
from tests.test_history_folder import run
from tests.test_stats import FRIDAY_EVENING, HAND_BUILT, write_history

SKIPPED = "break-2026-03-02T09:55"  # Monday's skipped break: 0 s, started = ended
WORK = "work-2026-03-02T09:00"


@pytest.fixture
def corrected(paths: Paths) -> Paths:
    write_history(paths, HAND_BUILT)
    return paths


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("edit", SKIPPED, "--outcome", "completed"), "a completed break needs time taken"),
        (("edit", WORK, "--outcome", "worked-through"), "a work record is one of completed"),
        (("edit", WORK, "--outcome", "skipped"), "a work record is one of completed"),
        (("edit", PREFIX, "--outcome", "quit"), "a break record is one of"),
        (("edit", PREFIX, "--routine", "no-such-routine"), "--routine: no routine named"),
        (("edit", PREFIX, "--ended", "2026-03-09T10:00"), "would end in the future"),
        (
            ("add", "break", "--at", "10:00", "--duration", "10m", "--day", "2026-03-07"),
            "in the future",
        ),
        (("add", "break", "--at", "17:55", "--duration", "10m"), "in the future"),
        (
            ("add", "routine", "--at", "10:00", "--duration", "5m", "--routine", "nope"),
            "--routine: no routine named 'nope'",
        ),
        (("add", "break", "--at", "10:00", "--duration", "0m"), "expected more than 0"),
    ],
)
def test_nonsense_is_refused_with_a_clear_error(
    corrected: Paths, args: tuple[str, ...], said: str
) -> None:
    result = run(corrected, "history", *args)
    assert result.exit_code == 2, result.output
    assert said in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert written(corrected) == []


def test_a_skipped_break_made_completed_takes_its_span(corrected: Paths) -> None:
    correct(corrected, "edit", SKIPPED, "--outcome", "completed", "--ended", "10:00")
    rows = [json.loads(x) for x in run(corrected, "history", "--json").stdout.splitlines()]
    (row,) = [r for r in rows if r["id"].startswith(SKIPPED)]
    assert row["outcome"] == "completed" and row["active_s"] == 300


def test_an_edit_of_the_span_keeps_every_number_within_it(corrected: Paths) -> None:
    paused = [{**r, "paused_s": 200, "active_s": 100} if r is TAKEN else r for r in HAND_BUILT]
    write_history(corrected, paused)
    correct(corrected, "edit", PREFIX, "--ended", "09:27")
    rows = [json.loads(x) for x in run(corrected, "history", "--json").stdout.splitlines()]
    (row,) = [r for r in rows if r["id"] == TAKEN["id"]]
    assert row["active_s"] + row["paused_s"] <= 120
    assert all(step["active_s"] <= 120 for step in row["steps"])


def outcome_of(paths: Paths, prefix: str) -> str:
    rows = [json.loads(x) for x in run(paths, "history", "--json").stdout.splitlines()]
    (row,) = [r for r in rows if r["id"].startswith(prefix)]
    return str(row["outcome"])


def test_a_correction_from_a_clock_ahead_cannot_freeze_a_record(corrected: Paths) -> None:
    folder = corrected.data_dir / "history"
    folder.mkdir()
    ahead = json.loads(encode(correction("f1", "edit", TAKEN["id"], 60 * 24 * 300)))
    ahead["record"] = {**TAKEN, "outcome": "interrupted"}
    (folder / "fast-clock.jsonl").write_text(json.dumps(ahead) + "\n")
    assert outcome_of(corrected, PREFIX) == "interrupted"  # the only correction: it counts
    correct(corrected, "edit", PREFIX, "--outcome", "skipped")  # made now: the latest made
    assert outcome_of(corrected, PREFIX) == "skipped"
    stats = json.loads(run(corrected, "stats", "--json").stdout)
    assert stats["breaks"]["skipped"] == 2 and stats["breaks"]["interrupted"] == 1


def test_readers_take_corrections_made_ahead_of_the_clock_as_the_oldest() -> None:
    future = correction("late", "delete", "r", 60 * 24 * 30)
    now = correction("now", "undo", "late", 1)
    edit = correction("e", "delete", "s", 0)
    assert resolve([future, edit]).last() == future  # no clock: by `made` alone
    by_clock = resolve([future, edit], now=MADE)
    assert by_clock.last() == edit and [c.id for c in by_clock.corrections] == ["late", "e"]
    assert resolve([future, now], now=MADE).drop == frozenset()


def test_a_correction_dated_ahead_of_the_clock_is_never_written(corrected: Paths) -> None:
    folder = corrected.data_dir / "history"
    folder.mkdir()
    export = corrected.data_dir / "other.jsonl"
    future = FRIDAY_EVENING + timedelta(days=2)
    ahead = Correction(
        v=1, kind="correction", id="a" * 32, action="delete", target=TAKEN["id"], made=future
    )
    export.write_bytes(encode(ahead) + encode(correction("b" * 32, "delete", WORK)))
    result = run(corrected, "history", "import", str(export))
    assert result.exit_code == 0, result.output
    assert "ahead of the clock" in result.stderr
    assert [line["id"] for line in written(corrected)] == ["b" * 32]
