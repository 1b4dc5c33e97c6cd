"""Presence across machines: the day's idle source seen through the other machines' presence
files (the smaller idle time wins: typing on the laptop is not being away from the desktop),
this day's own presence file, and breaks taken elsewhere. All through the history folder and
the user's sync tool: no network. core/machines holds the rules, store/presence_files the files."""

from __future__ import annotations

from datetime import datetime, timedelta

from breakctl.core.clock import Clock
from breakctl.core.machines import MachinePresence, fresh, idle_elsewhere, worth_writing
from breakctl.host.session.ports import IdleSource
from breakctl.store.presence_files import PresenceFolder

LOOK_EVERY_S = 5.0  # the folder is looked at this often (a sync tool takes seconds anyway)


def machines_seen(place: PresenceFolder, wall: datetime) -> list[dict[str, object]]:
    """`breakctl presence`'s "machines": the other machines' presence files, newest first."""
    seen = sorted(place.others(), key=lambda other: other.updated, reverse=True)
    return [
        {
            "host": other.host,
            "state": other.state,
            "last_input": other.last_input.isoformat() if other.last_input else None,
            "idle_s": _idle(other.last_input, wall),
            "updated": other.updated.isoformat(),
            "fresh": fresh(other, wall),
        }
        for other in seen
    ]


def _idle(last_input: datetime | None, wall: datetime) -> float | None:
    return None if last_input is None else round(max(0.0, (wall - last_input).total_seconds()), 1)


class AcrossMachines:
    """An IdleSource (wrapping this machine's, or none) and the loop's OtherMachines port.
    `always`: [presence] across_machines = true; False: on once another machine shows up."""

    def __init__(
        self, local: IdleSource | None, place: PresenceFolder, clock: Clock, *, always: bool
    ) -> None:
        self.local, self.place, self.clock, self.always = local, place, clock, always
        self.others: list[MachinePresence] = []
        self.last_input: datetime | None = None  # this machine's own, never the others'
        self.break_started: datetime | None = None
        self.state = "work"
        self.written: MachinePresence | None = None
        self.told: set[tuple[str, str]] = set()  # breaks elsewhere already passed on
        self.look_due = float("-inf")
        self.active = always

    @property
    def name(self) -> str:
        return self.local.name if self.local is not None else "none"

    def idle_s(self) -> float | None:
        if self.local is None:
            return None
        idle = self.local.idle_s()
        if idle is None:
            return None
        wall = self.clock.now()
        self.last_input = wall - timedelta(seconds=idle)
        elsewhere = idle_elsewhere(self.others, wall) if self.active else None
        return idle if elsewhere is None else min(idle, elsewhere)

    def take_failure(self) -> str | None:
        return self.local.take_failure() if self.local is not None else None

    def close(self) -> None:
        if self.written is not None:
            self.place.remove()

    def tick(self, phase: str, now: float, wall: datetime) -> list[tuple[str, datetime]]:
        """Once per loop step: every few seconds, tell the others this day's presence and
        return the breaks (machine, start) taken elsewhere since the last look."""
        if phase == "break" and self.state != "break":
            self.break_started = wall
        self.state = phase
        if now < self.look_due:
            return []
        self.look_due = now + LOOK_EVERY_S
        self.active = self.active or self.place.has_others()
        if not self.active:
            return []
        self._write(wall)
        self.others = self.place.others()
        breaks = [(o.host, o.break_started) for o in self.others if fresh(o, wall)]
        told = [(host, started.isoformat(), started) for host, started in breaks if started]
        told += [(b.host, b.id, b.started) for b in self.place.arrived_breaks()]
        new = [(host, started) for host, key, started in told if (host, key) not in self.told]
        self.told.update((host, key) for host, key, _ in told)
        return new

    def _write(self, wall: datetime) -> None:
        presence = MachinePresence(
            host=self.place.host_id,
            state=self.state,
            updated=wall,
            last_input=self.last_input,
            break_started=self.break_started,
        )
        if not worth_writing(self.written, presence):
            return
        try:
            self.place.write(presence)
        except OSError:
            return  # a full or read-only folder: the day goes on, tried again at the next look
        self.written = presence
