"""The slow path for a history line the typed decoder refused: say exactly why it cannot be
counted, or keep what is sound. Imported only when such a line turns up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from msgspec import NODEFAULT

from breakctl.core.records import (
    FIELD_DEFAULTS,
    KINDS,
    OUTCOMES,
    SCHEMA_VERSION,
    BadLine,
    Record,
    StepResult,
)

# Optional fields (every one with a default but `steps`, which breaks and routines require): a
# value of the wrong type is dropped (read as absent) rather than costing the whole record, as
# long as the required fields are sound. Both derived from the struct.
_REQUIRED = tuple(name for name, default in FIELD_DEFAULTS.items() if default is NODEFAULT)
_OPTIONAL = tuple(
    name for name, default in FIELD_DEFAULTS.items() if default is not NODEFAULT and name != "steps"
)


def lenient(raw: bytes, line: int) -> Record | BadLine:
    """The slow path for a line the typed decoder refused: say exactly why, or keep what is
    sound (a hand-edited time without an offset is taken as local time)."""
    try:
        data = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return BadLine(line, why_undecodable(raw))
    if not isinstance(data, dict):
        return BadLine(line, f"not a JSON object but {type(data).__name__}")
    try:
        kept = _required(data)
    except ValueError as exc:
        return BadLine(line, str(exc))
    for field in _OPTIONAL:
        if field in data:
            try:
                msgspec.convert({**kept, field: data[field]}, Record)
            except msgspec.ValidationError as exc:
                if _is_number(data[field]):  # a number out of bounds is not a typo to drop
                    return BadLine(line, str(exc).replace("`$.", "`"))
                continue
            kept[field] = data[field]
    try:
        return msgspec.convert(kept, Record)
    except msgspec.ValidationError as exc:
        return BadLine(line, str(exc).replace("`$.", "`"))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _required(data: dict[str, Any]) -> dict[str, Any]:
    for field in _REQUIRED:
        if field not in data:
            raise ValueError(f"missing required field '{field}'")
    version, kind, outcome = data["v"], data["kind"], data["outcome"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"'v' must be a positive whole number, got {_show(version)}")
    if version > SCHEMA_VERSION:
        raise ValueError(f"written by a newer breakctl (v{version}); this one reads v1")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {_show(kind)} (expected work, break or routine)")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {_show(outcome)} (expected {', '.join(OUTCOMES)})")
    active = data["active_s"]
    if not isinstance(active, int | float) or isinstance(active, bool) or active < 0:
        raise ValueError(f"'active_s' must be a number of seconds, got {_show(active)}")
    kept = {"v": version, "kind": kind, "active_s": active, "outcome": outcome}
    for field in ("started", "ended"):
        kept[field] = _moment(data[field], field)
    if kind in ("break", "routine"):
        steps = data.get("steps")
        if not isinstance(steps, list):
            raise ValueError(f"a {kind} record needs 'steps' (a list)")
        try:
            kept["steps"] = msgspec.convert(steps, tuple[StepResult, ...])
        except msgspec.ValidationError:
            raise ValueError(
                "'steps' holds an entry that is not {exercise, outcome, active_s}"
            ) from None
    return kept


def _moment(value: object, field: str) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"'{field}' is not a timestamp")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{field}' is not an ISO 8601 timestamp: {_show(value)}") from None
    return moment if moment.tzinfo else moment.astimezone()


def _show(value: object) -> str:
    """A value from a file, short and printable, for an error message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def why_undecodable(raw: bytes) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8 text"
    return "not valid JSON (half-written or edited by hand)"
