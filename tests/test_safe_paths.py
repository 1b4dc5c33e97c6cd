"""File names are data too: a file of the shared history folder (anyone with access to the
sync folder names them) or a folder named in the environment reaches the terminal through
the same safe-text function as every record (ui/text.safe), whatever command shows it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.host.context import AppContext
from breakctl.store.paths import Paths
from tests.fakes import FakeClock
from tests.test_stats import FRIDAY_EVENING, HAND_BUILT

# Sets the window title, writes the clipboard (OSC 52) and clears the screen.
EVIL = "evil\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\u009b1m"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def run(paths: Paths, *args: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    context = AppContext(paths=paths, clock=FakeClock(FRIDAY_EVENING), env=env or {})
    result = CliRunner().invoke(app, list(args), obj=context)
    assert result.exception is None or isinstance(result.exception, SystemExit), result
    return result.stdout, result.stderr


def test_history_file_names_never_reach_the_terminal_raw(paths: Paths, tmp_path: Path) -> None:
    folder = paths.data_dir / "history"
    folder.mkdir(parents=True)
    body = "".join(json.dumps(r) + "\n" for r in HAND_BUILT[:4]) + "not json\n"
    (folder / f"{EVIL}.jsonl").write_text(body)
    imported = tmp_path / f"{EVIL}.jsonl"
    imported.write_text("not json\n")
    data = {  # standard output is data (raw into a pipe): stderr is checked
        ("history", "--json"),
        ("history", "--csv"),
        ("history", "export"),
        ("history", "export", "--format", "csv"),
        ("stats", "--json"),
    }
    for args in [
        ("history",),
        ("history", "check"),
        ("history", "hosts"),
        ("stats",),
        ("history", "import", str(imported)),
        *data,
    ]:
        out, err = run(paths, *args)
        shown = err if args in data else out + err
        assert "evil" in shown, args
        assert not CONTROL.findall(shown), (args, shown)
        assert "\\x1b]52;c;" in shown, args


def test_folders_named_in_the_environment_are_shown_safely(paths: Paths) -> None:
    env = {"BREAKCTL_HISTORY_DIR": str(paths.data_dir / EVIL)}
    for args in (("config",), ("history", "hosts")):
        out, err = run(paths, *args, env=env)
        assert not CONTROL.findall(out + err), (args, out + err)
    out, err = run(paths, "history", "export", "--output", str(paths.data_dir / EVIL / "x"))
    assert "evil\\x1b" in err and not CONTROL.findall(err)
