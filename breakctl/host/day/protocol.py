"""What the day says to its screens and what they say back, as JSON lines (msgspec).

The day publishes exactly what a SessionView receives: `update` (events and a snapshot),
`message`, `prompt`, and its end. A screen that attaches first gets `full`: the snapshot and the
recent messages, so its first frame is whole. A screen sends keys. Events are dataclasses of
core/day (msgspec decodes one dataclass type at a time, not a union of them), so each travels
as [its type's name, its fields] and is decoded by the type its name names; the table of names
is built from the SessionEvent union itself, so a new event cannot be left out."""

from __future__ import annotations

import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

from breakctl.core.day import SessionEvent, SessionSnapshot
from breakctl.core.day.events import RoutineEvent
from breakctl.core.routine_run import Event as RoutineStepEvent

PROTOCOL_VERSION = 1
MAX_LINE = 4 << 20  # a line longer than this is not the day talking: the screen gives up


def _types(union: Any) -> dict[str, type]:
    return {kind.__name__: kind for kind in typing.get_args(union)}


EVENT_TYPES: dict[str, type] = _types(SessionEvent)
ROUTINE_EVENT_TYPES: dict[str, type] = _types(RoutineStepEvent)


class Said(msgspec.Struct, frozen=True):
    """A message line as a screen showed it."""

    text: str
    listed: bool = True


# -- the day to its screens ------------------------------------------------------------------


class Full(msgspec.Struct, tag="full", frozen=True):
    """The whole state, for a screen that just attached."""

    version: int
    pid: int
    mode: str  # "foreground" | "background"
    free_text: str  # what free movement says (the preset's)
    bell: bool
    snapshot: SessionSnapshot | None
    messages: list[Said]


class Update(msgspec.Struct, tag="update", frozen=True):
    events: list[tuple[str, msgspec.Raw]]
    snapshot: SessionSnapshot


class Message(msgspec.Struct, tag="message", frozen=True):
    text: str
    listed: bool = True


class Prompt(msgspec.Struct, tag="prompt", frozen=True):
    text: str


class Ended(msgspec.Struct, tag="ended", frozen=True):
    """The day is over and its records are in history: the screen prints the summary."""


DayMessage = Full | Update | Message | Prompt | Ended


# -- a screen to the day ---------------------------------------------------------------------


class Key(msgspec.Struct, tag="key", frozen=True):
    key: str


ScreenMessage = Key


def _enc_hook(value: object) -> object:
    if isinstance(value, Path):  # a user routine's file
        return str(value)
    raise NotImplementedError(f"cannot send {type(value).__name__}")


def _dec_hook(kind: type, value: object) -> object:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError(f"cannot read {kind}")


_encoder = msgspec.json.Encoder(enc_hook=_enc_hook)
_event_decoders: dict[str, msgspec.json.Decoder[Any]] = {
    name: msgspec.json.Decoder(kind, dec_hook=_dec_hook)
    for name, kind in EVENT_TYPES.items()
    if kind is not RoutineEvent
}
_routine_decoders: dict[str, msgspec.json.Decoder[Any]] = {
    name: msgspec.json.Decoder(kind, dec_hook=_dec_hook)
    for name, kind in ROUTINE_EVENT_TYPES.items()
}
_day_decoder = msgspec.json.Decoder(DayMessage, dec_hook=_dec_hook)
_screen_decoder = msgspec.json.Decoder(ScreenMessage)


class ProtocolError(ValueError):
    """A line that is not what the other side should send."""


def _event_frame(event: SessionEvent) -> tuple[str, msgspec.Raw]:
    if isinstance(event, RoutineEvent):  # a union inside: its own [name, fields] pair
        inner = event.event
        body = _encoder.encode([type(inner).__name__, inner])
        return ("RoutineEvent", msgspec.Raw(body))
    return (type(event).__name__, msgspec.Raw(_encoder.encode(event)))


def decode_event(name: str, body: bytes) -> SessionEvent:
    try:
        if name == "RoutineEvent":
            inner_name, inner = msgspec.json.decode(body, type=tuple[str, msgspec.Raw])
            step_event = _routine_decoders[inner_name].decode(inner)
            return RoutineEvent(step_event)
        decoded: SessionEvent = _event_decoders[name].decode(body)
    except KeyError:
        raise ProtocolError(f"unknown event {name!r}") from None
    except msgspec.DecodeError as exc:
        raise ProtocolError(f"event {name}: {exc}") from None
    return decoded


def encode_update(events: Sequence[SessionEvent], snapshot: SessionSnapshot) -> bytes:
    return encode(Update([_event_frame(event) for event in events], snapshot))


def encode(message: DayMessage | ScreenMessage) -> bytes:
    """One line, newline included."""
    return _encoder.encode(message) + b"\n"


def decode_day(line: bytes | bytearray) -> DayMessage:
    try:
        message: DayMessage = _day_decoder.decode(line)
    except msgspec.DecodeError as exc:
        raise ProtocolError(str(exc)) from None
    return message


def update_events(update: Update) -> list[SessionEvent]:
    return [decode_event(name, bytes(body)) for name, body in update.events]


def decode_screen(line: bytes | bytearray) -> ScreenMessage:
    try:
        return _screen_decoder.decode(line)
    except msgspec.DecodeError as exc:
        raise ProtocolError(str(exc)) from None
