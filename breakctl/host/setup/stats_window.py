"""The days `breakctl stats` is asked about, from its options: checked, with a clear error.
Apart from the figures (host/setup/stats.py), which an empty history never needs."""

from __future__ import annotations

from datetime import date, timedelta

from breakctl.core.errors import DataError
from breakctl.core.window import Window, last_days, week_of

MAX_WINDOW_DAYS = 36_600  # a century: beyond it the window (and the one before) stop making sense
EARLIEST_DAY = date(1900, 1, 1)


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{option}: expected a date like 2026-11-16, got {value!r}") from None


def stats_window(
    today: date, week: str | None, days: int | None, since: str | None, until: str | None
) -> Window:
    """The days `--week`, `--days` or `--since/--until` name (this week by default)."""
    chosen = [
        name for name, value in (("--week", week), ("--days", days), ("--since", since)) if value
    ]
    if len(chosen) > 1:
        raise DataError(f"use one of {', '.join(chosen)}, not several")
    if until and not since:
        raise DataError("--until goes with --since, e.g. --since 2026-11-01 --until 2026-11-15")
    if days is not None:
        if not 1 <= days <= MAX_WINDOW_DAYS:
            raise DataError(f"--days: expected 1 to {MAX_WINDOW_DAYS}, got {days}")
        return last_days(today, days)
    if since:
        start = parse_day(since, "--since")
        end = parse_day(until, "--until") if until else today
        if end < start:
            raise DataError(f"--until {end} is before --since {start}")
        if start < EARLIEST_DAY:
            raise DataError(f"--since: expected {EARLIEST_DAY} or later, got {start}")
        return Window(start, end)
    if week in (None, "this"):
        return week_of(today)
    if week == "last":
        return week_of(today - timedelta(days=7))
    raise DataError(f"--week: expected 'this' or 'last', got {week!r}")
