"""Where breakctl keeps its files. Stdlib only: `breakctl status` resolves paths too.

BREAKCTL_HOME=DIR puts everything under DIR; otherwise the platform's conventions
(XDG base directories on Linux and other Unixes).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP = "breakctl"
HOME_VAR = "BREAKCTL_HOME"


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
        home_override = env.get(HOME_VAR)
        if home_override:
            root = Path(home_override).expanduser()
            return cls(root, root, root)
        home = Path(env.get("HOME") or Path.home())
        if platform == "darwin":
            base = home / "Library" / "Application Support" / APP
            return cls(base, base, base)
        if platform == "win32":
            base = Path(env.get("APPDATA") or home / "AppData" / "Roaming") / APP
            return cls(base, base, base / "state")

        def xdg(var: str, default: Path) -> Path:
            value = env.get(var, "")
            # The XDG spec says relative paths are invalid and must be ignored.
            return (Path(value) if value and os.path.isabs(value) else default) / APP

        return cls(
            config_dir=xdg("XDG_CONFIG_HOME", home / ".config"),
            data_dir=xdg("XDG_DATA_HOME", home / ".local" / "share"),
            state_dir=xdg("XDG_STATE_HOME", home / ".local" / "state"),
        )


def ensure_private_dir(path: Path) -> None:
    """Create a folder (and its parents) readable by the user only: history is health data."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
