"""What presence across machines costs (#22 part 3): the same work countdown of the real
`breakctl start` in a pseudo-terminal, with presence files on (`[presence] across_machines =
true`, another machine's presence and history files in the folder, read every 5 s, this day's
own written every 30 s) and off (`across_machines = false`), measured in the same run. Both
with `source = "none"`, so the difference is the files alone. Prints the steady share of a
core and peak RSS for both, and the difference. Goal: no measurable CPU added (the difference
within the run-to-run noise of the reference). Asserts nothing.

Usage: python benchmarks/machines.py [--smoke]   (smoke: 5 s blocks instead of 60 s)
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from _timing import smoke_requested
from countdown import run_block

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from breakctl.core.machines import MachinePresence
from breakctl.store.presence_files import PresenceFolder

OTHER = "laptop-abc123"


def another_machine(home: Path) -> None:
    """A laptop in the shared folder: its presence file and a few hundred records."""
    folder = home / "history"
    now = datetime.now().astimezone()
    PresenceFolder(folder, OTHER).write(
        MachinePresence(host=OTHER, state="work", updated=now, last_input=now)
    )
    line = (
        '{"v":1,"kind":"work","started":"2026-03-02T09:00:00+01:00","ended":'
        '"2026-03-02T09:25:00+01:00","active_s":1500,"outcome":"completed","id":"%032x"}\n'
    )
    (folder / f"{OTHER}.jsonl").write_text("".join(line % i for i in range(500)))


def main() -> None:
    work_s = 5 if smoke_requested() else 60
    on = run_block(
        work_s, busy=False, presence="none", config="across_machines = true\n",
        prepare=another_machine,
    )  # fmt: skip
    off = run_block(
        work_s, busy=False, presence="none", config="across_machines = false\n",
        prepare=another_machine,
    )  # fmt: skip
    off_again = run_block(
        work_s, busy=False, presence="none", config="across_machines = false\n",
        prepare=another_machine,
    )  # fmt: skip
    caveat = " (smoke: window too short to judge)" if work_s < 60 else ""
    print(f"countdown, {work_s} s work block, real `breakctl start` in a pseudo-terminal{caveat}")
    print(f"  {'':<30}{'steady % core':>14}{'CPU whole run':>15}{'peak RSS':>12}")
    for name, r in (
        ("presence files on", on),
        ("off (reference)", off),
        ("off again (noise)", off_again),
    ):
        print(f"  {name:<30}{r['steady_pct']:>14.3f}{r['cpu_s']:>13.2f} s{r['peak_mib']:>8.1f} MiB")
    added = float(on["steady_pct"]) - float(off["steady_pct"])
    noise = abs(float(off_again["steady_pct"]) - float(off["steady_pct"]))
    print(f"  added by presence files: {added:+.3f} % of a core (noise between references: "
          f"{noise:.3f})")  # fmt: skip
    print("  goal: no measurable CPU added (within the noise)")


if __name__ == "__main__":
    main()
