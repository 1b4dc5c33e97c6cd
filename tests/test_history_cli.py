from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.host.context import AppContext
from breakctl.store.paths import Paths
from tests.fakes import FakeClock
from tests.test_stats import FRIDAY_EVENING, HAND_BUILT, rec, t, write_history


def history(paths: Paths, *args: str):
    return CliRunner().invoke(
        app, ["history", *args], obj=AppContext(paths=paths, clock=FakeClock(FRIDAY_EVENING))
    )


def test_last_records_as_a_table(paths: Paths) -> None:
    write_history(paths, HAND_BUILT)
    result = history(paths, "--last", "3")
    assert result.exit_code == 0
    rows = [line for line in result.stdout.splitlines()[1:] if line.strip()]
    assert len(rows) == 3
    assert rows[-1].startswith("2026-03-06 12:00  routine  lunch") and "quit" in rows[-1]


def test_json_lines_are_the_records_as_written(paths: Paths) -> None:
    write_history(paths, HAND_BUILT)
    result = history(paths, "--json", "--last", "5")
    assert [json.loads(line) for line in result.stdout.splitlines()] == HAND_BUILT[-5:]


def test_csv_round_trips(paths: Paths) -> None:
    write_history(paths, HAND_BUILT)
    result = history(paths, "--csv", "--last", "100")
    header, _ = result.stdout.split("\n", 1)
    assert header == (  # the documented column order, written out: a contract for spreadsheets
        "id,session,kind,cycle,routine,started,ended,"
        "planned_s,active_s,paused_s,suspended_s,outcome,steps,natural,away_s,input_s,host,"
        "held_s,held_by"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(HAND_BUILT)
    for row, record in zip(rows, HAND_BUILT, strict=True):
        for field in ("id", "kind", "started", "ended", "outcome", "routine"):
            assert row[field] == str(record.get(field, ""))
        assert float(row["active_s"]) == record["active_s"]
        if "steps" in record:
            assert json.loads(row["steps"]) == record["steps"]


def test_csv_carries_how_long_a_break_was_held_and_by_what(paths: Paths) -> None:
    held = rec(
        "break",
        t("03-02", "10:30"),
        t("03-02", "10:35"),
        300,
        "completed",
        "desk",
        held_s=754.4,
        held_by=["microphone", "calendar"],
    )
    write_history(paths, [held, HAND_BUILT[0]])
    rows = list(csv.DictReader(io.StringIO(history(paths, "--csv", "--last", "9").stdout)))
    by_id = {row["id"]: row for row in rows}
    assert by_id[held["id"]]["held_s"] == "754.4"
    assert by_id[held["id"]]["held_by"] == "microphone;calendar"
    other = by_id[HAND_BUILT[0]["id"]]
    assert (other["held_s"], other["held_by"]) == ("0", "")


def test_bad_lines_warn_on_stderr_and_json_stays_clean(paths: Paths) -> None:
    write_history(paths, HAND_BUILT[:2], ["oops"])
    result = history(paths, "--json")
    assert len(result.stdout.splitlines()) == 2
    assert "skipped 1 unreadable line: 3" in result.stderr


def test_check_names_each_bad_line_and_never_edits(paths: Paths) -> None:
    write_history(paths, HAND_BUILT[:2], ["oops", "[1]"])
    before = paths.history_file.read_bytes()
    result = history(paths, "check")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0] == f"{paths.history_file}:3: not valid JSON (half-written or edited by hand)"
    assert lines[1] == f"{paths.history_file}:4: not a JSON object but list"
    assert lines[2] == "1 file, 4 lines: 2 records (1 break, 1 work), 2 problems"
    assert paths.history_file.read_bytes() == before


def test_check_of_a_clean_file_is_exit_0(paths: Paths) -> None:
    write_history(paths, HAND_BUILT)
    result = history(paths, "check")
    assert result.exit_code == 0 and ", 0 problems" in result.stdout


def test_empty_history(paths: Paths) -> None:
    result = history(paths)
    assert result.exit_code == 0 and "No history yet" in result.stdout


def test_json_and_csv_together_is_exit_2(paths: Paths) -> None:
    assert history(paths, "--json", "--csv").exit_code == 2


def test_show_prints_one_record_by_id_and_names_a_missing_one(paths: Paths) -> None:
    write_history(paths, HAND_BUILT)
    wanted = next(r for r in HAND_BUILT if r.get("id"))
    result = history(paths, "show", wanted["id"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert {key: shown[key] for key in wanted} == wanted  # every field written, as written
    missing = history(paths, "show", "no-such-id")
    assert missing.exit_code == 2 and "no record with an id starting 'no-such-id'" in missing.stderr
