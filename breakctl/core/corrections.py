"""Corrections applied to records: pure, no files. The history is never rewritten; a reader
resolves the corrections it met into what to drop and what to add, then applies that to any
stream of records (docs/history.md, "Corrections")."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from breakctl.core.records import Correction, Record


def _order(correction: Correction) -> datetime:
    return correction.made  # a stable sort: ties keep the order they were read in (written)


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

    def last(self) -> Correction | None:
        """The latest correction made (an undo included): what `history undo` takes back."""
        return self.corrections[-1] if self.corrections else None


def resolve(corrections: Iterable[Correction]) -> Resolved:
    """Each record's latest effective edit, add or delete wins; an undo cancels the correction
    it names unless it is itself cancelled. Duplicates (the same id twice) count once."""
    unique = {c.id: c for c in corrections}
    ordered = sorted(unique.values(), key=_order)
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
