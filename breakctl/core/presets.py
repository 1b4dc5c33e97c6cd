"""The presets of `breakctl start`: what a day of work blocks and breaks looks like, each with
the source it follows. Pure data, light to import (`breakctl presets` needs only this)."""

from __future__ import annotations

from dataclasses import dataclass

from breakctl.core.nudges import Nudge
from breakctl.core.safety import SAFETY

WALK = "Walk: around the room, to the window, up and down the stairs; get some water."
LIGHT = "Walk about and move lightly: to the window, up and down the stairs, get some water."

STAND_UP = "Stand up: keep working on your feet until the break"
# Sources a user can look up, by title and author.
CIRILLO = "Francesco Cirillo, The Pomodoro Technique"
HSE = "UK HSE, Working safely with display screen equipment"
MICRO_BREAKS = "C. Wulansari, Micro Breaks That Prevent Sitting-Induced Back Pain Fast"
WFH = "M. Derry, How to improve back pain while working from home"
PAIN_SERIES = "the video series Lower Back Pain from Sitting"


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    work_s: float
    break_s: float
    long_break_s: float
    long_every: int  # a long break after every N work blocks; 0 = never
    routines: tuple[str, ...]  # candidates for short breaks
    long_routines: tuple[str, ...]  # candidates for long breaks
    free: str  # what to do in the time no routine fills
    source: str
    nudges: tuple[Nudge, ...] = ()  # lines inside each work block, e.g. Cornell's stand cue
    note: str | None = None  # shown with the preset, e.g. the safety line on the pain presets


M = 60.0
# No preset keeps anyone in the chair longer than 60 minutes, and the pain presets keep each
# block shorter than the sitting time after which the pain starts.
SHORT = (
    "micro",
    "desk-micro",
)  # light movement, and a seated choice, for a break of a minute or more
PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("pomodoro", "Classic Pomodoro", 25 * M, 5 * M, 15 * M, 4,
               ("neck", "standing", "wfh", "desk-short", *SHORT), ("desk", "floor", "lunch"),
               "Stand up, walk about, drink some water.",
               f"25-minute blocks, a longer break after every fourth ({CIRILLO})"),
        Preset("micro", "Micro breaks", 30 * M, 1 * M, 1 * M, 0, SHORT, SHORT,
               "Stand up and shake it out.",
               f"a one-minute move every 30 minutes ({MICRO_BREAKS}); sit no more than "
               f"30 minutes ({WFH})"),
        Preset("hourly", "Hourly reset", 55 * M, 5 * M, 5 * M, 0,
               ("neck", "standing", "wfh", "desk-short"), ("neck", "standing", "wfh", "desk-short"),
               WALK, f"short, frequent breaks: about 5 minutes after 50-60 minutes ({HSE})"),
        Preset("pain-now", "Pain as soon as you sit", 20 * M, 5 * M, 10 * M, 2, SHORT,
               ("standing", "wfh", "neck", "desk-short"), WALK,
               f"pain at once: a routine about every hour, light movement and 5-10 minute "
               f"walks between ({PAIN_SERIES})", note=SAFETY),
        # The source's 10-20 minute walks are "up to 3 times per day": not one with each
        # routine (every 95 min, 4-5 a day), so the long break is the routine alone.
        Preset("pain-30", "Pain after 30+ minutes", 25 * M, 5 * M, 10 * M, 3, SHORT,
               ("floor", "wfh", "standing", "desk-short", "desk"), LIGHT,
               f"pain after 30+ min: blocks shorter than that, a routine every 1-2 hours, "
               f"light movement between; a 10-20 minute walk up to 3 times a day on top "
               f"({PAIN_SERIES})", note=SAFETY),
        Preset("pain-60", "Pain after an hour or more", 50 * M, 10 * M, 45 * M, 3,
               (*SHORT, "neck", "standing"), ("long-walk", "desk-short"), LIGHT,
               f"pain after 1 h+: blocks under an hour, a routine twice a day before and after "
               f"a 30-minute walk, light movement between ({PAIN_SERIES})", note=SAFETY),
        Preset("mclean", "30-second micro-breaks", 20 * M, 30, 30, 0, ("look-away",),
               ("look-away",), "Stand, roll your shoulders, look into the distance.",
               "30 s micro-breaks every 20 min (McLean et al. 2001, Applied Ergonomics)"),
        Preset("dunstan", "Walk every 20 minutes", 20 * M, 2 * M, 2 * M, 0, (), (),
               "Walk for two minutes at an easy pace.",
               "a 2-minute light walk every 20 min (Dunstan et al. 2012, Diabetes Care)"),
        Preset("cornell", "Sit 20, stand 8, move 2", 28 * M, 2 * M, 2 * M, 0, SHORT, SHORT,
               "Move: walk about, stretch.",
               "20 min sitting, 8 standing, 2 moving (Cornell University Ergonomics, Hedge)",
               nudges=(Nudge(STAND_UP, at_s=20 * M),)),
        Preset("hse", "Screen-work breaks", 50 * M, 10 * M, 10 * M, 0,
               ("neck", "standing", "wfh", "desk-short", "eyes"),
               ("neck", "standing", "wfh", "desk-short", "eyes"), WALK,
               f"5-10 min off-screen after 50-60 min of screen work ({HSE})"),
        Preset("eyes", "Eyes every 20, move every hour", 20 * M, 1 * M, 5 * M, 3,
               ("eyes", "look-away"), ("standing", "neck", "wfh", "desk-short", *SHORT),
               "Stand up, look out of a window, walk about.",
               f"every 20 min look 6 m away for 20 s (the 20-20-20 rule, American Optometric "
               f"Association); eye and movement breaks from screen work ({HSE})"),
    )
}  # fmt: skip
DEFAULT_PRESET = "pomodoro"
POSTPONE_S = 5 * M
HEADS_UP_S = 30.0
