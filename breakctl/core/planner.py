"""Chooses each break's routine: the named one, the next in a rotation, or the candidate that
works the body areas you have neglected longest, within the break's length and positions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from breakctl.core.day import BreakChoice
from breakctl.core.durations import format_duration
from breakctl.core.model import Exercise, Routine
from breakctl.core.records import Record
from breakctl.core.settings import StartSettings

NEVER = 8  # "days since worked" for an area not worked in the whole look-back


def areas_last_worked(
    records: Iterable[Record], library: Mapping[str, Exercise]
) -> dict[str, date]:
    """The last day each body area got some movement, from the steps of breaks taken and
    routines (a break skipped through worked nothing)."""
    last: dict[str, date] = {}
    for record in records:
        if not record.counts_as_movement:
            continue
        for step in record.steps or ():
            exercise = library.get(step.exercise)
            if exercise is None or step.active_s <= 0:
                continue
            for area in exercise.targets:
                if area not in last or last[area] < record.day:
                    last[area] = record.day
    return last


@dataclass
class BreakPlanner:
    settings: StartSettings
    load: Callable[[str], Routine]
    today: date
    last_worked: dict[str, date] = field(default_factory=dict)
    _previous: str | None = None

    def neglect(self, area: str) -> int:
        worked = self.last_worked.get(area)
        return NEVER if worked is None else min(NEVER - 1, (self.today - worked).days)

    def __call__(self, cycle: int, length_s: float, long: bool) -> BreakChoice:
        settings = self.settings
        if settings.routine:
            return self._chosen(self.load(settings.routine), "the routine you asked for")
        if settings.rotate:
            name = settings.rotate[(cycle - 1) % len(settings.rotate)]
            return self._chosen(
                self.load(name), f"next in your rotation ({', '.join(settings.rotate)})"
            )
        names = self._candidates(length_s, long)
        routines = [self.load(n) for n in names]
        candidates = [r for r in routines if self._fits(r, length_s)]
        if not candidates:
            why = ""
            if routines:
                where = " seated" if settings.seated else ""
                why = (
                    f"no{where} routine fits in {format_duration(length_s)}: moving freely instead"
                )
            return BreakChoice(None, why)
        best = max(candidates, key=lambda r: (self._score(r), r.planned_s, r.name))
        return self._chosen(best, self._reason(best))

    def _candidates(self, length_s: float, long: bool) -> tuple[str, ...]:
        """The preset's routines for this break: a long break with room for the preset's walk
        offers its walk routines; --seated adds the seated stand-ins the preset keeps for it
        (a standing preset does not offer them otherwise)."""
        preset = self.settings.preset
        if self.settings.seated:
            return (*(preset.long_routines if long else preset.routines), *preset.seated)
        if long and preset.walk_routines and length_s >= preset.walk_break_s:
            return preset.walk_routines
        return preset.long_routines if long else preset.routines

    def _fits(self, routine: Routine, length_s: float) -> bool:
        if routine.planned_s > length_s:
            return False
        return routine.seated or not self.settings.seated

    def _score(self, routine: Routine) -> float:
        score = float(sum(self.neglect(area) for area in routine.targets))
        if routine.name == self._previous:
            score -= 100  # never the same routine twice in a row when there is a choice
        return score

    def _reason(self, routine: Routine) -> str:
        ranked = sorted(routine.targets, key=lambda a: -self.neglect(a))
        top = self.neglect(ranked[0]) if ranked else 0
        if top == 0:
            return "everything got some movement today; changing it up"
        areas = [a for a in ranked if self.neglect(a) == top][:2]
        named = " and ".join(a.replace("-", " ") for a in areas)
        if top == NEVER:
            return f"{named}: not worked in the last week"
        return f"{named}: not worked for {top} day{'s' if top != 1 else ''}"

    def _chosen(self, routine: Routine, reason: str) -> BreakChoice:
        self._previous = routine.name
        for area in routine.targets:  # assume it gets done, so the next break looks elsewhere
            self.last_worked[area] = self.today
        return BreakChoice(routine, reason)
