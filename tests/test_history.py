from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from breakctl.core.errors import StorageError
from breakctl.core.record_codec import from_dict
from breakctl.core.records import Record
from breakctl.store.history import History


def routine(name: str) -> Record:
    return from_dict(
        {
            "v": 1,
            "id": name,
            "kind": "routine",
            "routine": name,
            "steps": [],
            "started": "2026-03-02T09:00:00.000+01:00",
            "active_s": 1.5,
            "ended": "2026-03-02T09:00:01.500+01:00",
            "outcome": "completed",
        }
    )


def test_append_creates_private_file_and_folder(tmp_path: Path) -> None:
    history = History(tmp_path / "deep" / "dir" / "history.jsonl")
    history.append(routine("étirement"))
    assert stat.S_IMODE(history.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(history.path.parent.stat().st_mode) == 0o700
    assert history.path.read_text(encoding="utf-8") == (
        '{"v":1,"id":"étirement","kind":"routine","routine":"étirement",'
        '"started":"2026-03-02T09:00:00.000+01:00","ended":"2026-03-02T09:00:01.500+01:00",'
        '"planned_s":null,"active_s":1.5,"paused_s":0,"outcome":"completed","steps":[]}\n'
    )


def test_appends_never_rewrite_earlier_lines(tmp_path: Path) -> None:
    history = History(tmp_path / "history.jsonl")
    history.path.write_text('{"hand": "edited"}\n')
    history.append(routine("one"))
    history.append(routine("two"))
    lines = history.path.read_text().splitlines()
    assert lines[0] == '{"hand": "edited"}'
    assert [json.loads(line)["id"] for line in lines[1:]] == ["one", "two"]


def test_a_torn_last_line_does_not_swallow_the_next_record(tmp_path: Path) -> None:
    history = History(tmp_path / "history.jsonl")
    history.path.write_bytes(b'{"n":1}\n{"n":2,"kin')  # a crash mid-write
    history.append(routine("three"))
    lines = history.path.read_bytes().splitlines()
    assert lines[:2] == [b'{"n":1}', b'{"n":2,"kin']
    assert json.loads(lines[-1])["id"] == "three" and len(lines) == 3


def test_history_that_is_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "history.jsonl").mkdir()
    with pytest.raises(StorageError, match="is a directory"):
        History(tmp_path / "history.jsonl").ensure_writable()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_history_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_text("")
    path.chmod(0o400)
    with pytest.raises(StorageError, match="cannot write history"):
        History(path).ensure_writable()
