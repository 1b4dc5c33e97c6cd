"""The history record: one typed struct, its validation, and its JSON line in and out.

This module is the only owner of the record's shape. Writers build a `Record`; readers get
`Record`s back from `decode_line`; exports use `csv_row`. Nothing else reads fields by key.
The version rule (docs/history.md): a record with `v` above SCHEMA_VERSION, an unknown kind or
an unknown outcome is skipped as a bad line, never guessed at. A `Correction` (kind
"correction") is a line of its own that refers to an earlier record: breakctl 0.x before it
skips such a line as one of an unknown kind (with its usual "skipped N unreadable lines"
warning), so an older reader never misreads a correction as a break.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args

import msgspec

from breakctl.core.durations import round_s

SCHEMA_VERSION = 1
Kind = Literal["work", "break", "routine"]
Outcome = Literal[
    "completed", "interrupted", "recovered", "skipped", "postponed", "quit", "worked-through"
]
KINDS: tuple[str, ...] = get_args(Kind)
OUTCOMES: tuple[str, ...] = get_args(Outcome)
# Lines longer than this are skipped as bad without being parsed (a real record is < 4 KiB).
MAX_LINE_BYTES = 64 * 1024
# The years a record's times may fall in. Year 1 or 9999 overflows as soon as it is moved to
# UTC or by a day, and no break was taken before 1900: such a line is bad (docs/history.md).
FIRST_YEAR, LAST_YEAR = 1900, 9998
YEARS = f"{FIRST_YEAR} to {LAST_YEAR}"

# Every check is a type the decoder enforces in C: a full scan of a long history pays for no
# Python per record. JSON itself cannot carry NaN or infinity, and msgspec rejects 1e400.
Seconds = Annotated[float, msgspec.Meta(ge=0)]
Moment = Annotated[datetime, msgspec.Meta(tz=True)]
Version = Annotated[int, msgspec.Meta(ge=1, le=SCHEMA_VERSION)]


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
    cycle: int | None = None
    routine: str | None = None
    planned_s: Seconds | None = None
    paused_s: Seconds = 0.0
    suspended_s: Seconds = 0.0
    natural: bool = False
    away_s: Seconds = 0.0  # time away from keyboard and mouse during the block (presence)
    input_s: Seconds = 0.0  # seconds of keyboard/mouse use during a break (presence)
    # None only on work records: a break or routine without its steps is not a record.
    steps: tuple[StepResult, ...] | None = None

    @property
    def completed_break(self) -> bool:
        """A break taken: what compliance, streaks and the daily goal count."""
        return self.kind == "break" and self.outcome == "completed"

    @property
    def day(self) -> date:
        """The day the record counts on: its start's calendar date in its own offset."""
        return self.started.date()


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


# -- writing ------------------------------------------------------------------------------------

# The keys each kind is written with, in order: the file format of docs/history.md.
_KEYS = {
    "work": ("v", "id", "session", "kind", "cycle", "started", "ended", "planned_s", "active_s",
             "paused_s", "suspended_s", "outcome"),
    "break": ("v", "id", "session", "kind", "cycle", "started", "ended", "routine", "planned_s",
              "active_s", "paused_s", "suspended_s", "outcome", "steps"),
    "routine": ("v", "id", "kind", "routine", "started", "ended", "planned_s", "active_s",
                "paused_s", "outcome", "steps"),
}  # fmt: skip


def correction_dict(correction: Correction) -> dict[str, Any]:
    """The correction as the JSON object it is written as."""
    out: dict[str, Any] = {
        "v": correction.v,
        "id": correction.id,
        "kind": "correction",
        "action": correction.action,
        "target": correction.target,
        "made": timestamp(correction.made),
    }
    if correction.record is not None:
        out["record"] = to_dict(correction.record)
    return out


def timestamp(moment: datetime) -> str:
    """ISO 8601 with milliseconds and the offset, as history stores it."""
    return moment.isoformat(timespec="milliseconds")


def to_dict(record: Record) -> dict[str, Any]:
    """The record as the JSON object it is written as."""
    out: dict[str, Any] = {}
    for key in _KEYS[record.kind]:
        value = getattr(record, key)
        if isinstance(value, datetime):
            value = timestamp(value)
        elif isinstance(value, float):
            value = round_s(value)
        elif key == "steps":
            value = [  # a break or routine always has its list, empty or not
                {"exercise": s.exercise, "outcome": s.outcome, "active_s": round_s(s.active_s)}
                for s in value or ()
            ]
        out[key] = value
    if record.natural:
        out["natural"] = True
    for key in ("away_s", "input_s"):  # presence fields: absent means 0
        value = getattr(record, key)
        if value:
            out[key] = round_s(value)
    return out


_encoder = msgspec.json.Encoder()


def encode(record: Record | Correction) -> bytes:
    """One history line, newline included."""
    if isinstance(record, Correction):
        return _encoder.encode(correction_dict(record)) + b"\n"
    return _encoder.encode(to_dict(record)) + b"\n"


# -- reading ------------------------------------------------------------------------------------

