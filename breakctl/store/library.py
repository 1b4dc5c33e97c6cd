"""Exercise and routine TOML files -> model objects, with errors that name file, line and field.

Built-in data lives in the top-level routines/ folder (shipped as breakctl/routines in the
wheel); a user's routines/ folder in the config dir adds to it and overrides it by name.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from breakctl.core import figures
from breakctl.core.durations import parse_duration
from breakctl.core.errors import DataError, StorageError
from breakctl.core.model import AREAS, POSITIONS, Exercise, Routine, Step

EXERCISES_FILE = "exercises.toml"
EXERCISE_KEYS = (
    "name", "position", "targets", "hold", "reps", "pace", "sides", "cues", "caution", "figure",
)  # fmt: skip
ROUTINE_KEYS = ("name", "title", "summary", "rest", "exercises", "steps")
STEP_KEYS = ("exercise", "hold", "reps", "pace", "sides")
# Words `breakctl routine` uses itself, and the library file: no routine may be called these.
RESERVED_NAMES = frozenset({"list", "show", "check", "new", "run", "help", "exercises"})
DEFAULT_REST_S = 5.0
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_STEP_HEADER = re.compile(r"\s*\[\[\s*steps\s*\]\]")
_TABLE_HEADER = re.compile(r"\s*\[\s*(exercises\s*\.\s*)?[\"']?([^\"'\]]*?)[\"']?\s*\]")
_KEY_LINE = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=")
# A routine or exercise file larger than this is refused unread: the longest built-in file
# is a few KiB, and one file must not cost seconds or megabytes to load.
MAX_FILE_BYTES = 1024 * 1024
MAX_REPS = 1000


def builtin_dir() -> Path:
    """The built-in routines folder: inside the installed package, else the source checkout's."""
    packaged = Path(__file__).resolve().parents[1] / "routines"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "routines"


def is_valid_name(name: str) -> bool:
    return bool(_KEBAB.fullmatch(name))


class _Lines:
    """Finds the line a table or key starts on, so value errors can point into the file.

    One pass over the file indexes every table header, so each look-up is a dict access:
    a routine of thousands of steps costs time in proportion to its length, not its square."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()
        self._steps: list[int] = []
        self._tables: dict[tuple[bool, str], int] = {}
        self._keys: dict[str, int] = {}
        for number, line in enumerate(self._lines, start=1):
            if _STEP_HEADER.match(line):
                self._steps.append(number)
            elif header := _TABLE_HEADER.match(line):
                where = (header.group(1) is not None, header.group(2))
                self._tables.setdefault(where, number)
            elif key := _KEY_LINE.match(line):
                self._keys.setdefault(key.group(1), number)

    def step(self, index: int) -> int | None:
        return self._steps[index] if index < len(self._steps) else None

    def table(self, exercise_id: str, private: bool) -> int | None:
        return self._tables.get((private, exercise_id))

    def key(self, key: str) -> int | None:
        return self._keys.get(key)

    def section(self, name: str) -> int | None:
        """The line of the `[name]` table header."""
        return self._find(rf"\s*\[\s*{re.escape(name)}\s*\]")

    def key_in_table(self, table_line: int | None, key: str) -> int | None:
        """The line of `key = ...` inside the table starting at `table_line`, if it is there."""
        if table_line is None:
            return None
        pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(table_line + 1, len(self._lines) + 1):
            line = self._lines[number - 1]
            if line.lstrip().startswith("["):
                break
            if pattern.match(line):
                return number
        return None


TomlLines = _Lines  # for other TOML files (config.toml) whose errors point at a line


@dataclass
class _Problems:
    """Collects every problem in one file, so the user fixes them all in one go."""

    path: Path
    lines: _Lines
    messages: list[str] = field(default_factory=list)

    def add(self, line: int | None, message: str) -> None:
        where = f"{self.path}:{line}" if line else f"{self.path}"
        self.messages.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise DataError(*self.messages)


def read_toml(path: Path) -> tuple[dict[str, Any], _Problems]:
    """Parse a TOML file; a syntax error names the file and line."""
    try:
        raw = _read_regular_file(path, MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise DataError(f"{path}: larger than {MAX_FILE_BYTES // 1024} KiB: not a routine file")
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, expected a .toml file") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise StorageError(f"{path}: cannot read: {exc.strerror}") from None
    problems = _Problems(path, _Lines(text))
    try:
        return tomllib.loads(text), problems
    except RecursionError:
        problems.add(None, "TOML nested too deeply to be a routine or exercise file")
    except ValueError as exc:  # an integer of more than 4,300 digits
        if isinstance(exc, tomllib.TOMLDecodeError):
            raise _syntax_error(exc, text, problems) from None
        problems.add(None, "a number in this file has over 4,300 digits")
    problems.raise_if_any()
    raise AssertionError("unreachable")


def _read_regular_file(path: Path, limit: int) -> bytes:
    """Up to `limit` bytes of `path`, opened without blocking so that a FIFO or device named
    *.toml cannot hang the command; DataError unless it is a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise DataError(f"{path}: not a regular file")
        with open(fd, "rb", closefd=False) as handle:
            return handle.read(limit)
    finally:
        os.close(fd)


