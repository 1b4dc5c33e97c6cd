"""An adversarial run: bad inputs from every family of issue 8 §2, §4 and §6 and of issue 19
(helper programs, the shared folder, imports and concurrent writers: adversarial_helpers.py),
each fed to the real `breakctl` in a fresh process and a fresh BREAKCTL_HOME holding a known
history.

Counts, per family: inputs tried, runs, tracebacks (or an exit status other than 0, 1 or 2),
runs that took over the time limit, records lost (a seeded record no longer in the file, or
the file not starting with its old bytes), junk records (a record written by a run that
should have refused its input) and user files changed. Prints one line per family and a
total; `--smoke` tries a few inputs per family.

    .venv/bin/python benchmarks/adversarial.py
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import fcntl
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from adversarial_helpers import HELPER_FAMILIES  # issue 19: helper programs, folder, imports

TIMEOUT_S = 20.0
SEED_RECORDS = [
    {
        "v": 1,
        "id": f"r{n}",
        "kind": "work",
        "started": f"2026-03-0{n}T09:00:00.000+01:00",
        "ended": f"2026-03-0{n}T09:25:00.000+01:00",
        "planned_s": 1500,
        "active_s": 1500,
        "paused_s": 0,
        "suspended_s": 0,
        "outcome": "completed",
    }
    for n in range(1, 4)
]
SEED = b"".join(json.dumps(r, separators=(",", ":")).encode() + b"\n" for r in SEED_RECORDS)

# Values that are not finite, not representable, or of the wrong TOML type.
TOML_VALUES = [
    "nan",
    "inf",
    "-inf",
    "+inf",
    "1e400",
    "9" * 400,
    "-" + "9" * 30,
    '"9' + "9" * 399 + 's"',
    '"99999999999999999999h"',
    '"PT99999999999999999999H"',
    "1979-05-27",
    "1979-05-27T07:32:00Z",
    "07:32:00",
    "[1, 2]",
    "[]",
    "{ a = 1 }",
    "{}",
    "true",
    '"nan"',
    '"inf s"',
    '""',
    '"1e400s"',
    "0",
    "-1",
    "0.0000000001",
]
DURATIONS = [
    "99999999999999999999h",
    "9" * 400 + "s",
    "PT99999999999999999999H",
    "1e400",
    "nan",
    "inf",
    "-5m",
    "0",
    "1" + "0" * 30 + "m",
    "99999999999999999999",
    "1.7976931348623157e308",
    "P" + "9" * 50 + "H",
    "",
]
# Lines every reader keeps, so `history check` must pass them: a 400-digit `cycle` (an optional
# field of the wrong type is read as absent, docs/history.md). Every other line of
# HISTORY_LINES must be reported as bad, the years 0001 and 9999 included (issue 19).
KEPT_LINES = {1}
HISTORY_LINES = [
    b'{"v":1,"kind":"work","started":"2026-03-04T09:00:00+01:00",'
    b'"ended":"2026-03-04T09:25:00+01:00","active_s":1,"planned_s":1e400,"outcome":"completed"}',
    b'{"v":1,"kind":"work","started":"2026-03-04T09:00:00+01:00","cycle":' + b"9" * 400 + b","
    b'"ended":"2026-03-04T09:25:00+01:00","active_s":1,"outcome":"completed"}',
    b'{"v":1,"kind":"work","started":"2026-03-04T09:00:00+01:00",'
    b'"ended":"2026-03-04T09:25:00+01:00","active_s":NaN,"outcome":"completed"}',
    b'{"v":1,"kind":"work","started":"2026-03-04T09:00:00+01:00",'
    b'"ended":"2026-03-04T09:25:00+01:00","active_s":Infinity,"outcome":"completed"}',
    b'{"v":1,"kind":"work","started":"2026-03-04T09:00:00+01:00",'
    b'"ended":"2026-03-04T09:25:00+01:00","active_s":1e400,"outcome":"completed"}',
    b'{"v":1,"kind":"work","started":"2026-03-04T09:00:00+01:00","id":"\\ud800",'
    b'"ended":"2026-03-04T09:25:00+01:00","active_s":1,"outcome":"completed"}',
    b'{"v":1,"kind":"break","started":"2026-03-04T09:00:00+01:00","routine":"\\udfff",'
    b'"ended":"2026-03-04T09:25:00+01:00","active_s":1,"outcome":"completed","steps":'
    b'[{"exercise":"\\ud800x","outcome":"done","active_s":1}]}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    b'{"v":1e400,"kind":"work"}',
    b'{"v":' + b"9" * 400 + b',"kind":"work"}',
    b'{"v":1,"kind":"work","started":"9999-12-31T23:59:59+14:00",'
    b'"ended":"0001-01-01T00:00:00-14:00","active_s":1,"outcome":"completed"}',
    b"\xff\xfe" + b"x" * 100,
    b"\x00" * 50,
    b"x" * (5 * 1024 * 1024),
    b'{"v":1,"kind":"work","started":"2026-03-04T09:00:00+01:00","cycle":'
    + b"[" * 3000
    + b"]" * 3000
    + b',"ended":"2026-03-04T09:25:00+01:00","active_s":1,"outcome":"completed"}',
]
TEMPLATES = [
    "{phase.nope}",
    "{remaining:>999999999}",
    "{remaining:>99999999999999999999}",
    "{0}",
    "{phase[0]}",
    "{today.real}",
    "{nope}",
    "{",
    "}",
    "{remaining!z}",
    "{minutes:,.999999999f}",
    "{phase:%Y}",
    "{today:>{minutes}}",
    "{routine.__class__.__mro__}",
    "{minutes:>1000000}",
]
ROUTINE = """name = "{name}"
title = "Mine"
rest = "3s"

