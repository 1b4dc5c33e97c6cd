"""Text from routine files, exercise libraries, the history and hooks is untrusted (#8 §3).

Every printing path gets text full of control characters (ESC [2J, OSC 0 and OSC 52, C1 CSI,
BEL, backspace, NUL, DEL) and Rich markup. None of the control characters may reach the
output, and the markup must be printed as written: never a style, a live link or a crash.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from rich.console import Console, RenderableType
from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.core.day import (
    BreakStarted,
    FreeMovementStarted,
    Recorded,
    RoutineEvent,
    SessionSnapshot,
)
from breakctl.core.model import Exercise, Routine, Step
from breakctl.core.records import Record
from breakctl.core.routine_run import Event, SegmentStarted, Snapshot
from breakctl.core.stats import DayFigures, Totals, WeekStats
from breakctl.core.timeline import Segment
from breakctl.core.window import Window
from breakctl.host.context import AppContext
from breakctl.host.hooks import HookRunner
from breakctl.host.routine.loop import run_routine
from breakctl.store.history import History
from breakctl.ui.report.terminal import render_week
from breakctl.ui.routine_plain import PlainRoutineView, print_routine_summary
from breakctl.ui.routine_screen import LiveRoutineView, render_routine_screen
from breakctl.ui.session.screens import render_session_screen
from breakctl.ui.session.views import LiveSessionView, PlainSessionView
from breakctl.ui.session.work_frame import work_frame
from breakctl.ui.tables import (
    exercise_table,
    history_table,
    render_presets,
    routine_detail,
    routine_table,
)
from breakctl.ui.text import safe
from tests.fakes import FakeClock, ScriptedKeys

CET = timezone(timedelta(hours=1))
MARKUP = ("[/]", "[link=http://evil]x[/link]", "[bold red]loud")
CONTROLS = (
    "\x1b[2J"  # clear the screen
    "\x1b]0;pwned\x07"  # set the window title
    "\x1b]52;c;ZXZpbA==\x1b\\"  # write the clipboard
    "\x9b31m"  # C1 CSI
    "\x07\x08\x00\x7f\r"
)
H = "T" + CONTROLS + " " + " ".join(MARKUP)  # hostile text, as a file or a hook may hold it
# What a terminal console may emit of its own accord (cursor, erase line, colour): nothing else.
HOSTILE_SEQUENCES = ("\x1b[2J", "\x1b]", "\x9b", "\x08", "\x00", "\x7f")


def control_chars(output: str) -> list[str]:
    return [c for c in output if (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F]


def assert_safe(output: str, markup: bool = True) -> None:
    assert control_chars(output) == []
    assert "\\x1b[2J" in output  # shown, not obeyed
    if markup:
        for text in MARKUP:
            assert text in output


def recording() -> Console:
    """A default console (markup on), not a terminal: it adds no escape codes of its own."""
    return Console(file=io.StringIO(), width=500, force_terminal=False, color_system=None)


def output_of(console: Console) -> str:
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


def printed(*renderables: RenderableType) -> str:
    console = recording()
    for renderable in renderables:
        console.print(renderable)
    return output_of(console)


TWO_SIDED = Exercise(H, H, H, (H,), (H, H), reps=2, pace_s=1, sides=True, caution=H)
HOLD = Exercise("hold", H, "standing", ("neck",), (H,), hold_s=3)
ROUTINE = Routine(
    name=H,
    title=H,
    summary=f"{H}\n{H}",
    rest_s=1,
    source=H,
    steps=(Step(TWO_SIDED, None, 2, 1, True), Step(HOLD, 3, None, None, False)),
)
RECORD = Record(
    v=1,
    kind="routine",
    routine=H,
    started=datetime(2026, 3, 2, 9, tzinfo=CET),
    ended=datetime(2026, 3, 2, 9, 1, tzinfo=CET),
    active_s=60,
    outcome="completed",
)


class BothRoutineViews:
    """Each snapshot of a real run drawn as the live screen, and the plain lines of each event."""

    def __init__(self, clock: FakeClock) -> None:
        self.screen = recording()
        self.plain = recording()
        self.terminal = Console(file=io.StringIO(), width=100, force_terminal=True)
        self._plain = PlainRoutineView(self.plain, clock)
        self._live = LiveRoutineView(self.terminal)

    def __enter__(self) -> BothRoutineViews:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def update(self, events: list[Event], snapshot: Snapshot) -> None:
        self.screen.print(render_routine_screen(snapshot))
        self._plain.update(events, snapshot)
        self._live.update(events, snapshot)


def test_the_routine_screens_plain_lines_and_summary(clock: FakeClock, tmp_path: Path) -> None:
    views = BothRoutineViews(clock)
    history = History(tmp_path / "history.jsonl")
    with views._live:
        record = run_routine(
            ROUTINE, clock=clock, keys=ScriptedKeys(clock, {}), view=views, history=history
        )
    print_routine_summary(views.plain, ROUTINE, record)
    screens = output_of(views.screen)
    assert "Get ready" in screens and "Switch sides" in screens and "Done." in screens
    assert_safe(screens)
    assert_safe(output_of(views.plain))
    live = output_of(views.terminal)
    assert not [s for s in HOSTILE_SEQUENCES if s in live] and "\\x1b[2J" in live


def test_the_screens_of_a_day() -> None:
    base = dict(
        cycle=1,
        cycles=4,
        paused=True,
        remaining_s=60,
        planned_s=300,
        elapsed_s=240,
        ends_at=datetime(2026, 3, 2, 9, 42, tzinfo=CET),
    )
    step = ROUTINE.steps[0]
    in_routine = Snapshot(ROUTINE, Segment("work", 0, 2, "left"), step, 1, 1, 9, 1, True, 1)
    work = SessionSnapshot(phase="work", **base, next_break_title=H, heads_up=True)  # type: ignore[arg-type]
    screens = printed(
        render_session_screen(work, H),
        render_session_screen(
            SessionSnapshot(phase="break", **base, routine=in_routine, reason=H, extended=True),
            H,  # type: ignore[arg-type]
        ),
        render_session_screen(SessionSnapshot(phase="break", **base, free_s=30, reason=H), H),  # type: ignore[arg-type]
        render_session_screen(SessionSnapshot(phase="wait", **base), H),  # type: ignore[arg-type]
    )
    assert_safe(screens)
    assert "Free movement" in screens and "Break after block 1 of 4" in screens
    for width in (60, 120):  # the work frame as drawn on a terminal, colour codes aside
        frame = "\n".join(work_frame(work, width, color=True))
        assert not [s for s in HOSTILE_SEQUENCES if s in frame]
        assert "\x07" not in frame and "\\x1b[2J" in frame


def hook_reports() -> list[str]:
    """A real hook that fails and writes escape sequences and markup to stderr."""
    script = (
        "printf 'T\\033]52;c;ZXZpbA==\\007\\033[2J\\302\\233 [/] [link=http://evil]x[/link]' >&2"
    )
    hooks = HookRunner({"on_work_end": f"{script}; exit 3"}, os.environ)
    hooks.fire("on_work_end", "work", None, 0, None)
    hooks.wait(10)
    reports = hooks.drain()
    assert reports and "failed (exit 3)" in reports[0]
    return reports


def test_the_session_views_and_hook_reports(clock: FakeClock) -> None:
    reports = hook_reports()
    plain_console = recording()
    live_console = Console(file=io.StringIO(), width=300, height=30, force_terminal=True)
    plain = PlainSessionView(plain_console, clock, H)
    live = LiveSessionView(live_console, H, clock=clock)
    snapshot = SessionSnapshot(
        phase="break", cycle=1, cycles=None, paused=False, remaining_s=60, planned_s=60
    )
    events = [
        BreakStarted(1, 60, ROUTINE, H, True, False),
        FreeMovementStarted(30),
        Recorded(RECORD),
    ]
    plain.update(events, snapshot)
    in_routine = Snapshot(ROUTINE, None, None, 0, 0, 0, None, False, 0)
    segment = RoutineEvent(SegmentStarted(Segment("work", 0, 2, "left"), 1))
    plain.update(
        [segment],
        SessionSnapshot(
            phase="break",
            cycle=1,
            cycles=None,
            paused=False,
            remaining_s=60,
            planned_s=60,
            routine=in_routine,
        ),
    )
    live.update([], snapshot)
    for line in [H, *reports]:
        plain.message(line)
        live.message(line)  # on the screen's message line, drawn at once
        screen = output_of(live_console)
        assert not [s for s in HOSTILE_SEQUENCES if s in screen] and "\\x1b[2J" in screen
        assert "[link=http://evil]x[/link]" in screen.split(H[0])[-1]
    assert_safe(output_of(plain_console))


def test_the_tables() -> None:
    row = {"name": H, "title": H, "minutes": 1.5, "steps": 2, "source": H}
    preset = {key: H for key in ("name", "work", "break", "long_break", "routines", "source")}
    assert_safe(
        printed(
            routine_table([row]),
            routine_detail(ROUTINE),
            exercise_table([TWO_SIDED]),
            history_table([RECORD]),
            render_presets([preset]),
        )
    )


def test_the_stats_page() -> None:
    totals = Totals(
        {
            "completed": 3,
            "skipped": 1,
            "postponed": 0,
            "interrupted": 0,
            "recovered": 0,
            "natural": 0,
            "worked_through": 0,
            "cut_short": 0,
        },
        0.75,
        600,
        7200,
        1,
    )
    day = date(2026, 3, 2)
    stats = WeekStats(
        window=Window(day, day),
        totals=totals,
        previous=totals,
        longest_sitting_s=3000,
        days=[DayFigures(day, 3, 600, 7200)],
        exercises={H: 3, "neck-roll": 1},
        areas={H: 300.0, f"x{H}": 0.0},
        streak_days=1,
        best_streak_days=2,
        habit_days=3,
        goal_breaks_per_day=6,
        records=4,
    )
    page = printed(render_week(stats, {"neck-roll": H}))
    assert_safe(page)
    assert "Not worked yet" in page and "Done most" in page


HOSTILE_TOML = f"""
name = "evil"
title = {json.dumps(H)}
summary = {json.dumps(H)}
rest = "1s"

