"""The `calendar` hold source: a real .ics file and a real local HTTP server, read at fixed
moments (injected), with a weekly event in a VTIMEZONE zone across a DST change, an all-day,
a cancelled, a transparent and a declined event."""

from __future__ import annotations

import http.server
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from breakctl.core.holds import Hold, HoldsSettings, Upcoming
from breakctl.host.holds import calendar, calendar_feed
from breakctl.host.holds.base import HoldError
from tests.presence_helpers import poll

WEEK = Path(__file__).parent / "data" / "holds" / "week.ics"
CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))
ME = ("me@example.org",)


def at(day: int, hour: int, minute: int, zone: timezone = CET, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=zone)


def from_file(path: Path = WEEK, me: tuple[str, ...] = ME) -> calendar.CalendarSource:
    source = calendar.source(HoldsSettings(calendar=(str(path),), calendar_me=me))
    assert isinstance(source, calendar.CalendarSource)
    return source


def labels(source: calendar.CalendarSource, now: datetime) -> list[str]:
    return [hold.label for hold in source.holds(now)]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2, 14, 10), ["calendar: Team sync until 14:30"]),  # weekly, Monday, in its zone
        (at(2, 13, 59), []),
        (at(2, 14, 30), []),  # ends at 14:30: free from then
        (at(23, 14, 0), ["calendar: Team sync until 14:30"]),  # still CET
        (at(30, 14, 10, CEST), ["calendar: Team sync until 14:30"]),  # after the DST change
        (at(30, 13, 10), ["calendar: Team sync until 13:30"]),  # 14:10 CEST is 13:10 CET
        (at(30, 14, 10), []),  # where a zone ignoring DST would put it
        (at(30, 12, 10, UTC), ["calendar: Team sync until 12:30"]),
        (at(30, 13, 10, UTC), []),
        (at(9, 14, 10), []),  # this one occurrence cancelled
        (at(16, 14, 10), ["calendar: Team sync until 14:30"]),  # and the series goes on
        (at(3, 14, 10), []),  # a Tuesday
        (at(2, 12, 30), []),  # the all-day conference does not hold
        (at(2, 10, 30), []),  # cancelled
        (at(2, 11, 30), []),  # transparent ("free")
        (at(2, 15, 30), []),  # declined by me (address compared without case)
        (at(2, 16, 10), ["calendar: One-on-one until 16:30"]),  # declined by someone else
    ],
)
def test_busy_events_hold_from_a_file(now: datetime, expected: list[str]) -> None:
    assert labels(from_file(), now) == expected


def test_the_until_is_shown_in_the_time_of_now() -> None:
    (hold,) = from_file().holds(at(2, 13, 10, UTC))
    assert hold == Hold("calendar", "Team sync", until=at(2, 14, 30))
    assert hold.label == "calendar: Team sync until 13:30"


def test_without_my_address_a_declined_event_still_holds() -> None:
    assert labels(from_file(me=()), at(2, 15, 30)) == ["calendar: Board meeting until 16:00"]


def test_upcoming_is_the_next_busy_event() -> None:
    source = from_file()
    assert source.upcoming(at(2, 13, 55)) == Upcoming("Team sync", at(2, 14, 0), at(2, 14, 30))
    assert source.upcoming(at(2, 14, 40)) == Upcoming(
        "One-on-one", at(2, 16, 0), at(2, 16, 30)
    )  # not the declined board meeting
    assert source.upcoming(at(3, 9, 0)) is None  # nothing within a day


