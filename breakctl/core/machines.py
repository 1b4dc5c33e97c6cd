"""One person, several machines: what a day tells the others through the history folder
(`<host-id>.presence.json`), and the rules for reading what they told. Pure: no files here
(store/presence_files reads and writes them), times are given."""

from __future__ import annotations

from datetime import datetime

import msgspec

FRESH_S = 120.0  # a presence file updated longer ago than this says nothing about now
WRITE_EVERY_S = 30.0  # a day rewrites its presence file at most this often (and on change)
PRESENCE_SUFFIX = ".presence.json"


class MachinePresence(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=False):
    """One machine's `<host-id>.presence.json` (docs/history.md, "Presence files")."""

    host: str
    state: str  # the day's phase there: "work", "break", "wait", "off", "done"
    updated: datetime  # when the file was written
    last_input: datetime | None = None  # None: that machine has no presence source
    break_started: datetime | None = None  # the start of its last break (None: none yet)


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(MachinePresence)


def encode_presence(presence: MachinePresence) -> bytes:
    return _encoder.encode(presence) + b"\n"


def decode_presence(raw: bytes) -> MachinePresence | None:
    """None for a file that is not a presence file (half synced, another program's)."""
    try:
        presence = _decoder.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    aware = presence.updated.tzinfo is not None
    if not aware or (presence.last_input is not None and presence.last_input.tzinfo is None):
        return None
    return presence


def fresh(presence: MachinePresence, wall: datetime) -> bool:
    """Updated within FRESH_S of `wall` (a clock a little ahead on the other side is fine)."""
    return (wall - presence.updated).total_seconds() <= FRESH_S


def idle_elsewhere(others: list[MachinePresence], wall: datetime) -> float | None:
    """Seconds since the person's last input on any other machine whose file is fresh; None
    when none says anything about input now."""
    idles = [
        max(0.0, (wall - other.last_input).total_seconds())
        for other in others
        if other.last_input is not None and fresh(other, wall)
    ]
    return min(idles, default=None)


def worth_writing(
    last: MachinePresence | None, new: MachinePresence, *, every_s: float = WRITE_EVERY_S
) -> bool:
    """Whether `new` goes to disk: something changed, and the last write is `every_s` old
    (the sync tool copies each write to every machine: a file per keystroke would flood it)."""
    if last is None:
        return True
    same = (last.state, last.last_input, last.break_started) == (
        new.state,
        new.last_input,
        new.break_started,
    )
    return not same and (new.updated - last.updated).total_seconds() >= every_s
