"""No field of a record can inject into a calendar (ICS) or a spreadsheet (CSV): the ICS is
read back with a real calendar parser (icalendar), the CSV with the csv module."""

from __future__ import annotations

import csv
import io
import json

import icalendar
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.core.calendar import fold, ics_event, text
from breakctl.core.record_codec import csv_row
from breakctl.core.records import Record, StepResult
from breakctl.host.context import AppContext
from breakctl.store.paths import Paths
from tests.fakes import FakeClock
from tests.test_stats import FRIDAY_EVENING

# An id that would end the event and start one of its own; a routine name with a bare CR.
SMUGGLED_ID = "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged\r\nSUMMARY:Injected"
HOSTILE = [
    {
        "v": 1,
        "id": SMUGGLED_ID,
        "kind": "work",
        "started": "2026-03-02T09:00:00.000+01:00",
        "ended": "2026-03-02T09:25:00.000+01:00",
        "active_s": 1500,
        "outcome": "completed",
    },
    {
        "v": 1,
        "id": "b2",
        "kind": "break",
        "routine": "desk\rDESCRIPTION:x;a,b\\c",
        "started": "2026-03-02T09:25:00.000+01:00",
        "ended": "2026-03-02T09:30:00.000+01:00",
        "active_s": 300,
        "outcome": "completed",
        "steps": [],
    },
    {
        "v": 1,
        "id": '=HYPERLINK("http://x")',
        "kind": "routine",
        "routine": "@SUM(1+1)",
        "started": "2026-03-02T12:00:00.000+01:00",
        "ended": "2026-03-02T12:05:00.000+01:00",
        "active_s": 300,
        "outcome": "completed",
        "natural": True,
        "away_s": 12.5,
        "input_s": 3,
        "steps": [{"exercise": "=1+1", "outcome": "done", "active_s": 30}],
    },
    {
        "v": 1,
        "id": "+1",
        "session": "-2+3",
        "kind": "work",
        "routine": None,
        "started": "2026-03-02T13:00:00.000+01:00",
        "ended": "2026-03-02T13:25:00.000+01:00",
        "active_s": 1500,
        "outcome": "completed",
    },
    {
        "v": 1,
        "id": "\ttab",
        "session": "\rcr",
        "kind": "break",
        "routine": "né ✓ " + "長" * 60,
        "started": "2026-03-02T14:00:00.000+01:00",
        "ended": "2026-03-02T14:05:00.000+01:00",
        "active_s": 300,
        "outcome": "skipped",
        "steps": [],
    },
]


def export(paths: Paths, fmt: str) -> str:
    folder = paths.data_dir / "history"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "laptop-a1b2c3.jsonl").write_text("".join(json.dumps(r) + "\n" for r in HOSTILE))
    context = AppContext(paths=paths, clock=FakeClock(FRIDAY_EVENING))
    result = CliRunner().invoke(app, ["history", "export", "--format", fmt], obj=context)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes.decode()


def test_a_calendar_parser_reads_one_event_per_record_with_its_own_values(paths: Paths) -> None:
    ics = export(paths, "ics")
    calendar = icalendar.Calendar.from_ical(ics)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [
        f"{r['id']}@breakctl".replace("\r\n", "\n").replace("\r", "\n") for r in HOSTILE
    ]
    assert all("DESCRIPTION" not in e for e in events)
    assert str(events[1]["SUMMARY"]) == "Break: desk\nDESCRIPTION:x;a,b\\c (completed)"
    assert str(events[2]["SUMMARY"]) == "Routine: @SUM(1+1) (completed)"  # routines exported
    assert str(events[4]["SUMMARY"]).startswith("Break: né ✓ 長長")
    for line in ics.encode().split(b"\r\n"):
        assert len(line) <= 75 and b"\r" not in line and b"\n" not in line
        line.decode()  # folding never splits a character


def test_csv_cells_never_start_a_formula(paths: Paths) -> None:
    rows = list(csv.reader(io.StringIO(export(paths, "csv"))))
    header, body = rows[0], rows[1:]
    assert len(body) == len(HOSTILE)
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    routine = dict(zip(header, body[2], strict=True))
    assert routine["id"] == '\'=HYPERLINK("http://x")' and routine["routine"] == "'@SUM(1+1)"
    assert json.loads(routine["steps"])[0]["exercise"] == "=1+1"  # a JSON cell starts with [
    assert (routine["natural"], routine["away_s"], routine["input_s"]) == ("true", "12.5", "3")
    assert routine["host"] == "laptop-a1b2c3"
    work = dict(zip(header, body[3], strict=True))
    assert (work["id"], work["session"], work["natural"], work["away_s"]) == (
        "'+1",
        "'-2+3",
        "false",
        "0",
    )
    assert dict(zip(header, body[4], strict=True))["session"] == "'\rcr"


def test_json_keeps_every_value_as_written(paths: Paths) -> None:
    """Neutralising is for CSV only: the JSON lines are the records' own bytes."""
    out = export(paths, "json")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [r["id"] for r in HOSTILE]


@given(st.text(), st.text())
def test_any_text_is_one_parsed_value(name: str, record_id: str) -> None:
    record = Record(
        v=1,
        kind="break",
        id=record_id,
        routine=name,
        outcome="completed",
        started=FRIDAY_EVENING,
        ended=FRIDAY_EVENING,
        active_s=1,
        steps=(StepResult("x", "done"),),
    )
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + ics_event(record, FRIDAY_EVENING)
    (event,) = icalendar.Calendar.from_ical(ics + b"END:VCALENDAR\r\n").walk("VEVENT")
    clean = "".join(
        c
        if c in "\t\n" or not (ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) < 0xE000)
        else "\ufffd"
        for c in (record_id or "x").replace("\r\n", "\n").replace("\r", "\n")
    )
    if record_id:
        assert str(event["UID"]) == f"{clean}@breakctl"
    assert str(event["SUMMARY"]).endswith(" (completed)")
    row = next(csv.reader(io.StringIO(csv_row(record).decode(), newline="")))
    assert row[0] == (
        ("'" + record_id) if record_id.startswith(("=", "+", "-", "@", "\t", "\r")) else record_id
    )


def test_text_and_fold_by_hand() -> None:
    assert text("a;b,c\\d\r\ne\rf\ng\x1bh\ti") == "a\\;b\\,c\\\\d\\ne\\nf\\ng\ufffdh\ti"
    long = "SUMMARY:" + "é" * 80
    folded = fold(long)
    assert folded.endswith(b"\r\n") and all(len(x) <= 75 for x in folded.split(b"\r\n"))
    assert folded.replace(b"\r\n ", b"").decode() == long + "\r\n"
    assert fold("UID:x") == b"UID:x\r\n"