[exercises.sway]
name = {json.dumps(H)}
position = "standing"
targets = ["calves"]
reps = 2
pace = "1s"
cues = [{json.dumps(H)}]
caution = {json.dumps(H)}

[[steps]]
exercise = "sway"
"""


@pytest.fixture
def cli(app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    monkeypatch.setenv("COLUMNS", "1000")  # wide enough that no table cuts the text short

    def run(*args: str) -> str:
        result = CliRunner().invoke(app, list(args), obj=app_ctx)
        assert result.exception is None or isinstance(result.exception, SystemExit), result
        return result.stdout + result.stderr

    return run


def test_every_command_that_prints_data(cli, write_user_routine, paths) -> None:
    write_user_routine("evil", HOSTILE_TOML)
    write_user_routine(
        "broken", HOSTILE_TOML.replace('exercise = "sway"', f"exercise = {json.dumps(H)}")
    )
    listing = cli("routine", "list")  # the broken one is reported on stderr, the evil one listed
    assert_safe(listing)
    assert_safe(cli("routine", "show", "evil"))
    assert_safe(cli("routine", "show", "broken"), markup=False)  # the error line
    assert_safe(cli("routine", "check", str(paths.routines_dir / "broken.toml")), markup=False)
    assert_safe(cli("routine", "evil"))  # the run's plain lines and summary
    step = {"exercise": H, "outcome": "done", "active_s": 30}
    hand_written = {
        "v": 1,
        "kind": "routine",
        "routine": H,
        "started": "2026-03-02T08:00:00+01:00",
        "ended": "2026-03-02T08:01:00+01:00",
        "active_s": 60,
        "outcome": "completed",
        "steps": [step],
    }
    with paths.history_file.open("a", encoding="utf-8") as file:
        file.write(json.dumps(hand_written) + "\n")
    assert_safe(cli("history"))
    assert_safe(cli("stats"))


def test_safe_makes_every_control_character_visible() -> None:
    assert safe("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert safe("\x9b\x7f\x00") == "\\x9b\\x7f\\x00"
    assert safe("tab\tand\nnew line") == "tab and new line"
    assert safe("two\nlines\r", newlines=True) == "two\nlines\\x0d"
    assert safe("\u202egnp.exe \ud800") == "\\u202egnp.exe \ufffd"
    assert safe("首と肩 🧘 [/]") == "首と肩 🧘 [/]"  # printable text is left alone
