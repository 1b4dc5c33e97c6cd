"""When a break is brought, and how: the [start] keys, the day's rules on the fake clock (a
real SessionHost with a bringer that records), the terminal finder, and the command run."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from breakctl.core.day import PresenceRules, Session
from breakctl.core.errors import DataError
from breakctl.core.settings import resolve_settings
from breakctl.host.bring.command import attach_break, breakctl_argv, with_folders
from breakctl.host.bring.terminal import NoTerminal, mac_terminal, terminal_argv
from breakctl.host.hooks import HookRunner
from breakctl.host.notify import Notifier
from breakctl.host.session.host import SessionHost
from breakctl.host.session.loop import run_session
from breakctl.store.history import History
from breakctl.store.paths import Paths
from tests.fakes import FakeClock, ScriptedKeys
from tests.test_config import run, write_config  # noqa: F401 (the fixture)
from tests.test_engine import ROUTINE, START, NullView, always, pomodoro
from tests.test_presence_day import Absences

RULES = PresenceRules(away_after_s=120, reset_after_s=1800)


# -- [start] bring_break and terminal -----------------------------------------------------------


def test_bring_break_is_an_ordered_list_of_ways_and_empty_turns_it_off() -> None:
    assert resolve_settings({}, {}).bring_break == ("popup", "notify")
    assert resolve_settings({"bring_break": ["terminal", "popup"]}, {}).bring_break == (
        "terminal", "popup",
    )  # fmt: skip
    assert resolve_settings({"bring_break": []}, {}).bring_break == ()
    assert resolve_settings({"terminal": "kitty -e"}, {}).terminal == "kitty -e"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (["popup", "tmux"], "'tmux' is not one of them"),
        ("popup", None),
        (True, "got True"),
        ([1], "1 is not one of them"),
    ],
)
def test_a_bad_way_is_named_with_the_key(value: Any, why: str | None) -> None:
    if why is None:  # a string is the command line's comma-separated form
        assert resolve_settings({"bring_break": value}, {}).bring_break == ("popup",)
        return
    with pytest.raises(DataError) as caught:
        resolve_settings({"bring_break": value}, {})
    (line,) = caught.value.problems
    assert line.startswith("bring_break: expected a list of popup, notify, terminal")
    assert why in line


def test_config_check_names_the_line_and_config_set_writes_the_list(run, paths: Paths) -> None:  # noqa: F811
    path = write_config(
        paths, '[start]\nbring_break = ["popup", "pager"]\nterminal = "kitty \'-e"\n'
    )
    result = run("config", "check")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{path}:2: start.bring_break: expected a list of popup, notify")
    assert lines[1].startswith(
        f"{path}:3: start.terminal: expected a command line whose quotes close"
    )
    write_config(paths, "")
    assert run("config", "set", "start.bring_break", "terminal,notify").exit_code == 0
    assert 'bring_break = ["terminal", "notify"]' in path.read_text()
    assert run("config", "set", "start.bring_break", "tmux").exit_code == 2
    assert 'bring_break = ["terminal", "notify"]' in path.read_text()  # left as it was
    assert run("config", "set", "start.bring_break", "[]").exit_code == 0
    assert "bring_break = []" in path.read_text()
    assert "bring_break = []" in run("config", "show").stdout  # off, where the default is on


# -- the day's rules ------------------------------------------------------------------------------


@dataclass
class RecordingBringer:
    """Stands in for BreakBringer where only the rules are tested (tests/test_bring_popup and
    test_bring_notify run the real one against tmux and a bus)."""

    brought: list[tuple[str, str, float]] = field(default_factory=list)
    ended: int = 0

    def bring(self, title: str, body: str, break_s: float) -> bool:
        self.brought.append((title, body, break_s))
        return True

    def over(self) -> None:
        self.ended += 1

    def close(self) -> None:
        pass

    def take_reports(self) -> list[str]:
        return []


def day(
    tmp_path: Path, screens: int, spans: list[tuple[float, float]] | None = None, **settings: Any
) -> tuple[RecordingBringer, list[dict[str, Any]], list[tuple[str, str]]]:
    """A day with no screen attached (or `screens`), presence where `spans` says when away."""
    clock = FakeClock(START)
    bringer = RecordingBringer()
    alerts: list[tuple[str, str]] = []
    paths = Paths(tmp_path, tmp_path, tmp_path)
    host = SessionHost(paths, Notifier(None, {}, system=False), HookRunner({}, {}), {}, None,
                       bringer)  # type: ignore[arg-type]  # fmt: skip
    host.screens = lambda: screens
    host.alert = lambda title, body: alerts.append((title, body))  # type: ignore[method-assign]
    rules = RULES if spans is not None else None
    session = Session(pomodoro(**settings), always(ROUTINE), presence=rules)
    history = History(tmp_path / "history.jsonl")
    idle = Absences(clock, spans) if spans is not None else None
    run_session(session, clock=clock, keys=ScriptedKeys(clock, {}), view=NullView(),
                history=history, host=host, presence=idle)  # fmt: skip
    records = [json.loads(line) for line in history.path.read_text().splitlines()]
    return bringer, records, alerts


def test_with_no_screen_each_break_is_brought_once_and_its_alert_left_to_the_bringer(
    tmp_path: Path,
) -> None:
    bringer, records, alerts = day(tmp_path, screens=0, cycles=2)
    assert [r["kind"] for r in records] == ["work", "break", "work", "break"]
    assert bringer.brought == [("Time to move", "Two minutes: 5 min", 300.0)] * 2
    assert ("Time to move", "Two minutes: 5 min") not in alerts  # sent by the bringer
    assert bringer.ended == 2  # each break's end stops what it started


def test_a_screen_attached_brings_nothing_and_the_alert_goes_as_before(tmp_path: Path) -> None:
    bringer, _, alerts = day(tmp_path, screens=1, cycles=1)
    assert bringer.brought == []
    assert alerts.count(("Time to move", "Two minutes: 5 min")) == 1


def test_an_empty_chair_gets_no_popup_and_a_natural_break(tmp_path: Path) -> None:
    # away from 1400 s to 2000 s: the break (due at 1500) waits, and the absence is the break
    bringer, records, _ = day(tmp_path, screens=0, spans=[(1400, 2000)], cycles=1)
    assert bringer.brought == []
    assert records[-1]["kind"] == "break" and records[-1].get("natural") is True


def test_a_break_waiting_for_the_person_is_brought_when_they_are_back(tmp_path: Path) -> None:
    # away from 1400 s to 1560 s: back before a break's length, the routine starts then
    bringer, records, _ = day(tmp_path, screens=0, spans=[(1400, 1560)], cycles=1)
    assert bringer.brought == [("Time to move", "Two minutes: 5 min", 300.0)]
    assert records[-1]["kind"] == "break" and not records[-1].get("natural")


# -- the terminal and the command it runs ---------------------------------------------------------

COMMAND = ["/opt/bin/breakctl", "attach", "--break"]
DESKTOP = {"DISPLAY": ":0"}


@pytest.mark.parametrize(
    ("installed", "argv"),
    [
        ({"x-terminal-emulator", "xterm"}, ["x-terminal-emulator", "-e", *COMMAND]),
        ({"gnome-terminal", "xterm"}, ["gnome-terminal", "--", *COMMAND]),
        ({"konsole"}, ["konsole", "-e", *COMMAND]),
        ({"kitty", "foot"}, ["kitty", *COMMAND]),
        ({"alacritty"}, ["alacritty", "-e", *COMMAND]),
        ({"wezterm", "xterm"}, ["wezterm", "start", "--", *COMMAND]),
        ({"foot", "xterm"}, ["foot", *COMMAND]),
        ({"xterm"}, ["xterm", "-e", *COMMAND]),
    ],
)
def test_the_first_terminal_found_runs_the_command_its_own_way(
    installed: set[str], argv: list[str]
) -> None:
    def which(name: str) -> str | None:
        return f"/usr/bin/{name}" if name in installed else None

    assert terminal_argv(COMMAND, None, DESKTOP, platform="linux", which=which) == argv


def test_the_configured_terminal_wins_then_terminal_variable() -> None:
    which = {"xterm": "/usr/bin/xterm"}.get
    env = DESKTOP | {"TERMINAL": "alacritty"}
    assert terminal_argv(COMMAND, "my-term --class breakctl -x", env, which=which) == [
        "my-term", "--class", "breakctl", "-x", *COMMAND,
    ]  # fmt: skip
    assert terminal_argv(COMMAND, None, env, which=which) == ["alacritty", "-e", *COMMAND]
    assert terminal_argv(COMMAND, None, DESKTOP | {"TERMINAL": "kitty"}, which=which) == [
        "kitty",
        *COMMAND,
    ]
    assert terminal_argv(COMMAND, None, DESKTOP | {"TERMINAL": "st"}, which=which) == [
        "st",
        "-e",
        *COMMAND,
    ]
    assert terminal_argv(COMMAND, None, DESKTOP | {"TERMINAL": "gnome-terminal --"}, which=which) == [
        "gnome-terminal", "--", *COMMAND,
    ]  # fmt: skip


def test_no_terminal_says_what_to_set_and_macos_uses_terminal_app() -> None:
    with pytest.raises(NoTerminal, match=r"set \[start\] terminal or \$TERMINAL"):
        terminal_argv(COMMAND, None, DESKTOP, platform="linux", which=lambda name: None)
    with pytest.raises(NoTerminal, match="no desktop to open a terminal on"):
        terminal_argv(COMMAND, None, {}, platform="linux", which=lambda name: "/usr/bin/xterm")
    wayland = {"WAYLAND_DISPLAY": "wayland-1"}
    assert terminal_argv(COMMAND, None, wayland, platform="linux", which={"foot": "/f"}.get)[0] == (
        "foot"
    )
    argv = terminal_argv(["/Apps/my breakctl", "attach", "--break"], None, {}, platform="darwin")
    assert argv == mac_terminal(["/Apps/my breakctl", "attach", "--break"])
    assert argv[:2] == ["osascript", "-e"]
    assert 'tell application "Terminal"' in argv[2]
    assert "do script \"'/Apps/my breakctl' attach --break; exit\"" in argv[2]


def test_the_command_is_this_breakctl_by_absolute_path(tmp_path: Path) -> None:
    script = tmp_path / "breakctl"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    assert attach_break(str(script)) == [str(script), "attach", "--break"]
    module = "/usr/lib/python3/site-packages/breakctl/__main__.py"  # python -m breakctl
    assert breakctl_argv(module, str(tmp_path / "python3")) == [str(script)]  # the one beside
    assert breakctl_argv(module, "/nowhere/bin/python3") == [
        "/nowhere/bin/python3",
        "-m",
        "breakctl",
    ]
    env = {"BREAKCTL_HOME": "/data/b k", "XDG_RUNTIME_DIR": "/run/user/1000", "PATH": "/bin"}
    assert with_folders(["x"], env) == [
        "env", "BREAKCTL_HOME=/data/b k", "XDG_RUNTIME_DIR=/run/user/1000", "x",
    ]  # fmt: skip
    assert with_folders(["x"], {}) == ["x"]
