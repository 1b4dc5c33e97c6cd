"""`breakctl status`: one short line for a status bar, called every second or so.

Stdlib only, and as little of it as possible: this runs before Typer, Rich or the rest of
breakctl is imported. It reads current.json (written by the running `breakctl start`), and if
that file's owner died, hands over to state.recover() to record the lost block; with no
`start` running, routine.json (written by `breakctl routine NAME` run on its own).
"""

from __future__ import annotations

import json
import os
import sys
import time

from breakctl.core.clockface import format_clock, plural
from breakctl.store.locations import locate

TYPE_CHECKING = False  # typing is not imported at run time: this path must stay light
if TYPE_CHECKING:
    from typing import Any

    Info = dict[str, Any]

USAGE = """Usage: breakctl status [--format TEMPLATE | --waybar | --json]

  One short line about the running `breakctl start` for a status bar or prompt:
  'work 12:34', 'break desk 2/6', 'paused 44:12' (a timed pause counts down), 'away 3:12',
  'held 12:34' (the break due waits for a call or a meeting: time since it came due),
  'off 14:32' (time until working hours), 'routine neck 1:23' (a routine run on its own);
  nothing when nothing runs.

  --format TEMPLATE  e.g. '{phase} {remaining}'; fields: {phase} {remaining} {minutes}
                     {routine} {step} {cycle} {cycles} {today}
  --waybar           waybar's JSON: text, tooltip, class, percentage
  --json             {"v", "state", "remaining_s", "ends_at", "resumes_at", "routine",
                      "cycle", "cycles", "skips_left", "presence", "mode", "attached"},
                      plus "away_s" when "away", "held_s" and "held_by" when "held";
                      presence: "ok", "retrying" or "off"; mode: "foreground" or
                      "background"; attached: screens showing it
"""


