"""The shared history folder when things are wrong: an unusable host id, a file that cannot be
read, more host files than the open-file limit. The real program, in a child process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breakctl.store.history_dir import valid_host_id
from breakctl.store.paths import Paths

HOST_ID_OK = ["laptop-3fa9c1", "h", "x_y.z-1", "a" * 64]
HOST_ID_BAD = ["", ".", "..", "a/b", "../../x", "a" * 65, "ab\x1bc", "tab\there", "-rf", ".hid"]


def breakctl(home: Path, *args: str, env: dict[str, str] | None = None, **kw: object):
    env = {**os.environ, "BREAKCTL_HOME": str(home), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "breakctl", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        **kw,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize("text", HOST_ID_OK)
def test_a_safe_host_id_is_valid(text: str) -> None:
    assert valid_host_id(text)


@pytest.mark.parametrize("text", HOST_ID_BAD)
def test_an_unusable_host_id_is_replaced_said_once_and_never_used(
    tmp_path: Path, text: str
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "host-id").write_text(text + "\n")
    added = breakctl(
        home, "history", "add", "break", "--at", "11:00", "--duration", "10m", "--day", "2026-03-02"
    )  # a day past: a break in the future is refused
    assert added.returncode == 0, added.stderr
    fresh = (home / "host-id").read_text().strip()
    assert valid_host_id(fresh) and fresh != text
    warnings = [line for line in added.stderr.splitlines() if "host-id" in line]
    assert len(warnings) == 1 and "not a usable file name" in warnings[0]
    assert repr(fresh) in warnings[0] and "\x1b" not in warnings[0]
    # The record went to the fresh id's file in the folder, and every reader shows it.
    files = sorted(p.relative_to(home) for p in home.rglob("*.jsonl"))
    assert files == [Path("history") / f"{fresh}.jsonl"]
    listed = breakctl(home, "history", "--json")
    assert listed.returncode == 0 and "host-id" not in listed.stderr
    assert [json.loads(line)["kind"] for line in listed.stdout.splitlines()] == ["break"]


def _records(host: Path, count: int, hour: float = 0.0, days: int = 1) -> list[str]:
    """`count` completed breaks, one every `days` days from 2026-03-02 (a Monday), `hour`
    hours after 09:00 UTC, written to `host`; their ids."""
    start = datetime(2026, 3, 2, 9, tzinfo=UTC) + timedelta(hours=hour)
    ids = []
    with host.open("w") as out:
        for index in range(count):
            began = start + timedelta(days=index * days)
            ident = uuid.uuid5(uuid.NAMESPACE_URL, f"{host.name}/{index}").hex
            ids.append(ident)
            record = {
                "v": 1,
                "id": ident,
                "kind": "break",
                "started": began.isoformat(),
                "ended": (began + timedelta(minutes=5)).isoformat(),
                "planned_s": 300,
                "active_s": 300,
                "outcome": "completed",
                "routine": "micro",
                "steps": [],
            }
            out.write(json.dumps(record) + "\n")
    return ids


READERS = {
    "history": ("history", "--json", "--last", "1000"),
    "export": ("history", "export", "--format", "csv"),
    "stats": ("stats", "--json", "--weeks", "2"),
    "show": ("history", "show", "0"),
}


def _private_home() -> Path:
    """A home a dropped-privileges child can reach: not under pytest's root-only folder."""
    home = Path(tempfile.mkdtemp(prefix="breakctl-unreadable-"))
    home.chmod(0o755)
    return home


