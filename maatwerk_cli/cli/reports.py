"""The coordinator's and the researcher's commands: utilisation, compare, categories, loans,
outcomes, stories and summary.

Each one calls a report function of :mod:`maatwerk_cli.analysis.reports` (a DataFrame) and renders
it. pandas is imported inside the commands only, so registering them costs nothing on the
clerk's path.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..core.dates import parse_date, parse_year, today
from ..core.errors import InputError
from ..core.money import format_eur, parse_amount
from ..render.formats import Column, Record
from ..render.redact import redact_option
from .app import app, ledger, warn, warn_problems
from .output import check_format, format_option, output_option

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.reports import Report

LENIENT = {"ignore_unknown_options": True}  # so "-5" reaches the amount parser, not click

TEAMS_HELP = "Budget holders to include (default: all)."
YEAR_HELP = ("Budget year (default: the year of --as-of or --month, else this year; a ledger "
             "without budgets for this year: its latest budget year).")
DEFAULT_YEAR_HELP = ("Budget year (default: this year; a ledger without budgets for this year: "
                     "its latest budget year).")
AS_OF_HELP = "Count up to and including this date (default: today; 31-12 for a past year)."


def _year(value: str | None) -> int | None:
    return parse_year(value) if value else None


def _as_of(value: str | None) -> dt.date | None:
    return parse_date(value, what="as-of date") if value else None


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def _names(records: Sequence[Record], status: str) -> list[str]:
    return [str(r["team"]) for r in records if r.get("status") == status]


# ---------------------------------------------------------------------------- rendering


def prepare(fmt: str, output: Path | None) -> str:
    """Check --format and --output before any work, so a mistake costs nothing and says one line."""
    from ..render.formats import FILE_FORMATS

    value = check_format(fmt)
    if output is not None:
        if output.suffix.lower() not in FILE_FORMATS:
            raise InputError(f"cannot tell the format of {output.name!r}; use .xlsx, .csv, .json or .md")
        if not output.parent.is_dir():
            raise InputError(f"folder {output.parent} does not exist")
    return value


def emit(
    frame: pd.DataFrame | Report,
    fmt: str,
    output: Path | None,
    *,
    data_columns: Sequence[Column],
    table_columns: Sequence[Column] | None = None,
    title: str,
    sheet: str,
    footer: Sequence[str] = (),
    empty: str = "nothing to show",
    styles: Callable[[Record], str | None] | None = None,
    redact: bool = False,
) -> None:
    """Print a report, or write it to ``output`` (format by extension).

    JSON and CSV carry the data columns and no totals row; the table, Markdown and XLSX
    add the report's totals row (``frame.attrs['total']``). The table shows the human
    columns (less important ones drop out on narrow terminals) and the footer lines.
    """
    from ..analysis.reports import Report
    from ..render.formats import FILE_FORMATS, frame_records, render_text, to_table, write_output

    fmt = check_format(fmt)
    warn_problems(frame.attrs.get("problems", ()))
    records = frame.records if isinstance(frame, Report) else frame_records(frame)
    total = frame.attrs.get("total")
    human = list(table_columns or data_columns)
    if redact:
        from ..render.redact import Redactor

        redactor = Redactor()
        records, data_columns, human = (redactor.records(records), redactor.columns(data_columns),
                                        redactor.columns(human))
        total = redactor.records([total])[0] if total is not None else None
    with_total = [*records, total] if total is not None and records else records
    if output is not None:
        kind = FILE_FORMATS.get(output.suffix.lower())
        if kind == "markdown":
            _write_text(output, _markdown(with_total, human, title, footer))
        else:
            rows = with_total if kind == "xlsx" else records
            write_output(output, rows, list(data_columns), sheet=sheet)
        sys.stderr.write(f"maatwerk: wrote {output}\n")
        return
    if fmt in ("json", "csv", "csv-nl"):
        sys.stdout.write(render_text(fmt, records, list(data_columns)))
        return
    if fmt == "markdown":
        sys.stdout.write(_markdown(with_total, human, title, footer))
        return
    from rich.console import Console

    console = Console()
    if not records:
        console.print(f"[dim]{empty}[/]")
        return
    table = to_table(with_total, human, title=title, width=console.width, styles=styles)
    if total is not None and len(table.rows) > 1:
        table.rows[-2].end_section = True
        table.rows[-1].style = "bold"
    console.print(table)
    for line in footer:
        console.print(line, highlight=False)


def _markdown(records: Sequence[Record], columns: Sequence[Column], title: str,
              footer: Sequence[str]) -> str:
    from ..render.formats import to_markdown

    text = f"## {title}\n\n" + to_markdown(records, columns)
    if footer:
        text += "\n" + "\n".join(_plain_markup(line) for line in footer) + "\n"
    return text


def _plain_markup(line: str) -> str:
    """A footer line without rich's [style] tags."""
    import re

    return re.sub(r"\[/?[a-z ]*\]", "", line)