[[steps]]
exercise = "shoulder-roll"
{key} = {value}
"""
EXERCISES = """[my-move]
name = "My move"
position = "seated"
targets = ["neck"]
cues = ["Move."]
{key} = {value}
"""


@dataclass
class Tally:
    inputs: int = 0
    runs: int = 0
    tracebacks: int = 0
    slow: int = 0
    lost: int = 0
    junk: int = 0
    changed: int = 0
    injections: int = 0  # a field that drove a calendar, a spreadsheet or the terminal
    examples: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        if len(self.examples) < 3:
            self.examples.append(what)


def _run(home: Path, argv: list[str], tally: Tally, label: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BREAKCTL_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100"}
    tally.runs += 1
    start = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "breakctl", *argv],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        tally.slow += 1
        tally.note(f"{label}: timed out")
        return subprocess.CompletedProcess(argv, -1, b"", b"")
    if time.monotonic() - start > TIMEOUT_S / 2:
        tally.slow += 1
    if b"Traceback" in done.stderr or done.returncode not in (0, 1, 2):
        tally.tracebacks += 1
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["(no stderr)"]
        tally.note(f"{label} {argv[:2]}: exit {done.returncode}: {tail[0][:120]}")
    return done


def _check_history(home: Path, before: bytes, tally: Tally, label: str, allow_new: bool) -> None:
    path = home / "history.jsonl"
    after = path.read_bytes() if path.exists() else b""
    if not after.startswith(before):
        kept = sum(1 for line in SEED.splitlines() if line in after)
        tally.lost += max(1, len(SEED_RECORDS) - kept)
        tally.note(f"{label}: history changed")
    elif not allow_new and after != before:
        tally.junk += after[len(before) :].count(b"\n") or 1
        tally.note(f"{label}: wrote {after[len(before) :][:80]!r}")


def _home(root: Path, name: str, history: bytes = SEED) -> Path:
    home = root / name
    home.mkdir()
    (home / "history.jsonl").write_bytes(history)
    return home


def routine_family(root: Path, limit: int | None) -> Iterator[tuple[str, Tally]]:
    tally = Tally()
    cases = [(k, v) for k in ("hold", "reps", "exercise") for v in TOML_VALUES]
    cases += [("rest", v) for v in TOML_VALUES]
    for n, (key, value) in enumerate(cases[:limit]):
        tally.inputs += 1
        home = _home(root, f"r{n}")
        folder = home / "routines"
        folder.mkdir()
        text = ROUTINE.format(name="mine", key=key, value=value)
        if key == "rest":
            text = ROUTINE.format(name="mine", key="reps", value="1")
            text = text.replace('rest = "3s"', f"rest = {value}")
        (folder / "mine.toml").write_text(text)
        label = f"routine {key}={value[:20]}"
        for argv in (
            ["routine", "list"],
            ["routine", "check", str(folder / "mine.toml")],
            ["routine", "show", "desk"],
            ["routine", "show", "mine"],
        ):
            done = _run(home, argv, tally, label)
            if argv[:2] == ["routine", "show"] and argv[2] == "desk" and done.returncode != 0:
                tally.tracebacks += 1  # one bad file must not stop the others
                tally.note(f"{label}: desk no longer shows")
        if (folder / "mine.toml").read_text() != text:
            tally.changed += 1
        _check_history(home, SEED, tally, label, allow_new=False)
    yield "routine TOML values", tally


def exercise_family(root: Path, limit: int | None) -> Iterator[tuple[str, Tally]]:
    tally = Tally()
    cases = [(k, v) for k in ("hold", "sides", "name") for v in TOML_VALUES]
    for n, (key, value) in enumerate(cases[:limit]):
        tally.inputs += 1
        home = _home(root, f"e{n}")
        folder = home / "routines"
        folder.mkdir()
        text = EXERCISES.format(key=key, value=value)
        (folder / "exercises.toml").write_text(text)
        label = f"exercise {key}={value[:20]}"
        for argv in (["routine", "exercises"], ["routine", "list"]):
            _run(home, argv, tally, label)
        _run(home, ["routine", "check", str(folder / "exercises.toml")], tally, label)
        if (folder / "exercises.toml").read_text() != text:
            tally.changed += 1
        _check_history(home, SEED, tally, label, allow_new=False)
    yield "exercise TOML values", tally


def duration_family(root: Path, limit: int | None) -> Iterator[tuple[str, Tally]]:
    tally = Tally()
    cases = [(o, v) for o in ("--work", "--break", "--long-break") for v in DURATIONS]
    for n, (option, value) in enumerate(cases[:limit]):
        tally.inputs += 1
        home = _home(root, f"d{n}")
        label = f"start {option} {value[:24]}"
        done = _run(home, ["start", option, value, "--cycles", "1"], tally, label)
        if done.returncode == 0:
            tally.note(f"{label}: accepted")
        _check_history(home, SEED, tally, label, allow_new=False)
    yield "CLI durations", tally


def history_family(root: Path, limit: int | None) -> Iterator[tuple[str, Tally]]:
    tally = Tally()
    for n, line in enumerate(HISTORY_LINES[:limit]):
        tally.inputs += 1
        history = SEED + line + b"\n"
        home = _home(root, f"h{n}", history)
        label = f"history {line[:30]!r}"
        for argv in (
            ["stats"],
            ["stats", "--json"],
            ["history"],
            ["history", "--json"],
            ["history", "--csv"],
            ["history", "export", "--format", "ics"],
        ):
            _run(home, argv, tally, label)
        done = _run(home, ["history", "check"], tally, label)
        kept = n in KEPT_LINES
        if done.returncode != (0 if kept else 2) or (b", 1 problem" in done.stdout) == kept:
            tally.tracebacks += 1  # `history check` must report exactly what the others skip
            tally.note(f"{label}: history check disagrees with the readers")
        _check_history(home, history, tally, label, allow_new=False)
    yield "history lines", tally


def template_family(root: Path, limit: int | None) -> Iterator[tuple[str, Tally]]:
    tally = Tally()
    for n, template in enumerate(TEMPLATES[:limit]):
        tally.inputs += 1
        home = _home(root, f"t{n}")
        state = {
            "v": 1,
            "phase": "work",
            "remaining_s": 600,
            "planned_s": 1500,
            "pid": 1,
            "ends_at_epoch": time.time() + 600,
            "cycle": 1,
            "cycles": 4,
        }
        (home / "current.json").write_text(json.dumps(state))
        with open(home / "start.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # a live `start` owns the state
            done = _run(home, ["status", "--format", template], tally, f"status {template[:24]}")
        if len(done.stdout) > 100_000:
            tally.slow += 1
            tally.note(f"status {template[:24]}: wrote {len(done.stdout)} bytes")
    yield "status templates", tally


def _mount(target: Path, options: str) -> bool:
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True
    )
    return done.returncode == 0


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


READ_ONLY_COMMANDS = [
    ["stats"],
    ["presets"],
    ["config", "show"],
    ["history"],
    ["routine", "list"],
    ["status"],
    ["history", "check"],
]


def storage_family(root: Path, limit: int | None) -> Iterator[tuple[str, Tally]]:
    tally = Tally()
    state = {
        "v": 1,
        "phase": "work",
        "remaining_s": 600,
        "pid": 1,
        "record": {
            "v": 1,
            "kind": "work",
            "started": "2026-03-05T09:00:00.000+01:00",
            "ended": "2026-03-05T09:10:00.000+01:00",
            "active_s": 600,
            "outcome": "interrupted",
        },
        "heartbeat": "2026-03-05T09:10:00.000+01:00",
    }
    for fault in ("full", "read-only"):
        home = root / f"s-{fault}"
        home.mkdir()
        if not _mount(home, "size=64k,mode=0700"):
            tally.note("mount impossible: storage faults not tried")
            break
        try:
            (home / "history.jsonl").write_bytes(SEED)
            (home / "current.json").write_text(json.dumps(state))
            if fault == "full":
                # fill the disk to the last byte
                with open(home / "filler", "wb") as filler, contextlib.suppress(OSError):
                    filler.write(b"\0" * 128 * 1024)
            else:
                subprocess.run(["mount", "-o", "remount,ro", str(home)], check=True)
            for argv in READ_ONLY_COMMANDS[:limit]:
                tally.inputs += 1
                label = f"{fault} {' '.join(argv)}"
                done = _run(home, argv, tally, label)
                if done.returncode != 0:
                    tally.note(f"{label}: exit {done.returncode}")
                    tally.tracebacks += b"Traceback" not in done.stderr  # failed outright
                _check_history(home, SEED, tally, label, allow_new=True)
        finally:
            _umount(home)
    yield "storage faults", tally


# -- issue 19: output files, injections, raw file names, far-off dates -------------------------

HOST_FILE = "laptop-a1b2c3.jsonl"
WRITERS = [
    ["history", "export", "--output"],
    ["history", "export", "--format", "csv", "--output"],
    ["history", "export", "--format", "ics", "--output"],
    ["stats", "--html"],
]


def _home_with_folder(root: Path, name: str, records: bytes = SEED) -> Path:
    """A home with the seed in the old history.jsonl and in this machine's folder file."""
    home = _home(root, name)
    (home / "history").mkdir()
    (home / "history" / HOST_FILE).write_bytes(records)
    (home / "config.toml").write_text("[goals]\nbreaks_per_day = 5\n")
    return home


