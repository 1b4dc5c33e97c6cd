"""The review equals a plain recount of the history listing, whatever the files look like:
records in any order across several machines' files, imports after the cache was built,
corrections (some from a clock that ran ahead), sync conflict copies holding an older state
of a file, and ids that share their 64-bit key (#18)."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breakctl.core.corrections import apply_window, outcomes_of, resolve
from breakctl.core.record_codec import decode_item, decode_line
from breakctl.core.records import Correction, Record
from breakctl.core.stats_hours import day_hours
from breakctl.store.paths import Paths
from tests.conftest import CET
from tests.test_history_folder import run
from tests.test_stats import FRIDAY_EVENING

MONDAY = date(2026, 3, 2)
DAYS = [MONDAY + timedelta(days=n) for n in range(-35, 5)]  # five weeks back, to this Friday
MACHINES = ("desktop-d4e5f6", "laptop-a1b2c3")
# Few heads and tails: ids that share their last 16 hex digits (their key) are drawn often.
HEADS, TAILS = tuple(c * 16 for c in "1234"), tuple(c * 16 for c in "abcdef")


@st.composite
def a_record(draw: st.DrawFn, slot: int, ident: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["work", "work", "break", "routine"]))
    day, minute = DAYS[slot // 120], 8 * 60 + 5 * (slot % 120)  # one start per slot
    started = datetime.combine(day, time(), CET) + timedelta(minutes=minute)
    length = draw(st.integers(1 if kind == "work" else 0, 8)) * 60
    active = draw(st.integers(0, length))
    record: dict[str, Any] = {
        "v": 1,
        "id": ident,
        "kind": kind,
        "started": _iso(started),
        "ended": _iso(started + timedelta(seconds=length)),
        "planned_s": length,
        "active_s": active,
        "outcome": draw(st.sampled_from(outcomes_of(kind))),
    }
    if kind != "work":
        record["routine"] = "desk"
        record["steps"] = [{"exercise": "walk", "outcome": "done", "active_s": active}]
    return record


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


@st.composite
def a_correction(draw: st.DrawFn, records: list[dict], made_before: list[str]) -> dict[str, Any]:
    number = len(made_before)
    action = draw(st.sampled_from(["edit", "edit", "delete", "undo", "add"]))
    made = FRIDAY_EVENING - timedelta(hours=draw(st.integers(1, 90)))
    if draw(st.integers(0, 9)) == 0:
        made = FRIDAY_EVENING + timedelta(days=30)  # a machine whose clock ran ahead
    out: dict[str, Any] = {
        "v": 1,
        "id": f"{number:032x}",
        "kind": "correction",
        "action": action,
        "made": _iso(made),
    }
    if action == "undo" and made_before:
        out["target"] = draw(st.sampled_from(made_before))
        return out
    if action == "add":
        record = draw(a_record(1000 + number, f"{number + 4096:032x}"))
    else:
        record = dict(draw(st.sampled_from(records)))
        record["outcome"] = draw(st.sampled_from(outcomes_of(record["kind"])))
    out.update(action="delete" if action == "undo" else action, target=record["id"])
    if out["action"] != "delete":
        out["record"] = record
    return out


@st.composite
def histories(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 24))
    slots = draw(
        st.lists(st.integers(0, 120 * len(DAYS) - 1), min_size=count, max_size=count, unique=True)
    )
    ids = draw(
        st.lists(
            st.tuples(st.sampled_from(HEADS), st.sampled_from(TAILS)),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    records = [
        draw(a_record(slot, head + tail)) for slot, (head, tail) in zip(slots, ids, strict=True)
    ]
    corrections: list[dict] = []
    for _ in range(draw(st.integers(0, 6))):
        corrections.append(draw(a_correction(records, [c["id"] for c in corrections])))
    lines = [json.dumps(r) for r in records + corrections]
    # Each line goes to one machine's file (or is imported later), in a drawn order.
    where = draw(st.lists(st.integers(0, 2), min_size=len(lines), max_size=len(lines)))
    files: dict[str, list[str]] = {name: [] for name in MACHINES}
    later = []
    for line, place in zip(lines, where, strict=True):
        (later if place == 2 else files[MACHINES[place]]).append(line)
    for name in MACHINES:
        files[name] = draw(st.permutations(files[name]))
    # A sync tool's copy of one file as it was earlier: a part of its lines, in order.
    copied = draw(st.sampled_from(MACHINES))
    upto = draw(st.integers(0, len(files[copied])))
    copy = files[copied][:upto]
    if copy and draw(st.booleans()):  # one line as it never was in the real file: stale
        stale = json.loads(copy[-1])
        if stale.get("kind") in ("break", "routine"):
            stale["outcome"] = "interrupted" if stale["outcome"] == "completed" else "completed"
            copy[-1] = json.dumps(stale)
    return {"files": files, "copy": (copied, copy), "later": later}


def write_folder(paths: Paths, history: dict[str, Any]) -> Path:
    folder = paths.data_dir / "history"
    shutil.rmtree(paths.data_dir, ignore_errors=True)
    shutil.rmtree(paths.state_dir, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, lines in history["files"].items():
        (folder / f"{name}.jsonl").write_text("".join(line + "\n" for line in lines))
    copied, lines = history["copy"]
    (folder / f"{copied} (conflicted copy 2026-03-05).jsonl").write_text(
        "".join(line + "\n" for line in lines)
    )
    return folder


def model(history: dict[str, Any]) -> list[tuple[str, str, float]]:
    """What the listing must hold: each machine's records and the imported ones, each id
    once, corrections applied as docs/history.md says (a correction dated ahead of the clock
    is read from a file, not imported)."""
    items = [decode_item(line.encode(), 1) for lines in history["files"].values() for line in lines]
    for line in history["later"]:
        item = decode_item(line.encode(), 1)
        if not isinstance(item, Correction) or item.made <= FRIDAY_EVENING:
            items.append(item)
    records = {item.id: item for item in items if isinstance(item, Record)}
    resolved = resolve([item for item in items if isinstance(item, Correction)], FRIDAY_EVENING)
    return sorted((r.id, r.outcome, r.active_s) for r in apply_window(records.values(), resolved))


def stats(paths: Paths) -> dict[str, Any]:
    result = run(paths, "stats", "--json", "--weeks", "2")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def listed(paths: Paths) -> list[Record]:
    result = run(paths, "history", "--json", "--last", "1000000")
    assert result.exit_code == 0, result.output
    items = [decode_line(line.encode(), 1) for line in result.stdout.splitlines()]
    assert all(isinstance(item, Record) for item in items)
    return [item for item in items if isinstance(item, Record)]


def longest_sitting(records: list[Record]) -> float:
    """Work time with no completed break or routine between, nor a gap of 5 minutes."""
    best = sitting = 0.0
    last_end: datetime | None = None
    for record in sorted(records, key=lambda r: r.started):
        gap = last_end is not None and record.started - last_end >= timedelta(minutes=5)
        if gap or (record.kind != "work" and record.outcome == "completed"):
            sitting = 0.0
        if record.kind == "work":
            sitting += record.active_s
            best = max(best, sitting)
        last_end = record.ended if last_end is None else max(last_end, record.ended)
    return best


def moved(record: Record) -> float:
    """A break taken (completed) or a routine moved for its active time; nothing else did."""
    taken = record.kind == "routine" or (record.kind == "break" and record.outcome == "completed")
    return record.active_s if taken else 0.0


def recount(records: list[Record]) -> dict[str, Any]:
    week = [MONDAY + timedelta(days=n) for n in range(7)]
    mine = [r for r in records if r.day in week]
    begun = [r for r in records if r.day >= MONDAY - timedelta(days=7)]
    return {
        "taken": sum(r.kind == "break" and r.outcome == "completed" for r in mine),
        "moved": round(sum(map(moved, mine)), 3),
        "work": round(sum(r.active_s for r in mine if r.kind == "work"), 3),
        "longest": round(longest_sitting(mine), 3),
        "hours": [[round(s, 3) for s in h.work_s] + h.breaks for h in day_hours(week, mine)],
        "trend": [
            (
                sum(
                    r.kind == "break" and r.outcome == "completed" for r in begun if r.day < MONDAY
                ),
                round(sum(moved(r) for r in begun if r.day < MONDAY), 3),
            ),
            (
                sum(
                    r.kind == "break" and r.outcome == "completed" for r in begun if r.day >= MONDAY
                ),
                round(sum(moved(r) for r in begun if r.day >= MONDAY), 3),
            ),
        ],
    }


def figures(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "taken": document["breaks"]["completed"],
        "moved": round(document["moved_s"], 3),
        "work": round(document["work_s"], 3),
        "longest": round(document["longest_sitting_s"], 3),
        "hours": [[round(s, 3) for s in h["work_s"]] + h["breaks"] for h in document["hours"]],
        "trend": [(w["breaks_completed"], round(w["moved_s"], 3)) for w in document["trend"]],
    }


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories())
def test_the_review_equals_a_recount_of_the_listing(
    paths: Paths, tmp_path: Path, history: dict[str, Any]
) -> None:
    write_folder(paths, history)
    assert figures(stats(paths)) == recount(listed(paths))  # a cold cache
    # Imported after the cache was built: appended to this machine's own file.
    export = tmp_path / "export.jsonl"
    export.write_text("".join(line + "\n" for line in history["later"]))
    assert run(paths, "history", "import", str(export)).exit_code == 0
    warm = stats(paths)
    records = listed(paths)
    assert sorted((r.id, r.outcome, r.active_s) for r in records) == model(history)
    assert figures(warm) == recount(records)
    shutil.rmtree(paths.state_dir / "history-days.json", ignore_errors=True)
    (paths.state_dir / "history-days.json").unlink(missing_ok=True)
    assert stats(paths) == warm  # the cache rebuilt from nothing says the same
