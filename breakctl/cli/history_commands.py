"""breakctl history: list, check, hosts, corrections (edit, delete, add, undo), export, import."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, BinaryIO

import msgspec
import typer

from breakctl.cli.base import app_context, command, family, print_json
from breakctl.cli.completion import complete_history_id
from breakctl.cli.problems import warn_problems
from breakctl.core.calendar import ICS_FOOTER, ICS_HEADER, ICS_KINDS, ics_event
from breakctl.core.corrections import dangling
from breakctl.core.durations import parse_duration, plural
from breakctl.core.errors import DataError, ExitStatus, StorageError
from breakctl.core.records import (
    CSV_HEADER,
    OUTCOMES,
    SCHEMA_VERSION,
    BadLine,
    Correction,
    Record,
    csv_row,
    encode,
)
from breakctl.host.context import AppContext
from breakctl.store.day_cache import id_hash, key_of
from breakctl.store.history import HistoryReader
from breakctl.store.review import HistoryAccess, Problem
from breakctl.ui.console import make_console
from breakctl.ui.tables import history_table

commands = family()
history_app = family(
    "Your history on every machine: list, correct (edit, delete, add, undo), export, import; "
    "or check the files for bad lines.",
    invoke_without_command=True,
)
commands.add_typer(history_app, name="history")


def _open(ctx: typer.Context) -> tuple[AppContext, HistoryAccess]:
    app_ctx = app_context(ctx)
    return app_ctx, HistoryAccess.open(app_ctx.paths, app_ctx.env)


@history_app.callback()
def history_list(
    ctx: typer.Context,
    last: Annotated[int, typer.Option("--last", help="How many records, newest last.")] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the records as JSON lines.")
    ] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")] = False,
    raw: Annotated[
        bool, typer.Option("--raw", help="The records as written, corrections not applied.")
    ] = False,
) -> None:
    """List the last records of your history (all machines), oldest first, corrected.

    Example: breakctl history --last 50 --csv > history.csv
    """
    if ctx.invoked_subcommand is not None:
        return
    if as_json and as_csv:
        raise DataError("use --json or --csv, not both")
    if last < 0:
        raise DataError(f"--last: expected 0 or more, got {last}")
    _, access = _open(ctx)
    if as_json or as_csv:  # streamed: memory does not grow with --last
        out = sys.stdout.buffer
        if as_csv:
            out.write(CSV_HEADER)
        for line, record in access.last(last, corrected=not raw):
            out.write(line + b"\n" if as_json else csv_row(record))
        out.flush()
    elif last:
        records = [record for _, record in access.last(last, corrected=not raw)]
        if records:
            make_console().print(history_table(records))
        else:
            typer.echo("No history yet: run `breakctl routine micro` or `breakctl start`.")
    warn_problems(access.problems)


@command(history_app, "check")
def history_check(ctx: typer.Context) -> None:
    """Report problems in every history file: lines that can't be read (with why), one id
    written with different contents, corrections of records that are not there. Changes
    nothing.

    Example: breakctl history check
    """
    _, access = _open(ctx)
    kinds: dict[str, int] = {}
    corrections = problems = 0
    lines = 0
    # One entry per record id: 8 bytes of id -> 8 bytes of content (memory grows with the
    # history, which this command alone reads whole).
    contents: dict[int, tuple[int, Path, int]] = {}
    for path in access.files:
        for _, number, _, item in HistoryReader(path).lines():
            lines += 1
            if isinstance(item, BadLine):
                typer.echo(f"{path}:{item.line}: {item.reason}")
                problems += 1
            elif isinstance(item, Record):
                kinds[item.kind] = kinds.get(item.kind, 0) + 1
                body = encode(item)
                key, content = id_hash(item, body), hash(body)
                seen = contents.setdefault(key, (content, path, number))
                if seen[0] != content:
                    typer.echo(
                        f"{path}:{number}: id {item.id} also at {seen[1]}:{seen[2]} with "
                        "different contents (counted once, as first read)"
                    )
                    problems += 1
            elif isinstance(item, Correction):
                corrections += 1

    present = {key_of(c.target.encode()) for c in access.resolved.corrections}
    present = {key for key in present if key in contents}
    for correction in dangling(access.resolved, lambda ident: key_of(ident.encode()) in present):
        what = "correction" if correction.action == "undo" else "record"
        typer.echo(
            f"correction {correction.id[:8]} ({correction.action}, made "
            f"{correction.made:%Y-%m-%d %H:%M}): no {what} {correction.target} "
            "(it changes nothing)"
        )
        problems += 1
    counted = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"
    files = f"{len(access.files)} file{'s' if len(access.files) != 1 else ''}"
    fixed = f", {plural(corrections, 'correction')}" if corrections else ""
    typer.echo(f"{files}, {lines} lines: {sum(kinds.values())} records ({counted}){fixed}, "
               f"{plural(problems, 'problem')}")  # fmt: skip
    if problems:
        raise typer.Exit(ExitStatus.BAD_INPUT)


@command(history_app, "hosts")
def history_hosts(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the machines (files) of the history folder, with record counts and the last
    record of each.

    Example: breakctl history hosts
    """
    _, access = _open(ctx)
    rows = []
    for path in access.files:
        state = access.summary.files.get(str(path))
        rows.append({
            "host": path.stem if path != access.place.legacy else "(before the history folder)",
            "file": str(path),
            "records": state.records if state else 0,
            "last": state.last if state else "",
            "this machine": path == access.place.host_file,
        })  # fmt: skip
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo(f"No history yet in {access.place.folder}")
        return
    for row in rows:
        mark = "  (this machine)" if row["this machine"] else ""
        last = f"  last {row['last']}" if row["last"] else ""
        records = int(str(row["records"]))
        typer.echo(f"{row['host']:<32} {plural(records, 'record'):>15}{last}{mark}")


