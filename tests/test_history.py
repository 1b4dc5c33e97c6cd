from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from breakctl.errors import StorageError
from breakctl.history import History


def test_append_creates_private_file_and_folder(tmp_path: Path) -> None:
    history = History(tmp_path / "deep" / "dir" / "history.jsonl")
    history.append({"v": 1, "kind": "routine", "note": "é"})
    assert stat.S_IMODE(history.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(history.path.parent.stat().st_mode) == 0o700
    assert history.path.read_text(encoding="utf-8") == '{"v":1,"kind":"routine","note":"é"}\n'


def test_appends_never_rewrite_earlier_lines(tmp_path: Path) -> None:
    history = History(tmp_path / "history.jsonl")
    history.path.write_text('{"hand": "edited"}\n')
    history.append({"n": 1})
    history.append({"n": 2})
    assert history.path.read_text().splitlines() == ['{"hand": "edited"}', '{"n":1}', '{"n":2}']


def test_a_torn_last_line_does_not_swallow_the_next_record(tmp_path: Path) -> None:
    history = History(tmp_path / "history.jsonl")
    history.path.write_bytes(b'{"n":1}\n{"n":2,"kin')  # a crash mid-write
    history.append({"n": 3})
    lines = history.path.read_bytes().splitlines()
    assert lines == [b'{"n":1}', b'{"n":2,"kin', b'{"n":3}']
    assert json.loads(lines[-1]) == {"n": 3}


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
