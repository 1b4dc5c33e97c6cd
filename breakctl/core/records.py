"""The history record: one typed struct and its validation (the JSON line in and out is
core/record_codec.py, the slow path for a refused line core/record_repair.py).

This module is the only owner of the record's shape. Writers build a `Record`; readers get
`Record`s back from `record_codec.decode_line`; exports use `record_codec.csv_row`. Nothing
else reads fields by key.

The version rule (docs/history.md): a record with `v` above SCHEMA_VERSION, an unknown kind or
an unknown outcome is skipped as a bad line, never guessed at. A `Correction` (kind
"correction") is a line of its own that refers to an earlier record: breakctl 0.x before it
skips such a line as one of an unknown kind (with its usual "skipped N unreadable lines"
warning), so an older reader never misreads a correction as a break.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal, get_args

import msgspec

SCHEMA_VERSION = 1
Kind = Literal["work", "break", "routine"]
Outcome = Literal[
    "completed",
    "interrupted",
    "recovered",
    "skipped",
    "postponed",
    "quit",
    "worked-through",
    "cut-short",
]
KINDS: tuple[str, ...] = get_args(Kind)
OUTCOMES: tuple[str, ...] = get_args(Outcome)
# Lines longer than this are skipped as bad without being parsed (a real record is < 4 KiB).
MAX_LINE_BYTES = 64 * 1024
# The years a record's times may fall in. Year 1 or 9999 overflows as soon as it is moved to
# UTC or by a day, and no break was taken before 1900: such a line is bad (docs/history.md).
FIRST_YEAR, LAST_YEAR = 1900, 9998
YEARS = f"{FIRST_YEAR} to {LAST_YEAR}"


def in_years(moment: datetime) -> bool:
    """Whether a record may hold this time (FIRST_YEAR to LAST_YEAR)."""
    return FIRST_YEAR <= moment.year <= LAST_YEAR


# Every check is a type the decoder enforces in C: a full scan of a long history pays for no
# Python per record. JSON itself cannot carry NaN or infinity, and msgspec rejects 1e400.
Seconds = Annotated[float, msgspec.Meta(ge=0)]
Moment = Annotated[datetime, msgspec.Meta(tz=True)]
Version = Annotated[int, msgspec.Meta(ge=1, le=SCHEMA_VERSION)]
Cycle = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
# Numbers a record's own span bounds (docs/history.md, "What a reader requires"): time spent
# fits between `started` and `ended`, within a second for rounding; a plan fits in a week.
SPAN_SLACK_S = 1.0
MAX_PLANNED_S = 7 * 86400.0


class StepResult(msgspec.Struct, frozen=True, gc=False):
    """What happened to one exercise of a routine or break."""

    exercise: str
    outcome: str
    active_s: Seconds = 0.0


class Record(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One history line. Optional fields default to what an absent key means."""

    v: Version
    kind: Kind
    started: Moment
    ended: Moment
    active_s: Seconds
    outcome: Outcome
    id: str = ""
    session: str | None = None
    cycle: Cycle | None = None
    routine: str | None = None
    planned_s: Seconds | None = None
    paused_s: Seconds = 0.0
    suspended_s: Seconds = 0.0
    natural: bool = False
    away_s: Seconds = 0.0  # time away from keyboard and mouse during the block (presence)
    input_s: Seconds = 0.0  # seconds of keyboard/mouse use during a break (presence)
    # Holds (#21): a break that waited `held_s` past its due time for a call or a meeting,
    # and the sources that held it (`held_by`, "microphone", "calendar"...).
    held_s: Seconds = 0.0
    held_by: tuple[str, ...] = ()
    # None only on work records: a break or routine without its steps is not a record.
    steps: tuple[StepResult, ...] | None = None

    def __post_init__(self) -> None:
        """Called by the decoder too: a number the record's span cannot hold makes the line
        bad (msgspec reports the ValueError as a ValidationError)."""
        problem = out_of_bounds(self)
        if problem:
            raise ValueError(problem)

    @property
    def completed_break(self) -> bool:
        """A break taken: what compliance, streaks and the daily goal count."""
        return self.kind == "break" and self.outcome == "completed"

    @property
    def counts_as_movement(self) -> bool:
        """Whether its moved time and steps count in the review: a break taken (completed,
        natural included) or a routine run on its own. A break worked through, cut short,
        skipped or interrupted was not taken and adds nothing (docs/history.md)."""
        return self.kind == "routine" or self.completed_break

    @property
    def moved_s(self) -> float:
        """The seconds of movement the record counts for (`moved_seconds`)."""
        return moved_seconds(self)

    @property
    def day(self) -> date:
        """The day the record counts on: its start's calendar date in its own offset."""
        return self.started.date()


