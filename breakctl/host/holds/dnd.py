"""`dnd`: the desktop's do-not-disturb holds a break.

Three back-ends, each asked only where it can answer; the source works when one does:
- GNOME: `org.gnome.desktop.notifications show-banners` false (GNOME's "Do Not Disturb"),
  read with a bounded `gsettings get` (so whatever GSettings backend the desktop uses).
- `org.freedesktop.Notifications`'s `Inhibited` property (KDE Plasma and other notification
  servers that implement it), on the session bus through jeepney; nothing is started.
- macOS Focus: `~/Library/DoNotDisturb/DB/Assertions.json` lists the Focus turned on by
  hand. macOS 12 lets a user's program read it; from macOS 13 it needs Full Disk Access for
  the terminal, and there is no other unprivileged signal (Apple's INFocusStatusCenter needs
  an entitlement): without that access the source says so. A scheduled Focus is not seen.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from breakctl.core.holds import Hold, HoldsSettings
from breakctl.host.helper_run import HelperError, run_helper
from breakctl.host.holds.base import HoldError, HoldSource
from breakctl.host.presence.base import PresenceError
from breakctl.host.presence.dbus import BusSource

GSETTINGS_TIMEOUT_S = 2.0
GNOME_KEY = ("org.gnome.desktop.notifications", "show-banners")
NOTIFICATIONS = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
FOCUS_FILE = "Library/DoNotDisturb/DB/Assertions.json"
MAX_FOCUS_BYTES = 1 << 20


def gnome_banners_off(env: Mapping[str, str]) -> bool:
    """Whether GNOME's notification banners are off (Do Not Disturb)."""
    label = "gsettings (GNOME)"
    try:
        out = run_helper(["gsettings", "get", *GNOME_KEY], label, env, GSETTINGS_TIMEOUT_S)
    except HelperError as exc:
        raise HoldError(str(exc)) from None
    value = out.decode("utf-8", "replace").strip()
    if value not in ("true", "false"):
        raise HoldError(f"{label} printed {value[:40]!r} for show-banners")
    return value == "false"


class NotificationsBus(BusSource):
    """The notification server's `Inhibited` property, on a connection kept open."""

    name = "dnd"

    def inhibited(self) -> bool:
        try:
            (variant,) = self.call(
                NOTIFICATIONS[0],
                NOTIFICATIONS[1],
                "org.freedesktop.DBus.Properties",
                "Get",
                "ss",
                (NOTIFICATIONS[0], "Inhibited"),
            )
        except PresenceError as exc:
            raise HoldError(str(exc)) from None
        signature, value = variant  # a variant arrives as (signature, value)
        if signature != "b":
            raise HoldError(f"{NOTIFICATIONS[0]} Inhibited is {signature!r}, not a boolean")
        return bool(value)

    def idle_s(self) -> float:  # a BusSource is a presence source too; not this one
        raise PresenceError("not an idle-time source")


def focus_on(data: Any) -> bool:
    """Whether Assertions.json lists a Focus turned on (any Focus, not only DND)."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise HoldError("macOS Focus: Assertions.json is not as expected")
    return any(
        isinstance(store, dict) and bool(store.get("storeAssertionRecords"))
        for store in data["data"]
    )


def macos_focus(home: str) -> bool:
    path = os.path.join(home, FOCUS_FILE)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FOCUS_BYTES)
    except PermissionError:
        raise HoldError(
            "macOS Focus cannot be read without Full Disk Access for this terminal"
        ) from None
    except FileNotFoundError:
        return False  # no Focus was ever turned on
    except OSError as exc:
        raise HoldError(f"macOS Focus: {path}: {exc.strerror}") from None
    try:
        return focus_on(json.loads(raw))
    except ValueError:
        raise HoldError("macOS Focus: Assertions.json is not JSON") from None


class DndSource(HoldSource):
    name = "dnd"

    def __init__(self, env: Mapping[str, str], platform: str = sys.platform) -> None:
        self._env = env
        self._platform = platform
        self._bus = NotificationsBus(env)

    def _answers(self) -> list[tuple[str, Any]]:
        if self._platform == "darwin":
            home = self._env.get("HOME") or os.path.expanduser("~")
            return [("Focus", lambda: macos_focus(home))]
        return [
            ("do not disturb", lambda: gnome_banners_off(self._env)),
            ("notifications inhibited", self._bus.inhibited),
        ]

    def holds(self, now: datetime) -> list[Hold]:
        failures: list[str] = []
        answers = self._answers()
        for reason, ask in answers:
            try:
                if ask():
                    return [Hold(self.name, reason)]
            except HoldError as exc:
                failures.append(str(exc))
        if len(failures) == len(answers):
            raise HoldError("; ".join(failures))
        return []

    def close(self) -> None:
        self._bus.close()


def source(settings: HoldsSettings, env: Mapping[str, str] | None = None) -> HoldSource:
    return DndSource(os.environ if env is None else env)
