"""Sound and voice (#23): the shipped chimes are valid audio; each player is found and driven
with the right arguments (through recording commands standing in for it); which sound plays
at which moment of a routine and of a day, on the fake clock; spoken phrases; a speech
command that hangs is cut, never waited for; [sound] and [voice] settings."""

from __future__ import annotations

import os
import subprocess
import sys
import wave
from collections.abc import Sequence
from pathlib import Path

import pytest

from breakctl.core.cues import SOUNDS, Cue, spoken_seconds
from breakctl.core.model import Exercise, Routine, Step
from breakctl.host.cue_helpers import Helpers
from breakctl.host.guide import (
    Guide,
    GuidedRoutineView,
    GuidedSessionView,
    guide_settings,
)
from breakctl.host.guide import (
    test_guide as try_guide,
)
from breakctl.host.helper_run import Detached
from breakctl.host.routine.loop import run_routine
from breakctl.host.sound import SOUND_DIR, Player, Program, Speaker, sound_file
from breakctl.store.history import History
from breakctl.store.paths import Paths
from tests.fakes import FakeClock, RecordingView, ScriptedKeys

ROOT = Path(__file__).resolve().parents[1]
HUG = Exercise("knee-hug", "Knee hug", "seated", ("core",), ("Hug.",), hold_s=20, sides=True)
SQUEEZE = Exercise(
    "squeeze", "Squeeze", "seated", ("core",), ("Squeeze.",), hold_s=5, reps=2, pace_s=7
)
ROUTINE = Routine(
    "mini", "Mini", "", 2, (Step(HUG, 20, None, None, True), Step(SQUEEZE, 5, 2, 7, False)), "user"
)


# -- the shipped files -------------------------------------------------------------------------


@pytest.mark.parametrize("name", SOUNDS)
def test_each_shipped_sound_is_a_short_valid_wav(name: str) -> None:
    path = sound_file(name)
    assert path.stat().st_size < 20_000  # a few KB
    with wave.open(str(path), "rb") as sound:
        assert (sound.getnchannels(), sound.getsampwidth()) == (1, 2)
        rate, frames = sound.getframerate(), sound.readframes(sound.getnframes())
    assert 0.2 <= len(frames) / 2 / rate <= 1.0
    samples = memoryview(frames).cast("h")
    assert max(abs(s) for s in samples) > 8000  # audible
    assert abs(samples[0]) < 500 and abs(samples[-1]) < 500  # no click at either end


def test_the_shipped_sounds_are_what_the_generator_makes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_sounds.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    for name in SOUNDS:
        assert (tmp_path / f"{name}.wav").read_bytes() == sound_file(name).read_bytes(), name
    assert sorted(p.stem for p in SOUND_DIR.glob("*.wav")) == sorted(SOUNDS)


# -- players and speech commands, driven through recording commands ----------------------------


