"""Recording: spends, the events that change them later, and refusals.

Every function takes a :class:`~maatwerk_cli.store.folder.LedgerFolder` and already-parsed
values (``Decimal``, ``date``); nothing is written when anything is wrong. An event is
checked against the entry's state as the fold gives it, read under the folder lock, so
two clerks cannot both repay the last euro.

A card payment or an invoice never reads the journal: recording it costs the same on ten
entries or a million (the plausibility rules take the team's figures from a note the
writers keep, :mod:`.plausible`). A cash spend reads its team's journal (the cash box must
hold it), and so does a spend that completes a bank line, or names a household when the
ledger has household rules of thumb.

Any line can be undone with :func:`void_lines`: a void line refers to it, and the fold
(:mod:`maatwerk_cli.core.fold`) leaves it out from then on; the line itself stays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.dates import today
from ..core.errors import InputError, NotFoundError
from ..core.messages import Msg, Opt, msg
from ..core.money import format_plain
from ..core.privacy import guard, household, household_pattern
from ..core.receipts import RECEIPT
from ..core.records import KINDS, METHODS, OUTCOMES, TEGENPRESTATIE_STATUSES, Entry, split_id
from ..core.text import clean_text, resolve_category
from ..store.journal import extra_text
from .base import team_slug

if TYPE_CHECKING:
    from pathlib import Path

    from ..core.fold import Book
    from ..store.books import Folded
    from ..store.folder import LedgerFolder
    from .cash import CashBatch
    from .receipts import Loaded
    from .rules import SpendRules


@dataclass(frozen=True, slots=True)
class Recorded:
    """A line just written, as the clerk's echo shows it.

    id: its id; team: the team's slug; cells: the journal cells written (without id).
    """

    id: str
    team: str
    cells: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Wording:
    """How messages about a spend name what the user gave: the options of ``maatwerk spend``,
    or the columns of a spreadsheet (``import entries``)."""

    due_not_loan: str | Msg
    condition_not_conditional: str | Msg
    needs_condition: str | Msg
    offer_flag: bool


OPTIONS = Wording(
    due_not_loan=msg("spend.due_not_loan", due=Opt("due"), kind=Opt("kind")),
    condition_not_conditional=msg("spend.condition_not_conditional", condition=Opt("condition"), kind=Opt("kind")),
    needs_condition=msg("spend.needs_condition", condition=Opt("condition")),
    offer_flag=True,
)
COLUMNS = Wording(
    due_not_loan=msg("spend.due_not_loan_column"),
    condition_not_conditional=msg("spend.condition_not_conditional_column"),
    needs_condition=msg("spend.needs_condition_column"),
    offer_flag=False,
)


def household_of(folder: LedgerFolder, code: str | None) -> str:
    """A household code as stored, checked against the ledger's ``household_pattern`` if set."""
    if code is None or not code.strip():
        return ""
    pattern = household_pattern(folder.settings.raw, folder.display(folder.settings_path))
    return household(code, pattern)


@dataclass(frozen=True, slots=True)
class Found:
    """An id found in its journal: the folded journal, the line's index, the entry's index
    (-1 when the line is not a spend)."""

    folded: Folded
    line: int
    entry: int


def find(folder: LedgerFolder, entry_id: str, read: dict[str, Folded] | None = None) -> Found:
    """The line with this id (``noord-2025-0042``), read now (``read``: journals read already
    in this command, by team, so that many ids cost one read per journal)."""
    folder.require()
    key = entry_id.strip().lower()
    try:
        slug, _, _ = split_id(key)
    except ValueError:
        raise InputError(msg("entry.not_an_id", id=repr(entry_id))) from None
    if not folder.has_team(slug):
        raise NotFoundError(msg("entry.no_team", id=repr(entry_id), team=repr(slug)))
    folded = read[slug] if read is not None and slug in read else folder.book(slug)
    if read is not None:
        read[slug] = folded
    at = folded.book.find(key)
    if at is None:
        raise NotFoundError(msg("entry.not_found", id=repr(entry_id), team=repr(slug)))
    book = folded.book
    return Found(folded, at, int(book.entry_of[at]) if book.line_type(at) == "spend" else -1)


