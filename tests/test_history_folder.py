"""The history folder read as one history: many files, copies counted once, `started` order,
the day cache over many files, hosts, import, export and check."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.host.context import AppContext
from breakctl.store.history_dir import DIR_VAR, history_folder, host_id, locate_history
from breakctl.store.paths import Paths
from tests.fakes import FakeClock
from tests.test_stats import FRIDAY_EVENING, HAND_BUILT, write_history


def run(paths: Paths, *args: str, env: dict[str, str] | None = None):
    ctx = AppContext(paths=paths, clock=FakeClock(FRIDAY_EVENING), env=env or {})
    return CliRunner().invoke(app, list(args), obj=ctx)


def lines(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def views(paths: Paths) -> dict[str, object]:
    """What every reader shows: the review with its trend (day cache), the history listing,
    and each export."""
    out = {}
    for name, args in {
        "stats": ("stats", "--json", "--weeks", "12"),
        "history": ("history", "--csv", "--last", "1000"),
        "table": ("history", "--last", "1000"),
        "csv": ("history", "export", "--format", "csv"),
        "ics": ("history", "export", "--format", "ics"),
    }.items():
        result = run(paths, *args)
        assert result.exit_code == 0, (args, result.output)
        out[name] = (
            without_host(result.stdout) if "--csv" in args or "csv" in args else result.stdout
        )
    return out


def without_host(text: str) -> list[dict[str, str]]:
    """CSV rows without the `host` column: which file a record is read from is the layout."""
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(set(row) >= {"host", "natural", "away_s", "input_s"} for row in rows)
    return [{k: v for k, v in row.items() if k != "host"} for row in rows]


@pytest.fixture
def folder(paths: Paths) -> Path:
    path = paths.data_dir / "history"
    path.mkdir(parents=True)
    return path


@pytest.fixture
def oracle(tmp_path: Path) -> Paths:
    """A second home holding the same history in one plain file."""
    home = tmp_path / "oracle"
    paths = Paths(home, home, home)
    write_history(paths, HAND_BUILT)
    return paths


def test_the_folder_and_the_host_id(paths: Paths) -> None:
    assert history_folder(paths, {}) == paths.data_dir / "history"
    assert history_folder(paths, {DIR_VAR: "/sync/bc"}) == Path("/sync/bc")
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text('[history]\ndir = "/sync/from-config"\n')
    assert history_folder(paths, {}) == Path("/sync/from-config")
    assert history_folder(paths, {DIR_VAR: "/sync/env"}) == Path("/sync/env")  # the env wins
    first = host_id(paths)
    assert first == host_id(paths) == (paths.state_dir / "host-id").read_text().strip()
    name, _, suffix = first.rpartition("-")
    assert name and len(suffix) == 6
    assert locate_history(paths, {}).host_file.name == f"{first}.jsonl"


def test_a_bad_history_dir_setting_is_one_line(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("[history]\ndir = 3\n")
    result = run(paths, "stats")
    assert result.exit_code == 2 and "history.dir: expected a folder" in result.stderr


def test_files_and_copies_are_one_history(paths: Paths, folder: Path, oracle: Paths) -> None:
    """Split over the legacy file and two hosts, plus a sync conflict copy, a Dropbox-style
    conflicted copy of a half-copied file and a restored backup: every view is the same as
    the one plain file's."""
    write_history(paths, HAND_BUILT[:5])  # the legacy history.jsonl
    laptop, desktop = HAND_BUILT[5:11], HAND_BUILT[11:]
    (folder / "laptop-a1b2c3.jsonl").write_text(lines(laptop))
    (folder / "desktop-d4e5f6.jsonl").write_text(lines(desktop))
    (folder / "laptop-a1b2c3.sync-conflict-20260306-101010-ABCDEFG.jsonl").write_text(
        lines(laptop[:4])
    )
    half = lines(desktop)
    (folder / "desktop-d4e5f6 (conflicted copy 2026-03-06).jsonl").write_text(
        half[: len(half) - 40]
    )
    (folder / "restored.jsonl").write_text(lines(HAND_BUILT[:8]))
    got = views(paths)
    assert got == views(oracle)
    assert json.loads(got["stats"])["breaks"]["completed"] == 2


