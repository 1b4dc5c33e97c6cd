"""`config set` from many processes at once: each read-modify-write holds the config lock,
so no setting is lost. The real program, twelve at a time."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

# Twelve different keys; each round gives them new values, so each round is checked anew.
KEYS = [
    ("start", "cycles", lambda n: (str(n + 2), n + 2)),
    ("start", "long_every", lambda n: (str(n + 2), n + 2)),
    ("start", "skips_per_day", lambda n: (str(n), n)),
    ("start", "postpones_in_a_row", lambda n: (str(n + 1), n + 1)),
    ("goals", "breaks_per_day", lambda n: (str(n + 5), n + 5)),
    ("start", "routine", lambda n: (("micro", "desk")[n % 2],) * 2),
    ("hooks", "on_work_start", lambda n: (f"echo start {n}",) * 2),
    ("hooks", "on_work_end", lambda n: (f"echo end {n}",) * 2),
    ("hooks", "on_break_start", lambda n: (f"echo break {n}",) * 2),
    ("hooks", "on_break_end", lambda n: (f"echo back {n}",) * 2),
    ("hooks", "on_skip", lambda n: (f"echo skip {n}",) * 2),
    ("presence", "command", lambda n: (f"echo {n}000",) * 2),
]


def test_twelve_config_sets_at_once_lose_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    for round_ in range(2):
        wanted: dict[str, dict[str, object]] = {}
        children = []
        for table, key, values in KEYS:
            shown, stored = values(round_)
            wanted.setdefault(table, {})[key] = stored
            argv = [sys.executable, "-m", "breakctl", "config", "set", f"{table}.{key}", shown]
            children.append(
                subprocess.Popen(
                    argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
                )
            )
        errors = [child.communicate(timeout=300)[1] for child in children]
        assert [child.returncode for child in children] == [0] * len(KEYS), errors
        found = tomllib.loads((home / "config.toml").read_text())
        assert {t: {k: found.get(t, {}).get(k) for k in keys} for t, keys in wanted.items()} == (
            wanted
        ), f"round {round_}"
