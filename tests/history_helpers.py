"""The files a test's breakctl wrote its history to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from breakctl.store.history_dir import locate_history
from breakctl.store.paths import Paths


def host_file(paths: Paths) -> Path:
    """This machine's history file (where new records go)."""
    return locate_history(paths, {}).host_file


def written(paths: Paths) -> list[dict[str, Any]]:
    """Every line of this machine's history file, as JSON."""
    path = host_file(paths)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]