def _own_files(home: Path) -> dict[Path, bytes]:
    return {
        p: p.read_bytes()
        for p in (home / "history.jsonl", home / "history" / HOST_FILE, home / "config.toml")
    }


def _targets(home: Path) -> list[Path]:
    """Every spelling of a file an output must never replace."""
    folder = home / "history"
    (home / "link").symlink_to(folder / HOST_FILE)
    (home / "link-to-link").symlink_to(home / "link")
    os.link(home / "history.jsonl", home / "hard-link")
    return [
        folder / HOST_FILE,
        home / "link",
        home / "link-to-link",
        home / "hard-link",
        folder / ".." / "history" / HOST_FILE,
        home / "history.jsonl",
        home / "config.toml",
        home / "current.json",
        home / "host-id",
        folder / "new.jsonl",
        folder / "page.html",
    ]


def exports_onto_history_family(root: Path, limit: int | None) -> Iterator[tuple[str, Tally]]:
    tally = Tally()
    home = _home_with_folder(root, "x-own")
    cases = [(w, t) for t in _targets(home) for w in WRITERS][: limit and limit * 4]
    for writer, target in cases:
        tally.inputs += 1
        before = _own_files(home)
        label = f"{' '.join(writer[:3])} {target.relative_to(home)}"
        done = _run(home, [*writer, str(target)], tally, label)
        after = _own_files(home)
        if after != before:
            tally.lost += sum(
                max(1, before[p].count(b"\n") - after[p].count(b"\n"))
                for p in before
                if after[p] != before[p]
            )
            tally.note(f"{label}: a file of breakctl changed")
        elif done.returncode != 2:
            tally.tracebacks += 1
            tally.note(f"{label}: exit {done.returncode}, not refused")
        extra = set(os.listdir(home / "history")) - {HOST_FILE}
        if extra:
            tally.junk += len(extra)
            tally.note(f"{label}: left {sorted(extra)} in the history folder")
            for name in extra:
                (home / "history" / name).unlink()
    yield "exports onto history", tally