def test_the_file_is_expanded_once_per_change_and_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "cal.ics"
    copy.write_bytes(WEEK.read_bytes())
    runs: list[str] = []
    real_expand = calendar.expand_in_helper

    def counted(*args: Any) -> list[calendar.Busy]:
        runs.append(args[1])
        return real_expand(*args)

    monkeypatch.setattr(calendar, "expand_in_helper", counted)
    source = from_file(copy)
    for minute in range(0, 30, 2):  # a reading every 2 minutes, and upcoming() too
        assert source.holds(at(2, 14, minute))
        source.upcoming(at(2, 14, minute))
    assert len(runs) == 1
    text = WEEK.read_text().replace("SUMMARY:Team sync", "SUMMARY:Team weekly")
    copy.write_text(text)
    os.utime(copy, ns=(1, 1))  # a new modification time, whatever the file system's grain
    assert labels(source, at(2, 14, 20)) == ["calendar: Team weekly until 14:30"]
    assert len(runs) == 2
    assert source.holds(at(3, 14, 0)) == []  # a day on, within the window: still a lookup
    assert len(runs) == 2
    assert source.holds(at(3, 14, 21)) == []  # the window nears its end: expanded anew
    assert len(runs) == 3
    assert source.holds(at(9, 14, 40)) == []  # a week later: expanded anew
    assert len(runs) == 4
    copy.write_text("not a calendar")
    for minute in range(3):  # a broken text is not expanded again at each reading either
        with pytest.raises(HoldError, match="not an iCalendar file"):
            source.holds(at(9, 14, minute))
    assert len(runs) == 5


