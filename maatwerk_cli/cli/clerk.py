"""The clerk's commands: set up, record spends and events, list entries, import, check.

These stay light: no pandas is imported on this path, and ``spend`` of a card payment, which
builds its :class:`~maatwerk_cli.ledger.SpendRequest` and records it through
:class:`~maatwerk_cli.ledger.Ledger`, loads no numpy either (tests prove both).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..core.dates import parse_date, parse_year, today
from ..core.errors import InputError
from ..core.messages import N_, Opt, tr
from ..core.money import format_eur, parse_amount
from ..core.records import KIND_ALIASES, METHOD_ALIASES, OUTCOMES
from ..core.text import resolve_choice
from ..render.output import TEXT, TEXT_FORMATS, emit, print_id, print_lines
from .app import ExitStatus, app, fail, ledger, notice, warn, warn_problems
from .options import ALLOW_FUTURE, FormatOpt, OutputOpt, RedactOpt, TextFormatOpt, out, redacted

if TYPE_CHECKING:
    from ..ledger import Ledger, Undone

LENIENT = {"ignore_unknown_options": True}  # so "-5" reaches the amount parser, not click

team_app = typer.Typer(help="Budget holders: wijkteams and central funds.", no_args_is_help=True)
app.add_typer(team_app, name="team")
import_app = typer.Typer(help="Bulk input: entries from a spreadsheet, bank statements.",
                         no_args_is_help=True)
app.add_typer(import_app, name="import")


def _date(text: str | None, what: str = "date", allow_future: bool = False,  # type: ignore[no-untyped-def]
          flag: Opt | None = None):
    return parse_date(text, what=what, allow_future=allow_future, allow_flag=flag) if text else None


def _fmt(fmt: str) -> str:
    """``--format`` of a recording command: text (the bare id) or json (``{"id": ...}``)."""
    value = fmt.strip().lower()
    if value not in ("text", "json", "table"):
        raise InputError(tr("format {format!r} is not one of: text, json", format=fmt))
    return value


def echo(line_id: str, what: str, *, team: str, date: dt.date, amount: Decimal | None = None,
         category: str = "", method: str = "", kind: str = "", more: str = "") -> None:
    """The clerk's check, one line on stderr in Dutch formats: what was read and recorded
    (``€ 12.505,00`` is twelve thousand five hundred and five euros). ``what`` and ``more``
    come in the run's language; a kind is named in it too."""
    parts = [what, tr("team {team}", team=team)]
    if amount is not None:
        parts.append(format_eur(amount))
    parts.extend(p for p in (category, method, tr(KIND_WORDS.get(kind, kind)) if kind else "") if p)
    parts.append(date.strftime("%d-%m-%Y"))
    if more:
        notice(tr("recorded {id}: {details}; {more}", id=line_id, details=", ".join(parts), more=more))
    else:
        notice(tr("recorded {id}: {details}", id=line_id, details=", ".join(parts)))


#: A spend's kind as the echo names it (the journal keeps the English word).
KIND_WORDS = {"gift": N_("gift"), "loan": N_("loan"), "conditional": N_("conditional")}


@app.command()
def init(
    municipality: str = typer.Option("", "--municipality", help="Name of the municipality."),
    year: int | None = typer.Option(None, "--year", help="First budget year (default: this year)."),
) -> None:
    """Create the ledger folder with a commented maatwerk.toml."""
    from ..ledger import Ledger
    from .app import state

    # The folder keeps the language its maker chose (--lang, MAATWERK_LANG or the system's).
    made = Ledger.init(state.ledgers, municipality=municipality,
                       year=parse_year(year) if year else None, language=state.lang)
    print_lines(tr("created {path}; add a team with `maatwerk team add`", path=made.root / "maatwerk.toml"))


DEMO_HELP = N_("""\
Write Demostad 2026, the demo ledger, into DIR (default: demo) to try every command on.

A fictional municipality: five wijkteams and a doorbraakfonds, about 150 spends from
January to mid November 2026. At the end of October oost is far behind the pace of the
year and zuid over its budget. Then, for example:

  maatwerk --ledgers demo utilisation --month 2026-10
  maatwerk --ledgers demo loans
  maatwerk --ledgers demo report --month 2026-10

DIR must be new or empty, and not inside a ledger folder: an existing ledger is never
written over. --ledgers and $MAATWERK_LEDGERS do not choose DIR.
""")


