"""``maatwerk export hledger|ledger|beancount|parquet``: the ledger in files other tools read.

The data comes from :mod:`maatwerk_cli.analysis.export`, the text and files from
:mod:`maatwerk_cli.render.journal_formats` and :mod:`maatwerk_cli.render.parquet`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from ..core.dates import parse_year
from ..core.errors import InputError
from ..core.messages import N_, tr
from ..render.output import check_output as safe_output
from .app import app, ledger, notice, warn, warn_problems
from .options import RedactOpt

EXPORT_HELP = N_(
    "The ledger as files that hledger, ledger, beancount/fava and DuckDB or Spark read as they are.\n\n"
    "Each team's expenses in the journals add up to what `maatwerk compare` calls spent; the Parquet "
    "dataset gives the same figures in SQL. How the ledger maps onto accounts and tables: each export's "
    "own --help (`maatwerk export hledger --help`)."
)

export_app = typer.Typer(help=EXPORT_HELP, no_args_is_help=True)
app.add_typer(export_app, name="export")

YEAR_HELP = N_("Only this year (with opening balances for cash and claims); default: every year.")
TEAM_HELP = N_("Only this budget holder; give --team more than once for several (default: all).")
OUTPUT_HELP = N_("Write to FILE (replaced whole) instead of printing; not inside any ledger folder.")

JOURNAL_HELP = N_("""\
The ledger as {tool} journal: {check}.

Each spend is a transaction from the team's Budget account (Kas when paid in cash) to
Expenses:Maatwerk:<Team>:<Category>, with its id, kind, method and household as {tags}.
A loan or conditional grant counts as spent in full and also puts the claim on
Assets:Maatwerk:<Team>:Vorderingen; repayments and recoveries come back into Budget as
income and lower the claim. Cash withdrawals, deposits and write-offs go through Kas.
Voided entries are left out, with their repayments. Each team's budget for the year is
{budget}. Amounts are exact, in EUR.
""")


def _help(tool: str, check: str, tags: str, budget: str) -> str:
    return JOURNAL_HELP.format(tool=tool, check=check, tags=tags, budget=budget)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def check_output(output: Path, roots: Sequence[Path]) -> Path:
    """The file to write, or a one-line InputError before anything is read."""
    safe_output(output, roots)
    if not output.parent.is_dir():
        raise InputError(tr("folder {folder} does not exist", folder=output.parent))
    return output


def _journal(tool: str, year: str | None, teams: list[str] | None, output: Path | None,
             redact: bool) -> None:
    from ..render.journal_formats import render, write_journal
    from ..render.redact import Redactor

    chosen = parse_year(year) if year is not None else None
    lg = ledger()
    if output is not None:
        check_output(output, [lg.root])
    export = lg.journal_export(year=chosen, teams=teams, redactor=Redactor() if redact else None)
    warn_problems(export.problems)
    if not export.transactions and not any(b.cents for b in export.budgets):
        warn(tr("nothing to export for {year}: no spends, cash or budgets", year=chosen) if chosen
             else tr("nothing to export: no spends, cash or budgets"))
    text = render(tool, export)
    if output is None:
        sys.stdout.write(text)
        return
    safe_output(output)  # again: the folder may have changed while the ledger was read
    write_journal(output, text)
    notice(tr("wrote {path}", path=output))


def _year_option() -> Any:
    return typer.Option(None, "--year", metavar="YYYY", help=YEAR_HELP)


def _team_option() -> Any:
    return typer.Option(None, "--team", "-t", metavar="TEAM", help=TEAM_HELP)


def _output_option() -> Any:
    return typer.Option(None, "--output", "-o", metavar="FILE", help=OUTPUT_HELP, show_default=False)


@export_app.command("hledger", help=_help(
    "an hledger", "`hledger -f FILE bal`, `hledger -f FILE bal --budget -Y Expenses`",
    "tags (`hledger reg tag:kind=loan`)", "a periodic transaction, for `bal --budget`"))
def export_hledger(
    year: str | None = _year_option(),
    team: list[str] | None = _team_option(),
    output: Path | None = _output_option(),
    redact: RedactOpt = False,
) -> None:
    _journal("hledger", year, team, output, redact)


@export_app.command("ledger", help=_help(
    "a ledger (ledger-cli)", "`ledger -f FILE bal`, `ledger -f FILE budget Expenses`",
    "metadata (`ledger reg %kind=loan`)", "a periodic transaction, for `ledger budget` and --budget"))
def export_ledger(
    year: str | None = _year_option(),
    team: list[str] | None = _team_option(),
    output: Path | None = _output_option(),
    redact: RedactOpt = False,
) -> None:
    _journal("ledger", year, team, output, redact)


@export_app.command("beancount", help=_help(
    "a beancount", "`bean-check FILE`, `fava FILE`, `bean-query FILE`",
    "metadata, with a link (^id) shared by a spend and its repayments and the kind as a tag",
    'a `custom "budget"` entry, which fava shows under Budgets'))
def export_beancount(
    year: str | None = _year_option(),
    team: list[str] | None = _team_option(),
    output: Path | None = _output_option(),
    redact: RedactOpt = False,
) -> None:
    _journal("beancount", year, team, output, redact)


PARQUET_HELP = N_("""\
Many ledger folders as one Parquet dataset for DuckDB, Spark, polars or pandas.

Tables, each in DIR/<table>/municipality=<name>/year=<year>/part-NNNN.parquet:
entries (every spend as it stands after its events, voided ones marked), paybacks
(repayments and recoveries), cash (withdrawals, deposits, write-offs), budgets and
refusals. Money is decimal(18,2), exact. DIR is written whole and replaces an earlier
export in the same place; it may not lie inside a ledger folder.

Needs pyarrow: pip install 'maatwerk-cli\\[parquet]'. In DuckDB, for example:
SELECT team, sum(amount) FROM read_parquet('DIR/entries/**/*.parquet', hive_partitioning = true)
WHERE NOT voided GROUP BY team.
""")


@export_app.command("parquet", help=PARQUET_HELP)
def export_parquet(
    target: Path = typer.Argument(..., metavar="DIR", help="Folder for the dataset (new, empty, "
                                  "or an earlier export).", show_default=False),
    roots: list[Path] | None = typer.Argument(
        None, metavar="[ROOT]...", help="Ledger folders (default: the --ledgers folder).",
        show_default=False),
    redact: RedactOpt = False,
) -> None:
    from ..analysis.export import table_columns
    from ..ledger import Ledger
    from ..render.parquet import check_target, require_pyarrow, write_dataset
    from ..render.redact import Redactor

    require_pyarrow()
    ledgers = [Ledger(r) for r in roots] if roots else [ledger()]
    for lg in ledgers:
        lg.require()
    safe_output(target, [lg.root for lg in ledgers], folder=True)
    for lg in ledgers:
        if _inside(lg.root, target):
            raise InputError(tr("the ledger folder {folder} is inside {target}; give another folder",
                                folder=lg.root, target=target))
    check_target(target)
    redactor = Redactor() if redact else None
    parts = [lg.export_tables(redactor) for lg in ledgers]
    warn_problems([p for part in parts for p in part.problems])
    columns = {name: table_columns(name, redactor) for name in parts[0].rows} if parts else {}
    counts = write_dataset(target, parts, columns, redacted=redact)
    what = ", ".join(f"{n} {name}" for name, n in counts.items())
    notice(tr("wrote {target}: {rows} (from {n:plural:ledger folder|ledger folders})", target=f"{target}{os.sep}",
              rows=what, n=len(parts)))