# An id that would close the event and open a forged one; a bare CR; formulas for a spreadsheet.
INJECTED = [
    ("x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged\r\nSUMMARY:Injected", "desk"),
    ("b2", "desk\rDESCRIPTION:x"),
    ("b3", "desk\nATTACH:http://x"),
    ("b4", "a;b,c\\d"),
    ('=HYPERLINK("http://x","y")', "=1+1"),
    ("+1", "+SUM(A1)"),
    ("-2", "-1+2"),
    ("@SUM(1)", "@x"),
    ("\tt", "\tx"),
    ("\rc", "\ry"),
    ("é" * 60, "長" * 60),
    ("\x1b]52;c;ZXZpbA==\x07", "\x1b[2J"),
]
FORMULA = ("=", "+", "-", "@", "\t", "\r")
ICS_NAMES = {
    "BEGIN",
    "END",
    "VERSION",
    "PRODID",
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "CATEGORIES",
}


def _injected_records(record_id: str, routine: str) -> bytes:
    records = [
        {
            "v": 1,
            "id": record_id,
            "kind": "break",
            "routine": routine,
            "steps": [],
            "started": "2026-03-02T09:00:00.000+01:00",
            "ended": "2026-03-02T09:05:00.000+01:00",
            "active_s": 300,
            "outcome": "completed",
        },
        {
            "v": 1,
            "id": record_id + "r",
            "kind": "routine",
            "routine": routine,
            "session": routine,
            "started": "2026-03-02T10:00:00.000+01:00",
            "ended": "2026-03-02T10:05:00.000+01:00",
            "active_s": 300,
            "outcome": "completed",
            "steps": [{"exercise": routine, "outcome": "done", "active_s": 30}],
        },
    ]
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


