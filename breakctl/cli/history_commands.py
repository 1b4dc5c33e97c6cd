"""breakctl history: list, check, hosts, corrections (edit, delete, add, undo), export, import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from breakctl.cli.base import app_context, command, family, print_json
from breakctl.cli.completion import complete_history_id
from breakctl.cli.history_corrections import add_corrections, open_history
from breakctl.cli.problems import warn_problems
from breakctl.cli.terminal_out import data_out
from breakctl.core.durations import plural
from breakctl.core.errors import DataError
from breakctl.store.history_dir import locate_history
from breakctl.store.output_file import OUTPUT_HELP, output_file
from breakctl.ui.text import safe

# Each command imports what it reads and prints (the records, the day cache, Rich's table)
# when it runs: `breakctl history` on an empty history prints one line and loads none of it.

commands = family()
history_app = family(
    "Your history on every machine: list, correct (edit, delete, add, undo), export, import; "
    "or check the files for bad lines.",
    invoke_without_command=True,
)
commands.add_typer(history_app, name="history")


@history_app.callback()
def history_list(
    ctx: typer.Context,
    last: Annotated[int, typer.Option("--last", help="How many records, newest last.")] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the records as JSON lines.")
    ] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")] = False,
    raw: Annotated[
        bool, typer.Option("--raw", help="The records as written, corrections not applied.")
    ] = False,
) -> None:
    """List the last records of your history (all machines), oldest first, corrected.

    Example: breakctl history --last 50 --csv > history.csv
    """
    if ctx.invoked_subcommand is not None:
        return
    if as_json and as_csv:
        raise DataError("use --json or --csv, not both")
    if last < 0:
        raise DataError(f"--last: expected 0 or more, got {last}")
    app_ctx = app_context(ctx)
    files, unreadable = locate_history(app_ctx.paths, app_ctx.env).scan()
    if not files and not unreadable:
        _nothing_yet(as_json, as_csv, last)
        return
    from breakctl.core.record_codec import CSV_HEADER, csv_row

    _, access = open_history(ctx)
    if as_json or as_csv:  # streamed: memory does not grow with --last
        out = data_out()
        if as_csv:
            out.write(CSV_HEADER)
        for line, record, host in access.last_hosted(last, corrected=not raw):
            out.write(line + b"\n" if as_json else csv_row(record, host))
        out.flush()
    elif last:
        records = [record for _, record in access.last(last, corrected=not raw)]
        if records:
            from breakctl.ui.console import make_console
            from breakctl.ui.tables import history_table

            make_console().print(history_table(records))
        else:
            _nothing_yet(as_json, as_csv, last)
    warn_problems(access.problems)


def _nothing_yet(as_json: bool, as_csv: bool, last: int) -> None:
    """What the listing prints when there is no record: a CSV header (read off the codec),
    no JSON line, or a line saying how to start."""
    if as_csv:
        from breakctl.core.record_codec import CSV_HEADER

        out = data_out()
        out.write(CSV_HEADER)
        out.flush()
    elif last and not as_json:
        typer.echo("No history yet: run `breakctl routine micro` or `breakctl start`.")


@command(history_app, "check")
def history_check(ctx: typer.Context) -> None:
    """Report problems in every history file: lines that can't be read (with why), one id
    written with different contents, corrections of records that are not there. Changes
    nothing.

    Example: breakctl history check
    """
    from breakctl.cli.fast_reads import history_check_lines

    status = history_check_lines(app_context(ctx), lambda line, err: typer.echo(line, err=err))
    if status:
        raise typer.Exit(status)


@command(history_app, "hosts")
def history_hosts(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the machines of the history folder, with record counts and the last record of
    each; a sync tool's conflict copies are listed under their machine, with how many of
    their records are in no other file.

    Example: breakctl history hosts
    """
    from breakctl.host.setup.history import host_rows

    _, access = open_history(ctx)
    rows = host_rows(access)
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo(f"No history yet in {safe(str(access.place.folder))}")
        return
    for row in rows:
        mark = "  (this machine)" if row["this machine"] else ""
        last = f"  last {row['last']}" if row["last"] else ""
        host = safe(str(row["host"]))
        typer.echo(f"{host:<32} {plural(row['records'], 'record'):>15}{last}{mark}")
        copies = row["copies"]
        if copies:
            own = sum(copy["own"] for copy in copies)
            one = len(copies) == 1
            count = f"{len(copies)} conflict cop{'y' if one else 'ies'}"
            typer.echo(f"  {count}, {plural(own, 'record')} of {'its' if one else 'their'} own")
            for copy in copies:
                name = safe(Path(copy["file"]).name)
                typer.echo(
                    f"    {name}: {plural(copy['records'], 'record')}, {copy['own']} of its own"
                )