def recorder(folder: Path, name: str, log: Path) -> Path:
    """A program called `name` that appends its arguments (one line) to `log`."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> {log}\n', encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pw-play", "--volume=0.40 {file}"),
        ("paplay", "--volume=26214 {file}"),
        ("aplay", "-q {file}"),
        ("afplay", "-v 0.40 {file}"),
    ],
)
def test_each_player_is_found_on_path_and_given_the_file_and_volume(
    name: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "played"
    bin_dir = tmp_path / "bin"
    # Players before it in the search order are missing; the ones after it are there too.
    order = ["pw-play", "paplay", "aplay", "afplay"]
    for other in order[order.index(name) :]:
        recorder(bin_dir, other, log)
    monkeypatch.setenv("PATH", str(bin_dir))
    settings = guide_settings({"sound": {"volume": 40}}, {}, bell=True, voice=False)
    guide = Guide.from_settings(settings)
    assert guide.player is not None and guide.player.program.name == name
    guide.play([Cue("hold-end")])
    guide.player.helpers.wait(10)
    file = sound_file("hold-end")
    assert log.read_text().split("\n")[0] == f"{bin_dir / name} {expected.format(file=file)}"


def test_the_configured_player_and_speech_command_take_the_place_of_the_ones_found(
    tmp_path: Path,
) -> None:
    log = tmp_path / "log"
    tool = recorder(tmp_path / "bin", "tool", log)
    settings = guide_settings(
        {
            "sound": {"player": f"{tool} play {{file}} at {{volume}}", "volume": 55},
            "voice": {"enabled": True, "command": f"{tool} say '{{text}}'"},
        },
        {},
        bell=True,
        voice=None,
    )
    guide = Guide.from_settings(settings)
    guide.play([Cue("step", "Knee hug, left side; $(touch /tmp/x) hold 20 seconds")])
    for program in (guide.player, guide.speaker):
        assert program is not None
        program.helpers.wait(10)
    lines = sorted(log.read_text().splitlines())
    assert lines == [
        f"{tool} play {sound_file('step')} at 55",
        f"{tool} say Knee hug, left side; $(touch /tmp/x) hold 20 seconds",
    ]


def test_no_player_here_leaves_the_chimes_to_the_terminal_bell(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    guide = Guide.from_settings(guide_settings({}, {}, bell=True, voice=True))
    assert guide.player is None and guide.speaker is None and not guide.plays


# -- settings ----------------------------------------------------------------------------------


def test_sound_is_on_at_a_desktop_and_off_over_ssh_unless_set() -> None:
    assert guide_settings({}, {}, bell=True, voice=None).sound
    assert not guide_settings({}, {"SSH_CONNECTION": "1 2 3 4"}, bell=True, voice=None).sound
    on = {"sound": {"enabled": True}}
    assert guide_settings(on, {"SSH_TTY": "/dev/pts/1"}, bell=True, voice=None).sound


def test_no_bell_silences_every_sound_and_the_configured_voice() -> None:
    values = {"sound": {"enabled": True}, "voice": {"enabled": True}}
    quiet = guide_settings(values, {}, bell=False, voice=None)
    assert not quiet.sound and not quiet.voice
    assert guide_settings(values, {}, bell=False, voice=True).voice  # --voice asks for it
    assert not guide_settings(values, {}, bell=True, voice=False).voice  # --no-voice


def test_each_kind_of_chime_can_be_turned_off() -> None:
    settings = guide_settings(
        {"sound": {"breath": False, "nudge": False}}, {}, bell=True, voice=None
    )
    assert "breathe-in" not in settings.sounds and "nudge" not in settings.sounds
    assert {"break-due", "step", "hold-end", "break-over"} <= settings.sounds


def test_config_check_names_a_bad_sound_or_voice_setting(tmp_path: Path) -> None:
    from breakctl.store.config import check_config

    path = tmp_path / "config.toml"
    path.write_text('[sound]\nvolume = 150\nplayer = "mpv"\n[voice]\ncommand = 3\n')
    problems = check_config(path)
    assert any(":2: sound.volume: expected a volume from 0 to 100" in p for p in problems)
    assert any(":3: sound.player: expected a command with {file}" in p for p in problems)
    assert any(":5: voice.command: expected a command" in p for p in problems)


@pytest.mark.parametrize(
    ("key", "value"), [("sound.player", "mpv '{file}"), ("voice.command", 'say "{text}')]
)
def test_a_command_whose_quotes_do_not_close_is_refused_by_set_and_check(
    paths: Paths, key: str, value: str
) -> None:
    import tomli_w
    from typer.testing import CliRunner

    from breakctl.cli import app
    from breakctl.host.context import AppContext
    from breakctl.store.config import check_config

    result = CliRunner().invoke(
        app, ["config", "set", key, value], obj=AppContext(paths=paths, env={})
    )
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{key}: expected a command whose quotes close" in result.stderr
    assert not paths.config_file.exists()
    section, name = key.split(".")
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(tomli_w.dumps({section: {name: value}}))
    assert [p for p in check_config(paths.config_file) if f":2: {key}: expected a command wh" in p]


def test_a_command_that_cannot_be_split_is_said_once_and_the_day_goes_on() -> None:
    settings = guide_settings(
        {"sound": {"player": "mpv '{file}"}, "voice": {"enabled": True, "command": "say '{text}"}},
        {},
        bell=True,
        voice=None,
    )
    guide = Guide.from_settings(settings)  # no ValueError: the bell stands in, nothing speaks
    assert guide.player is None and guide.speaker is None and guide.active
    guide.play([Cue("step", "Knee hug")])
    not_run = '"{}" cannot be run: no closing quotation'
    assert guide.problems() == [
        "sound: " + not_run.format("mpv '{file}"),
        "voice: " + not_run.format("say '{text}"),
    ]
    assert guide.problems() == []  # said once
    assert try_guide(settings) == [  # notify --test says what is wrong
        ("sound", False, not_run.format("mpv '{file}")),
        ("voice", False, not_run.format("say '{text}")),
    ]


def test_notify_test_names_why_sound_and_voice_are_off_in_words() -> None:
    assert try_guide(guide_settings({}, {"SSH_TTY": "x"}, bell=True, voice=None)) == [
        ("sound", False, "off: over SSH, or [sound] enabled = false"),
        ("voice", False, "off: turn it on with [voice] enabled = true, or --voice"),
    ]


# -- which sound and phrase at which moment, on the fake clock --------------------------------


class Recording(Helpers):
    """Helpers that note what starts when (on the fake clock) and start nothing."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.started: list[tuple[float, str]] = []

    def start(self, argv: Sequence[str], *, cut_previous: bool = False) -> bool:
        self.started.append((self.clock.monotonic(), " ".join(argv[1:])))
        return True


