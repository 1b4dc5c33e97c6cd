"""Two machines, one history, any file sync: real `breakctl` processes in two BREAKCTL_HOMEs,
running `start` and `routine` at once, while a sync thread copies their files back and forth
the way Syncthing or Dropbox does (through a temp file and a rename, a half-copied file left
for a while, a conflict copy). The merged review counts every record exactly once on both
machines, and breakctl never rewrites a byte of any file."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

MINI = """
name = "mini"
title = "Mini"

[exercises.hold-a]
name = "Hold A"
position = "standing"
targets = ["core"]
hold = "1s"
cues = ["Hold still."]

[[steps]]
exercise = "hold-a"
"""


def env(home: Path, folder: Path) -> dict[str, str]:
    return {**os.environ, "BREAKCTL_HOME": str(home), "BREAKCTL_HISTORY_DIR": str(folder)}


def breakctl(home: Path, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "breakctl", *args],
        env=env(home, folder),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


class Machine:
    def __init__(self, root: Path, name: str, folder: Path | None = None) -> None:
        self.home = root / name
        self.folder = folder or root / f"{name}-sync"
        (self.home / "routines").mkdir(parents=True)
        (self.home / "routines" / "mini.toml").write_text(MINI)
        # The host id is made when first needed (`config path` names its file); once, here.
        assert breakctl(self.home, self.folder, "config", "path").returncode == 0
        self.host_id = (self.home / "host-id").read_text().strip()
        self.own = self.folder / f"{self.host_id}.jsonl"

    def run_day(self) -> list[subprocess.CompletedProcess[str]]:
        """`start` for two short cycles while three routines are run beside it."""
        start = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "breakctl",
                "start",
                "--work",
                "2s",
                "--break",
                "1s",
                "--cycles",
                "2",
                "--routine",
                "mini",
                "--no-notify",
                "--no-bell",
            ],
            env=env(self.home, self.folder),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        done = [breakctl(self.home, self.folder, "routine", "mini") for _ in range(3)]
        out, err = start.communicate(timeout=60)
        done.append(subprocess.CompletedProcess(start.args, start.returncode, out, err))
        return done


class Sync:
    """Copies each machine's own file to the other's folder, as a sync tool would."""

    def __init__(self, machines: list[Machine]) -> None:
        self.machines = machines
        self.written: dict[Path, str] = {}  # what the sync itself last put at each path
        self.seen: dict[Path, bytes] = {}  # each machine's own file as last seen
        self.problems: list[str] = []
        self.stop = threading.Event()
        self.copies: dict[Path, int] = {}  # times each machine's file was copied

    def watch_own_files(self) -> None:
        """breakctl only appends: every look at a machine's own file starts with the last."""
        for machine in self.machines:
            try:
                now = machine.own.read_bytes()
            except FileNotFoundError:
                continue
            before = self.seen.get(machine.own, b"")
            if not now.startswith(before):
                self.problems.append(f"{machine.own} was rewritten")
            self.seen[machine.own] = now

    def put(self, path: Path, data: bytes) -> None:
        tmp = path.with_name(f".syncthing.{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        self.written[path] = hashlib.sha256(data).hexdigest()

    def round(self) -> None:
        self.watch_own_files()
        for source in self.machines:
            data = self.seen.get(source.own)
            if not data:
                continue
            count = self.copies[source.own] = self.copies.get(source.own, 0) + 1
            for other in self.machines:
                if other is source or other.folder == source.folder:
                    continue
                target = other.folder / source.own.name
                other.folder.mkdir(parents=True, exist_ok=True)
                if count == 1:
                    # A half-copied file, written in place, cut in the middle of a line.
                    target.write_bytes(data[: len(data) // 2 + 7])
                    self.written[target] = hashlib.sha256(target.read_bytes()).hexdigest()
                    continue
                if count == 3:
                    conflict = target.with_name(
                        f"{source.host_id}.sync-conflict-20260306-101010-ABCDEFG.jsonl"
                    )
                    self.put(conflict, data)  # a stale copy that will never be updated
                self.put(target, data)

    def run(self) -> None:
        while not self.stop.is_set():
            self.round()
            time.sleep(0.3)
        self.round()


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("shared", [False, True], ids=["synced", "one-folder"])
def test_two_machines_one_history(tmp_path: Path, shared: bool) -> None:
    common = tmp_path / "shared" if shared else None
    machines = [Machine(tmp_path, "laptop", common), Machine(tmp_path, "desktop", common)]
    assert machines[0].host_id != machines[1].host_id
    sync = Sync(machines)
    syncing = threading.Thread(target=sync.run)
    syncing.start()
    results: list[list[subprocess.CompletedProcess[str]]] = [[], []]
    days = [
        threading.Thread(target=lambda i=i: results[i].extend(machines[i].run_day()))
        for i in range(2)
    ]
    for day in days:
        day.start()
    for day in days:
        day.join()
    # Reviews while the copies are still settling: never an error, never a count twice.
    for machine in machines:
        result = breakctl(machine.home, machine.folder, "stats", "--json")
        assert result.returncode == 0, result.stderr
    sync.stop.set()
    syncing.join()
    for result in results[0] + results[1]:
        assert result.returncode == 0, (result.args, result.stderr)
    assert sync.problems == []

    every = sorted(ids_in(machines[0].own) + ids_in(machines[1].own))
    assert len(every) == len(set(every)) == 2 * (3 + 4)  # 3 routines, 2 work + 2 breaks each
    reviews = []
    for machine in machines:
        listed = breakctl(machine.home, machine.folder, "history", "--json", "--last", "1000")
        assert listed.returncode == 0 and listed.stderr == ""
        got = [json.loads(line)["id"] for line in listed.stdout.splitlines()]
        assert sorted(got) == every  # each record exactly once
        starts = [json.loads(line)["started"] for line in listed.stdout.splitlines()]
        assert starts == sorted(starts)
        stats = json.loads(breakctl(machine.home, machine.folder, "stats", "--json").stdout)
        stats.pop("until", None)
        stats["previous"].pop("until", None)
        reviews.append(stats)
        hosts = json.loads(
            breakctl(machine.home, machine.folder, "history", "hosts", "--json").stdout
        )
        assert {h["host"] for h in hosts} >= {m.host_id for m in machines}
        check = breakctl(machine.home, machine.folder, "history", "check")
        assert check.returncode == 0, check.stdout
    assert reviews[0] == reviews[1]
    assert reviews[0]["breaks"]["completed"] == 4 and reviews[0]["routines"] == 6

    # No byte of any file was rewritten: each machine's own file still starts with every
    # version the sync saw, and every copy is exactly what the sync last wrote.
    sync.watch_own_files()
    assert sync.problems == []
    for path, digest in sync.written.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path
    if not shared:
        assert any(".sync-conflict-" in p.name for p in machines[1].folder.iterdir())
    shutil.rmtree(tmp_path / "laptop")  # the state folders go; the history stays whole