def _ics_injections(ics: bytes, expected: int) -> list[str]:
    """What in an ICS export a calendar would read as something the records did not say."""
    found = []
    physical = ics.split(b"\r\n")
    if physical[-1] != b"" or any(b"\r" in line or b"\n" in line for line in physical):
        found.append("a bare CR or LF")
    if any(len(line) > 75 for line in physical):
        found.append("a line over 75 octets")
    unfolded = ics.replace(b"\r\n ", b"").decode("utf-8", errors="replace").split("\r\n")[:-1]
    names = {re.split("[:;]", line, maxsplit=1)[0] for line in unfolded}
    if names - ICS_NAMES:
        found.append(f"properties {sorted(names - ICS_NAMES)}")
    if sum(line == "BEGIN:VEVENT" for line in unfolded) != expected:
        found.append("events added or dropped")
    uids = [line for line in unfolded if line.startswith("UID")]
    if len(uids) != expected or not all(uid.endswith("@breakctl") for uid in uids):
        found.append("a UID not written by breakctl")
    if sum(line.startswith("SUMMARY") for line in unfolded) != expected:
        found.append("a SUMMARY added or dropped")
    if any(re.search("[\x00-\x08\x0b-\x1f\x7f]", line) for line in unfolded):
        found.append("a control character")
    return found


