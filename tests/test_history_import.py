"""`history import`: batches under one lock, concurrent imports, id-less records, unknown
fields, sources that are not files of JSON lines, the progress bar. The real program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from breakctl.store import history_import
from breakctl.store.history_import import content_id
from breakctl.store.paths import Paths
from tests.test_folder_faults import _records

FORMATS = "import takes JSON lines, as `breakctl history export --format json` writes them"


def breakctl(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "breakctl", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def own_lines(home: Path) -> list[dict[str, object]]:
    """Every line this machine's history file holds, as JSON."""
    return [
        json.loads(line)
        for path in sorted((home / "history").glob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]


def test_two_imports_of_one_file_at_once_write_each_record_once(tmp_path: Path) -> None:
    source = tmp_path / "laptop.jsonl"
    ids = _records(source, 10_000)
    home = tmp_path / "home"
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    argv = [sys.executable, "-m", "breakctl", "history", "import", str(source)]
    both = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    said = [process.communicate(timeout=300) for process in both]
    assert [process.returncode for process in both] == [0, 0], said
    written = [line["id"] for line in own_lines(home)]
    assert sorted(written) == sorted(ids)  # every record, once
    news = [int(out.split()[1]) for out, _ in said]
    assert sum(news) == 10_000, said


def test_an_import_is_written_in_batches(
    tmp_path: Path, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from breakctl.cli import app
    from breakctl.host.context import AppContext
    from tests.fakes import FakeClock
    from tests.test_stats import FRIDAY_EVENING

    source = tmp_path / "laptop.jsonl"
    _records(source, 5_000)  # about 1.4 MB
    syncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (syncs.append(fd), real_fsync(fd))[1])
    context = AppContext(paths=paths, clock=FakeClock(FRIDAY_EVENING), env={})
    result = CliRunner().invoke(app, ["history", "import", str(source)], obj=context)
    assert result.exit_code == 0, result.output
    assert "Imported 5000 new records" in result.stdout
    batches = 1 + source.stat().st_size // history_import.BATCH_BYTES
    assert len(syncs) <= batches + 1  # and one for the host id, made on first use


def test_a_record_without_an_id_gets_one_from_its_content(tmp_path: Path) -> None:
    source = tmp_path / "old.jsonl"
    _records(source, 3)
    lines = [json.loads(line) for line in source.read_text().splitlines()]
    for line in lines:
        del line["id"]
        line["mood"] = {"from": "a newer breakctl"}  # a field this version does not know
    source.write_text("".join(json.dumps(line, indent=None) + "\n" for line in lines))
    homes = [tmp_path / "one", tmp_path / "two"]
    for home in homes:
        first = breakctl(home, "history", "import", str(source))
        assert first.returncode == 0 and "Imported 3 new records" in first.stdout, first
        again = breakctl(home, "history", "import", str(source))
        assert "Imported 0 new records" in again.stdout and "(3 already there)" in again.stdout
    one, two = own_lines(homes[0]), own_lines(homes[1])
    assert one == two  # the same ids on every machine
    for line, original in zip(one, lines, strict=True):
        raw = json.dumps(original).encode()
        assert line["id"] == content_id(raw) and len(str(line["id"])) == 32
        assert line["mood"] == {"from": "a newer breakctl"}
        assert {k: v for k, v in line.items() if k != "id"} == original
    # Spacing does not change the id: the content does.
    assert content_id(json.dumps(lines[0], indent=2).encode()) == one[0]["id"]


def test_unknown_fields_of_records_with_ids_are_kept_as_written(tmp_path: Path) -> None:
    source = tmp_path / "newer.jsonl"
    _records(source, 2)
    text = source.read_text().replace('"steps": []}', '"steps": [], "zz_new": [1, "two"]}')
    source.write_text(text)
    home = tmp_path / "home"
    assert breakctl(home, "history", "import", str(source)).returncode == 0
    assert (home / "history").glob("*.jsonl")
    written = next((home / "history").glob("*.jsonl")).read_text()
    assert written == text


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda p: p.mkdir(), "a folder, not a file"),
        (lambda p: os.mkfifo(p), "a FIFO (named pipe), not a file"),
        (lambda p: p.symlink_to(p), "a loop of symbolic links, not a file"),
        (lambda p: p.symlink_to(p.parent / "gone"), "a symbolic link to nothing"),
        (lambda p: None, "no such file"),
    ],
    ids=["folder", "fifo", "loop", "dangling", "missing"],
)
def test_a_source_that_is_not_a_file_is_named_for_what_it_is(
    tmp_path: Path, make: object, what: str
) -> None:
    source = tmp_path / "in.jsonl"
    make(source)  # type: ignore[operator]
    done = breakctl(tmp_path / "home", "history", "import", str(source))
    assert done.returncode == 2
    assert done.stderr.startswith(f"breakctl: {source}: {what}"), done.stderr
    assert "Traceback" not in done.stderr


def test_a_device_is_named_for_what_it_is(tmp_path: Path) -> None:
    done = breakctl(tmp_path / "home", "history", "import", "/dev/null")
    assert (done.returncode, done.stderr.strip()) == (
        2,
        f"breakctl: /dev/null: a device, not a file: {FORMATS}",
    )


@pytest.mark.parametrize("fmt", ["csv", "ics"])
def test_an_export_in_another_format_is_refused_naming_the_format_import_takes(
    tmp_path: Path, fmt: str
) -> None:
    home = tmp_path / "home"
    folder = home / "history"
    folder.mkdir(parents=True)
    _records(folder / "desk-111111.jsonl", 5)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    exported = breakctl(home, "history", "export", "--format", fmt)
    source = tmp_path / f"export.{fmt}"
    source.write_text(exported.stdout)
    done = breakctl(home, "history", "import", str(source))
    assert done.returncode == 2
    assert done.stderr.strip().endswith(FORMATS), done.stderr
    assert ("CSV" if fmt == "csv" else "iCalendar") in done.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    source = tmp_path / "big.jsonl"
    _records(source, 20_000)
    home = tmp_path / "home"
    env = {**os.environ, "BREAKCTL_HOME": str(home), "TERM": "xterm", "COLUMNS": "100"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "breakctl", "history", "import", str(source)],
        env=env,
        encoding="utf-8",
        timeout=300,
        dimensions=(24, 100),
    )
    child.expect("Importing big.jsonl")
    child.expect("Imported 20000 new records")
    child.expect(pexpect.EOF)
    piped = breakctl(tmp_path / "piped", "history", "import", str(source))
    assert "Importing" not in piped.stderr + piped.stdout
