"""The history record as a JSON line, in and out, and as a CSV row.

Writers pass a `Record` (core/records.py) to `encode`; readers get `Record`s back from
`decode_line` / `decode_block` / `decode_item`, with msgspec checking every field in C. A line
the fast path refuses goes to the slow path (core/record_repair.py), imported only then.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from breakctl.core.durations import round_s
from breakctl.core.records import (
    FIELD_DEFAULTS,
    FIRST_YEAR,
    KINDS,
    LAST_YEAR,
    MAX_LINE_BYTES,
    YEARS,
    BadLine,
    Correction,
    Record,
    in_years,
    written_fields,
)

# -- writing ------------------------------------------------------------------------------------

# The keys each kind is written with, in order, and whether even at their default: derived
# from FIELD_RULES and the struct (core/records.py), the file format of docs/history.md.
_KEYS = {kind: written_fields(kind) for kind in KINDS}


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
    for key, always in _KEYS[record.kind]:
        value = getattr(record, key)
        if not always and value == FIELD_DEFAULTS[key]:
            continue
        if isinstance(value, datetime):
            value = timestamp(value)
        elif isinstance(value, float):
            value = round_s(value)
        elif key == "steps":
            value = [  # a break or routine always has its list, empty or not
                {"exercise": s.exercise, "outcome": s.outcome, "active_s": round_s(s.active_s)}
                for s in value or ()
            ]
        elif isinstance(value, tuple | msgspec.Struct):  # a new field of structs: as JSON has it
            value = msgspec.to_builtins(value)
        out[key] = value
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
        from breakctl.core.record_repair import why_undecodable

        return BadLine(line, why_undecodable(raw))
    from breakctl.core.record_repair import lenient  # the slow path: imported when needed

    try:
        item = lenient(raw, line)
    except RecursionError:  # msgspec's own depth limit, reached by a value nested thousands deep
        return BadLine(line, "nested too deeply to be a record")
    return item if isinstance(item, BadLine) else _dated(item, line)


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
            return BadLine(
                line, f"correction: a {correction.action} needs a record, a delete or undo has none"
            )
        record = correction.record
        if not in_years(correction.made) or (record and isinstance(_dated(record, 0), BadLine)):
            return BadLine(line, f"correction: a time outside the years {YEARS}")
        return correction
    return item


def from_dict(data: dict[str, Any]) -> Record:
    """A record from a JSON object (the state file keeps the block in progress as one).
    Raises ValueError (msgspec.ValidationError is one) naming what is wrong."""
    record = msgspec.convert(data, Record)
    if isinstance(_dated(record, 0), BadLine):
        raise ValueError(f"a time outside the years {YEARS}")
    return record


# -- CSV ----------------------------------------------------------------------------------------

CSV_FIELDS = (
    "id",
    "session",
    "kind",
    "cycle",
    "routine",
    "started",
    "ended",
    "planned_s",
    "active_s",
    "paused_s",
    "suspended_s",
    "outcome",
    "steps",
    "natural",
    "away_s",
    "input_s",
    "host",
    "held_s",
    "held_by",
)
CSV_HEADER = (",".join(CSV_FIELDS) + "\n").encode()
# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_row(record: Record, host: str = "") -> bytes:
    """The record as one CSV row (quotes doubled, as the csv module writes), `steps` as JSON,
    `host` the machine whose file holds it. A text cell a spreadsheet would run as a formula
    gets a leading ' (docs/history.md, "Exports")."""
    data = to_dict(record)
    data.update(
        natural="true" if record.natural else "false",
        host=host,
        away_s=round_s(record.away_s),
        input_s=round_s(record.input_s),
        held_s=round_s(record.held_s),
        held_by=";".join(record.held_by or ()),
    )
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
