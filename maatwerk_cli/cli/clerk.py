"""The clerk's commands: set up, record spends and events, list entries, import, check.

These stay light: no pandas is imported on this path (a test proves it for ``spend``).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import typer

from ..core.dates import parse_date, parse_year, today
from ..core.errors import InputError
from ..core.money import format_eur, parse_amount
from ..core.records import KIND_ALIASES, METHOD_ALIASES, OUTCOMES
from ..core.text import resolve_choice
from ..render.output import emit
from .app import ExitStatus, app, fail, ledger, warn, warn_problems
from .options import FormatOpt, OutputOpt, RedactOpt, out, redacted

LENIENT = {"ignore_unknown_options": True}  # so "-5" reaches the amount parser, not click

team_app = typer.Typer(help="Budget holders: wijkteams and central funds.", no_args_is_help=True)
app.add_typer(team_app, name="team")
import_app = typer.Typer(help="Bulk input: entries from a spreadsheet, bank statements.",
                         no_args_is_help=True)
app.add_typer(import_app, name="import")


def _date(text: str | None, what: str = "date", allow_future: bool = False):  # type: ignore[no-untyped-def]
    return parse_date(text, what=what, allow_future=allow_future) if text else None


@app.command()
def init(
    municipality: str = typer.Option("", "--municipality", help="Name of the municipality."),
    year: int | None = typer.Option(None, "--year", help="First budget year (default: this year)."),
) -> None:
    """Create the ledger folder with a commented maatwerk.toml."""
    from ..ledger import Ledger
    from .app import state

    made = Ledger.init(state.ledgers, municipality=municipality,
                       year=parse_year(year) if year else None)
    print(f"created {made.root / 'maatwerk.toml'}; add a team with `maatwerk team add`")


# --------------------------------------------------------------------------- teams


@team_app.command("add")
def team_add(
    slug: str = typer.Argument(..., help="Short name: lowercase a-z, 0-9 and -, like noord."),
    name: str = typer.Option(..., "--name", help="Full name, like 'Wijkteam Noord'."),
    budget: str = typer.Option(..., "--budget", help="Budget for the year, like 10.000."),
    year: int | None = typer.Option(None, "--year", help="Budget year (default: this year)."),
    fund: bool = typer.Option(False, "--fund", help="A central fund (e.g. a doorbraakfonds), not a team."),
) -> None:
    """Add a budget holder with its budget for a year."""
    amount = parse_amount(budget, what="budget", allow_zero=True)
    team = ledger().add_team(slug, name=name, budget=amount, year=parse_year(year or today().year),
                             kind="fund" if fund else "team")
    print(f"added {team.slug} ({team.name})")


TEAM_BUDGET_HELP = """\
Set a team's budget for a year, record a top-up or cut, or give the budget its own period.

For example, maatwerk team budget ...

  noord 12.000 --year 2026                  the base budget of 2026
  noord +5.000 --from 1-7-2026              a top-up, counting from 1 July
  noord -2.000 --from 1-10-2026             a cut, from 1 October
  noord --start 1-7-2026 --end 31-12-2026   a pilot: July to December

