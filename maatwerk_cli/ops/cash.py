"""The cash box (kasgeld) of a team: withdrawals, cash spends and settling the remainder.

A team manager takes cash from the team's card account at a cash machine (a ``withdraw``
row), pays residents from it (ordinary ``spend`` rows with method ``contant``), and ends
what is left over (a ``settle`` row): put back into the account (``deposit``) or, for a
small remainder, written off (``write-off``).

How it counts (documented for users in ``docs/cash-and-bank.md``)::

    cash_on_hand = withdrawn - cash spends (not voided) - written off - deposited

For utilisation, money leaves the budget when it is spent: a cash spend counts on its own
date like any other spend, and a written-off remainder counts as spent on the date it was
written off. A withdrawal only moves money from the account into the box, and a deposit
moves it back: neither counts.

This module sits below the library API (:mod:`maatwerk_cli.ledger` calls it when a cash
spend is recorded), so it works on a :class:`~maatwerk_cli.store.storage.LedgerFolder` and takes
a ``Ledger`` only for the public functions, at run time, never by import.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.dates import today
from ..core.errors import InputError, LedgerError, Problem
from ..core.money import ZERO, format_eur, format_plain
from ..core.records import Row, Settings, Team
from ..store.storage import HEADER, LedgerFolder, extra_text, parse_row, toml_amount

if TYPE_CHECKING:
    import pandas as pd

    from ..ledger import Ledger

#: A remainder up to this amount may be written off unless ``[cash] write_off_limit`` says otherwise.
WRITE_OFF_DEFAULT = Decimal("10")
#: How a remainder is ended: back into the card account, or written off as spent.
SETTLE_METHODS = ("deposit", "write-off")
#: Cash machines hand out notes; an amount that is not a multiple of this is probably a typo.
NOTE_STEP = Decimal("10")

CASH_FIELDS = ("team", "cash_on_hand", "withdrawn", "spent_cash", "written_off", "deposited")

# The id and type at the start of a journal line: lets the cash reader skip every other
# line without parsing it as CSV.
_LINE_TYPE = re.compile(rb"^[a-z0-9][a-z0-9-]*-\d{4}-\d{4,},(spend|withdraw|settle|void),")


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


def tally(team: str, rows: Iterable[Row], as_of: dt.date | None = None) -> CashStatus:
    """The cash box from a team's journal rows; with ``as_of``, only rows dated up to then.

    A voided cash spend never counted, whenever it was voided: the money went back into
    the box (or was never taken out of it).
    """
    rows = list(rows)
    voided = {r.ref for r in rows if r.type == "void"}
    withdrawn = spent = written_off = deposited = ZERO
    for r in rows:
        if as_of is not None and r.date > as_of:
            continue
        amount = r.amount or ZERO
        if r.type == "withdraw":
            withdrawn += amount
        elif r.type == "spend" and r.method == "contant" and r.id not in voided:
            spent += amount
        elif r.type == "settle":
            if r.method == "write-off":
                written_off += amount
            else:
                deposited += amount
    return CashStatus(
        team=team,
        cash_on_hand=withdrawn - spent - written_off - deposited,
        withdrawn=withdrawn,
        spent_cash=spent,
        written_off=written_off,
        deposited=deposited,
    )


def cash_rows(folder: LedgerFolder, slug: str) -> list[Row]:
    """The journal rows that move cash: withdrawals, settlements, cash spends and voids.

    Reads the file once but parses only those lines (a card payment never comes here), so
    checking the cash box before a cash spend stays quick on a long journal. Lines that
    fail their checksum are skipped, as every reader does; ``maatwerk check`` reports them.
    """
    path = folder.journal_path(slug)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if not lines or lines[0].rstrip(b"\r") + b"\n" != HEADER.encode():
        return []
    lines.pop()  # b"" after a clean end, else a torn line that was never confirmed
    rows: list[Row] = []
    for number, raw in enumerate(lines[1:], start=2):
        m = _LINE_TYPE.match(raw)
        if not m or (m[1] == b"spend" and b",contant," not in raw):
            continue
        try:
            values = next(csv.reader([raw.decode("utf-8").rstrip("\r")]))
            row = parse_row(values, slug, number)
        except (ValueError, UnicodeDecodeError, csv.Error, StopIteration):
            continue
        if row.type != "spend" or row.method == "contant":
            rows.append(row)
    # A void of a card payment says nothing about cash; keep only voids of cash spends.
    cash_ids = {r.id for r in rows if r.type == "spend"}
    return [r for r in rows if r.type != "void" or r.ref in cash_ids]


# Cash on hand per journal file, kept while the file is unchanged: a bulk import checks
# many cash rows against one read. Journals only grow, so size and mtime tell a change.
_KNOWN: dict[str, tuple[tuple[int, int, int], Decimal]] = {}
# Cash spends checked but not written yet, per team, inside a batch (see ``batch``).
_PENDING: ContextVar[dict[str, Decimal] | None] = ContextVar("maatwerk_cash_pending", default=None)


def cash_on_hand(folder: LedgerFolder, slug: str) -> Decimal:
    """What is in a team's cash box now, whatever the dates of the rows."""
    path = folder.journal_path(slug)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return ZERO
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
    key = os.path.abspath(path)
    known = _KNOWN.get(key)
    if known is not None and known[0] == stamp:
        return known[1]
    value = tally(slug, cash_rows(folder, slug)).cash_on_hand
    _KNOWN[key] = (stamp, value)
    return value


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Check cash spends that are validated first and written together later (a bulk import).

    Inside, each cash spend must fit in what the box holds after the earlier ones of the
    batch; without it each is checked against the journal alone.
    """
    token = _PENDING.set({})
    try:
        yield
    finally:
        _PENDING.reset(token)


def require_cash(folder: LedgerFolder, slug: str, amount: Decimal) -> None:
    """Refuse a cash spend the box cannot pay; the message says how to go on."""
    pending = _PENDING.get()
    earlier = pending.get(slug, ZERO) if pending is not None else ZERO
    have = cash_on_hand(folder, slug) - earlier
    if amount > have:
        raise InputError(
            f"not enough cash for this spend: team {slug} has {format_eur(have)} on hand and the "
            f"spend is {format_eur(amount)}; record the withdrawal first with "
            f"`maatwerk cash withdraw {slug} AMOUNT`, or pay by card or invoice"
        )
    if pending is not None:
        pending[slug] = earlier + amount


def check_spend_source(
    folder: LedgerFolder,
    cells: dict[str, str],
    amount: Decimal,
    *,
    bank_line: str | None = None,
    date_given: bool = True,
) -> None:
    """Where a spend's money comes from, checked before it is written.

    A cash spend (``contant``) must fit in the cash box; a spend completing an open bank
    line (``bank_line``) must match it, and gets its reference (and, unless a date was
    given, its date). Changes ``cells`` in place. The caller holds the folder lock when
    it writes the spend, so the figures cannot change in between.
    """
    slug = cells["_team"]
    if bank_line:
        if cells["method"] == "contant":
            raise InputError(
                "a cash spend is not on the bank statement; link the withdrawal instead with "
                f"`maatwerk cash withdraw {slug} AMOUNT --bank-line REF`"
            )
        from .bank import claim_bank_line

        line = claim_bank_line(folder, slug, bank_line, amount, what="spend")
        extra: dict[str, Any] = json.loads(cells["extra"]) if cells.get("extra") else {}
        extra["bank_ref"] = line.ref
        cells["extra"] = extra_text(extra)
        if not date_given:
            cells["date"] = line.date.isoformat()
    if cells["method"] == "contant":
        require_cash(folder, slug, amount)


def write_off_limit(settings: Settings, team: Team) -> Decimal:
    """The largest remainder that may be written off: the team file's ``[cash]``, else the settings'."""
    for raw, where in ((team.raw, f"teams/{team.slug}.toml"), (settings.raw, "maatwerk.toml")):
        section = raw.get("cash", {})
        if isinstance(section, Mapping) and "write_off_limit" in section:
            value = toml_amount(section["write_off_limit"], f"{where}: [cash] write_off_limit")
            if value < 0:
                raise LedgerError(f"{where}: [cash] write_off_limit cannot be negative")
            return value
    return WRITE_OFF_DEFAULT


# ---------------------------------------------------------------------------- recording


def withdraw(
    ledger: Ledger,
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
    from ..ledger import clean_text, guard_personal_data

    slug = ledger.team(team).slug
    if amount <= 0:
        raise InputError("a withdrawal must be more than € 0,00")
    text = clean_text(note, "note")
    guard_personal_data({"note": text}, False)
    folder = ledger.folder
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
        return folder.append(slug, [cells], locked=True)[0]


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
    ledger: Ledger,
    team: str,
    method: str,
    *,
    date: dt.date | None = None,
    reason: str | None = None,
    by: str | None = None,
) -> Settlement:
    """End the whole remainder in the cash box: deposit it, or write it off (up to the limit)."""
    from ..ledger import clean_text, guard_personal_data

    if method not in SETTLE_METHODS:
        raise InputError(f"settle {method!r} is not one of: {', '.join(SETTLE_METHODS)}")
    t = ledger.team(team)
    limit = write_off_limit(ledger.settings, t)
    why = clean_text(reason, "reason")
    guard_personal_data({"reason": why}, False)
    folder = ledger.folder
    with folder.lock():
        rows = cash_rows(folder, t.slug)
        have = tally(t.slug, rows).cash_on_hand
        if have < 0:
            raise InputError(
                f"nothing to settle: the cash box of {t.slug} is {format_eur(have)}, so more cash "
                "spends than withdrawals were recorded; record the missing withdrawal with "
                f"`maatwerk cash withdraw {t.slug} AMOUNT`"
            )
        if have == 0:
            raise InputError(f"nothing to settle: the cash box of {t.slug} is empty (€ 0,00)")
        if method == "write-off" and have > limit:
            raise InputError(
                f"{format_eur(have)} is more than the {format_eur(limit)} that may be written off "
                f"([cash] write_off_limit); put it back with `maatwerk cash settle {t.slug} --deposit`"
            )
        when = date or today()
        last = max((r.date for r in rows), default=None)
        if last is not None and when < last:
            raise InputError(
                f"the settle date {when.isoformat()} is before the last cash movement of "
                f"{t.slug} ({last.isoformat()}); settle on or after that date"
            )
        cells = {
            "type": "settle",
            "date": when.isoformat(),
            "amount": format_plain(have),
            "method": method,
            "reason": why,
            "by": clean_text(by, "by", limit=100),
        }
        row_id = folder.append(t.slug, [cells], locked=True)[0]
    return Settlement(row_id, t.slug, method, have)


# ---------------------------------------------------------------------------- reading


def cash_status(
    ledger: Ledger, teams: Sequence[str] | None = None, as_of: dt.date | None = None
) -> list[CashStatus]:
    """The cash box of each team (default: all), from rows dated up to ``as_of`` (default: all)."""
    _ = ledger.settings  # a damaged maatwerk.toml is reported before any figure
    slugs = [ledger.team(t).slug for t in teams] if teams else ledger.team_slugs()
    return [tally(slug, cash_rows(ledger.folder, slug), as_of) for slug in slugs]


def cash_frame(
    ledger: Ledger, teams: Sequence[str] | None = None, as_of: dt.date | None = None
) -> pd.DataFrame:
    """:func:`cash_status` as a DataFrame; money as integer cents (``*_cents`` columns)."""
    import pandas as pd

    records = []
    for status in cash_status(ledger, teams, as_of):
        rec: dict[str, Any] = {"team": status.team}
        for name in CASH_FIELDS[1:]:
            rec[f"{name}_cents"] = int(getattr(status, name) * 100)
        records.append(rec)
    columns = ["team", *(f"{n}_cents" for n in CASH_FIELDS[1:])]
    return pd.DataFrame(records, columns=columns).astype({c: "int64" for c in columns[1:]})


# ---------------------------------------------------------------------------- checks


def check_cash(ledger: Ledger, slug: str, rows: Sequence[Row], name: str) -> list[Problem]:
    """``maatwerk check``: withdraw and settle rows are well formed; the box never goes below zero.

    The running total follows the order of recording (file order), which is the order in
    which the cash spend refusal saw it.
    """
    out: list[Problem] = []
    cash_spends: dict[str, Decimal] = {}
    balance = ZERO
    negative = False
    for row in rows:
        amount = row.amount or ZERO
        if row.type == "withdraw":
            if amount <= 0:
                out.append(Problem(name, row.line, f"{row.id}: a withdrawal needs an amount above zero"))
            balance += amount
        elif row.type == "settle":
            if row.method not in SETTLE_METHODS:
                out.append(Problem(name, row.line, f"{row.id}: settle method {row.method!r} is not "
                                                   f"one of: {', '.join(SETTLE_METHODS)}"))
            if amount <= 0:
                out.append(Problem(name, row.line, f"{row.id}: a settlement needs an amount above zero"))
            balance -= amount
        elif row.type == "spend" and row.method == "contant":
            cash_spends[row.id] = amount
            balance -= amount
        elif row.type == "void" and row.ref in cash_spends:
            balance += cash_spends.pop(row.ref)
        else:
            continue
        if balance < 0 and not negative:
            out.append(Problem(
                name, row.line,
                f"{row.id}: the cash box of {slug} goes below zero here ({format_eur(balance)}); "
                "a withdrawal is missing or a cash spend is wrong",
            ))
        negative = balance < 0
    return out
