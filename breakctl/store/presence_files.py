"""The presence files in the history folder: this machine's `<host-id>.presence.json`, written
whole and private, and the other machines' ones and their break records, read as they arrive
through the user's sync tool. History readers take only `*.jsonl`: these files are not history."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from breakctl.core.machines import (
    PRESENCE_SUFFIX,
    MachinePresence,
    decode_presence,
    encode_presence,
)
from breakctl.core.record_codec import decode_line
from breakctl.core.records import Record
from breakctl.store.history_dir import machine_of, valid_host_id
from breakctl.store.paths import replace_file

MAX_PRESENCE_BYTES = 4096  # a real one is ~200 bytes: anything bigger is not one
MAX_TAIL_BYTES = 1 << 20  # new history read per file and look; the rest on the next look


@dataclass(frozen=True)
class ArrivedBreak:
    """A break another machine recorded: its start counts there and here, once."""

    host: str
    id: str
    started: datetime


def presence_host(name: str) -> str | None:
    """The machine a presence file belongs to; None for other files and sync tools' copies."""
    if not name.endswith(PRESENCE_SUFFIX) or name.startswith("."):
        return None
    host = name.removesuffix(PRESENCE_SUFFIX)
    return host if valid_host_id(host) and ".sync-conflict-" not in host else None


@dataclass
class PresenceFolder:
    """The history folder as the machines' meeting place, seen from machine `host_id`."""

    folder: Path
    host_id: str
    # Other machines' history files: how far they have been read (a new one from its end).
    offsets: dict[str, int] = field(default_factory=dict)
    started: bool = False

    @property
    def own_file(self) -> Path:
        return self.folder / f"{self.host_id}{PRESENCE_SUFFIX}"

    def write(self, presence: MachinePresence) -> None:
        replace_file(self.own_file, encode_presence(presence))

    def remove(self) -> None:
        """The day ends: it no longer tells the others anything."""
        with contextlib.suppress(OSError):
            os.unlink(self.own_file)

    def others(self) -> list[MachinePresence]:
        """The other machines' presence files that can be read (stale ones too)."""
        found = []
        for entry in self._entries():
            host = presence_host(entry.name)
            if host is None or host == self.host_id:
                continue
            presence = _read_presence(Path(entry.path))
            if presence is not None and presence.host == host:
                found.append(presence)
        return found

    def has_others(self) -> bool:
        """Whether another machine keeps its history or presence here."""
        for entry in self._entries():
            host = presence_host(entry.name)
            if host is None and entry.name.endswith(".jsonl") and entry.name != "history.jsonl":
                host = machine_of(entry.name)[0]
            if host is not None and host != self.host_id:
                return True
        return False

    def arrived_breaks(self) -> list[ArrivedBreak]:
        """Breaks other machines recorded since the last look: what their history files grew
        by. The first look only notes where each file ends: older breaks are old news."""
        found: list[ArrivedBreak] = []
        for entry in self._entries():
            if not entry.name.endswith(".jsonl") or entry.name.startswith("."):
                continue
            host = machine_of(entry.name)[0]
            if host == self.host_id or entry.name == "history.jsonl":
                continue
            found += self._grown(host, Path(entry.path))
        self.started = True
        return found

    def _grown(self, host: str, path: Path) -> list[ArrivedBreak]:
        try:
            size = path.stat().st_size
        except OSError:
            return []
        known = self.offsets.get(path.name)
        if known is None:
            # A file seen for the first time after the first look arrived whole: read it all.
            known = size if not self.started else 0
        if size < known:
            known = 0  # replaced by the sync tool: read again, ids keep it from counting twice
        self.offsets[path.name] = size
        if size == known:
            return []
        try:
            with open(path, "rb") as handle:
                handle.seek(max(known, size - MAX_TAIL_BYTES))
                data = handle.read(size - known)
        except OSError:
            return []
        ended = data.rfind(b"\n") + 1
        self.offsets[path.name] = size - len(data) + ended  # a half line waits for its end
        lines = [line for line in data[:ended].splitlines() if b'"break"' in line]
        return [found for found in map(lambda line: _break_of(host, line), lines) if found]

    def _entries(self) -> list[os.DirEntry[str]]:
        try:
            return list(os.scandir(self.folder))
        except OSError:
            return []


def _break_of(host: str, line: bytes) -> ArrivedBreak | None:
    """A break taken (not skipped, not postponed) in one line of history, else None."""
    record = decode_line(line, 0)
    if isinstance(record, Record) and record.kind == "break" and record.outcome == "completed":
        return ArrivedBreak(host, record.id, record.started)
    return None


def _read_presence(path: Path) -> MachinePresence | None:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_PRESENCE_BYTES + 1)
    except OSError:
        return None
    return None if len(raw) > MAX_PRESENCE_BYTES else decode_presence(raw)
