"""The README stays true: its Quick start is what CI runs, and every command is documented."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from breakctl.cli import app
from breakctl.cli.base import COMMANDS as LISTED

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_is_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    install_and_run, install_and_test = commands
    assert "pip install ." in install_and_run and "breakctl" in install_and_run
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install_and_test in ci.splitlines()


def all_commands() -> list[tuple[list[str], Any]]:
    """(words, command object) for every command and group, loading each lazily as a run would."""
    import typer

    found: list[tuple[list[str], Any]] = []

    def walk(group: Any, prefix: list[str], ctx: Any) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            found.append(([*prefix, name], command))
            if hasattr(command, "list_commands"):
                walk(command, [*prefix, name], typer.Context(command, parent=ctx, info_name=name))

    root = typer.main.get_command(app)
    walk(root, [], typer.Context(root, info_name="breakctl"))
    return found


COMMANDS = all_commands()


def test_every_command_is_found() -> None:
    names = {" ".join(words) for words, _ in COMMANDS}
    assert {"start", "routine run", "history show", "config check", "config set"} <= names
    assert len(names) >= 24


@pytest.mark.parametrize(("words", "command"), COMMANDS, ids=[" ".join(w) for w, _ in COMMANDS])
def test_every_command_has_help_an_example_and_is_in_the_readme(
    words: list[str], command: Any
) -> None:
    help_text = inspect.cleandoc(command.help or "")
    assert help_text, f"breakctl {' '.join(words)} has no help text (a docstring)"
    if not hasattr(command, "list_commands"):  # a group's help names its subcommands instead
        examples = re.findall(r"^Example: (breakctl .+)$", help_text, flags=re.MULTILINE)
        assert examples, f"breakctl {' '.join(words)}: its help has no 'Example: breakctl ...'"
        shown = " ".join(words).replace("routine run", "routine")
        assert examples[0].startswith(f"breakctl {shown}"), examples
    result = CliRunner().invoke(app, [*words, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    if words[-1] != "run":  # `routine run NAME` is documented as `routine NAME`
        assert f"breakctl {' '.join(words)}" in README


@pytest.mark.parametrize("name", list(LISTED))
def test_the_top_level_listing_matches_each_commands_own_help(name: str) -> None:
    """`breakctl --help` shows summaries from a table so it imports no command module;
    each must be the first paragraph of the command's own help."""
    (command,) = [c for words, c in COMMANDS if words == [name]]
    first_paragraph = " ".join(inspect.cleandoc(command.help).split("\n\n")[0].split())
    assert LISTED[name][1] == first_paragraph


def test_a_command_without_a_docstring_fails_the_check() -> None:
    """The check above catches a command whose docstring was lost."""
    import typer

    bare = typer.Typer()

    @bare.command()
    def nothing() -> None:
        pass

    @bare.command()
    def other() -> None:
        """Does something.

        Example: breakctl other
        """

    group = typer.main.get_command(bare)
    ctx = typer.Context(group, info_name="breakctl")
    helps = {
        n: inspect.cleandoc(group.get_command(ctx, n).help or "") for n in group.list_commands(ctx)
    }
    assert helps["nothing"] == ""
    assert re.findall(r"^Example: (breakctl .+)$", helps["other"], flags=re.MULTILINE)