def test_the_cache_follows_new_files_and_appends(paths: Paths, folder: Path, oracle: Paths) -> None:
    (folder / "a.jsonl").write_text(lines(HAND_BUILT[:6]))
    first = run(paths, "stats", "--json", "--weeks", "12").stdout
    with (folder / "a.jsonl").open("a") as handle:
        handle.write(lines(HAND_BUILT[6:9]))
    (folder / "b.jsonl").write_text(lines(HAND_BUILT[9:]))
    (folder / "a.sync-conflict-1.jsonl").write_text(lines(HAND_BUILT[:9]))
    assert views(paths) == views(oracle)
    assert run(paths, "stats", "--json", "--weeks", "12").stdout != first
    # A copy removed, a file replaced by an edited one: the cache is rebuilt, not trusted.
    (folder / "a.sync-conflict-1.jsonl").unlink()
    assert views(paths) == views(oracle)
    (folder / "b.jsonl").write_text(lines(HAND_BUILT[10:]))
    one_less = Paths(oracle.config_dir / "x", oracle.data_dir / "x", oracle.state_dir / "x")
    write_history(one_less, HAND_BUILT[:9] + HAND_BUILT[10:])
    assert views(paths) == views(one_less)


def test_many_appends_fold_into_the_id_file(paths: Paths, folder: Path) -> None:
    """Past the tail limit the id keys move to the binary file, and copies are still
    recognised against it."""
    base = HAND_BUILT[1]
    many = [{**base, "id": f"{n:032x}"} for n in range(5000)]
    (folder / "a.jsonl").write_text(lines(many))
    trend = json.loads(run(paths, "stats", "--json", "--weeks", "12").stdout)["trend"]
    assert (paths.state_dir / "history-days-ids.bin").stat().st_size == 8 * 5000
    (folder / "a (conflicted copy).jsonl").write_text(lines(many[::7]))
    assert json.loads(run(paths, "stats", "--json", "--weeks", "12").stdout)["trend"] == trend


def test_history_is_in_started_order_across_files(paths: Paths, folder: Path) -> None:
    """Records are appended when they end: a postponed break is written before the block it
    followed. The listing is in `started` order all the same."""
    work, postponed = HAND_BUILT[7], HAND_BUILT[8]
    (folder / "a.jsonl").write_text(lines([HAND_BUILT[3], postponed, work]))
    (folder / "b.jsonl").write_text(lines([HAND_BUILT[4], HAND_BUILT[5]]))
    got = [json.loads(x)["id"] for x in run(paths, "history", "--json").stdout.splitlines()]
    want = sorted([HAND_BUILT[i]["id"] for i in (3, 4, 5, 7, 8)], key=lambda i: i.split("-", 1)[1])
    assert got == want
    last2 = [
        json.loads(x)["id"]
        for x in run(paths, "history", "--json", "--last", "2").stdout.splitlines()
    ]
    assert last2 == want[-2:]


def test_last_zero_prints_nothing(paths: Paths, folder: Path) -> None:
    (folder / "a.jsonl").write_text(lines(HAND_BUILT))
    for args in ((), ("--json",)):
        result = run(paths, "history", "--last", "0", *args)
        assert result.exit_code == 0 and result.stdout == ""
    assert "No history yet" in run(paths, "history", env={DIR_VAR: str(folder / "x")}).stdout


