"""How a countdown reads ('4:05', '1:02:03') and how a count reads ('1 break', '2 breaks').
A leaf module that imports nothing, so `breakctl status` (run every second by status bars)
can use it at no cost."""


def format_clock(seconds: float) -> str:
    """Seconds as a countdown, '4:05'; rounds up, so 0.2 s left shows as 0:01 and
    a countdown never shows 0:00 before it is over."""
    whole = max(0, int(-(-seconds // 1)))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def until_next_tick(remaining: float, period: float = 1.0) -> float:
    """Seconds until a countdown with `remaining` seconds left shows its next value.

    Never a sliver: 2.0000000000002 s left is "2 s" on screen, so the next change is in a
    period, not in 2e-13 s, which added to a monotonic time of thousands of seconds would
    vanish in rounding and wake the loop again and again without time moving on."""
    left = remaining % period
    return left if left > 1e-3 else left + period


def plural(count: int, noun: str) -> str:
    """'1 break', '2 breaks', '0 breaks'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
