"""Getting someone's attention when a break is due: the terminal bell, the OSC 9 and OSC 777
desktop-notification escapes (they travel over SSH; tmux needs them wrapped), and the
system notifier where there is one. Any channel may be missing; none is ever an error."""

from __future__ import annotations

import os
import queue
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TextIO

from breakctl.host.helper_run import HelperError, run_helper, start_helper

NOTIFIER_TIMEOUT_S = 5.0

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # C0, DEL, C1: none may end or escape the OSC


def osc_sequences(title: str, body: str, in_tmux: bool) -> str:
    clean = [_CONTROL.sub("", text).replace(";", ",") for text in (title, body)]
    sequences = [f"\x1b]9;{clean[0]}: {clean[1]}\x07", f"\x1b]777;notify;{clean[0]};{clean[1]}\x07"]
    if in_tmux:  # tmux passes an escape through only inside its DCS wrapper, ESCs doubled
        sequences = [f"\x1bPtmux;{s.replace(chr(27), chr(27) * 2)}\x1b\\" for s in sequences]
    return "".join(sequences)


def system_notifier(platform: str = sys.platform) -> list[str] | None:
    """The command prefix of the desktop notifier here, or None."""
    if platform == "darwin" and shutil.which("osascript"):
        return ["osascript", "-e"]
    if shutil.which("notify-send"):
        return ["notify-send", "--app-name=breakctl"]
    return None


NO_DESKTOP = "no desktop session here (no D-Bus session bus, no DISPLAY or WAYLAND_DISPLAY)"


def desktop_session(env: Mapping[str, str]) -> bool:
    """Whether notify-send could reach a notification service: a session bus (named, or at
    its usual place in the runtime folder), or a display to autolaunch one from."""
    if env.get("DBUS_SESSION_BUS_ADDRESS") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return True
    runtime = env.get("XDG_RUNTIME_DIR")
    return bool(runtime) and os.path.exists(os.path.join(str(runtime), "bus"))


@dataclass
class Notifier:
    terminal: TextIO | None  # None when output is not a terminal: no bell, no escapes
    env: Mapping[str, str]
    bell: bool = True
    system: bool = True
    # What went wrong with earlier notifier runs (they are not waited for): the first such
    # line is said at the next alert, once, since a notifier that fails tends to fail each time.
    _late: queue.SimpleQueue[str] = field(default_factory=queue.SimpleQueue)
    _told: bool = False

    def alert(self, title: str, body: str) -> list[str]:
        """Send on every channel; return a line for each channel that failed."""
        problems: list[str] = []
        if self.terminal is not None:
            sequence = ("\a" if self.bell else "") + osc_sequences(title, body, "TMUX" in self.env)
            try:
                self.terminal.write(sequence)
                self.terminal.flush()
            except OSError as exc:
                problems.append(f"terminal: {exc.strerror}")
        if self.system:
            problems += self._system(title, body)
        return problems

    def _system(self, title: str, body: str) -> list[str]:
        late = [] if self._told or self._late.empty() else [self._late.get()]
        self._told = self._told or bool(late)
        command = system_notifier()
        if command is None:
            return []
        if command[0] == "notify-send" and not desktop_session(self.env):
            # It could only fail ("Cannot autolaunch D-Bus"): said once, not tried at all.
            if self._told:
                return late
            self._told = True
            return [f"not sent: {NO_DESKTOP}"]
        if command[0] == "osascript":
            quoted = [text.replace('"', "'") for text in (title, body)]
            argv = [*command, f'display notification "{quoted[1]}" with title "{quoted[0]}"']
        else:
            argv = [*command, title, body]
        # Not waited for: a slow notifier must never hold up the timer.
        start_helper(argv, argv[0], self.env, NOTIFIER_TIMEOUT_S, self._late.put)
        return late


def try_channels(terminal: TextIO | None, env: Mapping[str, str]) -> list[tuple[str, bool, str]]:
    """Try every channel once: (channel, worked, detail)."""
    results: list[tuple[str, bool, str]] = []
    if terminal is None:
        results.append(("bell", False, "output is not a terminal"))
        results.append(("OSC 9/777", False, "output is not a terminal"))
    else:
        terminal.write("\a" + osc_sequences("breakctl", "notification test", "TMUX" in env))
        terminal.flush()
        results.append(("bell", True, "sent; you should have heard or seen it"))
        where = " (wrapped for tmux)" if "TMUX" in env else ""
        terminals = "iTerm2, WezTerm, kitty, foot, Windows Terminal..."
        detail = f"sent{where}; shown by terminals that support it ({terminals})"
        results.append(("OSC 9/777", True, detail))
    command = system_notifier()
    if command is None:
        results.append(
            ("desktop notifier", False, "neither notify-send nor osascript is installed")
        )
    else:
        argv = (
            [*command, 'display notification "notification test" with title "breakctl"']
            if command[0] == "osascript"
            else [*command, "breakctl", "notification test"]
        )
        try:
            run_helper(argv, command[0], env, NOTIFIER_TIMEOUT_S)
            ok, detail = True, "sent"
        except HelperError as exc:
            ok, detail = False, str(exc)
        results.append((command[0], ok, detail))
    return results
