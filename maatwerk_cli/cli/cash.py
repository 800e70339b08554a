"""Commands for the cash box and the team's bank account: ``cash``, ``import bank``,
``bank`` and ``reconcile``.

The work is done by :class:`~maatwerk_cli.ledger.Ledger` (in :mod:`maatwerk_cli.ops.cash` and
:mod:`maatwerk_cli.ops.bank`); this module parses the user's text into requests and hands
the results to :mod:`maatwerk_cli.render`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import typer

from ..core.dates import parse_date, parse_month
from ..core.errors import InputError
from ..core.messages import N_, tr
from ..core.money import parse_amount
from ..render.output import TEXT_FORMATS, emit, print_id, print_lines
from .app import ExitStatus, app, ledger, notice, warn, warn_problems
from .clerk import LENIENT, import_app, team_app
from .options import ALLOW_FUTURE, FormatOpt, OutputOpt, RedactOpt, out, redacted

cash_app = typer.Typer(
    help="The cash box (kasgeld): withdrawals, what is on hand, settling the remainder.",
    no_args_is_help=True,
)
app.add_typer(cash_app, name="cash")
bank_app = typer.Typer(
    help="Imported bank lines: list them, explain a payment that has no entry, undo an import.",
    no_args_is_help=True,
)
app.add_typer(bank_app, name="bank")

# --------------------------------------------------------------------------- cash


@cash_app.command("withdraw", context_settings=LENIENT)
def cash_withdraw(
    team: str = typer.Argument(..., help="The team whose card was used, like noord."),
    amount: str = typer.Argument(..., help="Cash taken out: 50, 120."),
    date: str | None = typer.Option(None, "--date", "-d", help="Date of the withdrawal (default: today)."),
    note: str | None = typer.Option(None, "--note", "-n", help="A few words; no names."),
    by: str | None = typer.Option(None, "--by", help="Who took the cash out."),
    bank_line: str | None = typer.Option(
        None, "--bank-line", metavar="REF",
        help="The open bank line this withdrawal is (from `maatwerk bank lines TEAM --open`).",
    ),
    allow_future: bool = typer.Option(False, "--allow-future", help="Accept a date after today."),
    fmt: str = typer.Option("text", "--format", "-f", help="text (the id) or json."),
) -> None:
    """Record cash taken from the team's card account into the cash box and print its id.

    The withdrawal and the cash now on hand are echoed on stderr.
    """
    from ..ledger import WithdrawRequest
    from .clerk import _fmt, echo

    out_fmt = _fmt(fmt)
    value = parse_amount(amount)
    when = parse_date(date, allow_future=allow_future, allow_flag=ALLOW_FUTURE) if date else None
    lg = ledger()
    done = lg.record_withdrawal(WithdrawRequest(team, value, date=when, note=note, by=by, bank_line=bank_line))
    if value % lg.note_step:
        warn(tr("{amount:eur} is not a multiple of {step:eur}, as cash machines pay out; recorded anyway, "
                "check the receipt", amount=value, step=lg.note_step))
    print_id(done.id, out_fmt)
    # The date as recorded: a bank line's, or today.
    echo(done.id, tr("cash withdrawal"), team=done.team, amount=value, method="pin",
         date=dt.date.fromisoformat(done.cells["date"]),
         more=tr("cash on hand {amount:eur}", amount=lg.cash_on_hand(done.team)))


@cash_app.command("status")
def cash_status_command(
    team: str | None = typer.Argument(None, help="Only this team (default: all)."),
    as_of: str | None = typer.Option(None, "--as-of", metavar="DATE",
                                     help="Count only rows dated up to this day."),
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """Cash on hand per team: withdrawn - spent in cash - written off - deposited."""
    from ..render import listings

    to = out(fmt, output)
    day = parse_date(as_of, what="--as-of", allow_future=True) if as_of else None
    records = [s.record() for s in ledger().cash_status([team] if team else None, day)]
    view = listings.cash(records)
    if day is not None:
        view = replace(view, as_of=day, period=f"alles tot en met {day:%d-%m-%Y}")
    emit(redacted(view) if redact else view, to)


@cash_app.command("settle")
def cash_settle(
    team: str = typer.Argument(..., help="The team whose cash box is settled."),
    deposit: bool = typer.Option(False, "--deposit", help="The remainder goes back into the account."),
    write_off: bool = typer.Option(
        False, "--write-off",
        help="Write the remainder off as spent (up to write_off_limit in maatwerk.toml, default € 10).",
    ),
    date: str | None = typer.Option(None, "--date", "-d", help="Date (default: today)."),
    reason: str | None = typer.Option(None, "--reason", help="A few words on why, if useful."),
    by: str | None = typer.Option(None, "--by", help="Who settled it."),
) -> None:
    """End the whole remainder in the cash box: --deposit it, or --write-off a small one."""
    from ..ledger import SettleRequest

    if deposit == write_off:
        raise InputError(tr("say how to settle: --deposit (back into the account) or --write-off"))
    when = parse_date(date) if date else None
    done = ledger().settle(SettleRequest(team, "deposit" if deposit else "write-off", date=when, reason=reason,
                                         by=by))
    said = (N_("{id}  {amount:eur} deposited; the cash box of {team} is empty") if done.method == "deposit"
            else N_("{id}  {amount:eur} written off; the cash box of {team} is empty"))
    print_lines(tr(said, id=done.id, amount=done.amount, team=done.team))


# --------------------------------------------------------------------------- bank import


@import_app.command("bank")
def import_bank(
    file: Path = typer.Argument(..., help="The statement: CSV, TAB, XLSX, camt.053 XML or MT940."),
    team: str = typer.Option(..., "--team", help="The team whose card account this is."),
    bank_format: str = typer.Option("auto", "--format", "-f", metavar="FORMAT",
                                    help="Statement format: auto, ing, rabobank, abnamro, knab, asn, sns, "
                                         "regiobank, bunq, triodos, camt053 or mt940 (auto reads the content)."),
    account: str | None = typer.Option(
        None, "--account", metavar="IBAN", help="The team's account, when the file holds several."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would happen; write nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON (--output-format json)."),
    shown: str | None = typer.Option(
        None, "--output-format", metavar="FORMAT", show_default=False,
        help="How to print what was done: text (the default), table, vertical, csv, csv-nl, json or markdown "
             "(--format is the statement's). With --output: must fit the file's extension."),
    output: OutputOpt = None,
) -> None:
    """Import a team's card account statement and link each payment to its entry.

    A debit matches a card spend or a cash withdrawal of the same amount at most 3 days
    apart. Payments without an entry stay open: complete them with
    `maatwerk spend TEAM AMOUNT -c CATEGORY --bank-line REF` (or `maatwerk cash withdraw
    ... --bank-line REF`), or `maatwerk bank explain`. Importing a statement again, an
    overlapping one, or the same days in another kind of download (MT940 after CSV), adds
    nothing twice. A file whose balances do not add up is refused; one without balances to
    check is imported with a note saying so. `--account` picks the team's account from a
    file of several.

    JSON (--json): team, format, source, dry_run, added, added_debits, added_credits,
    already_imported, layout, note, and the lists linked (with the entry's id), open,
    credits and from_other_download (ref, date, amount, direction, description). CSV:
    every line listed with its result (linked, open, credit, other_download).
    """
    from ..ledger import ImportBankRequest
    from ..render import listings

    if as_json and shown is not None and shown.strip().lower() != "json":
        raise InputError(tr("--json and --output-format {format} ask for two formats; give one of them",
                            format=shown))
    to = out("json" if as_json else shown, output, TEXT_FORMATS)
    fmt = bank_format.strip().lower()
    result = ledger().import_statement(ImportBankRequest(file, team, format=fmt, account=account, dry_run=dry_run))
    warn_problems(result.problems)
    for problem in result.warnings:
        warn(str(problem))
    emit(listings.bank_import(result, to.format), to)


@team_app.command("account")
def team_account(
    team: str = typer.Argument(..., help="The team."),
    account: str = typer.Argument(..., metavar="IBAN", help="The team's new card account."),
    start: str = typer.Option(..., "--from", metavar="DATE", help="The first day of the new account."),
) -> None:
    """Record a team's new card account (a new card, a new bank) from a day.

    Statements of the new account are accepted from that day on; the team's earlier
    statements, of its old account, still count in `bank lines` and `reconcile`. The
    account is written in the team file as a [\\[card_account]] block. Refused when another
    team's statements or team file name the account.
    """
    when = parse_date(start, what="--from date", allow_future=True)
    done = ledger().set_card_account(team, account, when)
    print_lines(tr("{team}: card account {account} from {day:date}; its statements are accepted from then on",
                   team=team.strip().lower(), account=done.account, day=done.start))


# --------------------------------------------------------------------------- bank lines


@bank_app.command("lines")
def bank_lines_command(
    team: str = typer.Argument(..., help="The team."),
    open_only: bool = typer.Option(False, "--open", help="Only payments without an entry."),
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """List a team's imported bank lines: linked, explained, open or credit."""
    from ..render import listings

    to = out(fmt, output)
    records, problems = ledger().bank_lines(team, open_only=open_only)
    warn_problems(problems)
    view = listings.bank_lines(records, open_only=open_only)
    emit(redacted(view) if redact else view, to)


@bank_app.command("explain")
def bank_explain(
    team: str = typer.Argument(..., help="The team."),
    ref: str = typer.Argument(..., metavar="REF", help="The open bank line (its ref, or its start)."),
    reason: str = typer.Option(..., "--reason", help="Why it has no entry, e.g. 'bankkosten'."),
    by: str | None = typer.Option(None, "--by", help="Who recorded it."),
) -> None:
    """Close a payment that has no entry (bank costs, say), with the reason."""
    print_lines(ledger().explain_bank_line(team, ref, reason=reason, by=by))


@bank_app.command("imports")
def bank_imports_command(
    team: str = typer.Argument(..., help="The team."),
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """List a team's imports of statements with their ids: file, account, lines, first and
    last day, and whether the import counts (in-use) or was taken out (undone)."""
    from ..render import listings

    to = out(fmt, output)
    found, problems = ledger().statement_imports(team)
    warn_problems(problems)
    view = listings.bank_imports([one.record() for one in found])
    emit(redacted(view) if redact else view, to)


@bank_app.command("undo")
def bank_undo(
    team: str = typer.Argument(..., help="The team the statement was imported into."),
    import_id: str = typer.Argument(..., metavar="IMPORT", help="The import's id, like imp-3fa9c1."),
    reason: str = typer.Option(..., "--reason", help="Why, e.g. 'wrong team'."),
    by: str | None = typer.Option(None, "--by", help="Who recorded it."),
) -> None:
    """Take an imported statement out of a team's accounts: its lines no longer count in
    matching, `bank lines`, `reconcile` or as the team's account; the bank file keeps them.

    The undo is a journal line (its id on stdout); `maatwerk void ID --reason TEXT` of that
    line brings the statement back. The ids of imports: `maatwerk bank imports TEAM`.
    """
    done = ledger().undo_import(team, import_id, reason=reason, by=by)
    print_lines(done.id)
    notice(tr("{id}: import {import_id} of {source} taken out of team {team} ({n:plural:bank line|bank lines}, "
            "{first:date} to {last:date}); bring it back with: maatwerk void {id} --reason TEXT",
            id=done.id, import_id=done.undone.id, source=done.undone.source, team=done.team,
            n=done.undone.bank_lines, first=done.undone.first, last=done.undone.last))
    if done.links:
        notice(tr("links of its lines to entries left out while it is undone: {n}", n=done.links))


# --------------------------------------------------------------------------- reconcile


@app.command()
def reconcile(
    team: str = typer.Argument(..., help="The team."),
    month: str | None = typer.Option(None, "--month", metavar="YYYY-MM", help="Only this month."),
    check: bool = typer.Option(False, "--check", help="Exit 1 when bank and ledger disagree (for scripts)."),
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """Where the bank statements and the ledger disagree.

    bank_without_entry: a payment on the statement that no card spend or withdrawal
    explains. entry_without_bank: a card spend or withdrawal the imported statements
    do not show. amount_mismatch: the two belong together but the amounts differ.
    not_on_a_statement_yet: a card spend or withdrawal after the last imported statement
    (or in its last 3 days, or on days no statement covers). not_covered: days of --month
    (or between two accounts' statements) that no imported statement covers, from date to
    until. Under the table: per account, the days its statements cover (first to last bank
    line). Invoices and cash spends are not expected on the statement. With --check the
    command exits 1 when it finds anything (0 only when every day looked at is covered and
    nothing is open), for a cron job.
    """
    from ..render import listings

    to = out(fmt, output)
    period = parse_month(month) if month else None
    lg = ledger()
    found = lg.reconcile(team, period)
    human = to.format not in ("json", "csv")  # scripts read the descriptions in English
    view = listings.reconcile([listings.mismatch_record(m, human) for m in found], lg.statement_coverage(team))
    emit(redacted(view) if redact else view, to)
    if check and found:
        raise SystemExit(ExitStatus.FINDINGS)
