"""Where breakctl keeps its files. BREAKCTL_HOME=DIR puts everything under DIR; otherwise
the platform's conventions (XDG base directories on Linux and other Unixes)."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from breakctl.store.locations import locate


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    state_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def routines_dir(self) -> Path:
        return self.config_dir / "routines"

    @property
    def history_file(self) -> Path:
        return self.data_dir / "history.jsonl"

    @property
    def state_file(self) -> Path:
        return self.state_dir / "current.json"

    @classmethod
    def from_env(cls, env: Mapping[str, str], platform: str = sys.platform) -> Paths:
        config, data, state = locate(env, platform)
        return cls(Path(config), Path(data), Path(state))


def ensure_private_dir(path: Path) -> None:
    """Create a folder (and its parents) readable by the user only: history is health data."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def replace_file(path: Path, data: bytes) -> None:
    """Write `path` whole via a temp file and rename: readers see the old file or the new
    one, never half of either. Created private to the user, like every breakctl file."""
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
