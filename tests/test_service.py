"""`breakctl service install/remove/status`, run as the real program: the unit passes the
real `systemd-analyze verify`, the plist parses with plistlib, the autostart entry passes the
real `desktop-file-validate` (CI installs both). `--now` cannot reach a real user systemd or
launchd in a container, so `systemctl` and `launchctl` are stand-ins on PATH that record
their command lines and answer as the real ones do; what they are asked is what is checked."""

from __future__ import annotations

import json
import os
import plistlib
import shutil
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakctl.host.service.install import this_breakctl
from breakctl.host.service.managers import default_kind
from breakctl.host.service.status import environment_fix
from tests.presence_helpers import need

BREAKCTL = Path(sys.executable).with_name("breakctl")
SHIM = """#!/bin/sh
echo "$(basename "$0") $*" >> "{log}"
case "$*" in
  *show-environment*) printf 'HOME=/home/u\\nLANG=C.UTF-8\\nWAYLAND_DISPLAY=wayland-1\\n' ;;
  *"show breakctl.service"*) printf 'UnitFileState=enabled\\nActiveState=active\\n' ;;
  *bootstrap*) touch "{log}.loaded" ;;
  *bootout*) rm "{log}.loaded" 2>/dev/null || {{ echo "Boot-out failed: 3: No such process" >&2; exit 3; }} ;;
esac
exit 0
"""