def _syntax_error(exc: tomllib.TOMLDecodeError, text: str, problems: _Problems) -> DataError:
    """A TOML syntax error as a problem naming the file and line."""
    message = str(exc)
    match = _TOML_LINE.search(message)
    line = int(match.group(1)) if match else None
    if line is None and "end of document" in message:
        line = max(1, len(text.splitlines()))
    reason = _TOML_LINE.sub("", message).replace("(at end of document)", "(at the end)").strip()
    problems.add(line, f"TOML syntax error: {reason}")
    return DataError(*problems.messages)


def _unknown_keys(data: dict[str, Any], allowed: Iterable[str]) -> list[tuple[str, str]]:
    """(key, message) for each key that is not in `allowed`, with a did-you-mean hint."""
    allowed = tuple(allowed)
    found = []
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            found.append((key, f"unknown key '{key}'{hint}; expected one of: {', '.join(allowed)}"))
    return found


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
    values: dict[str, Any] = {}
    checks = {
        "name": lambda v: _text(v, "name"),
        "caution": lambda v: _text(v, "caution"),
        "hold": lambda v: _duration(v, "hold"),
        "pace": lambda v: _duration(v, "pace"),
        "reps": _reps,
        "sides": lambda v: _bool(v, "sides"),
        "figure": _figure,
    }
    for key, check in checks.items():
        if key in data:
            try:
                values[key] = check(data[key])
            except DataError as exc:
                report(str(exc), key)
    for key in ("name", "position", "targets", "cues"):
        if key not in data:
            report(f"missing required field '{key}'")
    position = data.get("position")
    if "position" in data and position not in POSITIONS:
        report(
            f"position: expected one of {', '.join(POSITIONS)}, got {_show(position)}", "position"
        )
    targets = data.get("targets")
    if "targets" in data:
        if not isinstance(targets, list) or not targets:
            report(
                f"targets: expected a non-empty list of body areas, got {_show(targets)}", "targets"
            )
        else:
            for area in targets:
                if area not in AREAS:
                    known = ", ".join(AREAS)
                    report(f"targets: unknown body area {_show(area)}; known: {known}", "targets")
    cues = data.get("cues")
    if "cues" in data and (
        not isinstance(cues, list)
        or not cues
        or not all(isinstance(c, str) and c.strip() for c in cues)
    ):
        report(f"cues: expected a list of at least one non-empty text, got {_show(cues)}", "cues")
    if "hold" not in data and "reps" not in data:
        report("missing a dose: give 'hold' (e.g. \"30s\"), 'reps' (e.g. 10), or both")
    if len(report.problems.messages) > before:
        return None
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
        figure_mirrored=figures.mirror(values["figure"]) if "figure" in values else None,
    )


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
    data: dict[str, Any], problems: _Problems, *, private: bool = False
) -> dict[str, Exercise]:
    """A table of exercise tables keyed by id -> {id: Exercise}; problems are collected."""
    exercises: dict[str, Exercise] = {}
    for ex_id, table in data.items():
        line = problems.lines.table(ex_id, private)
        label = f"exercises.{ex_id}" if private else f"exercise '{ex_id}'"
        exercise = _parse_exercise(ex_id, table, _Reporter(problems, line, label))
        if exercise is not None:
            exercises[ex_id] = exercise
    return exercises