def recording_guide(clock: FakeClock) -> tuple[Guide, Recording, Recording]:
    played, said = Recording(clock), Recording(clock)
    player = Player(Program("rec", ("rec", "{file}")), 70, played)
    speaker = Speaker(Program("say", ("say", "{text}")), said)
    return Guide(player, speaker, frozenset(SOUNDS)), played, said


def test_a_routine_chimes_and_speaks_each_moment(clock: FakeClock, tmp_path: Path) -> None:
    guide, played, said = recording_guide(clock)
    view = GuidedRoutineView(RecordingView(), guide)
    run_routine(
        ROUTINE,
        clock=clock,
        keys=ScriptedKeys(clock, {}),
        view=view,
        history=History(tmp_path / "h.jsonl"),
    )
    files = [(at, Path(arg).stem) for at, arg in played.started]
    assert files == [
        (0, "step"),
        (2, "step"),
        (22, "step"),
        (25, "step"),
        (45, "hold-end"),
        (47, "step"),
        (52, "hold-end"),
        (59, "hold-end"),
        (61, "break-over"),
    ]
    assert said.started == [
        (0, "Next: Knee hug"),
        (2, "Knee hug, left side, hold 20 seconds"),
        (19, "three"),
        (20, "two"),
        (21, "one"),
        (22, "Switch sides"),
        (25, "Knee hug, right side, hold 20 seconds"),
        (42, "three"),
        (43, "two"),
        (44, "one"),
        (45, "Next: Squeeze"),
        (47, "Squeeze, 2 holds of 5 seconds"),
        (49, "three"),
        (50, "two"),
        (51, "one"),
        (56, "three"),
        (57, "two"),
        (58, "one"),
        (61, "Routine done"),
    ]


def test_a_day_chimes_the_break_due_and_over(tmp_path: Path) -> None:
    from tests.test_engine import START, FakeHost, NullView, always, pomodoro

    clock = FakeClock(START)
    guide, played, said = recording_guide(clock)
    from breakctl.core.day import Session
    from breakctl.host.session.loop import run_session

    view = GuidedSessionView(NullView(), guide)
    run_session(
        Session(pomodoro(cycles=1), always(ROUTINE)),
        clock=clock,
        keys=ScriptedKeys(clock, {}),
        view=view,
        history=History(tmp_path / "h.jsonl"),
        host=FakeHost(),
    )
    files = [(at, Path(arg).stem) for at, arg in played.started]
    assert files[0] == (1500, "break-due") and files[-1] == (1800, "break-over")
    assert (1500, "Time for a break: Mini. Next: Knee hug") in said.started
    assert (1561, "Now move freely") in said.started and said.started[-1] == (1800, "Break over")
    assert "Routine done" not in [text for _, text in said.started]  # the break goes on


def test_spoken_durations_are_written_for_the_ear() -> None:
    assert [spoken_seconds(s) for s in (1, 20, 60, 90, 150)] == [
        "1 second",
        "20 seconds",
        "1 minute",
        "1 minute 30 seconds",
        "2 minutes 30 seconds",
    ]


# -- a speech command that hangs ---------------------------------------------------------------