# -- corrections -------------------------------------------------------------------------------


def _write_correction(app_ctx: AppContext, correction: Correction) -> None:
    history = app_ctx.history()
    history.append(correction)


def _correction(
    app_ctx: AppContext, action: str, target: str, record: Record | None = None
) -> Correction:
    return Correction(
        v=SCHEMA_VERSION, kind="correction", id=uuid.uuid4().hex, action=action,  # type: ignore[arg-type]
        target=target, made=app_ctx.clock.now(), record=record,
    )  # fmt: skip


def _moment(value: str, day: date, like: datetime, option: str) -> datetime:
    """HH:MM on `day` (in `like`'s offset), or a full ISO 8601 timestamp."""
    text = value.strip()
    try:
        if len(text) <= 8 and ":" in text:
            return datetime.combine(day, time.fromisoformat(text.zfill(5)), like.tzinfo)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise DataError(f"{option}: expected a time like 10:05 or 2026-11-20T10:05, "
                        f"got {value!r}") from None  # fmt: skip
    return moment if moment.tzinfo else moment.astimezone()


@command(history_app, "edit")
def history_edit(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(help="The record's id, or its start.")],
    outcome: Annotated[str | None, typer.Option("--outcome", help="e.g. skipped")] = None,
    started: Annotated[str | None, typer.Option("--started", help="e.g. 10:05")] = None,
    ended: Annotated[str | None, typer.Option("--ended", help="e.g. 10:20")] = None,
    routine: Annotated[str | None, typer.Option("--routine", help="e.g. desk")] = None,
) -> None:
    """Correct a record: a new line says what it should have been; nothing is rewritten.

    Example: breakctl history edit 3f2a --outcome skipped
    """
    if outcome is None and started is None and ended is None and routine is None:
        raise DataError("say what to change: --outcome, --started, --ended or --routine")
    app_ctx, access = _open(ctx)
    record = access.find(record_id)
    changes: dict[str, object] = {}
    if outcome is not None:
        if outcome not in OUTCOMES:
            raise DataError(f"--outcome: expected one of {', '.join(OUTCOMES)}, got {outcome!r}")
        changes["outcome"] = outcome
    if started is not None:
        changes["started"] = _moment(started, record.started.date(), record.started, "--started")
    if ended is not None:
        changes["ended"] = _moment(ended, record.ended.date(), record.ended, "--ended")
    if routine is not None:
        if record.kind == "work":
            raise DataError("--routine: a work block has no routine")
        changes["routine"] = routine or None
    edited = msgspec.structs.replace(record, **changes)
    if edited.ended < edited.started:
        raise DataError(f"the record would end ({edited.ended:%H:%M}) before it starts "
                        f"({edited.started:%H:%M})")  # fmt: skip
    if started is not None or ended is not None:  # time spent cannot exceed the new span
        span = (edited.ended - edited.started).total_seconds()
        edited = msgspec.structs.replace(edited, active_s=min(edited.active_s, span))
    _write_correction(app_ctx, _correction(app_ctx, "edit", record.id, edited))
    said = ", ".join(f"{k} {v:%Y-%m-%d %H:%M}" if isinstance(v, datetime) else f"{k} {v}"
                     for k, v in changes.items())  # fmt: skip
    typer.echo(f"Edited {record.id[:8]}: {said} (`breakctl history undo` takes it back)")


