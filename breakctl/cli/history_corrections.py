"""`breakctl history edit|delete|add|undo`: corrections, each a new line in history.

Nothing is rewritten: a correction says what a record should have been (or that it should not
count), and `undo` takes the last one back. `history_commands` adds these to `breakctl history`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from breakctl.cli.base import app_context, command
from breakctl.cli.problems import warn_unreadable
from breakctl.core.durations import parse_duration
from breakctl.core.errors import DataError

if TYPE_CHECKING:
    from breakctl.core.records import Correction, Record
    from breakctl.host.context import AppContext
    from breakctl.store.review import HistoryAccess

# What a correction needs (the records, msgspec, the day cache) is imported when it runs:
# `breakctl history`, which registers these, lists an empty history without any of it.


def open_history(ctx: typer.Context) -> tuple[AppContext, HistoryAccess]:
    from breakctl.store.review import HistoryAccess

    app_ctx = app_context(ctx)
    access = HistoryAccess.open(app_ctx.paths, app_ctx.env, now=app_ctx.clock.now())
    warn_unreadable(access.unreadable)
    return app_ctx, access


def add_corrections(history_app: typer.Typer) -> None:
    """Register the corrections on `breakctl history`, in the order its --help lists them."""
    for name, function in (
        ("edit", history_edit),
        ("delete", history_delete),
        ("add", history_add),
        ("undo", history_undo),
    ):
        command(history_app, name)(function)


def _write_correction(app_ctx: AppContext, correction: Correction) -> None:
    """Append it; one dated ahead of the clock is never written (readers would take it as the
    oldest, docs/history.md)."""
    from breakctl.core.corrections import FUTURE_SLACK

    if correction.made > app_ctx.clock.now() + FUTURE_SLACK:
        raise DataError(f"correction made {correction.made:%Y-%m-%d %H:%M}: ahead of the clock")
    history = app_ctx.history()
    history.append(correction)


def _record_as(record: Record, app_ctx: AppContext, **changes: object) -> Record:
    """`record` with `changes`, refused (exit 2) when no real day could have written it."""
    import msgspec

    from breakctl.core.corrections import check_written

    try:
        changed = msgspec.structs.replace(record, **changes)
    except ValueError as exc:  # the record's own bounds (core/records.out_of_bounds)
        raise DataError(f"the record would not hold together: {exc}") from None
    check_written(changed, app_ctx.clock.now())
    return changed


def _known_routine(app_ctx: AppContext, name: str) -> str:
    """`name` when it is one of the routines (built-in or yours), else a clear error."""
    catalog = app_ctx.catalog()
    if name not in catalog.routine_files():
        try:
            catalog.load(name)  # found by its `name` field, or the error naming the known ones
        except DataError as exc:
            raise DataError(f"--routine: {exc.problems[0]}") from None
    return name


def _correction(
    app_ctx: AppContext, action: str, target: str, record: Record | None = None
) -> Correction:
    from breakctl.core.records import SCHEMA_VERSION, Correction

    return Correction(
        v=SCHEMA_VERSION,
        kind="correction",
        id=uuid.uuid4().hex,
        action=action,  # type: ignore[arg-type]
        target=target,
        made=app_ctx.clock.now(),
        record=record,
    )


def _moment(value: str, day: date, like: datetime, option: str) -> datetime:
    """HH:MM on `day` (in `like`'s offset), or a full ISO 8601 timestamp."""
    from breakctl.core.records import YEARS, in_years

    text = value.strip()
    try:
        if len(text) <= 8 and ":" in text:
            moment = datetime.combine(day, time.fromisoformat(text.zfill(5)), like.tzinfo)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise DataError(
            f"{option}: expected a time like 10:05 or 2026-11-20T10:05, got {value!r}"
        ) from None
    if not in_years(moment):  # before the offset is added: year 1 or 9999 would overflow
        raise DataError(f"{option}: expected a time in the years {YEARS}, got {value!r}")
    return moment if moment.tzinfo else moment.astimezone()


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
    from breakctl.core.records import OUTCOMES

    if outcome is None and started is None and ended is None and routine is None:
        raise DataError("say what to change: --outcome, --started, --ended or --routine")
    app_ctx, access = open_history(ctx)
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
        changes["routine"] = _known_routine(app_ctx, routine) if routine else None
    edited = _record_as(record, app_ctx, **_within_span(record, changes))
    _write_correction(app_ctx, _correction(app_ctx, "edit", record.id, edited))
    said = ", ".join(
        f"{k} {v:%Y-%m-%d %H:%M}" if isinstance(v, datetime) else f"{k} {v}"
        for k, v in changes.items()
    )
    typer.echo(f"Edited {record.id[:8]}: {said} (`breakctl history undo` takes it back)")


def _within_span(record: Record, changes: dict[str, object]) -> dict[str, object]:
    """`changes`, plus the record's numbers cut to fit a new span (time spent cannot exceed
    it), and a break made completed given the time of its span when it had none."""
    import msgspec

    started = changes.get("started", record.started)
    ended = changes.get("ended", record.ended)
    assert isinstance(started, datetime) and isinstance(ended, datetime)
    if ended < started:
        raise DataError(f"the record would end ({ended:%H:%M}) before it starts ({started:%H:%M})")
    span = (ended - started).total_seconds()
    out = dict(changes)
    if "started" in changes or "ended" in changes:
        active = min(record.active_s, span)
        out.update(
            active_s=active,
            paused_s=min(record.paused_s, span - active),
            suspended_s=min(record.suspended_s, span),
            away_s=min(record.away_s, span),
            input_s=min(record.input_s, span),
            steps=None
            if record.steps is None
            else tuple(
                msgspec.structs.replace(s, active_s=min(s.active_s, span)) for s in record.steps
            ),
        )
    active_s, paused_s = out.get("active_s", record.active_s), out.get("paused_s", record.paused_s)
    assert isinstance(active_s, float) and isinstance(paused_s, float)
    if changes.get("outcome") == "completed" and record.kind == "break" and not active_s:
        out["active_s"] = max(0.0, span - paused_s)  # taken, then: its time is the span's
    return out


def history_delete(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(help="The record's id, or its start.")],
) -> None:
    """Stop counting a record (a block left running over a weekend); nothing is rewritten.

    Example: breakctl history delete 3f2a
    """
    app_ctx, access = open_history(ctx)
    record = access.find(record_id)
    _write_correction(app_ctx, _correction(app_ctx, "delete", record.id))
    typer.echo(
        f"Deleted {record.id[:8]} ({record.kind} {record.started:%Y-%m-%d %H:%M}); "
        "`breakctl history undo` takes it back"
    )


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
    from breakctl.core.corrections import FUTURE_SLACK, check_written
    from breakctl.core.records import LAST_YEAR, SCHEMA_VERSION, Record, in_years

    if kind not in ("break", "routine"):
        raise DataError(f"expected 'break' or 'routine', got {kind!r}")
    app_ctx = app_context(ctx)
    now = app_ctx.clock.now()
    started = _moment(at, _day(day, now), now, "--at")
    seconds = _duration(duration)
    if kind == "routine" and not routine:
        raise DataError("a routine needs --routine NAME")
    try:
        ended = started + timedelta(seconds=seconds)
    except OverflowError:
        ended = datetime.max.replace(tzinfo=UTC)
    if not in_years(ended):
        raise DataError(
            f"--duration: {duration!r} from {started:%Y-%m-%d} would end after the year {LAST_YEAR}"
        )
    if routine:
        _known_routine(app_ctx, routine)
    if ended > now + FUTURE_SLACK:
        raise DataError(
            f"--at/--day/--duration: it would end in the future "
            f"({ended:%Y-%m-%d %H:%M}; it is {now:%Y-%m-%d %H:%M})"
        )
    try:
        record = Record(
            v=SCHEMA_VERSION,
            kind=kind,  # type: ignore[arg-type]
            id=uuid.uuid4().hex,
            routine=routine,
            started=started,
            ended=ended,
            planned_s=seconds,
            active_s=seconds,
            outcome="completed",
            steps=(),
        )
    except ValueError as exc:  # the record's own bounds (core/records.out_of_bounds)
        raise DataError(f"--duration: {exc}") from None
    check_written(record, now)
    _write_correction(app_ctx, _correction(app_ctx, "add", record.id, record))
    typer.echo(f"Added {record.id[:8]}: {kind} {started:%Y-%m-%d %H:%M}, {duration.strip()}")


