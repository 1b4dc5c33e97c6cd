"""Records as iCalendar (RFC 5545) events: one per work block, break and routine run, for a
calendar app. Every text value (ids included) is escaped as TEXT and every line folded at 75
octets, so no field can end a line early and add properties or events of its own."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from breakctl.core.records import Record

ICS_HEADER = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//breakctl//history export//EN\r\n"
ICS_FOOTER = b"END:VCALENDAR\r\n"
ICS_KINDS = ("work", "break", "routine")
LINE_OCTETS = 75  # RFC 5545 3.1: longer lines are folded (CRLF, then one space)

# RFC 5545 3.3.11 allows no control character but tab in TEXT (a line break is written `\n`);
# a lone surrogate cannot be written as UTF-8 at all.
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"})


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, ; and , escaped, each line break (CRLF, LF
    or CR) as `\\n`, and other control characters replaced by U+FFFD."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_TEXT.sub("\ufffd", lines).translate(_TEXT_ESCAPES)


def fold(line: str) -> bytes:
    """One content line as UTF-8 with its CRLF, folded into lines of at most 75 octets, never
    inside a character (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= LINE_OCTETS:
        return data + b"\r\n"
    parts = []
    start, room = 0, LINE_OCTETS
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: break before its character
            end -= 1
        parts.append(data[start:end])
        start, room = end, LINE_OCTETS - 1  # a continuation line starts with its space
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def summary(record: Record) -> str:
    if record.kind == "work":
        what = "Work block"
    elif record.kind == "routine":
        what = f"Routine: {record.routine}" if record.routine else "Routine"
    else:
        what = f"Break: {record.routine}" if record.routine else "Break"
    return f"{what} ({record.outcome})"


def ics_event(record: Record, stamp: datetime) -> bytes:
    """One VEVENT; `stamp` is when the export was made (DTSTAMP)."""
    uid = record.id or f"{_utc(record.started)}-{record.kind}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{text(uid)}@breakctl",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(record.started)}",
        f"DTEND:{_utc(max(record.ended, record.started))}",
        f"SUMMARY:{text(summary(record))}",
        f"CATEGORIES:{record.kind.upper()}",
        "END:VEVENT",
    ]
    return b"".join(map(fold, lines))