add_corrections(history_app)  # edit, delete, add, undo: in history_corrections


# -- export and import -------------------------------------------------------------------------


@command(history_app, "export")
def history_export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="csv, json (JSON lines) or ics")] = "json",
    since: Annotated[str | None, typer.Option("--since", help="From this day")] = None,
    until: Annotated[str | None, typer.Option("--until", help="To this day, included")] = None,
    output: Annotated[Path | None, typer.Option("--output", help=OUTPUT_HELP)] = None,
) -> None:
    """Write the whole history (all machines, corrected), streamed. CSV cells that a
    spreadsheet would run as a formula (starting with = + - @, tab or CR) get a leading '.

    Example: breakctl history export --format ics --since 2026-11-01 --output breaks.ics
    """
    from breakctl.host.setup.history import export, export_days

    first, end = export_days(fmt, since, until)
    app_ctx, access = open_history(ctx)
    stamp = app_ctx.clock.now()
    entries = (entry for entry in access.hosted() if first <= entry[1].day <= end)
    if output is None:
        export(data_out(), fmt, entries, stamp)
    else:
        with output_file(output, access.place) as handle:
            count = export(handle, fmt, entries, stamp)
        typer.echo(f"Wrote {count} records to {safe(str(output))}", err=True)
    warn_problems(access.problems)


@command(history_app, "import")
def history_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="JSON lines, as `history export --format json` writes them")
    ],
) -> None:
    """Add the records of FILE (exported by another breakctl) to this machine's file,
    skipping those already in your history. Written in batches, each under the file's lock,
    so a session or another import can write at the same time; fields this version does not
    know are kept, and a record without an id gets one made from its content. CSV and
    iCalendar exports cannot be imported (exit 2). A progress bar shows on a terminal.

    Example: breakctl history import laptop.jsonl
    """
    from breakctl.host.setup.history import import_records
    from breakctl.ui.progress import byte_progress

    app_ctx, access = open_history(ctx)
    history = app_ctx.history()
    size = file.stat().st_size if file.is_file() else 0
    with byte_progress(f"Importing {file.name}", size) as progress:
        imported = import_records(file, access, history, app_ctx.clock.now(), progress)
    new = imported.new
    typer.echo(
        f"Imported {new} new record{'s' if new != 1 else ''} into "
        f"{safe(str(history.path))} ({imported.old} already there)"
    )
    warn_problems(imported.bad)
    if imported.ahead:
        ahead, lines = plural(len(imported.ahead), "correction"), ", ".join(imported.ahead)
        typer.echo(
            f"breakctl: warning: {file}: not imported, dated ahead of the clock: "
            f"{ahead} (line {lines})",
            err=True,
        )


@command(history_app, "show")
def history_show(
    ctx: typer.Context,
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A record's id, or any unique start of it.",
            autocompletion=complete_history_id,
        ),
    ],
) -> None:
    """Print one record, corrections applied, as a JSON line, found by its id or a unique start.
    A deleted record is shown as written, and stderr says it is deleted.

    Example: breakctl history show 4f9c2a7e
    """
    from breakctl.core.record_codec import encode

    _, access = open_history(ctx)
    record = access.find(record_id, deleted=True)
    data_out().write(encode(record))
    delete = access.resolved.deleted(record.id)
    if delete is not None:
        typer.echo(
            f"{record.id[:8]} is deleted (correction {delete.id[:8]}, made "
            f"{delete.made:%Y-%m-%d %H:%M}): it does not count; "
            f"`breakctl history undo {record.id[:8]}` brings it back",
            err=True,
        )
