"""Numbers in a record are bounded by the record's own span: `active_s + paused_s` fit
between `started` and `ended` (within a second), nothing is negative; readers and
`history check` treat any other line as bad (#18)."""

from __future__ import annotations

import json

import pytest

from breakctl.core.record_codec import decode_line
from breakctl.core.records import BadLine, Record
from breakctl.store.paths import Paths
from tests.test_history_folder import run
from tests.test_stats import HAND_BUILT, write_history

WORK = {
    "v": 1,
    "id": "b" * 32,
    "kind": "work",
    "started": "2026-03-03T09:00:00.000+01:00",
    "ended": "2026-03-03T09:25:00.000+01:00",
    "active_s": 1500,
    "paused_s": 0,
    "outcome": "completed",
}


@pytest.mark.parametrize(
    "changes",
    [
        {"paused_s": int("9" * 401)},  # a double holds it, no span does
        {"paused_s": 1.5},  # 1500 + 1.5 > 1500 s + 1 s of rounding
        {"active_s": 1502},
        {"suspended_s": 1e300},
        {"away_s": 86400},
        {"ended": "2026-03-03T08:59:00.000+01:00", "active_s": 0},
        {"cycle": -1},
        {"planned_s": 1e12},
    ],
)
def test_numbers_beyond_the_span_make_a_bad_line(changes: dict[str, object]) -> None:
    item = decode_line(json.dumps({**WORK, **changes}).encode(), 4)
    assert isinstance(item, BadLine) and item.line == 4, item


def test_numbers_within_a_second_of_the_span_are_sound() -> None:
    item = decode_line(json.dumps({**WORK, "paused_s": 0.9, "suspended_s": 1500}).encode(), 1)
    assert isinstance(item, Record) and item.paused_s == 0.9


def test_readers_and_check_skip_such_lines(paths: Paths) -> None:
    write_history(paths, [*HAND_BUILT, {**WORK, "paused_s": int("9" * 401)}])
    stats = run(paths, "stats", "--json")
    assert stats.exit_code == 0 and "skipped 1 unreadable line: 18" in stats.stderr
    listed = run(paths, "history", "--json", "--last", "100")
    assert WORK["id"] not in listed.stdout
    check = run(paths, "history", "check")
    assert check.exit_code == 2 and ":18: " in check.stdout and "paused_s" in check.stdout