@command(history_app, "delete")
def history_delete(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(help="The record's id, or its start.")],
) -> None:
    """Stop counting a record (a block left running over a weekend); nothing is rewritten.

    Example: breakctl history delete 3f2a
    """
    app_ctx, access = _open(ctx)
    record = access.find(record_id)
    _write_correction(app_ctx, _correction(app_ctx, "delete", record.id))
    typer.echo(f"Deleted {record.id[:8]} ({record.kind} {record.started:%Y-%m-%d %H:%M}); "
               "`breakctl history undo` takes it back")  # fmt: skip


@command(history_app, "add")
def history_add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="break or routine")],
    at: Annotated[str, typer.Option("--at", help="When it started, e.g. 10:00")],
    duration: Annotated[str, typer.Option("--duration", help="How long, e.g. 10m")],
    routine: Annotated[str | None, typer.Option("--routine", help="e.g. desk")] = None,
    day: Annotated[str | None, typer.Option("--day", help="YYYY-MM-DD (default: today)")] = None,
) -> None:
    """Add a break or routine taken away from the computer (a walk).

    Example: breakctl history add break --at 10:00 --duration 10m --routine desk
    """
    if kind not in ("break", "routine"):
        raise DataError(f"expected 'break' or 'routine', got {kind!r}")
    app_ctx = app_context(ctx)
    now = app_ctx.clock.now()
    try:
        on = date.fromisoformat(day) if day else now.date()
    except ValueError:
        raise DataError(f"--day: expected a date like 2026-11-20, got {day!r}") from None
    started = _moment(at, on, now, "--at")
    seconds = _duration(duration)
    if kind == "routine" and not routine:
        raise DataError("a routine needs --routine NAME")
    record = Record(
        v=SCHEMA_VERSION, kind=kind, id=uuid.uuid4().hex, routine=routine,  # type: ignore[arg-type]
        started=started, ended=started + timedelta(seconds=seconds), planned_s=seconds,
        active_s=seconds, outcome="completed", steps=(),
    )  # fmt: skip
    _write_correction(app_ctx, _correction(app_ctx, "add", record.id, record))
    typer.echo(f"Added {record.id[:8]}: {kind} {started:%Y-%m-%d %H:%M}, {duration.strip()}")


def _duration(text: str) -> float:
    try:
        seconds = parse_duration(text, bare_unit="m")
    except DataError as exc:
        raise DataError(f"--duration: {exc}") from None
    if seconds <= 0:
        raise DataError(f"--duration: expected more than 0, got {text!r}")
    return seconds