def moved_seconds(record: Record) -> float:
    """The seconds of movement a record counts for: none unless it counts as movement (a
    break taken or a routine). A natural break (away, or asleep, as long as a break) moved for
    as long as it lasted, up to its planned length. Fields only: the bulk readers' records
    (core/record_bulk.py) have no properties."""
    kind = record.kind
    if kind != "routine" and (kind != "break" or record.outcome != "completed"):
        return 0.0
    if record.natural:
        span = max(0.0, (record.ended - record.started).total_seconds())
        return span if record.planned_s is None else min(span, record.planned_s)
    return record.active_s


def out_of_bounds(record: Record) -> str:
    """Why the record's numbers do not fit its own span, or ""."""
    span = (record.ended - record.started).total_seconds()
    room = span + SPAN_SLACK_S
    if room < 0:
        return f"ends {-span:.0f} s before it starts"
    if record.active_s + record.paused_s > room:
        return (
            f"active_s + paused_s ({record.active_s + record.paused_s:.12g} s) exceed its "
            f"span from started to ended ({span:.12g} s)"
        )
    for name in ("suspended_s", "away_s", "input_s"):
        value = getattr(record, name)
        if value > room:
            return f"{name} ({value:.12g} s) exceeds its span from started to ended ({span:.12g} s)"
    if any(step.active_s > room for step in record.steps or ()):
        return f"a step's active_s exceeds its span from started to ended ({span:.12g} s)"
    if record.planned_s is not None and record.planned_s > MAX_PLANNED_S:
        return f"planned_s ({record.planned_s:.12g} s) is more than a week"
    return ""


# -- how each field is written ------------------------------------------------------------------

ALWAYS, IF_SET = "always", "if set"
ALL_KINDS = frozenset(KINDS)
_WORK_BREAK = frozenset({"work", "break"})


@dataclass(frozen=True)
class FieldRule:
    """How one field of `Record` is written: for which kinds, and whether `ALWAYS` (its default,
    null or 0, written too) or only `IF_SET` (absent while it holds its default: an older reader
    never meets a field it does not know unless it matters)."""

    field: str
    kinds: frozenset[str]
    written: str = ALWAYS


# The one table of the file format (docs/history.md): the keys of each kind in the order they
# are written. `routine` has two rows: a routine record names its routine before its times, a
# break after them. A field of Record with no row here is written after these, for every kind,
# if set: a new field needs nothing but its line in the struct to be written, read and kept by
# the slow path (record_codec and record_repair derive everything from this and the struct).
FIELD_RULES: tuple[FieldRule, ...] = (
    FieldRule("v", ALL_KINDS),
    FieldRule("id", ALL_KINDS),
    FieldRule("session", _WORK_BREAK),
    FieldRule("kind", ALL_KINDS),
    FieldRule("cycle", _WORK_BREAK),
    FieldRule("routine", frozenset({"routine"})),
    FieldRule("started", ALL_KINDS),
    FieldRule("ended", ALL_KINDS),
    FieldRule("routine", frozenset({"break"})),
    FieldRule("planned_s", ALL_KINDS),
    FieldRule("active_s", ALL_KINDS),
    FieldRule("paused_s", ALL_KINDS),
    FieldRule("suspended_s", _WORK_BREAK),
    FieldRule("outcome", ALL_KINDS),
    FieldRule("steps", frozenset({"break", "routine"})),  # a list, empty or not
    FieldRule("natural", ALL_KINDS, IF_SET),
    FieldRule("away_s", ALL_KINDS, IF_SET),  # presence: absent means 0
    FieldRule("input_s", ALL_KINDS, IF_SET),
    FieldRule("held_s", frozenset({"break"}), IF_SET),  # holds: absent means 0, never held
    FieldRule("held_by", frozenset({"break"}), IF_SET),  # absent means []
)

# Every field of the struct, in its order, with its default (msgspec.NODEFAULT: required).
FIELD_DEFAULTS: dict[str, object] = {
    field.name: field.default for field in msgspec.structs.fields(Record)
}


def written_fields(kind: str) -> tuple[tuple[str, bool], ...]:
    """(field, always) for each key a record of `kind` is written with, in order: the rows of
    FIELD_RULES for that kind, then every field of the struct without a row, if set."""
    listed = {rule.field for rule in FIELD_RULES}
    rules = [
        *FIELD_RULES,
        *(FieldRule(name, ALL_KINDS, IF_SET) for name in FIELD_DEFAULTS if name not in listed),
    ]
    return tuple((rule.field, rule.written == ALWAYS) for rule in rules if kind in rule.kinds)


CorrectionAction = Literal["edit", "delete", "add", "undo"]
CORRECTION_ACTIONS: tuple[str, ...] = get_args(CorrectionAction)


class Correction(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A line that changes what an earlier record means, never its bytes.

    edit: `record` replaces the record whose id is `target` (same id); delete: that record no
    longer counts; add: `record` (id `target`) counts as if written; undo: the correction whose
    id is `target` is taken back (an undo of an undo puts it back)."""

    v: Version
    kind: Literal["correction"]
    id: str
    action: CorrectionAction
    target: str
    made: Moment
    record: Record | None = None


class BadLine(msgspec.Struct, frozen=True):
    """A line that cannot be counted, and why."""

    line: int
    reason: str
