"""`breakctl history check`: every line of every history file read once, and what is wrong
reported: lines that cannot be counted (with why), one id written with different contents,
corrections of records that are not there. Reads only; the day cache is not involved.

Like the day cache, the check reads a run of lines at a time and decodes a run of plain
records in one call. The ids' keys are gathered as it goes; only when a key turns up twice is
the history read again, to compare the copies' contents."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from breakctl.core.corrections import dangling, resolve
from breakctl.core.records import BadLine, Correction, Record, decode_block
from breakctl.store.history import HistoryReader, Run, careful_items
from breakctl.store.id_index import id_hash, key_of, keys_of

_ID = attrgetter("id")
_KIND = attrgetter("kind")


@dataclass
class CheckReport:
    lines: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    corrections: int = 0
    problems: int = 0


def check_history(files: list[Path], report: Callable[[str], None]) -> CheckReport:
    """Read every file; each problem found goes to `report` as one line."""
    out = CheckReport()
    keys = array("Q")
    corrections: list[Correction] = []
    for path in files:
        for run in HistoryReader(path).runs():
            out.lines += run.line_count
            _check_run(path, run, out, keys, corrections, report)

    counted = set(keys)
    if len(counted) != len(keys):
        repeated = {key for key, n in Counter(keys).items() if n > 1}
        out.problems += _report_copies(files, repeated, report)
    out.corrections = len(corrections)
    present = {key for key in map(key_of, (c.target for c in corrections)) if key in counted}
    resolved = resolve(corrections)
    for correction in dangling(resolved, lambda ident: key_of(ident) in present):
        what = "correction" if correction.action == "undo" else "record"
        report(
            f"correction {correction.id[:8]} ({correction.action}, made "
            f"{correction.made:%Y-%m-%d %H:%M}): no {what} {correction.target} "
            "(it changes nothing)"
        )
        out.problems += 1
    return out


def _check_run(
    path: Path, run: Run, out: CheckReport, keys: array[int], corrections: list[Correction],
    report: Callable[[str], None],
) -> None:  # fmt: skip
    records = None if run.overlong else decode_block(run.lines)
    if records is not None:
        out.kinds.update(map(_KIND, records))
        fast = keys_of(list(map(_ID, records)))
        if fast is None:  # some record has no id, or not one of breakctl's
            lines = run.lines
            fast = array("Q", (id_hash(r.id, raw.removesuffix(b"\r"))
                               for r, raw in zip(records, lines, strict=True)))  # fmt: skip
        keys.extend(fast)
        return
    for number, raw, item in careful_items(run):
        if isinstance(item, BadLine):
            report(f"{path}:{number}: {item.reason}")
            out.problems += 1
        elif isinstance(item, Correction):
            corrections.append(item)
        elif item is not None:
            out.kinds[item.kind] += 1
            keys.append(id_hash(item.id, raw.removesuffix(b"\r")))


def _report_copies(files: list[Path], repeated: set[int], report: Callable[[str], None]) -> int:
    """Read again, comparing each repeated id's lines with the first met: copies are byte for
    byte the same; report the ones that are not."""
    first: dict[int, tuple[int, Path, int]] = {}
    problems = 0
    for path in files:
        for _, number, raw, item in HistoryReader(path).lines():
            if not isinstance(item, Record):
                continue
            key = id_hash(item.id, raw)
            if key not in repeated:
                continue
            seen = first.setdefault(key, (hash(raw), path, number))
            if seen[0] != hash(raw):
                report(
                    f"{path}:{number}: id {item.id} also at {seen[1]}:{seen[2]} with "
                    "different contents (counted once, as first read)"
                )
                problems += 1
    return problems
