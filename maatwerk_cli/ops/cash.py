"""The cash box (kasgeld) of a team: withdrawals, cash spends and settling the remainder.

A team manager takes cash from the team's card account at a cash machine (a ``withdraw``
row), pays residents from it (ordinary ``spend`` rows with method ``contant``), and ends
what is left over (a ``settle`` row): put back into the account (``deposit``) or, for a
small remainder, written off (``write-off``).

How it counts (the user documentation's cash-and-bank page says the same)::

    cash_on_hand = withdrawn - cash spends (not voided) - written off - deposited

For utilisation, money leaves the budget when it is spent: a cash spend counts on its own
date like any other spend, and a written-off remainder counts as spent on the date it was
written off. A withdrawal only moves money from the account into the box, and a deposit
moves it back: neither counts. Every figure here is a view of the fold
(:mod:`maatwerk_cli.core.fold`): a voided spend, withdrawal or settlement does not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.dates import today
from ..core.errors import InputError, LedgerError, Problem
from ..core.messages import Msg, Opt, msg
from ..core.money import format_plain
from ..core.privacy import guard
from ..core.records import Settings, Team
from ..core.text import clean_text
from ..store.journal import extra_text
from ..store.toml import toml_amount
from .base import folder_of, team_slug

if TYPE_CHECKING:
    import pandas as pd

    from ..core.fold import Book
    from ..store.folder import LedgerFolder

#: A remainder up to this amount may be written off unless ``[cash] write_off_limit`` says otherwise.
WRITE_OFF_DEFAULT = Decimal("10")
#: How a remainder is ended: back into the card account, or written off as spent.
SETTLE_METHODS = ("deposit", "write-off")
#: Cash machines hand out notes; an amount that is not a multiple of this is probably a typo.
NOTE_STEP = Decimal("10")

CASH_FIELDS = ("team", "cash_on_hand", "withdrawn", "spent_cash", "written_off", "deposited")


@dataclass(frozen=True, slots=True)
class CashStatus:
    """The cash box of one team.

    team: the team's slug.
    cash_on_hand: what should be in the box now: withdrawn - spent_cash - written_off - deposited.
    withdrawn: cash taken from the card account.
    spent_cash: cash spends that are not voided.
    written_off: remainders written off (these count as spent for utilisation).
    deposited: remainders put back into the card account.
    """

    team: str
    cash_on_hand: Decimal
    withdrawn: Decimal
    spent_cash: Decimal
    written_off: Decimal
    deposited: Decimal

    def record(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CASH_FIELDS}


def _cents(value: int) -> Decimal:
    return Decimal(int(value)).scaleb(-2).quantize(Decimal("0.01"))


def tally(book: Book, as_of: dt.date | None = None) -> CashStatus:
    """The cash box of one journal's book; with ``as_of``, only rows dated up to then.

    A voided cash spend never counted, whenever it was voided: the money went back into
    the box (or was never taken out of it).
    """
    from ..core.lines import day_number

    box = book.cash(day_number(as_of) if as_of is not None else None)
    return CashStatus(
        team=book.team,
        cash_on_hand=_cents(box.on_hand),
        withdrawn=_cents(box.withdrawn),
        spent_cash=_cents(box.spent),
        written_off=_cents(box.written_off),
        deposited=_cents(box.deposited),
    )


@dataclass
class CashBatch:
    """Cash spends checked but not written yet: a bulk import checks each row against what
    the box holds after the earlier rows of the same import. ``books``: per team, its
    journal folded with those rows."""

    books: dict[str, Book] = field(default_factory=dict)


def cash_on_hand(folder: LedgerFolder, slug: str) -> Decimal:
    """What is in a team's cash box now, whatever the dates of the rows."""
    return tally(folder.book(slug).book).cash_on_hand


def require_cash(folder: LedgerFolder, slug: str, cells: Mapping[str, str], amount: Decimal,
                 batch: CashBatch | None = None) -> None:
    """Refuse a cash spend the box cannot pay (the journal folded with it, and with the
    earlier ones of ``batch``, would have less than nothing on hand); the message says how
    to go on."""
    from ..core.fold import fold_with

    earlier = batch.books.get(slug) if batch is not None else None
    line = {k: v for k, v in cells.items() if not k.startswith("_")}
    book = fold_with(earlier or folder.book(slug).book, [line])
    after = book.cash().on_hand
    if after < 0:
        have = _cents(after) + amount
        raise InputError(msg("cash.not_enough", team=slug, have=have, amount=amount))
    if batch is not None:
        batch.books[slug] = book


