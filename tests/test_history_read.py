"""Reading history as real files are: torn lines, NULs, bad UTF-8, garbage, newer versions."""

from __future__ import annotations

import json
import multiprocessing
import random
from pathlib import Path

import pytest

from breakctl.core.record_codec import from_dict
from breakctl.core.records import BadLine, Record
from breakctl.store.history import History, HistoryReader

GOOD = {
    "v": 1,
    "kind": "routine",
    "routine": "desk",
    "started": "2026-03-02T10:00:00.000+01:00",
    "ended": "2026-03-02T10:05:00.000+01:00",
    "active_s": 300,
    "outcome": "completed",
    "steps": [{"exercise": "walk", "outcome": "done", "active_s": 300}],
}


def line(**changes: object) -> bytes:
    record = {**GOOD, **changes}
    return json.dumps({k: v for k, v in record.items() if v is not ...}).encode()


MALFORMED = [
    (b"\x00\x00\x00\x00", "NUL"),
    (b'{"v":1,"kind":"rou\xff\xfe', "UTF-8"),
    (b"hello, I edited this by hand", "not valid JSON"),
    (b"[1, 2, 3]", "not a JSON object but list"),
    (b'"just a string"', "not a JSON object but str"),
    (line(started=...), "missing required field 'started'"),
    (line(outcome=...), "missing required field 'outcome'"),
    (line(active_s="300"), "'active_s' must be a number"),
    (line(started="yesterday"), "not an ISO 8601 timestamp"),
    (line(steps=...), "needs 'steps'"),
    (line(steps=[{"exercise": 3}]), "'steps' holds an entry"),
    (line(v=2), "newer breakctl (v2)"),
    (line(v="1"), "'v' must be a positive whole number"),
    (line(kind="nap"), "unknown kind 'nap'"),
]


def test_each_malformed_kind_is_a_bad_line_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    body = [line()] + [raw for raw, _ in MALFORMED] + [b"", b"   ", line(routine="neck")]
    path.write_bytes(b"\n".join(body) + b"\n" + b'{"v":1,"kind":"wo')  # torn last line
    before = path.read_bytes()
    items = [(number, item) for _, number, item in HistoryReader(path).scan()]
    records = [(n, i) for n, i in items if isinstance(i, Record)]
    bad = [i for _, i in items if isinstance(i, BadLine)]
    assert [r.routine for _, r in records] == ["desk", "neck"]
    assert [n for n, _ in records] == [1, len(body)]
    assert [b.line for b in bad] == [*range(2, 2 + len(MALFORMED)), len(body) + 1]
    for (_, reason), found in zip(MALFORMED, bad, strict=False):
        assert reason in found.reason, (reason, found)
    assert path.read_bytes() == before  # reading never changes the file


def test_optional_fields_may_be_missing_and_unknown_ones_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    minimal = {k: GOOD[k] for k in ("v", "kind", "started", "ended", "active_s", "outcome")}
    work = {**minimal, "kind": "work", "future_field": {"x": 1}}
    path.write_text(json.dumps(work) + "\n")
    ((_, _, record),) = list(HistoryReader(path).scan())
    assert isinstance(record, Record)
    assert record.paused_s == 0 and record.suspended_s == 0


def test_backwards_numbers_lines_like_forwards(tmp_path: Path) -> None:
    rng = random.Random(7)
    pieces = []
    for n in range(3000):
        choice = rng.random()
        pieces.append(
            b"" if choice < 0.05 else b"garbage" if choice < 0.1 else line(routine=f"r{n}")
        )
    path = tmp_path / "history.jsonl"
    for ending in (b"\n", b"", b"\n\n"):
        path.write_bytes(b"\n".join(pieces) + ending)
        reader = HistoryReader(path)
        forward = [(n, type(i)) for _, n, i in reader.scan() if i is not None]
        total = len(path.read_bytes().split(b"\n")) - (
            1 if path.read_bytes().endswith(b"\n") else 0
        )
        backward = [(n, type(i)) for _, n, i in reader.backwards(total)]
        assert backward == forward[::-1]


def test_missing_history_reads_as_empty(tmp_path: Path) -> None:
    reader = HistoryReader(tmp_path / "none.jsonl")
    assert list(reader.scan()) == [] and list(reader.backwards(0)) == []


def _writer(path: str, worker: int, count: int) -> None:
    history = History(Path(path))
    for n in range(count):
        history.append(from_dict({**GOOD, "routine": f"w{worker}-{n}", "id": "x" * 5000}))


@pytest.mark.parametrize("workers", [8])
def test_concurrent_writers_never_interleave_or_lose_a_line(tmp_path: Path, workers: int) -> None:
    path = tmp_path / "history.jsonl"
    count = 40
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_writer, args=(str(path), w, count)) for w in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
        assert process.exitcode == 0
    items = [item for _, _, item in HistoryReader(path).scan()]
    assert all(isinstance(i, Record) for i in items)
    names = sorted(i.routine for i in items if isinstance(i, Record))
    assert names == sorted(f"w{w}-{n}" for w in range(workers) for n in range(count))
