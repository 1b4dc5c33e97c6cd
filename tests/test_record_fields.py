"""Every field of the record is written, read back and kept by the slow path, with nothing
listed by hand: the codec and the repair derive their keys from the struct and FIELD_RULES
(core/records.py). A field added to the struct alone must survive the whole way."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import msgspec
import pytest

from breakctl.core.record_codec import decode_line, encode, to_dict
from breakctl.core.record_repair import lenient
from breakctl.core.records import (
    FIELD_DEFAULTS,
    FIELD_RULES,
    KINDS,
    Record,
    StepResult,
    written_fields,
)

PACKAGE = Path(__file__).resolve().parents[1] / "breakctl"
CET = timezone(timedelta(hours=1))
STARTED = datetime(2026, 3, 2, 9, 0, tzinfo=CET)
STEPS = (StepResult("neck-circle", "done", 30.5), StepResult("wall-angel", "skipped", 0.0))
BASE: dict[str, Any] = {
    "v": 1,
    "started": STARTED,
    "ended": STARTED + timedelta(minutes=5),
    "active_s": 280.25,  # with paused_s, within the 5-minute span
    "outcome": "completed",
}


def sample(annotation: msgspec.inspect.Type, default: object) -> object:
    """A valid value of the field's type that is not its default."""
    match annotation:
        case msgspec.inspect.UnionType(types=choices):
            real = [c for c in choices if not isinstance(c, msgspec.inspect.NoneType)]
            return sample(real[0], default)
        case msgspec.inspect.BoolType():
            return not default
        case msgspec.inspect.IntType():
            return 3
        case msgspec.inspect.FloatType():
            return 12.5
        case msgspec.inspect.StrType():
            return "desk" if default != "desk" else "neck"
        case msgspec.inspect.VarTupleType(item_type=msgspec.inspect.StrType()):
            return ("microphone", "calendar")  # held_by
        case msgspec.inspect.VarTupleType() if default is None or default == ():
            return STEPS
    raise AssertionError(f"no sample for {annotation}: add one here")


def full_record(kind: str) -> Record:
    """A record of `kind` with every field written for that kind set away from its default."""
    info = msgspec.inspect.type_info(Record)
    assert isinstance(info, msgspec.inspect.StructType)
    fields = {f.name: f for f in info.fields}
    values = {**BASE, "kind": kind}
    for name, _ in written_fields(kind):
        if name not in values:
            values[name] = sample(fields[name].type, FIELD_DEFAULTS[name])
    if kind == "work":
        values.pop("steps", None)  # a work record has none
    return Record(**values)


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_survives_encode_decode_and_the_slow_path(kind: str) -> None:
    record = full_record(kind)
    raw = encode(record).rstrip(b"\n")
    written = json.loads(raw)
    for name, _ in written_fields(kind):
        if name != "steps" or kind != "work":
            assert name in written, f"{name} is never written for a {kind}"
    assert decode_line(raw, 1) == record
    assert lenient(raw, 1) == record


@pytest.mark.parametrize("kind", KINDS)
def test_a_mistyped_optional_field_is_dropped_and_the_rest_kept(kind: str) -> None:
    record = full_record(kind)
    written = to_dict(record)
    required = {name for name, default in FIELD_DEFAULTS.items() if default is msgspec.NODEFAULT}
    for name in written.keys() - required - {"steps"}:
        line = json.dumps({**written, name: {"not": "this"}}).encode()
        assert decode_line(line, 7) == msgspec.structs.replace(
            record, **{name: FIELD_DEFAULTS[name]}
        ), name


def test_every_field_of_the_struct_is_written_for_some_kind() -> None:
    written = {name for kind in KINDS for name, _ in written_fields(kind)}
    assert written == set(Record.__struct_fields__)
    assert {rule.field for rule in FIELD_RULES} <= set(Record.__struct_fields__)
    for kind in KINDS:
        names = [name for name, _ in written_fields(kind)]
        assert len(names) == len(set(names)), f"a {kind} writes a field twice: {names}"


def test_the_written_keys_keep_the_file_format_of_docs_history() -> None:
    """The table reproduces the format that was listed by hand: key order, and the fields
    left out at their default."""
    work = "v id session kind cycle started ended planned_s active_s paused_s suspended_s outcome"
    assert list(to_dict(Record(**BASE, kind="work"))) == work.split()
    a_break = (
        "v id session kind cycle started ended routine planned_s active_s paused_s suspended_s "
        "outcome steps"
    )
    assert list(to_dict(Record(**BASE, kind="break", steps=()))) == a_break.split()
    routine = "v id kind routine started ended planned_s active_s paused_s outcome steps"
    record = Record(**BASE, kind="routine", steps=(), natural=True, input_s=2)
    assert list(to_dict(record)) == [*routine.split(), "natural", "input_s"]


NEW_FIELD = "    heart_bpm: Seconds = 0.0  # a field added for the test, to the struct alone\n"
PROBE = textwrap.dedent(
    """
    import json
    from datetime import datetime, timezone
    from msgspec.structs import replace
    from breakctl.core.record_codec import decode_line, encode
    from breakctl.core.record_repair import lenient
    from breakctl.core.records import Record

    at = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    record = Record(v=1, kind="work", started=at, ended=at.replace(minute=1), active_s=60,
                    outcome="completed", heart_bpm=71.5)
    raw = encode(record).rstrip(b"\\n")
    line = json.loads(raw)
    mistyped = json.dumps({**line, "heart_bpm": "fast"}).encode()
    print(json.dumps({
        "written": line.get("heart_bpm"),
        "read": decode_line(raw, 1) == record,
        "repaired": lenient(raw, 1) == record,
        "dropped": decode_line(mistyped, 1).heart_bpm,
        "quiet": "heart_bpm" not in json.loads(encode(replace(record, heart_bpm=0.0))),
    }))
    """
)


def run_probe(tmp_path: Path, add_field: bool) -> subprocess.CompletedProcess[str]:
    """PROBE run on a copy of the package, its Record given one more field if `add_field`
    (a line in the struct, before its first property, and nothing else changed)."""
    copy = tmp_path / "breakctl"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    records = copy / "core" / "records.py"
    source = records.read_text()
    at = source.index("\n    @property", source.index("class Record("))
    if add_field:
        records.write_text(source[:at] + "\n" + NEW_FIELD.rstrip("\n") + source[at:])
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_field_added_to_the_struct_alone_is_written_read_and_repaired(tmp_path: Path) -> None:
    done = run_probe(tmp_path, add_field=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "written": 71.5,
        "read": True,
        "repaired": True,
        "dropped": 0.0,
        "quiet": True,
    }


def test_the_probe_runs_the_copy_not_the_installed_package(tmp_path: Path) -> None:
    """Without the new line the probe must fail: the test above proves something."""
    done = run_probe(tmp_path, add_field=False)
    assert done.returncode != 0 and "heart_bpm" in done.stderr
