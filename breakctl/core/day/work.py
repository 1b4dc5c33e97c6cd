"""A work block: a countdown in active time, with heads-up, stand-up, postpone and skip."""

from __future__ import annotations

from datetime import datetime, timedelta

from breakctl.core.actions import Action
from breakctl.core.clockface import until_next_tick
from breakctl.core.day.context import DayContext, Quit, WorkDone, new_id, wall_at
from breakctl.core.day.events import (
    AwayStarted,
    BreakDeferred,
    BreakPostponed,
    HeadsUp,
    NextBreakSkipped,
    NudgeDue,
    PhasePaused,
    PhaseResumed,
    Recorded,
    SessionEvent,
)
from breakctl.core.day.phase import NOTHING, Phase, Step
from breakctl.core.day.shape import EDGE_SLACK_S
from breakctl.core.day.snapshot import SessionSnapshot
from breakctl.core.day.work_away import asleep, break_elsewhere, welcome_back
from breakctl.core.day.work_held import (
    calendar_notice,
    due_while_held,
    held_step,
    held_view,
    held_wake,
    holding,
    record_wait,
)
from breakctl.core.nudges import BlockNudges
from breakctl.core.presets import HEADS_UP_S, POSTPONE_S
from breakctl.core.records import Outcome, Record
from breakctl.core.schedule import seconds_between
from breakctl.core.timer import ActiveTimer

TYPING_PAUSE_S = 3.0  # this long without input is a pause in typing (start_on_pause)


def no_break_fits(
    edge: tuple[datetime, str] | None, wall: datetime, remaining: float, break_s: float
) -> bool:
    """Whether no break of `break_s` can follow a block ending in `remaining` seconds: the
    day's edge comes before it could end (a pause can make any block the last). Nothing runs
    past the edge, not even a break, so such a block is the last and runs to the edge."""
    if edge is None:
        return False
    room = seconds_between(wall, edge[0]) - remaining  # from the block's end to the edge
    return room < break_s - EDGE_SLACK_S


