"""breakctl presets: the schedules `start --preset` knows."""

from __future__ import annotations

from breakctl.cli.base import JsonFlag, command, family, print_json
from breakctl.core.durations import format_duration, round_s
from breakctl.core.presets import PRESETS

commands = family()


@command(commands, "presets")
def presets_command(as_json: JsonFlag = False) -> None:
    """List the schedules `breakctl start --preset` knows, and where each comes from.

    Example: breakctl presets
    """
    rows = []
    for preset in PRESETS.values():
        long = (
            format_duration(preset.long_break_s) + f" every {preset.long_every}"
            if preset.long_every
            else "—"
        )
        named = preset.routines + preset.long_routines + preset.walk_routines
        routines = ", ".join(dict.fromkeys(named)) or "free movement"
        if preset.seated:  # offered only with --seated
            routines += f"; --seated: {', '.join(preset.seated)}"
        rows.append(
            {
                "name": preset.name,
                "title": preset.title,
                "work": format_duration(preset.work_s),
                "break": format_duration(preset.break_s),
                "long_break": long,
                "routines": routines,
                "source": preset.source,
                "work_s": round_s(preset.work_s),
                "break_s": round_s(preset.break_s),
                "long_break_s": round_s(preset.long_break_s) if preset.long_every else None,
                "long_every": preset.long_every or None,
                "note": preset.note,
                "seated_routines": list(preset.seated),
                "walk_every": preset.walk_every or None,
                "walk_break_s": round_s(preset.walk_break_s) if preset.walk_every else None,
            }
        )
    if as_json:
        print_json(rows)
    else:
        from breakctl.ui.console import make_console
        from breakctl.ui.tables import render_presets

        make_console().print(render_presets(rows))


@command(commands, "safety")
def safety_command(as_json: JsonFlag = False) -> None:
    """When to stop, when to see a doctor or physiotherapist, and the signs that need urgent care.

    Example: breakctl safety
    """
    from breakctl.core import safety

    if as_json:
        print_json(
            {
                "stop": safety.STOP,
                "urgent": {"title": safety.URGENT_TITLE, "signs": list(safety.URGENT)},
                "soon": {"title": safety.SOON_TITLE, "signs": list(safety.SOON)},
                "sources": list(safety.SOURCES),
            }
        )
    else:
        import shutil
        import sys

        import typer

        # On a terminal, wrapped to it with hanging indents; piped, one line per item.
        width = min(shutil.get_terminal_size().columns, 100) - 1 if sys.stdout.isatty() else None
        typer.echo(safety.safety_text(width))
