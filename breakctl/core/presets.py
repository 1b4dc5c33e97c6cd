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
BUCKLEY = "Buckley et al. 2015, The sedentary office: an expert statement, Br J Sports Med"


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
    # All-seated routines offered only with --seated: on its own a standing preset never
    # offers a break that keeps you in the chair.
    seated: tuple[str, ...] = ()
    # Every walk_every-th long break is a walk of walk_break_s, with one of walk_routines.
    walk_every: int = 0
    walk_break_s: float = 0.0
    walk_routines: tuple[str, ...] = ()

    @property
    def stand_after_s(self) -> float | None:
        """How far into a block its stand-up nudge comes (cornell, sit-stand), if it has one."""
        return next((n.at_s for n in self.nudges if n.say == STAND_UP), None)


M = 60.0
# No preset keeps anyone in the chair longer than 60 minutes, and the pain presets keep each
# block shorter than the sitting time after which the pain starts. The seated stand-ins are
# for --seated only: on its own, a standing preset's break gets you on your feet.
MICRO = ("micro",)
SEATED_MICRO = ("desk-micro",)  # --seated: light movement without leaving the chair
MOVE = ("neck", "standing", "wfh", "desk-short", "strength", "wrists")
PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "pomodoro",
            "Classic Pomodoro",
            25 * M,
            5 * M,
            15 * M,
            4,
            (*MOVE, *MICRO),
            ("desk", "floor", "lunch", "strength"),
            "Stand up, walk about, drink some water.",
            f"25-minute blocks, a longer break after every fourth ({CIRILLO})",
            seated=SEATED_MICRO,
        ),
        Preset(
            "micro",
            "Micro breaks",
            30 * M,
            1 * M,
            1 * M,
            0,
            MICRO,
            MICRO,
            "Stand up and shake it out.",
            f"a one-minute move every 30 minutes ({MICRO_BREAKS}); sit no more than "
            f"30 minutes ({WFH})",
            seated=SEATED_MICRO,
        ),
        Preset(
            "hourly",
            "Hourly reset",
            55 * M,
            5 * M,
            5 * M,
            0,
            MOVE,
            MOVE,
            WALK,
            f"short, frequent breaks: about 5 minutes after 50-60 minutes ({HSE})",
        ),
        Preset(
            "pain-now",
            "Pain as soon as you sit",
            20 * M,
            5 * M,
            10 * M,
            2,
            MICRO,
            ("standing", "wfh", "neck", "desk-short"),
            WALK,
            f"pain at once: a routine about every hour, light movement and 5-10 minute "
            f"walks between ({PAIN_SERIES})",
            note=SAFETY,
            seated=SEATED_MICRO,
        ),
        # The source's 10-20 minute walks come "up to 3 times per day": every second long
        # break (every 95 min) is a walk, two or three in a working day.
        Preset(
            "pain-30",
            "Pain after 30+ minutes",
            25 * M,
            5 * M,
            10 * M,
            3,
            MICRO,
            ("floor", "wfh", "standing", "desk-short", "desk", "strength"),
            LIGHT,
            f"pain after 30+ min: blocks shorter than that, a routine every 1-2 hours, "
            f"light movement between; every second long break a 10-20 minute walk, up to "
            f"3 a day ({PAIN_SERIES})",
            note=SAFETY,
            seated=SEATED_MICRO,
            walk_every=2,
            walk_break_s=15 * M,
            walk_routines=("walk-break",),
        ),
        Preset(
            "pain-60",
            "Pain after an hour or more",
            50 * M,
            10 * M,
            45 * M,
            3,
            (*MICRO, "neck", "standing"),
            ("long-walk", "lunch"),
            LIGHT,
            f"pain after 1 h+: blocks under an hour, a routine twice a day before and after "
            f"a 30-minute walk, light movement between ({PAIN_SERIES})",
            note=SAFETY,
            seated=(*SEATED_MICRO, "desk-short"),
        ),
        Preset(
            "mclean",
            "30-second micro-breaks",
            20 * M,
            30,
            30,
            0,
            ("stand-reset",),
            ("stand-reset",),
            "Stand, roll your shoulders, look into the distance.",
            "30 s micro-breaks every 20 min, on your feet: the study measured neck, back, "
            "shoulder and wrist discomfort (McLean et al. 2001, Applied Ergonomics)",
            seated=("look-away",),
        ),
        Preset(
            "dunstan",
            "Walk every 20 minutes",
            20 * M,
            2 * M,
            2 * M,
            0,
            (),
            (),
            "Walk for two minutes at an easy pace.",
            "a 2-minute light walk every 20 min: lower blood glucose and insulin after a "
            "meal than unbroken sitting (Dunstan et al. 2012, Diabetes Care)",
        ),
        Preset(
            "cornell",
            "Sit 20, stand 8, move 2",
            28 * M,
            2 * M,
            2 * M,
            0,
            MICRO,
            MICRO,
            "Move: walk about, stretch.",
            "20 min sitting, 8 standing, 2 moving (Cornell University Ergonomics, Hedge)",
            nudges=(Nudge(STAND_UP, at_s=20 * M),),
            seated=SEATED_MICRO,
        ),
        Preset(
            "sit-stand",
            "Sit, stand, move",
            55 * M,
            5 * M,
            5 * M,
            0,
            MOVE,
            MOVE,
            WALK,
            f"change position about every 30 minutes: sit 30, work standing 25, then move "
            f"5; not long static standing either ({BUCKLEY}; {WFH})",
            nudges=(Nudge(STAND_UP, at_s=30 * M),),
        ),
        Preset(
            "hse",
            "Screen-work breaks",
            50 * M,
            10 * M,
            10 * M,
            0,
            (*MOVE, "eyes"),
            (*MOVE, "eyes"),
            WALK,
            f"5-10 min off-screen after 50-60 min of screen work ({HSE})",
        ),
        Preset(
            "eyes",
            "Eyes every 20, move every 40",
            20 * M,
            1 * M,
            5 * M,
            2,
            ("eyes", "look-away"),
            (*MOVE, *MICRO),
            "Stand up, look out of a window, walk about.",
            f"every 20 min look 6 m away for 20 s (the 20-20-20 rule, American Optometric "
            f"Association; its evidence is mixed); eye and movement breaks from screen work "
            f"({HSE})",
        ),
    )
}
DEFAULT_PRESET = "pomodoro"
POSTPONE_S = 5 * M
HEADS_UP_S = 30.0
