"""The coordinator's and the researcher's commands: utilisation, compare, categories, loans,
outcomes, stories, summary and the monthly pack.

Each parses its options, asks :mod:`maatwerk_cli.analysis.reports` for the report, turns it
into a view (:mod:`maatwerk_cli.render.views`) and sends it down the one output path.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from ..core.dates import parse_date
from ..core.errors import InputError
from ..core.messages import N_, tr
from ..core.money import parse_amount
from ..render.output import Target, View, emit, print_lines
from .app import ExitStatus, app, ledger, notice, warn, warn_problems
from .options import (
    AsOfOpt,
    FormatOpt,
    MonthOpt,
    OutputOpt,
    RedactOpt,
    TeamsArg,
    YearOpt,
    as_of_of,
    out,
    redacted,
    report_of,
    year_of,
)

LENIENT = {"ignore_unknown_options": True}  # so "-5" reaches the amount parser, not click


def _send(view: View, to: Target, redact: bool, problems: Sequence[object] = (), note: str = "") -> None:
    """A report's warnings on stderr, then the view to its target."""
    warn_problems(problems)  # type: ignore[arg-type]
    emit(redacted(view) if redact else view, to)
    if note:
        warn(note)


# ---------------------------------------------------------------------------- utilisation

UTILISATION_HELP = N_("""\
Spending per budget holder against its budget and the pace of the year.

One row per wijkteam or fund; the status column shows at a glance who is behind.

[bold]Definitions[/] (JSON/CSV keys):

[bold]spent[/]: spends dated from 1 January up to the as-of date, not voided, plus cash
remainders written off; a cash spend counts on its own date, a withdrawal never.
[bold]repaid[/]: repayments and recoveries received in that stretch; [bold]net[/] = spent - repaid.
[bold]budget[/]: the year's budget: its base plus top-ups less cuts (`maatwerk team budget`).
[bold]utilisation[/]: spent / budget (0.079 is 7,9%).
[bold]expected[/] (also [bold]pace[/]): the share of the budget expected to be spent by the as-of
date. For a budget of the whole year the share of the year passed, in days (1 January
1/365, 30 September 273/365 = 74,8%, 31 December 100%; leap years 366). A budget with its
own period counts from its own start, a top-up or cut from its date, and a spending
profile (\\[pace] profile in maatwerk.toml) weighs the months.
[bold]expected_spend[/]: that share of the budget in euro.
[bold]status[/]: [red]over[/] when spent or projected is above the budget; else [yellow]under[/]
when utilisation is below the under-share (default 0,5; \\[pace] under_share in
maatwerk.toml) times the pace; else [green]on-track[/].
[bold]projected[/]: year-end spend at the current pace, spent / pace.
[bold]month_spent[/] (with --month): spent in that month. [bold]cash_on_hand[/]: cash withdrawn
and not yet spent, deposited or written off.

Defaults: --as-of is today in the current year and 31-12 for a past year; --month
counts up to the month's last day (today while it runs).

--chart: a bar per budget holder with the pace marked │ across them (┆ is 100% of the
budget when a bar goes beyond it); figures always whole, plain text when piped.
""")


