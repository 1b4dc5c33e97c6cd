"""Chimes and spoken cues through the programs found here: a sound player (pw-play, paplay,
aplay, afplay, or [sound] player) for the WAV files shipped in breakctl/sounds/, and a speech
command (spd-say, espeak-ng, say, or [voice] command). No Python audio dependency: each is a
helper program, bounded and never waited for (see cue_helpers)."""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from breakctl.core.cues import SOUNDS
from breakctl.host.cue_helpers import Helpers

SOUND_DIR = Path(__file__).resolve().parent.parent / "sounds"
# Each player with how it takes a volume; {file} is the sound, {v1} the volume 0-1,
# {v65536} paplay's scale. aplay has no volume of its own: it plays at the system's.
PLAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pw-play", ("pw-play", "--volume={v1}", "{file}")),
    ("paplay", ("paplay", "--volume={v65536}", "{file}")),
    ("aplay", ("aplay", "-q", "{file}")),
    ("afplay", ("afplay", "-v", "{v1}", "{file}")),
)
SPEAKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("spd-say", ("spd-say", "--", "{text}")),
    ("espeak-ng", ("espeak-ng", "--", "{text}")),
    ("say", ("say", "--", "{text}")),
)
SPEECH_LIMIT_S = 15.0  # a phrase is a few seconds; longer is a hung speech engine
PLAYER_LIMIT_S = 5.0  # a chime is under a second


def sound_file(name: str) -> Path:
    assert name in SOUNDS, name
    return SOUND_DIR / f"{name}.wav"


def _fill(template: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """The command with each {placeholder} replaced inside its own argument: a value never
    becomes more than one argument, and no shell sees it."""
    argv = []
    for part in template:
        for key, value in values.items():
            part = part.replace("{" + key + "}", value)
        argv.append(part)
    return argv


@dataclass(frozen=True)
class Program:
    """A player or a speech command: its name, as said to the user, and its argv template."""

    name: str
    template: tuple[str, ...]


def find_program(
    configured: str | None,
    known: Sequence[tuple[str, tuple[str, ...]]],
    which: Callable[[str], str | None] = shutil.which,
) -> Program | None:
    """The configured command (split like a shell would, never run through one), else the
    first known program installed here, else None. A configured command that cannot be split
    (a quote not closed) is a ValueError saying so."""
    if configured:
        try:
            template = tuple(shlex.split(configured))
        except ValueError as exc:
            raise ValueError(f"{configured!r} cannot be run: {str(exc).lower()}") from None
        return Program(template[0], template) if template else None
    for name, template in known:
        if which(name):
            return Program(name, template)
    return None


class Player:
    """Plays the shipped sounds through one player program at one volume (0-100)."""

    def __init__(self, program: Program, volume: int, helpers: Helpers | None = None) -> None:
        self.program = program
        self.volume = max(0, min(100, volume))
        self.helpers = helpers or Helpers(PLAYER_LIMIT_S)

    def argv(self, name: str) -> list[str]:
        volume = self.volume / 100
        return _fill(
            self.program.template,
            {
                "file": str(sound_file(name)),
                "v1": f"{volume:.2f}",
                "v65536": str(round(volume * 65536)),
                "volume": str(self.volume),
            },
        )

    def play(self, name: str) -> bool:
        return self.helpers.start(self.argv(name))


class Speaker:
    """Says short phrases through one speech program; a new phrase cuts the one before."""

    def __init__(self, program: Program, helpers: Helpers | None = None) -> None:
        self.program = program
        self.helpers = helpers or Helpers(SPEECH_LIMIT_S)

    def say(self, text: str) -> bool:
        # A phrase begins with a letter or digit: never read as an option by the program.
        text = text.lstrip("-").strip()
        return bool(text) and self.helpers.start(
            _fill(self.program.template, {"text": text}), cut_previous=True
        )