class Place:
    """A user's home for one test: HOME, XDG_CONFIG_HOME, BREAKCTL_HOME and a PATH whose
    systemctl and launchctl are recording stand-ins."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "user"
        self.config = root / "xdg-config"
        self.bin = root / "bin"
        self.log = root / "calls.log"
        self.runtime = root / "run"
        for folder in (self.home, self.bin, self.runtime):
            folder.mkdir(mode=0o700)
        for tool in ("systemctl", "launchctl"):
            shim = self.bin / tool
            shim.write_text(SHIM.format(log=self.log))
            shim.chmod(0o755)
        self.env = {
            "PATH": f"{self.bin}:{os.environ['PATH']}",
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.config),
            "XDG_RUNTIME_DIR": str(self.runtime),
            "BREAKCTL_HOME": str(root / "breakctl-home"),
            "LANG": "C.UTF-8",
            "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={root}/no-system-bus",
        }

    @property
    def unit(self) -> Path:
        return self.config / "systemd" / "user" / "breakctl.service"

    @property
    def plist(self) -> Path:
        return self.home / "Library" / "LaunchAgents" / "io.breakctl.day.plist"

    @property
    def desktop(self) -> Path:
        return self.config / "autostart" / "breakctl.desktop"

    def run(
        self, *args: str, program: Path = BREAKCTL, **env: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(program), *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


@pytest.fixture
def place(tmp_path: Path) -> Place:
    return Place(tmp_path)


@pytest.fixture
def user_systemd(place: Place) -> Iterator[None]:
    """The private socket a running user systemd has in the runtime folder (a real socket)."""
    (place.runtime / "systemd").mkdir()
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(place.runtime / "systemd" / "private"))
    try:
        yield
    finally:
        listener.close()


def odd_breakctl(place: Place) -> Path:
    """This breakctl reached through a folder whose name systemd and desktop entries must
    quote: a space, a percent sign (a specifier), a dollar (a variable there elsewhere)."""
    folder = place.root / "my tools 100% $HOME"
    folder.mkdir()
    link = folder / "breakctl"
    link.symlink_to(BREAKCTL)
    return link


def exec_start(unit: Path) -> str:
    (line,) = [x for x in unit.read_text().splitlines() if x.startswith("ExecStart=")]
    return line.removeprefix("ExecStart=")


# -- systemd --------------------------------------------------------------------------------


def systemd_verify(place: Place, unit: Path) -> subprocess.CompletedProcess[str]:
    need("systemd-analyze")
    return subprocess.run(
        ["systemd-analyze", "--user", "verify", str(unit)],
        env={**place.env, "SYSTEMD_LOG_COLOR": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_systemd_unit_passes_systemd_analyze_verify(place: Place) -> None:
    done = place.run("service", "install", "--kind", "systemd")
    assert done.returncode == 0, done.stderr
    assert f"systemd: wrote {place.unit}" in done.stdout
    assert stat.S_IMODE(place.unit.stat().st_mode) == 0o600
    text = place.unit.read_text()
    assert exec_start(place.unit) == f"{BREAKCTL} start --headless"
    for line in ("Restart=on-failure", "WantedBy=default.target"):
        assert line in text.splitlines()
    assert f"Environment=BREAKCTL_HOME={place.env['BREAKCTL_HOME']}" in text.splitlines()
    verified = systemd_verify(place, place.unit)
    assert verified.returncode == 0, verified.stderr
    assert "breakctl.service" not in verified.stderr, verified.stderr


def test_a_path_that_needs_quoting_still_verifies_and_runs(place: Place) -> None:
    program = odd_breakctl(place)
    done = place.run("service", "install", "--kind", "systemd", program=program)
    assert done.returncode == 0, done.stderr
    assert exec_start(place.unit) == f'"{str(program).replace("%", "%%")}" start --headless'
    verified = systemd_verify(place, place.unit)  # it checks the program exists: quoted right
    assert verified.returncode == 0, verified.stderr
    assert "breakctl.service" not in verified.stderr, verified.stderr


def test_a_path_systemd_refuses_is_one_clear_line(place: Place) -> None:
    folder = place.root / "it's here"
    folder.mkdir()
    (folder / "breakctl").symlink_to(BREAKCTL)
    done = place.run("service", "install", "--kind", "systemd", program=folder / "breakctl")
    assert done.returncode == 1 and not place.unit.exists()
    assert done.stderr == (
        f"breakctl: cannot write a systemd unit for {folder}/breakctl: systemd refuses a "
        "program whose path has a quote or a backslash; `--kind autostart` can run it\n"
    )


def test_a_broken_unit_fails_the_same_check(place: Place) -> None:
    """The check above can fail: a unit whose program does not exist is refused."""
    place.run("service", "install", "--kind", "systemd")
    broken = place.root / "broken" / "breakctl.service"
    broken.parent.mkdir()
    broken.write_text(place.unit.read_text().replace(str(BREAKCTL), "/nowhere/breakctl"))
    verified = systemd_verify(place, broken)
    assert verified.returncode != 0 and "/nowhere/breakctl" in verified.stderr


def test_install_now_enables_and_starts_it_and_remove_undoes_exactly_that(place: Place) -> None:
    done = place.run("service", "install", "--now", "--kind", "systemd")
    assert done.returncode == 0, done.stderr
    assert place.calls() == [
        "systemctl --user daemon-reload",
        "systemctl --user enable --now breakctl.service",
    ]
    again = place.run("service", "install", "--now", "--kind", "systemd")
    assert "is installed and up to date" in again.stdout
    assert place.calls()[2:] == place.calls()[:2]  # the same again: no restart, no rewrite
    removed = place.run("service", "remove")
    assert removed.returncode == 0, removed.stderr
    assert place.calls()[4:] == [
        "systemctl --user disable --now breakctl.service",
        "systemctl --user daemon-reload",
    ]
    assert not place.unit.exists()
    assert f"systemd: deleted {place.unit}" in removed.stdout


def test_remove_without_now_asks_systemctl_nothing(place: Place) -> None:
    place.run("service", "install", "--kind", "systemd")
    removed = place.run("service", "remove")
    assert removed.returncode == 0 and not place.unit.exists()
    assert place.calls() == []


def test_status_names_what_the_user_manager_lacks_and_the_fix(place: Place) -> None:
    place.run("service", "install", "--kind", "systemd")
    done = place.run(
        "service", "status", "--json", DISPLAY=":7", DBUS_SESSION_BUS_ADDRESS="unix:path=/x"
    )
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert (status["installed"], status["kind"], status["path"]) == (
        True,
        "systemd",
        str(place.unit),
    )
    assert (status["enabled"], status["active"]) == (True, True)
    assert status["environment"] == {
        "DISPLAY": False,
        "WAYLAND_DISPLAY": True,
        "DBUS_SESSION_BUS_ADDRESS": False,
    }
    assert status["missing"] == ["DISPLAY", "DBUS_SESSION_BUS_ADDRESS"]
    assert status["fix"] == "systemctl --user import-environment DISPLAY DBUS_SESSION_BUS_ADDRESS"
    assert status["day"] == {
        "running": False,
        "pid": None,
        "phase": None,
        "mode": None,
        "socket": None,
    }
    plain = place.run("service", "status", DISPLAY=":7", DBUS_SESSION_BUS_ADDRESS="unix:path=/x")
    assert "fix: systemctl --user import-environment DISPLAY DBUS_SESSION_BUS_ADDRESS" in (
        plain.stdout
    )


def test_the_fix_when_this_terminal_has_no_session_either() -> None:
    assert environment_fix({"DISPLAY", "DBUS_SESSION_BUS_ADDRESS"}, {}) == ([], None)
    missing, fix = environment_fix(set(), {})
    assert missing == ["DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"]
    assert fix is not None and fix.startswith("in a terminal of your desktop session: ")


# -- launchd and autostart ------------------------------------------------------------------


def test_the_launchd_agent_parses_with_plistlib_and_has_the_keys(place: Place) -> None:
    done = place.run("service", "install", "--kind", "launchd", "--now")
    assert done.returncode == 0, done.stderr
    agent = plistlib.loads(place.plist.read_bytes())
    assert agent["Label"] == "io.breakctl.day"
    assert agent["ProgramArguments"] == [str(BREAKCTL), "start", "--headless"]
    assert agent["RunAtLoad"] is True
    assert agent["KeepAlive"] == {"SuccessfulExit": False}  # again after a crash only
    assert agent["EnvironmentVariables"]["BREAKCTL_HOME"] == place.env["BREAKCTL_HOME"]
    uid = os.getuid()
    assert place.calls() == [
        f"launchctl bootout gui/{uid}/io.breakctl.day",  # not loaded yet: its failure is fine
        f"launchctl bootstrap gui/{uid} {place.plist}",
    ]
    removed = place.run("service", "remove")
    assert place.calls()[2:] == [f"launchctl bootout gui/{uid}/io.breakctl.day"]
    assert removed.returncode == 0 and not place.plist.exists()
    assert f"unloaded: launchctl bootout gui/{uid}/io.breakctl.day" in removed.stdout


def test_remove_goes_on_when_the_agent_was_unloaded_already(place: Place) -> None:
    place.run("service", "install", "--kind", "launchd", "--now")
    (place.root / "calls.log.loaded").unlink()  # launchctl bootout by hand
    removed = place.run("service", "remove")
    assert removed.returncode == 0 and not place.plist.exists()
    assert "not loaded: launchctl bootout" in removed.stdout


@pytest.mark.parametrize("odd", [False, True], ids=["plain", "quoted"])
def test_the_autostart_entry_passes_desktop_file_validate(place: Place, odd: bool) -> None:
    need("desktop-file-validate")
    program = odd_breakctl(place) if odd else BREAKCTL
    done = place.run("service", "install", "--kind", "autostart", program=program)
    assert done.returncode == 0, done.stderr
    text = place.desktop.read_text()
    assert "start --detach" in text and f"BREAKCTL_HOME={place.env['BREAKCTL_HOME']}" in text
    checked = subprocess.run(
        ["desktop-file-validate", str(place.desktop)], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout + checked.stderr


def test_desktop_file_validate_can_fail(place: Place) -> None:
    need("desktop-file-validate")
    bad = place.root / "bad.desktop"
    bad.write_text("[Desktop Entry]\nType=Application\nExec=x\n")  # no Name
    checked = subprocess.run(["desktop-file-validate", str(bad)], capture_output=True, text=True)
    assert checked.returncode != 0


# -- the kind, the program, idempotence, what remove leaves ---------------------------------


def test_the_default_kind_is_the_one_that_works_here(place: Place, user_systemd: None) -> None:
    assert default_kind(place.env, "darwin") == "launchd"
    assert default_kind(place.env, "linux") == "systemd"
    assert default_kind({**place.env, "XDG_RUNTIME_DIR": str(place.root)}, "linux") == "autostart"
    done = place.run("service", "install")
    assert done.returncode == 0 and place.unit.exists() and not place.desktop.exists()


def test_without_a_user_systemd_it_installs_an_autostart_entry(place: Place) -> None:
    done = place.run("service", "install")
    assert done.returncode == 0 and place.desktop.exists() and not place.unit.exists()


def test_this_breakctl_is_the_install_that_runs(tmp_path: Path) -> None:
    assert this_breakctl(str(BREAKCTL), {}) == [str(BREAKCTL)]
    main = str(Path(__file__).parent.parent / "breakctl" / "__main__.py")
    assert this_breakctl(main, {}, python="/opt/py/bin/python3") == [
        "/opt/py/bin/python3",
        "-m",
        "breakctl",
    ]
    assert this_breakctl("/usr/bin/pytest", {"PATH": str(BREAKCTL.parent)}) == [str(BREAKCTL)]


def test_a_file_breakctl_did_not_write_is_never_replaced_nor_deleted(place: Place) -> None:
    place.unit.parent.mkdir(parents=True)
    place.unit.write_text("[Service]\nExecStart=/usr/bin/mine\n")
    done = place.run("service", "install", "--kind", "systemd")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"breakctl: {place.unit} exists and is not the file breakctl wrote: move it away, "
        "then install again"
    )
    removed = place.run("service", "remove")
    assert f"left {place.unit}: breakctl has no record of writing it" in removed.stdout
    assert place.unit.read_text() == "[Service]\nExecStart=/usr/bin/mine\n"


def test_a_file_changed_since_install_is_left_and_said(place: Place) -> None:
    place.run("service", "install", "--kind", "autostart")
    with place.desktop.open("a") as entry:
        entry.write("Hidden=true\n")
    removed = place.run("service", "remove")
    assert removed.returncode == 0
    assert f"left {place.desktop}: changed since breakctl wrote it" in removed.stdout
    assert place.desktop.exists()
    nothing = place.run("service", "remove")
    assert "nothing to remove" not in nothing.stdout  # still there, still not breakctl's
    assert f"left {place.desktop}: breakctl has no record of writing it" in nothing.stdout


def test_reinstall_updates_its_own_file_when_the_program_moved(place: Place) -> None:
    place.run("service", "install", "--kind", "systemd", "--now")
    program = odd_breakctl(place)
    done = place.run("service", "install", "--kind", "systemd", "--now", program=program)
    assert done.returncode == 0, done.stderr
    assert f"systemd: wrote {place.unit} (updated)" in done.stdout
    assert place.calls()[-1] == "systemctl --user try-restart breakctl.service"


def test_a_clock_only_day_is_told_and_a_schedule_suggested(place: Place) -> None:
    done = place.run("service", "install", "--kind", "autostart")
    assert done.stdout.splitlines()[-1].startswith(
        "no presence and no [schedule]: the day counts by the clock, around the clock"
    )
    place.run("service", "remove")
    config = Path(place.env["BREAKCTL_HOME"]) / "config.toml"
    config.write_text('[schedule]\nmon-fri = ["09:00-17:00"]\n')
    done = place.run("service", "install", "--kind", "autostart")
    assert "around the clock" not in done.stdout


def test_status_with_nothing_installed(place: Place) -> None:
    done = place.run("service", "status")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == (
        "not installed (here: autostart); `breakctl service install` installs it"
    )
    assert json.loads(place.run("service", "status", "--json").stdout)["installed"] is False


def test_a_bad_kind_is_a_usage_error(place: Place) -> None:
    done = place.run("service", "install", "--kind", "cron")
    assert done.returncode == 2 and "cron" in done.stderr and "Traceback" not in done.stderr


def test_no_tool_needed_by_these_tests_is_missing_in_ci() -> None:
    if os.environ.get("CI"):
        assert shutil.which("systemd-analyze") and shutil.which("desktop-file-validate")


def test_a_failing_systemctl_is_one_line_and_remove_still_works(place: Place) -> None:
    (place.bin / "systemctl").write_text(
        f'#!/bin/sh\necho "systemctl $*" >> "{place.log}"\n'
        'echo "Failed to connect to bus: No medium found" >&2\nexit 1\n'
    )
    done = place.run("service", "install", "--now", "--kind", "systemd")
    assert done.returncode == 1
    assert done.stderr == (
        "breakctl: systemctl --user daemon-reload failed (exit 1): Failed to connect to bus: "
        "No medium found\n"
    )
    assert place.unit.exists()  # written, and recorded: remove finds it
    status = place.run("service", "status")
    assert "systemd: `systemctl --user` cannot say (no user manager runs here?)" in status.stdout
    removed = place.run("service", "remove")
    assert removed.returncode == 0 and not place.unit.exists()
    assert place.calls()[0] == "systemctl --user daemon-reload"
    assert "disable" not in " ".join(place.calls())  # nothing was enabled