class Kept(Helpers):
    """Real helpers that also keep each process started, and when (on the fake clock)."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(limit_s=15)
        self.clock = clock
        self.processes: list[Detached] = []
        self.started: list[float] = []
        self.hanging: list[tuple[int, int]] = []  # earlier phrases alive (before, after) a start

    def start(self, argv: Sequence[str], *, cut_previous: bool = False) -> bool:
        before = self._uncut()
        ok = super().start(argv, cut_previous=cut_previous)
        self.hanging.append((before, self._uncut()))
        self.processes.append(self._children[-1].process)
        self.started.append(self.clock.monotonic())
        return ok

    def _uncut(self) -> int:
        """Earlier phrases still running and not cut (a cut one is killed, reaped later)."""
        return sum(p.poll() is None and p not in self._dying for p in self.processes)


def test_a_hanging_speech_command_is_cut_and_never_holds_the_clock(
    clock: FakeClock, tmp_path: Path
) -> None:
    """Each phrase starts at its moment on the fake clock while the one before still hangs
    (so nothing waited for it); the one before is then cut (killed, not finished); and the
    routine's record is exactly as planned."""
    log = tmp_path / "said"
    hang = Program("sh", ("sh", "-c", f'echo "$1" >> {log}; exec sleep 60', "sh", "{text}"))
    kept = Kept(clock)
    guide = Guide(None, Speaker(hang, kept), frozenset())
    watching = RecordingView()
    watching.clock = clock
    record = run_routine(
        ROUTINE,
        clock=clock,
        keys=ScriptedKeys(clock, {}),
        view=GuidedRoutineView(watching, guide),
        history=History(tmp_path / "h.jsonl"),
    )
    assert kept.started[:3] == [0, 2, 19] and len(kept.started) == 19
    # Each new phrase found the one before still hanging, and cut it.
    assert kept.hanging == [(0, 0)] + [(1, 0)] * 18
    segment_starts = [at for at, e in watching.events if type(e).__name__ == "SegmentStarted"]
    assert segment_starts == [0, 2, 22, 25, 45, 47]  # exactly the plan, to the tick
    assert record.active_s == ROUTINE.planned_s == 61 and clock.monotonic() == 61
    for process in kept.processes:  # every one of them hung, and every one was cut
        assert process.poll() == -9, process.args


def test_a_helper_past_its_limit_is_stopped_and_reported(tmp_path: Path) -> None:
    now = [0.0]
    helpers = Helpers(limit_s=5, monotonic=lambda: now[0])
    assert helpers.start(["sleep", "60"])
    helpers.reap()
    assert helpers.running == 1 and not helpers.take_failures()
    now[0] = 6.0
    helpers.reap()
    assert helpers.running == 0 and helpers.take_failures() == ["sleep: stopped after 5s"]
    assert not helpers.start([str(tmp_path / "missing")])
    assert helpers.take_failures()[0].startswith(f"{tmp_path / 'missing'}: ")


def test_a_failing_player_is_said_once_on_the_message_line(tmp_path: Path) -> None:
    from tests.test_engine import NullView

    failing = Player(Program("false", ("false", "{file}")), 70)
    guide = Guide(failing, None, frozenset(SOUNDS))
    inner = NullView()
    view = GuidedSessionView(inner, guide)
    guide.play([Cue("step")])
    failing.helpers.wait(10)  # `false` has exited with 1: the next update says so, once
    from breakctl.core.day import SessionSnapshot

    view.update([], SessionSnapshot(phase="work", cycle=1, cycles=None, paused=False))
    view.update([], SessionSnapshot(phase="work", cycle=1, cycles=None, paused=False))
    assert inner.messages == ["sound: false: exit 1"]
    assert os.environ.get("BREAKCTL_HOME")  # the autouse home: nothing of the user's touched


@pytest.mark.parametrize(
    ("options", "sound", "voice"),
    [((), True, False), (("--no-bell",), False, False), (("--no-bell", "--voice"), False, True)],
)
def test_break_with_no_day_running_takes_the_sound_options_of_routine(
    paths: Paths,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    options: tuple[str, ...],
    sound: bool,
    voice: bool,
) -> None:
    from typer.testing import CliRunner

    import breakctl.host.guide as guide_module
    from breakctl.cli import app
    from breakctl.host.context import AppContext

    made = []

    def noted(settings: object) -> Guide:  # what the routine run is guided with
        made.append(settings)
        return Guide(None, None, frozenset())

    monkeypatch.setattr(guide_module.Guide, "from_settings", staticmethod(noted))
    ctx = AppContext(paths=paths, clock=clock, keys=ScriptedKeys(clock, {}), env={})
    result = CliRunner().invoke(app, ["break", "look-away", *options], obj=ctx)
    assert result.exit_code == 0, result.output
    assert [(s.sound, s.voice) for s in made] == [(sound, voice)]  # type: ignore[attr-defined]
