"""The shared history folder when things are wrong: an unusable host id, a file that cannot be
read, more host files than the open-file limit. The real program, in a child process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from breakctl.store.history_dir import valid_host_id

HOST_ID_OK = ["laptop-3fa9c1", "h", "x_y.z-1", "a" * 64]
HOST_ID_BAD = ["", ".", "..", "a/b", "../../x", "a" * 65, "ab\x1bc", "tab\there", "-rf", ".hid"]


def breakctl(home: Path, *args: str, env: dict[str, str] | None = None, **kw: object):
    env = {**os.environ, "BREAKCTL_HOME": str(home), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "breakctl", *args],
        capture_output=True, text=True, env=env, timeout=120, **kw,  # type: ignore[call-overload]
    )  # fmt: skip


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
    added = breakctl(home, "history", "add", "break", "--at", "11:00", "--duration", "10m")
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
