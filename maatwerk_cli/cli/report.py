"""``maatwerk report``: the coordinator's monthly report as one HTML page (or its PDF).

The only command that imports the chart and page modules (:mod:`maatwerk_cli.render.html`,
:mod:`maatwerk_cli.render.charts`); every other report stays as light as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.errors import InputError
from ..core.messages import N_, tr
from ..core.money import parse_amount
from ..render.output import check_output, print_lines
from .app import app, ledger, warn, warn_problems
from .options import AsOfOpt, MonthOpt, RedactOpt, YearOpt, as_of_of, redacted, year_of

SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf"}

REPORT_HELP = N_("""\
The monthly report for the municipality: one HTML page in Dutch, or its PDF.

A summary (budget, spent, used, the pace of the year, who is behind or over: a sentence for
the few furthest behind or over, the others by name), then charts with the figures under
each: utilisation against the pace, spend per month against the pace line (all together and
per team), categories, open and overdue loans, outcomes and avoided cost, tegenprestatie
share, refusals by reason, rules of thumb overridden and the knipkaart, cash, lead time
(once requests are dated), and the stories of the larger spends. The tables hold the same
figures as utilisation, compare, categories, loans and outcomes with --format json for the
same as-of date.

The page holds its CSS and charts itself and loads nothing from anywhere. Printed (or as
PDF) it is A4, the sections one after another (42 teams fit in 12 pages). A .pdf is made
with WeasyPrint if it is installed, else with Chromium (chromium --headless); without
either, use .html and print from a browser. Without --output: maatwerk-YYYY-MM.html in the
current folder (never in the ledger folder); the path is printed.
""")


@app.command(help=REPORT_HELP)
def report(
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    year: YearOpt = None,
    teams: Annotated[list[str] | None, typer.Option(
        "--team", "-t", metavar="TEAM", show_default=False,
        help="Only this budget holder (repeat for more; default: all).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE.html|FILE.pdf", show_default=False,
        help="Write the report here: .html, or .pdf (default: maatwerk-YYYY-MM.html here).")] = None,
    min_amount: Annotated[str | None, typer.Option(
        "--min-amount", metavar="AMOUNT", show_default=False,
        help="Tell the stories of spends from this amount (default: 500).")] = None,
    redact: RedactOpt = False,
) -> None:
    from ..analysis.overview import STORY_MIN, overview
    from ..render import html
    from ..render.output import write_text
    from ..render.redact import Redactor
    from .app import state

    if output is not None:
        _check_output(output, state.ledgers)
    if as_of and month:
        raise InputError(tr("give --as-of or --month, not both"))
    threshold = parse_amount(min_amount, what="minimum amount") if min_amount else STORY_MIN
    lg = ledger()
    ov = overview(lg, teams, year=year_of(year), as_of=as_of_of(as_of), month=month, story_min=threshold)
    if output is None:
        output = Path(f"maatwerk-{ov.as_of:%Y-%m}.html")
        check_output(output, [state.ledgers])
    views = html.report_views(ov)
    if redact:
        one = Redactor()  # one export: a household keeps its pseudonym across the tables
        views = {name: redacted(view, one) for name, view in views.items()}
    page = html.page(ov, views, redacted=redact)
    warn_problems(ov.problems)
    note = ov.utilisation.attrs.get("year_note", "")
    if SUFFIXES[output.suffix.lower()] == "pdf":
        from ..render.pdf import write_pdf

        write_pdf(page, output)
    else:
        write_text(output, page)
    if note:
        warn(note)
    print_lines(str(output))


def _check_output(output: Path, ledger_root: Path) -> None:
    """A report goes to an .html or .pdf file in an existing folder outside the ledger."""
    if output.suffix.lower() not in SUFFIXES:
        raise InputError(tr("the report is a web page or a PDF; write it to a .html or .pdf file, not {name!r}",
                            name=output.name))
    if not output.parent.is_dir():
        raise InputError(tr("folder {folder} does not exist", folder=output.parent))
    check_output(output, [ledger_root])
