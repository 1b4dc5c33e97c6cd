"""Bringing a break to a person no screen shows it to: the ways of [start] bring_break tried
in order until one works, in a thread of its own (tmux and the bus answer in milliseconds,
but a stuck one must never hold up the timer). The break's desktop notification is sent from
here too: with the "Start the routine" action when the notify way is used and the server has
actions, plain otherwise, as every break's alert is.

Everything it starts is bounded: tmux calls by helper_run's deadline, the action's listening
thread by the break's end, terminal windows killed if still open a while after it."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Mapping, Sequence

from breakctl.host.bring.base import CannotBring
from breakctl.host.bring.command import attach_break, with_folders
from breakctl.host.bring.notification import ActionNotification
from breakctl.host.bring.popup import open_popup
from breakctl.host.bring.terminal import NoTerminal, terminal_argv
from breakctl.host.helper_run import Detached, HelperError
from breakctl.host.notify import Notifier, system_notifier

LISTEN_AFTER_S = 1800.0  # past the break's planned end, the action stops being listened for
FAILS_WITHIN_S = 1.0  # a terminal that cannot open (no display...) exits at once
WINDOW_GRACE_S = 30.0  # a terminal still open this long after the break's end is closed


class BreakBringer:
    def __init__(
        self,
        ways: Sequence[str],
        terminal: str | None,
        env: Mapping[str, str],
        notifier: Notifier,
        argv0: str | None = None,
    ) -> None:
        self.ways = tuple(ways)
        self.terminal = terminal
        self.env = dict(env)
        self.notifier = notifier
        self.command = attach_break(argv0)
        self.reports: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._break = 0  # which break this is: what a late thread starts for an ended one stops
        self._notification: ActionNotification | None = None
        self._opened: list[Detached] = []
        self._lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self._said_failing: str | None = None  # the same failure is said once, not every break

    def bring(self, title: str, body: str, break_s: float) -> bool:
        """Bring the break; True when its desktop notification is sent from here (the caller
        then leaves it out of the alert)."""
        if not self.ways:
            return False
        self.thread = threading.Thread(
            target=self._bring,
            args=(title, body, break_s, self._break),
            name="breakctl bring",
            daemon=True,
        )
        self.thread.start()
        return True

    def _bring(self, title: str, body: str, break_s: float, which: int) -> None:
        failures: list[str] = []
        notified = False
        for way in self.ways:
            try:
                if way == "popup":
                    popup, where = open_popup(with_folders(self.command, self.env), self.env)
                    self._keep(popup, which)
                    said = f"in a tmux pop-up on {where}"
                elif way == "notify":
                    said = self._notify(title, body, break_s, which)
                    notified = True
                else:
                    self.open_terminal(which)
                    said = "in a new terminal window"
            except (CannotBring, HelperError, NoTerminal) as exc:
                failures.append(f"{way}: {exc}")
                continue
            tried = f" ({'; '.join(failures)})" if failures else ""  # the ways before it
            self.reports.put(f"break brought to you {said}{tried}")
            self._said_failing = None
            break
        else:
            failing = f"the break could not be brought to you ({'; '.join(failures)})"
            if failing != self._said_failing:  # a machine without tmux or a bus: once a day
                self.reports.put(failing)
                self._said_failing = failing
        if not notified:
            self._plain(title, body)

    def _notify(self, title: str, body: str, break_s: float, which: int) -> str:
        if not self.notifier.system:
            raise CannotBring("desktop notifications are off ([start] notify = false)")
        notification = ActionNotification(self.env, lambda: self._picked(which))
        # No bus or no server: CannotBring, and the next way is tried.
        if notification.send(title, body, break_s + LISTEN_AFTER_S):
            with self._lock:
                ended = which != self._break
                self._notification = None if ended else notification
            if ended:
                notification.stop()
            return "by a notification with its action"
        if system_notifier() is None:
            raise CannotBring("the notification server has no actions, and notify-send is missing")
        self._plain(title, body)
        return "by a notification (its server has no actions)"

    def _plain(self, title: str, body: str) -> None:
        for problem in self.notifier.alert(title, body):
            self.reports.put(f"notification: {problem}")

    def _picked(self, which: int) -> None:
        """The notification's action: the routine in a terminal window."""
        try:
            self.open_terminal(which)
        except (NoTerminal, HelperError) as exc:
            self.reports.put(f"Start the routine: {exc}")

    def open_terminal(self, which: int) -> None:
        argv = terminal_argv(self.command, self.terminal, self.env)
        try:
            window = Detached(argv, self.env)
        except OSError as exc:
            raise HelperError(f"{argv[0]} could not run: {exc.strerror}") from None
        if window.wait(FAILS_WITHIN_S) and window.poll() != 0:  # 0: handed to its server
            raise HelperError(f"{argv[0]} failed at once (exit {window.poll()})")
        self._keep(window, which)

    def _keep(self, program: Detached, which: int) -> None:
        """A program left running for the break (a window, tmux waiting on its pop-up)."""
        with self._lock:
            ended = which != self._break
            if not ended:
                self._opened.append(program)
        if ended:  # the break ended while it was being opened
            _later(WINDOW_GRACE_S, lambda: _close([program]))

    def over(self) -> None:
        """The break has ended: stop listening for the action; what it opened and is still
        open after a grace (`attach --break` should have ended it) is closed."""
        with self._lock:
            self._break += 1
            notification, self._notification = self._notification, None
            opened, self._opened = self._opened, []
        if notification is not None:
            notification.stop()
        if opened:
            _later(WINDOW_GRACE_S, lambda: _close(opened))

    def close(self) -> None:
        """The day is over: nothing it brought outlives it."""
        with self._lock:
            opened = list(self._opened)
        self.over()
        _close(opened)

    def take_reports(self) -> list[str]:
        lines = []
        while not self.reports.empty():
            lines.append(self.reports.get())
        return lines


def _close(windows: list[Detached]) -> None:
    for window in windows:
        if window.poll() is None:
            window.kill()
            window.wait(5.0)


def _later(delay_s: float, then: Callable[[], None]) -> None:
    timer = threading.Timer(delay_s, then)
    timer.daemon = True
    timer.start()