class WorkPhase(Phase):
    name = "work"

    def __init__(
        self, context: DayContext, cycle: int, length_s: float, now: float, wall: datetime
    ) -> None:
        super().__init__(context)
        self.cycle = cycle
        self.timer = ActiveTimer(now, length_s)
        self.started = wall
        self.planned_s = length_s
        self.record_id = new_id()  # the same id in the state file and in history
        self.skip_next_break = False
        self.heads_up_sent = False
        self.nudges = BlockNudges(context.settings.block_nudges)
        self.last_input: float | None = None  # monotonic: the last keyboard or mouse input
        self.deferred = False  # start_on_pause: the break is due and waits for a typing pause
        self.suspended_s = 0.0
        self.away_since: float | None = None  # monotonic: the last input before an absence
        self.away_s = 0.0  # short absences so far, left out of the active time
        # Monotonic: since when presence has seen the person's input (None: it cannot now).
        self.seen_from: float | None = now
        # Where the day stops after this block, if it does: (moment, "until" | "off").
        self.day_edge: tuple[datetime, str] | None = None
        # Holds (#21, core/day/work_held): since when the due break waits, and for what.
        self.held_since: float | None = None
        self.held_by: list[str] = []
        self.resumed_at, self.told_release, self.early = now, False, False

    def _typing(self, at: float) -> bool:
        """Whether the person is at the keyboard at `at` (presence on and read, not away);
        the readings, every second from now on, tell when the typing pauses."""
        rules = self.context.presence
        return (
            rules is not None
            and self.last_input is not None
            and self.away_since is None
            and at - self.last_input < rules.away_after_s
        )

    @property
    def polls_often(self) -> bool:
        return self.deferred  # a pause of 3 s is noticed within a second

    def key_pressed(self, now: float) -> None:
        self.last_input = now

    def _heads_up_fits(self) -> bool:
        # A heads-up only makes sense for a block well longer than the heads-up itself.
        return self.planned_s / 2 > HEADS_UP_S

    def _ends_day(self, wall: datetime, remaining: float) -> bool:
        planned = self.context.break_planned(self.cycle)
        return no_break_fits(self.day_edge, wall, remaining, planned)

    def advance(self, now: float, wall: datetime) -> Step:
        timer = self.timer
        if timer.paused:
            return NOTHING
        events: list[SessionEvent] = [
            NudgeDue(say) for say in self.nudges.due(timer.active(now), timer.seconds)
        ]
        if self.held_since is not None:  # due, and held: it waits for the holds to let go
            held, transition = held_step(self, now, wall)
            return events + held, transition
        remaining = timer.remaining(now)
        warn = 0 < remaining <= HEADS_UP_S and self._heads_up_fits() and not holding(self.context)
        if warn and not self.heads_up_sent and not self._ends_day(wall, remaining):
            self.heads_up_sent = True
            events.append(HeadsUp(remaining))
        if remaining > 1e-9:
            return events, None
        end = now + remaining  # the deadline itself, however late we woke
        edge, wall_end = self.day_edge, wall_at(end, now, wall)
        if edge is not None and self._ends_day(wall_end, 0.0):  # no room for the break:
            more = seconds_between(wall_end, edge[0])  # the last block runs on to the edge
            if more > EDGE_SLACK_S:
                timer.seconds += more
                return events, None
        held = due_while_held(self, end)
        if held:
            return events + held, None
        wait = self.context.settings.start_on_pause_s
        if wait and not self.deferred and self._typing(end):
            # Due while typing: wait (up to `wait`) for a pause rather than cut a sentence.
            self.deferred = True
            timer.seconds += wait
            return [*events, BreakDeferred(wait)], None
        timer.stop(end)
        done, transition = self._finish(end, wall_at(end, now, wall))
        return events + done, transition

    def _finish(self, end: float, wall_end: datetime) -> Step:
        record_wait(self, end)
        record = self.record(wall_end, "completed")
        return [Recorded(record)], WorkDone(self.cycle, end, wall_end, self.skip_next_break)

    def act(self, action: Action, now: float, wall: datetime) -> Step:
        timer = self.timer
        if action is Action.TOGGLE_PAUSE:
            action = Action.RESUME if timer.paused else Action.PAUSE
        if action is Action.PAUSE:
            return ([PhasePaused()], None) if timer.pause(now) else NOTHING
        if action is Action.RESUME:
            self.resumed_at = now
            return ([PhaseResumed(timer.resume(now))], None) if timer.paused else NOTHING
        if action is Action.QUIT:
            return self.interrupt(now, wall), Quit()
        if action in (Action.TOGGLE_SKIP, Action.SKIP):  # SKIP: from another terminal
            already = self.skip_next_break
            self.skip_next_break = action is Action.SKIP or not already
            if self.held_since is not None and self.skip_next_break:  # the held break
                timer.stop(now)
                return self._finish(now, wall)
            return NOTHING if already or not self.skip_next_break else ([NextBreakSkipped()], None)
        if action is Action.POSTPONE:
            timer.seconds += POSTPONE_S
            if self.context.settings.postpone_payback:
                self.context.payback_s += POSTPONE_S  # taken off the next block
            self.heads_up_sent = False
            record = self.context.instant_break(self.cycle, wall, "postponed")
            return [BreakPostponed(POSTPONE_S), Recorded(record)], None
        if action is Action.BREAK_NOW:
            self.skip_next_break = False  # asking for a break now outweighs an earlier skip
            timer.stop(now)
            return self._finish(now, wall)
        return NOTHING

    def cut(self, end: float, wall_end: datetime) -> Step:
        """Working hours (or --until) end here: the block is done, with its real active time."""
        self.timer.stop(end)
        return self._finish(end, wall_end)

    def suspended(self, gap: float, now: float, wall: datetime) -> Step:
        return asleep(self, gap, now, wall)

    def sensed(self, idle_s: float, now: float, wall: datetime) -> Step:
        rules = self.context.presence
        if rules is None or self.timer.stopped:
            return NOTHING
        last_input = now - idle_s
        if self.seen_from is None:  # the first reading since the source failed
            self.seen_from = now
        self.last_input = max(last_input, self.last_input or last_input)
        if self.deferred and idle_s >= TYPING_PAUSE_S and not self.timer.paused:
            self.timer.stop(now)  # the pause in typing came: the break begins
            return self._finish(now, wall)
        if self.away_since is None:
            if idle_s < rules.away_after_s or self.timer.paused or holding(self.context):
                return NOTHING  # (a meeting is not an absence)
            # Away: the block stops counting from the moment input stopped, not from now; but
            # what was counted while the source could not see (it had failed) stays counted.
            self.timer.pause(max(last_input, self.seen_from))
            self.away_since = now - self.timer.paused_for(now)
            return [AwayStarted(now - self.away_since)], None
        if last_input <= self.away_since:
            return NOTHING  # still away
        return welcome_back(self, max(last_input, self.away_since), now, wall)

    def presence_lost(self, now: float, wall: datetime) -> Step:
        # Away when the source failed: that absence ends here, as away time, and the block
        # counts on from now (a return could never be seen). A break deferred for a pause in
        # typing that can no longer be seen starts at once.
        self.last_input = None
        self.seen_from = None
        if self.away_since is not None:
            self.away_s += now - self.away_since
            self.away_since = None
            self.timer.resume(now, counted=False)
        if self.deferred and not self.timer.paused and not self.timer.stopped:
            self.timer.stop(now)
            return self._finish(now, wall)
        return NOTHING

    def break_elsewhere(self, host: str, started: datetime, now: float, wall: datetime) -> Step:
        return break_elsewhere(self, host, started, now, wall)

    def record(self, ended: datetime, outcome: Outcome, now: float | None = None) -> Record:
        timer = self.timer
        return self.context.record(
            "work",
            self.record_id,
            self.cycle,
            self.started,
            ended,
            outcome,
            planned_s=self.planned_s,
            active_s=timer.active(now) if now is not None else timer.seconds,
            paused_s=timer.paused_s,
            suspended_s=self.suspended_s,
            away_s=self.away_s,
        )

    def in_progress(self, now: float, wall: datetime) -> Record | None:
        return self.record(wall, "interrupted", now=now)

    def interrupt(self, now: float, wall: datetime) -> list[SessionEvent]:
        if self.away_since is not None:  # cut short while away: that time was not a pause
            self.away_s += now - self.away_since
            self.timer.resume(now, counted=False)
            self.away_since = None
        self.timer.stop(now)
        return [Recorded(self.record(wall, "interrupted"))]

    def holds_read(self, now: float, wall: datetime) -> Step:
        return calendar_notice(self, now, wall), None

    def snapshot(self, now: float, wall: datetime) -> SessionSnapshot:
        timer = self.timer
        remaining = max(0.0, timer.remaining(now))
        choice = self.context.upcoming.get(self.cycle)
        upcoming = choice.routine if choice else None
        last = self.day_edge if self._ends_day(wall, remaining) else None
        snapshot = SessionSnapshot(
            phase="work",
            cycle=self.cycle,
            cycles=self.context.settings.cycles,
            paused=timer.paused and self.away_since is None,
            remaining_s=remaining,
            planned_s=timer.seconds,
            elapsed_s=timer.active(now),
            ends_at=None if timer.paused else wall + timedelta(seconds=remaining),
            next_break_routine=upcoming.name if upcoming else None,
            next_break_title=upcoming.title if upcoming else None,
            skip_next_break=self.skip_next_break,
            heads_up=remaining <= HEADS_UP_S and self._heads_up_fits() and last is None,
            day_ends_at=last[0] if last else None,
            day_ends=last[1] if last else "",
            away_s=None if self.away_since is None else now - self.away_since,
            hushed=holding(self.context),
        )
        return held_view(self, snapshot, now, wall)

    def next_wake(self, now: float) -> float | None:
        deadline = self.timer.deadline()
        if deadline is None:
            return None
        if self.held_since is not None:
            return held_wake(self, now)
        remaining = deadline - now
        candidates = [deadline, now + until_next_tick(remaining)]
        nudge = self.nudges.next_at(self.timer.active(now), self.timer.seconds)
        if nudge is not None:
            candidates.append(now + nudge - self.timer.active(now))
        if not self.heads_up_sent and remaining > HEADS_UP_S and self._heads_up_fits():
            candidates.append(deadline - HEADS_UP_S)
        return max(now, min(candidates))