def check_spend_source(
    folder: LedgerFolder,
    cells: dict[str, str],
    amount: Decimal,
    *,
    bank_line: str | None = None,
    date_given: bool = True,
    batch: CashBatch | None = None,
) -> None:
    """Where a spend's money comes from, checked before it is written.

    A cash spend (``contant``) must fit in the cash box; a spend completing an open bank
    line (``bank_line``) must match it, and gets its reference (and, unless a date was
    given, its date). Changes ``cells`` in place. The caller holds the folder lock when
    it writes the spend, so the figures cannot change in between.
    """
    import json

    slug = cells["_team"]
    if bank_line:
        if cells["method"] == "contant":
            raise InputError(msg("cash.spend_not_on_statement", team=slug, option=Opt("bank-line")))
        from .bank import claim_bank_line

        line = claim_bank_line(folder, slug, bank_line, amount, what="spend")
        extra: dict[str, Any] = json.loads(cells["extra"]) if cells.get("extra") else {}
        extra["bank_ref"] = line.ref
        cells["extra"] = extra_text(extra)
        if not date_given:
            cells["date"] = line.date.isoformat()
    if cells["method"] == "contant":
        require_cash(folder, slug, cells, amount, batch)


def write_off_limit(settings: Settings, team: Team) -> Decimal:
    """The largest remainder that may be written off: the team file's ``[cash]``, else the settings'."""
    for raw, where in ((team.raw, f"teams/{team.slug}.toml"), (settings.raw, "maatwerk.toml")):
        section = raw.get("cash", {})
        if isinstance(section, Mapping) and "write_off_limit" in section:
            value = toml_amount(section["write_off_limit"], f"{where}: [cash] write_off_limit")
            if value < 0:
                raise LedgerError(msg("cash.negative_write_off_limit", where=where))
            return value
    return WRITE_OFF_DEFAULT


# ---------------------------------------------------------------------------- recording


def withdraw(
    ledger: Any,
    team: str,
    amount: Decimal,
    *,
    date: dt.date | None = None,
    note: str | None = None,
    by: str | None = None,
    bank_line: str | None = None,
) -> str:
    """Record cash taken from the team's card account; return the row's id.

    ``bank_line`` links the withdrawal to an open line of an imported bank statement
    (and, without ``date``, takes its date).
    """

    folder = folder_of(ledger)
    slug = team_slug(folder, team)
    if amount <= 0:
        raise InputError(msg("cash.withdrawal_not_positive"))
    text = clean_text(note, "note")
    guard({"note": text, "by": clean_text(by, "by", limit=100)})
    with folder.lock():
        extra: dict[str, Any] = {}
        when = date or today()
        if bank_line:
            from .bank import claim_bank_line

            line = claim_bank_line(folder, slug, bank_line, amount, what="withdrawal")
            extra["bank_ref"] = line.ref
            when = date or line.date
        cells = {
            "type": "withdraw",
            "date": when.isoformat(),
            "amount": format_plain(amount),
            "method": "pin",
            "note": text,
            "by": clean_text(by, "by", limit=100),
            "extra": extra_text(extra),
        }
        return folder.append(slug, [cells])[0]


@dataclass(frozen=True, slots=True)
class Settlement:
    """What ``settle`` recorded.

    id: the settle row's id; team: the team's slug.
    method: ``deposit`` or ``write-off``; amount: the remainder that was ended.
    """

    id: str
    team: str
    method: str
    amount: Decimal