def find_entry(folder: LedgerFolder, entry_id: str) -> tuple[Folded, int]:
    """The spend with this id: its folded journal and its entry index."""
    got = find(folder, entry_id)
    if got.entry < 0:
        kind = got.folded.book.line_type(got.line)
        raise InputError(msg("entry.not_a_spend", id=entry_id.strip().lower(), type=kind))
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
    read once, and earlier rows count for later ones); messages then name the
    spreadsheet's columns rather than options.
    """
    slug = team_slug(folder, team)
    words = COLUMNS if rules is not None and rules.columns else OPTIONS
    if amount <= 0:
        raise InputError(msg("spend.not_positive"))
    if method not in METHODS:
        raise InputError(msg("spend.unknown_method", method=repr(method), choices=METHODS))
    if kind not in KINDS:
        raise InputError(msg("spend.unknown_kind", kind=repr(kind), choices=KINDS))
    if due is not None and kind != "loan":
        raise InputError(words.due_not_loan)
    cond = clean_text(condition, "condition")
    if cond and kind != "conditional":
        raise InputError(words.condition_not_conditional)
    if kind == "conditional" and not cond:
        raise InputError(words.needs_condition)
    if tegenprestatie_status not in TEGENPRESTATIE_STATUSES:
        raise InputError(msg("spend.unknown_status", status=repr(tegenprestatie_status),
                             choices=TEGENPRESTATIE_STATUSES))
    when = date or today()
    if due is not None and due < when:
        raise InputError(msg("spend.due_before_date"))
    if requested is not None and requested > when:
        _late_request(requested, when)
    texts = {
        "note": clean_text(note, "note"),
        "condition": cond,
        "tegenprestatie": clean_text(tegenprestatie, "tegenprestatie"),
        "reason": clean_text(reason, "reason"),
        "by": clean_text(by, "by", limit=100),
        "second opinion": clean_text(second_opinion, "second opinion", limit=100),
    }
    guard(texts, allow_personal_data, offer_flag=words.offer_flag)
    more: dict[str, Any] = dict(extra or {})
    if texts["second opinion"]:
        more["second_opinion"] = texts["second opinion"]
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
        "household": household_of(folder, household_code),
        "due": due.isoformat() if due else "",
        "condition": cond,
        "tegenprestatie": texts["tegenprestatie"],
        "status": tegenprestatie_status if texts["tegenprestatie"] else "",
        "note": texts["note"],
        "reason": texts["reason"],
        "by": texts["by"],
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
    raise InputError(msg("spend.request_after_payment", requested=requested, paid=paid))


def spend(folder: LedgerFolder, team: str, amount: Decimal, **options: Any) -> str:
    """Record a spend (see :func:`spend_cells` for the options); return its id."""
    return record_spend(folder, team, amount, **options).id


def record_spend(folder: LedgerFolder, team: str, amount: Decimal, **options: Any) -> Recorded:
    """Record a spend; return it as written (for the clerk's echo)."""
    from .rules import SpendRules

    team_slug(folder, team)  # no folder or no such team: said before the lock is taken
    checker = options.pop("rules", None) or SpendRules(folder)
    given = options.pop("receipt", None)
    loaded = None
    if given is not None:
        from ..core.receipts import RECEIPT
        from .receipts import load

        loaded = load(folder, given)
        options["extra"] = {**(options.get("extra") or {}), RECEIPT: loaded.receipt("").cell()}
    # The cash box, a bank line and the team's figures are checked as the journal is: hold
    # the lock from the checks to the write. A card payment still reads no journal.
    with folder.lock():
        cells = spend_cells(folder, team, amount, rules=checker, **options)
        slug = cells.pop("_team")
        if loaded is None:
            new_id = folder.append(slug, [cells], written=lambda ids: checker.recorded(slug, cells, ids[0]))[0]
        else:
            new_id = _append_with_receipt(folder, slug, cells, loaded, checker)
    return Recorded(new_id, slug, cells)


def _append_with_receipt(folder: LedgerFolder, slug: str, cells: Mapping[str, str], loaded: Loaded,
                         checker: SpendRules) -> str:
    """Append a spend and write its receipt, named by the id it gets: the file first (whole),
    then the line; when the line is not written, the file is taken back."""
    from ..store import receipts as files

    kept: list[Path | None] = []

    def store(ids: list[str]) -> None:
        kept.append(files.put(folder, slug, loaded.receipt(ids[0]).name, loaded.data))

    try:
        return folder.append(slug, [cells], before=store,
                             written=lambda ids: checker.recorded(slug, cells, ids[0]))[0]
    except BaseException:
        for path in kept:
            files.discard(path)
        raise


# ---------------------------------------------------------------------------- events


def _event(
    folder: LedgerFolder,
    entry_id: str,
    check: Callable[[Entry, Callable[[Mapping[str, str]], int]], dict[str, str] | None],
    cells: dict[str, str],
) -> str:
    """Append one event about an entry, validated against its state under the lock.

    ``check`` raises when the event does not fit the entry, and may return cells to add;
    it is given the entry, and what would be paid back beyond its amount with these cells
    appended (the journal folded with them).
    """
    from ..core.fold import fold_with
    from .plausible import carried

    folder.require()
    with folder.lock():
        folded, index = find_entry(folder, entry_id)
        entry = folded.book.entry(index)
        if entry.voided:
            raise InputError(msg("event.entry_voided", id=entry.id, reason=entry.void_reason))

        def overpaid(line: Mapping[str, str]) -> int:
            proposed = {"date": today().isoformat(), **line, "ref": entry.id}
            return int(fold_with(folded.book, [proposed]).overpaid()[index])

        more = check(entry, overpaid) or {}
        line = {"date": today().isoformat(), **cells, **more, "ref": entry.id}
        # Marks, outcomes, repayments and recoveries change no spend or budget figure.
        with carried(folder, entry.team):
            return folder.append(entry.team, [line])[0]


def mark_kind(
    folder: LedgerFolder, entry_id: str, kind: str, *, due: dt.date | None = None,
    condition: str | None = None, by: str | None = None,
) -> str:
    """Make an entry a gift, a loan (optionally with a due date) or a conditional grant."""
    if kind not in KINDS:
        raise InputError(msg("spend.unknown_kind", kind=repr(kind), choices=KINDS))
    cond = clean_text(condition, "condition")
    if kind == "conditional" and not cond:
        raise InputError(OPTIONS.needs_condition)
    if kind != "conditional" and cond:
        raise InputError(msg("mark.condition_not_conditional", condition=Opt("condition")))
    if kind != "loan" and due is not None:
        raise InputError(msg("mark.due_not_loan", due=Opt("due")))
    guard({"condition": cond, "by": clean_text(by, "by", limit=100)})

    def check(entry: Entry, _: object) -> None:
        if due is not None and due < entry.date:
            raise InputError(msg("mark.due_before_entry"))
        if kind == "gift" and entry.repaid > 0:
            raise InputError(msg("mark.gift_with_repayments", id=entry.id))

    return _event(folder, entry_id, check, {
        "type": "kind", "kind": kind, "due": due.isoformat() if due else "", "condition": cond,
        "by": clean_text(by, "by", limit=100),
    })


def mark_tegenprestatie(
    folder: LedgerFolder, entry_id: str, text: str, *, status: str = "agreed", by: str | None = None
) -> str:
    """Record what the resident does in return (tegenprestatie), and how it stands."""
    if status not in TEGENPRESTATIE_STATUSES:
        raise InputError(msg("spend.unknown_status", status=repr(status), choices=TEGENPRESTATIE_STATUSES))
    value = clean_text(text, "tegenprestatie")
    if not value:
        raise InputError(msg("mark.no_tegenprestatie"))
    guard({"tegenprestatie": value, "by": clean_text(by, "by", limit=100)})
    return _event(folder, entry_id, lambda e, _: None, {
        "type": "tegenprestatie", "tegenprestatie": value, "status": status,
        "by": clean_text(by, "by", limit=100),
    })


def mark_outcome(
    folder: LedgerFolder, entry_id: str, outcome: str, *, avoided_cost: Decimal | None = None,
    by: str | None = None,
) -> str:
    """Record whether the case reached its goal, and the cost it avoided (may be negative)."""
    if outcome not in OUTCOMES:
        raise InputError(msg("mark.unknown_outcome", outcome=repr(outcome), choices=OUTCOMES))
    guard({"by": clean_text(by, "by", limit=100)})
    return _event(folder, entry_id, lambda e, _: None, {
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
        raise InputError(msg("recovered.no_pot", option=Opt("from")))
    guard({"from": name, "by": clean_text(by, "by", limit=100)})
    if amount is not None and amount <= 0:
        raise InputError(msg("recovered.not_positive"))

    def check(entry: Entry, overpaid: Callable[[Mapping[str, str]], int]) -> dict[str, str]:
        left = entry.amount - entry.repaid - entry.recovered
        value = amount if amount is not None else left
        if left <= 0:
            raise InputError(msg("recovered.fully_paid_back", id=entry.id))
        if overpaid({"type": "recovered", "amount": format_plain(value)}) > 0:
            raise InputError(msg("recovered.more_than_left", amount=value, left=left, id=entry.id))
        if date is not None and date < entry.date:
            raise InputError(msg("recovered.before_entry"))
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
        raise InputError(msg("repay.not_positive"))
    guard({"by": clean_text(by, "by", limit=100)})

    def check(entry: Entry, overpaid: Callable[[Mapping[str, str]], int]) -> None:
        if entry.kind == "gift":
            raise InputError(msg("repay.gift", id=entry.id))
        owed = entry.owed()
        if owed <= 0:
            raise InputError(msg("repay.fully_repaid", id=entry.id))
        if overpaid({"type": "repay", "amount": format_plain(amount)}) > 0:
            raise InputError(msg("repay.more_than_owed", amount=amount, owed=owed, id=entry.id))
        if date is not None and date < entry.date:
            raise InputError(msg("repay.before_entry"))

    cells = {"type": "repay", "amount": format_plain(amount), "by": clean_text(by, "by", limit=100)}
    if date:
        cells["date"] = date.isoformat()
    return _event(folder, entry_id, check, cells)


# ---------------------------------------------------------------------------- corrections

#: A value not given to :func:`amend` (``None`` can mean "no due date" or "no household").
KEEP: Any = object()


def amend(
    folder: LedgerFolder, entry_id: str, *, reason: str, category: Any = KEEP, note: Any = KEEP,
    household_code: Any = KEEP, date: Any = KEEP, method: Any = KEEP, kind: Any = KEEP,
    due: Any = KEEP, condition: Any = KEEP, amount: Any = KEEP, by: str | None = None,
    override: bool = False, allow_personal_data: bool = False, receipt: Any = KEEP,
) -> Recorded:
    """Correct a spend's values, keeping its id: one ``amend`` line that names the fields it
    changes (the fold applies it; voiding it undoes it). The checks of a new spend apply
    to the values after it: personal data, the household pattern, the category list, kind,
    due date and condition together, the cash box, the bank line it is linked to, more
    paid back than spent, and the rules of thumb (the entry itself left out of them). A
    rule of thumb hit is refused unless ``override`` (the reason says why). ``None`` clears
    a note, household, due date or condition. ``receipt``: a file that proves the spend
    (field ``receipt``; stored before the line, taken back when the line is not written).
    Returns the line as written."""
    loaded = None
    if receipt is not KEEP and receipt is not None:
        from .receipts import load

        loaded = load(folder, receipt)
    correction = Correction.of(reason=reason, by=by, allow_personal_data=allow_personal_data, values={
        "category": category, "note": note, "household": household_code, "date": date, "method": method,
        "kind": kind, "due": due, "condition": condition, "amount": amount}, receipt=loaded)
    folder.require()
    with folder.lock():
        folded, index = find_entry(folder, entry_id)
        line = amend_cells(folder, folded.book, index, correction, override=override)
        slug = folded.team
        if loaded is None or f'"{RECEIPT}"' not in line["extra"]:
            written = folder.append(slug, [line])[0]
        else:
            from ..store import receipts as files

            # Named by the entry's id, known before the line: the file first, then the line.
            stored = files.put(folder, slug, loaded.receipt(line["ref"]).name, loaded.data)
            try:
                written = folder.append(slug, [line])[0]
            except BaseException:
                files.discard(stored)
                raise
    return Recorded(written, slug, line)


@dataclass(frozen=True, slots=True)
class Correction:
    """What a correction gives, checked on its own (before the entry is read): the reason,
    who, the values given by field (:data:`~maatwerk_cli.core.records.AMENDABLE`; ``None``
    clears a note, household, due date or condition) and the free texts cleaned."""

    reason: str
    by: str
    given: Mapping[str, Any]
    texts: Mapping[str, str]
    allow_personal_data: bool = False
    receipt: Loaded | None = None

    @classmethod
    def of(cls, *, reason: str, by: str | None, values: Mapping[str, Any], allow_personal_data: bool = False,
           offer_flag: bool = True, nothing: Msg | None = None, receipt: Loaded | None = None) -> Correction:
        """The values (``KEEP`` for those not given) checked: a reason, something to
        correct, a positive amount, a known method and kind, a date, no personal data."""
        text = clean_text(reason, "reason")
        if not text:
            raise InputError(msg("amend.no_reason", option=Opt("reason")))
        who = clean_text(by, "by", limit=100)
        given = {name: value for name, value in values.items() if value is not KEEP}
        if not given and receipt is None:
            raise InputError(nothing or msg("amend.nothing"))
        if "amount" in given and (given["amount"] is None or given["amount"] <= 0):
            raise InputError(msg("spend.not_positive"))
        if given.get("method", "pin") not in METHODS:
            raise InputError(msg("spend.unknown_method", method=repr(given["method"]), choices=METHODS))
        if given.get("kind", "gift") not in KINDS:
            raise InputError(msg("spend.unknown_kind", kind=repr(given["kind"]), choices=KINDS))
        if "date" in given and given["date"] is None:
            raise InputError(msg("amend.no_date"))
        texts = {"note": clean_text(given.get("note"), "note"),
                 "condition": clean_text(given.get("condition"), "condition"), "reason": text, "by": who}
        guard(texts, allow_personal_data, offer_flag=offer_flag)
        return cls(text, who, given, texts, allow_personal_data, receipt)


def amend_cells(
    folder: LedgerFolder, book: Book, index: int, correction: Correction, *, override: bool = False,
    words: Wording = OPTIONS, proceed: Msg | None = None,
) -> dict[str, str]:
    """The ``amend`` line that makes entry ``index`` of ``book`` what ``correction`` says,
    checked against the entry as ``book`` has it (a journal as read under the lock, or with
    an import's earlier corrections appended); writes nothing. ``words`` and ``proceed``:
    how messages name what was given (options, or an import's columns)."""
    from ..core.fold import fold_with

    given, texts, text = correction.given, correction.texts, correction.reason
    entry = book.entry(index)
    if entry.voided:
        raise InputError(msg("event.entry_voided", id=entry.id, reason=entry.void_reason))
    new: dict[str, Any] = {"category": entry.category, "note": entry.note, "household": entry.household,
           "date": entry.date, "method": entry.method, "kind": entry.kind, "due": entry.due,
           "condition": entry.condition, "amount": entry.amount}
    if "category" in given:
        new["category"] = resolve_category(given["category"], folder.settings.categories)
    if "household" in given:
        new["household"] = household_of(folder, given["household"])
    for name in ("note", "condition"):
        if name in given:
            new[name] = texts[name]
    for name in ("date", "method", "kind", "due", "amount"):
        if name in given:
            new[name] = given[name]
    if "kind" in given:
        if new["kind"] != entry.kind and (entry.repaid > 0 or entry.recovered > 0):
            raise InputError(msg("amend.kind_with_repayments", id=entry.id))
        if new["kind"] != "loan" and "due" not in given:
            new["due"] = None
        if new["kind"] != "conditional" and "condition" not in given:
            new["condition"] = ""
    if new["due"] is not None and new["kind"] != "loan":
        raise InputError(words.due_not_loan)
    if new["condition"] and new["kind"] != "conditional":
        raise InputError(words.condition_not_conditional)
    if new["kind"] == "conditional" and not new["condition"]:
        raise InputError(words.needs_condition)
    if new["due"] is not None and new["due"] < new["date"]:
        raise InputError(msg("spend.due_before_date"))
    if entry.requested is not None and entry.requested > new["date"]:
        _late_request(entry.requested, new["date"])
    if new["date"] > entry.date:
        # Money paid back on a spend is paid after it: a repayment or recovery recorded
        # stays on or after the spend's date, as ``repay`` and ``recover`` require.
        for j in book.standing_events(index):
            if book.line_type(j) in ("repay", "recovered") and book.line_day(j) < new["date"]:
                raise InputError(msg("amend.date_after_paid_back", id=entry.id, date=new["date"],
                                     line=book.line_id(j), paid=book.line_day(j)))
    changed = [name for name in given if new[name] != getattr(entry, name)]
    if {"kind", "due", "condition"} & set(given):
        changed += [n for n in ("kind", "due", "condition")
                    if n not in changed and new[n] != getattr(entry, n)]
    loaded = correction.receipt
    now = book.receipts().get(index)
    new_receipt = loaded is not None and (now is None or now.sha256 != loaded.sha256)
    if not changed and not new_receipt:
        raise InputError(msg("amend.no_change", id=entry.id))
    bank_ref = str(entry.extra.get("bank_ref", ""))
    if bank_ref and ("amount" in changed or "method" in changed or "date" in changed):
        _check_bank_link(folder, entry, bank_ref, new["amount"], new["method"], new["date"])
    fields = [name for name in ("category", "note", "household", "date", "method", "kind", "due",
                                "condition", "amount") if name in changed]
    if {"kind", "due", "condition"} & set(fields):
        fields = [f for f in fields if f not in ("kind", "due", "condition")] + ["kind", "due", "condition"]
    more: dict[str, Any] = {"amended": fields}
    if loaded is not None and new_receipt:
        more["amended"] = [*fields, RECEIPT]
        more[RECEIPT] = loaded.receipt(entry.id).cell()
    if "date" in fields:
        more["date"] = new["date"].isoformat()
    if correction.allow_personal_data:
        more["personal_data_allowed"] = True
    slug = entry.team
    spend_view = {"_team": slug, "date": new["date"].isoformat(), "amount": format_plain(new["amount"]),
                  "category": new["category"], "method": new["method"], "household": new["household"]}
    if {"date", "amount", "category", "method", "household"} & set(fields):
        from .rules import PROCEED_AMEND, SpendRules

        checker = SpendRules(folder, proceed=proceed or PROCEED_AMEND)
        without = fold_with(book, [{"type": "void", "date": today().isoformat(), "ref": entry.id}])
        checker.leave_out(slug, without)
        hit = checker.check(spend_view, reason=text if override else "",
                            second_opinion=entry.second_opinion)
        if hit:
            more["rules"] = hit
    line = {"type": "amend", "date": today().isoformat(), "ref": entry.id, "reason": text, "by": correction.by,
            "extra": extra_text(more)}
    for name in fields:
        value = new[name]
        if name == "date":
            continue
        if name == "due":
            line["due"] = value.isoformat() if value is not None else ""
        elif name == "amount":
            line["amount"] = format_plain(value)
        else:
            line[name] = str(value)
    after = fold_with(book, [line])
    if after.overpaid()[index] > 0:
        raise InputError(msg("amend.less_than_paid_back", id=entry.id, amount=new["amount"],
                             paid_back=entry.repaid + entry.recovered))
    low, where = after.cash_lowest()
    if low < 0 and book.cash_lowest()[0] >= 0:
        raise InputError(msg("amend.cash_below_zero", team=slug, id=after.line_id(where),
                             amount=Decimal(low).scaleb(-2)))
    return line


def _check_bank_link(folder: LedgerFolder, entry: Entry, ref: str, amount: Decimal, method: str,
                     date: dt.date) -> None:
    """A spend linked to a bank line stays one: paid by card or invoice, the line's amount,
    and spent on or before the day the bank booked it."""
    from .bank import find_line, read_bank

    if method == "contant":
        raise InputError(msg("amend.bank_linked_cash", id=entry.id, ref=ref))
    lines, _ = read_bank(folder, entry.team)
    try:
        line = find_line(lines, ref, entry.team)
    except (InputError, NotFoundError):
        return  # the line is gone from the bank file: ``check`` says so, nothing to compare
    if line.amount != amount:
        raise InputError(msg("amend.bank_amount_differs", id=entry.id, ref=line.ref, bank=line.amount,
                             amount=amount))
    if date > line.date:
        raise InputError(msg("amend.bank_date_before", id=entry.id, ref=line.ref, bank=line.date, date=date))


@dataclass(frozen=True, slots=True)
class Undone:
    """A line a void cancels (or, for a void of a void, brings back).

    id, team, type: the line; date, amount: as recorded (amount ``None`` when it has none);
    what: a few words on it (the entry it is about, its category); asked: named in the
    command (else it goes along with a spend, ``--with-events``); void_id: the id of
    the void line written for it (empty before writing, or on a dry run).
    """

    id: str
    team: str
    type: str
    date: dt.date
    amount: Decimal | None
    what: str
    asked: bool
    void_id: str = ""


def void(folder: LedgerFolder, entry_id: str, *, reason: str, by: str | None = None,
         with_events: bool = False) -> str:
    """Cancel one line with a reason; return the id of the void line (see :func:`void_lines`)."""
    done = void_lines(folder, [entry_id], reason=reason, by=by, with_events=with_events)
    return next(u.void_id for u in done if u.asked)


def void_lines(
    folder: LedgerFolder,
    ids: Sequence[str],
    *,
    reason: str,
    by: str | None = None,
    with_events: bool = False,
    dry_run: bool = False,
    announce: Callable[[Sequence[Undone]], None] | None = None,
) -> list[Undone]:
    """Cancel lines with a reason, in one locked write (all of them or none); the lines stay.

    Any line can be voided: a spend, a repayment, a mark, an outcome, a tegenprestatie, a
    recovery, a refusal, a cash withdrawal or settlement, a knipkaart use, a bank link; a
    void of a void undoes it. A spend with repayments or recoveries that stand is refused,
    naming them, unless they are voided with it: named in the same command, or with
    ``with_events``, which voids every later event of the spend that stands. ``announce``
    hears the whole list before anything is written.
    """
    text = clean_text(reason, "reason")
    if not text:
        raise InputError(msg("void.no_reason", option=Opt("reason")))
    who = clean_text(by, "by", limit=100)
    guard({"reason": text, "by": who})
    keys = list(dict.fromkeys(i.strip().lower() for i in ids))
    if not keys:
        raise InputError(msg("void.no_ids"))
    folder.require()
    with folder.lock():
        read: dict[str, Folded] = {}
        found = [find(folder, k, read) for k in keys]
        books = {f.folded.team: f.folded.book for f in found}
        plan: list[tuple[str, int, bool]] = []  # (team, line index, asked)
        asked = {(f.folded.team, f.line) for f in found}
        for f in found:
            team, book, i = f.folded.team, f.folded.book, f.line
            _voidable(book, i)
            if book.line_type(i) == "bank-undo":  # its statement comes back: only when it still fits
                from .bank import refuse_restore

                refuse_restore(folder, team, book, i)
            if f.entry >= 0:
                # Money received on the spend (repayments, recoveries) must not vanish
                # unseen: it is voided with the spend only when asked. Marks, outcomes and
                # bank links go with --with-events too, and otherwise stay as they are.
                standing = [j for j in book.standing_events(f.entry) if (team, j) not in asked]
                money = [j for j in standing if book.line_type(j) in ("repay", "recovered")]
                if money and not with_events:
                    words = [_line_words(book, j) for j in money[:5]]
                    lines: Msg | str = (msg("void.lines_and_more", lines=words, count=len(money) - 5)
                                        if len(money) > 5 else ", ".join(str(w) for w in words))
                    raise InputError(msg("void.money_paid_back", id=book.line_id(i), lines=lines,
                                         option=Opt("with-events")))
                if with_events:
                    plan.extend((team, j, False) for j in standing)
            plan.append((team, i, True))
        plan = list(dict.fromkeys(plan))
        undone = _undone(books, plan)
        per_team: dict[str, list[dict[str, str]]] = {}
        for u in undone:
            per_team.setdefault(u.team, []).append(
                {"type": "void", "date": today().isoformat(), "ref": u.id, "reason": text, "by": who})
        for team, voids in per_team.items():
            _check_after_voids(team, books[team], [j for t, j, _ in plan if t == team], voids)
        if announce is not None:
            announce(undone)
        if dry_run:
            return undone
        written = (folder.append(*next(iter(per_team.items()))) if len(per_team) == 1
                   else folder.append_batches(per_team))
        # append_batches gives the ids team by team, in the order of per_team.
        order = [u for team in per_team for u in undone if u.team == team]
        ids_of = {(u.team, u.id): w for u, w in zip(order, written, strict=True)}
        return [_with_void_id(u, ids_of[(u.team, u.id)]) for u in undone]


def _with_void_id(u: Undone, void_id: str) -> Undone:
    from dataclasses import replace

    return replace(u, void_id=void_id)


def _voidable(book: Book, i: int) -> None:
    if book.cancelled[i]:
        by = book.voiding(i)
        if by is None:  # pragma: no cover - a cancelled line always has its void
            raise InputError(msg("void.voided_already", id=book.line_id(i)))
        why = book.line_texts([by], "reason")[0]
        raise InputError(msg("void.voided_already_by", id=book.line_id(i), by=book.line_id(by), reason=why))
    if book.line_type(i) == "void" and book.target[i] < 0:
        raise InputError(msg("void.refers_to_nothing", id=book.line_id(i)))


def _line_words(book: Book, i: int) -> Msg:
    """``noord-2025-0003 (repay € 20,00, 20-03-2025)``: a line in a message."""
    row = book.rows([i])[0]
    if row.amount is not None:
        return msg("void.line_with_amount", id=row.id, type=row.type, amount=row.amount, date=row.date)
    return msg("void.line", id=row.id, type=row.type, date=row.date)


def _undone(books: Mapping[str, Book], plan: Sequence[tuple[str, int, bool]]) -> list[Undone]:
    """The planned lines (team, line index, asked) as :class:`Undone`, in plan order."""
    rows: dict[tuple[str, int], Any] = {}
    for team, book in books.items():
        at = sorted({j for t, j, _ in plan if t == team})
        rows.update(zip(((team, j) for j in at), book.rows(at), strict=True))
    categories = {team: book.categories() for team, book in books.items()}
    out = []
    for team, i, asked in plan:
        book, row = books[team], rows[(team, i)]
        what = ""
        target = int(book.target[i])
        if row.type == "spend":
            category = categories[team]
            what = category.names[int(category.codes[int(book.entry_of[i])])]
        elif target >= 0:
            what = f"on {book.line_id(target)}" if row.type != "void" else \
                f"undoes the void of {book.line_id(target)}"
        amount = row.amount.quantize(Decimal("0.01")) if row.amount is not None else None
        out.append(Undone(row.id, book.team, row.type, row.date, amount, what, asked))
    return out


def _check_after_voids(team: str, book: Book, voided: Sequence[int], voids: Sequence[Mapping[str, str]]) -> None:
    """Refuse voids that would leave the journal in a state no command could record: a gift
    with repayments, more paid back than spent, a cash box below zero where it was not.
    The journal is folded with the void lines, and the result is asked."""
    from ..core.fold import fold_with

    after = fold_with(book, voids)
    touched: dict[int, None] = {}
    for v in voided:
        line = int(book.target[v]) if book.line_type(v) == "void" and book.target[v] >= 0 else v
        if book.entry_of[line] >= 0:
            touched[int(book.entry_of[line])] = None
    gift = after.kind_is("gift")
    overpaid = after.overpaid()
    for e in touched:
        spend = int(book.spends[e])
        repays = [j for j in after.standing_events(e) if after.line_type(j) == "repay"] \
            if gift[e] and after.live[spend] else []
        if repays:
            raise InputError(msg("void.gift_with_repayments", id=book.line_id(spend),
                                 repayments=[after.line_id(j) for j in repays]))
        if overpaid[e] > 0:
            spent = int(after.amounts()[e])
            raise InputError(msg("void.more_paid_back", id=book.line_id(spend),
                                 paid_back=Decimal(spent + int(overpaid[e])).scaleb(-2),
                                 spent=Decimal(spent).scaleb(-2)))
    low, where = after.cash_lowest()
    if low < 0 and book.cash_lowest()[0] >= 0:
        raise InputError(msg("void.cash_below_zero", team=team, id=after.line_id(where),
                             amount=Decimal(low).scaleb(-2)))


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
    """Record a refused request (weigering) with its reason; return its id."""
    return record_refusal(folder, team, reason=reason, household_code=household_code, amount=amount,
                          category=category, date=date, by=by,
                          allow_personal_data=allow_personal_data).id


def record_refusal(
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
) -> Recorded:
    """Record a refused request; return it as written (for the clerk's echo)."""
    slug = team_slug(folder, team)
    text = clean_text(reason, "reason")
    if not text:
        raise InputError(msg("refuse.no_reason", option=Opt("reason")))
    who = clean_text(by, "by", limit=100)
    guard({"reason": text, "by": who}, allow_personal_data, offer_flag=True)
    if amount is not None and amount <= 0:
        raise InputError(msg("refuse.not_positive"))
    cells = {
        "type": "refusal",
        "date": (date or today()).isoformat(),
        "amount": format_plain(amount) if amount is not None else "",
        "category": resolve_category(category, folder.settings.categories) if category else "",
        "household": household_of(folder, household_code),
        "reason": text,
        "by": who,
        "extra": extra_text({"personal_data_allowed": True} if allow_personal_data else {}),
    }
    from .plausible import carried

    with folder.lock(), carried(folder, slug):
        return Recorded(folder.append(slug, [cells])[0], slug, cells)


def append_cells(folder: LedgerFolder, team: str, cells: Sequence[Mapping[str, str]]) -> list[str]:
    """Append prepared journal cells for one team under the lock (for importers)."""
    return folder.append(team_slug(folder, team), cells)
