"""Exercise and routine TOML, read into the model: every value checked, every problem named
with its file, line and field, all of them at once."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection
from typing import Any

from breakctl.core import figures
from breakctl.core.durations import parse_duration
from breakctl.core.errors import DataError
from breakctl.core.model import AREAS, POSITIONS, Exercise, Routine, Step
from breakctl.store import breath_parse
from breakctl.store.toml_source import _Problems, _unknown_keys

EXERCISES_FILE = "exercises.toml"
EXERCISE_KEYS = (
    "name", "position", "targets", "hold", "reps", "pace", "sides", "cues", "caution", "figure",
    "start", "feel", "easier", "harder", "breath",
)  # fmt: skip
LINKS = ("easier", "harder")  # fields that name another exercise by id
ROUTINE_KEYS = ("name", "title", "summary", "rest", "exercises", "steps")
STEP_KEYS = ("kind", "exercise", "hold", "reps", "pace", "sides")
# Words `breakctl routine` uses itself, and the library file: no routine may be called these.
RESERVED_NAMES = frozenset({"list", "show", "check", "new", "run", "help", "exercises"})
DEFAULT_REST_S = 5.0
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_REPS = 1000


def _duration(value: Any, what: str, *, allow_zero: bool = False) -> float:
    """A positive duration from TOML (bare numbers are seconds); DataError says what was wrong."""
    try:
        seconds = parse_duration(value, bare_unit="s")
    except DataError as exc:
        raise DataError(f"{what}: {exc}") from None
    if seconds == 0 and not allow_zero:
        raise DataError(f"{what}: must be longer than 0s")
    return seconds


def _reps(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_REPS:
        raise DataError(
            f"reps: expected a whole number of 1 or more (at most {MAX_REPS}), got {_show(value)}"
        )
    return value


def _bool(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise DataError(f"{what}: expected true or false, got {_show(value)}")
    return value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{what}: expected non-empty text, got {_show(value)}")
    return value.strip()


def _show(value: Any) -> str:
    """A value from a file, short enough for an error line (a 400-digit number is not)."""
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**30 else "a huge number"
    return text if len(text) <= 60 else text[:57] + "..."


def _figure(value: Any) -> str:
    if not isinstance(value, str):
        raise DataError(f"figure: expected a drawing as text (a ''' block), got {_show(value)}")
    figure = figures.tidy(value)
    problem = figures.problem(figure)
    if problem:
        raise DataError(problem)
    return figure


def _link(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _KEBAB.fullmatch(value):
        raise DataError(f"{what}: expected an exercise id like 'wall-push-up', got {_show(value)}")
    return value


# How each optional field of an exercise (and the dose fields of a step) is checked.
_DOSE_CHECKS: dict[str, Callable[[Any], Any]] = {
    "hold": lambda v: _duration(v, "hold"),
    "pace": lambda v: _duration(v, "pace"),
    "reps": _reps,
    "sides": lambda v: _bool(v, "sides"),
}
_EXERCISE_CHECKS: dict[str, Callable[[Any], Any]] = {
    "name": lambda v: _text(v, "name"),
    "caution": lambda v: _text(v, "caution"),
    "start": lambda v: _text(v, "start"),
    "feel": lambda v: _text(v, "feel"),
    "easier": lambda v: _link(v, "easier"),
    "harder": lambda v: _link(v, "harder"),
    **_DOSE_CHECKS,
    "figure": _figure,
}


def _checked(
    data: dict[str, Any], checks: dict[str, Callable[[Any], Any]], report: _Reporter
) -> dict[str, Any]:
    """The values of the fields present that pass their check; the others reported."""
    values: dict[str, Any] = {}
    for key, check in checks.items():
        if key in data:
            try:
                values[key] = check(data[key])
            except DataError as exc:
                report(str(exc), key)
    return values


def _parse_exercise(ex_id: str, data: Any, report: _Reporter) -> Exercise | None:
    """One exercise table -> Exercise, or None after reporting what is wrong with it."""
    if not isinstance(data, dict):
        report(f"expected a table of fields ({', '.join(EXERCISE_KEYS)}), got {_show(data)}")
        return None
    before = len(report.problems.messages)
    if not _KEBAB.fullmatch(ex_id):
        report("the id must be kebab-case: lowercase letters, digits and single dashes")
    for key, message in _unknown_keys(data, EXERCISE_KEYS):
        report(message, key)
    values = _checked(data, _EXERCISE_CHECKS, report)
    _check_exercise_fields(data, report)
    breath = breath_parse.exercise_breath(data, report)
    if len(report.problems.messages) > before:
        return None
    position, targets, cues = data["position"], data["targets"], data["cues"]
    # Checked above: a problem with any of these has returned already.
    assert isinstance(position, str) and isinstance(targets, list) and isinstance(cues, list)
    return Exercise(
        id=ex_id,
        name=values["name"],
        position=position,
        targets=tuple(targets),
        cues=tuple(c.strip() for c in cues),
        hold_s=values.get("hold"),
        reps=values.get("reps"),
        pace_s=values.get("pace"),
        sides=values.get("sides", False),
        caution=values.get("caution"),
        figure=values.get("figure"),
        start=values.get("start"),
        feel=values.get("feel"),
        easier=values.get("easier"),
        harder=values.get("harder"),
        breath=breath,
    )


def _check_exercise_fields(data: dict[str, Any], report: _Reporter) -> None:
    """The required fields of an exercise: there, and each of the right kind; and a dose."""
    for key in ("name", "position", "targets", "cues"):
        if key not in data:
            report(f"missing required field '{key}'")
    position = data.get("position")
    if "position" in data and position not in POSITIONS:
        report(
            f"position: expected one of {', '.join(POSITIONS)}, got {_show(position)}", "position"
        )
    if "targets" in data:
        _check_targets(data["targets"], report)
    cues = data.get("cues")
    if "cues" in data and (
        not isinstance(cues, list)
        or not cues
        or not all(isinstance(c, str) and c.strip() for c in cues)
    ):
        report(f"cues: expected a list of at least one non-empty text, got {_show(cues)}", "cues")
    if "hold" not in data and "reps" not in data:
        report("missing a dose: give 'hold' (e.g. \"30s\"), 'reps' (e.g. 10), or both")


def _check_targets(targets: Any, report: _Reporter) -> None:
    if not isinstance(targets, list) or not targets:
        report(f"targets: expected a non-empty list of body areas, got {_show(targets)}", "targets")
        return
    for area in targets:
        if area not in AREAS:
            known = ", ".join(AREAS)
            report(f"targets: unknown body area {_show(area)}; known: {known}", "targets")


class _Reporter:
    """Binds a problem list to a location prefix (line and context) for one table."""

    def __init__(self, problems: _Problems, line: int | None, context: str) -> None:
        self.problems = problems
        self._line = line
        self._context = context

    def __call__(self, message: str, key: str | None = None) -> None:
        """Report a problem; with `key`, point at that key's own line when it can be found."""
        line = self.problems.lines.key_in_table(self._line, key) if key else None
        text = f"{self._context}: {message}" if self._context else message
        self.problems.add(line or self._line, text)


