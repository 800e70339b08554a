"""Commands for the cash box and the team's bank account: ``cash``, ``import bank``,
``bank`` and ``reconcile``.

The work is done in :mod:`maatwerk_cli.ops.cash` and :mod:`maatwerk_cli.ops.bank`; this module
parses the user's text and prints.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer

from ..core.dates import parse_date, parse_month
from ..core.errors import InputError
from ..core.money import format_eur, format_plain, parse_amount
from ..render.output import emit
from .app import ExitStatus, app, ledger, warn, warn_problems
from .clerk import LENIENT, import_app
from .options import FormatOpt, OutputOpt, RedactOpt, out, redacted

cash_app = typer.Typer(
    help="The cash box (kasgeld): withdrawals, what is on hand, settling the remainder.",
    no_args_is_help=True,
)
app.add_typer(cash_app, name="cash")
bank_app = typer.Typer(
    help="Imported bank lines: list them, explain a payment that has no entry.",
    no_args_is_help=True,
)
app.add_typer(bank_app, name="bank")

BANK_FORMATS = "auto, ing, rabobank, abnamro, knab, asn, sns, regiobank, bunq, triodos, camt053 or mt940"


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
    from ..ops.cash import NOTE_STEP, cash_on_hand, withdraw
    from ..ops.record import find
    from .clerk import _fmt, echo, print_id

    out_fmt = _fmt(fmt)
    value = parse_amount(amount)
    when = parse_date(date, allow_future=allow_future, allow_flag="--allow-future") if date else None
    lg = ledger()
    row_id = withdraw(lg, team, value, date=when, note=note, by=by, bank_line=bank_line)
    if value % NOTE_STEP:
        warn(f"{format_eur(value)} is not a multiple of {format_eur(NOTE_STEP)}, as cash machines "
             "pay out; recorded anyway, check the receipt")
    slug = row_id.rsplit("-", 2)[0]
    print_id(row_id, out_fmt)
    got = find(lg.folder, row_id)  # the date as recorded (a bank line's, or today)
    echo(row_id, "cash withdrawal", team=slug, amount=value, method="pin",
         date=got.folded.book.line_day(got.line),
         more=f"cash on hand {format_eur(cash_on_hand(lg.folder, slug))}")


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
    from ..ops.cash import cash_status
    from ..render import listings

    to = out(fmt, output)
    day = parse_date(as_of, what="--as-of", allow_future=True) if as_of else None
    records = [s.record() for s in cash_status(ledger(), [team] if team else None, day)]
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
    from ..ops.cash import settle

    if deposit == write_off:
        raise InputError("say how to settle: --deposit (back into the account) or --write-off")
    when = parse_date(date) if date else None
    done = settle(ledger(), team, "deposit" if deposit else "write-off", date=when, reason=reason, by=by)
    verb = "deposited" if done.method == "deposit" else "written off"
    print(f"{done.id}  {format_eur(done.amount)} {verb}; the cash box of {done.team} is empty")


# --------------------------------------------------------------------------- bank import


def _line_text(line: Any) -> str:
    return f"{line.date.strftime('%d-%m-%Y')}  {format_eur(line.amount):>12}  {line.description[:60]}"


def _line_json(line: Any, **more: str) -> dict[str, Any]:
    return {"ref": line.ref, "date": line.date.isoformat(), "amount": line.amount,
            "direction": line.direction, "description": line.description, **more}


_EXACT = re.compile(r'"\\u0000(-?[0-9]+\.[0-9]{2})\\u0000"')


def _json_exact(data: Any) -> str:
    """JSON with money as exact numbers with two decimals (18.95, 1000.00), as listings write it."""

    def mark(value: object) -> str:
        if isinstance(value, Decimal):
            return f"\0{format_plain(value)}\0"  # a marker json.dumps escapes; swapped below
        raise TypeError(type(value).__name__)

    return _EXACT.sub(r"\1", json.dumps(data, ensure_ascii=False, indent=1, default=mark))


#: Lines listed as imported from another download before the summary says how many more.
_LISTED = 10


@import_app.command("bank")
def import_bank(
    file: Path = typer.Argument(..., help="The statement: CSV, TAB, XLSX, camt.053 XML or MT940."),
    team: str = typer.Option(..., "--team", help="The team whose card account this is."),
    bank_format: str = typer.Option("auto", "--format", "-f", metavar="FORMAT",
                                    help=f"Statement format: {BANK_FORMATS} (auto reads the content)."),
    account: str | None = typer.Option(
        None, "--account", metavar="IBAN", help="The team's account, when the file holds several."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would happen; write nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
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
    """
    from ..formats.bank import FORMAT_NAMES
    from ..ops.bank import import_statement

    fmt = bank_format.strip().lower()
    result = import_statement(ledger(), file, team, fmt=fmt, account=account, dry_run=dry_run)
    warn_problems(result.problems)
    debits = sum(1 for s in result.added if s.direction == "debit")
    if as_json:
        print(_json_exact({
            "team": result.team, "format": result.format, "source": result.source,
            "dry_run": result.dry_run, "added": len(result.added), "added_debits": debits,
            "added_credits": len(result.credits), "already_imported": result.known,
            "linked": [_line_json(line, id=target) for line, target in result.linked],
            "open": [_line_json(line) for line in result.open],
            "credits": [_line_json(line) for line in result.credits],
            "layout": result.layout, "note": result.note,
            "from_other_download": [_line_json(line) for line in result.elsewhere],
        }))
        return
    would = "would add" if dry_run else "added"
    print(f"{result.layout or FORMAT_NAMES.get(result.format, result.format)} {result.source} for "
          f"{result.team}: {would} {len(result.added)} line(s) ({debits} payments, "
          f"{len(result.credits)} credits); {result.known} already imported")
    if result.note:
        print(f"note: {result.note}")
    if result.elsewhere:
        print(f"already imported from another download of these days ({len(result.elsewhere)}, "
              "same date and amount under another reference):")
        for line in result.elsewhere[:_LISTED]:
            print(f"  {_line_text(line)}")
        if len(result.elsewhere) > _LISTED:  # a whole month again in another format: all in --json
            print(f"  ... and {len(result.elsewhere) - _LISTED} more (--json lists them all)")
    if result.linked:
        print(f"{'would link' if dry_run else 'linked'} {len(result.linked)}:")
        for line, target in result.linked:
            print(f"  {_line_text(line)}  -> {target}")
    if result.credits:
        print(f"money in ({len(result.credits)}), needs no entry:")
        for line in result.credits:
            print(f"  {_line_text(line)}")
    if result.open:
        print(f"open: {len(result.open)} payment(s) without an entry:")
        for line in result.open:
            print(f"  {_line_text(line)}  ref {line.ref}")
        first = result.open[0]
        amount = format_eur(first.amount, symbol=False)
        print(f"complete them with: maatwerk spend {result.team} {amount} -c CATEGORY --bank-line "
              f"{first.ref}\n  (a cash withdrawal: maatwerk cash withdraw {result.team} {amount} "
              f"--bank-line REF; no entry at all: maatwerk bank explain {result.team} REF --reason TEXT)")
    if dry_run:
        print("dry run: nothing was written")


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
    from ..ops.bank import bank_lines
    from ..render import listings

    to = out(fmt, output)
    records, problems = bank_lines(ledger(), team, open_only=open_only)
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
    from ..ops.bank import explain_bank_line

    print(explain_bank_line(ledger(), team, ref, reason=reason, by=by))


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
    Invoices and cash spends are not expected on the statement. With --check the command
    exits 1 when it finds anything (0 when bank and ledger agree), for a cron job.
    """
    from ..ops.bank import mismatch_record
    from ..ops.bank import reconcile as run_reconcile
    from ..render import listings

    to = out(fmt, output)
    period = parse_month(month) if month else None
    found = run_reconcile(ledger(), team, period)
    view = listings.reconcile([mismatch_record(m) for m in found], to.format)
    emit(redacted(view) if redact else view, to)
    if check and found:
        raise SystemExit(ExitStatus.FINDINGS)