def injection_family(root: Path, limit: int | None) -> Iterator[tuple[str, Tally]]:
    tally = Tally()
    for n, (record_id, routine) in enumerate(INJECTED[:limit]):
        tally.inputs += 1
        records = _injected_records(record_id, routine)
        home = _home_with_folder(root, f"inject{n}", records)
        label = f"injection {record_id[:16]!r}"
        ics = _run(home, ["history", "export", "--format", "ics"], tally, label).stdout
        expected = 2 + len(SEED_RECORDS)  # the seed is in the old history.jsonl
        for problem in _ics_injections(ics, expected):
            tally.injections += 1
            tally.note(f"{label}: ICS: {problem}")
        for argv in (["history", "export", "--format", "csv"], ["history", "--csv"]):
            out = _run(home, argv, tally, label).stdout.decode("utf-8", errors="replace")
            rows = list(csv.reader(io.StringIO(out, newline="")))
            if len(rows) != 1 + expected:
                tally.injections += 1
                tally.note(f"{label}: CSV: {len(rows) - 1} rows for {expected} records")
            bad = [c for row in rows[1:] for c in row if c.startswith(FORMULA)]
            if bad:
                tally.injections += len(bad)
                tally.note(f"{label}: CSV: formula cell {bad[0][:20]!r}")
        _check_history(home, SEED, tally, label, allow_new=False)
    yield "ICS/CSV injection", tally


# Set the window title, write the clipboard (OSC 52), clear the screen: as a file's name.
RAW_NAMES = [
    "t\x1b]0;pwned\x07",
    "c\x1b]52;c;ZXZpbA==\x07",
    "k\x1b[2J\x1b[H",
    "b\x9b31m",
    "r\u202egnp",
]
RAW_NAME_COMMANDS = [
    ["history"],
    ["history", "check"],
    ["history", "hosts"],
    ["stats"],
    ["config"],
    ["history", "--json"],
    ["history", "export"],
    ["stats", "--json"],
]
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def raw_names_family(root: Path, limit: int | None) -> Iterator[tuple[str, Tally]]:
    tally = Tally()
    data = {("history", "--json"), ("history", "export"), ("stats", "--json")}
    for n, name in enumerate(RAW_NAMES[:limit]):
        tally.inputs += 1
        home = _home_with_folder(root, f"name{n}")
        (home / "history" / f"{name}.jsonl").write_bytes(SEED + b"not json\n")
        label = f"file name {name!r}"
        for argv in RAW_NAME_COMMANDS:
            done = _run(home, argv, tally, label)
            # standard output of a data command is the data, raw into a pipe: stderr counts
            shown = done.stderr if tuple(argv) in data else done.stdout + done.stderr
            raw = TERMINAL_CONTROL.findall(shown.decode("utf-8", errors="replace"))
            if raw:
                tally.injections += 1
                tally.note(f"{label} {' '.join(argv)}: printed {raw[0]!r} raw")
        _check_history(home, SEED, tally, label, allow_new=False)
    yield "raw file names", tally