@command(history_app, "undo")
def history_undo(ctx: typer.Context) -> None:
    """Take back the last correction (itself a correction: undo again to redo it).

    Example: breakctl history undo
    """
    app_ctx, access = _open(ctx)
    last = access.resolved.last()
    if last is None:
        raise DataError("no correction to undo")
    _write_correction(app_ctx, _correction(app_ctx, "undo", last.id))
    typer.echo(f"Took back {last.action} of {last.target[:8]} "
               f"(made {last.made:%Y-%m-%d %H:%M})")  # fmt: skip


# -- export and import -------------------------------------------------------------------------


@command(history_app, "export")
def history_export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="csv, json (JSON lines) or ics")] = "json",
    since: Annotated[str | None, typer.Option("--since", help="From this day")] = None,
    until: Annotated[str | None, typer.Option("--until", help="To this day, included")] = None,
    output: Annotated[Path | None, typer.Option("--output", help="File (default: stdout)")] = None,
) -> None:
    """Write the whole history (all machines, corrected), streamed.

    Example: breakctl history export --format ics --since 2026-11-01 --output breaks.ics
    """
    if fmt not in ("csv", "json", "ics"):
        raise DataError(f"--format: expected csv, json or ics, got {fmt!r}")
    first = _day(since, "--since") if since else date.min
    end = _day(until, "--until") if until else date.max
    if end < first:
        raise DataError(f"--until {end} is before --since {first}")
    app_ctx, access = _open(ctx)
    stamp = app_ctx.clock.now()
    pairs = ((line, r) for line, r in access.stream() if first <= r.day <= end)
    if output is None:
        _export(sys.stdout.buffer, fmt, pairs, stamp)
    else:
        try:
            with open(output, "wb") as handle:
                count = _export(handle, fmt, pairs, stamp)
        except OSError as exc:
            raise StorageError(f"{output}: cannot write: {exc.strerror}") from None
        typer.echo(f"Wrote {count} records to {output}", err=True)
    warn_problems(access.problems)


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{option}: expected a date like 2026-11-16, got {value!r}") from None


def _export(out: BinaryIO, fmt: str, pairs: Iterator[tuple[bytes, Record]], stamp: datetime) -> int:
    count = 0
    if fmt == "csv":
        out.write(CSV_HEADER)
    elif fmt == "ics":
        out.write(ICS_HEADER)
    for line, record in pairs:
        if fmt == "csv":
            out.write(csv_row(record))
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


@command(history_app, "import")
def history_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="JSON lines from `history export`")],
) -> None:
    """Add the records of FILE (exported by another breakctl) to this machine's file,
    skipping those already in your history.

    Example: breakctl history import laptop.jsonl
    """
    app_ctx, access = _open(ctx)
    if not file.is_file():
        raise StorageError(f"{file}: no such file")
    history = app_ctx.history()
    history.ensure_writable()
    seen = access.seen()
    new = old = 0
    bad: list[Problem] = []
    try:
        for _, _, raw, item in HistoryReader(file).lines():
            if item is None:
                continue
            if isinstance(item, BadLine):
                bad.append(Problem(file, item))
            elif seen.add(item, raw):
                history.append(item)
                new += 1
            else:
                old += 1
    finally:
        seen.close()
    typer.echo(f"Imported {new} new record{'s' if new != 1 else ''} into "
               f"{history.path} ({old} already there)")  # fmt: skip
    warn_problems(bad)


@command(history_app, "show")
def history_show(
    ctx: typer.Context,
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A record's id, or any unique start of it.",
            autocompletion=complete_history_id,
        ),
    ],
) -> None:
    """Print one record, corrections applied, as a JSON line, found by its id or a unique start.

    Example: breakctl history show 4f9c2a7e
    """
    _, access = _open(ctx)
    sys.stdout.buffer.write(encode(access.find(record_id)))
