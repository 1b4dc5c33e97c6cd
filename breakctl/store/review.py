"""Reads the history folder as one history: every file merged in `started` order, each record
id counted once, corrections applied. The day cache gives the all-time figures; a window is
read backwards from the end of each file; `last` and `stream` run in constant memory.

Within one file records are appended when they END, so `started` order can differ slightly
(a postponed break is written before the block it followed ends). Each file's stream is put
back in order through a heap of REORDER records: a record written up to REORDER records after
one that started later still comes out in place (a session writes a few records per block,
so only a record recovered days late can fall outside it, and is then listed a little late).
"""

from __future__ import annotations

import heapq
import itertools
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from breakctl.core.corrections import Resolved, apply_window
from breakctl.core.errors import DataError
from breakctl.core.record_codec import encode
from breakctl.core.records import BadLine, Correction, Record
from breakctl.core.stats import WeekStats
from breakctl.core.trend import review_of
from breakctl.core.window import Window
from breakctl.store.daycache.cache import DayCache
from breakctl.store.daycache.full_ids import find_written
from breakctl.store.daycache.id_list import ids_starting, list_path
from breakctl.store.daycache.ids import IdSet
from breakctl.store.daycache.summary import DaySummary, FileState
from breakctl.store.history import HistoryReader
from breakctl.store.history_dir import HistoryPlace, locate_history
from breakctl.store.paths import Paths

# Records are appended when they end, so a file is in order of `ended`. Once a record ended
# this long before the window starts, everything earlier in the file did too. The margin
# covers records written in other timezones. Recovered records are appended late (by the next
# command after a crash), so they never stop the scan.
MARGIN = timedelta(days=2)
MARGIN_S = int(MARGIN.total_seconds())
REORDER = 256  # records held per file to restore `started` order (see above)
RECENT_IDS = 4096  # ids remembered to drop a copy met again in the merged stream

Pair = tuple[bytes, Record]
Hosted = tuple[bytes, Record, str]  # a pair and the host id of the file it is in


@dataclass(frozen=True)
class Problem:
    """A line of one file that cannot be counted."""

    path: Path
    bad: BadLine


def cache_path(paths: Paths) -> Path:
    return paths.state_dir / "history-days.json"


