"""Issue 25: `history edit`, `delete` and `undo` find their record through the day cache's id
list (store/daycache/id_list.py) and read it from the end of its file: a correction of a
recent record reads a block or two of a long history, never all of it. Where the list cannot
vouch for the id (an id that is not breakctl's), the history is read as before. Whichever
way, the answer is the one a full read gives."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakctl.core.errors import DataError
from breakctl.store.daycache import full_ids
from breakctl.store.paths import Paths
from breakctl.store.review import HistoryAccess
from tests.test_history_folder import run
from tests.test_stats import rec, write_history

RECORDS = 4000  # about 1.3 MB of history: far more than the blocks a search reads


def _history(count: int, odd: bool = False) -> list[dict]:
    out = []
    for n in range(count):
        day = f"2026-{1 + n // 900 % 2:02d}-{1 + n // 30 % 28:02d}"
        minute = n % 30 * 2
        record = rec(
            "break",
            f"{day}T09:{minute:02d}:00+01:00",
            f"{day}T09:{minute + 1:02d}:00+01:00",
            60,
            "completed",
            "desk",
            [("walk", "done", 60)],
        )
        record["id"] = hashlib.md5(str(n).encode()).hexdigest()  # 32 hex digits, spread
        out.append(record)
    if odd:
        out[0]["id"] = "imported-from-elsewhere"
    return out


class _Reads:
    """Bytes os.pread returns from one file."""

    def __init__(self, path: Path) -> None:
        self.path, self.count = path.resolve(), 0

    def __call__(self, fd: int, size: int, offset: int) -> bytes:
        data = _PREAD(fd, size, offset)
        if Path(os.readlink(f"/proc/self/fd/{fd}")) == self.path:
            self.count += len(data)
        return data


_PREAD = os.pread


@pytest.fixture
def history(paths: Paths) -> list[dict]:
    records = _history(RECORDS)
    write_history(paths, records)
    assert run(paths, "stats", "--json").exit_code == 0  # the day cache, up to date
    return records


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="no /proc to name an fd's file")
@pytest.mark.parametrize("action", ["delete", "edit"])
def test_a_correction_of_a_recent_record_reads_a_block_not_the_history(
    paths: Paths, history: list[dict], monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    reads = _Reads(paths.history_file)
    monkeypatch.setattr(os, "pread", reads)
    target = history[-3]["id"]
    extra = ["--outcome", "skipped"] if action == "edit" else []
    result = run(paths, "history", action, target[:10], *extra)
    assert result.exit_code == 0, result.output
    size = paths.history_file.stat().st_size
    assert reads.count < size // 10, (reads.count, size)
    monkeypatch.undo()
    assert HistoryAccess.open(paths).resolved.by_target[target].action == action


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="no /proc to name an fd's file")
def test_an_id_the_list_cannot_hold_means_a_full_read(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _history(RECORDS, odd=True)
    write_history(paths, records)
    assert run(paths, "stats", "--json").exit_code == 0
    reads = _Reads(paths.history_file)
    monkeypatch.setattr(os, "pread", reads)
    result = run(paths, "history", "delete", records[-1]["id"][:10])
    assert result.exit_code == 0, result.output
    assert reads.count >= paths.history_file.stat().st_size


def _found(paths: Paths, prefix: str, deleted: bool, listed: bool) -> str:
    access = HistoryAccess.open(paths)
    if not listed:
        access.summary.odd_ids = 1  # as if an id the list cannot hold were there
    try:
        return access.find(prefix, deleted=deleted).outcome
    except DataError as exc:
        return "error: " + str(exc).split(" (")[0]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["delete", "edit", "undo"]), st.integers(0, 9)), max_size=6),
    st.integers(0, 9),
    st.sampled_from([4, 5, 8, 32]),
    st.booleans(),
)
def test_the_list_finds_what_a_full_read_finds(
    tmp_path_factory: pytest.TempPathFactory,
    corrections: list[tuple[str, int]],
    which: int,
    length: int,
    deleted: bool,
) -> None:
    home = tmp_path_factory.mktemp("home")
    paths = Paths(home, home, home)
    records = _history(10)
    # Two ids that share their first five digits: a start of four or five finds both.
    records[1]["id"] = records[0]["id"][:5] + records[1]["id"][5:]
    write_history(paths, records)
    for action, n in corrections:
        args = ["--outcome", "skipped"] if action == "edit" else []
        run(paths, "history", action, *([] if action == "undo" else [records[n]["id"]]), *args)
    prefix = records[which]["id"][:length]
    assert _found(paths, prefix, deleted, True) == _found(paths, prefix, deleted, False)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from([b"", b"x" * 40, b'{"id":"ab"}', b"y" * 700, b'z"ab"z']), max_size=12),
    st.booleans(),
)
def test_lines_holding_match_a_plain_split(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes], final_newline: bool
) -> None:
    path = tmp_path_factory.mktemp("f") / "h.jsonl"
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(full_ids, "_BACK_BLOCK", 16)
        patch.setattr(full_ids, "MAX_LINE_BYTES", 500)
        fd = os.open(path, os.O_RDONLY)
        try:
            got = list(full_ids._lines_holding(fd, len(data), b'"ab"'))
        finally:
            os.close(fd)
    want = [line for line in data.split(b"\n") if b'"ab"' in line and len(line) <= 500]
    assert got == want[::-1]


@pytest.mark.parametrize("split", [False, True])
def test_a_rebuild_keeps_its_ids_in_a_temp_file_and_leaves_none(
    paths: Paths, monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    """A rebuild writes the ids it reads to a temp file as it goes (a million of them would be
    16 MiB of memory); the second process of a split read does too, and hands its file over."""
    from breakctl.store import halves
    from breakctl.store.daycache import id_list

    monkeypatch.setattr(id_list, "_SPILL", 64)  # four ids, then to the file
    monkeypatch.setattr(halves, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(halves, "spare_cpu", lambda: split)
    monkeypatch.setattr(halves.threading, "active_count", lambda: 1)
    records = _history(300)
    write_history(paths, records)
    access = HistoryAccess.open(paths)
    assert access.summary.listed == 300 and access.summary.odd_ids == 0
    assert access.find(records[123]["id"][:10]).id == records[123]["id"]
    assert not list(paths.state_dir.glob(".ids-*"))


def test_a_rebuild_removes_what_a_killed_one_left(paths: Paths) -> None:
    """A rebuild killed before it saved leaves its temp files; the next rebuild (under the
    cache's lock: no other is running) removes them."""
    write_history(paths, _history(20))
    paths.state_dir.mkdir(parents=True, exist_ok=True)
    left = [paths.state_dir / ".keys-abc.tmp", paths.state_dir / ".ids-abc.tmp"]
    for path in left:
        path.write_bytes(b"x" * 64)
    assert HistoryAccess.open(paths).summary.listed == 20
    assert not any(path.exists() for path in left)