@app.command(help=DEMO_HELP)
def demo(
    folder: Path = typer.Argument(Path("demo"), metavar="[DIR]", show_default=False,
                                  help="A new or empty folder (default: demo)."),
) -> None:
    from ..ledger import Ledger

    made = Ledger.demo(folder)
    shown = f'"{folder}"' if " " in str(folder) else str(folder)
    print_lines(tr("wrote the demo ledger to {path}; try `maatwerk --ledgers {shown} utilisation --month 2026-10`",
                   path=made.root, shown=shown))


GUIDE_HELP = N_("""\
Print the user guide (in Dutch): recording, correcting, cash and bank, the monthly check and
what each figure means, the report and the pack.

It is Markdown; `maatwerk handleiding > handleiding.md` keeps a copy to read or print.
""")


@app.command("handleiding", help=GUIDE_HELP)
def guide() -> None:
    from importlib.resources import files

    sys.stdout.write((files("maatwerk_cli") / "help" / "handleiding.md").read_text(encoding="utf-8"))


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
    print_lines(tr("added {team} ({name})", team=team.slug, name=team.name))


TEAM_BUDGET_HELP = N_("""\
Set a team's budget for a year, record a top-up or cut, or give the budget its own period.

For example, maatwerk team budget ...

  noord 12.000 --year 2026                  the base budget of 2026
  noord +5.000 --from 1-7-2026              a top-up, counting from 1 July
  noord -2.000 --from 1-10-2026             a cut, from 1 October
  noord --start 1-7-2026 --end 31-12-2026   a pilot: July to December

A top-up or cut is added to the team file as a dated block and never overwrites what was
there; the year's budget is the base plus its top-ups less its cuts. The pace of the
year counts from the budget's own start, each top-up from its own date (`maatwerk
utilisation --help` has the definitions).
The team file keeps its comments.
""")


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
        raise InputError(tr("give an amount (12.000, or +5.000 / -2.000 with --from DATE), "
                            "or a period with --start DATE and --end DATE"))
    if signed and start is None:
        raise InputError(tr("a top-up or cut needs the date it counts from: {amount} --from DATE", amount=amount))
    if start is not None and not signed:
        raise InputError(tr("with --from, give the change with its sign: +5.000 for a top-up, -2.000 for a cut"))
    if note is not None and not signed:
        raise InputError(tr("--note goes with a top-up or cut (+5.000 or -2.000 --from DATE)"))
    when = _date(start, what="--from date", allow_future=True)
    begin = _date(period_start, what="--start date", allow_future=True)
    end = _date(period_end, what="--end date", allow_future=True)
    years = {d.year for d in (when, begin, end) if d is not None}
    if year is not None:
        y = parse_year(year)
        if years - {y}:
            raise InputError(tr("the dates given are not in {year}; a top-up, cut or period lies within its year",
                                year=y))
    elif len(years) > 1:
        raise InputError(tr("the dates given lie in different years; give one year's budget at a time"))
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
        print_lines(tr("{team}: budget {year} runs from {first:date} to {last:date}", team=team.slug, year=y,
                       first=plan.first, last=plan.last))
    if change is not None and value is not None and when is not None:
        said = (tr("{team}: top-up of {amount:eur} from {day:date}; budget {year} is now {total:eur}", team=team.slug,
                   amount=value, day=when, year=y, total=plan.total) if value > 0 else
                tr("{team}: cut of {amount:eur} from {day:date}; budget {year} is now {total:eur}", team=team.slug,
                   amount=abs(value), day=when, year=y, total=plan.total))
        print_lines(said)
    elif value is not None:
        if plan.total != value:
            print_lines(tr("{team}: budget {year} is {amount:eur} ({total:eur} with its top-ups and cuts)",
                           team=team.slug, year=y, amount=value, total=plan.total))
        else:
            print_lines(tr("{team}: budget {year} is {amount:eur}", team=team.slug, year=y, amount=value))


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
    emit(replace(listings.teams(tr("Budget holders {year}", year=y), rows), period=f"budgetjaar {y}"), to)


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
    view = listings.teams(team.name, rows, total=False, empty=tr("{team} has no budget yet", team=team.slug))
    changes = [_change(c.amount, c.start, c.note) for c in team.changes]
    if changes:
        from dataclasses import replace

        view = replace(view, footer=[tr("Top-ups and cuts: {changes}.", changes="; ".join(changes))])
    emit(view, to)


