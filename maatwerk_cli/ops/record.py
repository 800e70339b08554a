"""Recording: spends, the events that change them later, and refusals.

Every function takes a :class:`~maatwerk_cli.store.folder.LedgerFolder` and already-parsed
values (``Decimal``, ``date``); nothing is written when anything is wrong. An event is
checked against the entry's state as the fold gives it, read under the folder lock, so
two clerks cannot both repay the last euro.

A card payment or an invoice never reads the journal: recording it costs the same on ten
entries or a million. A cash spend reads its team's journal (the cash box must hold it),
and so does a spend that completes a bank line, or names a household when the ledger has
household rules of thumb.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.dates import today
from ..core.errors import InputError, NotFoundError
from ..core.money import format_eur, format_plain
from ..core.privacy import guard, household
from ..core.records import KINDS, METHODS, OUTCOMES, TEGENPRESTATIE_STATUSES, Entry, split_id
from ..core.text import clean_text, resolve_category
from ..store.journal import extra_text
from .base import team_slug

if TYPE_CHECKING:
    from ..store.books import Folded
    from ..store.folder import LedgerFolder
    from .cash import CashBatch
    from .rules import SpendRules


@dataclass(frozen=True, slots=True)
class Found:
    """An id found in its journal: the folded journal, the line's index, the entry's index
    (-1 when the line is not a spend)."""

    folded: Folded
    line: int
    entry: int


def find(folder: LedgerFolder, entry_id: str) -> Found:
    """The line with this id (``noord-2025-0042``), read now."""
    folder.require()
    key = entry_id.strip().lower()
    try:
        slug, _, _ = split_id(key)
    except ValueError:
        raise InputError(
            f"{entry_id!r} is not an entry id; ids look like noord-2025-0042 "
            "(`maatwerk entries` lists them)"
        ) from None
    if not folder.has_team(slug):
        raise NotFoundError(f"no entry {entry_id!r}: there is no team {slug!r}")
    folded = folder.book(slug)
    at = folded.book.find(key)
    if at is None:
        raise NotFoundError(f"no entry {entry_id!r} in team {slug!r}")
    return Found(folded, at, int(folded.book.entry_of[at]) if folded.book.lines.type[at] == 0 else -1)


def find_entry(folder: LedgerFolder, entry_id: str) -> tuple[Folded, int]:
    """The spend with this id: its folded journal and its entry index."""
    got = find(folder, entry_id)
    if got.entry < 0:
        from ..core.lines import TYPES

        kind = TYPES[int(got.folded.book.lines.type[got.line])]
        raise InputError(f"{entry_id.strip().lower()} is a {kind} line, not a spend")
    return got.folded, got.entry


# ---------------------------------------------------------------------------- spends


def spend_cells(
    folder: LedgerFolder,
    team: str,
    amount: Decimal,
    *,
    category: str,
    method: str = "pin",
    date: dt.date | None = None,
    requested: dt.date | None = None,
    household_code: str | None = None,
    note: str | None = None,
    kind: str = "gift",
    due: dt.date | None = None,
    condition: str | None = None,
    tegenprestatie: str | None = None,
    tegenprestatie_status: str = "agreed",
    by: str | None = None,
    reason: str | None = None,
    second_opinion: str | None = None,
    allow_personal_data: bool = False,
    extra: Mapping[str, Any] | None = None,
    bank_line: str | None = None,
    rules: SpendRules | None = None,
    cash: CashBatch | None = None,
) -> dict[str, str]:
    """Validate a spend and return its journal cells (with ``_team``); writes nothing.

    ``requested``: the day the request came, on or before the spend's date (kept in the
    ``extra`` cell; without it the request counts as made on the day of the spend).

    ``rules`` and ``cash``: checkers shared by the rows of one import (the journals are
    read once, and earlier rows count for later ones).
    """
    slug = team_slug(folder, team)
    if amount <= 0:
        raise InputError("a spend must be more than € 0,00")
    if method not in METHODS:
        raise InputError(f"method {method!r} is not one of: {', '.join(METHODS)}")
    if kind not in KINDS:
        raise InputError(f"kind {kind!r} is not one of: {', '.join(KINDS)}")
    if due is not None and kind != "loan":
        raise InputError("--due is for loans; add --kind loan")
    cond = clean_text(condition, "condition")
    if cond and kind != "conditional":
        raise InputError("--condition is for conditional grants; add --kind conditional")
    if kind == "conditional" and not cond:
        raise InputError("a conditional grant needs --condition: what must the resident do?")
    if tegenprestatie_status not in TEGENPRESTATIE_STATUSES:
        raise InputError(
            f"status {tegenprestatie_status!r} is not one of: {', '.join(TEGENPRESTATIE_STATUSES)}"
        )
    when = date or today()
    if due is not None and due < when:
        raise InputError("the due date is before the spend's date")
    if requested is not None and requested > when:
        _late_request(requested, when)
    texts = {
        "note": clean_text(note, "note"),
        "condition": cond,
        "tegenprestatie": clean_text(tegenprestatie, "tegenprestatie"),
        "reason": clean_text(reason, "reason"),
    }
    guard(texts, allow_personal_data)
    more: dict[str, Any] = dict(extra or {})
    if second_opinion:
        more["second_opinion"] = clean_text(second_opinion, "second opinion", limit=100)
    if allow_personal_data:
        more["personal_data_allowed"] = True
    if requested is not None:
        more["requested"] = requested.isoformat()
    cells = {
        "_team": slug,
        "type": "spend",
        "date": when.isoformat(),
        "amount": format_plain(amount),
        "category": resolve_category(category, folder.settings.categories),
        "method": method,
        "kind": kind,
        "household": household(household_code),
        "due": due.isoformat() if due else "",
        "condition": cond,
        "tegenprestatie": texts["tegenprestatie"],
        "status": tegenprestatie_status if texts["tegenprestatie"] else "",
        "note": texts["note"],
        "reason": texts["reason"],
        "by": clean_text(by, "by", limit=100),
        "extra": extra_text(more),
    }
    if method == "contant" or bank_line:
        # Cash must be in the box; a bank line must be open and match. Only these read
        # the journal: a card payment costs the same on any size of ledger.
        from .cash import check_spend_source

        check_spend_source(folder, cells, amount, bank_line=bank_line, date_given=date is not None,
                           batch=cash)
        paid = dt.date.fromisoformat(cells["date"])  # a bank line gives its own date
        if requested is not None and requested > paid:
            _late_request(requested, paid)
    # Rules of thumb come last: a hit says how to go on, so other mistakes go first.
    from .rules import check_spend

    check_spend(folder, cells, reason=texts["reason"], second_opinion=more.get("second_opinion", ""),
                checker=rules)
    return cells


def _late_request(requested: dt.date, paid: dt.date) -> None:
    raise InputError(f"the request date {requested:%d-%m-%Y} is after the payment date {paid:%d-%m-%Y}; "
                     "a request comes before the payment, or on the same day")


def spend(folder: LedgerFolder, team: str, amount: Decimal, **options: Any) -> str:
    """Record a spend (see :func:`spend_cells` for the options); return its id."""
    # A cash spend or a bank line is checked against the journal: hold the lock from that
    # check to the write. Card payments skip this and never read the journal.
    guarded = options.get("method", "pin") == "contant" or bool(options.get("bank_line"))
    with folder.lock() if guarded else contextlib.nullcontext():
        cells = spend_cells(folder, team, amount, **options)
        slug = cells.pop("_team")
        return folder.append(slug, [cells])[0]


# ---------------------------------------------------------------------------- events


def _event(
    folder: LedgerFolder,
    entry_id: str,
    check: Callable[[Entry], dict[str, str] | None],
    cells: dict[str, str],
) -> str:
    """Append one event about an entry, validated against its state under the lock.

    ``check`` raises when the event does not fit the entry, and may return cells to add.
    """
    folder.require()
    with folder.lock():
        folded, index = find_entry(folder, entry_id)
        entry = folded.book.entry(index)
        if entry.voided:
            raise InputError(f"{entry.id} is voided ({entry.void_reason}); nothing to change")
        more = check(entry) or {}
        line = {"date": today().isoformat(), **cells, **more, "ref": entry.id}
        return folder.append(entry.team, [line])[0]


def mark_kind(
    folder: LedgerFolder, entry_id: str, kind: str, *, due: dt.date | None = None,
    condition: str | None = None, by: str | None = None,
) -> str:
    """Make an entry a gift, a loan (optionally with a due date) or a conditional grant."""
    if kind not in KINDS:
        raise InputError(f"kind {kind!r} is not one of: {', '.join(KINDS)}")
    cond = clean_text(condition, "condition")
    if kind == "conditional" and not cond:
        raise InputError("a conditional grant needs --condition: what must the resident do?")
    if kind != "conditional" and cond:
        raise InputError("--condition is for conditional grants")
    if kind != "loan" and due is not None:
        raise InputError("--due is for loans")
    guard({"condition": cond})

    def check(entry: Entry) -> None:
        if due is not None and due < entry.date:
            raise InputError("the due date is before the entry's date")
        if kind == "gift" and entry.repaid > 0:
            raise InputError(f"{entry.id} has repayments; it cannot become a gift")

    return _event(folder, entry_id, check, {
        "type": "kind", "kind": kind, "due": due.isoformat() if due else "", "condition": cond,
        "by": clean_text(by, "by", limit=100),
    })


def mark_tegenprestatie(
    folder: LedgerFolder, entry_id: str, text: str, *, status: str = "agreed", by: str | None = None
) -> str:
    """Record what the resident does in return (tegenprestatie), and how it stands."""
    if status not in TEGENPRESTATIE_STATUSES:
        raise InputError(f"status {status!r} is not one of: {', '.join(TEGENPRESTATIE_STATUSES)}")
    value = clean_text(text, "tegenprestatie")
    if not value:
        raise InputError("say what the tegenprestatie is")
    guard({"tegenprestatie": value})
    return _event(folder, entry_id, lambda e: None, {
        "type": "tegenprestatie", "tegenprestatie": value, "status": status,
        "by": clean_text(by, "by", limit=100),
    })


def mark_outcome(
    folder: LedgerFolder, entry_id: str, outcome: str, *, avoided_cost: Decimal | None = None,
    by: str | None = None,
) -> str:
    """Record whether the case reached its goal, and the cost it avoided (may be negative)."""
    if outcome not in OUTCOMES:
        raise InputError(f"outcome {outcome!r} is not one of: {', '.join(OUTCOMES)}")
    return _event(folder, entry_id, lambda e: None, {
        "type": "outcome", "status": outcome,
        "amount": format_plain(avoided_cost) if avoided_cost is not None else "",
        "by": clean_text(by, "by", limit=100),
    })


def mark_recovered(
    folder: LedgerFolder, entry_id: str, *, pot: str, amount: Decimal | None = None,
    date: dt.date | None = None, by: str | None = None,
) -> str:
    """Record money paid back by the regular provision that should have paid (default: all)."""
    name = clean_text(pot, "pot", limit=200)
    if not name:
        raise InputError("say which provision paid it back, with --from")
    guard({"from": name})
    if amount is not None and amount <= 0:
        raise InputError("the recovered amount must be more than € 0,00")

    def check(entry: Entry) -> dict[str, str]:
        left = entry.amount - entry.repaid - entry.recovered
        value = amount if amount is not None else left
        if left <= 0:
            raise InputError(f"{entry.id} is already fully paid back")
        if value > left:
            raise InputError(
                f"{format_eur(value)} is more than the {format_eur(left)} not yet paid back on {entry.id}"
            )
        if date is not None and date < entry.date:
            raise InputError("the date is before the entry's date")
        return {"amount": format_plain(value)}

    cells = {"type": "recovered", "note": name, "by": clean_text(by, "by", limit=100)}
    if date:
        cells["date"] = date.isoformat()
    return _event(folder, entry_id, check, cells)


def repay(
    folder: LedgerFolder, entry_id: str, amount: Decimal, *, date: dt.date | None = None,
    by: str | None = None,
) -> str:
    """Record a (partial) repayment of a loan or conditional grant; more than owed is refused."""
    if amount <= 0:
        raise InputError("a repayment must be more than € 0,00")

    def check(entry: Entry) -> None:
        if entry.kind == "gift":
            raise InputError(
                f"{entry.id} is a gift; mark it as a loan first (`maatwerk mark {entry.id} loan`)"
            )
        owed = entry.owed()
        if owed <= 0:
            raise InputError(f"{entry.id} is fully repaid")
        if amount > owed:
            raise InputError(
                f"{format_eur(amount)} is more than the {format_eur(owed)} still owed on {entry.id}"
            )
        if date is not None and date < entry.date:
            raise InputError("the repayment date is before the entry's date")

    cells = {"type": "repay", "amount": format_plain(amount), "by": clean_text(by, "by", limit=100)}
    if date:
        cells["date"] = date.isoformat()
    return _event(folder, entry_id, check, cells)


def void(folder: LedgerFolder, entry_id: str, *, reason: str, by: str | None = None) -> str:
    """Cancel an entry with a reason; the original line stays in the journal."""
    text = clean_text(reason, "reason")
    if not text:
        raise InputError("say why the entry is voided, with --reason")
    guard({"reason": text})

    def check(entry: Entry) -> None:
        if entry.repaid > 0 or entry.recovered > 0:
            raise InputError(f"{entry.id} has repayments recorded; it cannot be voided")

    return _event(folder, entry_id, check,
                  {"type": "void", "reason": text, "by": clean_text(by, "by", limit=100)})


def refuse(
    folder: LedgerFolder,
    team: str,
    *,
    reason: str,
    household_code: str | None = None,
    amount: Decimal | None = None,
    category: str | None = None,
    date: dt.date | None = None,
    by: str | None = None,
    allow_personal_data: bool = False,
) -> str:
    """Record a refused request (weigering) with its reason."""
    slug = team_slug(folder, team)
    text = clean_text(reason, "reason")
    if not text:
        raise InputError("say why the request was refused, with --reason")
    guard({"reason": text}, allow_personal_data)
    if amount is not None and amount <= 0:
        raise InputError("the amount asked must be more than € 0,00")
    cells = {
        "type": "refusal",
        "date": (date or today()).isoformat(),
        "amount": format_plain(amount) if amount is not None else "",
        "category": resolve_category(category, folder.settings.categories) if category else "",
        "household": household(household_code),
        "reason": text,
        "by": clean_text(by, "by", limit=100),
        "extra": extra_text({"personal_data_allowed": True} if allow_personal_data else {}),
    }
    return folder.append(slug, [cells])[0]


def append_cells(folder: LedgerFolder, team: str, cells: Sequence[Mapping[str, str]]) -> list[str]:
    """Append prepared journal cells for one team under the lock (for importers)."""
    return folder.append(team_slug(folder, team), cells)
