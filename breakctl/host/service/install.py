"""`breakctl service install` and `service remove`: the file that starts the day at login,
written for the kind that works here, and taken away again, exactly as far as install went.

Install writes the file whole (never over a file breakctl did not write), records what it
did in service.json, and with --now enables and starts it. Remove stops what install started,
deletes only the files it wrote that are still as it wrote them, and says what it left."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from breakctl.core.errors import BreakctlError
from breakctl.core.service_files import (
    DETACHED,
    KINDS,
    UNIT_NAME,
    Kind,
    autostart_entry,
    launchd_plist,
    systemd_unit,
)
from breakctl.host.helper_run import HelperError, run_helper
from breakctl.host.service.managers import Managers
from breakctl.store.paths import Paths
from breakctl.store.service_place import (
    Installed,
    delete_service_file,
    digest,
    enabled_link,
    file_digest,
    read_installed,
    service_path,
    write_installed,
    write_service_file,
)
from breakctl.store.state import running_pid

# Where breakctl's files are, passed on so the service's day uses the same files as the
# shell that installed it (a user manager or a desktop session may not have these set).
PASSED_ON = ("BREAKCTL_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")
LAUNCHD_LOG = "service.log"
DETACH_TIMEOUT_S = 90.0  # `start --detach` itself waits up to 60 s for the day to listen


def this_breakctl(argv0: str, env: Mapping[str, str], python: str = sys.executable) -> list[str]:
    """The absolute command line of the breakctl that runs now, so the service runs the same
    install: its console script, else (`python -m breakctl`) this interpreter with -m."""
    script = Path(argv0)
    if script.name == "__main__.py":
        return [os.path.abspath(python), "-m", "breakctl"]
    if script.name.startswith("breakctl") and os.access(script, os.X_OK) and script.is_file():
        return [os.path.abspath(script)]
    found = shutil.which("breakctl", path=env.get("PATH"))
    return [os.path.abspath(found)] if found else [os.path.abspath(python), "-m", "breakctl"]


def passed_on(env: Mapping[str, str]) -> dict[str, str]:
    return {name: env[name] for name in PASSED_ON if env.get(name) and os.path.isabs(env[name])}


def service_file(kind: Kind, argv: Sequence[str], env: Mapping[str, str], paths: Paths) -> bytes:
    """The bytes install writes for `kind`."""
    given = passed_on(env)
    if kind == "systemd":
        return systemd_unit(argv, given)
    if kind == "launchd":
        return launchd_plist(argv, given, str(paths.state_dir / LAUNCHD_LOG))
    return autostart_entry(argv, given)


def install(
    paths: Paths, env: Mapping[str, str], kind: Kind, argv: Sequence[str], *, now: bool
) -> list[str]:
    """Write (or keep) the file of `kind`; with `now`, enable and start it. The lines to say."""
    path = service_path(kind, env)
    data = service_file(kind, argv, env, paths)
    records = read_installed(paths)
    before = next((r for r in records if r.kind == kind), None)
    on_disk = file_digest(path)
    if on_disk == digest(data):
        told = [f"{kind}: {path} is installed and up to date"]
    elif on_disk is None or (before is not None and on_disk == before.sha256):
        write_service_file(path, data)
        told = [f"{kind}: wrote {path}" + (" (updated)" if on_disk else "")]
    else:
        raise BreakctlError(
            f"{path} exists and is not the file breakctl wrote: move it away, then install again"
        )
    started = before.started if before is not None else False
    # Recorded before the manager is asked: a remove after a failed --now still finds it.
    mine = Installed(kind, str(path), digest(data), started)
    others = [r for r in records if r.kind != kind]
    write_installed(paths, [*others, mine])
    if now:
        told += _start(kind, path, paths, env, argv, changed=on_disk not in (None, mine.sha256))
        write_installed(paths, [*others, Installed(kind, str(path), mine.sha256, True)])
    else:
        told.append(_how_to_start(kind))
    told += [f"also installed: {r.kind} ({r.path}); `breakctl service remove` removes both"
             for r in others]  # fmt: skip
    return told


def _how_to_start(kind: Kind) -> str:
    if kind == "systemd":
        return f"starts at your next login; now: systemctl --user enable --now {UNIT_NAME}"
    if kind == "launchd":
        return "starts at your next login; now: breakctl service install --now"
    return "starts when your desktop session starts; now: breakctl start --detach"


def _start(
    kind: Kind, path: Path, paths: Paths, env: Mapping[str, str], argv: Sequence[str], *,
    changed: bool,
) -> list[str]:  # fmt: skip
    managers = Managers(env)
    if kind == "systemd":
        managers.systemctl("daemon-reload")
        managers.systemctl("enable", "--now", UNIT_NAME)
        if changed:  # a day already running runs the old command line: start it anew
            managers.systemctl("try-restart", UNIT_NAME)
        return [f"enabled and started: systemctl --user enable --now {UNIT_NAME}"]
    if kind == "launchd":
        with contextlib.suppress(HelperError):  # loaded (an earlier --now): load it anew
            managers.launchctl("bootout", managers.launchd_service())
        managers.launchctl("bootstrap", managers.launchd_target(), str(path))
        return [f"loaded: launchctl bootstrap {managers.launchd_target()} {path}"]
    pid = running_pid(paths)
    if pid is not None:
        return [f"a day already runs (pid {pid}): `breakctl attach` shows it"]
    command = [*argv, *DETACHED]
    out = run_helper(command, "breakctl start --detach", env, DETACH_TIMEOUT_S)
    return [out.decode("utf-8", "replace").strip() or "the day runs in the background"]


def remove(paths: Paths, env: Mapping[str, str], argv: Sequence[str]) -> tuple[list[str], bool]:
    """Undo what install did, kind by kind: (the lines to say, whether all of it was undone)."""
    records = {r.kind: r for r in read_installed(paths)}
    told: list[str] = []
    kept: list[Installed] = []
    for kind in KINDS:
        path = service_path(kind, env)
        record = records.get(kind)
        if record is None:  # service.json lost: the file is breakctl's if it is as written
            written = digest(service_file(kind, argv, env, paths))
            if file_digest(path) == written:
                record = Installed(kind, str(path), written)
            elif path.exists() or path.is_symlink():
                told.append(f"left {path}: breakctl has no record of writing it")
                continue
            else:
                continue
        try:
            told += _remove_one(record, paths, env)
        except HelperError as exc:
            told.append(f"{kind}: {exc}; {record.path} kept, `breakctl service remove` again")
            kept.append(record)
    write_installed(paths, kept)
    if not told:
        told.append("nothing to remove: no breakctl service is installed")
    return told, not kept


def _remove_one(record: Installed, paths: Paths, env: Mapping[str, str]) -> list[str]:
    managers = Managers(env)
    path = Path(record.path)
    told: list[str] = []
    if record.started and record.kind == "systemd":
        managers.systemctl("disable", "--now", UNIT_NAME)
        told.append(f"stopped and disabled: systemctl --user disable --now {UNIT_NAME}")
    elif record.started and record.kind == "launchd":
        try:
            managers.launchctl("bootout", managers.launchd_service())
            told.append(f"unloaded: launchctl bootout {managers.launchd_service()}")
        except HelperError as exc:  # unloaded by hand, or never loaded: nothing to undo
            told.append(f"not loaded: {exc}")
    on_disk = file_digest(path)
    if on_disk == record.sha256:
        delete_service_file(path)
        told.append(f"{record.kind}: deleted {path}")
    elif on_disk is not None:
        told.append(f"left {path}: changed since breakctl wrote it")
    if record.kind == "systemd" and record.started:
        managers.systemctl("daemon-reload")
    elif record.kind == "systemd" and enabled_link(env).is_symlink():
        told.append(f"left: it is still enabled; systemctl --user disable {UNIT_NAME}")
    pid = running_pid(paths) if record.kind == "autostart" else None
    if pid is not None:
        told.append(f"left: the day still runs (pid {pid}); `breakctl stop` ends it")
    return told


def clock_only_note(paths: Paths, env: Mapping[str, str]) -> str | None:
    """With no presence here and no [schedule], the day counts by the clock around the
    clock: the one line that says so and how to give it working hours."""
    from breakctl.host.presence.settings import presence_settings
    from breakctl.host.presence.sources import survey
    from breakctl.store.config import read_config, schedule_of

    config = read_config(paths.config_file)
    if schedule_of(config) is not None:
        return None
    presence = presence_settings(config.table("presence"))
    if presence.source != "off" and survey(presence, env).in_use != "none":
        return None
    return (
        "no presence and no [schedule]: the day counts by the clock, around the clock, nights "
        f'and weekends too; working hours: add [schedule] mon-fri = ["09:00-17:30"] to '
        f"{paths.config_file}, then `breakctl config check`"
    )