def _day(day: str | None, now: datetime) -> date:
    """`--day`, or today."""
    from breakctl.core.records import YEARS, in_years

    try:
        on = date.fromisoformat(day) if day else now.date()
    except ValueError:
        raise DataError(f"--day: expected a date like 2026-11-20, got {day!r}") from None
    if not in_years(datetime.combine(on, time())):
        raise DataError(f"--day: expected a day in the years {YEARS}, got {day!r}")
    return on


def _duration(text: str) -> float:
    try:
        seconds = parse_duration(text, bare_unit="m")
    except DataError as exc:
        raise DataError(f"--duration: {exc}") from None
    if seconds <= 0:
        raise DataError(f"--duration: expected more than 0, got {text!r}")
    return seconds


def history_undo(
    ctx: typer.Context,
    record_id: Annotated[
        str | None,
        typer.Argument(help="Only corrections of this record (its id or start), e.g. a delete."),
    ] = None,
) -> None:
    """Take back the latest correction still in effect; again, the one before it, and so on.
    Given a record, its latest correction, whatever was corrected since (a delete included).

    Example: breakctl history undo
    """
    app_ctx, access = open_history(ctx)
    target = access.find(record_id, deleted=True).id if record_id is not None else None
    last = access.resolved.last(target)
    if last is None:
        about = f" of {target[:8]}" if target else ""
        raise DataError(f"no correction{about} to undo")
    _write_correction(app_ctx, _correction(app_ctx, "undo", last.id))
    typer.echo(f"Took back {last.action} of {last.target[:8]} (made {last.made:%Y-%m-%d %H:%M})")
