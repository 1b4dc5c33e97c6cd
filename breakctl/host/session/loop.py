"""The loop that drives a day's Session with a real (or fake) clock, keys, a screen and a host,
and appends each record as it comes. However it ends (q, Ctrl-C, a signal, a crash), the block
in progress is recorded; a kill at any instant is recovered by the next command."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from breakctl.core.actions import COMMANDS, Action, Control, action_for_key
from breakctl.core.clock import Clock
from breakctl.core.day import (
    BreakDeferred,
    Recorded,
    Refused,
    Session,
    SessionEvent,
    SessionSnapshot,
)
from breakctl.core.errors import BreakctlError
from breakctl.core.model import Routine
from breakctl.core.presence_retry import PresenceRetry, PresenceState
from breakctl.core.records import Record
from breakctl.host.keys import KeySource
from breakctl.host.routine.loop import PAUSED_REFRESH_S
from breakctl.host.session.effects import (
    BreaksToday,
    effects_of,
    side_effects,
    state_document,
)
from breakctl.host.session.holds_poll import HoldsPoll
from breakctl.host.session.pause_prompt import ask_pause, is_paused, timed_pause
from breakctl.host.session.ports import IdleSource, OtherMachines, SessionHost, SessionView
from breakctl.store.history import History
from breakctl.store.state import HEARTBEAT_S

WORK_POLL_S = 5.0  # presence: idle time read this often while working
BREAK_POLL_S = 1.0  # and this often in a break, where each second of input counts


@dataclass(frozen=True)
class Request:
    """What a key or a control command asks of the phase under way."""

    action: Action | None
    until: datetime | None = None
    routine: str | None = None
    id: str | None = None  # a command waiting for an answer (refused or not)


def _request(session: Session, key: str | None, command: Control | str | None) -> Request:
    if isinstance(command, str):
        command = Control(command)
    if command is not None:
        action = COMMANDS.get(command.command)
        return Request(action, command.until, command.routine, command.id)
    if key is None or session.phase is None:
        return Request(None)
    return Request(action_for_key(key, session.phase.name))


def run_session(
    session: Session,
    *,
    clock: Clock,
    keys: KeySource,
    view: SessionView,
    history: History,
    host: SessionHost,
    breaks_today: int = 0,
    load_routine: Callable[[str], Routine] | None = None,
    presence: IdleSource | None = None,
    machines: OtherMachines | None = None,
    holds: HoldsPoll | None = None,
) -> None:
    """Run work blocks and breaks until the session ends. With `presence`, keyboard/mouse idle
    time is read every few seconds (every second in a break) and handed to the session; with
    `machines`, breaks taken on the person's other machines count here; with `holds`, what
    holds a break (a call, a meeting) is read as it says (#21)."""
    history.ensure_writable()
    loop = SessionLoop(
        session, clock, keys, view, history, host, load_routine, presence, breaks_today
    )
    loop.machines = machines
    loop.holds = holds
    if holds is not None:
        holds.say = view.message
    loop.run()


def stops_waiting(snapshot: SessionSnapshot) -> str | None:
    """What a day waiting for the person does when presence is lost: it cannot see them."""
    if snapshot.waiting_for_you:
        return "the break starts now, without waiting for you"
    if snapshot.phase == "work" and snapshot.away_s is not None:
        return "you were away: the block counts again from now"
    return None


class SessionLoop:
    def __init__(
        self,
        session: Session,
        clock: Clock,
        keys: KeySource,
        view: SessionView,
        history: History,
        host: SessionHost,
        load_routine: Callable[[str], Routine] | None,
        presence: IdleSource | None,
        breaks_today: int = 0,
    ) -> None:
        self.session, self.clock, self.keys, self.view = session, clock, keys, view
        self.history, self.host = history, host
        self.load_routine, self.presence = load_routine, presence
        # When a failed source is read again, and what its failures and return say.
        self.retry = None if presence is None else PresenceRetry(presence.name, clock.monotonic)
        self.today = BreaksToday(clock.now().date(), breaks_today)
        self.poll_due = clock.monotonic()
        self.heartbeat_due = 0.0
        self.machines: OtherMachines | None = None
        self.holds: HoldsPoll | None = None

    def run(self) -> None:
        clock, session = self.clock, self.session
        try:
            self.handle(session.start(clock.monotonic(), clock.now()))
            # One deadline for both waiting and deciding: computing "time since" in one place
            # and "time until" in another can disagree by a rounding error and spin forever.
            self.heartbeat_due = clock.monotonic() + HEARTBEAT_S
            while session.ended is None:
                self.step()
        except BaseException:
            now, wall = clock.monotonic(), clock.now()
            self.save(session.interrupt(now, wall), wall)
            raise

    def step(self) -> None:
        """Wait for the next key, command or deadline, and act on it."""
        clock, session = self.clock, self.session
        now = clock.monotonic()
        wake = session.next_wake(now)
        key = self.keys.wait(self.timeout(now, wake))
        command = self.host.take_control()
        request = _request(session, key, command)
        events = self.holds.read(session, clock.monotonic(), clock.now()) if self.holds else []
        events += self.act(request, key)
        presence = self.presence_state
        events += self.sense(clock.monotonic(), clock.now())
        events += self.elsewhere(clock.monotonic(), clock.now())
        changed = presence != self.presence_state  # status bars learn it at once
        if request.id is not None:
            refused = [e.reason for e in events if isinstance(e, Refused)]
            self.host.reply(request.id, refused[0] if refused else None)
        now = clock.monotonic()
        if events or key or command or changed or wake is None or now >= self.heartbeat_due:
            self.handle(events)
            self.heartbeat_due = clock.monotonic() + HEARTBEAT_S
        else:
            self.view.update(events, session.snapshot(now, clock.now()))
            self.report_hooks()  # a hook that failed says so now, not when the phase ends
        if request.action is Action.PAUSE_FOR and is_paused(session, clock):
            answer = ask_pause(self.keys, self.view)
            if answer:
                self.handle(timed_pause(session, answer, clock))

    def timeout(self, now: float, wake: float | None) -> float:
        # At least once a second: commands from other terminals are read here, and a paused
        # screen counts its pause on (a timed pause's end may be an hour away).
        timeout = PAUSED_REFRESH_S if wake is None else min(PAUSED_REFRESH_S, wake - now)
        timeout = min(timeout, self.heartbeat_due - now)
        if self.presence is not None:
            timeout = min(timeout, self.poll_due - now)
        holds = self.holds.next_due(self.session) if self.holds else None
        return max(0.0, timeout if holds is None else min(timeout, holds - now))

    def act(self, request: Request, key: str | None) -> list[SessionEvent]:
        """A key (even one that means nothing: the person is here) or a command."""
        now, wall = self.clock.monotonic(), self.clock.now()
        pressed = key is not None
        if request.action is None and not pressed:
            return self.session.advance(now, wall)
        try:
            routine = (
                self.load_routine(request.routine)
                if request.routine and self.load_routine
                else None
            )
        except BreakctlError as exc:
            return [Refused(str(exc))]
        return self.session.act(
            request.action,
            now,
            wall,
            until=request.until,
            routine=routine,
            key=pressed,
            typed=key,
        )

    def sense(self, now: float, wall: datetime) -> list[SessionEvent]:
        presence, retry = self.presence, self.retry
        if presence is None or retry is None or now < self.poll_due or not retry.due():
            return []
        phase = self.session.phase
        often = phase is not None and phase.polls_often
        self.poll_due = now + (BREAK_POLL_S if often else WORK_POLL_S)
        idle = presence.idle_s()
        if idle is None:  # the day goes on by the clock alone; the source is tried again later
            why = presence.take_failure() or "no reading"
            notice = retry.failed(why, then=stops_waiting(self.session.snapshot(now, wall)))
            assert retry.next_try is not None
            self.poll_due = max(self.poll_due, retry.next_try)
            if notice is not None:
                self.view.message(notice.text)
            lost = notice is not None and notice.change == "lost"
            return self.session.presence_lost(now, wall) if lost else []
        notice = retry.worked()
        if notice is not None:
            self.view.message(notice.text)
        return self.session.sense(idle, now, wall)

    def elsewhere(self, now: float, wall: datetime) -> list[SessionEvent]:
        """Breaks taken on the person's other machines (their presence files, their records)."""
        if self.machines is None:
            return []
        phase = self.session.phase
        breaks = self.machines.tick(phase.name if phase else "done", now, wall)
        return [e for host, at in breaks for e in self.session.break_elsewhere(host, at, now, wall)]

    def save(self, events: Sequence[SessionEvent], wall: datetime) -> None:
        for event in events:
            if isinstance(event, Recorded):
                self.history.append(event.record)
                self.today.count(event.record, wall)

    def write_state(self, now: float, wall: datetime, pending: Sequence[Record] = ()) -> None:
        session = self.session
        snapshot = session.snapshot(now, wall)
        in_progress = session.record_in_progress(now, wall)
        document = state_document(
            session,
            snapshot,
            in_progress,
            wall,
            self.today.on(wall.date()),
            pending,
            presence=self.presence_state,
        )
        self.host.write_state(document)

    @property
    def presence_state(self) -> PresenceState:
        return "off" if self.retry is None else self.retry.state

    def handle(self, events: list[SessionEvent]) -> None:
        now, wall = self.clock.monotonic(), self.clock.now()
        snapshot = self.session.snapshot(now, wall)
        # A phase change reaches the disk in an order a kill at any instant can recover from:
        # the state file names the new block and the finished ones first, then history gets
        # the finished ones; recovery appends whichever of them history does not hold yet.
        finished = [event.record for event in events if isinstance(event, Recorded)]
        if finished:
            self.write_state(now, wall, finished)
        self.save(events, wall)  # records before the screen: whatever happens to it, they're safe
        for event in events:
            side_effects(event, snapshot, self.host)
        self.write_state(now, wall)
        self.view.update(events, snapshot)
        for event in events:
            if isinstance(event, BreakDeferred):  # a pause in typing is looked for each second
                self.poll_due = min(self.poll_due, now + BREAK_POLL_S)
            effects = effects_of(event)
            if effects.message:
                self.view.message(effects.message, listed=effects.listed)
        self.report_hooks()

    def report_hooks(self) -> None:
        if self.session.ended is not None:
            # The screen is closing: what the hooks say now, on_session_end's report above
            # all, is said after it, however fast the hook was (the caller gets it on close).
            return
        for line in self.host.hook_reports():
            self.view.message(line)
