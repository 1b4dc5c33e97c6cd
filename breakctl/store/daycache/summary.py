"""What the day cache knows: completed breaks and moved seconds per day, and where in each
history file it got to. Shared by the cache, its counting and its split read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from breakctl.core.corrections import Resolved
from breakctl.core.records import Correction


@dataclass
class FileState:
    offset: int = 0  # bytes read so far, always at a line boundary
    lines: int = 0  # lines in those bytes
    fingerprint: str = ""
    records: int = 0  # valid records (corrections included) in those bytes
    own: int = 0  # records counted from this file: in no file read before it
    # Each stretch of about SPAN_BYTES read (tally.Span): a window read skips those that
    # cannot hold its days, in whatever order the lines were written.
    spans: list[list[int]] = field(default_factory=list)
    last: str = ""  # `started` and kind of the last record read, for `history hosts`


@dataclass
class DaySummary:
    """What the cache knows: completed breaks and moved seconds per day (corrections applied),
    and where in each file it got to."""

    breaks_completed: dict[date, int] = field(default_factory=dict)
    moved_s: dict[date, float] = field(default_factory=dict)
    files: dict[str, FileState] = field(default_factory=dict)
    corrections: list[Correction] = field(default_factory=list)
    resolved: Resolved = field(default_factory=Resolved)
    tail: list[int] = field(default_factory=list)  # id keys not yet in the id file
    filed: int = 0  # keys of the id file this summary vouches for
    # What each record named by a correction added as written (found once, then kept), and
    # the ids named that no file holds yet.
    originals: dict[str, tuple[date, int, float]] = field(default_factory=dict)
    absent: set[str] = field(default_factory=set)
    # Ids of the id list (store/daycache/id_list.py) this summary vouches for (-1: none), and
    # the records read whose id it could not hold.
    listed: int = 0
    odd_ids: int = 0
