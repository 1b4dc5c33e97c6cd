"""Whether anyone opened or closed some files since last asked: Linux inotify, via ctypes.

The camera source answers from its last /proc scan until a video device is opened or
closed: the scan costs a system call per open file of every process (tens of ms on a busy
desktop), the question "did anything happen?" one non-blocking read.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from typing import Any

_IN_OPEN = 0x20
_IN_CLOSE = 0x08 | 0x10  # IN_CLOSE_WRITE | IN_CLOSE_NOWRITE
_IN_GONE = 0x04 | 0x400 | 0x800  # IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF
_IN_NONBLOCK = os.O_NONBLOCK
_IN_CLOEXEC = 0o2000000
_DRAIN_READS = 64  # each read takes up to 64 KiB of events; a flood just means "changed"


class OpenWatch:
    """Watches a set of files for opens and closes. `changed()` says whether any happened
    since the last call (and True the first time, and whenever it cannot tell)."""

    def __init__(self) -> None:
        self._fd: int | None = None
        self._paths: frozenset[str] = frozenset()
        self._libc: Any = None

    def changed(self, paths: Iterable[str]) -> bool:
        wanted = frozenset(paths)
        if wanted != self._paths or self._fd is None:
            self.close()
            self._paths = wanted
            self._fd = self._watch(wanted)
            return True
        return self._drain(self._fd)

    def _watch(self, paths: frozenset[str]) -> int | None:
        """A new inotify descriptor watching every path, or None where that cannot be done."""
        libc = self._load()
        if libc is None:
            return None
        fd = int(libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC))
        if fd < 0:
            return None
        mask = _IN_OPEN | _IN_CLOSE | _IN_GONE
        for path in paths:
            if libc.inotify_add_watch(fd, os.fsencode(path), mask) < 0:
                os.close(fd)
                return None
        return fd

    def _load(self) -> Any:
        if self._libc is None:
            try:
                import ctypes

                libc = ctypes.CDLL(None, use_errno=True)
                libc.inotify_init1.argtypes = [ctypes.c_int]
                libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
            except (OSError, AttributeError, ImportError):  # not Linux, or no libc to speak to
                self._libc = False
            else:
                self._libc = libc
        return self._libc or None

    def _drain(self, fd: int) -> bool:
        seen = False
        for _ in range(_DRAIN_READS):
            try:
                if not os.read(fd, 65536):
                    break
            except BlockingIOError:
                return seen
            except OSError:
                self.close()
                return True
            seen = True
        return True

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)
