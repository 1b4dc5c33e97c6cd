"""Issue 8 §4 and §5: a full disk, a read-only home, permissions and links, on real file
systems (a small tmpfs mounted by the test: CI runs as root)."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from breakctl.cli import app
from breakctl.core.errors import StorageError
from breakctl.core.record_codec import decode_line, encode
from breakctl.host.context import AppContext
from breakctl.store.history import History
from breakctl.store.paths import Paths
from breakctl.store.state import StartLock
from tests.fakes import FakeClock

RECORD = (
    '{{"v":1,"id":"r{n}","kind":"work","started":"2026-03-02T0{n}:00:00.000+01:00",'
    '"ended":"2026-03-02T0{n}:25:00.000+01:00","planned_s":1500,"active_s":1500,'
    '"paused_s":0,"suspended_s":0,"outcome":"completed"}}\n'
)
SEED = "".join(RECORD.format(n=n) for n in range(1, 4)).encode()
MINI = """name = "mini"
rest = "1s"

[[steps]]
exercise = "shoulder-roll"
reps = 2
pace = "1s"
"""
# The block a `start` killed with -9 left behind.
LEFTOVER = {
    "v": 1,
    "phase": "work",
    "remaining_s": 600,
    "pid": 1,
    "record": {
        "v": 1,
        "kind": "work",
        "started": "2026-03-02T05:00:00.000+01:00",
        "ended": "2026-03-02T05:10:00.000+01:00",
        "active_s": 600,
        "outcome": "interrupted",
    },
    "heartbeat": "2026-03-02T05:10:00.000+01:00",
}


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs of our own, unmounted afterwards."""
    mount = tmp_path / "fs"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(folder: Path) -> None:
    """Take every free byte of the file system `folder` is on."""
    with open(folder / "filler", "wb", buffering=0) as handle:
        while True:
            try:
                handle.write(b"\0" * 4096)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                break
        for size in (1024, 256, 64, 16, 4, 1):
            while True:
                try:
                    handle.write(b"\0" * size)
                except OSError:
                    break


def read_only(mount: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)


def cli(paths: Paths, *args: str) -> Result:
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=1))))
    return CliRunner().invoke(app, list(args), obj=AppContext(paths=paths, clock=clock))


def no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


# -- full disk ------------------------------------------------------------------------------


def near_a_page_end(history: bytes) -> bytes:
    """`history` and a blank line, ending 40 bytes short of a 4 KiB page: on a full tmpfs
    the next record's first 40 bytes are written, then the disk is full."""
    return history + b" " * (4096 - 40 - len(history) - 1) + b"\n"


def test_an_append_that_cannot_complete_leaves_the_history_as_it_was(tmpfs: Path) -> None:
    path = tmpfs / "history.jsonl"
    path.write_bytes(near_a_page_end(SEED))
    before = path.read_bytes()
    fill(tmpfs)
    record = decode_line(RECORD.format(n=4).strip().encode(), 1)
    with pytest.raises(StorageError, match="disk full, record not saved"):
        History(path).append(record)  # type: ignore[arg-type]
    assert path.read_bytes() == before
    (tmpfs / "filler").unlink()
    History(path).append(record)  # type: ignore[arg-type]
    after = path.read_bytes()
    assert after.startswith(before) and decode_line(after[len(before) : -1], 1) == record


def test_a_routine_on_a_full_disk_says_so_and_leaves_history_whole(tmpfs: Path) -> None:
    paths = Paths(tmpfs, tmpfs, tmpfs)
    (tmpfs / "routines").mkdir()
    (tmpfs / "routines" / "mini.toml").write_text(MINI)
    (tmpfs / "history.jsonl").write_bytes(near_a_page_end(SEED))
    fill(tmpfs)
    result = cli(paths, "routine", "mini")
    no_traceback(result)
    assert result.exit_code == 1
    # Said before anything runs (there is no room for this machine's history file either).
    assert "disk full" in result.stderr
    assert (tmpfs / "history.jsonl").read_bytes() == near_a_page_end(SEED)
    (tmpfs / "filler").unlink()
    checked = cli(paths, "history", "check")
    assert checked.exit_code == 0, checked.output


def test_routine_new_on_a_full_disk_leaves_nothing_behind(tmpfs: Path) -> None:
    paths = Paths(tmpfs, tmpfs, tmpfs)
    (tmpfs / "routines").mkdir()
    fill(tmpfs)
    result = cli(paths, "routine", "new", "mine", "--from", "desk")
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"breakctl: {tmpfs / 'routines' / 'mine.toml'}: cannot write")
    assert os.listdir(tmpfs / "routines") == []
    (tmpfs / "filler").unlink()
    again = cli(paths, "routine", "new", "mine", "--from", "desk")
    assert again.exit_code == 0, again.output
    assert cli(paths, "routine", "check", str(tmpfs / "routines" / "mine.toml")).exit_code == 0


# -- full disk or read-only home, with a leftover current.json ------------------------------

READ_ONLY_COMMANDS = [
    ("stats",),
    ("stats", "--json"),
    ("presets",),
    ("config", "show"),
    ("history",),
    ("history", "--json"),
    ("history", "check"),
    ("routine", "list"),
    ("routine", "show", "desk"),
]


