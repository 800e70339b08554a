"""What the recording operations are asked to do, as one value each: the request objects.

A request holds already-read values (``Decimal`` amounts, ``date`` dates) and says nothing
about where they came from: the command line fills one from its options, a script from
its own data, and :class:`~maatwerk_cli.ledger.Ledger` hands it to the operation. Each
field is documented here, once.

This module imports nothing but the standard library's light modules: the clerk's
``spend`` builds a request before anything heavy is loaded. The other commands' requests
are in :mod:`maatwerk_cli.ops.other_requests` and importable from here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .other_requests import (
        AmendRequest,
        AnonymiseRequest,
        ImportBankRequest,
        ImportEntriesRequest,
        MarkRequest,
        RefuseRequest,
        RepayRequest,
        SettleRequest,
        VoidRequest,
        WithdrawRequest,
    )

__all__ = ["MARKS", "MARK_KINDS", "OTHER_REQUESTS", "AmendRequest", "AnonymiseRequest", "ImportBankRequest",
           "ImportEntriesRequest", "MarkRequest", "RefuseRequest", "RepayRequest", "SettleRequest",
           "SpendRequest", "VoidRequest", "WithdrawRequest", "ids_of"]

#: What ``mark`` can say about an entry (Dutch spellings of the kinds included).
MARK_KINDS = ("loan", "lening", "gift", "conditional", "voorwaardelijk")
MARKS = (*MARK_KINDS, "tegenprestatie", "outcome", "recovered")


@dataclass(frozen=True)
class SpendRequest:
    """A spend to record (``maatwerk spend``).

    team: the team that pays (its slug, any case); amount: more than zero.
    category: one of the ledger's categories (any case, a unique start is enough).
    method: ``pin`` (card), ``factuur`` (invoice) or ``contant`` (cash).
    date: the day paid (default: today; a bank line's date with ``bank_line``).
    requested: the day the request came, on or before ``date`` (default: the same day).
    household: a pseudonymous household code (checked against ``household_pattern``).
    note: the story in a few words, no names.
    kind: ``gift``, ``loan`` or ``conditional``; due: a loan's repayment date;
    condition: what a conditional grant depends on.
    tegenprestatie: what the resident does in return; tegenprestatie_status: how it stands
    (``proposed``, ``agreed``, ``done``, ``not-possible``).
    by: who decided; reason: why a rule of thumb is overridden; second_opinion: who agreed.
    allow_personal_data: record text that holds personal data anyway (and say so).
    extra: more fields for the journal's ``extra`` cell.
    bank_line: the open line of an imported statement this spend is (its ref or its start).
    receipt: a file that proves the spend (a PDF or an image), kept in the ledger folder.
    """

    team: str
    amount: Decimal
    category: str
    method: str = "pin"
    date: dt.date | None = None
    requested: dt.date | None = None
    household: str | None = None
    note: str | None = None
    kind: str = "gift"
    due: dt.date | None = None
    condition: str | None = None
    tegenprestatie: str | None = None
    tegenprestatie_status: str = "agreed"
    by: str | None = None
    reason: str | None = None
    second_opinion: str | None = None
    allow_personal_data: bool = False
    extra: Mapping[str, Any] | None = None
    bank_line: str | None = None
    receipt: str | os.PathLike[str] | None = None

    def options(self) -> dict[str, Any]:
        """The keyword arguments of :func:`maatwerk_cli.ops.record.record_spend`."""
        return {"category": self.category, "method": self.method, "date": self.date,
                "requested": self.requested, "household_code": self.household, "note": self.note,
                "kind": self.kind, "due": self.due, "condition": self.condition,
                "tegenprestatie": self.tegenprestatie, "tegenprestatie_status": self.tegenprestatie_status,
                "by": self.by, "reason": self.reason, "second_opinion": self.second_opinion,
                "allow_personal_data": self.allow_personal_data, "extra": self.extra,
                "bank_line": self.bank_line, "receipt": self.receipt}


#: The requests of the other commands: in :mod:`maatwerk_cli.ops.other_requests`, built on
#: first use (``spend`` never needs them).
OTHER_REQUESTS = ("RepayRequest", "AmendRequest", "MarkRequest", "RefuseRequest", "VoidRequest",
                  "AnonymiseRequest", "WithdrawRequest", "SettleRequest", "ImportEntriesRequest",
                  "ImportBankRequest")


def __getattr__(name: str) -> Any:
    if name in OTHER_REQUESTS:
        from . import other_requests

        return getattr(other_requests, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def ids_of(ids: str | Sequence[str]) -> tuple[str, ...]:
    """One id or several, as the tuple a :class:`VoidRequest` holds."""
    return (ids,) if isinstance(ids, str) else tuple(ids)