def parse_exercises(
    data: dict[str, Any], problems: _Problems, *, private: bool = False,
    known: Collection[str] = (),
) -> dict[str, Exercise]:  # fmt: skip
    """A table of exercise tables keyed by id -> {id: Exercise}; problems are collected. An
    `easier` or `harder` link must name one of these exercises or one of `known`."""
    exercises: dict[str, Exercise] = {}
    for ex_id, table in data.items():
        line = problems.lines.table(ex_id, private)
        label = f"exercises.{ex_id}" if private else f"exercise '{ex_id}'"
        report = _Reporter(problems, line, label)
        exercise = _parse_exercise(ex_id, table, report)
        if exercise is not None and _links_hold(exercise, {*known, *data}, report):
            exercises[ex_id] = exercise
    return exercises


def _links_hold(exercise: Exercise, known: Collection[str], report: _Reporter) -> bool:
    """Whether `easier` and `harder` name other exercises that exist; each that does not is
    reported (and the exercise left out, like any other that has a problem)."""
    before = len(report.problems.messages)
    for key in LINKS:
        target = getattr(exercise, key)
        if target == exercise.id:
            report(f"{key}: an exercise cannot link to itself", key)
        elif target is not None and target not in known:
            close = difflib.get_close_matches(target, list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            report(f"{key}: unknown exercise id {_show(target)}{hint}", key)
    return len(report.problems.messages) == before


def parse_routine(
    data: dict[str, Any], problems: _Problems, library: dict[str, Exercise], source: str
) -> Routine:
    """A routine's TOML data -> Routine; raises DataError listing every problem found."""
    top = _Reporter(problems, None, "")
    for key, message in _unknown_keys(data, ROUTINE_KEYS):
        problems.add(problems.lines.key(key), message)
    name = _routine_name(data, problems, top)
    title, summary = _title_and_summary(data, problems, name)
    rest_s = DEFAULT_REST_S
    if "rest" in data:
        try:
            rest_s = _duration(data["rest"], "rest", allow_zero=True)
        except DataError as exc:
            problems.add(problems.lines.key("rest"), str(exc))
    private = data.get("exercises", {})
    exercises = dict(library)
    if not isinstance(private, dict):
        problems.add(
            problems.lines.key("exercises"), "exercises: expected tables like [exercises.my-move]"
        )
    else:
        exercises.update(parse_exercises(private, problems, private=True, known=library))
    steps = _routine_steps(data.get("steps"), exercises, problems, private, top)
    problems.raise_if_any()
    assert isinstance(name, str) and isinstance(title, str)  # checked: problems raised
    return Routine(
        name=name,
        title=title,
        summary=summary,
        rest_s=rest_s,
        steps=tuple(steps),
        source=source,
        path=problems.path,
    )


def _routine_name(data: dict[str, Any], problems: _Problems, top: _Reporter) -> Any:
    """The routine's name as written; reported when missing, not kebab-case, or reserved."""
    name = data.get("name")
    at = problems.lines.key("name")
    if "name" not in data:
        top("missing required field 'name'")
    elif not isinstance(name, str) or not _KEBAB.fullmatch(name):
        problems.add(at, f"name: expected a kebab-case name like 'my-desk', got {_show(name)}")
    elif name in RESERVED_NAMES:
        problems.add(at, f"name: '{name}' is reserved by breakctl; pick another")
    return name


def _title_and_summary(data: dict[str, Any], problems: _Problems, name: Any) -> tuple[Any, str]:
    """The title (the name when there is none) and the summary (empty when there is none)."""
    title, summary = name, ""
    for key in ("title", "summary"):
        if key in data:
            try:
                value = _text(data[key], key)
            except DataError as exc:
                problems.add(problems.lines.key(key), str(exc))
                continue
            title, summary = (value, summary) if key == "title" else (title, value)
    return title, summary


def _routine_steps(
    raw_steps: Any, exercises: dict[str, Exercise], problems: _Problems, private: Any,
    top: _Reporter,
) -> list[Step]:  # fmt: skip
    steps: list[Step] = []
    if raw_steps is None or raw_steps == []:
        top('a routine needs at least one step: add a [[steps]] table with exercise = "<id>"')
    elif not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
        problems.add(problems.lines.key("steps"), "steps: expected [[steps]] tables")
    else:
        for index, raw in enumerate(raw_steps):
            step = _parse_step(index, raw, exercises, problems, private)
            if step is not None:
                steps.append(step)
    return steps


def _parse_step(
    index: int, raw: dict[str, Any], exercises: dict[str, Exercise], problems: _Problems,
    private: Any,
) -> Step | None:  # fmt: skip
    ex_id = raw.get("exercise")
    context = f"step {index + 1}" + (f" ({ex_id})" if isinstance(ex_id, str) else "")
    report = _Reporter(problems, problems.lines.step(index), context)
    before = len(problems.messages)
    kind = breath_parse.step_kind(raw, report)
    for key, message in _unknown_keys(
        raw, breath_parse.BREATH_STEP_KEYS if kind == "breath" else STEP_KEYS
    ):
        report(message, key)
    exercise = None
    if kind == "breath" and "exercise" not in raw:
        exercise = breath_parse.unnamed(exercises)  # a breath step naming no exercise
    elif "exercise" not in raw:
        report("missing required field 'exercise' (an exercise id such as 'seated-knee-hug')")
    elif not isinstance(ex_id, str) or ex_id not in exercises:
        close = difflib.get_close_matches(str(ex_id), list(exercises), n=1)
        hint = f"did you mean '{close[0]}'?" if close else "see `breakctl routine exercises`"
        if isinstance(private, dict) and isinstance(ex_id, str) and ex_id in private:
            hint = f"its [exercises.{ex_id}] table has errors"
        report(f"exercise: unknown exercise id {_show(ex_id)} ({hint})", "exercise")
    else:
        exercise = exercises[ex_id]
    if kind == "breath" and exercise is not None:
        step = breath_parse.breath_step(raw, exercise, report)
        return step if len(problems.messages) == before else None
    overrides = _checked(raw, _DOSE_CHECKS, report)
    breath_parse.paced_by_breath(raw, exercise, report)
    if exercise is None or kind is None or len(problems.messages) > before:
        return None
    return Step(
        exercise=exercise,
        hold_s=overrides.get("hold", exercise.hold_s),
        reps=overrides.get("reps", exercise.reps),
        pace_s=overrides.get("pace", exercise.pace_s),
        sides=overrides.get("sides", exercise.sides),
        breath=exercise.breath,
    )