def test_hosts_lists_each_file(paths: Paths, folder: Path) -> None:
    write_history(paths, HAND_BUILT[:2])
    (folder / "desktop-d4e5f6.jsonl").write_text(lines(HAND_BUILT[2:5]))
    result = run(paths, "history", "hosts", "--json")
    rows = {row["host"]: row for row in json.loads(result.stdout)}
    assert rows["desktop-d4e5f6"]["records"] == 3
    assert rows["desktop-d4e5f6"]["last"] == "2026-03-02T09:25:00+01:00 break"
    assert rows["(before the history folder)"]["records"] == 2
    text = run(paths, "history", "hosts").stdout
    assert "desktop-d4e5f6" in text and "3 records" in text


def test_export_streams_each_format(paths: Paths, folder: Path, tmp_path: Path) -> None:
    (folder / "a.jsonl").write_text(lines(HAND_BUILT))
    result = run(
        paths,
        "history",
        "export",
        "--format",
        "json",
        "--since",
        "2026-03-02",
        "--until",
        "2026-03-03",
    )
    days = {json.loads(x)["started"][:10] for x in result.stdout.splitlines()}
    assert days == {"2026-03-02", "2026-03-03"}
    rows = list(
        csv.DictReader(io.StringIO(run(paths, "history", "export", "--format", "csv").stdout))
    )
    assert [r["id"] for r in rows] == [r["id"] for r in HAND_BUILT]
    target = tmp_path / "out.ics"
    result = run(paths, "history", "export", "--format", "ics", "--output", str(target))
    assert result.exit_code == 0 and f"to {target}" in result.stderr
    ics = target.read_bytes().decode()
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    events = ics.count("BEGIN:VEVENT")
    assert events == len(HAND_BUILT)  # routine runs too
    assert [r["host"] for r in rows] == ["a"] * len(HAND_BUILT)
    assert (
        "DTSTART:20260302T082500Z\r\nDTEND:20260302T083000Z\r\nSUMMARY:Break: desk (completed)"
        in ics
    )
    bad = run(paths, "history", "export", "--format", "xml")
    assert bad.exit_code == 2 and "--format: expected csv, json or ics" in bad.stderr


def test_import_skips_what_is_there(paths: Paths, folder: Path, tmp_path: Path) -> None:
    (folder / "a.jsonl").write_text(lines(HAND_BUILT[:10]))
    exported = tmp_path / "other.jsonl"
    exported.write_text(lines(HAND_BUILT[5:]) + "not json\n")
    result = run(paths, "history", "import", str(exported))
    assert result.exit_code == 0, result.output
    new = len(HAND_BUILT) - 10
    assert f"Imported {new} new records" in result.stdout and "(5 already there)" in result.stdout
    assert "skipped 1 unreadable line" in result.stderr
    again = run(paths, "history", "import", str(exported))
    assert "Imported 0 new records" in again.stdout
    ids = [
        json.loads(x)["id"]
        for x in run(paths, "history", "--json", "--last", "100").stdout.splitlines()
    ]
    assert sorted(ids) == sorted(r["id"] for r in HAND_BUILT)


def test_check_reads_every_file(paths: Paths, folder: Path) -> None:
    (folder / "a.jsonl").write_text(lines(HAND_BUILT[:3]) + "{oops\n")
    changed = {**HAND_BUILT[1], "active_s": 99}
    (folder / "b.jsonl").write_text(lines([HAND_BUILT[2], changed]))
    result = run(paths, "history", "check")
    assert result.exit_code == 2
    out = result.stdout.splitlines()
    assert out[0] == f"{folder / 'a.jsonl'}:4: not valid JSON (half-written or edited by hand)"
    assert out[1].startswith(f"{folder / 'b.jsonl'}:2: id {HAND_BUILT[1]['id']} also at ")
    # HAND_BUILT[1] and [2] are in both files: each counts once, as every reader counts it.
    assert out[-1] == "2 files, 6 lines: 3 records (2 break, 1 work), 2 problems"