@pytest.mark.parametrize("fault", ["full disk", "read-only home"])
def test_commands_that_only_read_work_when_recovery_cannot_be_written(
    tmpfs: Path, fault: str
) -> None:
    paths = Paths(tmpfs, tmpfs, tmpfs)
    (tmpfs / "history.jsonl").write_bytes(near_a_page_end(SEED))
    (tmpfs / "current.json").write_text(json.dumps(LEFTOVER))
    fill(tmpfs) if fault == "full disk" else read_only(tmpfs)
    for args in READ_ONLY_COMMANDS:
        result = cli(paths, *args)
        no_traceback(result)
        assert result.exit_code == 0, (args, result.output)
        warnings = [line for line in result.stderr.splitlines() if "warning" in line]
        assert len(warnings) == 1 and "is not recorded yet" in warnings[0], result.stderr
    started = cli(paths, "start", "--cycles", "1")  # it would write over the leftover block
    no_traceback(started)
    assert started.exit_code == 1
    status = _status(tmpfs)
    assert (status.returncode, status.stdout) == (0, b"")
    assert b"Traceback" not in status.stderr and status.stderr.count(b"\n") == 1
    assert (tmpfs / "history.jsonl").read_bytes() == near_a_page_end(SEED)
    assert json.loads((tmpfs / "current.json").read_text()) == LEFTOVER  # kept for later


def test_the_leftover_block_is_recorded_once_the_disk_has_room(tmpfs: Path) -> None:
    paths = Paths(tmpfs, tmpfs, tmpfs)
    (tmpfs / "history.jsonl").write_bytes(near_a_page_end(SEED))
    (tmpfs / "current.json").write_text(json.dumps(LEFTOVER))
    fill(tmpfs)
    assert "is not recorded yet" in cli(paths, "stats").stderr
    (tmpfs / "filler").unlink()
    result = cli(paths, "history", "check")
    assert result.exit_code == 0 and result.stderr == ""
    assert "5 lines: 4 records" in result.stdout
    assert not (tmpfs / "current.json").exists()


def _status(home: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    argv = [sys.executable, "-m", "breakctl", "status"]
    return subprocess.run(argv, env=env, capture_output=True, timeout=30)


# -- permissions and links ------------------------------------------------------------------

FIRST_COMMANDS = [
    ("routine", "new", "mine"),
    ("config", "set", "start.work", "30m"),
    ("stats",),
    ("routine", "micro"),
]


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
@pytest.mark.parametrize("first", FIRST_COMMANDS, ids=" ".join)
def test_folders_are_0700_and_files_0600_whatever_runs_first_and_whatever_the_umask(
    tmp_path: Path, first: tuple[str, ...], umask: int
) -> None:
    base = tmp_path / "base"
    paths = Paths(base / "config" / "breakctl", base / "data" / "breakctl", base / "state" / "x")
    old = os.umask(umask)
    try:
        result = cli(paths, *first)
        assert result.exit_code == 0, result.output
        StartLock(paths).acquire()
        History(paths.history_file).ensure_writable()
    finally:
        os.umask(old)
    for folder, _, files in os.walk(base):  # `base` too: breakctl made it
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder
        for name in files:
            mode = stat.S_IMODE(os.stat(Path(folder) / name).st_mode)
            assert mode == 0o600, (folder, name, oct(mode))


def test_the_history_is_written_through_a_link(paths: Paths, tmp_path: Path) -> None:
    target = tmp_path / "synced" / "history.jsonl"
    target.parent.mkdir()
    target.write_bytes(SEED)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.history_file.symlink_to(target)
    record = decode_line(RECORD.format(n=4).strip().encode(), 1)
    History(paths.history_file).append(record)  # type: ignore[arg-type]
    assert paths.history_file.is_symlink()
    assert target.read_bytes() == SEED + encode(record)  # type: ignore[arg-type]


def test_a_dangling_history_link_creates_its_target_private(paths: Paths, tmp_path: Path) -> None:
    target = tmp_path / "synced" / "history.jsonl"
    target.parent.mkdir()
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.history_file.symlink_to(target)
    History(paths.history_file).ensure_writable()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_state_file_replaces_a_link_and_never_writes_through_it(
    paths: Paths, tmp_path: Path
) -> None:
    from breakctl.store.state import write_atomically

    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("mine")
    paths.state_dir.mkdir(parents=True, exist_ok=True)
    paths.state_file.symlink_to(elsewhere)
    write_atomically(paths.state_file, {"phase": "work"})
    assert not paths.state_file.is_symlink()
    assert json.loads(paths.state_file.read_text()) == {"phase": "work"}
    assert elsewhere.read_text() == "mine"


def test_the_lock_is_never_taken_through_a_link(paths: Paths, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.lock"
    paths.state_dir.mkdir(parents=True, exist_ok=True)
    (paths.state_dir / "start.lock").symlink_to(elsewhere)
    with pytest.raises(StorageError, match=r"start\.lock: cannot open the lock: a symbolic link"):
        StartLock(paths).acquire()
    assert not elsewhere.exists()


def test_routine_new_never_replaces_anything_even_a_dangling_link(
    paths: Paths, tmp_path: Path
) -> None:
    paths.routines_dir.mkdir(parents=True)
    (paths.routines_dir / "mine.toml").symlink_to(tmp_path / "nowhere.toml")
    result = cli(paths, "routine", "new", "mine")
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert not (tmp_path / "nowhere.toml").exists()
    assert [p.name for p in paths.routines_dir.iterdir()] == ["mine.toml"]
