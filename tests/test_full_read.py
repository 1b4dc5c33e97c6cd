"""Issue 7: the full read of a long history goes a run of lines at a time (store/history.py
`runs`), decodes a run in one call, and the day cache counts a run of plain records in a few
calls (store/daycache/tally.py). Every shortcut must count exactly what the careful line-by-line
path counts: these tests draw files with blank, bad, overlong, `\\r`-ended and unterminated
lines, copies and id-less records, read them through blocks far smaller than a line, and
compare with a plain split of the bytes."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from breakctl.core.records import BadLine, Record
from breakctl.store import halves, history_check
from breakctl.store import history as history_module
from breakctl.store.daycache import split as day_split
from breakctl.store.daycache.cache import DayCache
from breakctl.store.daycache.ids import key_of, keys_of
from breakctl.store.halves import Child
from breakctl.store.history import HistoryReader, item_of
from breakctl.store.history_check import check_history

LIMIT = 300  # the longest line kept, shrunk so a drawn file can hold longer ones


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history_module, "MAX_LINE_BYTES", LIMIT)
    monkeypatch.setattr(history_module, "_BLOCK", 1024)


def _record(n: int, kind: str, outcome: str, day: int, ident: str | None) -> dict:
    started = f"2026-03-{day:02d}T09:{n % 60:02d}:00.000+01:00"
    ended = f"2026-03-{day:02d}T1{n % 7 // 2}:{n % 60:02d}:{n % 7 % 2 * 30:02d}.000+01:00"
    out: dict = {
        "v": 1,
        "kind": kind,
        "started": started,
        "ended": ended,
        "active_s": float(n % 7 * 30),
        "outcome": outcome,
    }
    if ident is not None:
        out["id"] = ident
    if kind != "work":
        out["steps"] = [{"exercise": "neck-roll", "outcome": "done", "active_s": 1.0}]
    return out


records = st.builds(
    _record,
    st.integers(0, 500),
    st.sampled_from(["work", "break", "break", "routine"]),
    st.sampled_from(["completed", "completed", "skipped", "worked-through"]),
    st.integers(1, 4),
    st.one_of(
        st.integers(0, 2**128 - 1).map(lambda n: f"{n:032x}"),  # breakctl's own ids
        st.sampled_from(["", "short-id", "Z" * 32, "-" + "0" * 31]),  # others, and none
        st.none(),
    ),
)
_SOUND = json.dumps(_record(1, "break", "completed", 2, "ab" * 16), separators=(",", ":")).encode()
odd_lines = st.sampled_from(
    [
        b"",
        b"   ",
        b"{not json",
        b'{"v":1}',
        b"\x00\x00\x00",
        b"x" * (LIMIT + 1),
        b"y" * (3 * 1024 + 5),
        b'{"v":1,"kind":"break","started":"2026-03-01T09:00:00+01:00",'
        b'"ended":"2026-03-01T09:00:00+01:00","active_s":5,"outcome":"completed"}',
        # Sound but for one optional value that cannot be decoded: a bad line to every reader.
        _SOUND.replace(b'"v":1', b'"v":1,"planned_s":1e400'),
        _SOUND.replace(b'"v":1', b'"v":1,"session":"\\udfff\\ud800"'),
        _SOUND.replace(b'"v":1', b'"v":1,"cycle":' + b"9" * 400),
        _SOUND + b" " + _SOUND.replace(b"ab", b"cd"),  # two records on one line: a bad line
    ]
)
line_lists = st.lists(
    st.one_of(records.map(lambda r: json.dumps(r).encode()), odd_lines), max_size=30
)


def _file_bytes(lines: list[bytes], crlf: list[bool], final_newline: bool) -> bytes:
    ends = [b"\r\n" if crlf[i % len(crlf)] else b"\n" for i in range(len(lines))]
    data = b"".join(line + end for line, end in zip(lines, ends, strict=True))
    return data[: -len(ends[-1])] if lines and not final_newline else data


def _plain_split(data: bytes, complete_only: bool) -> list[tuple[int, int, bytes]]:
    """(offset after, number, bytes as written) of each line, by the obvious method."""
    out, offset = [], 0
    pieces = data.split(b"\n")
    for number, piece in enumerate(pieces, 1):
        last = number == len(pieces)
        if last and (not piece or complete_only):
            break
        offset += len(piece) + (0 if last else 1)
        out.append((offset, number, piece))
    return out


def _plain_item(raw: bytes, number: int) -> object:
    if len(raw) > LIMIT:
        return BadLine(number, f"longer than {LIMIT // 1024} KiB: not a record")
    return item_of(raw, number)


SETTINGS = settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(line_lists, st.lists(st.booleans(), min_size=1), st.booleans(), st.booleans())
def test_lines_match_a_plain_split(
    tmp_path: Path, lines: list[bytes], crlf: list[bool], final_newline: bool, complete_only: bool
) -> None:
    data = _file_bytes(lines, crlf, final_newline)
    path = tmp_path / "h.jsonl"
    path.write_bytes(data)
    got = list(HistoryReader(path).lines(complete_only=complete_only))
    want = _plain_split(data, complete_only)
    assert [(o, n) for o, n, _, _ in got] == [(o, n) for o, n, _ in want]
    for (_, number, raw, item), (_, _, piece) in zip(got, want, strict=True):
        assert item == _plain_item(piece, number)
        assert raw == (b"" if len(piece) > LIMIT else piece.removesuffix(b"\r"))
    runs = list(HistoryReader(path).runs(complete_only=complete_only))
    assert sum(run.line_count for run in runs) == len(want)
    assert [run.end for run in runs][-1:] == [o for o, _, _ in want][-1:]


def identity(item: Record, raw: bytes) -> str | bytes:
    """What makes a record itself for the plain recount: its whole id (two ids that share the
    fast 64-bit key are still two records), or its bytes when it has none."""
    return item.id or raw


def _plain_days(paths: list[Path]) -> tuple[dict[date, int], dict[date, float]]:
    """Completed breaks and moved seconds per day, one line at a time, first copy counted."""
    seen: set[str | bytes] = set()
    breaks: dict[date, int] = {}
    moved: dict[date, float] = {}
    for path in paths:
        for _, number, piece in _plain_split(path.read_bytes(), complete_only=True):
            item = _plain_item(piece, number)
            if not isinstance(item, Record):
                continue
            key = identity(item, piece.removesuffix(b"\r"))
            if key in seen:
                continue
            seen.add(key)
            if item.completed_break:
                breaks[item.day] = breaks.get(item.day, 0) + 1
            taken = item.kind == "routine" or item.completed_break  # not worked through
            if taken and item.active_s:
                moved[item.day] = moved.get(item.day, 0.0) + item.active_s
    return breaks, moved


@SETTINGS
@given(st.lists(line_lists, min_size=1, max_size=3), st.data())
def test_the_day_cache_counts_like_a_plain_read(
    tmp_path: Path, files: list[list[bytes]], data: st.DataObject
) -> None:
    """A rebuild, and the same history read in two refreshes (each file cut at a drawn point,
    the rest appended after the first refresh), count what a plain read counts. Copies within
    and across files (drawn: the same line in two places) are counted once, the first read."""
    for name in ("cold", "warm"):
        (tmp_path / name).mkdir(exist_ok=True)
        for old in (tmp_path / name).iterdir():
            old.unlink()
    copies = data.draw(st.lists(st.integers(0, 100), max_size=4))
    pool = [line for lines in files for line in lines]
    paths: list[Path] = []
    for index, lines in enumerate(files):
        extra = [pool[c % len(pool)] for c in copies if pool and c % len(files) == index]
        body = b"".join(line + b"\n" for line in lines + extra)
        paths.append(tmp_path / "cold" / f"{index}.jsonl")
        paths[-1].write_bytes(body)
    want = _plain_days(paths)
    cold = DayCache(tmp_path / "cold" / "days.json", paths).refresh()
    assert (cold.breaks_completed, _rounded(cold.moved_s)) == (want[0], _rounded(want[1]))
    # The same rebuild split between two processes comes to the same summary, field for field.
    for old in (tmp_path / "cold").glob("days*"):
        old.unlink()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(halves, "PARALLEL_BYTES", 0)
        patch.setattr(halves, "spare_cpu", lambda: True)
        patch.setattr(halves.threading, "active_count", lambda: 1)  # whatever ran before
        split = DayCache(tmp_path / "cold" / "days.json", paths).refresh()
    assert (split.breaks_completed, split.moved_s, split.files, split.corrections, split.filed) == (
        cold.breaks_completed,
        cold.moved_s,
        cold.files,
        cold.corrections,
        cold.filed,
    )

    if _ambiguous(paths):
        return  # an id written with two contents: which counts depends on the reading order
    warm_paths = [tmp_path / "warm" / p.name for p in paths]
    bodies = [p.read_bytes() for p in paths]
    for path, body in zip(warm_paths, bodies, strict=True):
        cut = data.draw(st.integers(0, len(body)))
        path.write_bytes(body[:cut])
    cache = DayCache(tmp_path / "warm" / "days.json", warm_paths)
    cache.refresh()
    for path, body in zip(warm_paths, bodies, strict=True):
        path.write_bytes(body)  # the rest appended: the bytes read before are unchanged
    warm = cache.refresh()
    assert (warm.breaks_completed, _rounded(warm.moved_s)) == (want[0], _rounded(want[1]))


def _ambiguous(paths: list[Path]) -> bool:
    contents: dict[str | bytes, set[bytes]] = {}
    for path in paths:
        for _, number, piece in _plain_split(path.read_bytes(), complete_only=True):
            item = _plain_item(piece, number)
            if isinstance(item, Record):
                body = piece.removesuffix(b"\r")
                contents.setdefault(identity(item, body), set()).add(body)
    return any(len(bodies) > 1 for bodies in contents.values())


def _rounded(moved: dict[date, float]) -> dict[date, float]:
    return {day: round(seconds, 6) for day, seconds in moved.items() if round(seconds, 6)}


_KEY_TWINS = [
    b'{"v": 1, "kind": "work", "started": "2026-03-01T09:00:00.000+01:00", "ended": '
    b'"2026-03-01T10:00:00.000+01:00", "active_s": 0.0, "outcome": "completed", "id": "%s"}' % ident
    for ident in (b"0" * 32, b"0" * 15 + b"1" + b"0" * 16)
]  # two ids that share their last 16 hex digits (the fast key): two records all the same


@SETTINGS
@given(st.lists(line_lists, min_size=1, max_size=3), st.lists(st.integers(0, 100), max_size=3))
@example(files=[_KEY_TWINS], copies=[])
def test_history_check_reports_what_a_plain_read_finds(
    tmp_path: Path, files: list[list[bytes]], copies: list[int]
) -> None:
    """Every bad line by file and number, the records by kind, and each id written with two
    contents, however the lines fall into runs."""
    for old in tmp_path.glob("*.jsonl"):
        old.unlink()
    pool = [line for lines in files for line in lines]
    paths = []
    for index, lines in enumerate(files):
        extra = [pool[c % len(pool)] for c in copies if pool and c % len(files) == index]
        paths.append(tmp_path / f"{index}.jsonl")
        paths[-1].write_bytes(b"".join(line + b"\n" for line in lines + extra))
    reported: list[str] = []
    report = check_history(paths, reported.append)
    # The same check with the second half read by another process, or by this one when that
    # process fails, says exactly the same.
    for fails in (False, True):
        again: list[str] = []
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(halves, "PARALLEL_BYTES", 0)
            patch.setattr(halves, "spare_cpu", lambda: True)
            patch.setattr(halves.threading, "active_count", lambda: 1)  # whatever ran before
            if fails:
                patch.setattr(history_check, "collect", _failed(history_check.collect))
            assert check_history(paths, again.append) == report
        assert again == reported

    bad, kinds, first, twice = [], Counter(), {}, []
    for path in paths:
        for _, number, piece in _plain_split(path.read_bytes(), complete_only=False):
            item = _plain_item(piece, number)
            if isinstance(item, BadLine):
                bad.append(f"{path}:{number}: {item.reason}")
            elif isinstance(item, Record):
                key = identity(item, piece)
                kinds[item.kind] += key not in first  # a record counts once, as readers count
                if first.setdefault(key, piece) != piece:
                    twice.append(f"{path}:{number}: id {item.id} also at")
    assert report.lines == sum(len(_plain_split(p.read_bytes(), False)) for p in paths)
    assert report.kinds == kinds
    assert [line for line in reported if "also at" not in line] == bad
    assert [
        line.split(" also at")[0] + " also at" for line in reported if "also at" in line
    ] == twice
    assert report.problems == len(bad) + len(twice)


def _failed(collect: Callable[[Child], object]) -> Callable[[Child], object]:
    """`collect`, reaping the second process and then saying it failed."""
    return lambda child: collect(child) and None


hexish = st.text(alphabet="0123456789abcdefABCDEF -+_xZ", min_size=28, max_size=36)


@given(st.lists(st.one_of(hexish, st.integers(0, 2**128 - 1).map(lambda n: f"{n:032x}"))))
def test_keys_of_many_ids_are_each_ids_key(ids: list[str]) -> None:
    """The all-in-C keys of a run's ids are exactly what `key_of` gives one by one, or
    nothing (then the caller asks one by one): spaces, signs and odd lengths included."""
    keys = keys_of(ids)
    if keys is not None:
        assert list(keys) == [key_of(ident) for ident in ids]
    elif (
        ids
        and all(len(i) == 32 for i in ids)
        and all(len(bytes.fromhex(i)) == 16 for i in ids if set(i) <= set("0123456789abcdefABCDEF"))
    ):
        assert any(not set(i) <= set("0123456789abcdefABCDEF") for i in ids)


def test_a_rebuild_whose_second_process_fails_reads_its_half_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        json.dumps(_record(n, "break", "completed", 1 + n % 4, f"{n:032x}")) for n in range(60)
    ]
    path = tmp_path / "h.jsonl"
    path.write_text("".join(line + "\n" for line in lines))
    whole = DayCache(tmp_path / "one.json", [path]).refresh()
    monkeypatch.setattr(halves, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(halves, "spare_cpu", lambda: True)
    monkeypatch.setattr(halves.threading, "active_count", lambda: 1)  # whatever ran before
    monkeypatch.setattr(day_split, "collect", _failed(day_split.collect))
    failed = DayCache(tmp_path / "two.json", [path]).refresh()
    assert sum(whole.breaks_completed.values()) == 60
    assert (failed.breaks_completed, failed.files[str(path)].lines) == (whole.breaks_completed, 60)


def _correction(action: str, target: str, made_day: int) -> bytes:
    line: dict = {
        "v": 1,
        "id": f"{made_day:02d}" + "c" * 30,
        "kind": "correction",
        "action": action,
        "target": target,
        "made": f"2026-03-{made_day:02d}T18:00:00.000+01:00",
    }
    if action in ("edit", "add"):
        line["record"] = {**_record(7, "break", "completed", 3, target), "active_s": 600.0}
    return json.dumps(line).encode()


corrections = st.builds(
    _correction,
    st.sampled_from(["edit", "delete", "add", "undo"]),
    st.sampled_from(["ab" * 16, "cd" * 16, "ef" * 16]),
    st.integers(1, 28),
)


@SETTINGS
@given(
    st.lists(
        st.lists(
            st.one_of(records.map(lambda r: json.dumps(r).encode()), odd_lines, corrections),
            max_size=30,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_a_split_rebuild_applies_corrections_like_one_process(
    tmp_path: Path, files: list[list[bytes]]
) -> None:
    """Corrections in either half, of records in either half (or in none), come out the same
    when the rebuild is split between two processes."""
    for old in tmp_path.glob("*"):
        old.unlink()
    paths = []
    for index, lines in enumerate(files):
        paths.append(tmp_path / f"{index}.jsonl")
        paths[-1].write_bytes(b"".join(line + b"\n" for line in lines))
    one = DayCache(tmp_path / "one.json", paths).refresh()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(halves, "PARALLEL_BYTES", 0)
        patch.setattr(halves, "spare_cpu", lambda: True)
        patch.setattr(halves.threading, "active_count", lambda: 1)  # whatever ran before
        two = DayCache(tmp_path / "two.json", paths).refresh()
    fields = ("breaks_completed", "moved_s", "files", "corrections", "originals", "absent")
    assert [getattr(two, f) for f in fields] == [getattr(one, f) for f in fields]
