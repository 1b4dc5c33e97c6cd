import pytest

from breakctl.core.durations import format_clock, format_duration, parse_duration
from breakctl.core.errors import DataError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30s", 30),
        ("2m", 120),
        ("1m30s", 90),
        ("1h30m", 5400),
        ("1h 30m", 5400),
        ("1.5h", 5400),
        ("90S", 90),
        ("PT25M", 1500),
        ("PT1H5M10S", 3910),
        ("0s", 0),
        (" 45s ", 45),
    ],
)
def test_parses_units(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_bare_numbers_take_the_given_unit() -> None:
    assert parse_duration("45") == 45
    assert parse_duration("45", bare_unit="m") == 2700
    assert parse_duration(20) == 20
    assert parse_duration(2.5, bare_unit="m") == 150


@pytest.mark.parametrize(
    "text", ["", "abc", "10x", "m5", "5m5h", "1h1h", "-5s", "PT", "P1D", "5 m s"]
)
def test_rejects_garbage_with_an_example(text: str) -> None:
    with pytest.raises(DataError) as info:
        parse_duration(text)
    assert "25m" in str(info.value) or "negative" in str(info.value)


def test_rejects_negative_numbers_and_booleans() -> None:
    with pytest.raises(DataError, match="negative"):
        parse_duration(-3)
    with pytest.raises(DataError):
        parse_duration(True)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0:00"), (0.2, "0:01"), (59.5, "1:00"), (65, "1:05"), (3723, "1:02:03")],
)
def test_format_clock_rounds_up(seconds: float, shown: str) -> None:
    assert format_clock(seconds) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"), [(30, "30s"), (120, "2m"), (90, "1m30s"), (3900, "1h5m"), (1.5, "1.5s")]
)
def test_format_duration(seconds: float, shown: str) -> None:
    assert format_duration(seconds) == shown


@pytest.mark.parametrize(
    ("remaining", "period", "expected"),
    [
        (2.5, 1.0, 0.5),
        (2.0000000000002, 1.0, 1.0),
        (2.0, 1.0, 1.0),
        (7.0, 3.0, 1.0),
        (6.0000001, 3.0, 3.0),
    ],
)
def test_until_next_tick_is_never_a_sliver(
    remaining: float, period: float, expected: float
) -> None:
    from breakctl.core.clockface import until_next_tick

    assert until_next_tick(remaining, period) == pytest.approx(expected, abs=1e-6)