def settle(
    ledger: Any,
    team: str,
    method: str,
    *,
    date: dt.date | None = None,
    reason: str | None = None,
    by: str | None = None,
) -> Settlement:
    """End the whole remainder in the cash box: deposit it, or write it off (up to the limit)."""
    from ..core.lines import day

    if method not in SETTLE_METHODS:
        raise InputError(msg("cash.unknown_settle", method=repr(method), choices=SETTLE_METHODS))
    folder = folder_of(ledger)
    slug = team_slug(folder, team)
    t = folder.load_team(slug)
    limit = write_off_limit(folder.settings, t)
    why = clean_text(reason, "reason")
    guard({"reason": why, "by": clean_text(by, "by", limit=100)})
    with folder.lock():
        book = folder.book(slug).book
        have = tally(book).cash_on_hand
        if have < 0:
            raise InputError(msg("cash.settle_below_zero", team=slug, have=have))
        if have == 0:
            raise InputError(msg("cash.settle_empty", team=slug))
        if method == "write-off" and have > limit:
            raise InputError(msg("cash.write_off_over_limit", have=have, limit=limit, team=slug,
                                 option=Opt("deposit")))
        when = date or today()
        import numpy as np

        # Cash spends voided later count too: they were paid from the box on their day.
        days = np.concatenate([book.moves("withdraw", "settle").date, book.dates()[book.method_is("contant")]])
        last = day(int(days.max())) if len(days) else None
        if last is not None and when < last:
            raise InputError(msg("cash.settle_before_last", date=when.isoformat(), team=slug,
                                 last=last.isoformat()))
        cells = {
            "type": "settle",
            "date": when.isoformat(),
            "amount": format_plain(have),
            "method": method,
            "reason": why,
            "by": clean_text(by, "by", limit=100),
        }
        row_id = folder.append(slug, [cells])[0]
    return Settlement(row_id, slug, method, have)


# ---------------------------------------------------------------------------- reading


def cash_status(
    ledger: Any, teams: Sequence[str] | None = None, as_of: dt.date | None = None
) -> list[CashStatus]:
    """The cash box of each team (default: all), from rows dated up to ``as_of`` (default: all)."""
    folder = folder_of(ledger)
    _ = folder.settings  # a damaged maatwerk.toml is reported before any figure
    folder.require()
    slugs = [team_slug(folder, t) for t in teams] if teams else folder.team_slugs()
    books = folder.books(slugs)
    return [tally(books[slug].book, as_of) for slug in slugs]


def cash_frame(ledger: Any, teams: Sequence[str] | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """:func:`cash_status` as a DataFrame; money as integer cents (``*_cents`` columns)."""
    import pandas as pd

    records = []
    for status in cash_status(ledger, teams, as_of):
        rec: dict[str, Any] = {"team": status.team}
        for name in CASH_FIELDS[1:]:
            rec[f"{name}_cents"] = int(getattr(status, name) * 100)
        records.append(rec)
    columns = ["team", *(f"{n}_cents" for n in CASH_FIELDS[1:])]
    frame: pd.DataFrame = pd.DataFrame(records, columns=columns).astype({c: "int64" for c in columns[1:]})
    return frame


# ---------------------------------------------------------------------------- checks


def check_cash(book: Book, name: str) -> list[Problem]:
    """``maatwerk check``: withdraw and settle rows are well formed; the box never goes below zero.

    The running total follows the order of recording (file order), which is the order in
    which the cash spend refusal saw it. Voided lines never happened, as for
    :func:`tally`: a voided withdrawal and the cash spends voided with it count nowhere.
    """
    from ..core.fold import CASH_MOVES

    out: list[Problem] = []
    moves = book.cash_moves()
    if not len(moves.at):
        return out
    rows = book.rows(moves.at)
    negative = False
    for kind, amount, balance, row in zip(moves.kind.tolist(), moves.cents.tolist(),
                                          moves.balance().tolist(), rows, strict=True):
        what = CASH_MOVES[kind]
        found: list[Msg] = []
        if what == "withdraw" and amount <= 0:
            found.append(msg("cash.withdrawal_without_amount"))
        elif what in ("deposit", "write-off"):
            if row.method not in SETTLE_METHODS:
                found.append(msg("cash.unknown_settle_method", method=repr(row.method), choices=SETTLE_METHODS))
            if amount <= 0:
                found.append(msg("cash.settlement_without_amount"))
        if balance < 0 and not negative:
            found.append(msg("cash.box_below_zero", team=book.team, amount=_cents(balance)))
        out.extend(Problem(name, row.line, str(msg("check.line", id=row.id, message=m))) for m in found)
        negative = balance < 0
    return out
