"""Issue 25: the counting readers decode a run with `record_bulk` (no Python call per record)
and keep ids' keys in a `KeySet` (bounded memory). Both must answer exactly what the careful
path answers: a run is taken in bulk only when every line is a record `decode_line` takes
(and then counts what `add_up` counts over those records), and refused only where the careful
path has to look closer; a key set says what a plain set says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from array import array
from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from breakctl.core.record_bulk import decode_counted, decode_run
from breakctl.core.record_codec import decode_line
from breakctl.core.records import MAX_PLANNED_S, Record
from breakctl.store import halves
from breakctl.store.daycache.keyset import KeySet
from breakctl.store.daycache.tally import add_up

# Numbers drawn around the bounds a record's span sets: 0, the span, the span and its
# second of slack, just past it; a plan around a week.
_SECONDS = st.sampled_from([0.0, 0.5, 30.0, 59.0, 60.0, 60.999, 61.0, 61.001, 120.0])
_PLANNED = st.sampled_from([None, 0.0, 300.0, MAX_PLANNED_S, MAX_PLANNED_S + 0.001])


@st.composite
def record_lines(draw: st.DrawFn) -> bytes:
    """A record line, most often a sound one, with each bound tried on its own."""
    kind = draw(st.sampled_from(["work", "break", "routine"]))
    span = draw(st.sampled_from([60, 60, 60, 0, -1, -2]))  # seconds from started to ended
    # The last minute of a year, so that `ended` may be in the next one.
    year = draw(st.sampled_from([2026, 2026, 1899, 1900, 9998]))
    started = datetime(year, 12, 31, 23, 59, tzinfo=UTC)
    offset = draw(st.sampled_from([timedelta(0), timedelta(0), timedelta(hours=-5)]))
    zone = timezone(offset)
    ended = started + timedelta(seconds=span)
    out: dict[str, object] = {
        "v": 1,
        "id": draw(st.sampled_from(["", "ab" * 16, "other"])),
        "kind": kind,
        "started": started.astimezone(zone).isoformat(),
        "ended": ended.astimezone(zone).isoformat(),
        "planned_s": draw(_PLANNED),
        "active_s": draw(_SECONDS),
        "paused_s": draw(st.sampled_from([0.0, 0.0, 0.5, 1.0])),
        "outcome": draw(st.sampled_from(["completed", "skipped", "cut-short"])),
    }
    for name in ("suspended_s", "away_s", "input_s"):
        if draw(st.integers(0, 3)) == 0:
            out[name] = draw(_SECONDS)
    if draw(st.integers(0, 3)) == 0:
        out["natural"] = True
    steps = draw(st.sampled_from(["some", "some", "empty", "none", "absent"]))
    if steps != "absent" and (kind != "work" or draw(st.booleans())):
        out["steps"] = {
            "none": None,
            "empty": [],
            "some": [{"exercise": "neck", "outcome": "done", "active_s": draw(_SECONDS)}],
        }[steps]
    return json.dumps(out, separators=(",", ":")).encode()


def _line(**fields: object) -> bytes:
    """A sound break of 60 s, with `fields` put in."""
    out: dict[str, object] = {
        "v": 1,
        "kind": "break",
        "started": "2026-03-01T09:00:00+00:00",
        "ended": "2026-03-01T09:01:00+00:00",
        "active_s": 60,
        "outcome": "completed",
        "steps": [],
    }
    out.update(fields)
    return json.dumps(out).encode()


def _careful(lines: list[bytes]) -> list[Record] | None:
    items = [decode_line(line, n) for n, line in enumerate(lines, 1)]
    records = [item for item in items if isinstance(item, Record)]
    return records if len(records) == len(lines) else None


@settings(max_examples=600)
@given(st.lists(record_lines(), min_size=1, max_size=3))
@example([_line(steps=[{"exercise": "a", "outcome": "done", "active_s": 61.001}])])
@example([_line(steps=[{"exercise": "a", "outcome": "done", "active_s": 61.0}])])
@example([_line(input_s=61.001)])
@example([_line(ended="2026-03-01T08:59:59+00:00", active_s=0)])
@example([_line(ended="2026-03-01T08:59:58+00:00", active_s=0)])
@example([_line(kind="routine", steps=None)])
@example([_line(), _line(natural=True, planned_s=30)])
def test_a_run_is_taken_in_bulk_exactly_when_every_line_is_a_record(lines: list[bytes]) -> None:
    careful = _careful(lines)
    counted = decode_counted(lines)
    assert (decode_run(lines) is None) == (counted is None)
    if counted is None:
        # Refused in bulk: the caller reads the run line by line, which is always right.
        # What the careful path takes that the bulk one refuses is a line it repairs (a work
        # block's steps it drops), never a sound one.
        assert careful is None or any(
            b'"kind":"work"' in line and b'"steps"' in line for line in lines
        )
        return
    assert careful is not None
    records, breaks, moved = counted
    assert [r.id for r in records] == [r.id for r in careful]
    want_breaks: dict[date, int] = {}
    want_moved: dict[date, float] = {}
    add_up(careful, want_breaks, want_moved)
    assert breaks == want_breaks
    assert moved == want_moved


@given(st.lists(st.integers(0, 2**64 - 1), max_size=300), st.integers(0, 299))
def test_a_key_set_answers_as_a_plain_set(keys: list[int], copy: int) -> None:
    if keys and copy % 3 == 0:
        keys.append(keys[copy % len(keys)])  # a copy, now and then
    found = KeySet()
    half = len(keys) // 2
    found.extend(array("Q", keys[:half]))
    for key in keys[half:]:
        found.append(key)
    assert len(found) == len(keys)
    assert sorted(found) == sorted(keys)
    assert found.unique() == (len(set(keys)) == len(keys))
    assert found.repeated() == {key for key, n in Counter(keys).items() if n > 1}
    assert all(key in found for key in keys)
    other = KeySet()
    other.frombytes(array("Q", keys).tobytes())
    both = KeySet()
    both.update(found)
    both.update(other)
    assert sorted(both) == sorted(keys + keys)
    assert sorted(KeySet().__iter__()) == []
    assert bytes(sorted(found.tobytes())) == bytes(sorted(array("Q", keys).tobytes()))


CPU_PROBE = (
    "import os, sys\n"
    "from pathlib import Path\n"
    "from breakctl.store import halves\n"
    "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
    "halves.PARALLEL_BYTES = 0\n"
    "os.getloadavg = lambda: (0.0, 0.0, 0.0)\n"
    "os.cpu_count = lambda: 8\n"
    "print(halves.usable_cpus(), halves.halves([Path(sys.argv[1])]) is None)\n"
)


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_one_allowed_cpu_reads_in_one_process(tmp_path: Path) -> None:
    """`taskset -c 0` (or a cgroup's cpuset) leaves one CPU: no second process, however many
    the machine has (issue 25: the split read ran 1.15-1.25x slower there)."""
    history = tmp_path / "h.jsonl"
    history.write_bytes(_line() + b"\n" + _line() + b"\n")
    done = subprocess.run(
        [sys.executable, "-c", CPU_PROBE, str(history)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["1", "True"]


def test_a_busy_machine_reads_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(halves, "usable_cpus", lambda: 2)
    monkeypatch.setattr(halves.os, "getloadavg", lambda: (1.2, 1.0, 1.0))
    assert not halves.spare_cpu()
    monkeypatch.setattr(halves.os, "getloadavg", lambda: (0.3, 1.0, 1.0))
    assert halves.spare_cpu()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=200), st.booleans())
def test_a_spooled_key_set_answers_as_a_plain_set(keys: list[int], copy: bool) -> None:
    """A rebuild's keys go to a temp file every few (here: 7) keys; every answer is the same,
    and the file becomes the id file with every key in it."""
    from breakctl.store.daycache import keyset

    if keys and copy:
        keys.append(keys[len(keys) // 2])
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(keyset, "SPILL_KEYS", 7)
        found = KeySet(Path(folder))
        for start in range(0, len(keys), 5):
            found.extend(array("Q", keys[start : start + 5]))
        assert len(found) == len(keys)
        assert sorted(found) == sorted(keys)
        assert found.unique() == (len(set(keys)) == len(keys))
        assert found.repeated() == {key for key, n in Counter(keys).items() if n > 1}
        assert all(key in found for key in keys)
        assert (2**64 - 1 in found) == (2**64 - 1 in keys)
        target = Path(folder) / "ids.bin"
        found.write(target)
        written = array("Q")
        written.frombytes(target.read_bytes())
        assert sorted(written) == sorted(keys)
        found.discard()
        assert [p.name for p in Path(folder).iterdir()] == ["ids.bin"]
