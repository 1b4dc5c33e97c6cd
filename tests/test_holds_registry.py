"""The [holds] table, the registry of hold sources and the reader the day polls."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from breakctl.core.errors import DataError
from breakctl.core.holds import Hold, HoldsSettings, Upcoming
from breakctl.host.holds import sources as registry
from breakctl.host.holds.base import HoldError, HoldSource
from breakctl.host.holds.settings import holds_settings
from breakctl.store.config import read_config

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))


# --- [holds] read from config.toml ----------------------------------------------------------


def test_defaults_are_the_issues() -> None:
    settings = holds_settings({})
    assert settings.sources == "auto"
    assert (settings.grace_s, settings.calendar_lead_s, settings.max_s) == (60, 600, 3 * 3600)
    assert settings.camera_devices == ("/dev/video*",)
    assert (settings.calendar, settings.programs, settings.command) == ((), (), None)


def test_every_key_is_read() -> None:
    settings = holds_settings(
        {
            "sources": ["calendar", "programs", "command"],
            "grace": "2m",
            "calendar_lead": 15,  # a bare number is minutes, as elsewhere
            "max": "1h30m",
            "calendar": ["~/work.ics", "https://example.org/me.ics"],
            "calendar_me": ["Me@Example.org", "mailto:me@home.example"],
            "camera_devices": ["/dev/video0"],
            "programs": ["obs", "zoom", "obs"],
            "command": "in-a-call",
        }
    )
    assert settings.sources == ("calendar", "programs", "command")
    assert (settings.grace_s, settings.calendar_lead_s, settings.max_s) == (120, 900, 5400)
    assert settings.calendar == ("~/work.ics", "https://example.org/me.ics")
    assert settings.calendar_me == ("me@example.org", "me@home.example")
    assert settings.camera_devices == ("/dev/video0",)
    assert settings.programs == ("obs", "zoom")
    assert settings.command == "in-a-call"


def test_an_empty_list_turns_holds_off() -> None:
    assert holds_settings({"sources": []}).sources == ()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"sources": ["micro"]}, "sources: unknown source 'micro' (did you mean 'microphone'?)"),
        ({"sources": "all"}, "sources: unknown source 'all'"),
        ({"sources": 3}, 'sources: expected a list of source names, e.g. "auto", [] (off)'),
        ({"grace": "soon"}, "grace: not a duration: 'soon'"),
        ({"max": 0}, "max: must be longer than 0"),
        (
            {"calendar": ["ftp://example.org/x.ics"]},
            "calendar: expected an .ics file or an http(s) URL",
        ),
        ({"calendar_me": ["me"]}, "calendar_me: expected an e-mail address like me@example.org"),
        ({"programs": [""]}, "programs: expected a list of program names"),
        ({"command": ""}, "command: expected a shell command"),
        ({"sources": ["command"]}, "command: needed when sources names 'command'"),
        ({"sources": ["calendar"]}, "calendar: needed when sources names 'calendar'"),
        ({"volume": 3}, "volume: unknown setting; known: sources, grace"),
    ],
)
def test_bad_values_name_the_key_and_what_it_takes(table: dict, message: str) -> None:
    with pytest.raises(DataError) as caught:
        holds_settings(table)
    assert message in str(caught.value)


def test_config_check_names_the_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[holds]\ngrace = "1m"\nsources = ["camra"]\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_config(config)
    assert f"{config}:3: holds.sources: unknown source 'camra' (did you mean 'camera'?)" in str(
        caught.value
    )


# --- the registry ---------------------------------------------------------------------------


class Scripted(HoldSource):
    """A source answering from a list the test changes: a Hold, a HoldError, or nothing."""

    def __init__(self, name: str, *answers: object, works: bool = True) -> None:
        self.name = name
        self.answers = list(answers)
        self.works_here = works
        self.closed = 0

    def holds(self, now: datetime) -> list[Hold]:
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return [answer] if isinstance(answer, Hold) else []

    def works(self) -> str | None:
        return None if self.works_here else "not here"

    def close(self) -> None:
        self.closed += 1


def test_one_failing_source_does_not_hide_the_others_and_is_reported_once() -> None:
    broken = Scripted("dnd", HoldError("no session bus"))
    crashing = Scripted("camera", ValueError("bad fd"))
    mic = Scripted("microphone", Hold("microphone", "zoom"))
    reader = registry.HoldsReader([broken, crashing, mic])
    for _ in range(3):
        reading = reader.read(NOW)
        assert reading.held and reading.reasons == ["microphone: zoom"]
    assert reader.take_failures() == [
        "holds: dnd: no session bus",
        "holds: camera: ValueError: bad fd",
    ]
    assert reader.take_failures() == []
    assert broken.closed == 3  # a failing source lets go of its connection each time


def test_a_failure_is_said_again_after_the_source_recovered() -> None:
    flaky = Scripted("dnd", HoldError("bus gone"), None, HoldError("bus gone"), None)
    reader = registry.HoldsReader([flaky])
    for _ in range(3):
        reader.read(NOW)
    assert reader.take_failures() == ["holds: dnd: bus gone", "holds: dnd: bus gone"]


def test_the_soonest_upcoming_event_of_all_sources_is_given() -> None:
    class Calendar(Scripted):
        def __init__(self, name: str, starts_in: int) -> None:
            super().__init__(name, None)
            self.starts_in = starts_in

        def upcoming(self, now: datetime) -> Upcoming | None:
            starts = now + timedelta(minutes=self.starts_in)
            return Upcoming(f"in {self.starts_in}", starts, starts + timedelta(minutes=30))

    reading = registry.HoldsReader([Calendar("calendar", 30), Calendar("calendar", 8)]).read(NOW)
    assert reading.upcoming is not None and reading.upcoming.title == "in 8"
    assert not reading.held


def test_auto_keeps_a_source_that_does_not_work_aside_and_looks_again() -> None:
    dormant = Scripted("dnd", Hold("dnd", "do not disturb"), works=False)
    reader = registry.HoldsReader([], [dormant])
    assert not reader.read(NOW).held
    dormant.works_here = True
    assert not reader.read(NOW + timedelta(minutes=5)).held  # not looked at again yet
    assert reader.read(NOW + timedelta(minutes=11)).reasons == ["dnd: do not disturb"]


def test_chosen_sources() -> None:
    auto = HoldsSettings()
    assert registry.chosen(auto) == (("microphone", "camera", "dnd", "fullscreen"), True)
    configured = HoldsSettings(calendar=("a.ics",), programs=("obs",), command="true")
    assert registry.chosen(configured)[0] == registry.SOURCE_NAMES
    assert registry.chosen(HoldsSettings(sources=())) == ((), False)
    assert registry.chosen(HoldsSettings(sources=("dnd",))) == (("dnd",), False)


def test_holds_off_reads_nothing() -> None:
    reader = registry.open_holds(HoldsSettings(sources=()))
    assert reader.names == []
    assert not reader.read(NOW).held


def test_a_source_module_this_version_lacks_is_not_available(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(registry, "SOURCE_NAMES", (*registry.SOURCE_NAMES, "telepathy"))
    source = registry.make_source("telepathy", HoldsSettings())
    assert source.works() == "not available in this version of breakctl"
    assert registry.make_source("command", HoldsSettings()).works() == "no [holds] command set"


def test_a_named_source_is_read_even_when_it_fails_and_says_why() -> None:
    settings = HoldsSettings(sources=("command",), command="exit 3")
    reader = registry.open_holds(settings)
    assert reader.names == ["command"]
    assert not reader.read(NOW).held


def test_survey_lists_every_source_and_holds_only_from_those_in_use() -> None:
    settings = HoldsSettings(sources=("programs",), programs=("x",), command="echo 'on a call'")
    result = registry.survey(settings, NOW).to_json()
    assert [s["name"] for s in result["sources"]] == list(registry.SOURCE_NAMES)
    command = next(s for s in result["sources"] if s["name"] == "command")
    assert command == {
        "name": "command",
        "works": True,
        "why_not": None,
        "holding": True,
        "reason": "on a call",
    }
    assert result["held"] is False and result["reasons"] == []  # command is not in use
    used = registry.survey(HoldsSettings(command="echo 'on a call'"), NOW).to_json()
    assert used["held"] is True and used["reasons"] == ["command: on a call"]
    assert set(used) == {"sources", "held", "reasons"}


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("auto", "auto"),
        ("[]", []),
        ("microphone, dnd", ["microphone", "dnd"]),
    ],
)
def test_config_set_writes_sources_as_the_file_reads_them(raw: str, stored: object) -> None:
    from breakctl.core.config_schema import store_value

    assert store_value("holds.sources", raw) == stored


def test_config_set_refuses_an_unknown_source() -> None:
    from breakctl.core.config_schema import store_value

    with pytest.raises(DataError, match=r"holds\.sources: unknown source 'mike'"):
        store_value("holds.sources", "mike")


def test_grace_and_calendar_lead_may_be_zero_max_may_not() -> None:
    settings = holds_settings({"grace": 0, "calendar_lead": "0s"})
    assert (settings.grace_s, settings.calendar_lead_s) == (0.0, 0.0)
    with pytest.raises(DataError, match="max: must be longer than 0"):
        holds_settings({"max": "0m"})
    with pytest.raises(DataError, match="grace: expected a duration"):
        holds_settings({"grace": [1]})
    with pytest.raises(DataError, match="grace: a duration cannot be longer than 24h"):
        holds_settings({"grace": "25h"})
