"""Where `breakctl service` puts the file that starts the day at login, and what it did
(service.json in the state folder), so `service remove` undoes exactly that.

The three places are the service managers' own, not breakctl's folders: BREAKCTL_HOME does
not move them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from breakctl.core.errors import StorageError
from breakctl.core.service_files import KINDS, LAUNCHD_LABEL, UNIT_NAME, Kind
from breakctl.store.paths import Paths, replace_file

RECORD_NAME = "service.json"
RECORD_VERSION = 1


def _config_home(env: Mapping[str, str]) -> Path:
    value = env.get("XDG_CONFIG_HOME", "")
    if value and os.path.isabs(value):  # the XDG spec: a relative path is ignored
        return Path(value)
    return _home(env) / ".config"


def _home(env: Mapping[str, str]) -> Path:
    return Path(env.get("HOME") or os.path.expanduser("~"))


def service_path(kind: Kind, env: Mapping[str, str]) -> Path:
    """Where the file of `kind` goes: the place its service manager reads at login."""
    if kind == "systemd":
        return _config_home(env) / "systemd" / "user" / UNIT_NAME
    if kind == "launchd":
        return _home(env) / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"
    return _config_home(env) / "autostart" / "breakctl.desktop"


def enabled_link(env: Mapping[str, str]) -> Path:
    """The link `systemctl --user enable` makes for WantedBy=default.target."""
    return _config_home(env) / "systemd" / "user" / "default.target.wants" / UNIT_NAME


@dataclass(frozen=True)
class Installed:
    """What `service install` did: the file it wrote (and its digest, to know it is still
    that file), and whether it enabled or loaded it with the service manager."""

    kind: Kind
    path: str
    sha256: str
    started: bool = False  # --now: enabled and started (systemd), loaded (launchd), ran


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The digest of the regular file at `path`; None when nothing is there. A link, a
    folder or anything else gets a mark no digest equals: it is not a file breakctl wrote."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return "not a regular file"
        return digest(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"{path}: cannot read: {exc.strerror}") from None


def record_path(paths: Paths) -> Path:
    return paths.state_dir / RECORD_NAME


def read_installed(paths: Paths) -> list[Installed]:
    """What install did, kind by kind; a record that cannot be read counts as none."""
    try:
        data = json.loads(record_path(paths).read_text(encoding="utf-8"))
        return [
            Installed(item["kind"], str(item["path"]), str(item["sha256"]), bool(item["started"]))
            for item in data["installed"]
            if item.get("kind") in KINDS
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []


def write_installed(paths: Paths, installed: list[Installed]) -> None:
    """service.json, whole and private; gone when nothing is installed any more."""
    path = record_path(paths)
    if not installed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    document = {"v": RECORD_VERSION, "installed": [asdict(item) for item in installed]}
    try:
        replace_file(path, (json.dumps(document, indent=2) + "\n").encode())
    except OSError as exc:
        raise StorageError(f"{path}: cannot write: {exc.strerror}") from None


def write_service_file(path: Path, data: bytes) -> None:
    """The service file, whole (temp file, rename) and private (0600)."""
    try:
        replace_file(path, data)
    except OSError as exc:
        raise StorageError(f"{path}: cannot write: {exc.strerror}") from None


def delete_service_file(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StorageError(f"{path}: cannot delete: {exc.strerror}") from None