def _owner_alive(state_dir: str, lock: str = "start.lock") -> bool:
    import fcntl

    try:
        fd = os.open(os.path.join(state_dir, lock), os.O_RDWR | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True  # someone holds the lock: the `start` that wrote the file is running
    finally:
        os.close(fd)  # also releases the lock if we took it
    return False


def _read_json(path: str) -> Info | None:
    try:
        with open(path, encoding="utf-8") as handle:
            state = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None
    return state if isinstance(state, dict) else None


def read_routine_state(state_dir: str) -> Info | None:
    """The state of a routine run on its own, or None; a file left by a run that died (its
    lock free) is not shown, and its run so far is recovered on the way."""
    state = _read_json(os.path.join(state_dir, "routine.json"))
    if state is None:
        return None
    if not _owner_alive(state_dir, "routine.lock"):
        _recover(routine=True)
        return None
    return {**state, "phase": "routine"}


def read_live_state(state_dir: str) -> Info | None:
    """The running session's state, or None; recovers a dead session's block on the way."""
    state = _read_json(os.path.join(state_dir, "current.json"))
    if state is None:
        return None
    if not _owner_alive(state_dir):
        _recover(routine=False)
        return None
    return state


def _recover(routine: bool) -> None:
    """Record what a dead `start` (or routine run) left: rare, so imported only then."""
    from breakctl.store.paths import Paths
    from breakctl.store.state import recover_or_warn

    recover_or_warn(Paths.from_env(os.environ), _warn, routine=routine)


def _warn(text: str) -> None:
    sys.stderr.write(f"breakctl: {text}\n")


PRESENCE_STATES = ("ok", "retrying", "off")  # the idle-time source: read, failing, none
KINDS = ("break", "off", "away", "held", "routine")  # a phase that is its own kind (else work)
MODES = ("foreground", "background")  # the day with its own screen, or without one


def _number(value: object) -> float:
    """A number from the state file; anything else (a hand edit, a torn write) reads as 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return 0.0
    return float(min(max(value, 0), 1e9))


# What every output format shows when nothing runs.
IDLE: Info = {
    "state": "idle",
    "phase": "idle",
    "remaining_s": None,
    "ends_at": None,
    "resumes_at": None,
    "routine": None,
    "step": None,
    "steps": None,
    "cycle": None,
    "cycles": None,
    "skips_left": None,
    "today": 0,
    "percentage": 0,
    "away_s": None,
    "held_s": None,
    "held_by": [],
    "presence": "off",
    "mode": None,
    "attached": 0,
}


def _counted_on(state: Info, key: str, now: float) -> float | None:
    """Seconds the state file gave (away, held), counting on from when it was written."""
    value = state.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return round(value + max(0.0, now - float(state.get("heartbeat_epoch") or now)), 3)


def describe(state: Info | None, now: float) -> Info:
    """The fields every output format is made from."""
    if state is None:
        return dict(IDLE)
    phase = state.get("phase") or "work"
    away = _counted_on(state, "away_s", now) if phase == "away" else None
    paused = bool(state.get("paused")) or phase == "wait"
    ends = state.get("ends_at_epoch")
    resumes = state.get("resumes_at_epoch")
    if isinstance(resumes, int | float) and (paused or phase == "off"):
        remaining = _number(resumes - now)  # a timed pause, or the time until working hours
    elif not paused and isinstance(ends, int | float):
        remaining = _number(ends - now)
    else:
        remaining = _number(state.get("remaining_s"))
    planned = _number(state.get("planned_s"))
    today = state.get("today")
    today = today if isinstance(today, dict) else {}
    breaks_today = today.get("breaks", 0) if today.get("date") == time.strftime("%Y-%m-%d") else 0
    kind = "paused" if paused else (phase if phase in KINDS else "work")
    skips_left, held_by = state.get("skips_left"), state.get("held_by")
    presence = state.get("presence")  # a day's only; an older `start` did not write it
    # An older `start` (and a routine run on its own) is a terminal showing itself.
    mode = state.get("mode") if state.get("mode") in MODES else "foreground"
    attached = state.get("attached")
    return {
        "mode": mode,
        "attached": attached if isinstance(attached, int) and attached >= 0 else 1,
        "presence": presence if presence in PRESENCE_STATES else "off",
        "state": kind,
        "phase": "paused" if paused else phase,
        "away_s": away,
        "held_s": _counted_on(state, "held_s", now) if phase == "held" else None,
        "held_by": [str(r) for r in held_by] if isinstance(held_by, list) else [],
        "remaining_s": round(remaining, 3),
        "ends_at": None if paused else state.get("ends_at"),
        "resumes_at": state.get("resumes_at") if kind in ("paused", "off") else None,
        "skips_left": skips_left if isinstance(skips_left, int) else None,
        "routine": state.get("routine"),
        "step": state.get("step"),
        "steps": state.get("steps"),
        "cycle": state.get("cycle"),
        "cycles": state.get("cycles"),
        "today": breaks_today,
        "percentage": round(100 * (1 - remaining / planned)) if planned else 0,
    }


def line(info: Info) -> str:
    if info["state"] == "idle":
        return ""
    if info["state"] in ("paused", "off"):
        return f"{info['state']} {format_clock(info['remaining_s'])}"
    if info["state"] in ("away", "held"):  # held: since the break came due (#21)
        return f"{info['state']} {format_clock(info[info['state'] + '_s'] or 0)}"
    if info["state"] == "routine":
        return f"routine {info['routine']} {format_clock(info['remaining_s'])}"
    if info["state"] == "break":
        parts = ["break"]
        if info["routine"]:
            parts.append(info["routine"])
        if info["step"] and info["steps"]:
            parts.append(f"{info['step']}/{info['steps']}")
        else:
            parts.append(format_clock(info["remaining_s"]))
        return " ".join(parts)
    return f"work {format_clock(info['remaining_s'])}"


def render(info: Info, mode: str, template: str | None) -> str | None:
    if mode == "json":
        keys = (
            "state",
            "remaining_s",
            "ends_at",
            "resumes_at",
            "routine",
            "cycle",
            "cycles",
            "skips_left",
            "presence",
            "mode",
            "attached",
        )
        extra = {"away_s": info["away_s"]} if info["state"] == "away" else {}
        if info["state"] == "held":
            extra = {"held_s": info["held_s"], "held_by": info["held_by"]}
        return json.dumps({"v": 1, **{key: info[key] for key in keys}, **extra})
    if mode == "waybar":
        text = line(info)
        of = f" of {info['cycles']}" if info["cycles"] else ""
        block = f" · block {info['cycle']}{of}" if info["cycle"] else ""
        tooltip = (
            "breakctl: nothing running"
            if info["state"] == "idle"
            else f"{text}{block} · {plural(info['today'], 'break')} today"
        )
        return json.dumps(
            {
                "text": text,
                "tooltip": tooltip,
                "class": info["state"],
                "percentage": info["percentage"],
            }
        )
    if info["state"] == "idle":
        return None
    if template is not None:
        remaining = info["remaining_s"] or 0
        fields = {
            "phase": info["phase"],
            "remaining": format_clock(remaining),
            "minutes": int(-(-remaining // 60)),
            "routine": info["routine"] or "",
            "step": info["step"] or "",
            "cycle": info["cycle"] or "",
            "cycles": info["cycles"] or "",
            "today": info["today"],
        }
        check_template(template)
        try:
            return template.format(**{key: _plain(value) for key, value in fields.items()})
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise ValueError(f"--format: {exc} in {template!r}") from None
    return line(info)


FIELDS = ("phase", "remaining", "minutes", "routine", "step", "cycle", "cycles", "today")
MAX_WIDTH = 200  # a status bar is one short line: no field is padded wider than this


def check_template(template: str) -> None:
    """Raise ValueError naming the problem unless every field of `template` is one of FIELDS,
    used as is (no .attribute, [index] or nested {}), and padded to at most MAX_WIDTH."""
    from _string import formatter_parser  # type: ignore[import-not-found]  # str.format's, in C

    try:
        parts = list(formatter_parser(template))
    except ValueError as exc:
        raise ValueError(f"--format: {exc} in {template!r}") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in FIELDS:
            raise ValueError(
                f"--format: unknown field {{{name}}}; fields: "
                + " ".join(f"{{{field}}}" for field in FIELDS)
            )
        if conversion not in (None, "s", "r") or "{" in spec:
            raise ValueError(f"--format: {{{name}}} takes a plain format like {{{name}:>6}}")
        digits = "".join(c if c.isdecimal() else " " for c in spec).split()
        if any(len(run) > 3 or int(run) > MAX_WIDTH for run in digits):
            raise ValueError(f"--format: widths are at most {MAX_WIDTH}, in {{{name}:{spec}}}")
    try:  # a spec the field's type does not take ({today:%Y}), found with or without a block
        template.format(**_SAMPLE)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"--format: {exc} in {template!r}") from None


_SAMPLE = {"phase": "work", "remaining": "25:00", "minutes": 25, "routine": "desk"}
_SAMPLE |= {"step": 1, "cycle": 1, "cycles": 4, "today": 0}


def _plain(value: object) -> object:
    """Text and whole numbers only, so a format spec cannot reach anything else."""
    return value if isinstance(value, str | int) and not isinstance(value, bool) else str(value)


def parse_args(argv: list[str]) -> tuple[str, str | None] | None:
    """(mode, template), or None for --help or anything it does not know."""
    mode, template = "line", None
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--json":
            mode = "json"
        elif arg == "--waybar":
            mode = "waybar"
        elif arg == "--format" and args:
            template = args.pop(0)
        elif arg.startswith("--format="):
            template = arg.split("=", 1)[1]
        else:
            return None
    return mode, template


def main(argv: list[str]) -> int:
    parsed = parse_args(argv)
    if parsed is None:
        if {"-h", "--help"} & set(argv):
            sys.stdout.write(USAGE)
            return 0
        sys.stderr.write(f"breakctl status: unknown option in {' '.join(argv)!r}\n{USAGE}")
        return 2
    mode, template = parsed
    if template is not None:
        try:
            check_template(template)  # a bad template is an error whether or not a block runs
        except ValueError as exc:
            sys.stderr.write(f"breakctl: {exc}\n")
            return 2
    state_dir = locate(os.environ, sys.platform)[2]
    state = read_live_state(state_dir) or read_routine_state(state_dir)
    info = describe(state, time.time())
    try:
        text = render(info, mode, template)
    except ValueError as exc:
        sys.stderr.write(f"breakctl: {exc}\n")
        return 2
    if text:
        sys.stdout.write(text + "\n")
    return 0
