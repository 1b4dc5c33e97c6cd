"""Distinct ids are distinct records, always: two ids that end in the same 16 hex digits share
the 64-bit key the day cache and import check first, and the full id settles it (#18)."""

from __future__ import annotations

import json
from pathlib import Path

from breakctl.store.paths import Paths
from tests.history_helpers import written
from tests.test_history_folder import lines, run
from tests.test_stats import rec, t

TAIL = "0123456789abcdef"
ONE, TWO = "a" * 16 + TAIL, "b" * 16 + TAIL
MONDAY = rec(
    "break",
    t("03-02", "10:00"),
    t("03-02", "10:05"),
    300,
    "completed",
    "desk",
    [("walk", "done", 300)],
    id=ONE,
)
TUESDAY = rec(
    "break",
    t("03-03", "10:00"),
    t("03-03", "10:04"),
    240,
    "completed",
    "desk",
    [("walk", "done", 240)],
    id=TWO,
)


def figures(paths: Paths) -> dict:
    result = run(paths, "stats", "--json", "--weeks", "2")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def folder_of(paths: Paths) -> Path:
    folder = paths.data_dir / "history"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_two_ids_with_one_key_count_as_two(paths: Paths) -> None:
    folder = folder_of(paths)
    (folder / "laptop-a1b2c3.jsonl").write_text(lines([MONDAY, TUESDAY]))
    stats = figures(paths)
    assert stats["breaks"]["completed"] == 2 and stats["moved_s"] == 540
    assert sum(week["breaks_completed"] for week in stats["trend"]) == 2  # the day cache
    # Copies of both, in a conflict copy, still count once each.
    (folder / "laptop-a1b2c3.sync-conflict-20260306-101010-ABCDEFG.jsonl").write_text(
        lines([TUESDAY, MONDAY])
    )
    again = figures(paths)
    assert again == stats
    check = run(paths, "history", "check")
    assert check.exit_code == 0, check.stdout
    assert check.stdout.splitlines()[-1].startswith("2 files, 4 lines: 2 records (2 break)")


def test_a_record_appended_later_with_the_key_of_one_counted(paths: Paths) -> None:
    folder = folder_of(paths)
    (folder / "laptop-a1b2c3.jsonl").write_text(lines([MONDAY]))
    assert figures(paths)["breaks"]["completed"] == 1  # the cache holds ONE's key
    with (folder / "laptop-a1b2c3.jsonl").open("a") as handle:
        handle.write(lines([TUESDAY, MONDAY]))
    stats = figures(paths)
    assert stats["breaks"]["completed"] == 2
    assert sum(week["breaks_completed"] for week in stats["trend"]) == 2


def test_import_takes_a_record_whose_key_is_known(paths: Paths, tmp_path: Path) -> None:
    (folder_of(paths) / "desktop-d4e5f6.jsonl").write_text(lines([MONDAY]))
    export = tmp_path / "laptop.jsonl"
    export.write_text(lines([TUESDAY, MONDAY, TUESDAY]))
    result = run(paths, "history", "import", str(export))
    assert result.exit_code == 0 and "Imported 1 new record" in result.stdout
    assert "(2 already there)" in result.stdout
    assert [line["id"] for line in written(paths)] == [TWO]


def test_check_reports_a_correction_of_an_id_that_only_shares_a_key(paths: Paths) -> None:
    folder = folder_of(paths)
    gone = "c" * 16 + TAIL
    delete = {
        "v": 1,
        "id": "d" * 32,
        "kind": "correction",
        "action": "delete",
        "target": gone,
        "made": "2026-03-06T12:00:00.000+01:00",
    }
    (folder / "laptop-a1b2c3.jsonl").write_text(lines([MONDAY, delete]))
    check = run(paths, "history", "check")
    assert check.exit_code == 2 and f"no record {gone}" in check.stdout
