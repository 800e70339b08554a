"""The request objects of every command but ``spend`` (see :mod:`maatwerk_cli.ops.requests`,
where they are importable from, and where the fields of all of them are introduced).

They live apart so that the clerk's ``spend``, the command run all day, does not build ten
frozen dataclasses it never uses (about 6 ms of a 0.15 s command).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RepayRequest:
    """A (partial) repayment of a loan or conditional grant (``maatwerk repay``).

    entry_id: the spend repaid; amount: more than zero, at most what is still owed;
    date: the day received (default: today); by: who recorded it.
    """

    entry_id: str
    amount: Decimal
    date: dt.date | None = None
    by: str | None = None


@dataclass(frozen=True)
class AmendRequest:
    """A correction of a spend that keeps its id (``maatwerk amend``).

    id: the spend's id; reason: why (needed). The values to correct, ``None`` when not
    corrected: category, note (``""`` clears it), household (``""`` clears it), date,
    method, kind (only while nothing is repaid or recovered; a loan's due date and a
    conditional grant's condition go with it), due, condition, amount (more than zero).
    by: who corrected it. override: a rule of thumb the new values hit is overridden (the
    reason says why). allow_personal_data: as for a spend. receipt: a file that proves the
    spend, given later (or instead of the one recorded).
    """

    id: str
    reason: str
    category: str | None = None
    note: str | None = None
    household: str | None = None
    date: dt.date | None = None
    method: str | None = None
    kind: str | None = None
    due: dt.date | None = None
    condition: str | None = None
    amount: Decimal | None = None
    by: str | None = None
    override: bool = False
    allow_personal_data: bool = False
    receipt: str | os.PathLike[str] | None = None

    def options(self) -> dict[str, Any]:
        """The keyword arguments of :func:`maatwerk_cli.ops.record.amend` (only those given)."""
        given = {"category": self.category, "note": self.note, "household_code": self.household,
                 "date": self.date, "method": self.method, "kind": self.kind, "due": self.due,
                 "condition": self.condition, "amount": self.amount, "receipt": self.receipt}
        return {"reason": self.reason, "by": self.by, "override": self.override,
                "allow_personal_data": self.allow_personal_data,
                **{k: v for k, v in given.items() if v is not None}}


@dataclass(frozen=True)
class MarkRequest:
    """What became of an entry later (``maatwerk mark``).

    entry_id: the spend. what: one of :data:`~maatwerk_cli.ops.requests.MARKS`: a kind (``loan``, ``gift``,
    ``conditional``), ``tegenprestatie``, ``outcome`` or ``recovered``.
    value: the tegenprestatie's text, or the outcome (``reached``, ``partial``, ``not-reached``).
    due: a loan's repayment date; condition: a conditional grant's condition.
    status: the tegenprestatie's status (default ``agreed``).
    avoided_cost: the cost an outcome avoided (may be negative).
    pot: the provision that paid back (``recovered``); amount: how much (default: all);
    date: when it was received (default: today). by: who recorded it.
    """

    entry_id: str
    what: str
    value: str | None = None
    due: dt.date | None = None
    condition: str | None = None
    status: str | None = None
    avoided_cost: Decimal | None = None
    pot: str | None = None
    amount: Decimal | None = None
    date: dt.date | None = None
    by: str | None = None


@dataclass(frozen=True)
class RefuseRequest:
    """A refused request (weigering), kept for learning (``maatwerk refuse``).

    team: the team that refused; reason: why (needed). household: its code; amount: what
    was asked, if known; category: what it was for; date: default today; by: who decided;
    allow_personal_data: record text that holds personal data anyway.
    """

    team: str
    reason: str
    household: str | None = None
    amount: Decimal | None = None
    category: str | None = None
    date: dt.date | None = None
    by: str | None = None
    allow_personal_data: bool = False


@dataclass(frozen=True)
class VoidRequest:
    """Lines to cancel, all or none (``maatwerk void``).

    ids: any lines' ids (spends, events, refusals, cash rows; a void undoes a void).
    reason: why (needed); by: who recorded it. with_events: void a spend's later events
    that stand (repayments, marks, ...) with it. dry_run: only say what would be voided.
    """

    ids: tuple[str, ...]
    reason: str
    by: str | None = None
    with_events: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class AnonymiseRequest:
    """Personal text of old entries replaced (``maatwerk anonymise``).

    before: the cut-off, the first day kept as it is (default: today less
    ``retention_years`` of maatwerk.toml); dry_run: only say what would change;
    by: who did it (recorded in each journal's line about it).
    """

    before: dt.date | None = None
    dry_run: bool = False
    by: str | None = None


@dataclass(frozen=True)
class WithdrawRequest:
    """Cash taken from the team's card account into the cash box (``maatwerk cash withdraw``).

    team: whose card; amount: more than zero; date: default today (a bank line's date with
    ``bank_line``); note: a few words; by: who took it out; bank_line: the open bank line
    this withdrawal is.
    """

    team: str
    amount: Decimal
    date: dt.date | None = None
    note: str | None = None
    by: str | None = None
    bank_line: str | None = None


@dataclass(frozen=True)
class SettleRequest:
    """The cash box's whole remainder ended (``maatwerk cash settle``).

    team: whose box; method: ``deposit`` (back into the account) or ``write-off`` (up to the
    write-off limit); date: default today, not before the last cash movement; reason: a few
    words; by: who settled it.
    """

    team: str
    method: str
    date: dt.date | None = None
    reason: str | None = None
    by: str | None = None


@dataclass(frozen=True)
class ImportEntriesRequest:
    """Spends from a spreadsheet, all rows or none (``maatwerk import entries``).

    path: a CSV (``,`` or ``;``) or XLSX file with a header row. team: the team of every
    row (else the sheet's team column). dry_run: check every row, write nothing.
    allow_future: accept dates after today. again: import rows imported before anyway;
    new_only: import only the rows not imported before.
    """

    path: Path
    team: str | None = None
    dry_run: bool = False
    allow_future: bool = False
    again: bool = False
    new_only: bool = False


@dataclass(frozen=True)
class ImportBankRequest:
    """A team's card account statement to import and link (``maatwerk import bank``).

    path: the statement (CSV, TAB, XLSX, camt.053 or MT940); team: whose account.
    format: the statement's format (``auto`` reads the content; or ``ing``, ``rabobank``,
    ...); account: the team's IBAN when the file holds several; dry_run: write nothing.
    """

    path: Path
    team: str
    format: str = "auto"
    account: str | None = None
    dry_run: bool = False
