"""The service managers `breakctl service` talks to: `systemctl --user` and `launchctl`, each
run through helper_run (bounded in time and bytes), and which of them works here."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

from breakctl.core.service_files import LAUNCHD_LABEL, UNIT_NAME, Kind
from breakctl.host.helper_run import HelperError, run_helper

TIMEOUT_S = 30.0  # systemctl waits for the unit to start with --now; launchctl is quick
# What presence and notifications need from the user manager's environment.
SESSION_VARS = ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")


def user_systemd_runs(env: Mapping[str, str]) -> bool:
    """A user systemd runs for this user: its private socket is in the runtime folder."""
    runtime = env.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    try:
        return stat.S_ISSOCK(os.stat(Path(runtime) / "systemd" / "private").st_mode)
    except OSError:
        return False


def default_kind(env: Mapping[str, str], platform: str = sys.platform) -> Kind:
    """The kind that works here: launchd on macOS, systemd where a user systemd runs, else
    an XDG autostart entry (the desktop session starts it)."""
    if platform == "darwin":
        return "launchd"
    return "systemd" if user_systemd_runs(env) else "autostart"


class Managers:
    """`systemctl --user` and `launchctl` with this environment."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def _run(self, argv: list[str]) -> str:
        label = " ".join(argv[:3])
        return run_helper(argv, label, self.env, TIMEOUT_S).decode("utf-8", "replace")

    def systemctl(self, *args: str) -> str:
        return self._run(["systemctl", "--user", *args])

    def launchctl(self, *args: str) -> str:
        return self._run(["launchctl", *args])

    def launchd_target(self) -> str:
        return f"gui/{os.getuid()}"

    def launchd_service(self) -> str:
        return f"{self.launchd_target()}/{LAUNCHD_LABEL}"

    def unit_state(self) -> tuple[str, str] | None:
        """(UnitFileState, ActiveState) of breakctl.service; None when systemctl cannot say."""
        try:
            out = self.systemctl("show", UNIT_NAME, "--property=UnitFileState,ActiveState")
        except HelperError:
            return None
        values = dict(line.partition("=")[::2] for line in out.splitlines() if "=" in line)
        return values.get("UnitFileState", ""), values.get("ActiveState", "")

    def manager_environment(self) -> set[str] | None:
        """The names set in the user manager's environment; None when it cannot be read."""
        try:
            out = self.systemctl("show-environment")
        except HelperError:
            return None
        return {line.partition("=")[0] for line in out.splitlines() if "=" in line}
