"""Where exercises and routines come from: the built-in ones (the top-level routines/ folder,
shipped as breakctl/routines in the wheel) and a user's routines/ folder in the config dir,
which adds to them and overrides them by name."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from breakctl.core.errors import DataError, StorageError
from breakctl.core.model import Exercise, Routine
from breakctl.store.routine_parse import (
    EXERCISES_FILE,
    parse_exercises,
    parse_routine,
)
from breakctl.store.toml_source import read_toml

T = TypeVar("T")

_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def builtin_dir() -> Path:
    """The built-in routines folder: inside the installed package, else the source checkout's."""
    packaged = Path(__file__).resolve().parents[1] / "routines"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "routines"


def is_valid_name(name: str) -> bool:
    return bool(_KEBAB.fullmatch(name))


def load_exercise_file(path: Path) -> dict[str, Exercise]:
    data, problems = read_toml(path)
    exercises = parse_exercises(data, problems)
    problems.raise_if_any()
    return with_link_names(exercises)


def with_link_names(exercises: dict[str, Exercise]) -> dict[str, Exercise]:
    """The library with each `easier`/`harder` link's exercise name filled in: the screens
    name the move ("easier: Wall push-up"), the JSON keeps the id."""

    def name(ex_id: str | None) -> str | None:
        linked = exercises.get(ex_id) if ex_id is not None else None
        return linked.name if linked is not None else None

    return {
        ex_id: replace(
            exercise, easier_name=name(exercise.easier), harder_name=name(exercise.harder)
        )
        if exercise.easier or exercise.harder
        else exercise
        for ex_id, exercise in exercises.items()
    }


def load_routine_file(path: Path, library: dict[str, Exercise], source: str) -> Routine:
    data, problems = read_toml(path)
    return parse_routine(data, problems, library, source)


def is_routine_data(data: dict[str, Any]) -> bool:
    """A routine file has top-level `steps` or a text `name`; an exercise library has neither."""
    return "steps" in data or isinstance(data.get("name"), str)


class ExerciseField(Mapping[str, T]):
    """One field of every exercise, by id. The catalog is read on the first look-up: a review
    of days with nothing recorded never parses the exercise files."""

    def __init__(self, catalog: Catalog, read: Callable[[Exercise], T]) -> None:
        self._catalog, self._read = catalog, read

    def __getitem__(self, ex_id: str) -> T:
        return self._read(self._catalog.exercises[ex_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self._catalog.exercises)

    def __len__(self) -> int:
        return len(self._catalog.exercises)


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
                    exercises.update(parse_exercises(data, found, known=exercises))
                    self._note(found.messages)
                except (DataError, StorageError) as exc:
                    self._note(exc.problems)
                exercises = with_link_names(exercises)  # a user's move may link a built-in
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

    def builtin_names(self) -> set[str]:
        """The built-in routines' names: a user file of one of these names replaces it."""
        return {p.stem for p in self.builtin.glob("*.toml") if p.name != EXERCISES_FILE}

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