@dataclass
class HistoryAccess:
    """The history folder and its day cache, refreshed once per command."""

    paths: Paths
    place: HistoryPlace
    files: list[Path]
    summary: DaySummary
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # files skipped, and why

    @classmethod
    def open(
        cls,
        paths: Paths,
        env: Mapping[str, str] | None = None,
        found: tuple[HistoryPlace, list[Path]] | None = None,
        now: datetime | None = None,
    ) -> HistoryAccess:
        """The history and its refreshed day cache; `found`: the place and its files, when the
        caller has looked already; `now`: the clock, which corrections cannot be ahead of."""
        unreadable: list[tuple[Path, str]] = []
        if found is None:
            place = locate_history(paths, env)
            files, unreadable = place.scan()
        else:
            place, files = found
        summary = DayCache(cache_path(paths), files).refresh(now)
        return cls(paths, place, files, summary, unreadable=unreadable)

    @property
    def resolved(self) -> Resolved:
        return self.summary.resolved

    def _state(self, path: Path) -> FileState:
        return self.summary.files.get(str(path)) or FileState()

    def _total_lines(self, reader: HistoryReader) -> int:
        # Past the cached offset there is at most one line: the last, without its newline yet.
        state = self._state(reader.path)
        return state.lines + (1 if reader.size() > state.offset else 0)

    # -- a window, read backwards --------------------------------------------------------------

    def window(self, start: date, end: date) -> tuple[list[Record], list[Problem]]:
        """The records whose day is in [start, end], in `started` order, and bad lines met.
        Each file is read backwards from its end to the first record that ended well before
        the window; before that point, only the spans (day cache) whose `started` range meets
        the window are read: right in any order of lines (imports, restored backups, clocks
        that jumped), and as fast as a backwards read when they are in order."""
        cutoff = datetime.combine(start, time.min).astimezone() - MARGIN
        days = (_epoch(start) - MARGIN_S, _epoch(end + timedelta(days=1)) + MARGIN_S)
        found: dict[str, Record] = {}
        problems: list[Problem] = []
        for path in self.files:
            reader = HistoryReader(path)
            bad: list[Problem] = []
            stopped = None
            for offset, _, item in reader.backwards(self._total_lines(reader)):
                if isinstance(item, BadLine):
                    bad.append(Problem(path, item))
                elif isinstance(item, Correction):
                    continue
                elif start <= item.day <= end:
                    found.setdefault(item.id or encode(item).decode(), item)
                elif item.outcome != "recovered" and item.ended < cutoff:
                    stopped = offset
                    break
            problems.extend(reversed(bad))
            if stopped is not None:
                for item in self._spans_before(reader, stopped, days):
                    if isinstance(item, BadLine):
                        problems.append(Problem(path, item))
                    elif start <= item.day <= end:
                        found.setdefault(item.id or encode(item).decode(), item)
        extras = Resolved(
            drop=self.resolved.drop,
            extras=tuple(r for r in self.resolved.extras if start <= r.day <= end),
        )
        return apply_window(found.values(), extras), problems

    def _spans_before(
        self, reader: HistoryReader, stop: int, days: tuple[int, int]
    ) -> Iterator[Record | BadLine]:
        """The records and bad lines before byte `stop` in the spans whose `started` range
        meets `days` (epoch seconds). The span `stop` is in is skipped when its records ended
        in the order written: the backwards read stopped at one that ended before the window
        (with a margin), so every record before it in the span did too."""
        low, high = days
        for begin, first, end, earliest, latest, ordered, _, _ in self._state(reader.path).spans:
            if begin >= stop:
                break
            if latest < low or earliest > high or (ordered and end > stop):
                continue  # its days are not the window's, or (ended in order) all before
            for _, _, _, item in reader.lines(begin, first, stop=min(end, stop)):
                if isinstance(item, Record | BadLine):
                    yield item

    # -- streams, in constant memory -----------------------------------------------------------

    def stream(
        self, starts: Mapping[Path, tuple[int, int]] | None = None, corrected: bool = True
    ) -> Iterator[Pair]:
        """Every record (or, given `starts`, those from each file's (offset, line)) with its
        line as written, merged in `started` order, copies dropped, corrections applied unless
        `corrected` is False. Bad lines met go to `self.problems`."""
        return (entry[:2] for entry in self.hosted(starts, corrected))

    def hosted(
        self, starts: Mapping[Path, tuple[int, int]] | None = None, corrected: bool = True
    ) -> Iterator[Hosted]:
        """As `stream`, each record with the host id of the file it was read from: "" for the
        history.jsonl of older versions and for a record as edited or added by a correction
        (it is in no one file)."""
        streams = []
        for path in self.files:
            offset, line = (starts or {}).get(path, (0, 1))
            host = "" if path == self.place.legacy else path.stem
            streams.append(_in_order(HistoryReader(path), offset, line, self.problems, host))
        merged = _once(heapq.merge(*streams, key=_started))
        resolved = self.resolved
        if resolved.empty or not corrected:
            return merged
        kept = (entry for entry in merged if entry[1].id not in resolved.drop)
        extras = [(encode(r).rstrip(b"\n"), r, "") for r in resolved.extras]
        return heapq.merge(kept, extras, key=_started)

    def last(self, count: int, corrected: bool = True) -> Iterator[Pair]:
        """As `last_hosted`, without the hosts."""
        return (entry[:2] for entry in self.last_hosted(count, corrected))

    def last_hosted(self, count: int, corrected: bool = True) -> Iterator[Hosted]:
        """The last `count` records in `started` order. Each file is read from where its last
        `count + REORDER` records begin; the merged stream is counted once, then read again
        past all but the last `count`: time grows with `count`, memory does not."""
        if count <= 0:
            return iter(())
        starts = {path: self._start_of_last(path, count + REORDER) for path in self.files}
        problems = self.problems
        self.problems = []
        total = sum(1 for _ in self.hosted(starts, corrected))
        self.problems = problems
        records = self.hosted(starts, corrected)
        for _ in range(max(0, total - count)):
            next(records)
        return records

    def _start_of_last(self, path: Path, count: int) -> tuple[int, int]:
        reader = HistoryReader(path)
        found = 0
        for offset, number, item in reader.backwards(self._total_lines(reader)):
            found += isinstance(item, Record)
            if found == count:
                return offset, number
        return 0, 1

    def find(self, prefix: str, deleted: bool = False) -> Record:
        """The record (as corrected) whose id starts with `prefix`; DataError when none or
        several do. With `deleted`, a record a delete took out is found too (as written).
        Reads the whole history: it is for one command's one record."""
        prefix = prefix.strip()
        if not prefix:
            raise DataError("give a record id (or its start), as `breakctl history` shows it")
        listed = self._find_listed(prefix, deleted)
        if listed is not None:
            return listed
        found: dict[str, Record] = {}
        records: Iterable[Record] = (r for _, r in self.stream(corrected=not deleted))
        if deleted:
            records = itertools.chain(records, self.resolved.extras)
        for record in records:
            if record.id.startswith(prefix):
                found[record.id] = record
                if len(found) > 1:
                    ids = " and ".join(sorted(found))
                    raise DataError(f"{prefix!r} matches more than one record ({ids}): give more")
        self.problems.clear()
        if not found:
            raise DataError(f"no record with an id starting {prefix!r} (see `breakctl history`)")
        record = next(iter(found.values()))
        winner = self.resolved.by_target.get(record.id)
        return winner.record if winner is not None and winner.record is not None else record

    def _find_listed(self, prefix: str, deleted: bool) -> Record | None:
        """`find` through the day cache's id list (store/daycache/id_list.py): the ids that
        start with `prefix` found there, the one record read from the end of its file. None
        when the list cannot vouch for every record (an id it cannot hold, a start too short,
        a line still being written, a file it could not read): then the history is read."""
        summary = self.summary
        if (
            summary.odd_ids
            or self.unreadable
            or any(HistoryReader(path).size() != self._state(path).offset for path in self.files)
        ):
            return None
        listed = ids_starting(list_path(cache_path(self.paths)), summary.listed, prefix)
        if listed is None:
            return None
        resolved = self.resolved
        if not deleted:  # as `stream` has them: a record deleted or edited is not as written
            listed -= resolved.drop
        listed |= {r.id for r in resolved.extras if r.id.startswith(prefix)}
        if len(listed) > 1:
            ids = " and ".join(sorted(listed)[:2])
            raise DataError(f"{prefix!r} matches more than one record ({ids}): give more")
        if not listed:
            raise DataError(f"no record with an id starting {prefix!r} (see `breakctl history`)")
        (ident,) = listed
        winner = resolved.by_target.get(ident)
        if winner is not None and winner.record is not None:
            return winner.record
        return find_written(self.files, ident)

    def seen(self) -> IdSet:
        """The ids of every record counted, for `history import` (the id file read, not loaded);
        a key met already is looked up by its full id in the files, this machine's included."""
        files = list(self.files)
        if self.place.host_file not in files:  # what an import appends is searched too
            files.append(self.place.host_file)
        return IdSet(cache_path(self.paths), self.summary, files)


