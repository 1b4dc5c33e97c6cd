"""A progress bar on stderr for a long job over a file (`history import`), shown only on a
terminal: piped or redirected, nothing is drawn."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from breakctl.ui.console import live_screen, make_console
from breakctl.ui.text import safe


@contextmanager
def byte_progress(label: str, total: int) -> Iterator[Callable[[int], None] | None]:
    """A function taking the bytes done so far, drawing a bar of `total` bytes on stderr;
    None when stderr is not a terminal (or `total` is 0)."""
    console = make_console(stderr=True)
    if not total or not live_screen(console):
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(safe(label), total=total)
        yield lambda done: bar.update(task, completed=done)