A top-up or cut is added to the team file as a dated block and never overwrites what was
there; the year's budget is the base plus its top-ups less its cuts. The pace of the
year counts from the budget's own start, each top-up from its own date (docs/reports.md).
The team file keeps its comments.
"""


@team_app.command("budget", help=TEAM_BUDGET_HELP, context_settings=LENIENT)
def team_budget(
    slug: str = typer.Argument(..., help="The team."),
    amount: str | None = typer.Argument(
        None, help="The budget, like 10.000; or a top-up +5.000 or a cut -2.000 (with --from)."),
    year: int | None = typer.Option(None, "--year", help="Budget year (default: this year, or the year of "
                                                         "--from, --start or --end)."),
    start: str | None = typer.Option(None, "--from", metavar="DATE",
                                     help="The date a top-up or cut counts from."),
    period_start: str | None = typer.Option(None, "--start", metavar="DATE",
                                            help="The first day of the budget's own period."),
    period_end: str | None = typer.Option(None, "--end", metavar="DATE",
                                          help="The last day of the budget's own period."),
    note: str | None = typer.Option(None, "--note", "-n", help="Why the budget changes (with --from)."),
) -> None:
    signed = amount is not None and amount.strip()[:1] in ("+", "-", "\u2212")
    if amount is None and period_start is None and period_end is None:
        raise InputError("give an amount (12.000, or +5.000 / -2.000 with --from DATE), "
                         "or a period with --start DATE and --end DATE")
    if signed and start is None:
        raise InputError(f"a top-up or cut needs the date it counts from: {amount} --from DATE")
    if start is not None and not signed:
        raise InputError("with --from, give the change with its sign: +5.000 for a top-up, -2.000 for a cut")
    if note is not None and not signed:
        raise InputError("--note goes with a top-up or cut (+5.000 or -2.000 --from DATE)")
    when = _date(start, "--from date", allow_future=True)
    begin = _date(period_start, "--start date", allow_future=True)
    end = _date(period_end, "--end date", allow_future=True)
    years = {d.year for d in (when, begin, end) if d is not None}
    if year is not None:
        y = parse_year(year)
        if years - {y}:
            raise InputError(f"the dates given are not in {y}; a top-up, cut or period lies within its year")
    elif len(years) > 1:
        raise InputError("the dates given lie in different years; give one year's budget at a time")
    else:
        y = years.pop() if years else parse_year(today().year)
    value = None
    if signed:
        value = parse_amount(amount or "", what="top-up or cut", allow_zero=True, allow_negative=True)
    elif amount is not None:
        value = parse_amount(amount, what="budget", allow_zero=True)
    lg = ledger()
    slug = slug.strip().lower()
    lg.team(slug)  # an unknown team first, before any other mistake
    change = (value, when, note) if signed and value is not None and when is not None else None
    team = lg.edit_budget(
        slug, y, base=value if not signed else None, change=change,
        period=(begin, end) if begin is not None or end is not None else None)
    plan = team.budget_year(y)
    if begin is not None or end is not None:
        print(f"{team.slug}: budget {y} runs from {plan.first:%d-%m-%Y} to {plan.last:%d-%m-%Y}")
    if change is not None and value is not None and when is not None:
        kind = "top-up" if value > 0 else "cut"
        print(f"{team.slug}: {kind} of {format_eur(abs(value))} from {when:%d-%m-%Y}; "
              f"budget {y} is now {format_eur(plan.total)}")
    elif value is not None:
        more = f" ({format_eur(plan.total)} with its top-ups and cuts)" if plan.total != value else ""
        print(f"{team.slug}: budget {y} is {format_eur(value)}{more}")


@team_app.command("list")
def team_list(
    year: int | None = typer.Option(None, "--year", help="Budget year (default: this year)."),
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """List the budget holders with their budget for a year."""
    from ..render import listings

    to = out(fmt, output)
    y = parse_year(year or today().year)
    rows = [listings.team_record(t, y) for t in ledger().teams()]
    emit(replace(listings.teams(f"Budget holders {y}", rows), period=f"budgetjaar {y}"), to)


@team_app.command("show")
def team_show(
    slug: str = typer.Argument(..., help="The team."),
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Show one budget holder: name, kind and budget per year (with its top-ups and cuts, and
    its own period when it has one)."""
    from ..render import listings

    to = out(fmt, output)
    team = ledger().team(slug)
    rows = [listings.team_record(team, y) for y in team.years()]
    view = listings.teams(team.name, rows, total=False, empty=f"{team.slug} has no budget yet")
    changes = [f"{'top-up' if c.amount > 0 else 'cut'} of {format_eur(abs(c.amount))} from "
               f"{c.start:%d-%m-%Y}" + (f": {c.note}" if c.note else "") for c in team.changes]
    if changes:
        from dataclasses import replace

        view = replace(view, footer=["Top-ups and cuts: " + "; ".join(changes) + "."])
    emit(view, to)


# --------------------------------------------------------------------------- recording


