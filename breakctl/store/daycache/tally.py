"""Reading history files into the per-day figures the day cache keeps: completed breaks and
moved seconds per day, each record id counted once, the corrections met collected.

A long history is read a run of lines at a time (store/history.py): a run of plain records is
decoded in a row and added up with a few calls; only a run holding a bad line or a correction
goes line by line.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from pathlib import Path

from breakctl.core.record_bulk import decode_counted
from breakctl.core.records import BadLine, Correction, Record, moved_seconds
from breakctl.store.daycache.full_ids import find_records, record_lines
from breakctl.store.daycache.id_list import IdList
from breakctl.store.daycache.ids import IdIndex, id_hash, keys_for
from breakctl.store.daycache.keyset import KeySet
from breakctl.store.daycache.summary import DaySummary, FileState
from breakctl.store.history import HistoryReader, Run, careful_items

_STARTED = attrgetter("started")
_ENDED = attrgetter("ended")


SPAN_BYTES = 1 << 20  # a span grows by the runs read until it is this long
# A span: [start, first line, end, earliest and latest `started`, 1 when its records ended in
# the order written, latest and first `ended`] (times in whole epoch seconds; a span without
# records has earliest > latest).
Span = list[int]


def note_span(spans: list[Span], run: Run, records: list[Record]) -> None:
    """Add `run` to the spans of its file: to the last one while that is short (a refresh
    often reads a line or two), else as a new one."""
    if records:
        started = list(map(_STARTED, records))
        ended = list(map(_ENDED, records))
        new = [
            run.start,
            run.first,
            run.end,
            _epoch(min(started)),
            _epoch(max(started)) + 1,
            int(ended == sorted(ended)),
            _epoch(max(ended)),
            _epoch(ended[0]),
        ]
    else:
        new = [run.start, run.first, run.end, 1, 0, 1, 0, 0]
    add_span(spans, new)


def add_span(spans: list[Span], new: Span) -> None:
    """Append `new`, or grow the last span by it while that stays under SPAN_BYTES."""
    last = spans[-1] if spans else None
    if last is None or last[2] != new[0] or new[2] - last[0] > SPAN_BYTES:
        spans.append(new)
        return
    last[2] = new[2]
    if new[3] > new[4]:
        return  # no records to add
    if last[3] > last[4]:  # none yet: the new ones are all
        last[3:] = new[3:]
        return
    last[5] = int(bool(last[5] and new[5] and new[7] >= last[6]))
    last[3], last[4] = min(last[3], new[3]), max(last[4], new[4])
    last[6] = max(last[6], new[6])


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def contribution(record: Record) -> tuple[date, int, float]:
    """What one record adds to the per-day figures."""
    breaks: dict[date, int] = {}
    moved: dict[date, float] = {}
    add_up((record,), breaks, moved)
    day = record.started.date()
    return day, breaks.get(day, 0), moved.get(day, 0.0)


def add_up(records: Iterable[Record], breaks: dict[date, int], moved: dict[date, float]) -> None:
    """Add what the records count for to the per-day figures: a completed break, and the
    seconds moved in breaks taken and routines (Record.moved_s). One plain loop (measured
    faster than C-level maps here): a rebuild runs it over the whole history."""
    for record in records:
        kind = record.kind
        if kind == "work" or (kind == "break" and record.outcome != "completed"):
            continue  # a break not taken moved nothing
        day = record.started.date()
        if kind == "break":
            breaks[day] = breaks.get(day, 0) + 1
        # Record.moved_s, worked out only where it differs from active_s (measured: a call
        # per record cost a rebuild half as much again).
        seconds = moved_seconds(record) if record.natural else record.active_s
        if seconds:
            moved[day] = moved.get(day, 0.0) + seconds


@dataclass
class Counted:
    """What a fresh tally counted, as a child process sends it back (`Tally.counted`)."""

    breaks: dict[date, int]
    moved: dict[date, float]
    keys: KeySet  # its temp file, when it spooled them, handed over with it
    corrections: list[Correction]
    originals: dict[str, tuple[date, int, float]]
    states: dict[str, FileState]
    unique: bool  # no key repeats among `keys`
    ids: IdList  # the ids read


class Tally:
    """One refresh's reading of the files: new lines counted into the raw per-day figures.

    `fresh` (a rebuild, nothing counted yet): every id's key is collected and checked for
    repeats once at the end (`keys`); when one repeats, the caller reads again not fresh,
    where each record is checked as it comes, so the first one read is the one counted."""

    def __init__(
        self,
        summary: DaySummary,
        breaks: dict[date, int],
        moved: dict[date, float],
        index: IdIndex,
        fresh: bool,
        spool: Path | None = None,
    ) -> None:
        """`spool`: where a rebuild keeps the ids it reads (IdList), when it keeps them."""
        self.summary, self.breaks, self.moved, self.index = summary, breaks, moved, index
        self.known = {c.id for c in summary.corrections}
        # The ids named by a correction whose record as written is not yet known.
        self.wanted = {c.target for c in summary.corrections if c.action != "undo"}
        self.wanted -= summary.originals.keys()
        self.keys: KeySet | None = KeySet(spool) if fresh else None
        self.unique: bool | None = None  # whether no key repeats, when already checked
        # Ids of records whose key was counted already: copies, unless the full id says
        # otherwise (ids only: a conflict copy can repeat a whole file).
        self.suspects: list[tuple[str, FileState]] = []
        self.ids = IdList(spool)  # every record's id read, for finding one by its start

    def read(self, path: Path, state: FileState, stop: int | None = None) -> None:
        """Count the complete lines of `path` past `state` (up to byte `stop`, a line boundary,
        if given), and move `state` on."""
        last: Record | None = None
        reader = HistoryReader(path)
        runs = reader.runs(state.offset, state.lines + 1, complete_only=True, stop=stop)
        for run in runs:
            records = self._run(run, state)
            last = records[-1] if records else last
            note_span(state.spans, run, records)
            state.offset, state.lines = run.end, run.first + run.line_count - 1
        if last is not None:
            state.last = f"{last.started.isoformat(timespec='seconds')} {last.kind}"

    def _run(self, run: Run, state: FileState) -> list[Record]:
        """Count one run of lines; the records in it."""
        counted = None if run.overlong else decode_counted(run.lines)
        if counted is None:
            return self._lines(run, state)
        records, breaks, moved = counted
        state.records += len(records)
        keys, packed = keys_for(records, run.lines)
        self.ids.add(packed, records)
        if self._all_new(keys):
            if self.wanted:
                self._originals(records)
            for day, count in breaks.items():
                self.breaks[day] = self.breaks.get(day, 0) + count
            for day, seconds in moved.items():
                self.moved[day] = self.moved.get(day, 0.0) + seconds
            state.own += len(records)
        else:  # a copy: which one counts depends on the order
            for record, key in zip(records, keys, strict=True):
                state.own += self._record(record, key, state)
        return records

    def _lines(self, run: Run, state: FileState) -> list[Record]:
        found = []
        for _, raw, item in careful_items(run):
            if item is None or isinstance(item, BadLine):
                continue
            state.records += 1
            if isinstance(item, Correction):
                self.correction(item)
            else:
                found.append(item)
                self.ids.add(None, (item,))
                state.own += self._record(item, id_hash(item.id, raw.removesuffix(b"\r")), state)
        return found

    def _all_new(self, keys: array[int]) -> bool:
        if self.keys is not None:
            self.keys.extend(keys)
            return True
        return self.index.add_all(keys)

    def correction(self, item: Correction) -> None:
        if item.id in self.known:
            return
        self.known.add(item.id)
        self.summary.corrections.append(item)
        if item.action != "undo" and item.target not in self.summary.originals:
            self.wanted.add(item.target)

    def _record(self, item: Record, key: int, state: FileState) -> bool:
        """Count `item` unless its key was counted already (then `settle` decides); whether
        it counted."""
        if self.keys is not None:
            self.keys.append(key)
        elif not self.index.add(key):
            if item.id:  # one without an id is known by its bytes: the same bytes, a copy
                self.suspects.append((item.id, state))
            return False
        self._count(item)
        return True

    def _count(self, item: Record) -> None:
        self._originals((item,))
        add_up((item,), self.breaks, self.moved)

    def settle(self, files: Sequence[Path]) -> None:
        """Count the suspects that are not copies: a record whose id no line counted before
        holds shares only its key with another (the first line of each such id counts)."""
        if not self.suspects:
            return
        lines = record_lines(files, {ident for ident, _ in self.suspects})
        suspected = Counter(ident for ident, _ in self.suspects)
        distinct: dict[str, FileState] = {}
        for ident, state in self.suspects:
            if lines[ident] == suspected[ident]:  # every line of it was a suspect
                distinct.setdefault(ident, state)
        self.suspects.clear()
        for ident, record in find_records(files, set(distinct)).items():
            self._count(record)
            distinct[ident].own += 1

    def _originals(self, records: Iterable[Record]) -> None:
        """Keep what a record named by a correction adds as written."""
        for item in records:
            if item.id in self.wanted:
                self.summary.originals[item.id] = contribution(item)
                self.summary.absent.discard(item.id)
                self.wanted.discard(item.id)

    def counted(self, states: dict[str, FileState]) -> Counted:
        """What this fresh tally counted, with the states of the files it read."""
        keys = self.keys
        assert keys is not None, "a fresh tally collects its keys"
        summary = self.summary
        return Counted(
            self.breaks,
            self.moved,
            keys,
            summary.corrections,
            summary.originals,
            states,
            unique=keys.unique(),
            ids=self.ids,
        )

    def merge(self, other: Counted, states: dict[str, FileState]) -> None:
        """Add what another tally counted (a child's half) as if read after this one."""
        for day, count in other.breaks.items():
            self.breaks[day] = self.breaks.get(day, 0) + count
        for day, seconds in other.moved.items():
            self.moved[day] = self.moved.get(day, 0.0) + seconds
        if self.keys is not None:
            self.keys.update(other.keys)
        other.keys.discard()
        self.ids.merge(other.ids)
        for ident, contribution in other.originals.items():
            self.summary.originals.setdefault(ident, contribution)
            self.summary.absent.discard(ident)
            self.wanted.discard(ident)
        for correction in other.corrections:
            self.correction(correction)
        for name, part in other.states.items():
            state = states[name]
            # The file this process read the first half of goes on; the others are the child's.
            for span in part.spans:  # the first may continue this process's last one
                add_span(state.spans, [span[0], span[1] + state.lines, *span[2:]])
            state.lines += part.lines
            state.records += part.records
            state.own += part.own
            state.offset = part.offset
            state.last = part.last or state.last
