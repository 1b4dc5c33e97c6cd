"""A routine or a day you can follow without looking: the cues of core/cues played through a
sound player and spoken through a speech command, beside whatever screen is drawn. The views
here wrap a screen: they hear each update, cue, and pass it on unchanged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from breakctl.core.config_schema import SOUND_EVENTS
from breakctl.core.cues import (
    BREAK_DUE,
    BREAK_OVER,
    BREATHE_IN,
    BREATHE_OUT,
    HOLD_END,
    NUDGE,
    STEP,
    Cue,
    DayCues,
    RoutineCues,
)
from breakctl.core.day import SessionEvent, SessionSnapshot
from breakctl.core.routine_run import Event, Snapshot
from breakctl.host.sound import PLAYERS, SPEAKERS, Player, Program, Speaker, find_program

LAST_WORDS_S = 3.0  # at the end of a run, the last chime and phrase may take this long
# Which sounds each [sound] per-event key turns on or off.
SOUNDS_OF_KEY = {
    "break_due": (BREAK_DUE,),
    "step": (STEP,),
    "hold_end": (HOLD_END,),
    "break_over": (BREAK_OVER,),
    "breath": (BREATHE_IN, BREATHE_OUT),
    "nudge": (NUDGE,),
}
assert set(SOUNDS_OF_KEY) == {key for key, _ in SOUND_EVENTS}


@dataclass(frozen=True)
class GuideSettings:
    sound: bool
    volume: int
    player: str | None  # [sound] player, or None: the first one found
    sounds: frozenset[str]  # the sounds on, by name
    voice: bool
    voice_command: str | None


def over_ssh(env: Mapping[str, str]) -> bool:
    return any(env.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"))


def guide_settings(
    values: Mapping[str, Mapping[str, Any]],
    env: Mapping[str, str],
    *,
    bell: bool,
    voice: bool | None,
) -> GuideSettings:
    """[sound] and [voice] as read from config.toml (`values`, keys read through the schema),
    under the command line: `bell` False (--no-bell) silences every sound and the voice
    config turned on; `voice` True (--voice) speaks this once, False never."""
    sound, speech = values.get("sound", {}), values.get("voice", {})
    enabled = sound.get("enabled")
    on = bell and (enabled if enabled is not None else not over_ssh(env))
    names = frozenset(
        name for key, names in SOUNDS_OF_KEY.items() if sound.get(key, True) for name in names
    )
    speaking = voice if voice is not None else bell and bool(speech.get("enabled", False))
    return GuideSettings(
        sound=bool(on),
        volume=int(sound.get("volume", 70)),
        player=sound.get("player"),
        sounds=names,
        voice=speaking,
        voice_command=speech.get("command"),
    )


class Guide:
    """Plays and says cues: one sound at a time (the first of a moment's), its phrases said
    as one. Never waits for either."""

    def __init__(
        self,
        player: Player | None,
        speaker: Speaker | None,
        sounds: frozenset[str],
        broken: Sequence[str] = (),
    ) -> None:
        self.player = player
        self.speaker = speaker
        self.sounds = sounds
        self.broken = list(broken)  # a configured command that cannot run: said at first
        self._reported: set[str] = set()

    @classmethod
    def from_settings(cls, settings: GuideSettings) -> Guide:
        broken: list[str] = []

        def program(on: bool, what: str, configured: str | None, known: Any) -> Program | None:
            try:
                return find_program(configured, known) if on else None
            except ValueError as exc:  # the day goes on without it (the bell stands in)
                broken.append(f"{what}: {exc}")
                return None

        player = program(settings.sound, "sound", settings.player, PLAYERS)
        speech = program(settings.voice, "voice", settings.voice_command, SPEAKERS)
        return cls(
            Player(player, settings.volume) if player else None,
            Speaker(speech) if speech else None,
            settings.sounds,
            broken,
        )

    @property
    def plays(self) -> bool:
        """Whether chimes go through a player (else the screens ring the terminal bell)."""
        return self.player is not None

    @property
    def active(self) -> bool:
        return self.player is not None or self.speaker is not None or bool(self.broken)

    def play(self, cues: Sequence[Cue]) -> None:
        sound = next((c.sound for c in cues if c.sound and c.sound in self.sounds), None)
        if sound and self.player is not None:
            self.player.play(sound)
        phrases = [c.say for c in cues if c.say]
        if phrases and self.speaker is not None:
            self.speaker.say(". ".join(phrases))

    def problems(self) -> list[str]:
        """New failures of the player or speech command, each kind said once."""
        found, self.broken = self.broken, []
        for what, program in (("sound", self.player), ("voice", self.speaker)):
            if program is None:
                continue
            program.helpers.reap()
            for line in program.helpers.take_failures():
                if line not in self._reported:
                    self._reported.add(line)
                    found.append(f"{what}: {line}")
        return found

    def close(self, grace_s: float = 0.0) -> None:
        """Stop what still plays or speaks; after a run that ended by itself, the last chime
        and phrase ("routine done") get up to `grace_s` to finish first."""
        for program in (self.player, self.speaker):
            if program is not None:
                program.helpers.wait(grace_s)


class GuidedRoutineView:
    """A routine's screen, with its cues played and said."""

    def __init__(self, view: Any, guide: Guide) -> None:
        self._view = view
        self._guide = guide
        self._cues = RoutineCues()
        self.problems: list[str] = []

    def __enter__(self) -> GuidedRoutineView:
        self._view.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        self._guide.close(grace_s=0.0 if exc[0] else LAST_WORDS_S)
        self.problems += self._guide.problems()
        return self._view.__exit__(*exc)

    def update(self, events: Sequence[Event], snapshot: Snapshot) -> None:
        self._guide.play(self._cues.cues(events, snapshot))
        self.problems += self._guide.problems()
        self._view.update(events, snapshot)


class GuidedSessionView:
    """The day's screen, with its cues played and said; a failing player or speech command
    says so once on the message line."""

    def __init__(self, view: Any, guide: Guide) -> None:
        self._view = view
        self._guide = guide
        self._cues = DayCues()

    def __enter__(self) -> GuidedSessionView:
        self._view.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        self._guide.close(grace_s=0.0 if exc[0] else LAST_WORDS_S)
        return self._view.__exit__(*exc)

    def update(self, events: Sequence[SessionEvent], snapshot: SessionSnapshot) -> None:
        self._guide.play(self._cues.cues(events, snapshot))
        self._view.update(events, snapshot)
        for line in self._guide.problems():
            self._view.message(line)

    def message(self, text: str, *, listed: bool = True) -> None:
        self._view.message(text, listed=listed)

    def prompt(self, text: str) -> None:
        self._view.prompt(text)


def test_guide(settings: GuideSettings) -> list[tuple[str, bool, str]]:
    """`notify --test`: play each sound, one after another, and say a phrase; (channel,
    worked, detail) naming the program used."""
    from breakctl.core.cues import SOUNDS

    guide = Guide.from_settings(settings)
    results: list[tuple[str, bool, str]] = []
    player, speaker = guide.player, guide.speaker
    broken = {line.partition(": ")[0]: line.partition(": ")[2] for line in guide.broken}
    if player is None:
        off = "off: over SSH, or [sound] enabled = false"
        missing = "no player found (pw-play, paplay, aplay, afplay): the terminal bell stands in"
        missing = broken.get("sound", missing)
        results.append(("sound", False, missing if settings.sound else off))
    for sound in SOUNDS if player is not None else ():
        assert player is not None
        results.append(_tried(f"sound {sound}", player.play(sound), player, "played"))
    if speaker is None:
        missing = broken.get("voice", "no speech command found (spd-say, espeak-ng, say)")
        off = "off: turn it on with [voice] enabled = true, or --voice"
        results.append(("voice", False, missing if settings.voice else off))
    else:
        results.append(_tried("voice", speaker.say("breakctl voice test"), speaker, "said"))
    return results


def _tried(
    channel: str, started: bool, program: Player | Speaker, verb: str
) -> tuple[str, bool, str]:
    """How one try went: waited for (bounded), then ok or the first failure."""
    program.helpers.wait(PLAY_WAIT_S)
    failed = program.helpers.take_failures()
    ok = started and not failed
    return channel, ok, f"{verb} with {program.program.name}" if ok else failed[0]


PLAY_WAIT_S = 5.0  # one sound of notify --test at most this long before the next