def _change(amount: Decimal, start: dt.date, note: str | None) -> str:
    """One top-up or cut of a budget, as ``team show`` lists it."""
    if amount > 0:
        said = tr("top-up of {amount:eur} from {day:date}", amount=amount, day=start)
    else:
        said = tr("cut of {amount:eur} from {day:date}", amount=abs(amount), day=start)
    return tr("{change}: {note}", change=said, note=note) if note else said


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
        help="Date the request came, for the lead time (not after the date paid; left out: not recorded).",
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
    receipt: str | None = typer.Option(
        None, "--receipt", metavar="FILE",
        help="The receipt or invoice (PDF, PNG, JPEG or HEIC), kept in the ledger folder.",
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text (the id) or json."),
) -> None:
    """Record a spend (a gift unless --kind says otherwise) and print its id.

    What was read is echoed on stderr in Dutch formats (id, team, amount, category,
    method, kind, date), so that 12.505 for fifteen euros is seen at once; stdout has
    only the id (or {"id": ...} with --format json). A spend that looks implausible (more
    than the budget left, far above the team's largest, a year without budget) is a
    rule of thumb: it is refused with the figures and recorded when given again with
    --reason.
    """
    from ..ledger import SpendRequest

    out_fmt = _fmt(fmt)
    value = parse_amount(amount)
    lg = ledger()
    done = lg.record_spend(SpendRequest(
        team,
        value,
        category=category,
        method=resolve_choice(method, METHOD_ALIASES, "method"),
        date=_date(date, allow_future=allow_future, flag=ALLOW_FUTURE),
        requested=_date(requested, what="request date", allow_future=allow_future, flag=ALLOW_FUTURE),
        household=household,
        note=note,
        kind=resolve_choice(kind, KIND_ALIASES, "kind"),
        due=_date(due, what="due date", allow_future=True),
        condition=condition,
        tegenprestatie=tegenprestatie,
        by=by,
        reason=reason,
        second_opinion=second_opinion,
        allow_personal_data=allow_personal_data,
        bank_line=bank_line,
        receipt=receipt,
    ))
    print_id(done.id, out_fmt)
    c = done.cells
    echo(done.id, tr("spend"), team=done.team, date=dt.date.fromisoformat(c["date"]),
         amount=Decimal(c["amount"]), category=c["category"], method=c["method"], kind=c["kind"])


MARK_HELP = N_("""\
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
""")


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
    from ..ledger import MarkRequest

    action = what.strip().lower()
    given = {"--due": due, "--condition": condition, "--status": status,
             "--avoided-cost": avoided_cost, "--from": pot, "--amount": amount, "--date": date}
    allowed = {
        "loan": {"--due"}, "lening": {"--due"}, "gift": set(), "conditional": {"--condition"},
        "voorwaardelijk": {"--condition"}, "tegenprestatie": {"--status"},
        "outcome": {"--avoided-cost"}, "recovered": {"--from", "--amount", "--date"},
    }
    if action not in allowed:
        raise InputError(tr("cannot mark {what!r}; use one of: loan, gift, conditional, "
                            "tegenprestatie, outcome, recovered", what=what))
    extra = [opt for opt, v in given.items() if v is not None and opt not in allowed[action]]
    if extra:
        raise InputError(tr("{options:list} does not go with `mark {action}`", options=extra, action=action))
    needs_value = action in ("tegenprestatie", "outcome")
    if needs_value and not value:
        raise InputError(tr("`mark ID tegenprestatie` needs a value: the tegenprestatie text")
                         if action == "tegenprestatie" else
                         tr("`mark ID outcome` needs a value: reached, partial or not-reached"))
    if not needs_value and value is not None:
        raise InputError(tr("unexpected {value!r} after `mark ID {action}`", value=value, action=action))
    lg = ledger()
    request = MarkRequest(entry_id, action, value=value, condition=condition, status=status, pot=pot, by=by,
                          due=_date(due, what="due date", allow_future=True))
    if action == "outcome":
        outcome = (value or "").strip().lower().replace("_", "-").replace(" ", "-")
        if outcome not in OUTCOMES:
            raise InputError(tr("outcome {value!r} is not one of: {outcomes:list}", value=value, outcomes=OUTCOMES))
        cost = (parse_amount(avoided_cost, what="avoided cost", allow_zero=True, allow_negative=True)
                if avoided_cost else None)
        request = replace(request, value=outcome, avoided_cost=cost)
    elif action == "recovered":
        if not pot:
            raise InputError(tr("`mark ID recovered` needs --from POT: the provision that paid back"))
        request = replace(request, amount=parse_amount(amount, what="amount") if amount else None,
                          date=_date(date))
    print_lines(lg.mark(request))


