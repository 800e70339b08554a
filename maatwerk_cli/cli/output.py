"""Printing records in the format the user asked for."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import typer

from ..core.errors import InputError
from ..render.formats import FORMATS, Column, Record, render_text, to_table, write_output

FORMAT_HELP = "Output format: table, csv, csv-nl (Dutch Excel), json or markdown."
OUTPUT_HELP = "Write to FILE instead: .xlsx, .csv, .json or .md (by extension)."


def format_option(default: str = "table") -> Any:
    return typer.Option(default, "--format", "-f", metavar="FORMAT", help=FORMAT_HELP)


def output_option() -> Any:
    return typer.Option(None, "--output", "-o", metavar="FILE", help=OUTPUT_HELP, show_default=False)


def check_format(fmt: str) -> str:
    value = fmt.strip().lower()
    if value == "md":
        value = "markdown"
    if value not in FORMATS:
        raise InputError(f"format {fmt!r} is not one of: {', '.join(FORMATS)}")
    return value


def show(
    records: Sequence[Record],
    columns: Sequence[Column],
    fmt: str = "table",
    *,
    output: Path | None = None,
    title: str | None = None,
    total: bool = False,
    styles: Callable[[Record], str | None] | None = None,
    empty: str = "nothing to show",
    footer: str | None = None,
    redact: bool = False,
) -> None:
    """Print (or write to ``output``) records as a table, CSV, JSON or Markdown."""
    fmt = check_format(fmt)
    if redact:
        from ..render.redact import redact as redacted

        records, columns = redacted(records, columns)
    if output is not None:
        write_output(output, records, columns, total=total, sheet=title or "maatwerk")
        sys.stderr.write(f"maatwerk: wrote {output}\n")
        return
    if fmt != "table":
        sys.stdout.write(render_text(fmt, records, columns, total=total))
        return
    from rich.console import Console

    console = Console()
    if not records:
        console.print(f"[dim]{empty}[/]")
        return
    console.print(to_table(records, columns, title=title, total=total, width=console.width,
                           styles=styles))
    if footer:
        console.print(footer)