def parse_routine(
    data: dict[str, Any], problems: _Problems, library: dict[str, Exercise], source: str
) -> Routine:
    """A routine's TOML data -> Routine; raises DataError listing every problem found."""
    lines = problems.lines
    top = _Reporter(problems, None, "")
    for key, message in _unknown_keys(data, ROUTINE_KEYS):
        problems.add(lines.key(key), message)
    name = data.get("name")
    if "name" not in data:
        top("missing required field 'name'")
    elif not isinstance(name, str) or not _KEBAB.fullmatch(name):
        problems.add(
            lines.key("name"), f"name: expected a kebab-case name like 'my-desk', got {_show(name)}"
        )
    elif name in RESERVED_NAMES:
        problems.add(lines.key("name"), f"name: '{name}' is reserved by breakctl; pick another")
    title, summary = name, ""
    for key in ("title", "summary"):
        if key in data:
            try:
                value = _text(data[key], key)
            except DataError as exc:
                problems.add(lines.key(key), str(exc))
                continue
            title, summary = (value, summary) if key == "title" else (title, value)
    rest_s = DEFAULT_REST_S
    if "rest" in data:
        try:
            rest_s = _duration(data["rest"], "rest", allow_zero=True)
        except DataError as exc:
            problems.add(lines.key("rest"), str(exc))

    private = data.get("exercises", {})
    exercises = dict(library)
    if not isinstance(private, dict):
        problems.add(lines.key("exercises"), "exercises: expected tables like [exercises.my-move]")
    else:
        exercises.update(parse_exercises(private, problems, private=True))

    raw_steps = data.get("steps")
    steps: list[Step] = []
    if raw_steps is None or raw_steps == []:
        top('a routine needs at least one step: add a [[steps]] table with exercise = "<id>"')
    elif not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
        problems.add(lines.key("steps"), "steps: expected [[steps]] tables")
    else:
        for index, raw in enumerate(raw_steps):
            step = _parse_step(index, raw, exercises, problems, private)
            if step is not None:
                steps.append(step)
    problems.raise_if_any()
    return Routine(
        name=name,
        title=title,
        summary=summary,
        rest_s=rest_s,
        steps=tuple(steps),
        source=source,
        path=problems.path,
    )


def _parse_step(
    index: int,
    raw: dict[str, Any],
    exercises: dict[str, Exercise],
    problems: _Problems,
    private: Any,
) -> Step | None:
    ex_id = raw.get("exercise")
    context = f"step {index + 1}" + (f" ({ex_id})" if isinstance(ex_id, str) else "")
    report = _Reporter(problems, problems.lines.step(index), context)
    before = len(problems.messages)
    for key, message in _unknown_keys(raw, STEP_KEYS):
        report(message, key)
    exercise = None
    if "exercise" not in raw:
        report("missing required field 'exercise' (an exercise id such as 'seated-knee-hug')")
    elif not isinstance(ex_id, str) or ex_id not in exercises:
        close = difflib.get_close_matches(str(ex_id), list(exercises), n=1)
        hint = f"did you mean '{close[0]}'?" if close else "see `breakctl routine exercises`"
        if isinstance(private, dict) and isinstance(ex_id, str) and ex_id in private:
            hint = f"its [exercises.{ex_id}] table has errors"
        report(f"exercise: unknown exercise id {_show(ex_id)} ({hint})", "exercise")
    else:
        exercise = exercises[ex_id]
    overrides: dict[str, Any] = {}
    checks = {
        "hold": lambda v: _duration(v, "hold"),
        "pace": lambda v: _duration(v, "pace"),
        "reps": _reps,
        "sides": lambda v: _bool(v, "sides"),
    }
    for key, check in checks.items():
        if key in raw:
            try:
                overrides[key] = check(raw[key])
            except DataError as exc:
                report(str(exc), key)
    if exercise is None or len(problems.messages) > before:
        return None
    return Step(
        exercise=exercise,
        hold_s=overrides.get("hold", exercise.hold_s),
        reps=overrides.get("reps", exercise.reps),
        pace_s=overrides.get("pace", exercise.pace_s),
        sides=overrides.get("sides", exercise.sides),
    )


