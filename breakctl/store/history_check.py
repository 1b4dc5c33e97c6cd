"""`breakctl history check`: every line of every history file read once, and what is wrong
reported: lines that cannot be counted (with why), one id written with different contents,
corrections of records that are not there. Reads only; the day cache is not involved.

Like the day cache, the check reads a run of lines at a time and decodes a run of plain
records in one call. The ids' keys are gathered as it goes; only when a key turns up twice is
the history read again, to compare the copies' contents."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from pathlib import Path

from breakctl.core.corrections import dangling, resolve
from breakctl.core.record_bulk import decode_run
from breakctl.core.records import BadLine, Correction, Record
from breakctl.store.daycache.full_ids import record_lines
from breakctl.store.daycache.ids import id_hash, key_of, keys_for
from breakctl.store.daycache.keyset import KeySet
from breakctl.store.halves import Segment, collect, fork_call, halves
from breakctl.store.history import HistoryReader, Run, careful_items, collector_paused

_KIND = attrgetter("kind")


@dataclass
class CheckReport:
    lines: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    corrections: int = 0
    problems: int = 0


@dataclass
class _Read:
    """What a reading of some files found: the report's counts, every id's key, the
    corrections, and the bad lines (file, number from the reading's start, why)."""

    out: CheckReport = field(default_factory=CheckReport)
    keys: KeySet = field(default_factory=KeySet)
    corrections: list[Correction] = field(default_factory=list)
    bad: list[tuple[Path, int, str]] = field(default_factory=list)
    lines_of: dict[Path, int] = field(default_factory=dict)  # lines read of each file


def check_history(
    files: list[Path], report: Callable[[str], None], now: datetime | None = None
) -> CheckReport:
    """Read every file (the second half in a second process when the history is long); each
    problem found goes to `report` as one line. `now`: the clock, as readers order
    corrections by it."""
    with collector_paused():
        found = _read_all(files, report)
    out, keys, corrections = found.out, found.keys, found.corrections
    repeated = keys.repeated()
    if repeated:
        out.problems += _report_copies(files, repeated, out.kinds, report)
    out.corrections = len(corrections)
    # A target whose key was counted is there if a record line holds that very id.
    maybe = {c.target for c in corrections if key_of(c.target) in keys}
    present = set(record_lines(files, maybe)) if maybe else set()
    resolved = resolve(corrections, now)
    for correction in dangling(resolved, present.__contains__):
        what = "correction" if correction.action == "undo" else "record"
        report(
            f"correction {correction.id[:8]} ({correction.action}, made "
            f"{correction.made:%Y-%m-%d %H:%M}): no {what} {correction.target} "
            "(it changes nothing)"
        )
        out.problems += 1
    return out


def _read_all(files: list[Path], report: Callable[[str], None]) -> _Read:
    """Every line of `files` checked: the second half in a second process when the history is
    long and two CPUs are free to use."""
    split = halves(files)
    child = fork_call(lambda: _read(split[1])) if split is not None else None
    if split is None or child is None:
        return _read([(path, 0, None) for path in files], report)
    found = _read(split[0], report)
    part = collect(child)
    if not isinstance(part, _Read):  # the child failed: read its half here
        part = _read(split[1], report, found.lines_of)
    _add(found, part, report)
    return found


def _read(
    segments: list[Segment],
    report: Callable[[str], None] | None = None,
    lines_before: dict[Path, int] | None = None,
) -> _Read:
    """Check `segments`; each bad line goes to `report` at once, or is kept (numbered from
    `lines_before` of its file, else from the segment's start) when there is none."""
    found = _Read()
    for path, start, stop in segments:
        first = found.lines_of.get(path, (lines_before or {}).get(path, 0)) + 1
        for run in HistoryReader(path).runs(start, first, stop=stop):
            found.out.lines += run.line_count
            found.lines_of[path] = run.first + run.line_count - 1
            for number, reason in _check_run(run, found):
                if report is None:
                    found.bad.append((path, number, reason))
                else:
                    report(f"{path}:{number}: {reason}")
                    found.out.problems += 1
    return found


def _add(found: _Read, part: _Read, report: Callable[[str], None]) -> None:
    """The second half's findings after the first's, its line numbers made the file's."""
    found.out.lines += part.out.lines
    found.out.problems += part.out.problems  # reported already (when read here)
    found.out.kinds.update(part.out.kinds)
    found.keys.update(part.keys)
    found.corrections.extend(part.corrections)
    for path, number, reason in part.bad:
        report(f"{path}:{number + found.lines_of.get(path, 0)}: {reason}")
        found.out.problems += 1


def _check_run(run: Run, found: _Read) -> Iterator[tuple[int, str]]:
    """Count one run into `found`; yield its bad lines (number, why)."""
    records = None if run.overlong else decode_run(run.lines)
    if records is not None:
        found.out.kinds.update(map(_KIND, records))
        found.keys.extend(keys_for(records, run.lines)[0])
        return
    for number, raw, item in careful_items(run):
        if isinstance(item, BadLine):
            yield number, item.reason
        elif isinstance(item, Correction):
            found.corrections.append(item)
        elif item is not None:
            found.out.kinds[item.kind] += 1
            found.keys.append(id_hash(item.id, raw.removesuffix(b"\r")))


def _report_copies(
    files: list[Path], repeated: set[int], kinds: Counter[str], report: Callable[[str], None]
) -> int:
    """Read again, comparing each repeated id's lines with the first met: copies are byte for
    byte the same; report the ones that are not. A record counts once, as the readers count
    it: every line after the first of one id comes off `kinds`."""
    first: dict[tuple[int, str], tuple[int, Path, int]] = {}
    problems = 0
    for path in files:
        for _, number, raw, item in HistoryReader(path).lines():
            if not isinstance(item, Record):
                continue
            key = id_hash(item.id, raw)
            if key not in repeated:
                continue
            # Two ids that share a key are two records: the full id tells them apart.
            seen = first.setdefault((key, item.id), (hash(raw), path, number))
            if seen[1:] != (path, number):
                kinds[item.kind] -= 1
            if seen[0] != hash(raw):
                report(
                    f"{path}:{number}: id {item.id} also at {seen[1]}:{seen[2]} with "
                    "different contents (counted once, as first read)"
                )
                problems += 1
    return problems