def _as_nobody(home: Path) -> list[str]:
    """Root reads mode-000 files: give the home to `nobody` and run the child as nobody."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a mode-000 file stays readable")
    for path in (home, *home.rglob("*")):
        os.lchown(path, 65534, 65534)
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def _run(prefix: list[str], home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BREAKCTL_HOME": str(home), "HOME": str(home)}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "breakctl", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_file_that_cannot_be_read_is_skipped_named_once_and_checked() -> None:
    home = _private_home()
    try:
        folder = home / "history"
        folder.mkdir()
        ids = _records(folder / "desk-111111.jsonl", 3)
        _records(folder / "laptop-222222.jsonl", 2, hour=1)
        locked = folder / "laptop-222222.jsonl"
        prefix = _as_nobody(home)
        locked.chmod(0)
        _check_skipped(prefix, home, {locked: "Permission denied"}, ids)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_entries_that_are_not_history_files_are_named_too(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = home / "history"
    folder.mkdir(parents=True)
    ids = _records(folder / "desk-111111.jsonl", 3)
    (folder / "copy.jsonl").mkdir()  # a folder a sync tool made
    (folder / "gone.jsonl").symlink_to(tmp_path / "elsewhere.jsonl")
    (folder / "loop.jsonl").symlink_to(folder / "loop.jsonl")
    expected = {
        folder / "copy.jsonl": "a folder, not a history file",
        folder / "gone.jsonl": "a link that leads nowhere",
        folder / "loop.jsonl": "a link that leads nowhere",
    }
    _check_skipped([], home, expected, ids)


def _check_skipped(
    prefix: list[str], home: Path, expected: dict[Path, str], ids: list[str]
) -> None:
    for name, args in READERS.items():
        done = (
            _run(prefix, home, *args[:-1], ids[0][:8])
            if name == "show"
            else _run(prefix, home, *args)
        )
        assert done.returncode == 0, (name, done.stderr)
        warnings = done.stderr.splitlines()
        for path, why in expected.items():
            named = [line for line in warnings if str(path) in line]
            assert len(named) == 1, (name, warnings)
            assert "skipped" in named[0] and why in named[0], named
        assert "Traceback" not in done.stderr
    listed = _run(prefix, home, "history", "--json")
    assert [json.loads(line)["id"] for line in listed.stdout.splitlines()][:3] == ids
    check = _run(prefix, home, "history", "check")
    assert check.returncode == 2, check.stdout + check.stderr
    for path, why in expected.items():
        assert any(str(path) in line and why in line for line in check.stdout.splitlines())
    assert f"{len(expected)} problem" in check.stdout.splitlines()[-1]


def _limited(home: Path, limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """breakctl in a child that may hold at most `limit` files open (macOS's default 256)."""
    code = (
        "import os, resource, runpy, sys; "
        f"resource.setrlimit(resource.RLIMIT_NOFILE, ({limit}, {limit})); "
        "sys.argv = ['breakctl', *sys.argv[1:]]; runpy.run_module('breakctl', run_name='__main__')"
    )
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_more_host_files_than_the_open_file_limit(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = home / "history"
    folder.mkdir(parents=True)
    hosts, per_host = 300, 300  # each file longer than the reorder heap: its stream stays open
    for index in range(hosts):
        _records(folder / f"host{index:03d}-abcdef.jsonl", per_host, hour=index / 100)
    for args in (
        ("history", "--json", "--last", "5"),
        ("history", "export", "--format", "json"),
        ("stats", "--json"),
        ("history", "check"),
    ):
        done = _limited(home, 256, *args)
        assert done.returncode == 0, (args, done.stderr[-500:])
        assert "Too many open files" not in done.stderr
        if args[1] == "export":
            assert len(done.stdout.splitlines()) == hosts * per_host


def test_start_names_a_history_file_it_cannot_read_and_goes_on(paths: Paths) -> None:
    from tests.test_start_cli import invoke

    folder = paths.data_dir / "history"
    folder.mkdir(parents=True)
    (folder / "odd.jsonl").mkdir()
    result = invoke(paths, "start", "--work", "25", "--break", "5m", "--cycles", "1", "--no-notify")
    assert result.exit_code == 0, result.output
    named = [line for line in result.stderr.splitlines() if "odd.jsonl" in line]
    assert len(named) == 1 and "a folder, not a history file" in named[0]