def _epoch(day: date) -> int:
    return int(datetime.combine(day, time.min, UTC).timestamp())


def _started(pair: Pair | Hosted) -> datetime:
    return pair[1].started


def _in_order(
    reader: HistoryReader, start: int, first_line: int, problems: list[Problem], host: str
) -> Iterator[Hosted]:
    """One file's records in `started` order, through a heap of REORDER."""
    heap: list[tuple[datetime, int, bytes, Record]] = []
    for seq, (_, _, raw, item) in enumerate(reader.lines(start, first_line)):
        if item is None or isinstance(item, Correction):
            continue
        if isinstance(item, BadLine):
            problems.append(Problem(reader.path, item))
            continue
        heapq.heappush(heap, (item.started, seq, raw, item))
        if len(heap) > REORDER:
            _, _, raw_out, record = heapq.heappop(heap)
            yield raw_out, record, host
    while heap:
        _, _, raw_out, record = heapq.heappop(heap)
        yield raw_out, record, host


def _once(entries: Iterable[Hosted]) -> Iterator[Hosted]:
    """Drop a record whose id was met among the last RECENT_IDS: copies of one record have
    the same `started`, so in the merged stream they come together."""
    recent: OrderedDict[str | bytes, None] = OrderedDict()
    for entry in entries:
        key: str | bytes = entry[1].id or entry[0]
        if key in recent:
            continue
        recent[key] = None
        if len(recent) > RECENT_IDS:
            recent.popitem(last=False)
        yield entry


def review(
    access: HistoryAccess,
    window: Window,
    today: date,
    targets: Mapping[str, Sequence[str]],
    goal: int,
    now: datetime | None = None,
    day_off: Callable[[date], bool] | None = None,
) -> tuple[WeekStats, list[Problem]]:
    """The window's figures (core/trend.review_of) and the bad lines met reading them."""
    records, bad = access.window(window.previous().start, window.end)
    breaks = access.summary.breaks_completed
    return review_of(window, records, breaks, targets, today, goal, now, day_off), bad
