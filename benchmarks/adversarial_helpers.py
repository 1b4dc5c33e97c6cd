"""adversarial.py's families for issue 19's second half: helper programs that misbehave, the
shared history folder (host ids, files that cannot be read), imports and concurrent writers.
Each runs the real `breakctl` through adversarial.py's runner and counts into its Tally;
records lost or written twice are counted from the history folder itself."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

BAD_HOST_IDS = ["", ".", "..", "a/b", "../../x", "x" * 300, "ab\x1b]0;t\x07c", "-rf", ".h"]
ESCAPED = (
    "import os,sys,time; os.setsid(); open(sys.argv[1],'w').write(str(os.getpid())); time.sleep(60)"
)
PRESENCE_COMMANDS = [
    r"printf '\377\376 12\n'",
    "echo 5000; sleep 30 &",
    f'echo 5000; {sys.executable} -c "{ESCAPED}" {{pids}}/escaped &',
    f'{sys.executable} -c "{ESCAPED}" {{pids}}/escaped-hang & sleep 30',
    "yes",
    "sleep 30",
    "head -c 100000 /dev/zero",
    "echo 1e999",
    "exit 3",
]


def _base() -> ModuleType:
    import adversarial  # the runner and the tally (this module is imported by it)

    return adversarial


def _record(n: int, ident: str | None = None) -> dict[str, object]:
    day = 1 + n % 28
    record: dict[str, object] = {
        "v": 1,
        "kind": "work",
        "started": f"2026-02-{day:02}T09:{n % 60:02}:00.000+01:00",
        "ended": f"2026-02-{day:02}T09:{n % 60:02}:30.000+01:00",
        "active_s": 30,
        "outcome": "completed",
        "extra": {"n": n},
    }
    if ident is not None:
        record["id"] = ident
    return record


def _folder_ids(home: Path) -> Counter[str]:
    """Each record's id (or line) in the history folder, with how often it is written."""
    found: Counter[str] = Counter()
    for path in (home / "history").glob("*.jsonl"):
        for line in path.read_bytes().splitlines():
            try:
                found[str(json.loads(line).get("id") or line)] += 1
            except ValueError:
                continue
    return found


def helper_family(root: Path, limit: int | None) -> Iterator[tuple[str, object]]:
    base = _base()
    tally = base.Tally()
    for n, command in enumerate(PRESENCE_COMMANDS[:limit]):
        tally.inputs += 1
        home = base._home(root, f"helper-p{n}")
        pids = home / "pids"
        pids.mkdir()
        line = command.replace("{pids}", str(pids))
        (home / "config.toml").write_text(
            f'[presence]\nsource = "command"\ncommand = {json.dumps(line)}\n'
        )
        for argv in (["presence"], ["presence", "--json"]):
            base._run(home, argv, tally, f"presence command {command[:30]!r}")
        for pid_file in pids.iterdir():  # what escaped the process group: not breakctl's to kill
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
        base._check_history(home, base.SEED, tally, "presence", allow_new=False)
    yield "helper programs", tally


def folder_family(root: Path, limit: int | None) -> Iterator[tuple[str, object]]:
    base = _base()
    tally = base.Tally()
    for n, host_id in enumerate(BAD_HOST_IDS[:limit]):
        tally.inputs += 1
        home = base._home(root, f"helper-f{n}")
        (home / "host-id").write_text(host_id + "\n")
        label = f"host id {host_id[:20]!r}"
        base._run(
            home, ["history", "add", "break", "--at", "11:00", "--duration", "10m"], tally, label
        )
        listed = base._run(home, ["history", "--json", "--last", "100"], tally, label)
        kinds = [json.loads(line)["kind"] for line in listed.stdout.splitlines()]
        if kinds.count("break") != 1:
            tally.lost += 1
            tally.note(f"{label}: the added break is not listed")
        stray = [p for p in home.rglob("*.jsonl") if p.parent != home / "history"]
        stray = [p for p in stray if p != home / "history.jsonl"]
        if stray or any(p.name.startswith(".") for p in (home / "history").iterdir()):
            tally.changed += 1
            tally.note(f"{label}: wrote {stray}")
        base._check_history(home, base.SEED, tally, label, allow_new=False)
    for n, make in enumerate([_a_folder, _a_dangling_link, _a_loop][:limit]):
        tally.inputs += 1
        home = base._home(root, f"helper-u{n}")
        (home / "history").mkdir()
        make(home / "history" / "odd.jsonl")
        label = f"unreadable {make.__name__}"
        for argv in (["history"], ["stats", "--json"], ["history", "export"]):
            done = base._run(home, argv, tally, label)
            if done.returncode != 0 or done.stderr.count(b"odd.jsonl") != 1:
                tally.tracebacks += 1
                tally.note(f"{label} {argv}: exit {done.returncode}, {done.stderr[:100]!r}")
        if base._run(home, ["history", "check"], tally, label).returncode != 2:
            tally.tracebacks += 1
            tally.note(f"{label}: history check did not report it")
    yield "shared folder", tally


def _a_folder(path: Path) -> None:
    path.mkdir()


def _a_dangling_link(path: Path) -> None:
    path.symlink_to(path.parent / "gone")


def _a_loop(path: Path) -> None:
    path.symlink_to(path)


