"""The views `run_session` drives: live on a terminal, timestamped lines when piped."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, assert_never

from rich.console import Console

from breakctl.core.clock import Clock
from breakctl.core.day import SessionSnapshot
from breakctl.core.day.events import (
    AwayStarted,
    BreakDeferred,
    BreakEarly,
    BreakElsewhere,
    BreakHeld,
    BreakHushed,
    BreakPostponed,
    BreakStarted,
    BreakUnhushed,
    BreakYielded,
    FreeMovementStarted,
    HeadsUp,
    HoldsEnded,
    HoldStuck,
    LimitReached,
    NextBreakSkipped,
    NudgeDue,
    OffHours,
    PausedUntil,
    PauseOver,
    PhasePaused,
    PhaseResumed,
    Recorded,
    Refused,
    RoutineEvent,
    SessionEnded,
    SessionEvent,
    SkipAsked,
    SkipKept,
    StepAway,
    Suspended,
    Typed,
    Waiting,
    WaitingForYou,
    WelcomeBack,
    WorkHoursBegin,
    WorkStarted,
)
from breakctl.core.day.off import off_until
from breakctl.core.durations import format_clock, format_duration
from breakctl.core.pacing import Chime
from breakctl.core.routine_run import Finished
from breakctl.core.safety import SAFETY, posture_reset
from breakctl.ui.cells import literal
from breakctl.ui.routine_plain import PlainRoutineView
from breakctl.ui.session.live_area import LiveArea
from breakctl.ui.session.message_line import MessageLine
from breakctl.ui.session.screens import render_session_screen
from breakctl.ui.session.work_frame import InPlaceFrame, day_end_line, work_frame
from breakctl.ui.text import safe

END_REASONS = {
    "cycles": "all blocks done",
    "until": "reached --until",
    "quit": "stopped",
    "limit": "the daily limit of work is reached: done for today",
}


class SafetyOnce:
    """The safety line belongs to the first break of the day only: on from its start to its
    end, then never again in this session."""

    def __init__(self, due: bool) -> None:
        self._due = due
        self._showing = False

    def show(self, events: Sequence[SessionEvent]) -> bool:
        for event in events:
            if isinstance(event, BreakStarted) and self._due:
                self._due, self._showing = False, True
            elif isinstance(event, Recorded) and event.record.kind == "break":
                self._showing = False
        return self._showing


class LiveSessionView:
    """On a terminal: the work screen through InPlaceFrame (cheap, once a second all day),
    breaks and the rest through Rich's Live, both sized to the terminal. `bell` rings at the
    end of each hold and at each switch of sides; `safety` shows the safety line in the first
    break (pass it when no break was taken yet today). Messages take the screen's message line
    (see message_line), timed on `clock`."""

    def __init__(
        self,
        console: Console,
        free_text: str,
        *,
        clock: Clock,
        bell: bool = True,
        safety: bool = False,
    ) -> None:
        self._console = console
        self._free_text = free_text
        self._line = MessageLine(clock)
        self._shown: tuple[SessionSnapshot, bool] | None = None  # the last screen, with safety
        self._live = LiveArea(console)
        self._frame = InPlaceFrame(console.file)
        self._color = console.color_system is not None and not console.no_color
        self._chime = Chime(bell)
        self._safety = SafetyOnce(safety)
        self._ending = ""  # why the day ended, said once the live screen is gone

    def __enter__(self) -> LiveSessionView:
        self._console.show_cursor(False)
        return self

    def __exit__(self, *exc: Any) -> None:
        # The terminal may be gone (window closed): that must not hide why we are exiting.
        with contextlib.suppress(OSError, ValueError):
            self._frame.clear()
            self._live.close()
            self._console.show_cursor(True)
            for line in self._line.said():  # nothing the screen showed is lost with it
                self._console.print(literal(line, "dim"))
            if self._ending:
                self._console.print(self._ending, markup=False, highlight=False)

    def update(self, events: Sequence[SessionEvent], snapshot: SessionSnapshot) -> None:
        for event in events:
            if isinstance(event, SessionEnded) and event.reason != "quit":
                self._ending = END_REASONS[event.reason]
        routine_events = [e.event for e in events if isinstance(e, RoutineEvent)]
        if self._chime.due(routine_events, snapshot.routine) and not snapshot.hushed:
            self._console.bell()
        self._shown = (snapshot, self._safety.show(events))
        self._draw()

    def _draw(self) -> None:
        if self._shown is None:
            return
        snapshot, safety = self._shown
        message = self._line.current(snapshot.phase)
        size = self._console.size
        if snapshot.phase == "work":
            self._live.close()  # first: the frame starts on its top row
            lines = work_frame(snapshot, size.width, self._color, size.height, message)
            self._frame.draw(lines)
            return
        self._frame.clear()
        screen = render_session_screen(
            snapshot,
            self._free_text,
            width=size.width,
            height=size.height,
            safety=safety,
            message=message,
        )
        self._live.show(screen)

    def message(self, text: str, *, listed: bool = True) -> None:
        """A line from the host (a hook's report quoting what the hook wrote, a refused key,
        presence): on the message line at once, in place of the one before; listed again
        when the screen ends unless it is a passing prompt (`listed` False)."""
        self._line.show(text, self._shown[0].phase if self._shown else None, listed=listed)
        self._draw()

    def prompt(self, text: str) -> None:
        """One line at the bottom, rewritten as the answer is typed (the screen holds still
        meanwhile: the pause is on)."""
        self._frame.clear()
        self._live.close()
        self._console.file.write(f"\r\x1b[2K{safe(text)}")
        self._console.file.flush()


class PlainSessionView:
    """Timestamped lines for pipes and logs: one per change, nothing per second. Every line
    goes through `PlainRoutineView.line`, which makes it safe."""

    def __init__(
        self, console: Console, clock: Clock, free_text: str, *, safety: bool = False
    ) -> None:
        self._clock = clock
        self._free_text = free_text
        self._routine = PlainRoutineView(console, clock)
        self._safety = SafetyOnce(safety)
        self._in_break = False
        self._seated = False  # the break under way is spent in the chair

    def __enter__(self) -> PlainSessionView:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def message(self, text: str, *, listed: bool = True) -> None:
        self._routine.say(text)

    def prompt(self, text: str) -> None:
        if text:
            self._routine.say(text)

    def update(self, events: Sequence[SessionEvent], snapshot: SessionSnapshot) -> None:
        safety = self._safety.show(events)
        for event in events:
            if isinstance(event, RoutineEvent):
                if snapshot.routine is not None and not isinstance(event.event, Finished):
                    self._routine.update([event.event], snapshot.routine)
                continue
            for line in self._describe(event, snapshot):
                self._routine.say(line)
            if isinstance(event, BreakStarted):
                self._in_break = True
                self._seated = event.routine is not None and event.routine.seated
                if safety:
                    self._routine.line(f"          {SAFETY}")
            elif isinstance(event, Recorded) and event.record.kind == "break" and self._in_break:
                self._in_break = False
                self._routine.line(f"          {posture_reset(self._seated)}")

    def _describe(self, event: SessionEvent, snapshot: SessionSnapshot) -> list[str]:
        """The plain lines for one event of the day (none for events shown otherwise)."""
        match event:
            case WorkStarted():
                of = f"/{snapshot.cycles}" if snapshot.cycles else ""
                ends = self._clock.now() + timedelta(seconds=event.planned_s)
                length = format_clock(event.planned_s)
                if snapshot.day_ends_at is not None:  # the last block: no break after it
                    last = day_end_line(snapshot.day_ends_at, snapshot.day_ends)
                    return [f"work block {event.cycle}{of}: {length} ({last[0].lower()}{last[1:]})"]
                return [f"work block {event.cycle}{of}: {length} (break at {ends:%H:%M})"]
            case BreakStarted():
                what = event.routine.title if event.routine else "free movement"
                grown = (
                    " (the routine is longer than the break: the break grows to fit it)"
                    if event.extended
                    else ""
                )
                line = f"break: {format_clock(event.planned_s)}, {what}{grown}"
                return [line, f"  why: {event.reason}"] if event.reason else [line]
            case FreeMovementStarted():
                return [f"free movement {format_clock(event.seconds)}: {self._free_text}"]
            case Recorded():
                record = event.record
                return [f"{record.kind} {record.outcome}: {format_clock(record.active_s)}"]
            case _:
                simple = _simple_line(event)
                return [simple] if simple else []


def _simple_line(event: SessionEvent) -> str:
    """The line for an event that needs nothing but itself; '' for the others. Every event is
    named here: mypy fails on one left out."""
    match event:
        case HeadsUp():
            return f"break in {format_clock(event.seconds_left)}"
        case PhasePaused():
            return "paused"
        case PhaseResumed():
            return f"resumed after {format_clock(event.paused_s)}"
        case NextBreakSkipped():
            return "the next break will be skipped"
        case BreakPostponed():
            return f"break postponed {format_clock(event.seconds)}"
        case Suspended():
            kind = "counted as your break" if event.natural_break else "not counted"
            return f"the computer slept {format_clock(event.seconds)}: {kind}"
        case Waiting():
            return f"waiting: press a key to start the {event.next_phase}"
        case OffHours():
            return off_until(event.resumes_at)
        case WorkHoursBegin():
            return "working hours begin"
        case PausedUntil():
            return f"paused until {event.until:%H:%M}"
        case PauseOver():
            return "the pause is over"
        case LimitReached():
            return f"{format_duration(event.limit_s)} of work today: time to stop; {event.then}"
        case SessionEnded():
            return END_REASONS[event.reason]
        # Described above, by the routine view, or on the message line (presence, refusals).
        case (
            WorkStarted()
            | BreakStarted()
            | FreeMovementStarted()
            | Recorded()
            | RoutineEvent()
            | AwayStarted()
            | WelcomeBack()
            | BreakElsewhere()
            | WaitingForYou()
            | StepAway()
            | Refused()
            | NudgeDue()
            | SkipAsked()
            | SkipKept()
            | Typed()
            | BreakDeferred()
            | BreakHeld()
            | HoldsEnded()
            | HoldStuck()
            | BreakEarly()
            | BreakHushed()
            | BreakUnhushed()
            | BreakYielded()
        ):
            return ""
        case _:
            assert_never(event)
