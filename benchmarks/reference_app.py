"""The yardstick for breakctl's Typer commands: a minimal 6-command Typer app with the same
Typer and Rich, each command printing what the breakctl command of the same name prints (a
Rich table, or a few lines), without reading any file.

Usage: python benchmarks/reference_app.py --help | routine list | presets | stats | history
       | config show
"""

from __future__ import annotations

import typer

app = typer.Typer(help="A reference app.", add_completion=False)
routine_app = typer.Typer(help="Routines.")
config_app = typer.Typer(help="Settings.")
app.add_typer(routine_app, name="routine")
app.add_typer(config_app, name="config")

ROWS = [(f"name-{i}", f"Title {i}", f"{i}.5", str(i), "built-in") for i in range(10)]


def _table(*columns: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns)
    for row in ROWS:
        table.add_row(*row[: len(columns)])
    Console().print(table)


@app.command()
def start(work: str = "25m") -> None:
    """Start working.

    Example: reference_app.py start
    """
    typer.echo(f"work {work}")


@app.command()
def presets() -> None:
    """List presets.

    Example: reference_app.py presets
    """
    _table("name", "title", "work", "break", "source")


@app.command()
def stats(week: str = "this") -> None:
    """Show stats.

    Example: reference_app.py stats
    """
    _table("day", "breaks", "minutes")


@routine_app.command("list")
def routine_list() -> None:
    """List routines.

    Example: reference_app.py routine list
    """
    _table("name", "title", "minutes", "steps", "source")


@app.command()
def history(last: int = 20) -> None:
    """List the last records.

    Example: reference_app.py history --last 20
    """
    typer.echo("No history yet: run `breakctl routine micro` or `breakctl start`.")


@config_app.command("show")
def config_show() -> None:
    """Show the settings.

    Example: reference_app.py config show
    """
    typer.echo("[start]\npreset = 'pomodoro'")


if __name__ == "__main__":
    app()
