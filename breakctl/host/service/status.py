"""`breakctl service status`: what is installed and where, whether the day runs, and for
systemd whether the user manager has what presence and notifications need (DISPLAY,
WAYLAND_DISPLAY, DBUS_SESSION_BUS_ADDRESS), with the one command that gives it to them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from breakctl.core.service_files import KINDS, Kind
from breakctl.host.day.address import answers, socket_path
from breakctl.host.service.managers import SESSION_VARS, Managers, default_kind
from breakctl.store.paths import Paths
from breakctl.store.service_place import file_digest, read_installed, service_path
from breakctl.store.state import read_state, running_pid

DISPLAYS = ("DISPLAY", "WAYLAND_DISPLAY")


@dataclass(frozen=True)
class Found:
    """A service file in its place: whether breakctl wrote it, and whether it still is so."""

    kind: Kind
    path: Path
    recorded: bool  # service.json says install wrote it
    changed: bool  # it differs from what install wrote
    started: bool  # install --now enabled, loaded or ran it


@dataclass
class ServiceStatus:
    default_kind: Kind
    found: list[Found] = field(default_factory=list)
    unit_state: tuple[str, str] | None = None  # systemd: (UnitFileState, ActiveState)
    day: dict[str, Any] = field(default_factory=dict)
    manager_has: set[str] | None = None  # systemd: the names in the manager's environment
    missing: list[str] = field(default_factory=list)
    fix: str | None = None

    def to_json(self) -> dict[str, Any]:
        first = self.found[0] if self.found else None
        return {
            "installed": first is not None,
            "kind": first.kind if first else None,
            "path": str(first.path) if first else None,
            "default_kind": self.default_kind,
            "files": [
                {
                    "kind": f.kind,
                    "path": str(f.path),
                    "written_by_breakctl": f.recorded,
                    "changed": f.changed,
                    "started": f.started,
                }
                for f in self.found
            ],
            "enabled": None if self.unit_state is None else self.unit_state[0] == "enabled",
            "active": None if self.unit_state is None else self.unit_state[1] == "active",
            "day": self.day,
            "environment": None
            if self.manager_has is None
            else {name: name in self.manager_has for name in SESSION_VARS},
            "missing": self.missing,
            "fix": self.fix,
        }


def service_status(paths: Paths, env: Mapping[str, str]) -> ServiceStatus:
    records = {r.kind: r for r in read_installed(paths)}
    status = ServiceStatus(default_kind(env))
    for kind in KINDS:
        path = service_path(kind, env)
        on_disk = file_digest(path)
        if on_disk is None:
            continue
        record = records.get(kind)
        changed = record is not None and on_disk != record.sha256
        started = record is not None and record.started
        status.found.append(Found(kind, path, record is not None, changed, started))
    status.day = day_running(paths, env)
    if any(f.kind == "systemd" for f in status.found):
        managers = Managers(env)
        status.unit_state = managers.unit_state()
        status.manager_has = managers.manager_environment()
        if status.manager_has is not None:
            status.missing, status.fix = environment_fix(status.manager_has, env)
    return status


def day_running(paths: Paths, env: Mapping[str, str]) -> dict[str, Any]:
    """Whether a day runs, from its lock and state file (as `breakctl status` knows it), and
    the socket its screens attach to when it answers there."""
    pid = running_pid(paths)
    if pid is None:
        return {"running": False, "pid": None, "phase": None, "mode": None, "socket": None}
    state = read_state(paths) or {}
    where = socket_path(paths, env)
    return {
        "running": True,
        "pid": pid if pid > 0 else None,
        "phase": state.get("phase"),
        "mode": state.get("mode"),  # "foreground" | "background", as the day says
        "socket": str(where) if answers(where) else None,
    }


def environment_fix(has: set[str], here: Mapping[str, str]) -> tuple[list[str], str | None]:
    """What the user manager lacks of what presence and notifications need, and the one
    command that imports it from this terminal's session.

    The bus is always needed (notifications); of the displays, those this session has (or
    both, when the manager has neither and this terminal knows none either)."""
    wanted = ["DBUS_SESSION_BUS_ADDRESS"]
    displays = [name for name in DISPLAYS if here.get(name)]
    if not any(name in has for name in DISPLAYS) and not displays:
        displays = list(DISPLAYS)
    wanted += displays
    missing = [name for name in SESSION_VARS if name in wanted and name not in has]
    if not missing:
        return [], None
    if all(here.get(name) for name in missing):
        return missing, f"systemctl --user import-environment {' '.join(missing)}"
    # Not in this terminal either (an ssh login, a console): from the desktop session's.
    return missing, (
        "in a terminal of your desktop session: systemctl --user import-environment "
        + " ".join(missing)
    )