def _write_text(path: Path, text: str) -> None:
    if not path.parent.is_dir():
        raise InputError(f"folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(path)


def pick_year(year: str | None, *ledgers: Any) -> tuple[int | None, str]:
    """The report year: --year when given, else this year, unless the ledger has no budget
    for this year but has them for earlier ones (an example ledger of 2015, say): then its
    latest budget year, and a note to say so on stderr once the report stands, so nobody
    mistakes which year they see."""
    if year:
        return parse_year(year), ""
    this_year = today().year
    teams = [t for one in ledgers for t in one.teams()]
    if not teams or any(t.budget(this_year) for t in teams):
        return None, ""
    years: list[int] = sorted(
        {int(y) for t in teams for y, b in t.budgets.items() if b and int(y) < this_year})
    if not years:
        return None, ""
    return years[-1], (f"no budget holder has a budget for {this_year}; showing {years[-1]}, "
                       "the latest year with budgets (choose another with --year)")


def _title(base: str, municipality: str) -> str:
    return f"{base} ({municipality})" if municipality else base


# ---------------------------------------------------------------------------- utilisation

UTILISATION_HELP = """\
Spending per budget holder against its budget and the pace of the year.

One row per wijkteam or fund; the status column shows at a glance who is behind.

[bold]Definitions[/] (JSON/CSV keys):

[bold]spent[/]: spends dated from 1 January up to the as-of date, not voided, plus cash
remainders written off; a cash spend counts on its own date, a withdrawal never.
[bold]repaid[/]: repayments and recoveries received in that stretch; [bold]net[/] = spent - repaid.
[bold]utilisation[/]: spent / budget (0.079 is 7,9%).
[bold]expected[/]: share of the year passed at the as-of date, in days
(1 January 1/365, 30 September 273/365 = 74,8%, 31 December 100%; leap years 366).
[bold]status[/]: [red]over[/] when spent or projected is above the budget; else [yellow]under[/]
when utilisation is below the under-share (default 0,5; \\[pace] under_share in
maatwerk.toml) times expected; else [green]on-track[/].
[bold]projected[/]: year-end spend at the current pace, spent / expected.
[bold]month_spent[/] (with --month): spent in that month. [bold]cash_on_hand[/]: cash withdrawn
and not yet spent, deposited or written off.

Defaults: --as-of is today in the current year and 31-12 for a past year; --month
counts up to the month's last day (today while it runs).
"""

UTILISATION_DATA = [
    Column("team"),
    Column("budget", kind="money"),
    Column("spent", kind="money"),
    Column("repaid", kind="money"),
    Column("net", kind="money"),
    Column("utilisation", kind="fraction"),
    Column("expected", kind="fraction"),
    Column("status"),
    Column("projected", kind="money"),
]


def utilisation_columns(frame: Report) -> tuple[list[Column], list[Column]]:
    """(data columns, table columns) for a utilisation frame."""
    month = "month_spent" in frame.columns
    data = list(UTILISATION_DATA)
    if month:
        data.append(Column("month_spent", kind="money"))
    data += [Column("cash_on_hand", kind="money"), Column("kind"), Column("name")]
    table = [Column("team"), Column("budget", kind="money"), Column("spent", kind="money")]
    if month:
        table.append(Column("month_spent", "month", kind="money"))
    table += [
        Column("utilisation", "used", kind="fraction"),
        Column("status"),
        Column("projected", kind="money"),
        Column("repaid", kind="money", wide=True),
        Column("net", kind="money", wide=True),
    ]
    cash = frame["cash_on_hand"] if "cash_on_hand" in frame.columns else []
    if any(v != 0 for v in cash):
        table.append(Column("cash_on_hand", "cash", kind="money", wide=True))
    return data, table


def utilisation_footer(frame: Report, records: Sequence[Record]) -> list[str]:
    """The legend under the table: the pace, what under and over mean, who is behind."""
    expected = float(frame.attrs["expected"])
    share = Decimal(frame.attrs["under_share"])
    as_of: dt.date = frame.attrs["as_of"]
    year = frame.attrs["year"]
    lines = [
        f"Pace: {_pct(expected)} of {year} has passed on {as_of:%d-%m-%Y}. "
        f"[yellow]under[/]: used less than {_pct(float(share) * expected)} "
        f"({_pct(float(share))} of the pace); [red]over[/]: spent or projected above the budget."
    ]
    behind, over = _names(records, "under"), _names(records, "over")
    of = f" ({{}} of {len(records)})" if len(records) > 1 else ""
    lines.append(f"Behind the pace{of.format(len(behind))}: [bold yellow]{', '.join(behind)}[/]."
                 if behind else "No budget holder is behind the pace.")
    if over:
        lines.append(f"Over budget, or heading there{of.format(len(over))}: "
                     f"[bold red]{', '.join(over)}[/].")
    return lines


@app.command(help=UTILISATION_HELP)
def utilisation(
    teams: list[str] | None = typer.Argument(None, metavar="[TEAM]...", help=TEAMS_HELP,
                                             show_default=False),
    as_of: str | None = typer.Option(None, "--as-of", metavar="DATE", help=AS_OF_HELP),
    month: str | None = typer.Option(
        None, "--month", metavar="YYYY-MM", help="Count up to the end of this month and add its own spend."
    ),
    year: str | None = typer.Option(None, "--year", metavar="YYYY", help=YEAR_HELP),
    under_share: str | None = typer.Option(
        None, "--under-share", metavar="SHARE",
        help="A team is under when below this share of the pace (0,5 or 50%; default from maatwerk.toml).",
    ),
    fmt: str = format_option(),
    output: Path | None = output_option(),
    redact: bool = redact_option(),
) -> None:
    from ..analysis import reports

    prepare(fmt, output)
    lg = ledger()
    chosen, note = (_year(year), "") if (year or as_of or month) else pick_year(None, lg)
    frame = reports.utilisation_report(
        lg, teams, year=chosen, as_of=_as_of(as_of), month=month,
        under_share=reports.check_share(under_share) if under_share is not None else None,
    )
    if note:
        warn(note)
    y = frame.attrs["year"]
    unset = [str(t) for t, b in zip(frame["team"], frame["budget"], strict=True) if b == 0]
    if unset:
        warn(f"no budget set for {y}: {', '.join(unset)} "
             f"(set one with `maatwerk team budget TEAM AMOUNT --year {y}`)")
    data, table = utilisation_columns(frame)
    as_of_day: dt.date = frame.attrs["as_of"]
    emit(
        frame, fmt, output, data_columns=data, table_columns=table,
        title=_title(f"Utilisation {y}, as of {as_of_day:%d-%m-%Y}", lg.settings.municipality),
        sheet="utilisation", footer=utilisation_footer(frame, frame.records),
        empty="no budget holders yet; add one with `maatwerk team add`", redact=redact,
    )


# ---------------------------------------------------------------------------- compare

COMPARE_DATA = [
    Column("team"),
    Column("budget", kind="money"),
    Column("spent", kind="money"),
    Column("utilisation", kind="fraction"),
    Column("count", kind="int"),
    Column("average", kind="money"),
    Column("median", kind="money"),
    Column("max", kind="money"),
    Column("top_category"),
    Column("loans_outstanding", kind="money"),
    Column("tegenprestatie_share", kind="fraction"),
    Column("refusals", kind="int"),
]
COMPARE_TABLE = [
    Column("team"),
    Column("budget", kind="money", wide=True),
    Column("spent", kind="money"),
    Column("utilisation", "used", kind="fraction"),
    Column("count", "n", kind="int"),
    Column("average", "avg", kind="money"),
    Column("median", kind="money", wide=True),
    Column("max", kind="money", wide=True),
    Column("top_category", "top category"),
    Column("loans_outstanding", "loans open", kind="money", wide=True),
    Column("tegenprestatie_share", "tegenpr.", kind="fraction", wide=True),
    Column("refusals", "refused", kind="int", wide=True),
]


def _human(value: Any, kind: str) -> str:
    from ..render.formats import _text_human

    return _text_human(value, kind)


def _target(fmt: str, output: Path | None) -> str:
    """The format the report goes out in: by --output's extension, else --format."""
    from ..render.formats import FILE_FORMATS

    return FILE_FORMATS.get(output.suffix.lower(), "") if output is not None else check_format(fmt)


def turned(
    report: Report, fields: Sequence[Column], target: str, key: str = "team",
    text: Sequence[Column] = (),
) -> tuple[pd.DataFrame, list[Column]]:
    """``report`` for --transpose: ``fields`` as rows (and the long ``text`` ones, but not in
    a table, whose columns stay narrow without them), its ``key`` values as columns."""
    mode = {"xlsx": "sheet", "json": "data", "csv": "data", "csv-nl": "data"}.get(target, "human")
    rows = [*fields, *(text if mode != "human" else ())]
    whole = report.frame()
    part = whole[[key, *[c.key for c in rows]]]
    part.attrs.update(whole.attrs)
    return transposed(part, rows, mode, key=key)


def _bare(value: Any, kind: str) -> str:
    return _human(value, kind).removeprefix("€ ")


def transposed(
    frame: pd.DataFrame, columns: Sequence[Column], mode: str, key: str = "team"
) -> tuple[pd.DataFrame, list[Column]]:
    """A report turned so teams are columns.

    ``mode``: ``data`` (values as they are, no totals: JSON, CSV), ``sheet`` (values as they
    are, with a ``totaal`` column: XLSX) or ``human`` (cells formatted per row, with the
    ``totaal`` column: table, Markdown).
    """
    import pandas as pd

    from ..analysis import reports

    flipped = reports.transpose(frame, key)
    kinds = {c.key: c.kind for c in columns}
    titles = {c.key: c.title for c in COMPARE_TABLE if c.title}
    teams = [str(c) for c in flipped.columns[1:]]
    total = frame.attrs.get("total") if mode != "data" else None
    rows = []
    for record in flipped.to_dict(orient="records"):
        field = str(record["field"])
        kind = kinds.get(field, "text")
        if mode == "human":
            # The euro sign goes in the row's label, so the team columns stay narrow.
            label = titles.get(field, field.replace("_", " ")) + (" €" if kind == "money" else "")
            row = {"field": label, **{t: _bare(record[t], kind) for t in teams}}
        else:
            row = {"field": field, **{t: record[t] for t in teams}}
        if total is not None:
            value = total.get(field)
            row[reports.TOTAL_LABEL] = _bare(value, kind) if mode == "human" else value
        rows.append(row)
    labels = [*teams, *([reports.TOTAL_LABEL] if total is not None else [])]
    out = pd.DataFrame.from_records(rows, columns=["field", *labels])
    out.attrs.update({k: v for k, v in frame.attrs.items() if k != "total"})
    cell_kind = "number" if mode == "human" else "text"
    first = Column("field", " " if mode == "human" else "")
    return out, [first, *[Column(t, kind=cell_kind) for t in labels]]


@app.command()
def compare(
    teams: list[str] | None = typer.Argument(None, metavar="[TEAM]...", help=TEAMS_HELP,
                                             show_default=False),
    year: str | None = typer.Option(None, "--year", metavar="YYYY", help=DEFAULT_YEAR_HELP),
    transpose: bool = typer.Option(False, "--transpose", help="Teams as columns, figures as rows."),
    fmt: str = format_option(),
    output: Path | None = output_option(),
    redact: bool = redact_option(),
) -> None:
    """Compare budget holders side by side.

    Columns: budget, spent, utilisation (spent / budget), count of spends, their average,
    median and max, top_category (most money), loans_outstanding (still owed on this
    year's loans and conditional grants), tegenprestatie_share (share of spends with a
    tegenprestatie), refusals. Spends count from 1 January up to today (31-12 for a past
    year), not voided; spent also holds cash written off.
    """
    from ..analysis import reports

    prepare(fmt, output)
    lg = ledger()
    chosen, note = pick_year(year, lg)
    frame = reports.compare_report(lg, teams, year=chosen)
    if note:
        warn(note)
    y = frame.attrs["year"]
    title = _title(f"Teams compared, {y}", lg.settings.municipality)
    data: Sequence[Column] = COMPARE_DATA
    table: Sequence[Column] = COMPARE_TABLE
    if transpose:
        flipped, flipped_columns = turned(frame, COMPARE_DATA[1:], _target(fmt, output),
                                          text=[Column("kind"), Column("name")])
        data = table = flipped_columns
    emit(flipped if transpose else frame, fmt, output, data_columns=data, table_columns=table,
         title=title, sheet="compare", redact=redact,
         empty="no budget holders yet; add one with `maatwerk team add`")


# ---------------------------------------------------------------------------- categories

CATEGORY_DATA = [
    Column("category"),
    Column("count", kind="int"),
    Column("amount", kind="money"),
    Column("share_count", kind="fraction"),
    Column("share_amount", kind="fraction"),
]
CATEGORY_TABLE = [
    Column("category"),
    Column("count", "n", kind="int"),
    Column("amount", kind="money"),
    Column("share_count", "% of spends", kind="fraction"),
    Column("share_amount", "% of money", kind="fraction"),
]


@app.command()
def categories(
    teams: list[str] | None = typer.Argument(None, metavar="[TEAM]...", help=TEAMS_HELP,
                                             show_default=False),
    year: str | None = typer.Option(None, "--year", metavar="YYYY", help=DEFAULT_YEAR_HELP),
    list_only: bool = typer.Option(False, "--list", help="Only list the categories of maatwerk.toml."),
    fmt: str = format_option(),
    output: Path | None = output_option(),
    redact: bool = redact_option(),
) -> None:
    """Where the money went: spends and money per category, most money first.

    Columns: category, count, amount, share_count and share_amount (fractions of all
    spends counted). Spends count from 1 January up to today (31-12 for a past year),
    not voided. With --list: the categories users choose from.
    """
    prepare(fmt, output)
    lg = ledger()
    if list_only:
        if teams or year:
            raise InputError("--list takes no teams or --year")
        for name in lg.categories:
            print(name)
        return
    from ..analysis import reports

    chosen, note = pick_year(year, lg)
    frame = reports.categories_report(lg, teams, year=chosen)
    if note:
        warn(note)
    y = frame.attrs["year"]
    emit(frame, fmt, output, data_columns=CATEGORY_DATA, table_columns=CATEGORY_TABLE,
         title=_title(f"Categories {y}", lg.settings.municipality), sheet="categories",
         empty=f"no spends in {y}", redact=redact)


# ---------------------------------------------------------------------------- loans

LOAN_DATA = [
    Column("id"),
    Column("team"),
    Column("date", kind="date"),
    Column("kind"),
    Column("amount", kind="money"),
    Column("repaid", kind="money"),
    Column("recovered", kind="money"),
    Column("outstanding", kind="money"),
    Column("due", kind="date"),
    Column("days_overdue", kind="int"),
    Column("condition"),
    Column("household"),
]
LOAN_TABLE = [
    Column("id"),
    Column("date", kind="date", wide=True),
    Column("kind"),
    Column("amount", kind="money", wide=True),
    Column("repaid", kind="money"),
    Column("recovered", kind="money", wide=True),
    Column("outstanding", "owed", kind="money"),
    Column("due", kind="date"),
    Column("days_overdue", "days late", kind="int"),
    Column("household", wide=True),
    Column("condition", wide=True),
]


@app.command()
def loans(
    teams: list[str] | None = typer.Argument(None, metavar="[TEAM]...", help=TEAMS_HELP,
                                             show_default=False),
    overdue: bool = typer.Option(False, "--overdue", help="Only loans past their due date."),
    as_of: str | None = typer.Option(None, "--as-of", metavar="DATE",
                                     help="Count repayments up to this date (default: today)."),
    fmt: str = format_option(),
    output: Path | None = output_option(),
    redact: bool = redact_option(),
) -> None:
    """Open loans and conditional grants: amount, repaid, outstanding, due date, days overdue.

    Any year; voided entries and fully repaid ones are left out. Most overdue first.
    """
    from ..analysis import reports

    prepare(fmt, output)
    lg = ledger()
    frame = reports.loans(lg, teams, overdue=overdue, as_of=_as_of(as_of))
    day: dt.date = frame.attrs["as_of"]
    what = "Overdue loans" if overdue else "Open loans and conditional grants"
    emit(frame, fmt, output, data_columns=LOAN_DATA, table_columns=LOAN_TABLE,
         title=_title(f"{what}, as of {day:%d-%m-%Y}", lg.settings.municipality), sheet="loans",
         styles=lambda r: "red" if r.get("days_overdue") else None,
         empty="no overdue loans" if overdue else "no open loans or conditional grants", redact=redact)


# ---------------------------------------------------------------------------- outcomes

OUTCOME_DATA = [
    Column("team"),
    Column("reached", kind="int"),
    Column("partial", kind="int"),
    Column("not_reached", kind="int"),
    Column("avoided_cost", kind="money"),
    Column("cases", kind="int"),
    Column("evaluated", kind="int"),
    Column("costed", kind="int"),
    Column("cheaper", kind="int"),
]
OUTCOME_TABLE = [
    Column("team"),
    Column("reached", kind="int"),
    Column("partial", kind="int"),
    Column("not_reached", "not reached", kind="int"),
    Column("avoided_cost", "avoided cost", kind="money"),
    Column("cases", kind="int", wide=True),
    Column("evaluated", kind="int", wide=True),
    Column("costed", kind="int", wide=True),
    Column("cheaper", kind="int", wide=True),
]


@app.command()
def outcomes(
    teams: list[str] | None = typer.Argument(None, metavar="[TEAM]...", help=TEAMS_HELP,
                                             show_default=False),
    year: str | None = typer.Option(None, "--year", metavar="YYYY", help=DEFAULT_YEAR_HELP),
    fmt: str = format_option(),
    output: Path | None = output_option(),
    redact: bool = redact_option(),
) -> None:
    """How the cases turned out: goal reached, partly, not; the costs they avoided.

    Counts this year's spends (not voided) by their recorded outcome (`maatwerk mark ID
    outcome`); avoided_cost adds up the avoided costs recorded. Also: cases, evaluated,
    costed, and cheaper (avoided cost above zero).
    """
    from ..analysis import reports

    prepare(fmt, output)
    lg = ledger()
    chosen, note = pick_year(year, lg)
    frame = reports.outcomes_report(lg, teams, year=chosen)
    if note:
        warn(note)
    y = frame.attrs["year"]
    t = frame.attrs["total"]
    footer = [
        f"Of {t['cases']} cases, {t['evaluated']} evaluated: {t['reached']} reached their goal, "
        f"{t['partial']} partly, {t['not_reached']} not. Of {t['costed']} costed, "
        f"{t['cheaper']} cheaper than doing nothing ({format_eur(t['avoided_cost'])} avoided)."
    ]
    emit(frame, fmt, output, data_columns=OUTCOME_DATA, table_columns=OUTCOME_TABLE,
         title=_title(f"Outcomes {y}", lg.settings.municipality), sheet="outcomes", footer=footer,
         redact=redact)


# ---------------------------------------------------------------------------- stories


@app.command(context_settings=LENIENT)
def stories(
    team: str | None = typer.Option(None, "--team", help="Only this team."),
    category: str | None = typer.Option(None, "--category", "-c", help="Only this category."),
    min_amount: str | None = typer.Option(None, "--min-amount", metavar="AMOUNT",
                                          help="Only spends of at least this amount."),
    since: str | None = typer.Option(None, "--since", metavar="DATE", help="Only spends from this date."),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="FILE",
                                       help="Write the Markdown to FILE (.md).", show_default=False),
    redact: bool = typer.Option(
        False, "--redact",
        help="Leave out the stories themselves (notes, tegenprestaties, conditions): amounts, "
             "kinds and outcomes only.",
    ),
) -> None:
    """The cases with their story, as Markdown for the team meeting: grouped by category,
    with note, kind, tegenprestatie and outcome. Household codes are never shown."""
    from ..analysis import reports

    if output is not None:
        if output.suffix.lower() not in (".md", ".markdown", ".txt"):
            raise InputError(f"stories are Markdown; write them to a .md file, not {output.name!r}")
        if not output.parent.is_dir():
            raise InputError(f"folder {output.parent} does not exist")
    lg = ledger()
    amount = parse_amount(min_amount, what="minimum amount") if min_amount else None
    start = parse_date(since, what="--since date") if since else None
    cases = reports.story_cases(lg, team=team, category=category, min_amount=amount, since=start)
    warn_problems(cases.attrs.get("problems", ()))
    if redact:
        for key in ("note", "tegenprestatie", "condition"):
            if key in cases.columns:
                cases[key] = ""
        cases.attrs["redacted"] = True
    text = reports.stories_markdown(cases, municipality=lg.settings.municipality)
    if output is not None:
        _write_text(output, text)
        sys.stderr.write(f"maatwerk: wrote {output}\n")
        return
    sys.stdout.write(text)