@app.command(context_settings=LENIENT)
def repay(
    entry_id: str = typer.Argument(..., metavar="ID", help="The loan's entry id."),
    amount: str = typer.Argument(..., help="Amount repaid: 35, 17,50."),
    date: str | None = typer.Option(None, "--date", "-d", help="Date received (default: today)."),
    by: str | None = typer.Option(None, "--by", help="Who recorded it."),
    fmt: str = typer.Option("text", "--format", "-f", help="text (the id) or json."),
) -> None:
    """Record a (partial) repayment of a loan or conditional grant and print its id.

    The repayment, its entry and what is still owed are echoed on stderr.
    """
    from ..ledger import RepayRequest

    out_fmt = _fmt(fmt)
    value = parse_amount(amount)
    lg = ledger()
    event = lg.repay(RepayRequest(entry_id, value, date=_date(date), by=by))
    entry = lg.entry(entry_id)
    print_id(event, out_fmt)
    echo(event, tr("repayment on {id}", id=entry.id), team=entry.team, amount=value, category=entry.category,
         method=entry.method, kind=entry.kind, date=_date(date) or today(),
         more=tr("still owed {amount:eur}", amount=entry.outstanding))


@app.command(context_settings=LENIENT)
def amend(
    entry_id: str = typer.Argument(..., metavar="ID", help="The spend's id, like noord-2025-0042."),
    reason: str = typer.Option(..., "--reason", help="Why it is corrected, e.g. 'wrong category'."),
    category: str | None = typer.Option(None, "--category", "-c", help="The right category."),
    note: str | None = typer.Option(None, "--note", "-n", help="The right note ('' clears it); no names."),
    household: str | None = typer.Option(None, "--household", help="The right household code ('' clears it)."),
    date: str | None = typer.Option(None, "--date", "-d", help="The right date paid."),
    method: str | None = typer.Option(None, "--method", "-m", help="pin (card), factuur (invoice) or contant (cash)."),
    kind: str | None = typer.Option(None, "--kind", "-k", help="gift, loan or conditional (while nothing is repaid)."),
    due: str | None = typer.Option(None, "--due", help="Repayment date of a loan."),
    condition: str | None = typer.Option(None, "--condition", help="Condition of a conditional grant."),
    amount: str | None = typer.Option(None, "--amount", help="The right amount: 35, 12,50, 1.234,56."),
    override: bool = typer.Option(
        False, "--override", help="Record it although a rule of thumb is hit (--reason says why)."
    ),
    by: str | None = typer.Option(None, "--by", help="Who recorded it."),
    allow_personal_data: bool = typer.Option(
        False, "--allow-personal-data", help="Record text that holds personal data anyway (recorded)."
    ),
    allow_future: bool = typer.Option(False, "--allow-future", help="Accept a date after today."),
    receipt: str | None = typer.Option(
        None, "--receipt", metavar="FILE",
        help="The receipt or invoice (PDF, PNG, JPEG or HEIC), given later; kept in the ledger folder.",
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text (the id) or json."),
) -> None:
    """Correct a spend (category, note, household, date, method, kind, due date, condition,
    amount, receipt) and keep its id; print the id of the correction.

    The correction is a line of its own with the reason; repayments, bank links, outcomes
    and the story stay with the spend, every report uses the corrected values, `show`
    tells the old and new values, and voiding the correction undoes it. The new values
    are checked as a new spend's are (personal data, cash box, bank line, rules of
    thumb: a hit is refused unless --override).
    """
    from ..ledger import AmendRequest

    out_fmt = _fmt(fmt)
    lg = ledger()
    done = lg.amend(AmendRequest(
        entry_id, reason,
        category=category, note=note, household=household,
        date=_date(date, allow_future=allow_future, flag=ALLOW_FUTURE),
        method=resolve_choice(method, METHOD_ALIASES, "method") if method is not None else None,
        kind=resolve_choice(kind, KIND_ALIASES, "kind") if kind is not None else None,
        due=_date(due, what="due date", allow_future=True), condition=condition,
        amount=parse_amount(amount) if amount is not None else None,
        by=by, override=override, allow_personal_data=allow_personal_data, receipt=receipt,
    ))
    entry = lg.entry(done.cells["ref"])
    print_id(done.id, out_fmt)
    echo(done.id, tr("correction of {id}", id=entry.id), team=entry.team, date=entry.date,
         amount=entry.amount, category=entry.category, method=entry.method, kind=entry.kind)


VOID_HELP = N_("""\
Cancel lines: entries, or any event on them; they stay in the journal, marked voided.

ID is any line's id: a spend, a repayment, a mark (loan, gift, conditional), an outcome,
a tegenprestatie, a recovery, a refusal, a cash withdrawal or settlement, a knipkaart
use. Several ids are voided together, all or none. Voiding a void undoes it.

A spend with repayments or recoveries that stand is refused with their ids, unless
--with-events voids them with it (and every other later event of the spend: marks,
outcomes, bank links). What is voided is listed on stderr before anything is written
(--dry-run only lists). stdout: the ids of the void lines, one per line.
""")


#: What ``void`` says of each line, whole sentences for the translator: without and with
#: the id of the void line written for it.
VOID_SAID = {
    "would void": (N_("would void {id}: {details}"), N_("would void {id} by {void}: {details}")),
    "voiding": (N_("voiding {id}: {details}"), N_("voiding {id} by {void}: {details}")),
    "voided": (N_("voided {id}: {details}"), N_("voided {id} by {void}: {details}")),
}
#: A journal line's type as people read it: marked here, the journal keeps the English word.
LINE_TYPES = (N_("spend"), N_("kind"), N_("tegenprestatie"), N_("outcome"), N_("recovered"), N_("repay"),
              N_("void"), N_("refusal"), N_("withdraw"), N_("settle"), N_("knipkaart"), N_("bank-link"),
              N_("amend"))


@app.command(help=VOID_HELP)
def void(
    ids: list[str] = typer.Argument(..., metavar="ID...", help="The lines to cancel."),
    reason: str = typer.Option(..., "--reason", help="Why, e.g. 'entered twice'."),
    with_events: bool = typer.Option(
        False, "--with-events", help="Void a spend's later events (repayments, marks...) with it."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would be voided; write nothing."),
    by: str | None = typer.Option(None, "--by", help="Who recorded it."),
) -> None:
    from ..ledger import VoidRequest

    told: list[bool] = []

    def say(verb: str, lines: Sequence[Undone]) -> None:
        for u in lines:
            parts = [tr(u.type), *([format_eur(u.amount)] if u.amount is not None else [])]
            details = " ".join(parts) + f", {u.date:%d-%m-%Y}" + (f", {u.what}" if u.what else "")
            plain, with_void = VOID_SAID[verb]
            line = tr(with_void if u.void_id else plain, id=u.id, void=u.void_id, details=details)
            notice(line if u.asked else tr("{line} (with its spend)", line=line))

    def announce(lines: Sequence[Undone]) -> None:
        # What goes along with a spend is listed before anything is written.
        if dry_run or not all(u.asked for u in lines):
            say("would void" if dry_run else "voiding", lines)
            told.append(True)

    done = ledger().void_lines(VoidRequest(tuple(ids), reason, by=by, with_events=with_events, dry_run=dry_run),
                               announce=announce)
    if not told:
        say("voided", done)
    print_lines(u.void_id for u in done if u.void_id)


@app.command()
def show(
    line_id: str = typer.Argument(..., metavar="ID", help="An entry's id, or any event's."),
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """One entry's whole story: the entry as it stands, then every line about it in order
    (marks, repayments, outcomes, voids), voided ones marked.

    JSON: {"entry": \\[the entry, as `entries` gives it], "lines": \\[id, type, date, amount,
    ref, details, by, recorded_at, voided, voided_by, asked]}, and for an entry with a
    receipt "receipts": \\[entry, line, file, type, size, sha256, state (ok, missing,
    changed), current]. An event's id shows its
    entry's story; a refusal, withdrawal or knipkaart use shows that line and its voids.
    """
    from dataclasses import replace

    from ..core.fields import entry_record
    from ..render import listings
    from ..render.columns import Column
    from ..render.output import View

    to = out(fmt, output)
    told = ledger().story(line_id)
    entry = listings.entries([entry_record(told.entry)] if told.entry else [], to.format)
    entry = replace(entry, title=tr("{id}: as it stands", id=told.entry.id) if told.entry else tr("no entry"),
                    key="entry", sheet="entry", empty=tr("{id} is about no entry", id=told.id), total=None)
    data = [Column("id", kind="id"), Column("type"), Column("date", kind="date"),
            Column("amount", kind="money"), Column("ref", kind="id"), Column("details"), Column("by"),
            Column("recorded_at"), Column("voided", kind="bool"), Column("voided_by", kind="id"),
            Column("asked", kind="bool")]
    table = [Column("id", "id", "id"), Column("type", N_("type")), Column("date", N_("date"), "date"),
             Column("amount", N_("amount"), "money"), Column("details", N_("what"), wide=True),
             Column("by", N_("by"), wide=True), Column("voided_by", N_("voided by"), "id")]
    lines = View(tr("The story of {id}, line by line", id=told.entry.id if told.entry else told.id),
                 data, [line.record() for line in told.lines], table=table, sheet="lines", key="lines",
                 styles=lambda r: "dim strike" if r.get("voided") else ("bold" if r.get("asked") else None))
    views = [entry, lines]
    if told.receipts:
        views.append(View(
            tr("Receipts of {id}", id=told.entry.id if told.entry else told.id),
            [Column("entry", kind="id"), Column("line", kind="id"), Column("file"), Column("type"),
             Column("size", kind="int"), Column("sha256"), Column("state"), Column("current", kind="bool")],
            [r.record() for r in told.receipts],
            table=[Column("line", N_("line"), "id"), Column("file", N_("file"), wide=True),
                   Column("size", N_("bytes"), "int"), Column("state", N_("state")),
                   Column("current", N_("current"), "bool")],
            sheet="receipts", key="receipts"))
    emit(views, to)


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
    fmt: str = typer.Option("text", "--format", "-f", help="text (the id) or json."),
) -> None:
    """Record a refused request (weigering), kept for learning, and print its id.

    What was recorded is echoed on stderr (id, team, amount asked, category, date).
    """
    from ..ledger import RefuseRequest

    out_fmt = _fmt(fmt)
    done = ledger().record_refusal(RefuseRequest(
        team, reason, household=household, amount=parse_amount(amount, what="amount") if amount else None,
        category=category, date=_date(date), by=by, allow_personal_data=allow_personal_data,
    ))
    print_id(done.id, out_fmt)
    c = done.cells
    echo(done.id, tr("refusal"), team=done.team, date=dt.date.fromisoformat(c["date"]),
         amount=Decimal(c["amount"]) if c["amount"] else None, category=c["category"],
         more=tr("amount asked") if c["amount"] else "")


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
    if team:
        _not_an_id(lg, team)
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


def _not_an_id(lg: Ledger, team: str) -> None:
    """``entries noord-2025-0042``: the clerk wants that entry, not a team of that name."""
    from ..core.records import split_id

    try:
        slug, _, _ = split_id(team)
    except ValueError:
        return
    if not lg.has_team(team) and lg.has_team(slug):
        raise InputError(tr("{id} is an entry id, not a team; `maatwerk show {id}` shows that entry with every "
                            "event on it", id=team.strip()))


# --------------------------------------------------------------------------- import and check


@import_app.command("entries")
def import_entries(
    file: Path = typer.Argument(..., help="CSV (, or ;) or XLSX with a header row."),
    team: str | None = typer.Option(None, "--team", help="Team for every row (else a team column)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row; write nothing."),
    allow_future: bool = typer.Option(False, "--allow-future", help="Accept dates after today."),
    again: bool = typer.Option(False, "--again", help="Import rows that were imported before, again."),
    new_only: bool = typer.Option(
        False, "--new-only", help="Import only the rows not imported before; list the ones skipped."
    ),
    fmt: TextFormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Bulk entry from a spreadsheet: all rows or none.

    Columns, in any order and any case (Dutch names too); the first three are needed:

    - date / datum: 14-3-2025 or 2025-03-14
    - amount / bedrag: 35, 12,50, 1.234,56
    - category / categorie
    - method / betaalwijze / methode / betaling: pin, factuur, contant (default pin)
    - kind / soort: gift, loan / lening, conditional / voorwaardelijk (default gift)
    - household / huishouden: a pseudonymous code
    - note / notitie / toelichting / omschrijving
    - tegenprestatie / wederkerigheid
    - team / wijkteam: needed when --team is not given
    - due / vervaldatum: repayment date of a loan
    - condition / voorwaarde: the condition of a conditional grant
    - by / door: who decided
    - reason / reden: why a rule of thumb is overridden
    - second_opinion / second opinion / tweede mening / tweede_mening: who agreed
    - requested / aangevraagd / aanvraagdatum / datum aanvraag: the day the request came
      (on or before date; see `maatwerk leadtime`)
    - id / nummer: the id of a spend this row corrects (below)
    - receipt / bon: the receipt's file (PDF or image), from the sheet's folder

    Rules of thumb apply per row: a row that hits one needs a reason (and a second
    opinion above that limit). A cell holding a formula makes a bad row: paste values.
    On any bad row every bad row is listed and nothing is written. A sheet whose rows
    were imported before is refused, naming when and as which ids (rows are matched by
    their values, not their place): --new-only imports just the new rows, --again
    imports every row again.

    A row with an id corrects that spend as `maatwerk amend` does: its filled cells are
    the new values (an empty cell keeps the value), the reason column says why, and it
    is checked as a correction is. A sheet may hold corrections only.

    Printed: how many rows were imported (or would be) with their ids, and the rows
    skipped. JSON: file, dry_run, count, first_id, last_id, and skipped (row, id and
    recorded_at of each row imported before), and corrected (row, id and correction
    of each row with an id).
    """
    from ..ledger import ImportEntriesRequest
    from ..render import listings

    to = out(fmt, output, TEXT_FORMATS)
    result = ledger().import_entries(ImportEntriesRequest(file, team=team, dry_run=dry_run, allow_future=allow_future,
                                                          again=again, new_only=new_only))
    if result.problems:
        for p in result.problems[:50]:
            notice(str(p))
        more = len(result.problems) - 50
        if more > 0:
            fail(tr("{n:count} bad row(s) ({more:count} more not shown); nothing was imported",
                    n=len(result.problems), more=more))
        fail(tr("{n:count} bad row(s); nothing was imported", n=len(result.problems)))
    views = listings.entries_import(result, str(file), dry_run=dry_run)
    emit(views[:1] if to.format in ("csv", "csv-nl") else views, to)


@app.command()
def check(
    fmt: TextFormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Validate everything and list every problem with file and line (exit 1 if any).

    JSON and CSV: file, line and message of each problem.
    """
    from ..render import listings

    to = out(fmt, output, TEXT_FORMATS)
    lg = ledger()
    if not lg.exists():
        lg.require()  # no ledger folder: said as every command says it (bad settings are findings)
    problems = lg.check()
    emit(listings.problems(problems), to)
    if problems and to.format == TEXT:
        warn(tr("{n:count} problem(s) found", n=len(problems)))
    if problems:
        raise SystemExit(ExitStatus.FINDINGS)
