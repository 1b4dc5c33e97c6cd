"""Corrections are records: each command, applied by every reader, compared with the same
history written plainly; undo and undo of undo; dangling corrections; older readers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from breakctl.core.corrections import dangling, resolve
from breakctl.core.record_codec import decode_item, decode_line, encode
from breakctl.core.records import BadLine, Correction, Record
from breakctl.store.paths import Paths
from breakctl.store.review import HistoryAccess
from tests.history_helpers import written
from tests.test_history_folder import run, views
from tests.test_stats import HAND_BUILT, write_history

TAKEN = HAND_BUILT[4]  # Monday's completed break at 09:25
PREFIX = "break-2026-03-02T09:25"


def plain(tmp_path: Path, records: list[dict], name: str = "plain") -> Paths:
    home = tmp_path / name
    paths = Paths(home, home, home)
    write_history(paths, records)
    return paths


def replaced(record: dict, **changes: object) -> list[dict]:
    return [({**r, **changes} if r is record else r) for r in HAND_BUILT]


@pytest.fixture
def corrected(paths: Paths) -> Paths:
    write_history(paths, HAND_BUILT)
    return paths


def correct(paths: Paths, *args: str) -> str:
    result = run(paths, "history", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_delete(corrected: Paths, tmp_path: Path) -> None:
    said = correct(corrected, "delete", PREFIX)
    assert said.startswith("Deleted break-20 (break 2026-03-02 09:25)")
    assert views(corrected) == views(plain(tmp_path, [r for r in HAND_BUILT if r is not TAKEN]))
    stats = json.loads(run(corrected, "stats", "--json").stdout)
    assert stats["breaks"]["completed"] == 1


def test_edit_outcome(corrected: Paths, tmp_path: Path) -> None:
    correct(corrected, "edit", PREFIX, "--outcome", "skipped")
    assert views(corrected) == views(plain(tmp_path, replaced(TAKEN, outcome="skipped")))


def test_edit_times_and_routine(corrected: Paths, tmp_path: Path) -> None:
    said = correct(
        corrected, "edit", PREFIX, "--started", "9:20", "--ended", "09:28", "--routine", "neck"
    )
    assert "started 2026-03-02 09:20, ended 2026-03-02 09:28, routine neck" in said
    want = replaced(
        TAKEN,
        started="2026-03-02T09:20:00.000+01:00",
        ended="2026-03-02T09:28:00.000+01:00",
        routine="neck",
    )
    assert views(corrected) == views(plain(tmp_path, want))
    # The time spent cannot outlast the record.
    correct(corrected, "edit", PREFIX, "--ended", "09:22")
    rows = run(corrected, "history", "--json", "--last", "100").stdout.splitlines()
    (row,) = [json.loads(x) for x in rows if json.loads(x)["id"] == TAKEN["id"]]
    assert row["active_s"] == 120 and row["routine"] == "neck"


def test_add(corrected: Paths, tmp_path: Path) -> None:
    said = correct(
        corrected,
        "add",
        "break",
        "--at",
        "11:00",
        "--duration",
        "10m",
        "--routine",
        "desk",
        "--day",
        "2026-03-04",
    )
    assert said.startswith("Added ") and "break 2026-03-04 11:00, 10m" in said
    (line,) = written(corrected)
    assert line["kind"] == "correction" and line["action"] == "add"
    walk = line["record"]
    assert walk["started"] == "2026-03-04T11:00:00.000+01:00" and walk["active_s"] == 600
    assert views(corrected) == views(plain(tmp_path, [*HAND_BUILT, walk]))
    stats = json.loads(run(corrected, "stats", "--json").stdout)
    assert stats["days"][2] == {
        "date": "2026-03-04",
        "breaks_completed": 1,
        "moved_s": 600,
        "work_s": 0,
    }
    # An added record can be corrected like any other, by the start of its id.
    correct(corrected, "delete", walk["id"][:6])
    assert views(corrected) == views(plain(tmp_path, HAND_BUILT, "again"))


def test_undo_walks_back_one_correction_at_a_time(corrected: Paths, tmp_path: Path) -> None:
    original = views(corrected)
    correct(corrected, "delete", PREFIX)
    deleted = views(corrected)
    correct(corrected, "edit", "work-2026-03-02T09:00", "--outcome", "interrupted")
    assert correct(corrected, "undo").startswith("Took back edit of work-202")
    assert views(corrected) == deleted
    assert correct(corrected, "undo").startswith("Took back delete of break-20")
    assert views(corrected) == original
    again = run(corrected, "history", "undo")
    assert again.exit_code == 2 and again.stderr == "breakctl: no correction to undo\n"
    # Not a byte of the history was rewritten: this machine's file holds the corrections.
    assert [c["action"] for c in written(corrected)] == ["delete", "edit", "undo", "undo"]


def test_a_delete_can_be_undone_whatever_came_after(corrected: Paths) -> None:
    original = views(corrected)
    correct(corrected, "delete", PREFIX)
    correct(corrected, "edit", "work-2026-03-02T09:00", "--outcome", "interrupted")
    correct(corrected, "add", "break", "--at", "11:00", "--duration", "10m", "--day", "2026-03-04")
    shown = run(corrected, "history", "show", PREFIX)
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == TAKEN["id"]
    assert "is deleted" in shown.stderr and "history undo break-20" in shown.stderr
    assert correct(corrected, "undo", PREFIX).startswith("Took back delete of break-20")
    shown = run(corrected, "history", "show", PREFIX)
    assert shown.exit_code == 0 and shown.stderr == ""
    correct(corrected, "undo")  # the add
    correct(corrected, "undo")  # the edit
    assert views(corrected) == original
    nothing = run(corrected, "history", "undo", PREFIX)
    assert nothing.exit_code == 2 and "no correction of break-20 to undo" in nothing.stderr


def test_raw_shows_the_records_as_written(corrected: Paths) -> None:
    correct(corrected, "edit", PREFIX, "--outcome", "skipped")
    raw = run(corrected, "history", "--raw", "--json", "--last", "100").stdout.splitlines()
    assert [json.loads(x) for x in raw] == sorted(HAND_BUILT, key=lambda r: r["started"][:16])
    table = run(corrected, "history", "--last", "100").stdout
    assert "skipped" in table and TAKEN["id"][:8] in table


def test_the_window_the_planner_reads_is_corrected(corrected: Paths) -> None:
    correct(corrected, "delete", PREFIX)
    access = HistoryAccess.open(corrected, {})
    records, _ = access.window(datetime(2026, 3, 2).date(), datetime(2026, 3, 3).date())
    assert TAKEN["id"] not in {r.id for r in records}
    assert [r.started for r in records] == sorted(r.started for r in records)


def test_ids_by_unique_prefix(corrected: Paths) -> None:
    ambiguous = run(corrected, "history", "delete", "break-2026-03-02")
    assert ambiguous.exit_code == 2 and "matches more than one record" in ambiguous.stderr
    missing = run(corrected, "history", "edit", "nothing", "--outcome", "skipped")
    assert missing.exit_code == 2 and "no record with an id starting 'nothing'" in missing.stderr
    bad = run(corrected, "history", "edit", PREFIX, "--outcome", "great")
    assert bad.exit_code == 2 and "--outcome: expected one of" in bad.stderr
    none = run(corrected, "history", "edit", PREFIX)
    assert none.exit_code == 2 and "say what to change" in none.stderr
    backwards = run(corrected, "history", "edit", PREFIX, "--ended", "08:00")
    assert backwards.exit_code == 2 and "before it starts" in backwards.stderr
    assert run(corrected, "history", "undo").stderr == "breakctl: no correction to undo\n"
    assert written(corrected) == []


CET = timezone(timedelta(hours=1))
MADE = datetime(2026, 3, 6, 12, 0, tzinfo=CET)


def correction(ident: str, action: str, target: str, minutes: int = 0) -> Correction:
    return Correction(
        v=1,
        kind="correction",
        id=ident,
        action=action,
        target=target,  # type: ignore[arg-type]
        made=MADE + timedelta(minutes=minutes),
    )


def test_a_correction_of_nothing_is_reported_by_check(corrected: Paths) -> None:
    folder = corrected.data_dir / "history"
    folder.mkdir()
    (folder / "other.jsonl").write_bytes(
        encode(correction("c1", "delete", "no-such-record"))
        + encode(correction("c2", "undo", "no-such-correction", 1))
    )
    assert views(corrected)  # every reader runs, none crashes
    result = run(corrected, "history", "check")
    assert result.exit_code == 2
    out = result.stdout.splitlines()
    assert (
        out[0]
        == "correction c1 (delete, made 2026-03-06 12:00): no record no-such-record (it changes nothing)"
    )
    assert out[1].startswith("correction c2 (undo, made 2026-03-06 12:01): no correction ")
    assert out[-1].endswith("17 records (8 break, 2 routine, 7 work), 2 corrections, 2 problems")


def test_resolution_rules() -> None:
    later_wins = resolve([correction("b", "delete", "r", 2), correction("a", "delete", "s", 1)])
    last = later_wins.last()
    assert later_wins.drop == {"r", "s"} and last is not None and last.id == "b"
    undone = resolve([correction("a", "delete", "r"), correction("u1", "undo", "a", 1)])
    assert undone.drop == frozenset() and undone.cancelled == {"a"}
    redone = resolve([*undone.corrections, correction("u2", "undo", "u1", 2)])
    assert redone.drop == {"r"} and redone.cancelled == {"u1"}
    assert [c.id for c in dangling(redone, lambda ident: ident == "r")] == []
    assert [c.id for c in dangling(redone, lambda ident: False)] == ["a"]


def test_an_older_reader_skips_a_correction_and_this_one_reads_it() -> None:
    record = Record(
        v=1, kind="break", id="r", started=MADE, ended=MADE, active_s=0, outcome="skipped", steps=()
    )
    line = encode(
        Correction(
            v=1, kind="correction", id="c", action="edit", target="r", made=MADE, record=record
        )
    ).rstrip(b"\n")
    old = decode_line(line, 7)
    assert isinstance(old, BadLine) and old.reason == "missing required field 'started'"
    new = decode_item(line, 7)
    assert isinstance(new, Correction) and new.record == record
    wrong = decode_item(line.replace(b'"target":"r"', b'"target":"x"'), 8)
    assert isinstance(wrong, BadLine) and "its record's id is not its target" in wrong.reason
