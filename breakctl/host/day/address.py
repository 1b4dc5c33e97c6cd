"""Where a day's socket is, and who may talk to it. Shared by the day and `attach`."""

from __future__ import annotations

import os
import socket
import struct
import sys
import zlib
from collections.abc import Mapping
from pathlib import Path

from breakctl.store.paths import Paths, ensure_private_dir

SOCKET_NAME = "day.sock"
MAX_SOCKET_PATH = 100  # AF_UNIX takes 107 bytes on Linux, 103 on macOS; keep clear of both


def socket_path(paths: Paths, env: Mapping[str, str]) -> Path:
    """The state folder's `day.sock`, or, when that path is too long for a socket,
    `$XDG_RUNTIME_DIR/breakctl/<hash of the state folder>.sock` (one per state folder)."""
    path = paths.state_dir / SOCKET_NAME
    if len(os.fsencode(path)) <= MAX_SOCKET_PATH:
        return path
    runtime = env.get("XDG_RUNTIME_DIR") or os.path.join(
        env.get("TMPDIR") or "/tmp", f"breakctl-{os.getuid()}"
    )
    # zlib, not hashlib: hashlib loads OpenSSL, a few MiB the day would carry all day.
    folder = os.fsencode(paths.state_dir.resolve())
    digest = f"{zlib.crc32(folder):08x}{zlib.adler32(folder):08x}"
    return Path(runtime) / "breakctl" / f"{digest}.sock"


def private_folder(path: Path) -> None:
    """The socket's folder: made 0700 if missing; refused when someone else owns it or others
    may write to it (a folder in /tmp someone else made first)."""
    ensure_private_dir(path)
    info = path.stat()
    if info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise PermissionError(f"{path} is not a private folder of this user")


def peer_uid(conn: socket.socket) -> int | None:
    """The user id of the process at the other end (None: this system cannot say)."""
    if sys.platform.startswith("linux"):
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _pid, uid, _gid = struct.unpack("3i", creds)
        return int(uid)
    if sys.platform == "darwin":  # LOCAL_PEERCRED: struct xucred {u_int version; uid_t uid; ...}
        local_peercred = getattr(socket, "LOCAL_PEERCRED", 0x001)
        creds = conn.getsockopt(0, local_peercred, struct.calcsize("IIh16I"))
        _version, uid = struct.unpack_from("II", creds)
        return int(uid)
    return None


def answers(path: Path) -> bool:
    """A day is listening at `path` (not just a socket file left by a killed one)."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(os.fspath(path))
    except OSError:
        return False
    finally:
        probe.close()
    return True