def load_exercise_file(path: Path) -> dict[str, Exercise]:
    data, problems = read_toml(path)
    exercises = parse_exercises(data, problems)
    problems.raise_if_any()
    return exercises


def load_routine_file(path: Path, library: dict[str, Exercise], source: str) -> Routine:
    data, problems = read_toml(path)
    return parse_routine(data, problems, library, source)


def is_routine_data(data: dict[str, Any]) -> bool:
    """A routine file has top-level `steps` or a text `name`; an exercise library has neither."""
    return "steps" in data or isinstance(data.get("name"), str)


class Catalog:
    """Every exercise and routine a user can run: built-in files, then the user's on top."""

    def __init__(self, builtin: Path, user: Path) -> None:
        self.builtin = builtin
        self.user = user
        self._exercises: dict[str, Exercise] | None = None
        # What is wrong with the user's exercise file and routines folder: reported by
        # `routine list` and `routine exercises`, never in the way of what does load.
        self.problems: list[str] = []

    @property
    def exercises(self) -> dict[str, Exercise]:
        if self._exercises is None:
            exercises = load_exercise_file(self.builtin / EXERCISES_FILE)
            user_file = self.user / EXERCISES_FILE
            if os.path.isfile(user_file):  # False in a folder it cannot read (noted elsewhere)
                # A bad exercise is left out (with its problem kept), never the whole library.
                try:
                    data, found = read_toml(user_file)
                    exercises.update(parse_exercises(data, found))
                    self._note(found.messages)
                except (DataError, StorageError) as exc:
                    self._note(exc.problems)
            self._exercises = exercises
        return self._exercises

    def _note(self, problems: Iterable[str]) -> None:
        seen = set(self.problems)
        self.problems.extend(p for p in dict.fromkeys(problems) if p not in seen)

    def routine_files(self) -> dict[str, tuple[Path, str]]:
        """{name: (path, source)}, the user's file winning over a built-in of the same name.
        An unreadable user folder is noted in `problems` and its routines left out."""
        found: dict[str, tuple[Path, str]] = {}
        for folder, source in ((self.builtin, "built-in"), (self.user, "user")):
            try:
                names = sorted(entry.name for entry in os.scandir(folder))
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as exc:
                self._note([f"{folder}: cannot read the routines folder: {exc.strerror}"])
                continue
            for file_name in names:
                if file_name.endswith(".toml") and file_name != EXERCISES_FILE:
                    path = folder / file_name
                    found[path.stem] = (path, source)
        return found

    def load(self, name: str) -> Routine:
        """The routine called `name`; DataError listing the known names when there is none."""
        files = self.routine_files()
        if name not in files:
            by_field = self._find_by_name_field(name, files)
            if by_field is not None:
                path, source = by_field
                return load_routine_file(path, self.exercises, source)
            loadable = [n for n, (path, _) in files.items() if self._loads(path)]
            known = ", ".join(sorted(loadable)) or "none"
            close = difflib.get_close_matches(name, loadable, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise DataError(
                f"no routine named '{name}'.{hint} Known routines: {known}", *self.problems
            )
        path, source = files[name]
        return load_routine_file(path, self.exercises, source)

    def _loads(self, path: Path) -> bool:
        """Whether a routine file loads: a broken one is not offered as a known routine."""
        try:
            load_routine_file(path, self.exercises, "user")
        except (DataError, StorageError):
            return False
        return True

    @staticmethod
    def _find_by_name_field(
        name: str, files: dict[str, tuple[Path, str]]
    ) -> tuple[Path, str] | None:
        """A file whose `name` field is `name` though its file name differs (user first)."""
        for path, source in sorted(files.values(), key=lambda item: item[1] != "user"):
            try:
                data, _ = read_toml(path)
            except (DataError, StorageError):
                continue
            if data.get("name") == name:
                return path, source
        return None

    def load_all(self) -> tuple[list[Routine], list[str]]:
        """Every routine that loads, and one message per file that does not."""
        routines, problems = [], []
        for _name, (path, source) in sorted(self.routine_files().items()):
            try:
                routines.append(load_routine_file(path, self.exercises, source))
            except (DataError, StorageError) as exc:
                problems.extend(exc.problems)
        return routines, [*self.problems, *problems]