@app.command(help=UTILISATION_HELP)
def utilisation(
    teams: TeamsArg = None,
    as_of: AsOfOpt = None,
    month: MonthOpt = None,
    year: YearOpt = None,
    under_share: Annotated[str | None, typer.Option(
        "--under-share", metavar="SHARE", show_default=False,
        help="A team is under when below this share of the pace (0,5 or 50%; default from maatwerk.toml).",
    )] = None,
    chart: Annotated[bool, typer.Option(
        "--chart", help="Draw each budget holder's bar against the pace in the terminal instead of the table.",
    )] = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    from ..analysis import reports
    from ..render import views

    to = out(fmt, output)
    if chart and (to.path is not None or to.format != "table"):
        raise InputError(tr("--chart draws in the terminal; leave out --format and --output"))
    lg = ledger()
    report = reports.utilisation_of(
        *report_of(lg, teams, year, as_of, month),
        under_share=reports.check_share(under_share) if under_share is not None else None,
    )
    y = report.attrs["year"]
    unset = [str(r["team"]) for r in report.records if r["budget"] == 0]
    if unset:
        warn(tr("no budget set for {year}: {teams:list} (set one with `maatwerk team budget TEAM AMOUNT --year "
                "{year}`)", year=y, teams=unset))
    view = views.utilisation(report, lg.settings.municipality)
    if chart:
        from ..render.bars import print_chart
        from ..render.output import console_width

        warn_problems(report.attrs["problems"])
        print_chart(view.title, view.records, view.total, float(report.attrs["expected"]), view.footer,
                    console_width())
        if report.attrs.get("year_note"):
            warn(report.attrs["year_note"])
        return
    _send(view, to, redact, report.attrs["problems"], report.attrs.get("year_note", ""))


# ---------------------------------------------------------------------------- compare


@app.command()
def compare(
    teams: TeamsArg = None,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    month: MonthOpt = None,
    transpose: Annotated[bool, typer.Option("--transpose", help="Teams as columns, figures as rows.")] = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """Compare budget holders side by side.

    Columns: budget (with top-ups and cuts), spent, utilisation (spent / budget), count of
    spends, their average, median and max, top_category (most money), loans_outstanding
    (still owed on this year's loans and conditional grants together), tegenprestatie_share
    (share of spends with a tegenprestatie), refusals, pace (as in utilisation), then
    loans_only_outstanding and conditional_outstanding: the loans and the conditional grants
    apart (the table shows these two). Spends count from 1 January up to the as-of date
    (today; 31-12 for a past year), not voided; spent also holds cash written off.
    """
    from ..analysis import reports
    from ..render import views

    to = out(fmt, output)
    lg = ledger()
    report = reports.compare_of(*report_of(lg, teams, year, as_of, month))
    view = views.compare(report, lg.settings.municipality)
    if redact:
        view = redacted(view)
    if transpose:
        from ..render.columns import Column

        view = views.transposed(view, "team", [*views.COMPARE_DATA[1:], *views.COMPARE_SPLIT], target=to.format,
                                text=[Column("kind"), Column("name")])
    _send(view, to, False, report.attrs["problems"], report.attrs.get("year_note", ""))


# ---------------------------------------------------------------------------- categories


@app.command()
def categories(
    teams: TeamsArg = None,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    month: MonthOpt = None,
    list_only: Annotated[bool, typer.Option("--list", help="Only list the categories of maatwerk.toml.")] = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """Where the money went: spends and money per category, most money first.

    Columns: category, count, amount, share_count and share_amount (fractions of all
    spends counted). Spends count from 1 January up to the as-of date, not voided. Cash
    written off counts in utilisation's spent but has no category: the table says so.
    With --list: the categories users choose from.
    """
    to = out(fmt, output)
    lg = ledger()
    if list_only:
        if teams or year or as_of or month:
            raise InputError(tr("--list takes no teams, --year, --as-of or --month"))
        print_lines(lg.categories)
        return
    from ..analysis import reports
    from ..render import views

    report = reports.categories_of(*report_of(lg, teams, year, as_of, month))
    _send(views.categories(report, lg.settings.municipality), to, redact, report.attrs["problems"],
          report.attrs.get("year_note", ""))


# ---------------------------------------------------------------------------- loans


@app.command()
def loans(
    teams: TeamsArg = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only loans past their due date.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when any loan is listed (for scripts).")] = False,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE", show_default=False,
        help="Count repayments up to this date (default: today).")] = None,
    month: MonthOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """Open loans and conditional grants: amount, repaid, outstanding, due date, days overdue.

    Any year; voided entries and fully repaid ones are left out. Most overdue first.
    With --check the command exits 1 when it lists any (0 when none), for a cron job.
    """
    from ..analysis import reports
    from ..render import views

    to = out(fmt, output)
    lg = ledger()
    day = _cut_off(as_of, month)
    report = reports.loans_report(lg, teams, overdue=overdue, as_of=day)
    _send(views.loans(report, lg.settings.municipality, overdue=overdue), to, redact,
          report.attrs["problems"])
    if check and report.records:
        raise SystemExit(ExitStatus.FINDINGS)


def _cut_off(as_of: str | None, month: str | None) -> dt.date | None:
    """The as-of date of --as-of or --month (the month's last day, today while it runs)."""
    if as_of and month:
        raise InputError(tr("give --as-of or --month, not both"))
    if month:
        from ..analysis.reports import period

        return period(None, None, month).as_of
    return as_of_of(as_of)


# ---------------------------------------------------------------------------- outcomes


@app.command()
def outcomes(
    teams: TeamsArg = None,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    month: MonthOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """How the cases turned out: goal reached, partly, not; the costs they avoided.

    Counts the year's spends (not voided) by their recorded outcome (`maatwerk mark ID
    outcome`); avoided_cost adds up the avoided costs recorded. Also: cases, evaluated,
    costed, and cheaper (avoided cost above zero).
    """
    from ..analysis import reports
    from ..render import views

    to = out(fmt, output)
    lg = ledger()
    report = reports.outcomes_of(*report_of(lg, teams, year, as_of, month))
    _send(views.outcomes(report, lg.settings.municipality), to, redact, report.attrs["problems"],
          report.attrs.get("year_note", ""))


# ---------------------------------------------------------------------------- lead time


@app.command()
def leadtime(
    teams: TeamsArg = None,
    team: Annotated[list[str] | None, typer.Option(
        "--team", metavar="TEAM", show_default=False, help="Only this budget holder (may be repeated).")] = None,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    month: MonthOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """How fast requests are paid: days from request to payment per team and method.

    Columns: team, method (pin, factuur, contant, and alle: the team's spends together),
    count (spends with a request date), median_days and p90_days (half, and nine in ten, of
    them were paid within that many days: nearest rank), within_one_day (paid on the day of
    the request or the next), without_request_date. The request date is `spend --requested
    DATE`; a spend without one is counted apart in without_request_date and never measured,
    so with no request dates at all no days are shown, only the count. Spends count from
    1 January up to the as-of date, not voided.
    """
    from ..analysis import reports
    from ..render import views

    to = out(fmt, output)
    lg = ledger()
    chosen = [*(teams or []), *(team or [])] or None
    report = reports.leadtime_of(*report_of(lg, chosen, year, as_of, month))
    _send(views.leadtime(report, lg.settings.municipality), to, redact, report.attrs["problems"],
          report.attrs.get("year_note", ""))


# ---------------------------------------------------------------------------- receipts


@app.command()
def receipts(
    teams: TeamsArg = None,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    month: MonthOpt = None,
    above: Annotated[str | None, typer.Option(
        "--above", metavar="AMOUNT", show_default=False,
        help="Count the spends above this amount without a receipt (default: receipt_required_above "
             "in maatwerk.toml).")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """Spends with and without a receipt, per team.

    Columns: team, spends (dated from 1 January up to the cut-off, not voided), with_receipt,
    without_receipt, amount_without_receipt, above (the amount from which a receipt is
    asked: --above, else receipt_required_above in maatwerk.toml), without_receipt_above and
    amount_without_receipt_above (null in JSON when no such amount is set). Whether the
    stored files are still whole is what `maatwerk check` says.
    """
    from ..analysis import reports
    from ..render import views

    to = out(fmt, output)
    limit = parse_amount(above, what="--above amount") if above is not None else None
    lg = ledger()
    report = reports.receipts_of(*report_of(lg, teams or None, year, as_of, month), above=limit)
    _send(views.receipts(report, lg.settings.municipality), to, redact, report.attrs["problems"],
          report.attrs.get("year_note", ""))


# ---------------------------------------------------------------------------- stories


@app.command(context_settings=LENIENT)
def stories(
    team: Annotated[str | None, typer.Option("--team", help="Only this team.")] = None,
    category: Annotated[str | None, typer.Option("--category", "-c", help="Only this category.")] = None,
    min_amount: Annotated[str | None, typer.Option("--min-amount", metavar="AMOUNT",
                                                   help="Only spends of at least this amount.")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE",
                                              help="Only spends from this date.")] = None,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    month: MonthOpt = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", show_default=False,
                                                help="Write the Markdown to FILE (.md).")] = None,
    redact: Annotated[bool, typer.Option(
        "--redact",
        help="Leave out the stories themselves (notes, tegenprestaties, conditions): amounts, "
             "kinds and outcomes only.")] = False,
) -> None:
    """The cases with their story, as Markdown for the team meeting: grouped by category,
    with note, kind, tegenprestatie and outcome. Household codes are never shown.

    With --year, --as-of or --month, as every report: the spends from 1 January up to the
    cut-off, with what was repaid by then (the title names the cut-off); without them,
    every spend of any year.
    """
    from ..analysis import reports
    from ..render.output import check_output, write_text
    from .app import state

    if output is not None:
        if output.suffix.lower() not in (".md", ".markdown", ".txt"):
            raise InputError(tr("stories are Markdown; write them to a .md file, not {name!r}", name=output.name))
        if not output.parent.is_dir():
            raise InputError(tr("folder {folder} does not exist", folder=output.parent))
        check_output(output, [state.ledgers])
    lg = ledger()
    amount = parse_amount(min_amount, what="minimum amount") if min_amount else None
    start = parse_date(since, what="--since date") if since else None
    until = None
    if year or as_of or month:
        spec = reports.report_spec(lg, [team] if team else None, year=year_of(year), as_of=as_of_of(as_of),
                                   month=month)
        until = spec.period.as_of
        start = max(start, spec.period.start) if start else spec.period.start
    cases = reports.story_report(lg, team=team, category=category, min_amount=amount, since=start, until=until)
    warn_problems(cases.attrs.get("problems", ()))
    if redact:
        for case in cases.records:
            for key in ("note", "tegenprestatie", "condition"):
                case[key] = ""
        cases.attrs["redacted"] = True
    from ..render.stories import stories_markdown

    text = stories_markdown(cases, municipality=lg.settings.municipality)
    if output is not None:
        write_text(output, text)
        notice(tr("wrote {path}", path=output))
        return
    sys.stdout.write(text)


# ---------------------------------------------------------------------------- summary


@app.command()
def summary(
    roots: Annotated[list[Path], typer.Argument(metavar="ROOT...", help="Ledger folders, any number.",
                                                show_default=False)],
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    by: Annotated[str, typer.Option("--by", metavar="municipality|team",
                                    help="One row per municipality (ledger folder) or per team.")] = "municipality",
    transpose: Annotated[bool | None, typer.Option(
        "--transpose/--no-transpose", show_default=False,
        help="Figures as rows, municipalities as columns (default in a table: up to 4 municipalities).",
    )] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """The researcher's batch: the compare figures for many ledger folders in one run.

    Default one row per municipality (all its budget holders together); --by team gives
    one row per budget holder. Each folder shows its own year (its latest budget year when
    it has none for this year) unless --year or --as-of is given; the year column says
    which. A path that is not a ledger folder is skipped with a warning, so `summary
    examples/*` works; a folder given twice is refused. --ledgers is not used: give the
    folders as arguments. With --redact the folders' paths are left out too.
    """
    from ..analysis import reports
    from ..render import views

    to = out(fmt, output)
    choice = by.strip().lower()
    if choice not in reports.SUMMARY_BY:
        raise InputError(tr("--by {by!r} is not one of: {choices:list}", by=by, choices=reports.SUMMARY_BY))
    report = reports.summary_report(roots, year=year_of(year), as_of=as_of_of(as_of), by=choice)
    for line in report.attrs.get("skipped", ()):
        warn(line)
    view = views.summary(report, choice)
    if redact:
        from dataclasses import replace

        view = redacted(view)
        view = replace(view, columns=[c for c in view.columns if c.key != "root"],
                       table=[c for c in view.shown if c.key != "root"])
    if transpose is None:
        # Like the sources' table of Rotterdam and Zaanstad: a few schemes side by side.
        transpose = choice == "municipality" and to.format in ("table", "markdown") and 0 < len(report) <= 4
    if transpose:
        key = "municipality" if choice == "municipality" else "holder"  # unique over the folders
        rows = [c for c in view.columns if c.key not in (key, "root", "name", "municipality", "team")]
        view = views.transposed(view, key, rows, target=to.format)
    _send(view, to, False, report.attrs["problems"], report.attrs.get("year_note", ""))


# ---------------------------------------------------------------------------- pack


@app.command()
def pack(
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE.xlsx", show_default=False,
                                         help="The workbook to write (.xlsx).")] = Path(),
    redact: RedactOpt = False,
) -> None:
    """The monthly pack: one workbook with a sheet per report, all with the same cut-off.

    Sheets: utilisation, compare, categories, loans, outcomes, refusals, rules overrides,
    knipkaart, cash and, once some spend has a request date (`spend --requested`), lead
    time; after a cover sheet that says what the workbook is, for which period, and what
    every column means.
    """
    from ..render import pack as packs

    if output == Path():
        raise InputError(tr("give the workbook to write with --output FILE.xlsx"))
    to = out(None, output)
    if to.format != "xlsx":
        raise InputError(tr("the pack is a workbook; write it to a .xlsx file, not {name!r}", name=output.name))
    lg = ledger()
    if as_of and month:
        raise InputError(tr("give --as-of or --month, not both"))
    built = packs.monthly(lg, month=month, as_of=as_of_of(as_of))
    sheets = [redacted(v) if redact else v for v in built.views]
    warn_problems(built.problems)
    emit(sheets, to, cover=built.cover)
