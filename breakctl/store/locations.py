"""Where breakctl's folders are, as plain strings with os.path only: `breakctl status` runs
on every status-bar refresh and cannot afford pathlib or dataclasses on its import path."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing itself is too slow to import here; type checkers know this idiom
if TYPE_CHECKING:
    from collections.abc import Mapping

APP = "breakctl"
HOME_VAR = "BREAKCTL_HOME"


def locate(env: Mapping[str, str], platform: str) -> tuple[str, str, str]:
    """(config dir, data dir, state dir): BREAKCTL_HOME for all three, else the platform's way."""
    override = env.get(HOME_VAR)
    if override:
        root = os.path.expanduser(override)
        return root, root, root
    home = env.get("HOME") or os.path.expanduser("~")
    if platform == "darwin":
        base = os.path.join(home, "Library", "Application Support", APP)
        return base, base, base

    def xdg(var: str, *default: str) -> str:
        value = env.get(var, "")
        # The XDG spec says relative paths are invalid and must be ignored.
        base = value if value and os.path.isabs(value) else os.path.join(home, *default)
        return os.path.join(base, APP)

    return (
        xdg("XDG_CONFIG_HOME", ".config"),
        xdg("XDG_DATA_HOME", ".local", "share"),
        xdg("XDG_STATE_HOME", ".local", "state"),
    )


def locate_cache(env: Mapping[str, str], platform: str) -> str:
    """The cache folder (copies of what can be fetched again, e.g. calendars): under
    BREAKCTL_HOME as `cache`, else the platform's cache folder."""
    override = env.get(HOME_VAR)
    if override:
        return os.path.join(os.path.expanduser(override), "cache")
    home = env.get("HOME") or os.path.expanduser("~")
    if platform == "darwin":
        return os.path.join(home, "Library", "Caches", APP)
    value = env.get("XDG_CACHE_HOME", "")
    base = value if value and os.path.isabs(value) else os.path.join(home, ".cache")
    return os.path.join(base, APP)
