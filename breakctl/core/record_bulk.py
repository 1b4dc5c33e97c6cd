"""The history record as the readers that only count decode it: the day cache's tally and
`history check` (store/daycache/tally.py, store/history_check.py).

A full read of a million records is decoding and little else, so the decode has to be the
floor. `Record` checks its bounds in `__post_init__`, a Python call per record that cost a
full read as much as the decoding itself. `BulkRecord` is the same fields, types and C checks
in the order breakctl writes them (msgspec finds a key fastest where it expects it), without
that call; `decode_run` then checks a whole run's bounds in one loop, with the comparisons of
`out_of_bounds`. A run with any line they refuse is None: the caller reads it line by line
through `Record`, which says why. The objects have every field of a `Record` and none of its
properties; they are typed as Records for the functions that read their fields.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, cast

import msgspec

from breakctl.core.records import (
    FIELD_RULES,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_PLANNED_S,
    SPAN_SLACK_S,
    Record,
    moved_seconds,
)

if TYPE_CHECKING:
    from collections.abc import Sequence


def _bulk_fields() -> list[tuple[Any, ...]]:
    """Record's fields as msgspec.defstruct takes them, in the order they are written."""
    fields = {field.name: field for field in msgspec.structs.fields(Record)}
    order = [rule.field for rule in FIELD_RULES]
    order += [name for name in fields if name not in order]
    out: list[tuple[Any, ...]] = []
    for name in dict.fromkeys(order):  # `routine` has two rows: its first place
        field = fields[name]
        kind = _PLANNED if name == "planned_s" else field.type
        out.append((name, kind) if field.required else (name, kind, field.default))
    return out


# `out_of_bounds`'s one bound that needs no other field, checked in C: a plan within a week.
_PLANNED = Annotated[float, msgspec.Meta(ge=0, le=MAX_PLANNED_S)] | None


BulkRecord = msgspec.defstruct(
    "BulkRecord", _bulk_fields(), kw_only=True, frozen=True, gc=False, module=__name__
)
_decode = msgspec.json.Decoder(BulkRecord).decode


def decode_run(lines: list[bytes]) -> list[Record] | None:
    """Many lines (each without its newline) as the records a counting reader needs, or None
    when any line needs a closer look (as `record_codec.decode_block`). The caller keeps lines
    longer than MAX_LINE_BYTES out."""
    counted = decode_counted(lines, count=False)
    return None if counted is None else counted[0]


# A run's records, and what they add per day: completed breaks, seconds moved.
Counted = tuple[list[Record], dict[date, int], dict[date, float]]


def decode_counted(lines: list[bytes], count: bool = True) -> Counted | None:
    """As `decode_run`, with what the run adds to the per-day figures of the day cache (with
    `count`): a break taken, and the seconds moved in breaks taken and routines
    (`records.moved_seconds`). Checking and counting share one loop over the run."""
    try:
        records = list(map(_decode, lines))
    except (msgspec.DecodeError, RecursionError):  # ValidationError is a DecodeError
        return None
    breaks: dict[date, int] = {}
    moved: dict[date, float] = {}
    if not _sound(records, breaks, moved, count):
        return None
    return cast("list[Record]", records), breaks, moved


def _sound(
    records: Sequence[Any], breaks: dict[date, int], moved: dict[date, float], count: bool
) -> bool:
    """Whether every record is one `Record` would take: its numbers within its span
    (`records.out_of_bounds`, the same comparisons), its times in the years a record may hold
    (planned_s within a week is checked by the decoder), a break or routine with its steps.
    With `count`, each one's share of the per-day figures is added as it goes."""
    first, last, slack = FIRST_YEAR, LAST_YEAR, SPAN_SLACK_S
    for record in records:
        started = record.started
        room = (record.ended - started).total_seconds() + slack
        active = record.active_s
        # A span below zero needs no test of its own: the times spent, never negative,
        # exceed it.
        if (
            active + record.paused_s > room
            or record.suspended_s > room
            or record.away_s > room
            or record.input_s > room
            or not first <= started.year <= last
            or not first <= record.ended.year <= last
        ):
            return False
        steps = record.steps
        kind = record.kind
        if steps:
            for step in steps:
                if step.active_s > room:
                    return False
        elif steps is None and kind != "work":
            return False
        if kind == "work" or not count:
            continue
        if kind == "break":
            if record.outcome != "completed":
                continue  # a break not taken moved nothing
            day = started.date()
            breaks[day] = breaks.get(day, 0) + 1
        else:
            day = started.date()
        if record.natural:
            active = moved_seconds(record)
        if active:
            moved[day] = moved.get(day, 0.0) + active
    return True
