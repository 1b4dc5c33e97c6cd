"""Every command's options given nonsense: the error is breakctl's own one line, never a
library's wording (pydantic's "Input should be", "Value error") nor a traceback (trial 2)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from breakctl.cli import app

LIBRARY_WORDS = ("Input should be", "Value error", "pydantic", "Traceback", "validation error")
NONSENSE = ("x", "-3", "1.5", "9" * 30)
# Options that name something to create or run rather than a value to check: nonsense there
# is a fine name (a routine called 'x' is refused by breakctl's own words anyway).
REQUIRED_BEFORE = {
    ("history", "add"): ["break", "--at", "10:00", "--duration", "5m"],
    ("config", "set"): ["start.work"],
}
SKIP = {("start",), ("routine", "run"), ("break",), ("history", "import"), ("routine", "new")}


def _options() -> Iterator[tuple[tuple[str, ...], str]]:
    root = typer.main.get_command(app)

    def walk(command: object, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
        if hasattr(command, "list_commands"):
            for name in command.list_commands(None):  # type: ignore[attr-defined]
                yield from walk(command.get_command(None, name), (*path, name))  # type: ignore[attr-defined]
            return
        for param in command.params:  # type: ignore[attr-defined]
            if param.name == "help" or getattr(param, "is_flag", False):
                continue
            yield path, (param.opts[0] if param.opts[0].startswith("-") else "")

    yield from walk(root, ())


CASES = [(path, option) for path, option in _options() if path not in SKIP]


@pytest.mark.parametrize(
    ("path", "option"), CASES, ids=lambda v: " ".join(v) if isinstance(v, tuple) else v
)
def test_nonsense_for_any_option_gets_breakctl_s_own_one_line(
    breakctl_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    path: tuple[str, ...],
    option: str,
) -> None:
    monkeypatch.chdir(tmp_path)  # an option that names a file writes it here, not in the repo
    runner = CliRunner()
    for value in NONSENSE:
        before = REQUIRED_BEFORE.get(path, [])
        args = [*path, *before, *([option, value] if option else [value])]
        result = runner.invoke(app, args, env={"BREAKCTL_HOME": str(breakctl_home)})
        said = result.stderr + result.stdout
        assert not any(word in said for word in LIBRARY_WORDS), (args, said)
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), (args, said)
        if result.exit_code != 0:
            assert result.stderr.count("\n") == 1, (args, result.stderr)
