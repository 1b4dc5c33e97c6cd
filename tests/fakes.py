"""Test doubles: a clock that only moves when told, keys pressed at scripted times."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from breakctl.core.routine_run import Event, Snapshot


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self._start = start
        self._mono = 0.0
        self._wall_skew = 0.0

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        # In UTC and back: a zoneinfo start keeps real time across a DST change.
        moment = self._start.astimezone(UTC) + timedelta(seconds=self._mono + self._wall_skew)
        return moment.astimezone(self._start.tzinfo)

    def sleep(self, seconds: float) -> None:
        self._mono += max(0.0, seconds)

    def suspend(self, seconds: float) -> None:
        """A laptop lid closed: the wall clock moves, the monotonic one does not."""
        self._wall_skew += seconds


class ScriptedKeys:
    """Presses `key` when the fake clock reaches each scripted second. A key may be an
    exception instance (e.g. KeyboardInterrupt()) to raise at that moment instead."""

    def __init__(self, clock: FakeClock, script: dict[float, str | BaseException]) -> None:
        self._clock = clock
        self._script = sorted(script.items())
        self.waits = 0

    def wait(self, timeout: float) -> str | None:
        self.waits += 1
        now = self._clock.monotonic()
        if self._script and self._script[0][0] <= now + timeout:
            at, key = self._script.pop(0)
            self._clock.sleep(at - now)
            if isinstance(key, BaseException):
                raise key
            return key
        self._clock.sleep(timeout)
        return None


class JumpingKeys(ScriptedKeys):
    """ScriptedKeys for long runs: while nothing changes by itself (`idle()`: paused, or
    waiting for a person), the clock jumps straight to the next press instead of ticking
    through the loop's once-a-second refreshes, which would only redraw the screen."""

    def __init__(
        self, clock: FakeClock, script: dict[float, str | BaseException], idle: Callable[[], bool]
    ) -> None:
        super().__init__(clock, script)
        self._idle = idle

    def wait(self, timeout: float) -> str | None:
        if self._script and self._idle():
            timeout = max(timeout, self._script[0][0] - self._clock.monotonic())
        return super().wait(timeout)


class RecordingView:
    def __enter__(self) -> RecordingView:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def __init__(self) -> None:
        self.events: list[tuple[float, Event]] = []
        self.snapshots: list[Snapshot] = []
        self.clock: FakeClock | None = None

    def update(self, events: Sequence[Event], snapshot: Snapshot) -> None:
        at = self.clock.monotonic() if self.clock else 0.0
        self.events.extend((at, e) for e in events)
        self.snapshots.append(snapshot)


class OneScreen:
    """A fake SessionHost's side of bringing a break: one screen shows the day (as a
    foreground start's), so nothing is ever brought."""

    def attached_screens(self) -> int:
        return 1

    def bring_break(self, title: str, body: str, break_s: float) -> bool:
        return False

    def break_over(self) -> None:
        pass
