"""The calendar helper: `python -m breakctl.host.holds.calendar_expand`, run by the calendar
source so that the day never imports the calendar libraries (icalendar and
recurring-ical-events cost the day's process about 6 MiB for as long as it runs).

It reads one calendar's text on standard input, expands its busy occurrences meeting
[--since, --until) and prints them as JSON: a list of [start, end, title], ISO times, those
without a zone (floating, local time) left without one for the caller to place. A text that is
not a calendar, or a series that cannot be expanded: one line on standard error, exit 2.

Recurrences, their exceptions and time zones (VTIMEZONE, X-WR-TIMEZONE) are expanded by
`icalendar` and `recurring-ical-events`. Not busy, so left out: all-day events, cancelled ones
(STATUS:CANCELLED), free ones (TRANSP:TRANSPARENT, or Outlook's X-MICROSOFT-CDO-BUSYSTATUS:FREE)
and those the user declined: an ATTENDEE with PARTSTAT=DECLINED whose address is one of --me.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

MAX_TITLE = 60
WARNING = "warning: "  # a stderr line the caller passes on; the busy times still count


class NotACalendar(Exception):
    """The text cannot be read or expanded: one line naming where it came from."""


def parse(data: bytes, where: str) -> Any:
    """The calendars in `data`; NotACalendar naming `where` when it is not one."""
    import icalendar

    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, IndexError, KeyError, TypeError):
        raise NotACalendar(f"{where}: not an iCalendar file ({_first_problem(data)})") from None
    if not calendars:
        raise NotACalendar(f"{where}: not an iCalendar file (no VCALENDAR)")
    return calendars


def _first_problem(data: bytes) -> str:
    """What is wrong, in the format's words rather than the parser's."""
    lines = data.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip().upper() != "BEGIN:VCALENDAR":
        return "it should begin with the line BEGIN:VCALENDAR"
    for number, line in enumerate(lines, 1):
        if line.strip() and not line.startswith((" ", "\t")) and ":" not in line:
            return f"line {number} is not NAME:VALUE"
    return "its lines could not be read as NAME:VALUE"


def unreadable_events(calendars: Any, where: str) -> list[str]:
    """A line for the events with a value the parser could not read (they hold nothing)."""
    found = []
    for calendar in calendars:
        for event in calendar.walk("VEVENT"):
            for name, _ in event.errors:
                value = "".join(ch for ch in str(event.get(name, "")) if ch.isprintable())[:40]
                found.append(f"event {_title(event)!r}: {name} {value!r} cannot be read")
    if not found:
        return []
    more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
    return [f"{where}: skipped {'; '.join(found[:3])}{more}"]


def _title(event: Any) -> str:
    text = " ".join(str(event.get("SUMMARY", "")).split())
    text = "".join(ch for ch in text if ch.isprintable()) or "busy"
    return text[:MAX_TITLE] + ("…" if len(text) > MAX_TITLE else "")


def _declined(event: Any, me: Sequence[str]) -> bool:
    attendees = event.get("ATTENDEE", [])
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        address = str(attendee).strip().lower().removeprefix("mailto:")
        if address in me and str(attendee.params.get("PARTSTAT", "")).upper() == "DECLINED":
            return True
    return False


def busy_of(event: Any, me: Sequence[str]) -> tuple[datetime, datetime, str] | None:
    """The occurrence as (start, end, title), or None when it does not keep the user busy."""
    start = event.get("DTSTART")
    if start is None or not isinstance(start.dt, datetime):
        return None  # all-day (a date), or no start at all
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return None
    if str(event.get("TRANSP", "")).upper() == "TRANSPARENT":
        return None
    if str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE":
        return None
    if me and _declined(event, me):
        return None
    try:
        end = event.end
    except Exception:  # no DTEND nor DURATION: it ends as it starts
        end = start.dt
    if not isinstance(end, datetime):
        return None
    return start.dt, end, _title(event)


def expand(
    calendars: Any, since: datetime, until: datetime, me: Sequence[str]
) -> list[tuple[datetime, datetime, str]]:
    """The busy occurrences meeting [since, until), in the calendars' order."""
    import recurring_ical_events

    busy = []
    for calendar in calendars:
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
        for event in query.between(since, until):
            found = busy_of(event, me)
            if found is not None:
                busy.append(found)
    return busy


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="calendar_expand", description=__doc__)
    parser.add_argument("--where", required=True, help="the calendar as messages name it")
    parser.add_argument("--since", required=True, type=datetime.fromisoformat)
    parser.add_argument("--until", required=True, type=datetime.fromisoformat)
    parser.add_argument("--me", action="append", default=[], help="the user's address")
    args = parser.parse_args(argv)
    me = [address.lower() for address in args.me]
    try:
        calendars = parse(sys.stdin.buffer.read(), args.where)
        try:
            busy = expand(calendars, args.since, args.until, me)
        except Exception as exc:  # a series the libraries cannot expand
            raise NotACalendar(f"{args.where}: cannot expand its events ({exc})") from None
    except NotACalendar as exc:
        print(str(exc)[:300], file=sys.stderr)
        return 2
    for line in unreadable_events(calendars, args.where):
        print(f"{WARNING}{line}"[:300], file=sys.stderr)  # the caller says it once a text
    rows = [[start.isoformat(), end.isoformat(), title] for start, end, title in busy]
    json.dump(rows, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
