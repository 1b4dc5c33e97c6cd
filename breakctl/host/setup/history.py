"""Preparing `breakctl history`'s subcommands: the folder's files as `hosts` lists them, an
export's days and its lines in each format, and an import's records sorted into new, already
there and unreadable. No Typer, no Rich: the commands parse their options and print what
these return."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from breakctl.core.calendar import ICS_FOOTER, ICS_HEADER, ICS_KINDS, ics_event
from breakctl.core.corrections import FUTURE_SLACK
from breakctl.core.errors import DataError
from breakctl.core.record_codec import CSV_HEADER, csv_row
from breakctl.core.records import BadLine, Correction
from breakctl.store.history import History, HistoryReader
from breakctl.store.history_dir import machine_of
from breakctl.store.history_import import ImportBatches, check_import_source
from breakctl.store.review import HistoryAccess, Hosted, Problem

EXPORT_FORMATS = ("csv", "json", "ics")
PROGRESS_STEP = 256 * 1024  # bytes of an imported file between two progress reports


def host_rows(access: HistoryAccess) -> list[dict[str, Any]]:
    """One row per machine (the legacy file as one), its sync conflict copies in it."""
    rows: dict[str, dict[str, Any]] = {}
    for path in access.files:
        state = access.summary.files.get(str(path))
        records, own = (state.records, state.own) if state else (0, 0)
        if path == access.place.legacy:
            machine, copy = "(before the history folder)", False
        else:
            machine, copy = machine_of(path.name)
        row = rows.setdefault(
            machine,
            {
                "host": machine,
                "file": "",
                "records": 0,
                "last": "",
                "this machine": path.parent / f"{machine}.jsonl" == access.place.host_file,
                "copies": [],
            },
        )
        if copy:
            row["copies"].append({"file": str(path), "records": records, "own": own})
        else:
            row.update(file=str(path), records=records, last=state.last if state else "")
    return list(rows.values())


def export_days(fmt: str, since: str | None, until: str | None) -> tuple[date, date]:
    """The first and last day an export holds, its options checked."""
    if fmt not in EXPORT_FORMATS:
        raise DataError(f"--format: expected csv, json or ics, got {fmt!r}")
    first = _day(since, "--since") if since else date.min
    end = _day(until, "--until") if until else date.max
    if end < first:
        raise DataError(f"--until {end} is before --since {first}")
    return first, end


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{option}: expected a date like 2026-11-16, got {value!r}") from None


def export(out: BinaryIO, fmt: str, entries: Iterator[Hosted], stamp: datetime) -> int:
    """Write the records (each with its line as written and its host) in `fmt`; how many
    were written."""
    count = 0
    if fmt == "csv":
        out.write(CSV_HEADER)
    elif fmt == "ics":
        out.write(ICS_HEADER)
    for line, record, host in entries:
        if fmt == "csv":
            out.write(csv_row(record, host))
        elif fmt == "json":
            out.write(line + b"\n")
        elif record.kind in ICS_KINDS:
            out.write(ics_event(record, stamp))
        else:
            continue
        count += 1
    if fmt == "ics":
        out.write(ICS_FOOTER)
    out.flush()
    return count


@dataclass
class Imported:
    new: int = 0
    old: int = 0  # already in the history
    bad: list[Problem] = field(default_factory=list)
    ahead: list[str] = field(default_factory=list)  # lines of corrections dated ahead of now


def import_records(
    file: Path,
    access: HistoryAccess,
    history: History,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> Imported:
    """Append the records of `file` that the history does not hold yet, in batches;
    `progress` gets the bytes of `file` read so far as it goes. A correction dated ahead of
    `now` (a machine whose clock was wrong) is never written."""
    check_import_source(file)
    history.ensure_writable()
    state = access.summary.files.get(str(history.path))
    batches = ImportBatches(history, access.seen(), state.offset if state else 0)
    result = Imported()
    report_at, limit = 0, now + FUTURE_SLACK
    for offset, number, raw, item in HistoryReader(file).lines():
        if isinstance(item, Correction) and item.made > limit:
            result.ahead.append(str(number))
        elif isinstance(item, BadLine):
            result.bad.append(Problem(file, item))
        elif item is not None:
            try:
                batches.offer(item, raw)
            except ValueError as exc:
                result.bad.append(Problem(file, BadLine(number, str(exc))))
        if progress is not None and offset >= report_at:
            progress(offset)
            report_at = offset + PROGRESS_STEP
    batches.flush()
    result.new, result.old = batches.new, batches.old
    return result