def import_family(root: Path, limit: int | None) -> Iterator[tuple[str, object]]:
    base = _base()
    tally = base.Tally()
    sources = [_not_a_file, _csv_export, _idless_twice, _concurrent, _killed_then_again]
    for n, case in enumerate(sources[:limit] if limit else sources):
        tally.inputs += 1
        home = root / f"helper-i{n}"
        home.mkdir()
        case(base, home, tally)
    _config_sets(base, root / "helper-config", tally)
    yield "imports and writers", tally


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _expect_once(home: Path, ids: set[str], tally: object, label: str) -> None:
    found = _folder_ids(home)
    lost = len(ids - set(found))
    twice = sum(n - 1 for n in found.values() if n > 1)
    tally.lost += lost  # type: ignore[attr-defined]
    tally.junk += twice  # type: ignore[attr-defined]
    if lost or twice:
        tally.note(f"{label}: {lost} lost, {twice} written twice")  # type: ignore[attr-defined]


def _not_a_file(base: ModuleType, home: Path, tally: object) -> None:
    os.mkfifo(home / "fifo")
    (home / "dir.jsonl").mkdir()
    (home / "loop").symlink_to(home / "loop")
    for source in ("fifo", "dir.jsonl", "loop", "/dev/null"):
        done = base._run(home, ["history", "import", str(home / source)], tally, "import")
        if done.returncode != 2 or b"no such file" in done.stderr:
            tally.tracebacks += 1  # type: ignore[attr-defined]
            tally.note(f"import {source}: exit {done.returncode}")  # type: ignore[attr-defined]
    _expect_once(home, set(), tally, "import of non-files")


def _csv_export(base: ModuleType, home: Path, tally: object) -> None:
    source = home / "export.csv"
    source.write_text("id,kind,started\nabc,work,2026-03-02T09:00:00+01:00\n")
    done = base._run(home, ["history", "import", str(source)], tally, "import csv")
    if done.returncode != 2:
        tally.tracebacks += 1  # type: ignore[attr-defined]
        tally.note(f"import csv: exit {done.returncode}")  # type: ignore[attr-defined]
    _expect_once(home, set(), tally, "import csv")


def _idless_twice(base: ModuleType, home: Path, tally: object) -> None:
    source = _write(home / "old.jsonl", [_record(n) for n in range(50)])
    for _ in range(2):
        base._run(home, ["history", "import", str(source)], tally, "import id-less")
    found = _folder_ids(home)
    if sum(found.values()) != 50 or len(found) != 50:
        tally.junk += max(0, sum(found.values()) - 50)  # type: ignore[attr-defined]
        tally.lost += max(0, 50 - len(found))  # type: ignore[attr-defined]
        tally.note(f"id-less import twice: {sum(found.values())} lines")  # type: ignore[attr-defined]


def _concurrent(base: ModuleType, home: Path, tally: object) -> None:
    ids = {f"{n:032x}" for n in range(5000)}
    source = _write(home / "many.jsonl", [_record(n, f"{n:032x}") for n in range(5000)])
    argv = [sys.executable, "-m", "breakctl", "history", "import", str(source)]
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    both = [
        subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(2)
    ]
    tally.runs += 2  # type: ignore[attr-defined]
    for child in both:
        child.wait(timeout=300)
    _expect_once(home, ids, tally, "two imports at once")


def _killed_then_again(base: ModuleType, home: Path, tally: object) -> None:
    ids = {f"{n:032x}" for n in range(20000)}
    source = _write(home / "many.jsonl", [_record(n, f"{n:032x}") for n in range(20000)])
    argv = [sys.executable, "-m", "breakctl", "history", "import", str(source)]
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list((home / "history").glob("*.jsonl")) and time.monotonic() < deadline:
        time.sleep(0.01)  # killed once it has begun writing
    child.kill()
    child.wait()
    tally.runs += 1  # type: ignore[attr-defined]
    base._run(home, ["history", "import", str(source)], tally, "import again after kill -9")
    _expect_once(home, ids, tally, "import killed, then again")


def _config_sets(base: ModuleType, home: Path, tally: object) -> None:
    keys = [
        f"hooks.{h}"
        for h in (
            "on_work_start",
            "on_work_end",
            "on_break_start",
            "on_break_end",
            "on_skip",
            "on_session_end",
        )
    ]
    keys += [
        "start.cycles",
        "start.long_every",
        "goals.breaks_per_day",
        "start.routine",
        "presence.command",
        "start.skips_per_day",
    ]
    values = [
        "echo a",
        "echo b",
        "echo c",
        "echo d",
        "echo e",
        "echo f",
        "3",
        "3",
        "6",
        "desk",
        "echo 1",
        "2",
    ]
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    tally.inputs += 1  # type: ignore[attr-defined]
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "breakctl", "config", "set", key, value],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for key, value in zip(keys, values, strict=True)
    ]
    for child in children:
        child.wait(timeout=300)
    tally.runs += len(children)  # type: ignore[attr-defined]
    import tomllib

    found = tomllib.loads((home / "config.toml").read_text())
    missing = [k for k in keys if k.split(".")[1] not in found.get(k.split(".")[0], {})]
    tally.lost += len(missing)  # type: ignore[attr-defined]
    if missing:
        tally.note(f"12 config sets at once: lost {missing}")  # type: ignore[attr-defined]


HELPER_FAMILIES = (helper_family, folder_family, import_family)
