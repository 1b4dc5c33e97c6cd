"""Corrections applied to records: pure, no files. The history is never rewritten; a reader
resolves the corrections it met into what to drop and what to add, then applies that to any
stream of records (docs/history.md, "Corrections")."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from breakctl.core.errors import DataError
from breakctl.core.records import OUTCOMES, Correction, Record

# A correction is never written more than this ahead of the clock; a reader orders one made
# further ahead than this (a machine whose clock was wrong) before every other.
FUTURE_SLACK = timedelta(minutes=1)


def _order(now: datetime | None) -> Callable[[Correction], tuple[bool, datetime]]:
    """Oldest first by `made`; those made ahead of `now` first of all, so that one machine
    with a wrong clock cannot freeze a record: any correction made since, anywhere, beats
    it. A stable sort: ties keep the order they were read in (written)."""
    limit = None if now is None else now + FUTURE_SLACK

    def key(correction: Correction) -> tuple[bool, datetime]:
        return limit is None or correction.made <= limit, correction.made

    return key


@dataclass(frozen=True)
class Resolved:
    """What a set of corrections does to the history."""

    drop: frozenset[str] = frozenset()  # ids whose record as written no longer counts
    extras: tuple[Record, ...] = ()  # edited and added records, in `started` order
    cancelled: frozenset[str] = frozenset()  # corrections taken back by an effective undo
    corrections: tuple[Correction, ...] = ()  # all of them, oldest first
    by_target: dict[str, Correction] = field(default_factory=dict)  # winning one per record

    @property
    def empty(self) -> bool:
        return not self.drop

    def effective(self, correction: Correction) -> bool:
        return correction.id not in self.cancelled

    def last(self, target: str | None = None) -> Correction | None:
        """The latest edit, add or delete still in effect (of the record `target`, if given):
        what `history undo` takes back, so undo after undo walks further back."""
        for correction in reversed(self.corrections):
            if (
                correction.action != "undo"
                and self.effective(correction)
                and (target is None or correction.target == target)
            ):
                return correction
        return None

    def deleted(self, ident: str) -> Correction | None:
        """The delete in effect for record `ident`, if the record does not count."""
        winner = self.by_target.get(ident)
        return winner if winner is not None and winner.action == "delete" else None


def resolve(corrections: Iterable[Correction], now: datetime | None = None) -> Resolved:
    """Each record's latest effective edit, add or delete wins; an undo cancels the correction
    it names unless it is itself cancelled. Duplicates (the same id twice) count once. Given
    `now`, corrections made ahead of it are taken as the oldest (see _order)."""
    unique = {c.id: c for c in corrections}
    ordered = sorted(unique.values(), key=_order(now))
    # An undo is made after what it takes back, so newest first settles each undo before the
    # correction it targets is looked at.
    undos: dict[str, list[str]] = {}
    for c in ordered:
        if c.action == "undo":
            undos.setdefault(c.target, []).append(c.id)
    cancelled: set[str] = set()
    for c in reversed(ordered):
        if any(u not in cancelled for u in undos.get(c.id, ())):
            cancelled.add(c.id)
    winners: dict[str, Correction] = {}
    for c in ordered:
        if c.action != "undo" and c.id not in cancelled:
            winners[c.target] = c  # later ones replace earlier ones
    extras = sorted(
        (c.record for c in winners.values() if c.record is not None), key=lambda r: r.started
    )
    return Resolved(
        drop=frozenset(winners),
        extras=tuple(extras),
        cancelled=frozenset(cancelled),
        corrections=tuple(ordered),
        by_target=winners,
    )


def apply(records: Iterable[Record], resolved: Resolved) -> Iterator[Record]:
    """The corrected stream of a stream in `started` order: records dropped or replaced are
    left out and the edited and added ones merged in at their place, in constant memory."""
    if resolved.empty:
        yield from records
        return
    drop = resolved.drop
    kept = (r for r in records if r.id not in drop)
    yield from heapq.merge(kept, resolved.extras, key=lambda r: r.started)


def apply_window(records: Iterable[Record], resolved: Resolved) -> list[Record]:
    """A bounded list of records (any order) corrected, sorted by `started`."""
    drop = resolved.drop
    out = [r for r in records if r.id not in drop]
    out.extend(resolved.extras)
    out.sort(key=lambda r: r.started)
    return out


def dangling(resolved: Resolved, present: Callable[[str], bool]) -> list[Correction]:
    """Corrections that refer to nothing: an edit or delete of a record that is not there,
    an undo of a correction that is not there."""
    added = {c.target for c in resolved.corrections if c.action == "add"}
    ids = {c.id for c in resolved.corrections}
    out = []
    for c in resolved.corrections:
        if c.action == "undo":
            if c.target not in ids:
                out.append(c)
        elif c.action != "add" and not present(c.target) and c.target not in added:
            out.append(c)
    return out


def outcomes_of(kind: str) -> tuple[str, ...]:
    """The outcomes a record of `kind` can have (docs/history.md, "Fields")."""
    if kind == "work":
        return ("completed", "interrupted", "recovered")
    if kind == "routine":
        return ("completed", "quit", "recovered")
    return tuple(o for o in OUTCOMES if o != "quit")


def check_written(record: Record, now: datetime) -> None:
    """Refuse a record `history edit` or `add` would make that no real day could have
    written: an outcome its kind cannot have, an end in the future, a completed break of no
    time (one of free movement taken away from the desk, `natural`, is the exception)."""
    allowed = outcomes_of(record.kind)
    if record.outcome not in allowed:
        raise DataError(
            f"--outcome: a {record.kind} record is one of {', '.join(allowed)}, "
            f"not {record.outcome!r}"
        )
    if record.ended > now + FUTURE_SLACK:
        raise DataError(
            f"the record would end in the future ({record.ended:%Y-%m-%d %H:%M}; "
            f"it is {now:%Y-%m-%d %H:%M})"
        )
    if record.completed_break and not record.natural and record.active_s <= 0:
        raise DataError(
            "a completed break needs time taken: give it a span with "
            "--started/--ended (this one lasted 0 s)"
        )
