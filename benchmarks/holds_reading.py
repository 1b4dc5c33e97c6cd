"""What the calendar, programs, dnd and command hold sources cost the day, read every 15 s.

Usage: python benchmarks/holds_reading.py [--smoke]   (run with the venv's own interpreter)
Prints:
- the import cost of icalendar + recurring-ical-events against `python -c pass` (interleaved
  runs, medians), and the peak RSS of a process reading a calendar (they load in the helper);
- a year of a busy calendar (working-day meetings, weekly series in a VTIMEZONE zone): the
  first reading (the helper process parses and expands) against a steady one (the same
  source read again), and how often the helper ran;
- one steady reading of `programs` (every process in /proc), `dnd` (a real gsettings with
  the keyfile backend) and `command` (`true`), and the share of one core each costs at one
  reading per 15 s. Asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from _timing import smoke_requested, time_commands

from breakctl.core.holds import HoldsSettings
from breakctl.host.holds import calendar, command, dnd, programs

CHECK_EVERY_S = 15.0
NOW = datetime(2026, 6, 15, 9, 10, tzinfo=timezone(timedelta(hours=2)))  # a Monday
ZONE = """BEGIN:VTIMEZONE
TZID:Custom/Berlin
BEGIN:STANDARD
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
"""


def year_calendar(meetings_a_day: int = 4, series: int = 10) -> str:
    """A year of meetings on working days plus weekly series, as a calendar app exports."""
    events = []
    day = datetime(2026, 1, 1)
    while day.year == 2026:
        if day.weekday() < 5:
            for n in range(meetings_a_day):
                start = day + timedelta(hours=9 + 2 * n)
                events.append(
                    f"BEGIN:VEVENT\nUID:m{day:%Y%m%d}-{n}@bench\nDTSTAMP:20260101T000000Z\n"
                    f"DTSTART;TZID=Custom/Berlin:{start:%Y%m%dT%H%M%S}\n"
                    f"DTEND;TZID=Custom/Berlin:{start + timedelta(minutes=45):%Y%m%dT%H%M%S}\n"
                    f"SUMMARY:Meeting {n} on {day:%a %d %b}\nEND:VEVENT\n"
                )
        day += timedelta(days=1)
    for n in range(series):
        events.append(
            f"BEGIN:VEVENT\nUID:s{n}@bench\nDTSTAMP:20260101T000000Z\n"
            f"DTSTART;TZID=Custom/Berlin:202601{5 + n % 5:02d}T1{n % 8}0000\n"
            f"DTEND;TZID=Custom/Berlin:202601{5 + n % 5:02d}T1{n % 8}3000\n"
            f"RRULE:FREQ=WEEKLY\nSUMMARY:Series {n}\nEND:VEVENT\n"
        )
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//bench//EN\n"
        + ZONE
        + "".join(events)
        + ("END:VCALENDAR\n")
    )


def median_ms(read: Callable[[], object], calls: int) -> float:
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        read()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def share(ms: float) -> str:
    return f"{ms:8.3f} ms  ({ms / 1000 / CHECK_EVERY_S * 100:.4f} % of a core at one per 15 s)"


def import_rows(runs: int) -> None:
    codes = {
        "python -c pass": "pass",
        "import icalendar, recurring_ical_events": "import icalendar, recurring_ical_events",
    }
    medians = time_commands({n: [sys.executable, "-c", c] for n, c in codes.items()}, runs)
    floor = medians["python -c pass"]
    print(f"import cost, {runs} interleaved runs each, median")
    for name, seconds in medians.items():
        print(f"  {name:<44}{seconds * 1000:>8.1f} ms  ({seconds / floor:.1f}x)")


HWM = (
    "print(next(line.split()[1] for line in open('/proc/self/status') "
    "if line.startswith('VmHWM')))"
)  # the process's own peak (ru_maxrss would carry the forking parent's over exec)


def peak_rss(ics: Path) -> None:
    code = (
        "from datetime import datetime, timezone, timedelta\n"
        "from breakctl.core.holds import HoldsSettings\nfrom breakctl.host.holds import calendar\n"
        f"s = calendar.source(HoldsSettings(calendar=({str(ics)!r},)))\n"
        "s.holds(datetime(2026, 6, 15, 9, 10, tzinfo=timezone(timedelta(hours=2))))\n" + HWM
    )
    with_calendar = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    bare = subprocess.run([sys.executable, "-c", HWM], capture_output=True, text=True)
    print(
        f"peak RSS: reading the calendar {int(with_calendar.stdout) / 1024:.1f} MiB, "
        f"python -c pass {int(bare.stdout) / 1024:.1f} MiB"
    )


def calendar_rows(ics: Path, calls: int) -> None:
    expanded: list[str] = []
    real_expand = calendar.expand_in_helper

    def counting(*args: Any) -> list[calendar.Busy]:
        expanded.append(args[1])
        return real_expand(*args)

    calendar.expand_in_helper = counting  # type: ignore[assignment]
    source = calendar.source(HoldsSettings(calendar=(str(ics),)))
    start = time.perf_counter()
    found = source.holds(NOW)
    first_ms = (time.perf_counter() - start) * 1000
    steady = median_ms(lambda: (source.holds(NOW), source.upcoming(NOW)), calls)
    calendar.expand_in_helper = real_expand  # type: ignore[assignment]
    holding = "; ".join(hold.label for hold in found) or "nothing"
    print(f"calendar: {ics.stat().st_size / 1024:.0f} KiB, holding now: {holding}")
    print(f"  first reading (helper expands)   {first_ms:8.1f} ms")
    print(f"  steady reading (holds+upcoming)  {share(steady)}")
    print(f"  ratio first / steady             {first_ms / steady:8.0f}x")
    print(f"  the helper ran {len(expanded)} time(s) in {calls + 1} readings")


def other_rows(tmp: Path, calls: int) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "GSETTINGS_BACKEND": "keyfile",
    }
    rows = {
        "programs (all of /proc)": programs.source(HoldsSettings(programs=("obs", "zoom"))),
        "dnd (gsettings, keyfile)": dnd.source(HoldsSettings(), env),
        "command (true)": command.source(HoldsSettings(command="true")),
    }
    processes = sum(1 for name in os.listdir("/proc") if name.isdigit())
    print(f"one steady reading, median of {calls} ({processes} processes running)")
    for name, source in rows.items():
        try:
            source.holds(NOW)
        except Exception as exc:  # a tool missing here: say so, measure the rest
            print(f"  {name:<33}skipped: {exc}")
            continue
        print(f"  {name:<33}{share(median_ms(lambda s=source: s.holds(NOW), calls))}")
        source.close()


def main() -> None:
    smoke = smoke_requested()
    runs, calls = (3, 5) if smoke else (15, 100)
    import_rows(runs)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        ics = tmp / "year.ics"
        ics.write_text(year_calendar(1, 2) if smoke else year_calendar())
        peak_rss(ics)
        calendar_rows(ics, calls)
        other_rows(tmp, calls)


if __name__ == "__main__":
    main()
