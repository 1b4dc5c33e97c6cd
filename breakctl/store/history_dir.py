"""Where the history lives: one folder of `<host-id>.jsonl` files, one per machine, plus the
history.jsonl of older versions (read, never written again). docs/history.md, "Folder"."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from breakctl.core.errors import DataError, StorageError
from breakctl.store.paths import (
    Paths,
    create_file,
    ensure_private_dir,
    open_private,
    replace_file,
)

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
        """Every history file that can be read: the legacy one first when it exists, then each
        machine's own file followed by its sync conflict copies (so where a copy and the real
        file disagree, the real one is read first, and wins); `scan` also says which cannot be
        read, and why."""
        return self.scan()[0]

    def scan(self) -> tuple[list[Path], list[tuple[Path, str]]]:
        """The history files that can be read, and those that cannot with why: one file that
        cannot be read is skipped (and named) rather than stopping every reader."""
        found: list[Path] = []
        unreadable: list[tuple[Path, str]] = []
        candidates: list[tuple[Path, os.DirEntry[str] | None]] = []
        if os.path.lexists(self.legacy):
            candidates.append((self.legacy, None))
        try:
            entries = sorted(os.scandir(self.folder), key=lambda e: _file_order(e.name))
        except FileNotFoundError:
            entries = []
        except NotADirectoryError:
            raise StorageError(f"{self.folder}: not a folder (expected the history)") from None
        except OSError as exc:
            raise StorageError(f"{self.folder}: cannot read: {exc.strerror}") from None
        for entry in entries:
            if entry.name.endswith(".jsonl") and not entry.name.startswith("."):
                path = Path(entry.path)
                if path != self.legacy:
                    candidates.append((path, entry))
        for path, _ in candidates:
            why = _unreadable(path)
            if why is None:
                found.append(path)
            else:
                unreadable.append((path, why))
        return _distinct(found), unreadable


def _unreadable(path: Path) -> str | None:
    """Why `path` cannot be read as a history file, or None when it can: tried for real, as
    permissions alone do not tell (root, ACLs, network file systems)."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if os.path.islink(path):
            return f"a link that leads nowhere ({exc.strerror})"
        return f"cannot read: {exc.strerror}"
    if stat.S_ISDIR(mode):
        return "a folder, not a history file"
    if not stat.S_ISREG(mode):
        return "not a regular file (a FIFO, socket or device)"
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC))
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    return None


# Sync tools' names for a copy of FILE.jsonl they could not merge: Syncthing's
# FILE.sync-conflict-20261120-101010-ABCDEFG.jsonl, Dropbox's and Nextcloud's
# "FILE (conflicted copy 2026-11-20).jsonl" (a host id never holds a space or a parenthesis).
_SYNC_COPY = re.compile(r"^(?P<machine>.+?)(?:\.sync-conflict-[^.]*| \(.*)\.jsonl$")


def machine_of(name: str) -> tuple[str, bool]:
    """(the machine whose file `name` is, whether it is a sync tool's copy of that file)."""
    copy = _SYNC_COPY.match(name)
    if copy:
        return copy["machine"], True
    return name.removesuffix(".jsonl"), False


def _file_order(name: str) -> tuple[str, bool, str]:
    return (*machine_of(name), name)


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


# A host id names this machine's file in the folder: one plain file name, never hidden, never
# a path, short enough for every file system.
_HOST_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,63}")
HOST_ID_RULE = "letters, digits, '.', '_' or '-', at most 64, not starting with '.' or '-'"


def valid_host_id(text: str) -> bool:
    return _HOST_ID.fullmatch(text) is not None


def host_id(paths: Paths, warn: Callable[[str], None] | None = None) -> str:
    """This machine's id: hostname plus a short random suffix, made once and kept in the state
    folder (a copy of the hostname on another machine still gets its own file). A kept id that
    is not a safe file name is never used: a fresh one replaces it, and `warn` (stderr by
    default) says so, once."""
    path = paths.state_dir / HOST_ID_FILE
    kept = _read_host_id(path)
    if kept is not None and valid_host_id(kept):
        return kept
    made = _fresh_host_id()
    if kept is None:
        won = _create_host_id(path, made)
        if won == made or valid_host_id(won):
            return won
    return _replace_host_id(path, made, warn or _warn_stderr)


def _read_host_id(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8", "replace").strip(" \t\r\n")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"{path}: cannot read: {exc.strerror}") from None


def _fresh_host_id() -> str:
    import secrets  # made once per machine: not worth importing on every command

    name = _UNSAFE.sub("-", os.uname().nodename.split(".")[0]).strip("-.") or "host"
    return f"{name[:40]}-{secrets.token_hex(3)}"


def _create_host_id(path: Path, made: str) -> str:
    """Write `made` as the id unless one is there already; the id that won."""
    # Linked into place whole: a second command starting at the same moment sees no file or
    # the whole id, never half of one, and the first link wins.
    try:
        create_file(path, (made + "\n").encode())
    except FileExistsError:
        return _read_host_id(path) or ""
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    return made


def _replace_host_id(path: Path, made: str, warn: Callable[[str], None]) -> str:
    """Replace an unusable id with `made`, under a lock so that commands finding it at the
    same moment agree on one new id, and only the one that replaced it says so."""
    import fcntl

    try:
        ensure_private_dir(path.parent)
        fd = open_private(path.parent / ".host-id.lock", os.O_RDWR)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        kept = _read_host_id(path)
        if kept is not None and valid_host_id(kept):
            return kept  # another command replaced it first
        replace_file(path, (made + "\n").encode())
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    finally:
        os.close(fd)
    shown = repr(kept)[:60] + ("…" if len(repr(kept)) > 60 else "")
    warn(
        f"{path}: this machine's id {shown} is not a usable file name (expected "
        f"{HOST_ID_RULE}): replaced by {made!r}"
    )
    return made


def _cannot_write(path: Path, exc: OSError) -> StorageError:
    if exc.errno == errno.ENOSPC:
        return StorageError(f"{path}: disk full, cannot make this machine's id")
    return StorageError(f"{path}: cannot create: {exc.strerror}")


def _warn_stderr(text: str) -> None:
    import sys

    print(f"breakctl: warning: {text}", file=sys.stderr)


def locate_history(paths: Paths, env: Mapping[str, str] | None = None) -> HistoryPlace:
    return HistoryPlace(history_folder(paths, env), paths.history_file, paths)
