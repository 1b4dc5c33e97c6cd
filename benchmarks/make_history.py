"""Write a realistic synthetic history: Pomodoro days of work blocks and breaks, plus the odd
ad-hoc routine, ending today. Used by the stats benchmark and for trying `breakctl stats`.

Usage: python benchmarks/make_history.py RECORDS OUT.jsonl [RECORDS_PER_DAY]
"""

from __future__ import annotations

import json
import random
import sys
import uuid
from datetime import datetime, timedelta
from pathlib import Path

BREAK_ROUTINES = {
    "micro": ["overhead-reach", "shoulder-roll", "weight-shift"],
    "desk": [
        "seated-knee-hug",
        "seated-trunk-rotation",
        "isometric-core-bracing",
        "alternating-knee-raise",
        "lateral-neck-stretch",
        "chest-opener",
    ],
    "neck": ["shoulder-roll", "neck-circle", "lateral-neck-stretch", "wall-angel", "chest-opener"],
}
RECORDS_PER_DAY = 30


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def day_records(day: datetime, rng: random.Random, session: str, per_day: int) -> list[dict]:
    records = []
    moment = day.replace(hour=9, minute=0)
    for cycle in range(1, per_day // 2 + 1):
        end = moment + timedelta(minutes=25)
        base = {"v": 1, "session": session, "cycle": cycle, "started": stamp(moment)}
        records.append(
            {
                **base,
                "id": uuid.UUID(int=rng.getrandbits(128)).hex,
                "kind": "work",
                "ended": stamp(end),
                "planned_s": 1500,
                "active_s": 1500,
                "outcome": "completed",
            }
        )
        moment = end
        routine = rng.choice(list(BREAK_ROUTINES))
        outcome = rng.choices(["completed", "skipped", "postponed"], [8, 1, 1])[0]
        active = 0 if outcome != "completed" else 300
        step_outcome = "done" if active else "not-reached"
        steps = [
            {"exercise": ex, "outcome": step_outcome, "active_s": active / 6}
            for ex in BREAK_ROUTINES[routine]
        ]
        end = moment + timedelta(seconds=active)
        base = {"v": 1, "session": session, "cycle": cycle, "started": stamp(moment)}
        records.append(
            {
                **base,
                "id": uuid.UUID(int=rng.getrandbits(128)).hex,
                "kind": "break",
                "routine": routine,
                "ended": stamp(end),
                "planned_s": 300,
                "active_s": active,
                "outcome": outcome,
                "steps": steps,
            }
        )
        moment = end
    return records


def write_history(count: int, out: Path, per_day: int = RECORDS_PER_DAY, seed: int = 1) -> None:
    rng = random.Random(seed)
    days = -(-count // per_day)
    today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    written = 0
    with open(out, "w", encoding="utf-8") as handle:
        for n in range(days, 0, -1):
            for record in day_records(today - timedelta(days=n - 1), rng, f"s{n}", per_day):
                if written == count:
                    return
                handle.write(json.dumps(record, separators=(",", ":")) + "\n")
                written += 1


if __name__ == "__main__":
    per_day = int(sys.argv[3]) if len(sys.argv) > 3 else RECORDS_PER_DAY
    write_history(int(sys.argv[1]), Path(sys.argv[2]), per_day)