def test_last_n_streams_in_constant_memory(paths: Paths, folder: Path) -> None:
    """`history --json/--csv --last N` over three files: the peak does not grow with N."""
    import tracemalloc
    from datetime import datetime, timedelta

    from breakctl.store.review import HistoryAccess

    start = datetime(2026, 1, 1, 9).astimezone()
    for host in range(3):
        with (folder / f"h{host}.jsonl").open("w") as handle:
            for n in range(8000):
                began = start + timedelta(minutes=3 * n + host)
                handle.write(
                    json.dumps(
                        {
                            "v": 1,
                            "id": f"{host}-{n:08d}",
                            "kind": "work",
                            "started": began.isoformat(),
                            "ended": (began + timedelta(minutes=2)).isoformat(),
                            "active_s": 120,
                            "outcome": "completed",
                            "session": "s" * 40,
                        }
                    )
                    + "\n"
                )
    access = HistoryAccess.open(paths, {})

    def peak(count: int) -> int:
        tracemalloc.start()
        seen = sum(1 for _ in access.last(count))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert seen == count
        return top

    # Past the bounded parts (the reorder heaps, the last 4,096 ids), nothing grows with N.
    small, large = peak(5_000), peak(20_000)
    assert large < small * 1.2, (small, large)


def test_hosts_lists_machines_with_their_copies_under_them(paths: Paths, folder: Path) -> None:
    (folder / "desktop-d4e5f6.jsonl").write_text(lines(HAND_BUILT[2:5]))
    (folder / "desktop-d4e5f6.sync-conflict-20260306-101010-ABCDEFG.jsonl").write_text(
        lines(HAND_BUILT[2:4])
    )
    (folder / "desktop-d4e5f6 (conflicted copy 2026-03-06).jsonl").write_text(
        lines(HAND_BUILT[3:6])
    )
    rows = json.loads(run(paths, "history", "hosts", "--json").stdout)
    assert [row["host"] for row in rows] == ["desktop-d4e5f6"]
    (row,) = rows
    assert row["records"] == 3 and row["file"].endswith("desktop-d4e5f6.jsonl")
    assert [(Path(c["file"]).name[:22], c["records"], c["own"]) for c in row["copies"]] == [
        ("desktop-d4e5f6 (confli", 3, 1),  # HAND_BUILT[5] is in no other file
        ("desktop-d4e5f6.sync-co", 2, 0),
    ]
    text = run(paths, "history", "hosts").stdout.splitlines()
    assert text[0].startswith("desktop-d4e5f6 ") and "3 records" in text[0]
    assert text[1] == "  2 conflict copies, 1 record of their own"
    only_copy = folder / "desktop-d4e5f6 (conflicted copy 2026-03-06).jsonl"
    only_copy.unlink()
    text = run(paths, "history", "hosts").stdout.splitlines()
    assert text[1] == "  1 conflict copy, 0 records of its own"


def test_the_machines_own_file_wins_over_its_copies(paths: Paths, folder: Path) -> None:
    """A Dropbox-style copy sorts before its file by name: where the two disagree about one
    id, the machine's own file is the one counted (#19)."""
    own = HAND_BUILT[4]  # a completed break
    stale = {**own, "outcome": "skipped", "active_s": 0, "ended": own["started"], "steps": []}
    (folder / "laptop-a1b2c3.jsonl").write_text(lines([*HAND_BUILT[3:4], own, *HAND_BUILT[5:8]]))
    (folder / "laptop-a1b2c3 (conflicted copy 2026-03-02).jsonl").write_text(lines([stale]))
    stats = json.loads(run(paths, "stats", "--json").stdout)
    assert stats["breaks"]["completed"] == 1 and stats["breaks"]["skipped"] == 1
    listed = [json.loads(x) for x in run(paths, "history", "--json").stdout.splitlines()]
    assert [r["outcome"] for r in listed if r["id"] == own["id"]] == ["completed"]
    check = run(paths, "history", "check").stdout
    assert "(conflicted copy 2026-03-02).jsonl:1: id break-2026-03-02T09:25" in check
