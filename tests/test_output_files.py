"""Files written at the user's request (`history export --output`, `stats --html`): never one
of breakctl's own files, written whole, a link's target replaced, only regular files, 0600."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.host.context import AppContext
from breakctl.store.paths import Paths
from tests.fakes import FakeClock
from tests.test_stats import FRIDAY_EVENING, HAND_BUILT


def lines(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.fixture
def history_file(paths: Paths) -> Path:
    folder = paths.data_dir / "history"
    folder.mkdir(parents=True)
    path = folder / "laptop-a1b2c3.jsonl"
    path.write_text(lines(HAND_BUILT))
    path.chmod(0o600)
    return path


def run(paths: Paths, *args: str):
    context = AppContext(paths=paths, clock=FakeClock(FRIDAY_EVENING))
    return CliRunner().invoke(app, list(args), obj=context)


def writers(target: Path) -> list[list[str]]:
    return [
        ["history", "export", "--output", str(target)],
        ["history", "export", "--format", "csv", "--output", str(target)],
        ["history", "export", "--format", "ics", "--output", str(target)],
        ["stats", "--week", "last", "--html", str(target)],
    ]


def test_no_output_can_be_a_history_config_or_state_file(
    paths: Paths, history_file: Path, tmp_path: Path
) -> None:
    paths.history_file.write_text(lines(HAND_BUILT[:2]))  # the history.jsonl of older versions
    paths.config_file.write_text("[goals]\nbreaks_per_day = 5\n")
    (paths.state_dir / "host-id").write_text("laptop-a1b2c3\n")
    (tmp_path / "link").symlink_to(history_file)
    os.link(paths.history_file, tmp_path / "hard-link")
    folder = history_file.parent
    targets = [
        history_file,
        tmp_path / "link",
        tmp_path / "hard-link",
        paths.history_file,
        paths.config_file,
        paths.state_file,
        paths.state_dir / "host-id",
        folder / ".." / "history" / history_file.name,
        folder / "new-file.jsonl",  # would become a history file of its own
        folder / "review.html",
    ]
    own = [history_file, paths.history_file, paths.config_file, paths.state_dir / "host-id"]
    before = {path: path.read_bytes() for path in own}
    for target in targets:
        for argv in writers(target):
            result = run(paths, *argv)
            assert result.exit_code == 2, (argv, result.output)
            assert "write to another file" in result.stderr, argv
            assert {path: path.read_bytes() for path in own} == before, argv
    assert sorted(p.name for p in folder.iterdir()) == [history_file.name]


def test_a_failure_midway_leaves_the_previous_file_whole(
    paths: Paths, history_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    assert run(paths, *writers(target)[1]).exit_code == 0
    good = target.read_bytes()
    from breakctl.host.setup import history as setup_history

    written = 0

    def row_then_full_disk(*args: object) -> bytes:
        nonlocal written
        written += 1
        if written == 3:
            raise OSError(28, "No space left on device")
        return b"a row\n"

    monkeypatch.setattr(setup_history, "csv_row", row_then_full_disk)
    result = run(paths, *writers(target)[1])
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir() if "out" in p.name) == ["out.csv"]


def test_a_killed_export_leaves_the_previous_file_whole(
    breakctl_home: Path, history_file: Path, tmp_path: Path
) -> None:
    """kill -9 while the export is writing: the file at the target is the previous one."""
    target = tmp_path / "out.jsonl"
    target.write_text("previous\n")
    many = (lines(HAND_BUILT) * 3000).encode()
    history_file.write_bytes(many)
    env = {**os.environ, "BREAKCTL_HOME": str(breakctl_home)}
    probe = (
        "import os, signal, sys\n"
        "from breakctl.host.setup import history as h  # what `history export` calls\n"
        "real = h.export\n"
        "def killed(out, *a):\n"
        "    out.write(b'half a file')\n"
        "    out.flush()\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "h.export = killed\n"
        "from breakctl.cli import app\n"
        f"app(['history', 'export', '--output', {str(target)!r}], prog_name='breakctl')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True)
    assert done.returncode == -9, done.stderr
    assert target.read_text() == "previous\n"


def test_a_symlink_stays_and_its_target_is_replaced_private(
    paths: Paths, history_file: Path, tmp_path: Path
) -> None:
    real = tmp_path / "dotfiles" / "review.csv"
    real.parent.mkdir()
    real.write_text("old")
    real.chmod(0o644)
    link = tmp_path / "review.csv"
    link.symlink_to(real)
    for argv in writers(link):
        assert run(paths, *argv).exit_code == 0, argv
        assert link.is_symlink() and link.resolve() == real
        assert real.read_text() != "old"
        assert real.stat().st_mode & 0o777 == 0o600, argv


def test_every_output_is_private_whatever_the_umask(
    paths: Paths, history_file: Path, tmp_path: Path
) -> None:
    old = os.umask(0o022)
    try:
        for n, argv in enumerate(writers(tmp_path / "fresh")):
            target = tmp_path / f"out-{n}"
            argv[-1] = str(target)
            assert run(paths, *argv).exit_code == 0, argv
            assert target.stat().st_mode & 0o777 == 0o600, argv
    finally:
        os.umask(old)


def test_fifos_devices_and_folders_are_refused(
    breakctl_home: Path, history_file: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    env = {**os.environ, "BREAKCTL_HOME": str(breakctl_home)}
    for target, what in ((fifo, "a FIFO"), (Path("/dev/null"), "a device"), (tmp_path, "a folder")):
        for argv in writers(target):
            try:  # the old code opened the FIFO and waited for a reader forever
                done = subprocess.run(
                    [sys.executable, "-m", "breakctl", *argv],
                    env=env,
                    capture_output=True,
                    timeout=60,
                )
            except subprocess.TimeoutExpired:
                pytest.fail(f"{argv} waited on {what}")
            assert done.returncode == 2, (argv, done.stderr)
            assert f"is {what}".encode() in done.stderr, argv


def test_an_unwritable_folder_is_one_clear_error(
    paths: Paths, history_file: Path, tmp_path: Path
) -> None:
    result = run(paths, "history", "export", "--output", str(tmp_path / "missing" / "x.json"))
    assert result.exit_code == 1
    assert result.stderr.startswith("breakctl: ") and "cannot write" in result.stderr
