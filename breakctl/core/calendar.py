"""Records as iCalendar (RFC 5545) events: one per work block and break, for a calendar app."""

from __future__ import annotations

from datetime import UTC, datetime

from breakctl.core.records import Record

ICS_HEADER = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//breakctl//history export//EN\r\n"
ICS_FOOTER = b"END:VCALENDAR\r\n"
ICS_KINDS = ("work", "break")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """TEXT escaping of RFC 5545 3.3.11."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def summary(record: Record) -> str:
    if record.kind == "work":
        what = "Work block"
    else:
        what = f"Break: {record.routine}" if record.routine else "Break"
    return f"{what} ({record.outcome})"


def ics_event(record: Record, stamp: datetime) -> bytes:
    """One VEVENT; `stamp` is when the export was made (DTSTAMP)."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{record.id or _utc(record.started) + '-' + record.kind}@breakctl",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(record.started)}",
        f"DTEND:{_utc(max(record.ended, record.started))}",
        f"SUMMARY:{_text(summary(record))}",
        f"CATEGORIES:{record.kind.upper()}",
        "END:VEVENT",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()
