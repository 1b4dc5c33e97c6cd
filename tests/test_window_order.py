"""The window `stats` reads is right whatever order the lines are in: records imported after
this week's (older ones, at the end of the file), a restored backup, a clock that jumped
(#18)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from breakctl.store.paths import Paths
from tests.history_helpers import host_file
from tests.test_history_folder import lines, run
from tests.test_stats import HAND_BUILT, rec, t, write_history

# Two hundred older blocks and breaks, a month or more before the week reviewed.
OLDER = [
    rec(
        "work",
        t(f"01-{day:02d}", f"{hour:02d}:00"),
        t(f"01-{day:02d}", f"{hour:02d}:25"),
        1500,
        "completed",
    )
    for day in range(1, 29)
    for hour in range(9, 16)
]


def figures(paths: Paths) -> dict:
    result = run(paths, "stats", "--json", "--weeks", "12")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def oracle(tmp_path: Path, records: list[dict]) -> dict:
    home = tmp_path / "oracle"
    plain = Paths(home, home, home)
    write_history(plain, sorted(records, key=lambda r: r["started"]))
    return figures(plain)


def test_an_import_of_older_records_keeps_the_review(paths: Paths, tmp_path: Path) -> None:
    mine = host_file(paths)  # the import goes to the end of this machine's own file
    mine.parent.mkdir(parents=True)
    mine.write_text(lines(HAND_BUILT))
    before = figures(paths)  # the day cache is warm
    export = tmp_path / "older.jsonl"
    export.write_text(lines(OLDER))
    imported = run(paths, "history", "import", str(export))
    assert imported.exit_code == 0 and f"Imported {len(OLDER)} new" in imported.stdout
    after = figures(paths)
    assert after["breaks"] == before["breaks"] and after["work_s"] == before["work_s"]
    assert after["previous"] == before["previous"]
    assert after == oracle(tmp_path, HAND_BUILT + OLDER)


def test_lines_in_any_order_give_the_same_review(paths: Paths, tmp_path: Path) -> None:
    shuffled = HAND_BUILT + OLDER
    random.Random(7).shuffle(shuffled)
    write_history(paths, shuffled)
    assert figures(paths) == oracle(tmp_path, HAND_BUILT + OLDER)
    # The same again with the cache warm, and a restored backup's lines appended.
    with paths.history_file.open("a") as handle:
        handle.write(lines(OLDER[:50] + HAND_BUILT[:3]))
    assert figures(paths) == oracle(tmp_path, HAND_BUILT + OLDER)
