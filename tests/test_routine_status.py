"""`breakctl status` while a routine runs on its own: the real `routine` command on a fake
clock, with `status` read from the state folder at every moment the run waits for a key."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.core.clockface import format_clock
from breakctl.host.context import AppContext
from breakctl.status import describe, line, read_live_state, read_routine_state, render
from breakctl.store.paths import Paths
from breakctl.store.state import StartLock
from tests.fakes import FakeClock, ScriptedKeys


class StatusWatcher(ScriptedKeys):
    """Scripted keys that also note what `status` says each time the run waits."""

    def __init__(self, clock: FakeClock, script: dict, state_dir: Path) -> None:
        super().__init__(clock, script)
        self.state_dir = str(state_dir)
        self.seen: list[tuple[float, str, dict]] = []

    def wait(self, timeout: float) -> str | None:
        now = self._clock.now().timestamp()
        state = read_live_state(self.state_dir) or read_routine_state(self.state_dir)
        info = describe(state, now)
        shown = json.loads(render(info, "json", None))
        self.seen.append((self._clock.monotonic(), line(info), shown))
        return super().wait(timeout)


def test_status_shows_a_routine_run_on_its_own(paths: Paths, clock: FakeClock) -> None:
    keys = StatusWatcher(clock, {20.0: " ", 30.0: " "}, paths.state_dir)  # pause 10 s
    ctx = AppContext(paths=paths, clock=clock, keys=keys)
    result = CliRunner().invoke(app, ["routine", "neck"], obj=ctx)
    assert result.exit_code == 0, result.output
    first_at, first, first_json = keys.seen[0]
    planned = first_json["remaining_s"]
    assert first_at == 0 and first == f"routine neck {format_clock(planned)}"
    assert first_json["state"] == "routine" and first_json["routine"] == "neck"
    assert first_json["cycle"] is None and first_json["ends_at"].startswith("2026-03-02T09:")
    later = next((at, text) for at, text, _ in keys.seen if 10 <= at < 20)
    assert later[1] == f"routine neck {format_clock(planned - later[0])}"  # it counts down
    paused = [text for at, text, _ in keys.seen if 20 < at < 30]
    assert paused and set(paused) == {paused[0]} and paused[0].startswith("paused ")
    resumed = next((at, text) for at, text, _ in keys.seen if at > 30)
    assert resumed[1] == f"routine neck {format_clock(planned - (resumed[0] - 10))}"
    # Over: the file is gone and status is idle again.
    assert not (paths.state_dir / "routine.json").exists()
    assert read_routine_state(str(paths.state_dir)) is None


def test_a_routine_state_left_by_a_run_that_died_is_not_shown(paths: Paths) -> None:
    paths.state_dir.mkdir(parents=True, exist_ok=True)
    state = {"phase": "routine", "routine": "neck", "paused": False, "ends_at_epoch": 1e12}
    (paths.state_dir / "routine.json").write_text(json.dumps(state))
    lock = StartLock(paths, paths.state_dir / "routine.lock")
    assert lock.acquire()  # as the live run holds it
    try:
        assert read_routine_state(str(paths.state_dir))["routine"] == "neck"
    finally:
        lock.release()
    assert read_routine_state(str(paths.state_dir)) is None  # the holder is gone (kill -9)
    # ... and its run was recovered on the way (this one holds no record: nothing to append).
    assert not (paths.state_dir / "routine.json").exists()


def test_a_second_run_does_not_take_over_the_first_ones_status(
    paths: Paths, clock: FakeClock
) -> None:
    first = StartLock(paths, paths.state_dir / "routine.lock")
    assert first.acquire()
    try:
        keys = StatusWatcher(clock, {}, paths.state_dir)
        ctx = AppContext(paths=paths, clock=clock, keys=keys)
        assert CliRunner().invoke(app, ["routine", "neck"], obj=ctx).exit_code == 0
        assert {text for _, text, _ in keys.seen} == {""}  # it wrote nothing: status is idle
    finally:
        first.release()
