"""Writes the chimes shipped in breakctl/sounds/: short sine tones with a soft attack and an
exponential fade, 11025 Hz, 16-bit mono WAV, a few KB each. Made here, so they are ours to
ship (no sample library, no licence to track); tests/test_sound.py checks that the shipped
files are exactly what this writes.

    python tools/make_sounds.py [--out DIR]
"""

from __future__ import annotations

import argparse
import math
import struct
import wave
from pathlib import Path

RATE = 11025
PEAK = 0.6  # of full scale: chimes, not alarms
OUT = Path(__file__).resolve().parents[1] / "breakctl" / "sounds"

# name -> notes as (start s, length s, frequency at start Hz, frequency at end Hz)
CHIMES: dict[str, tuple[tuple[float, float, float, float], ...]] = {
    "break-due": ((0.0, 0.35, 659.3, 659.3), (0.18, 0.5, 880.0, 880.0)),  # E5 then A5: up
    "step": ((0.0, 0.3, 880.0, 880.0),),  # one soft A5
    "hold-end": ((0.0, 0.22, 1318.5, 1318.5),),  # a short high E6: let go
    "break-over": (
        (0.0, 0.3, 880.0, 880.0),
        (0.16, 0.3, 659.3, 659.3),
        (0.32, 0.5, 523.3, 523.3),
    ),  # A5 E5 C5: down, back to work
    "breathe-in": ((0.0, 0.6, 330.0, 495.0),),  # a rising sweep
    "breathe-out": ((0.0, 0.6, 495.0, 330.0),),  # a falling sweep
    "nudge": ((0.0, 0.15, 740.0, 740.0), (0.2, 0.2, 740.0, 740.0)),  # two light taps
}


def _note(t: float, length: float, start_hz: float, end_hz: float) -> float:
    """The note's sample `t` seconds into it: a 10 ms rise, then a fade to silence."""
    if not 0 <= t < length:
        return 0.0
    # The phase of a linear sweep: the integral of the frequency.
    phase = 2 * math.pi * (start_hz * t + (end_hz - start_hz) * t * t / (2 * length))
    attack = min(1.0, t / 0.01)
    fade = math.exp(-4.0 * t / length) * (1 - t / length)
    return math.sin(phase) * attack * fade


def samples(notes: tuple[tuple[float, float, float, float], ...]) -> bytes:
    total = max(start + length for start, length, _, _ in notes)
    frames = []
    for index in range(int(total * RATE)):
        t = index / RATE
        value = sum(_note(t - start, length, a, b) for start, length, a, b in notes)
        value = max(-1.0, min(1.0, value * PEAK))
        frames.append(struct.pack("<h", round(value * 32767)))
    return b"".join(frames)


def write(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, notes in CHIMES.items():
        path = out / f"{name}.wav"
        with wave.open(str(path), "wb") as sound:
            sound.setnchannels(1)
            sound.setsampwidth(2)
            sound.setframerate(RATE)
            sound.writeframes(samples(notes))
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    for path in write(parser.parse_args().out):
        print(f"{path}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
