"""What a spoken cue costs the loop that keeps a routine's clock, when the speech command hangs.

Usage: python benchmarks/cues.py [--smoke]
Each of N screen updates of a routine starts one phrase, as a step starting does. The speech
command is `sh -c 'exec sleep 60'`: it never finishes, so each new phrase has to cut the last
one. Prints the median and the worst time one update takes (the time the clock's loop is held)
with the guide, and the same updates with no guide (the reference, in the same run), and their
ratio. Goal: the worst update under 100 ms, so a hanging speech engine never delays the clock
by more than that.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import smoke_requested

from breakctl.core.model import Exercise, Routine, Step
from breakctl.core.routine_run import RoutineRun, SegmentStarted
from breakctl.host.guide import Guide, GuidedRoutineView
from breakctl.host.sound import Program, Speaker

HOLD = Exercise("hold", "Knee hug", "seated", ("core",), ("Hug.",), hold_s=5)


class Blank:
    def __enter__(self) -> Blank:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, events: object, snapshot: object) -> None:
        return None


def timed_updates(view: object, steps: int) -> list[float]:
    """Seconds each update takes, each one starting a step (and so a phrase)."""
    routine = Routine("bench", "Bench", "", 0, (Step(HOLD, 5, None, None, False),) * steps, "user")
    run = RoutineRun(routine, 0.0)
    timeline = run.timeline
    times = []
    with view:  # type: ignore[attr-defined]
        for index, segment in enumerate(timeline):
            at = sum(s.seconds for s in timeline[:index])
            snapshot = run.snapshot(at)
            start = time.perf_counter()
            view.update([SegmentStarted(segment, index)], snapshot)  # type: ignore[attr-defined]
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    steps = 10 if smoke_requested() else 60
    hang = Program("sh", ("sh", "-c", "exec sleep 60", "sh", "{text}"))
    guided = timed_updates(
        GuidedRoutineView(Blank(), Guide(None, Speaker(hang), frozenset())), steps
    )
    plain = timed_updates(Blank(), steps)
    ms = 1000.0
    print(f"updates: {steps}, each starting a phrase; the speech command never finishes")
    print(
        f"with a hanging speech command: median {statistics.median(guided) * ms:.2f} ms, "
        f"worst {max(guided) * ms:.2f} ms (goal: worst < 100 ms)"
    )
    print(
        f"reference, no guide:           median {statistics.median(plain) * ms:.3f} ms, "
        f"worst {max(plain) * ms:.3f} ms"
    )
    ratio = statistics.median(guided) / max(statistics.median(plain), 1e-9)
    print(f"ratio of medians: {ratio:.0f}x (the cost is one fork/exec and one kill per phrase)")


if __name__ == "__main__":
    main()