_decoder = msgspec.json.Decoder(Record)
_decode = _decoder.decode
_correction_decoder = msgspec.json.Decoder(Correction)


class BadLine(msgspec.Struct, frozen=True):
    """A line that cannot be counted, and why."""

    line: int
    reason: str


def decode_line(raw: bytes, line: int) -> Record | BadLine:
    """Validate one line (without its newline); a BadLine says why it cannot be counted.
    A correction is a BadLine here, as it is for an older breakctl: `decode_item` reads it."""
    if len(raw) > MAX_LINE_BYTES:
        return BadLine(line, f"longer than {MAX_LINE_BYTES // 1024} KiB: not a record")
    if b"\x00" in raw:
        return BadLine(line, "contains NUL bytes (left by a crash or power cut)")
    try:
        record = _decoder.decode(raw)
        if record.steps is not None or record.kind == "work":
            return _dated(record, line)
    except msgspec.ValidationError:
        pass
    except msgspec.DecodeError:
        return BadLine(line, why_undecodable(raw))
    from breakctl.core.record_repair import lenient  # the slow path: imported when needed

    try:
        item = lenient(raw, line)
    except RecursionError:  # msgspec's own depth limit, reached by a value nested thousands deep
        return BadLine(line, "nested too deeply to be a record")
    return item if isinstance(item, BadLine) else _dated(item, line)


def in_years(moment: datetime) -> bool:
    return FIRST_YEAR <= moment.year <= LAST_YEAR


def _dated(record: Record, line: int) -> Record | BadLine:
    if in_years(record.started) and in_years(record.ended):
        return record
    return BadLine(line, f"a time outside the years {YEARS}: not a record")


def decode_block(lines: list[bytes]) -> list[Record] | None:
    """Many lines (each without its newline) decoded in a row: their records, or None when any
    line needs a closer look (a blank or bad line, a correction, a break without its steps)
    and all must go one at a time. The caller keeps lines longer than MAX_LINE_BYTES out.
    One line, one value: a decode of all the lines at once would skip a blank line and read
    two values from one line, and so could pair a record with the wrong line."""
    try:
        records = list(map(_decode, lines))
    except (msgspec.DecodeError, RecursionError):  # ValidationError is a DecodeError
        return None
    first, last = FIRST_YEAR, LAST_YEAR
    for r in records:
        if r.steps is None and r.kind != "work":
            return None
        if not (first <= r.started.year <= last and first <= r.ended.year <= last):
            return None
    return records


def decode_item(raw: bytes, line: int) -> Record | Correction | BadLine:
    """As decode_line, and a correction line as a Correction."""
    item = decode_line(raw, line)
    if isinstance(item, BadLine) and b'"correction"' in raw:
        try:
            correction = _correction_decoder.decode(raw)
        except msgspec.DecodeError as exc:  # ValidationError is one
            return BadLine(line, "correction: " + str(exc).replace("`$.", "`"))
        if correction.record is not None and correction.record.id != correction.target:
            return BadLine(line, "correction: its record's id is not its target")
        if (correction.record is None) != (correction.action in ("delete", "undo")):
            return BadLine(line, f"correction: a {correction.action} needs a record, "
                           "a delete or undo has none")  # fmt: skip
        record = correction.record
        if not in_years(correction.made) or (record and isinstance(_dated(record, 0), BadLine)):
            return BadLine(line, f"correction: a time outside the years {YEARS}")
        return correction
    return item


def why_undecodable(raw: bytes) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8 text"
    return "not valid JSON (half-written or edited by hand)"


def from_dict(data: dict[str, Any]) -> Record:
    """A record from a JSON object (the state file keeps the block in progress as one).
    Raises ValueError (msgspec.ValidationError is one) naming what is wrong."""
    record = msgspec.convert(data, Record)
    if isinstance(_dated(record, 0), BadLine):
        raise ValueError(f"a time outside the years {YEARS}")
    return record


# -- CSV ----------------------------------------------------------------------------------------

CSV_FIELDS = (
    "id", "session", "kind", "cycle", "routine", "started", "ended",
    "planned_s", "active_s", "paused_s", "suspended_s", "outcome", "steps",
    "natural", "away_s", "input_s", "host",
)  # fmt: skip
CSV_HEADER = (",".join(CSV_FIELDS) + "\n").encode()
# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_row(record: Record, host: str = "") -> bytes:
    """The record as one CSV row (quotes doubled, as the csv module writes), `steps` as JSON,
    `host` the machine whose file holds it. A text cell a spreadsheet would run as a formula
    gets a leading ' (docs/history.md, "CSV")."""
    data = to_dict(record)
    data.update(natural="true" if record.natural else "false", host=host,
                away_s=round_s(record.away_s), input_s=round_s(record.input_s))  # fmt: skip
    cells = []
    for field in CSV_FIELDS:
        value = data.get(field)
        if value is None:
            cells.append("")
        elif field == "steps":
            cells.append(_quote(_encoder.encode(value).decode()))
        else:
            cells.append(_quote(_inert(str(value))))
    return (",".join(cells) + "\n").encode()


def _inert(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _quote(text: str) -> str:
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
