"""Where breakctl keeps its files. BREAKCTL_HOME=DIR puts everything under DIR; otherwise
the platform's conventions (XDG base directories on Linux and other Unixes)."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from breakctl.store.locations import locate


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    state_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def routines_dir(self) -> Path:
        return self.config_dir / "routines"

    @property
    def history_file(self) -> Path:
        return self.data_dir / "history.jsonl"

    @property
    def state_file(self) -> Path:
        return self.state_dir / "current.json"

    @property
    def routine_file(self) -> Path:
        """The routine run on its own (`breakctl routine NAME`): status.py reads it by name."""
        return self.state_dir / "routine.json"

    @classmethod
    def from_env(cls, env: Mapping[str, str], platform: str = sys.platform) -> Paths:
        config, data, state = locate(env, platform)
        return cls(Path(config), Path(data), Path(state))


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def ensure_private_dir(path: Path) -> None:
    """Create a folder and any missing parents readable by the user only (history is health
    data), whatever the umask. Folders that already exist are left as they are."""
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_DIR)
        except FileExistsError:
            continue  # another command made it first; it is theirs to have set up
        os.chmod(folder, PRIVATE_DIR)  # the umask may have taken bits off the mode


def open_private(path: Path, flags: int) -> int:
    """os.open, creating the file if need be; a file it creates is 0600 whatever the umask.
    Without O_NOFOLLOW in `flags`, a link is followed, and a dangling one creates its target."""
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:  # the usual case; or a link, which O_EXCL never follows
        try:
            return os.open(path, flags)
        except FileNotFoundError:
            if flags & os.O_NOFOLLOW:
                raise
            fd = os.open(path, flags | os.O_CREAT, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
    except OSError:
        os.close(fd)
        raise
    return fd


def replace_file(path: Path, data: bytes | Sequence[memoryview]) -> None:
    """Write `path` whole via a temp file and rename: readers see the old file or the new
    one, never half of either. Created private to the user, like every breakctl file.
    A symbolic link at `path` is replaced by the file, not followed. `data` may come in
    pieces, written one after another (never joined: a big file costs no copy)."""
    _write_then(path, data, lambda tmp: os.replace(tmp, path))


def create_file(path: Path, data: bytes) -> None:
    """Create `path` whole, or not at all: written to a temp file, synced, then linked into
    place, which fails (FileExistsError) if anything, a dangling link included, is there."""
    _write_then(path, data, lambda tmp: _link_new(tmp, path), sync=True, unlink_tmp=True)


def _link_new(tmp: str, path: Path) -> None:
    try:
        os.link(tmp, path)
    except OSError as exc:
        # A file system without hard links (FAT, some network ones): check, then rename.
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK) or os.path.lexists(path):
            raise
        os.rename(tmp, path)


def _write_then(
    path: Path,
    data: bytes | Sequence[memoryview],
    finish: Callable[[str], None],
    *,
    sync: bool = False,
    unlink_tmp: bool = False,
) -> None:
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        os.fchmod(fd, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        finish(tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if unlink_tmp:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