EVERY_MINUTE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//breakctl tests//EN
BEGIN:VEVENT
UID:every-minute@example.org
DTSTAMP:20260301T000000Z
DTSTART:20260301T000000Z
DURATION:PT30S
RRULE:FREQ=MINUTELY
SUMMARY:Tick
END:VEVENT
END:VCALENDAR
"""


def test_a_huge_or_slow_calendar_is_cut_and_the_last_busy_times_stand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "cal.ics"
    copy.write_bytes(WEEK.read_bytes())
    source = from_file(copy)
    assert labels(source, at(2, 14, 10)) == ["calendar: Team sync until 14:30"]
    monkeypatch.setattr(calendar, "EXPAND_MAX_BYTES", 64 * 1024)
    copy.write_text(EVERY_MINUTE)  # three days of an event a minute: ~300 KiB of busy times
    os.utime(copy, ns=(1, 1))
    assert labels(source, at(2, 14, 11)) == ["calendar: Team sync until 14:30"]
    warning = source.take_warning()
    assert warning is not None and "printed over 64 KiB and was stopped" in warning
    assert "the last busy times stand" in warning
    assert labels(source, at(2, 14, 12)) == ["calendar: Team sync until 14:30"]
    assert source.take_warning() is None  # said once, and not run again meanwhile
    monkeypatch.setattr(calendar, "EXPAND_TIMEOUT_S", 0.01)  # no Python starts that fast
    os.utime(copy, ns=(2, 2))
    assert labels(source, at(2, 14, 13)) == ["calendar: Team sync until 14:30"]
    warning = source.take_warning()
    assert warning is not None and "took over 0.01s and was stopped" in warning
    monkeypatch.setattr(calendar, "EXPAND_TIMEOUT_S", 60.0)
    monkeypatch.setattr(calendar, "EXPAND_MAX_BYTES", 1 << 20)
    assert labels(source, at(2, 14, 14)) == ["calendar: Team sync until 14:30"]  # not yet
    assert labels(source, at(2, 14, 29)) == ["calendar: Tick until 14:29"]  # tried again
    monkeypatch.setattr(calendar, "EXPAND_TIMEOUT_S", 0.01)
    with pytest.raises(HoldError, match=r"took over 0\.01s"):  # nothing to fall back on
        from_file(copy).holds(at(2, 14, 10))


def test_the_calendar_libraries_never_load_in_the_reading_process() -> None:
    """What the day runs (the source, its readings) leaves icalendar to the helper."""
    script = (
        "import sys\n"
        "from datetime import datetime, timedelta, timezone\n"
        "from breakctl.core.holds import HoldsSettings\n"
        "from breakctl.host.holds import calendar\n"
        f"source = calendar.source(HoldsSettings(calendar=({str(WEEK)!r},)))\n"
        "now = datetime(2026, 3, 2, 14, 10, tzinfo=timezone(timedelta(hours=1)))\n"
        "print([h.label for h in source.holds(now)])\n"
        "print(sorted(m for m in sys.modules if 'ical' in m))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.splitlines() == ["['calendar: Team sync until 14:30']", "[]"]


def test_a_file_that_is_not_a_calendar_or_missing_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_text("garbage not ics\n")
    with pytest.raises(HoldError) as plain:
        from_file(bad).holds(at(2, 14, 0))
    # the format's words, whole, not the parser's cut mid-quote
    assert str(plain.value) == (
        f"{bad}: not an iCalendar file (it should begin with the line BEGIN:VCALENDAR)"
    )
    bad.write_text("BEGIN:VCALENDAR\nVERSION:2.0\ngarbage not ics\nEND:VCALENDAR\n")
    with pytest.raises(HoldError, match=r"not an iCalendar file \(line 3 is not NAME:VALUE\)$"):
        from_file(bad).holds(at(2, 14, 0))
    bad.write_bytes(b"\x1b[2J\xff\xfe not: a calendar\r\n")
    with pytest.raises(HoldError) as caught:
        from_file(bad).holds(at(2, 14, 0))
    assert str(caught.value).startswith(f"{bad}: not an iCalendar file (")
    assert str(caught.value).isprintable()
    with pytest.raises(HoldError, match=r"missing.ics: cannot read: No such file"):
        from_file(tmp_path / "missing.ics").holds(at(2, 14, 0))


def test_one_calendar_that_cannot_be_read_does_not_hide_another(tmp_path: Path) -> None:
    settings = HoldsSettings(calendar=(str(tmp_path / "gone.ics"), str(WEEK)))
    source = calendar.source(settings)
    assert [h.reason for h in source.holds(at(2, 14, 10))] == ["Team sync"]
    warning = source.take_warning()
    assert warning is not None and "gone.ics: cannot read" in warning
    source.holds(at(2, 14, 11))
    assert source.take_warning() is None  # said once


def test_no_calendar_set() -> None:
    with pytest.raises(HoldError, match=r"no \[holds\] calendar set"):
        calendar.source(HoldsSettings()).holds(at(2, 14, 0))


# --- from a local HTTP server -----------------------------------------------------------


class Server:
    """A real HTTP server in a thread serving `body`, or failing with `status`."""

    def __init__(self) -> None:
        self.body = WEEK.read_bytes()
        self.status = 200
        self.requests = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests += 1
                self.send_response(outer.status)
                self.send_header("Content-Type", "text/calendar")
                self.end_headers()
                if outer.status == 200:
                    self.wfile.write(outer.body)

            def log_message(self, *args: object) -> None:
                pass

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/private-token/me.ics"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.thread.join(30)


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    try:
        yield running
    finally:
        running.close()


class WallClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def from_url(url: str, cache: Path, clock: WallClock) -> calendar.CalendarSource:
    """A URL calendar whose fetches run as the reading that starts them (the day's run in a
    thread: see the last tests)."""
    feed = calendar_feed.UrlFeed(url, cache, clock=clock, background=lambda work: work())
    return calendar.CalendarSource([feed], ME, CET)


def test_from_a_url_fetched_at_most_every_15_minutes(server: Server, tmp_path: Path) -> None:
    clock = WallClock()
    source = from_url(server.url, tmp_path / "cache", clock)
    assert labels(source, at(2, 14, 10)) == ["calendar: Team sync until 14:30"]
    assert labels(source, at(2, 15, 30)) == []  # declined, as from the file
    assert source.upcoming(at(2, 13, 55)) == Upcoming("Team sync", at(2, 14, 0), at(2, 14, 30))
    clock.now += 14 * 60
    source.holds(at(2, 14, 10))
    assert server.requests == 1
    clock.now += 2 * 60
    server.body = server.body.replace(b"SUMMARY:Team sync", b"SUMMARY:Team weekly")
    assert labels(source, at(2, 14, 10)) == ["calendar: Team weekly until 14:30"]
    assert server.requests == 2
    (copy,) = (tmp_path / "cache").iterdir()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert b"Team weekly" in copy.read_bytes()


def test_a_failed_fetch_keeps_the_last_copy_and_says_so_once(
    server: Server, tmp_path: Path
) -> None:
    clock = WallClock()
    source = from_url(server.url, tmp_path / "cache", clock)
    assert source.holds(at(2, 14, 10))
    assert source.take_warning() is None
    server.status = 500
    for _ in range(3):  # three fetches, every one failing
        clock.now += 16 * 60
        assert labels(source, at(2, 14, 10)) == ["calendar: Team sync until 14:30"]
    assert server.requests == 4
    warning = source.take_warning()
    assert warning is not None
    assert warning.startswith(f"http://{urlsplit(server.url).netloc}/…: HTTP 500")  # the port too
    assert "using the copy from" in warning
    assert "private-token" not in warning  # a calendar link's secret stays out of messages
    assert source.take_warning() is None
    server.status = 200
    clock.now += 16 * 60
    assert source.holds(at(2, 14, 10)) and source.take_warning() is None


def test_a_new_process_reads_the_cached_copy_while_the_server_is_down(
    server: Server, tmp_path: Path
) -> None:
    clock = WallClock()
    clock.now = datetime.now().timestamp()
    assert from_url(server.url, tmp_path / "cache", clock).holds(at(2, 14, 10))
    server.close()
    again = from_url(server.url, tmp_path / "cache", clock)  # within 15 min: no fetch
    assert labels(again, at(2, 14, 10)) == ["calendar: Team sync until 14:30"]
    clock.now += 16 * 60
    assert labels(again, at(2, 14, 10)) == ["calendar: Team sync until 14:30"]
    warning = again.take_warning()
    assert warning is not None and "cannot fetch" in warning
    assert server.requests == 1


def test_a_url_that_is_not_a_calendar_is_named_by_its_host(server: Server, tmp_path: Path) -> None:
    server.body = b"<html>login first</html>"
    source = from_url(server.url, tmp_path / "cache", WallClock())
    with pytest.raises(HoldError) as caught:
        source.holds(at(2, 14, 10))
    assert str(caught.value).startswith(f"http://{urlsplit(server.url).netloc}/…: not an iCalendar")
    assert "private-token" not in str(caught.value)


def test_no_copy_and_no_server_cannot_tell(server: Server, tmp_path: Path) -> None:
    server.status = 404
    source = from_url(server.url, tmp_path / "cache", WallClock())
    with pytest.raises(HoldError, match=rf"http://{urlsplit(server.url).netloc}/…: HTTP 404"):
        source.holds(at(2, 14, 10))


def test_a_refused_fetch_names_the_port_and_says_why_plainly() -> None:
    import socket

    closed = socket.socket()  # a port nothing listens on: bound, never listening, then shut
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    with pytest.raises(HoldError) as caught:
        calendar_feed.fetch(f"http://127.0.0.1:{port}/cal.ics?token=secret", timeout_s=5)
    said = str(caught.value)
    assert said == f"http://127.0.0.1:{port}/…: cannot fetch: connection refused"


def test_a_fetch_is_bounded_in_bytes_and_time(server: Server, tmp_path: Path) -> None:
    with pytest.raises(HoldError, match=r"over 0 MiB: not a calendar"):
        calendar_feed.fetch(server.url, max_bytes=1000)
    import socket

    silent = socket.socket()  # accepts connections (the backlog) and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/cal.ics"
        with pytest.raises(HoldError, match=r"cannot fetch: timed out"):
            calendar_feed.fetch(url, timeout_s=0.5)
    finally:
        silent.close()


def test_the_cache_lives_in_the_cache_folder(tmp_path: Path) -> None:
    url = "https://example.org/me.ics"
    source = calendar.source(
        HoldsSettings(calendar=(url,)), {"BREAKCTL_HOME": str(tmp_path / "home")}
    )
    assert isinstance(source, calendar.CalendarSource)
    (feed,) = source._feeds
    assert isinstance(feed, calendar_feed.UrlFeed)
    assert feed.cache.parent == tmp_path / "home" / "cache" / "holds"
    xdg = calendar.source(HoldsSettings(calendar=(url,)), {"HOME": "/h", "XDG_CACHE_HOME": "/c"})
    assert xdg._feeds[0].cache.parent == Path("/c/breakctl/holds")  # type: ignore[attr-defined]


def test_a_slow_server_never_holds_a_reading_up(tmp_path: Path) -> None:
    """Once there is a copy, a fetch runs beside the readings: here one that cannot finish
    until the test lets it; the readings meanwhile answer from the copy they have."""
    release = threading.Event()
    fetches: list[str] = []

    def fetcher(url: str) -> bytes:
        fetches.append(url)
        if len(fetches) > 1:
            assert release.wait(60), "the test never released the fetch"
            return WEEK.read_bytes().replace(b"SUMMARY:Team sync", b"SUMMARY:Team weekly")
        return WEEK.read_bytes()

    clock = WallClock()
    feed = calendar_feed.UrlFeed("https://example.org/me.ics", tmp_path, clock, fetcher)
    source = calendar.CalendarSource([feed], ME, CET)
    assert labels(source, at(2, 14, 10)) == ["calendar: Team sync until 14:30"]  # waited for
    clock.now += 16 * 60
    answered: list[list[str]] = []
    reading = threading.Thread(target=lambda: answered.append(labels(source, at(2, 14, 10))))
    reading.start()
    reading.join(30)
    try:
        assert not reading.is_alive(), "a reading waited for the fetch"
        assert answered == [["calendar: Team sync until 14:30"]]
        assert len(fetches) == 2  # the fetch is under way
    finally:
        release.set()
    poll(lambda: labels(source, at(2, 14, 10)), lambda got: "Team weekly" in got[0], 30)
    assert len(fetches) == 2


def test_the_day_s_fetches_run_in_a_thread_against_a_real_server(
    server: Server, tmp_path: Path
) -> None:
    clock = WallClock()
    source = calendar.CalendarSource(
        [calendar_feed.UrlFeed(server.url, tmp_path, clock=clock)], ME, CET
    )
    assert labels(source, at(2, 14, 10)) == ["calendar: Team sync until 14:30"]
    server.body = server.body.replace(b"SUMMARY:Team sync", b"SUMMARY:Team weekly")
    clock.now += 16 * 60
    poll(lambda: labels(source, at(2, 14, 10)), lambda got: "Team weekly" in got[0], 30)
    assert server.requests == 2


def test_a_stale_copy_is_fetched_again_at_a_process_s_first_reading(
    server: Server, tmp_path: Path
) -> None:
    """`breakctl holds` reads once and exits: it must not leave its only fetch half done."""
    clock = WallClock()
    clock.now = datetime.now().timestamp()
    first = calendar.CalendarSource(
        [calendar_feed.UrlFeed(server.url, tmp_path, clock=clock)], ME, CET
    )
    assert labels(first, at(2, 14, 10)) == ["calendar: Team sync until 14:30"]
    server.body = server.body.replace(b"SUMMARY:Team sync", b"SUMMARY:Team weekly")
    clock.now += 16 * 60
    later = calendar.CalendarSource(
        [calendar_feed.UrlFeed(server.url, tmp_path, clock=clock)], ME, CET
    )
    assert labels(later, at(2, 14, 10)) == ["calendar: Team weekly until 14:30"]


def test_an_event_that_cannot_be_read_is_said_once_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ics"
    broken.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Planning\r\n"
        "DTSTART:2026XX\r\nDTEND:20261202T150000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    source = from_file(broken)
    assert source.holds(at(2, 14, 0)) == []  # the rest of the calendar still works
    warning = source.take_warning()
    assert warning == f"{broken}: skipped event 'Planning': DTSTART '2026XX' cannot be read"
    source.holds(at(2, 14, 1))
    assert source.take_warning() is None  # the same text: not said again
