"""Files breakctl writes at the user's request (`history export --output`, `stats --html`).

One helper for all of them, so each gets the same guarantees:
- never one of breakctl's own files: a path that is, or resolves to (through links, `..`, or
  a hard link), a file of the history folder, the old history.jsonl, config.toml or a state
  file is refused before anything is read or written;
- written whole: to a temp file beside the target, renamed over it once complete, so a full
  disk, a kill or an error leaves the previous file as it was;
- a symbolic link at the target stays a link: the file it points to is replaced, as
  `config set` does;
- only regular files: a FIFO, a device or a folder is refused (standard output is the default
  of every such option);
- private (0600), like the history the data comes from.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from breakctl.core.errors import DataError, StorageError
from breakctl.store.history_dir import HistoryPlace
from breakctl.store.paths import PRIVATE_FILE

# The names breakctl keeps in its state folder: the running block, locks, the control and
# reply files, the host id and the day cache with its id index (store/state.py, review.py).
STATE_NAMES = (
    "current.json",
    "routine.json",
    "*.lock",
    "control",
    "reply-*.json",
    "host-id",
    "service.json",
    "history-days*",
    ".*",
)
# The --help of every option that names such a file.
OUTPUT_HELP = (
    "File (default: standard output), written whole via a temp file and private (0600); a "
    "symlink's target is replaced, the link kept. Never a history, config or state file."
)


def _own_files(place: HistoryPlace) -> list[tuple[Path, tuple[str, ...], str]]:
    """(folder, name patterns, what it is) for every file an output must never replace."""
    paths = place.paths
    return [
        (place.folder, ("*",), "a file of the history folder"),
        (place.legacy.parent, (place.legacy.name,), "the history file"),
        (paths.config_file.parent, (paths.config_file.name,), "the config file"),
        (paths.state_dir, STATE_NAMES, "one of breakctl's state files"),
    ]


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def refuse_own_file(shown: Path, target: Path, place: HistoryPlace) -> None:
    """DataError when `target` (a path already resolved) is one of breakctl's own files, by
    its folder and name, or (a hard link) by being the same file as one."""
    parent = _stat(target.parent)
    for folder, patterns, what in _own_files(place):
        folder_stat = _stat(folder)
        if parent is None or folder_stat is None or not _same(parent, folder_stat):
            continue
        if any(fnmatch.fnmatchcase(target.name, pattern) for pattern in patterns):
            raise DataError(f"{shown}: that is {what}; write to another file")
    found = _stat(target)
    if found is not None and any(_same(found, own) for own in _precious(place)):
        raise DataError(f"{shown}: that is a history or config file; write to another file")


def _precious(place: HistoryPlace) -> Iterator[os.stat_result]:
    """The history files and the config, to catch a hard link to one from anywhere."""
    try:
        files = place.files()
    except StorageError:
        files = []
    for path in (*files, place.legacy, place.paths.config_file):
        found = _stat(path)
        if found is not None:
            yield found


def _refuse_special(shown: Path, target: Path) -> None:
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StorageError(f"{shown}: cannot write: {exc.strerror}") from None
    if stat.S_ISREG(mode):
        return
    what = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a FIFO"
        if stat.S_ISFIFO(mode)
        else ("a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    )
    raise DataError(
        f"{shown}: is {what}; expected a file to write (leave the option out "
        "to write to standard output)"
    )


def check_output(path: Path, place: HistoryPlace) -> Path:
    """The file writing `path` replaces (a link's target: the link stays a link), or a
    DataError when it must not be written. Cheap: a command checks before its work."""
    target = Path(os.path.realpath(path))
    refuse_own_file(path, target, place)
    _refuse_special(path, target)
    return target


@contextlib.contextmanager
def output_file(path: Path, place: HistoryPlace) -> Iterator[BinaryIO]:
    """A handle whose bytes become `path` once the block ends without an error; see above.
    Raises DataError for a path that must not be written, StorageError when writing fails."""
    target = check_output(path, place)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-", suffix=".tmp")
    except OSError as exc:
        raise StorageError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        os.fchmod(fd, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise StorageError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise
