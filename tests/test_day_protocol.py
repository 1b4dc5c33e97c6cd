"""The day's protocol and socket (#20) without a day: every event type survives the trip, a
screen gets the whole state first, the socket is private, stale ones are replaced, strangers
and garbage are let go. Real sockets; nothing sleeps."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from breakctl.core.day import SessionSnapshot
from breakctl.core.day import events as ev
from breakctl.core.records import Record, StepResult
from breakctl.core.routine_run import Finished, Paused, Resumed, RoutineRun, StepSkipped
from breakctl.host.day import protocol
from breakctl.host.day.address import MAX_SOCKET_PATH, answers, peer_uid, socket_path
from breakctl.host.day.screens import DayKeys, DayScreens
from breakctl.host.day.server import DayAlreadyListening, DayServer
from breakctl.store.library import Catalog, builtin_dir
from breakctl.store.paths import Paths

ZONE = timezone(timedelta(hours=2))
AT = datetime(2026, 3, 2, 9, 30, tzinfo=ZONE)


def routine_samples() -> tuple[object, SessionSnapshot]:
    desk = Catalog(builtin_dir(), Path("/nonexistent")).load("desk")
    desk = replace(desk, path=Path("/home/me/.config/breakctl/routines/desk.toml"))
    run = RoutineRun(desk, started_at=0.0)
    (started,) = run.start()
    snapshot = SessionSnapshot(
        phase="break", cycle=2, cycles=4, paused=False, remaining_s=90.5, planned_s=300,
        ends_at=AT, routine=run.snapshot(3.0), reason="shoulders, not worked today",
        resumes_at=AT + timedelta(minutes=5), skips_left=2, notice="limit",
        held_s=12.5, held_by=("microphone: zoom",), hushed=True,
    )  # fmt: skip
    return (desk, started), snapshot


def samples() -> list[object]:
    (desk, started), _ = routine_samples()
    record = Record(
        v=1, kind="break", started=AT, ended=AT + timedelta(minutes=5), active_s=300,
        outcome="completed", id="b-1", routine="desk", cycle=2,
        steps=(StepResult("neck-tilt", "done", 30.0),),
    )  # fmt: skip
    return [
        ev.WorkStarted(1, 1500.0), ev.HeadsUp(30.0),
        ev.BreakStarted(2, 300.0, desk, "why", extended=True, long=False),
        ev.BreakStarted(2, 300.0, None, "", extended=False, long=True),
        ev.FreeMovementStarted(60.0), ev.NudgeDue("shoulders down"), ev.SkipAsked("skip", 5.0),
        ev.SkipKept("timeout"), ev.Typed("sk"), ev.BreakDeferred(30.0), ev.PhasePaused(),
        ev.PhaseResumed(12.5), ev.NextBreakSkipped(), ev.BreakPostponed(300.0),
        ev.Suspended(600.0, natural_break=True), ev.Waiting("break", 3), ev.Recorded(record),
        ev.SessionEnded("quit"), ev.AwayStarted(200.0), ev.WelcomeBack(400.0, False),
        ev.BreakElsewhere("laptop-3fa2c1"),
        ev.WaitingForYou(), ev.StepAway(), ev.OffHours(AT), ev.OffHours(None),
        ev.WorkHoursBegin(), ev.PausedUntil(AT), ev.PauseOver(), ev.Refused("no skips left"),
        ev.LimitReached(6 * 3600.0, ends_day=False),
        ev.BreakHeld(("microphone: zoom", "calendar: Team sync until 14:30")),
        ev.HoldsEnded(60.0), ev.HoldStuck("microphone", 10_800.0), ev.BreakEarly("Sync", AT),
        ev.BreakHushed(("camera: obs",)), ev.BreakUnhushed(), ev.BreakYielded(()),
        ev.RoutineEvent(started), ev.RoutineEvent(Paused()), ev.RoutineEvent(Resumed(3.0)),
        ev.RoutineEvent(StepSkipped(1)), ev.RoutineEvent(Finished("completed")),
    ]  # fmt: skip


def test_every_event_type_makes_the_trip_unchanged() -> None:
    events = samples()
    # A new event fails here until it has a sample: it cannot be forgotten on the wire.
    assert {type(e).__name__ for e in events} == set(protocol.EVENT_TYPES)
    inner = {type(e.event).__name__ for e in events if isinstance(e, ev.RoutineEvent)}
    assert inner == set(protocol.ROUTINE_EVENT_TYPES)
    _, snapshot = routine_samples()
    (line,) = protocol.encode_update(events, snapshot).splitlines()
    update = protocol.decode_day(line)
    assert isinstance(update, protocol.Update)
    assert protocol.update_events(update) == events
    assert update.snapshot == snapshot
    assert update.snapshot.routine is not None and update.snapshot.routine.routine.path == Path(
        "/home/me/.config/breakctl/routines/desk.toml"
    )


def test_an_unknown_event_or_a_broken_line_is_a_protocol_error() -> None:
    with pytest.raises(protocol.ProtocolError, match="unknown event 'Teleported'"):
        protocol.decode_event("Teleported", b"{}")
    with pytest.raises(protocol.ProtocolError):
        protocol.decode_day(b'{"type":"update","events":[]')
    with pytest.raises(protocol.ProtocolError):
        protocol.decode_screen(b'{"type":"key"}')


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def update(self, events: object, snapshot: object) -> None:
        self.calls.append(("update", snapshot))

    def message(self, text: str, *, listed: bool = True) -> None:
        self.calls.append(("message", text))

    def prompt(self, text: str) -> None:
        self.calls.append(("prompt", text))


def connect(path: Path) -> socket.socket:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(os.fspath(path))
    client.settimeout(30)
    return client


def serve_until(keys: DayKeys, done: Callable[[], bool]) -> None:
    """Let the day's wait accept and read (what its loop does) until `done`."""
    deadline = time.monotonic() + 30
    while not done():
        assert time.monotonic() < deadline, "the day never got there"
        keys.wait(0.05)


