"""Where the history lives: one folder of `<host-id>.jsonl` files, one per machine, plus the
history.jsonl of older versions (read, never written again). docs/history.md, "Folder"."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from breakctl.core.errors import DataError, StorageError
from breakctl.store.paths import Paths, ensure_private_dir

DIR_VAR = "BREAKCTL_HISTORY_DIR"
HOST_ID_FILE = "host-id"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class HistoryPlace:
    folder: Path  # every *.jsonl in it is history
    legacy: Path  # history.jsonl of breakctl before the folder: counted, never written
    paths: Paths

    @property
    def host_id(self) -> str:
        """This machine's id, made on first use: reading the history never needs it, so a
        full disk or a read-only home does not stop a command that only reads."""
        return host_id(self.paths)

    @property
    def host_file(self) -> Path:
        """The one file this machine appends to."""
        return self.folder / f"{self.host_id}.jsonl"

    def files(self) -> list[Path]:
        """Every history file, sorted by name, the legacy one first when it exists."""
        found: list[Path] = []
        if self.legacy.is_file():
            found.append(self.legacy)
        try:
            entries = sorted(os.scandir(self.folder), key=lambda e: e.name)
        except FileNotFoundError:
            entries = []
        except NotADirectoryError:
            raise StorageError(f"{self.folder}: not a folder (expected the history)") from None
        except OSError as exc:
            raise StorageError(f"{self.folder}: cannot read: {exc.strerror}") from None
        for entry in entries:
            if entry.name.endswith(".jsonl") and not entry.name.startswith("."):
                path = Path(entry.path)
                if path != self.legacy and entry.is_file():
                    found.append(path)
        return _distinct(found)


def _distinct(paths: list[Path]) -> list[Path]:
    """Each file once, however its path is spelled (a folder named with `..` that holds the
    old history.jsonl, a link to another history file): read twice, its records were counted
    as copies and its bad lines warned about twice."""
    seen: set[object] = set()
    out = []
    for path in paths:
        try:
            info = path.stat()
            key: object = (info.st_dev, info.st_ino)
        except OSError:
            key = path
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def history_folder(paths: Paths, env: Mapping[str, str] | None = None) -> Path:
    """BREAKCTL_HISTORY_DIR, else `[history] dir` of config.toml, else `history/` in the data
    folder (with BREAKCTL_HOME=DIR: DIR/history)."""
    env = os.environ if env is None else env
    named = env.get(DIR_VAR, "")
    if named:
        return Path(os.path.expanduser(named))
    table = _history_table(paths.config_file)
    value = table.get("dir")
    if value is not None:
        if not isinstance(value, str) or not value.strip():
            raise DataError(f"{paths.config_file}: history.dir: expected a folder, got {value!r}")
        folder = Path(os.path.expanduser(value))
        return folder if folder.is_absolute() else paths.config_dir / folder
    return paths.data_dir / "history"


def _history_table(path: Path) -> dict[str, object]:
    """[history] of config.toml, read here so that finding the history stays free of the rest
    of the settings (the one config schema in core should own this key once it exists)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError):
        return {}  # the command that reads the settings says what is wrong with the file
    import tomllib  # here, not at the top: most commands find no config file

    try:
        table = tomllib.loads(text).get("history", {})
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: TOML syntax error: {exc}") from None
    if not isinstance(table, dict):
        raise DataError(f"{path}: [history] must be a table")
    return table


def host_id(paths: Paths) -> str:
    """This machine's id: hostname plus a short random suffix, made once and kept in the state
    folder (a copy of the hostname on another machine still gets its own file)."""
    path = paths.state_dir / HOST_ID_FILE
    try:
        kept = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        kept = ""
    except OSError as exc:
        raise StorageError(f"{path}: cannot read: {exc.strerror}") from None
    if kept and not _UNSAFE.search(kept):
        return kept
    import secrets  # made once per machine: not worth importing on every command
    import tempfile

    name = _UNSAFE.sub("-", os.uname().nodename.split(".")[0]).strip("-.") or "host"
    made = f"{name[:40]}-{secrets.token_hex(3)}"
    # Written whole to a temp file, then linked into place: a second command starting at the
    # same moment sees no file or the whole id, never half of one, and the first link wins.
    try:
        ensure_private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".host-id-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(made + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            return path.read_text(encoding="utf-8").strip()
        finally:
            os.unlink(tmp)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise StorageError(f"{path}: disk full, cannot make this machine's id") from None
        raise StorageError(f"{path}: cannot create: {exc.strerror}") from None
    return made


def locate_history(paths: Paths, env: Mapping[str, str] | None = None) -> HistoryPlace:
    return HistoryPlace(history_folder(paths, env), paths.history_file, paths)
