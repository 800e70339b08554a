"""The options every report and listing shares, defined once: format, output, redaction,
year, as-of date, month and teams; and the one way they turn into an output target."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.dates import parse_date, parse_year
from ..core.messages import N_, Opt
from ..render.output import FORMATS, TEXT, Target, View, target

if TYPE_CHECKING:
    from ..analysis.reports import ReportData, ReportSpec
    from ..ledger import Ledger
    from ..render.redact import Redactor

#: The option that lets a date after today through (named in the library's messages).
ALLOW_FUTURE = Opt("allow-future")


FORMAT_HELP = N_("Output format: table, vertical (one block per row), csv, csv-nl (Dutch Excel), json "
                  "or markdown. With --output: must fit the file's extension.")
TEXT_FORMAT_HELP = N_("Output format: text (the default: plain lines), table, vertical (one block per row), csv, "
                       "csv-nl (Dutch Excel), json or markdown. With --output: must fit the file's extension.")
OUTPUT_HELP = N_("Write to FILE instead: .xlsx, .csv, .json or .md (by extension); never into a ledger "
                  "folder.")
REDACT_HELP = N_("For researchers: leave out notes, stories, reasons, bank texts and names, and replace "
                  "household codes with pseudonyms (HH-0001) that hold within this export only.")
YEAR_HELP = N_("Budget year (default: the year of --as-of or --month; else this year, or for a ledger "
                "without budgets for this year its latest budget year).")
AS_OF_HELP = N_("Count up to and including this date (default: today; 31-12 for a past year).")
MONTH_HELP = N_("Count up to the end of this month (the monthly report's cut-off; today while it runs).")
TEAMS_HELP = N_("Budget holders to include (default: all).")

FormatOpt = Annotated[str | None, typer.Option("--format", "-f", metavar="FORMAT", help=FORMAT_HELP,
                                               show_default=False)]
TextFormatOpt = Annotated[str | None, typer.Option("--format", "-f", metavar="FORMAT", help=TEXT_FORMAT_HELP,
                                                   show_default=False)]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help=OUTPUT_HELP,
                                                show_default=False)]
RedactOpt = Annotated[bool, typer.Option("--redact", help=REDACT_HELP)]
YearOpt = Annotated[str | None, typer.Option("--year", metavar="YYYY", help=YEAR_HELP, show_default=False)]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", metavar="DATE", help=AS_OF_HELP, show_default=False)]
MonthOpt = Annotated[str | None, typer.Option("--month", metavar="YYYY-MM", help=MONTH_HELP,
                                              show_default=False)]
TeamsArg = Annotated[list[str] | None, typer.Argument(metavar="[TEAM]...", help=TEAMS_HELP,
                                                      show_default=False)]


def out(fmt: str | None, output: Path | None, allowed: tuple[str, ...] = FORMATS) -> Target:
    """Where a command's output goes; checked before any work (one line on a mistake). With
    ``text`` among the ``allowed`` formats, it is the default."""
    from .app import state

    to = target(fmt, output, ledger_root=state.ledgers, allowed=allowed,
                default=TEXT if TEXT in allowed else "table")
    if to.format == "xlsx":
        to = replace(to, municipality=_municipality(state.ledgers))
    return to


def _municipality(root: Path) -> str:
    """The ledger's municipality for a workbook's cover; empty when there is no ledger there
    (the command itself then says what is wrong)."""
    from ..core.errors import MaatwerkError
    from ..ledger import Ledger

    try:
        lg = Ledger(root)
        return lg.settings.municipality if lg.exists() else ""
    except (MaatwerkError, OSError):
        return ""


def year_of(value: str | None) -> int | None:
    return parse_year(value) if value else None


def as_of_of(value: str | None) -> dt.date | None:
    return parse_date(value, what="as-of date") if value else None


def report_of(lg: Ledger, teams: list[str] | None, year: str | None, as_of: str | None,
              month: str | None) -> tuple[ReportSpec, ReportData]:
    """The period options of a report, resolved once into a spec, and the ledger read once
    for it: every report of the command is a function of the two."""
    from ..analysis.reports import report_spec, snapshot

    spec = report_spec(lg, teams, year=year_of(year), as_of=as_of_of(as_of), month=month)
    return spec, snapshot(lg, spec)


def redacted(view: View, redactor: Redactor | None = None) -> View:
    """The view with free text and names left out and household codes pseudonymised
    (pass one ``redactor`` for all views of one export, so a household keeps its pseudonym)."""
    from dataclasses import replace

    from ..render.redact import Redactor

    r = redactor or Redactor()
    total = r.records([view.total])[0] if view.total is not None else None
    return replace(view, columns=r.columns(view.columns), records=r.records(view.records),
                   table=r.columns(view.table) if view.table else (), total=total)