@app.command(context_settings=LENIENT)
def spend(
    team: str = typer.Argument(..., help="The team that pays, like noord."),
    amount: str = typer.Argument(..., help="Amount: 35, 12,50, 1.234,56 or € 35."),
    category: str = typer.Option(..., "--category", "-c", help="Category, like Levensmiddelen."),
    method: str = typer.Option(
        "pin", "--method", "-m", help="pin (card), factuur (invoice) or contant (cash)."
    ),
    date: str | None = typer.Option(None, "--date", "-d", help="Date paid (default: today)."),
    requested: str | None = typer.Option(
        None, "--requested", metavar="DATE",
        help="Date the request came, for the lead time (default: the date paid; not after it).",
    ),
    household: str | None = typer.Option(None, "--household", help="Pseudonymous household code."),
    note: str | None = typer.Option(None, "--note", "-n", help="The story in a few words; no names."),
    kind: str = typer.Option("gift", "--kind", "-k", help="gift, loan or conditional."),
    due: str | None = typer.Option(None, "--due", help="Repayment date of a loan."),
    condition: str | None = typer.Option(None, "--condition", help="Condition of a conditional grant."),
    tegenprestatie: str | None = typer.Option(
        None, "--tegenprestatie", help="What the resident does in return."
    ),
    by: str | None = typer.Option(None, "--by", help="Who decided (a name or role)."),
    reason: str | None = typer.Option(None, "--reason", help="Why a rule of thumb is overridden."),
    second_opinion: str | None = typer.Option(
        None, "--second-opinion", metavar="NAME", help="Who gave a second opinion."
    ),
    allow_personal_data: bool = typer.Option(
        False, "--allow-personal-data", help="Record text that holds personal data anyway (recorded)."
    ),
    allow_future: bool = typer.Option(False, "--allow-future", help="Accept a date after today."),
    bank_line: str | None = typer.Option(
        None, "--bank-line", metavar="REF",
        help="The open bank line this spend is (see `maatwerk reconcile`); date defaults to its date.",
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text (the id) or json."),
) -> None:
    """Record a spend (a gift unless --kind says otherwise) and print its id."""
    if fmt not in ("text", "json", "table"):
        raise InputError(f"format {fmt!r} is not one of: text, json")
    value = parse_amount(amount)
    entry_id = ledger().spend(
        team,
        value,
        category=category,
        method=resolve_choice(method, METHOD_ALIASES, "method"),
        date=_date(date, allow_future=allow_future),
        requested=_date(requested, "request date", allow_future=allow_future),
        household=household,
        note=note,
        kind=resolve_choice(kind, KIND_ALIASES, "kind"),
        due=_date(due, "due date", allow_future=True),
        condition=condition,
        tegenprestatie=tegenprestatie,
        by=by,
        reason=reason,
        second_opinion=second_opinion,
        allow_personal_data=allow_personal_data,
        bank_line=bank_line,
    )
    print(json.dumps({"id": entry_id}) if fmt == "json" else entry_id)


MARK_HELP = """\
Mark an entry as a loan, gift or conditional grant, or record what happened later.

WHAT is one of:

  loan [--due DATE]                    a loan, to be repaid
  gift                                 a gift, not repaid
  conditional --condition TEXT         repaid only if the condition fails
  tegenprestatie TEXT [--status S]     what the resident does in return
                                       (S: proposed, agreed, done, not-possible)
  outcome reached|partial|not-reached [--avoided-cost AMOUNT]
  recovered --from POT [--amount AMOUNT]
                                       paid back by the provision that should have paid
"""


@app.command(help=MARK_HELP, context_settings=LENIENT)
def mark(
    entry_id: str = typer.Argument(..., metavar="ID", help="Entry id, like noord-2025-0042."),
    what: str = typer.Argument(..., help="loan, gift, conditional, tegenprestatie, outcome or recovered."),
    value: str | None = typer.Argument(None, help="The tegenprestatie text, or the outcome."),
    due: str | None = typer.Option(None, "--due", help="Repayment date (loan)."),
    condition: str | None = typer.Option(None, "--condition", help="The condition (conditional)."),
    status: str | None = typer.Option(None, "--status", help="Tegenprestatie status."),
    avoided_cost: str | None = typer.Option(
        None, "--avoided-cost", help="Cost avoided (outcome); may be negative."
    ),
    pot: str | None = typer.Option(
        None, "--from", metavar="POT", help="The provision that paid back (recovered)."
    ),
    amount: str | None = typer.Option(None, "--amount", help="Amount recovered (default: all)."),
    date: str | None = typer.Option(None, "--date", help="Date received (recovered)."),
    by: str | None = typer.Option(None, "--by", help="Who recorded it."),
) -> None:
    action = what.strip().lower()
    given = {"--due": due, "--condition": condition, "--status": status,
             "--avoided-cost": avoided_cost, "--from": pot, "--amount": amount, "--date": date}
    allowed = {
        "loan": {"--due"}, "lening": {"--due"}, "gift": set(), "conditional": {"--condition"},
        "voorwaardelijk": {"--condition"}, "tegenprestatie": {"--status"},
        "outcome": {"--avoided-cost"}, "recovered": {"--from", "--amount", "--date"},
    }
    if action not in allowed:
        raise InputError(f"cannot mark {what!r}; use one of: loan, gift, conditional, "
                         "tegenprestatie, outcome, recovered")
    extra = [opt for opt, v in given.items() if v is not None and opt not in allowed[action]]
    if extra:
        raise InputError(f"{', '.join(extra)} does not go with `mark {action}`")
    needs_value = action in ("tegenprestatie", "outcome")
    if needs_value and not value:
        raise InputError(f"`mark ID {action}` needs a value: "
                         + ("the tegenprestatie text" if action == "tegenprestatie"
                            else "reached, partial or not-reached"))
    if not needs_value and value is not None:
        raise InputError(f"unexpected {value!r} after `mark ID {action}`")
    lg = ledger()
    if action in ("loan", "lening", "gift", "conditional", "voorwaardelijk"):
        kind = resolve_choice(action, KIND_ALIASES, "kind")
        event = lg.mark_kind(entry_id, kind, due=_date(due, "due date", allow_future=True),
                             condition=condition, by=by)
    elif action == "tegenprestatie":
        event = lg.mark_tegenprestatie(entry_id, value or "", status=status or "agreed", by=by)
    elif action == "outcome":
        outcome = (value or "").strip().lower().replace("_", "-").replace(" ", "-")
        if outcome not in OUTCOMES:
            raise InputError(f"outcome {value!r} is not one of: {', '.join(OUTCOMES)}")
        cost = (parse_amount(avoided_cost, what="avoided cost", allow_zero=True, allow_negative=True)
                if avoided_cost else None)
        event = lg.mark_outcome(entry_id, outcome, avoided_cost=cost, by=by)
    else:
        if not pot:
            raise InputError("`mark ID recovered` needs --from POT: the provision that paid back")
        event = lg.mark_recovered(entry_id, pot=pot,
                                  amount=parse_amount(amount, what="amount") if amount else None,
                                  date=_date(date), by=by)
    print(event)


@app.command(context_settings=LENIENT)
def repay(
    entry_id: str = typer.Argument(..., metavar="ID", help="The loan's entry id."),
    amount: str = typer.Argument(..., help="Amount repaid: 35, 17,50."),
    date: str | None = typer.Option(None, "--date", "-d", help="Date received (default: today)."),
    by: str | None = typer.Option(None, "--by", help="Who recorded it."),
) -> None:
    """Record a (partial) repayment of a loan or conditional grant."""
    value = parse_amount(amount)
    lg = ledger()
    event = lg.repay(entry_id, value, date=_date(date), by=by)
    left = lg.entry(entry_id).outstanding
    print(f"{event}  (still owed: {format_eur(left)})")


@app.command()
def void(
    entry_id: str = typer.Argument(..., metavar="ID", help="The entry to cancel."),
    reason: str = typer.Option(..., "--reason", help="Why, e.g. 'entered twice'."),
    by: str | None = typer.Option(None, "--by", help="Who recorded it."),
) -> None:
    """Cancel an entry; it stays in the journal, marked voided, with the reason."""
    print(ledger().void(entry_id, reason=reason, by=by))


@app.command(context_settings=LENIENT)
def refuse(
    team: str = typer.Argument(..., help="The team that refused."),
    reason: str = typer.Option(..., "--reason", help="Why the request was refused."),
    household: str | None = typer.Option(None, "--household", help="Pseudonymous household code."),
    amount: str | None = typer.Option(None, "--amount", help="Amount asked, if known."),
    category: str | None = typer.Option(None, "--category", "-c", help="What it was for."),
    date: str | None = typer.Option(None, "--date", "-d", help="Date (default: today)."),
    by: str | None = typer.Option(None, "--by", help="Who decided."),
    allow_personal_data: bool = typer.Option(
        False, "--allow-personal-data", help="Record personal data anyway."
    ),
) -> None:
    """Record a refused request (weigering), kept for learning."""
    print(ledger().refuse(
        team, reason=reason, household=household,
        amount=parse_amount(amount, what="amount") if amount else None,
        category=category, date=_date(date), by=by, allow_personal_data=allow_personal_data,
    ))


# --------------------------------------------------------------------------- listing

@app.command()
def entries(
    team: str | None = typer.Argument(None, help="Only this team."),
    date_from: str | None = typer.Option(None, "--from", help="From this date."),
    date_to: str | None = typer.Option(None, "--to", help="Up to and including this date."),
    category: str | None = typer.Option(None, "--category", "-c", help="Only this category."),
    kind: str | None = typer.Option(None, "--kind", "-k", help="Only gift, loan or conditional."),
    household: str | None = typer.Option(None, "--household", help="Only this household."),
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """List entries as they stand after their events; voided ones are marked."""
    from ..core.fields import entry_record
    from ..render import listings

    to = out(fmt, output)
    lg = ledger()
    found, problems = lg.select_entries(
        team,
        date_from=_date(date_from, allow_future=True),
        date_to=_date(date_to, allow_future=True),
        category=category,
        kind=resolve_choice(kind, KIND_ALIASES, "kind") if kind else None,
        household=household,
    )
    warn_problems(problems)
    view = listings.entries([entry_record(e) for e in found], to.format)
    if date_from or date_to:
        view = replace(view, period=" ".join(
            part for part in (f"van {date_from}" if date_from else "", f"tot en met {date_to}" if date_to else "")
            if part))
    emit(redacted(view) if redact else view, to)


# --------------------------------------------------------------------------- import and check


@import_app.command("entries")
def import_entries(
    file: Path = typer.Argument(..., help="CSV (, or ;) or XLSX with a header row."),
    team: str | None = typer.Option(None, "--team", help="Team for every row (else a team column)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row; write nothing."),
    allow_future: bool = typer.Option(False, "--allow-future", help="Accept dates after today."),
) -> None:
    """Bulk entry from a spreadsheet: all rows or none.

    Columns (any case, Dutch names too): date/datum, amount/bedrag, category/categorie,
    method/betaalwijze, kind/soort, household/huishouden, note/notitie, tegenprestatie,
    and team when --team is not given. Rules of thumb apply per row: a row that hits
    one needs reason/reden (and second_opinion/tweede mening above that limit).
    On any bad row every bad row is listed and nothing is written.
    """
    from ..ops.importer import import_entries as run_import

    result = run_import(ledger(), file, team=team, dry_run=dry_run, allow_future=allow_future)
    if result.problems:
        for p in result.problems[:50]:
            sys.stderr.write(f"maatwerk: {p}\n")
        more = len(result.problems) - 50
        fail(f"{len(result.problems)} bad row(s){f' ({more} more not shown)' if more > 0 else ''}; "
             "nothing was imported")
    verb = "would import" if dry_run else "imported"
    print(f"{verb} {result.count} entries" + (f" ({result.first_id} .. {result.last_id})"
                                              if result.first_id and not dry_run else ""))


@app.command()
def check(
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Validate everything and list every problem with file and line (exit 1 if any)."""
    from ..ops.check import check_ledger

    problems = check_ledger(ledger())
    if fmt == "json":
        print(json.dumps([{"file": p.file, "line": p.line, "message": p.message} for p in problems],
                         ensure_ascii=False, indent=1))
    elif fmt != "text":
        raise InputError(f"format {fmt!r} is not one of: text, json")
    else:
        for p in problems:
            print(p)
        if problems:
            warn(f"{len(problems)} problem(s) found")
        else:
            print("ok: no problems found")
    if problems:
        raise SystemExit(ExitStatus.FINDINGS)