FAR_LINES = [
    b'{"v":1,"id":"y1","kind":"work","started":"0001-01-01T00:00:00+05:00",'
    b'"ended":"0001-01-01T00:10:00+05:00","active_s":1,"outcome":"completed"}',
    b'{"v":1,"id":"y9","kind":"work","started":"9999-12-31T23:50:00-05:00",'
    b'"ended":"9999-12-31T23:59:00-05:00","active_s":1,"outcome":"completed"}',
    b'{"v":1,"id":"yb","kind":"break","started":"9999-12-31T23:00:00-14:00","routine":"x",'
    b'"ended":"9999-12-31T23:59:00-14:00","active_s":1,"outcome":"completed","steps":[]}',
    b'{"v":1,"kind":"correction","id":"yc","action":"add","target":"yy",'
    b'"made":"2026-03-04T10:00:00+01:00","record":{"v":1,"id":"yy","kind":"break",'
    b'"started":"0001-01-01T00:00:00+14:00","ended":"0001-01-01T00:05:00+14:00",'
    b'"active_s":1,"outcome":"completed","steps":[]}}',
]
HISTORY_LINES.extend(FAR_LINES)  # bad lines: history_family runs every reader over them
FAR_COMMANDS = [
    ["history", "add", "break", "--at", "10:00", "--duration", "5m", "--day", "0001-01-01"],
    ["history", "add", "break", "--at", "0001-01-01T00:00:00+05:00", "--duration", "5m"],
    ["history", "add", "break", "--at", "9999-12-31T23:58:00", "--duration", "5m"],
    ["history", "add", "break", "--at", "23:58", "--duration", "5m", "--day", "9998-12-31"],
    ["history", "edit", "r1", "--started", "0001-01-01T00:00:00+05:00"],
    ["history", "edit", "r2", "--ended", "9999-12-31T23:59:00-05:00"],
    ["pause", "--until", "9"],
]


def extreme_dates_family(root: Path, limit: int | None) -> Iterator[tuple[str, Tally]]:
    """Far-off dates typed on the command line (the lines are in history_family)."""
    tally = Tally()
    for n, argv in enumerate(FAR_COMMANDS[:limit]):
        tally.inputs += 1
        home = _home(root, f"far{n}")
        label = " ".join(argv[:2] + argv[3:5])
        done = _run(home, argv, tally, label)
        if done.returncode != 2:
            tally.tracebacks += 1
            tally.note(f"{label}: exit {done.returncode}, not refused")
        _check_history(home, SEED, tally, label, allow_new=False)
        if (home / "history").exists() and any((home / "history").iterdir()):
            tally.junk += 1
            tally.note(f"{label}: wrote a correction")
    yield "far-off dates", tally


OUTPUT_FAMILIES = (
    exports_onto_history_family,
    injection_family,
    raw_names_family,
    extreme_dates_family,
)


FAMILIES = (
    routine_family,
    exercise_family,
    duration_family,
    history_family,
    template_family,
    storage_family,
    *HELPER_FAMILIES,
    *OUTPUT_FAMILIES,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a few inputs per family")
    parser.add_argument("--only", help="the families whose function name contains this")
    args = parser.parse_args()
    limit = 2 if args.smoke else None
    total = Tally()
    with tempfile.TemporaryDirectory(prefix="breakctl-adversarial-") as tmp:
        for family in FAMILIES:
            if args.only and args.only not in family.__name__:
                continue
            for name, tally in family(Path(tmp), limit):
                print(_line(name, tally))
                for example in tally.examples:
                    print(f"    e.g. {example}")
                for key in (
                    "inputs",
                    "runs",
                    "tracebacks",
                    "slow",
                    "lost",
                    "junk",
                    "changed",
                    "injections",
                ):
                    setattr(total, key, getattr(total, key) + getattr(tally, key))
    print(_line("total", total))


def _line(name: str, tally: Tally) -> str:
    return (
        f"{name:22} inputs {tally.inputs:4}  runs {tally.runs:4}  tracebacks/failures "
        f"{tally.tracebacks:3}  slow {tally.slow:2}  records lost {tally.lost}  "
        f"junk records {tally.junk}  user files changed {tally.changed}  "
        f"injections {tally.injections}"
    )


if __name__ == "__main__":
    main()