def read_line(client: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = client.recv(65536)
        assert chunk, "the day closed the socket"
        data += chunk
    return data


@pytest.fixture
def day(tmp_path: Path) -> tuple[DayScreens, DayServer, DayKeys, Recorder, list[int]]:
    local = Recorder()
    screens = DayScreens(local, mode="foreground", free_text="Walk about.", bell=True)
    counts: list[int] = []
    server = DayServer(tmp_path / "state" / "day.sock", screens.hello, counts.append)
    server.open()
    screens.server = server
    yield screens, server, DayKeys(server), local, counts
    server.close()


def test_a_screen_gets_the_whole_state_then_every_change_and_its_keys_act(day) -> None:  # type: ignore[no-untyped-def]
    screens, server, keys, local, counts = day
    _, snapshot = routine_samples()
    screens.update([], snapshot)
    screens.message("presence: working again")
    client = connect(server.path)
    serve_until(keys, lambda: counts == [1])  # the wait accepts the screen
    full = protocol.decode_day(read_line(client))
    assert isinstance(full, protocol.Full)
    assert (full.snapshot, full.mode, full.free_text, full.pid) == (
        snapshot, "foreground", "Walk about.", os.getpid()
    )  # fmt: skip
    assert [said.text for said in full.messages] == ["presence: working again"]
    assert counts == [1] and screens.attached == 2  # this process's screen and the new one

    screens.update([ev.PhasePaused()], replace(snapshot, paused=True))
    update = protocol.decode_day(read_line(client))
    assert isinstance(update, protocol.Update) and update.snapshot.paused
    assert protocol.update_events(update) == [ev.PhasePaused()]
    assert local.calls[-1] == ("update", replace(snapshot, paused=True))  # the local one too

    client.sendall(protocol.encode(protocol.Key(" ")) + protocol.encode(protocol.Key("q")))
    assert [keys.wait(30), keys.wait(30)] == [" ", "q"]
    client.close()
    serve_until(keys, lambda: counts[-1] == 0)  # a closed screen is let go
    assert screens.attached == 1


def test_a_client_that_is_not_a_screen_is_let_go(day) -> None:  # type: ignore[no-untyped-def]
    _, server, keys, _, counts = day
    client = connect(server.path)
    serve_until(keys, lambda: counts == [1])
    client.sendall(b'{"not": "a screen"}\n')
    serve_until(keys, lambda: counts == [1, 0])
    assert client.recv(65536).startswith(b'{"type":"full"')
    assert client.recv(65536) == b""  # closed by the day
    client.close()


def test_the_socket_is_private_and_a_stale_one_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "state" / "day.sock"
    path.parent.mkdir(mode=0o700)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(os.fspath(path))  # a killed day's socket: the file, nobody listening
    stale.close()
    assert path.exists() and not answers(path)
    server = DayServer(path, lambda: b"{}\n", lambda _: None)
    server.open()
    try:
        assert answers(path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        second = DayServer(path, lambda: b"{}\n", lambda _: None)
        with pytest.raises(DayAlreadyListening):  # a live day's socket is never taken over
            second.open()
    finally:
        server.close()
    assert not path.exists()  # a day that ends takes its socket with it


def test_a_long_state_path_puts_the_socket_in_the_runtime_folder(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    paths = Paths(config_dir=deep, data_dir=deep, state_dir=deep)
    assert socket_path(paths, {}) != deep / "day.sock"
    runtime = Path(tempfile.mkdtemp(prefix="run"))  # short, as $XDG_RUNTIME_DIR is
    request.addfinalizer(lambda: shutil.rmtree(runtime))
    path = socket_path(paths, {"XDG_RUNTIME_DIR": str(runtime)})
    assert path.parent == runtime / "breakctl" and path.suffix == ".sock"
    assert len(os.fsencode(path)) <= MAX_SOCKET_PATH
    other = Paths(config_dir=deep, data_dir=deep, state_dir=deep / "other")
    assert socket_path(other, {"XDG_RUNTIME_DIR": str(runtime)}) != path  # one per state folder
    short = Paths(config_dir=tmp_path, data_dir=tmp_path, state_dir=tmp_path)
    assert socket_path(short, {"XDG_RUNTIME_DIR": str(runtime)}) == tmp_path / "day.sock"
    server = DayServer(path, lambda: b"{}\n", lambda _: None)
    server.open()
    try:
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    finally:
        server.close()


def test_the_peer_is_known_by_its_user_id() -> None:
    left, right = socket.socketpair(socket.AF_UNIX)
    try:
        assert peer_uid(left) == os.getuid()
    finally:
        left.close()
        right.close()


STRANGER = (
    "import socket, sys\n"
    "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
    "s.connect(sys.argv[1])\n"
    "s.settimeout(30)\n"
    "print(repr(s.recv(65536)))\n"
)


SYSTEM_PYTHON = "/usr/bin/python3"  # one another user may run (not a venv under /root)


@pytest.mark.skipif(
    os.geteuid() != 0 or not os.path.exists(SYSTEM_PYTHON), reason="needs root and python3"
)
def test_another_user_gets_nothing_even_through_an_open_socket(tmp_path: Path) -> None:
    """The socket's mode keeps others out; behind it, the peer's uid is checked too: opened
    wide on purpose here, a process of another user (nobody) is still let go at once."""
    folder = Path(tempfile.mkdtemp(prefix="peer"))
    try:
        folder.chmod(0o711)  # others may pass, not list or write
        server = DayServer(folder / "day.sock", lambda: b'{"type":"ended"}\n', lambda _: None)
        server.open()
        try:
            (folder / "day.sock").chmod(0o666)
            stranger = subprocess.Popen(
                [SYSTEM_PYTHON, "-c", STRANGER, str(folder / "day.sock")],
                user=65534, stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            keys = DayKeys(server)
            deadline = time.monotonic() + 30
            while stranger.poll() is None:
                assert time.monotonic() < deadline, "the stranger was never let go"
                keys.wait(0.05)
            assert stranger.communicate()[0].strip() == "b''"  # closed, not greeted
            assert server.count == 0
            own = connect(server.path)
            serve_until(keys, lambda: server.count == 1)
            assert read_line(own) == b'{"type":"ended"}\n'  # its own user is greeted
            own.close()
        finally:
            server.close()
    finally:
        shutil.rmtree(folder)