# ---------------------------------------------------------------------------- summary


def summary_columns(by: str) -> list[Column]:
    data = [c for c in COMPARE_DATA if c.key != "team"]
    if by == "team":
        return [Column("municipality"), Column("team"), *data, Column("kind"), Column("name"),
                Column("root")]
    return [Column("municipality"), *data, Column("teams", kind="int"), Column("root")]


def summary_table(by: str) -> list[Column]:
    table = [c for c in COMPARE_TABLE if c.key != "team"]
    if by == "team":
        return [Column("municipality", wide=True), Column("team"), *table]
    return [Column("municipality"), *table, Column("teams", kind="int", wide=True)]


@app.command()
def summary(
    roots: list[Path] = typer.Argument(..., metavar="ROOT...", help="Ledger folders, any number.",
                                       show_default=False),
    year: str | None = typer.Option(None, "--year", metavar="YYYY", help=DEFAULT_YEAR_HELP),
    by: str = typer.Option("municipality", "--by", metavar="municipality|team",
                           help="One row per municipality (ledger folder) or per team."),
    transpose: bool | None = typer.Option(
        None, "--transpose/--no-transpose",
        help="Figures as rows, municipalities as columns (default in a table: up to 4 municipalities).",
        show_default=False,
    ),
    fmt: str = format_option(),
    output: Path | None = output_option(),
    redact: bool = redact_option(),
) -> None:
    """The researcher's batch: the compare figures for many ledger folders in one run.

    Default one row per municipality (all its budget holders together); --by team gives
    one row per budget holder. --ledgers is not used: give the folders as arguments.
    """
    from ..analysis import reports

    prepare(fmt, output)
    choice = by.strip().lower()
    if choice not in reports.SUMMARY_BY:
        raise InputError(f"--by {by!r} is not one of: {', '.join(reports.SUMMARY_BY)}")
    from ..ledger import Ledger

    opened = [] if year else [Ledger(root) for root in roots]
    chosen, note = pick_year(year, *opened)
    frame = reports.summary_report(roots, year=chosen, by=choice)
    if note:
        warn(note)
    y = frame.attrs["year"]
    data: Sequence[Column] = summary_columns(choice)
    table: Sequence[Column] = summary_table(choice)
    target = _target(fmt, output)
    if transpose is None:
        # Like the sources' table of Rotterdam and Zaanstad: a few schemes side by side.
        transpose = (choice == "municipality" and target in ("table", "markdown") and 0 < len(frame) <= 4
                     and not redact)
    shown: Report | pd.DataFrame = frame
    if transpose:
        if redact:
            raise InputError("--redact and --transpose do not go together; leave one out")
        key = "municipality" if choice == "municipality" else "holder"  # unique per folder
        rows = [c for c in data if c.key not in (key, "root", "name", "municipality", "team")]
        shown, flipped_columns = turned(frame, rows, target, key=key)
        data = table = flipped_columns
    emit(shown, fmt, output, data_columns=data, table_columns=table,
         title=f"Summary {y}, by {choice}", sheet="summary", redact=redact)
