"""Exports for other tools: a ledger as double-entry transactions (hledger, ledger, beancount)
and as flat tables (the Parquet dataset).

Everything here is a view of the folded books (``folder.books()``) and the team files;
no journal is read any other way and no event rule is applied a second time. The
functions return plain data; :mod:`maatwerk_cli.render.journal_formats` writes it in each
tool's syntax and :mod:`maatwerk_cli.render.parquet` as files.

How the ledger maps onto accounts (parts of an account path, per team ``T``)::

    Assets:Maatwerk:T:Budget                   the team's money (card account, invoices)
    Assets:Maatwerk:T:Kas                      the cash box
    Assets:Maatwerk:T:Vorderingen              still owed on loans and conditional grants
    Liabilities:Maatwerk:T:Voorziening-vorderingen   its counterpart (see below)
    Expenses:Maatwerk:T:<category>             spends, by category
    Expenses:Maatwerk:T:Kasgeld-afgeschreven   cash remainders written off
    Income:Maatwerk:T:Terugbetalingen          repayments received
    Income:Maatwerk:T:Verhaald                 recovered from the provision that should have paid
    Equity:Maatwerk:T:Beginsaldo               cash on hand when a one-year export begins

* A spend that is not voided: its category's expense account from ``Budget`` (``Kas`` when
  paid in cash), on its date. Voided spends are left out, with their repayments: the
  reports count neither.
* A loan or conditional grant counts as spent in full (as in every report); the claim on
  the household is kept beside it: ``Vorderingen`` up, ``Voorziening-vorderingen`` down.
  A repayment or recovery brings money back into ``Budget`` as income and lowers the claim
  by what was still owed (in date order), so ``Vorderingen`` shows on any day what the
  ``loans`` report calls outstanding then. The kind is the entry's kind as it stands now.
* A withdrawal moves money from ``Budget`` to ``Kas``; a deposit back; a write-off from
  ``Kas`` to ``Kasgeld-afgeschreven``.

So each team's ``Expenses`` add up to what ``compare`` calls spent, and ``Income`` to what
``utilisation`` calls repaid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ..core.errors import Problem
from ..core.records import Team

if TYPE_CHECKING:
    from ..core.fold import Book
    from ..core.records import Entry
    from ..store.folder import LedgerFolder

Account = tuple[str, ...]


class Redactor(Protocol):
    """What an export needs of :class:`maatwerk_cli.render.redact.Redactor` (which the caller
    makes: this layer does not import the renderers)."""

    drop: frozenset[str]

    def pseudonym(self, code: str) -> str: ...

    def records(self, records: Any) -> list[dict[str, Any]]: ...

LOAN_KINDS = ("loan", "conditional")
BUDGET = "Budget"
CASH = "Kas"
RECEIVABLE = "Vorderingen"
PROVISION = "Voorziening-vorderingen"
WRITE_OFF = "Kasgeld-afgeschreven"
REPAID = "Terugbetalingen"
RECOVERED = "Verhaald"
OPENING = "Beginsaldo"
NO_CATEGORY = "Zonder categorie"

#: Transaction kinds (``Transaction.what``).
WHATS = ("opening", "spend", "repay", "recovered", "withdraw", "deposit", "write-off")


def team_account(root: str, team: str, *rest: str) -> Account:
    """An account path of one team: ``("Expenses", "Maatwerk", "noord", "Wonen")``."""
    return (root, "Maatwerk", team, *rest)


def expense_root(team: str) -> Account:
    """The account a team's budget is set on: all its expenses are below it."""
    return team_account("Expenses", team)


@dataclass(frozen=True, slots=True)
class Posting:
    """One leg of a transaction.

    account: the account path (raw parts; each tool's renderer makes them valid names).
    cents: the amount, positive to debit the account, negative to credit it.
    """

    account: Account
    cents: int


@dataclass(frozen=True, slots=True)
class Transaction:
    """Money moving between accounts on one day; the postings add up to zero.

    date: the day. code: the journal line's id (empty for an opening balance).
    team: the team slug. what: one of :data:`WHATS`.
    payee, narration: a short label (the category, ``Terugbetaling``, ``Kasgeld``) and
    the recorded text (empty when redacted).
    link: the id of the entry a spend, repayment or recovery belongs to, else empty.
    tags: (name, value) pairs: entry, kind, method, household, outcome.
    postings: the legs.
    """

    date: dt.date
    code: str
    team: str
    what: str
    payee: str
    narration: str
    link: str
    tags: tuple[tuple[str, str], ...]
    postings: tuple[Posting, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """A receipt (*bon*) of a spend: beancount's ``document`` directive.

    date: the spend's day; account: its expense account; path: the receipt file in the
    ledger folder, absolute (the export may be written anywhere); link: the entry's id.
    """

    date: dt.date
    account: Account
    path: str
    link: str


@dataclass(frozen=True, slots=True)
class BudgetGoal:
    """A team's budget for one year, set on :func:`expense_root`.

    team, name: slug and full name; year; cents: the budget (0 when none is set).
    """

    team: str
    name: str
    year: int
    cents: int


@dataclass(frozen=True, slots=True)
class JournalExport:
    """What a journal export holds.

    municipality: from the settings. year: the one year exported, or None for all.
    teams: the budget holders exported. redacted: households are pseudonyms, texts left out.
    transactions: sorted by date, then team, then journal order.
    budgets: per team and year. accounts: every account used, sorted.
    problems: journal lines set aside while reading (left out of the export).
    """

    municipality: str
    year: int | None
    teams: tuple[Team, ...]
    redacted: bool
    transactions: tuple[Transaction, ...]
    budgets: tuple[BudgetGoal, ...]
    accounts: tuple[Account, ...]
    problems: tuple[Problem, ...]
    documents: tuple[Document, ...] = ()

    def first_date(self) -> dt.date | None:
        """The earliest day anything in the export happens (budgets start on 1 January)."""
        days = [t.date for t in self.transactions] + [dt.date(b.year, 1, 1) for b in self.budgets]
        return min(days) if days else None

    def totals(self, root: str = "Expenses") -> dict[str, int]:
        """Cents per team on the accounts under ``root`` (``Expenses``: what compare calls spent)."""
        out = {t.slug: 0 for t in self.teams}
        for t in self.transactions:
            for p in t.postings:
                if p.account[0] == root:
                    out[t.team] = out.get(t.team, 0) + p.cents
        return out


_CENT = Decimal("0.01")


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2).quantize(_CENT)


def holders(folder: LedgerFolder, teams: Sequence[str] | None) -> list[Team]:
    """The budget holders asked for (default all); an unknown one is a NotFoundError."""
    folder.require()
    if not teams:
        return folder.load_teams()
    slugs = dict.fromkeys(t.strip().lower() for t in teams)
    for slug in slugs:
        folder.require_team(slug)
    return [folder.load_team(s) for s in slugs]


def pseudonyms(redactor: Redactor, codes: Sequence[str]) -> None:
    """Hand out the redactor's pseudonyms for these codes in random order (so a number says
    nothing about where a household first appears)."""
    redactor.records([{"household": sorted(set(codes))}])


def journal_export(
    folder: LedgerFolder,
    *,
    year: int | None = None,
    teams: Sequence[str] | None = None,
    redactor: Redactor | None = None,
) -> JournalExport:
    """The transactions and budgets of some teams (default all), for one year or all years.

    With ``year``, a team that starts the year with cash in the box or money still owed
    gets an opening balance on 1 January. With a ``redactor``, households get its
    pseudonyms and recorded texts are left out.
    """
    chosen = holders(folder, teams)
    books = folder.books([t.slug for t in chosen])
    entries = {t.slug: books[t.slug].book.entries() for t in chosen}
    if redactor is not None:
        pseudonyms(redactor, [e.household for found in entries.values() for e in found if e.household])
    keyed: list[tuple[tuple[int, int, int], Transaction]] = []
    budgets: list[BudgetGoal] = []
    for order, team in enumerate(chosen):
        items = _team_transactions(team.slug, books[team.slug].book, entries[team.slug], year, redactor)
        keyed += [((t.date.toordinal(), order, line), t) for line, t in items]
        years = {year} if year is not None else set(team.budgets) | {t.date.year for _, t in items}
        budgets += [BudgetGoal(team.slug, team.name, y, _cents(team.budget(y))) for y in sorted(years)]
    keyed.sort(key=lambda pair: pair[0])
    done = tuple(t for _, t in keyed)
    documents = () if redactor is not None else _documents(folder, chosen, entries, year)
    accounts = {p.account for t in done for p in t.postings}
    for b in budgets:
        if b.cents:
            accounts |= {expense_root(b.team), team_account("Assets", b.team, BUDGET)}
    return JournalExport(
        municipality=folder.settings.municipality, year=year, teams=tuple(chosen),
        redacted=redactor is not None, transactions=done, budgets=tuple(budgets),
        accounts=tuple(sorted(accounts)), problems=books.problems, documents=documents,
    )


def _documents(folder: LedgerFolder, chosen: Sequence[Team], entries: dict[str, list[Entry]],
               year: int | None) -> tuple[Document, ...]:
    """The receipts of the spends exported (not voided, in the year), whose file is there:
    a receipt gone or changed is ``check``'s to report, not the export's."""
    from ..core.receipts import RECEIPT, receipt_of
    from ..store.receipts import path_of

    out = []
    for team in chosen:
        for e in entries[team.slug]:
            got = receipt_of(e.id, e.extra.get(RECEIPT))
            if got is None or e.voided or (year is not None and e.date.year != year):
                continue
            path = path_of(folder, team.slug, got.name)
            if path.is_file():
                out.append(Document(e.date, team_account("Expenses", team.slug, e.category or NO_CATEGORY),
                                    str(path.resolve()), e.id))
    return tuple(sorted(out, key=lambda d: (d.date, d.link)))


def _team_transactions(
    slug: str, book: Book, entries: list[Entry], year: int | None, redactor: Redactor | None,
) -> list[tuple[int, Transaction]]:
    """One team's transactions (each with its journal line index, -1 for the opening)."""
    redact = redactor is not None
    # What each loan or conditional grant not voided still owes, lowered as paybacks come in.
    owed = {i: _cents(e.amount) for i, e in enumerate(entries) if not e.voided and e.kind in LOAN_KINDS}
    cash_before = owed_before = 0  # on 1 January of ``year``
    items: list[tuple[int, Transaction]] = []

    def keep(when: dt.date) -> bool:
        return year is None or when.year == year

    def before(when: dt.date) -> bool:
        return year is not None and when.year < year

    def account(root: str, *rest: str) -> Account:
        return team_account(root, slug, *rest)

    for i, e in enumerate(entries):
        if e.voided:
            continue
        cents = _cents(e.amount)
        source = CASH if e.method == "contant" else BUDGET
        if before(e.date):
            cash_before -= cents if source == CASH else 0
            owed_before += owed.get(i, 0)
        if not keep(e.date):
            continue
        legs = [Posting(account("Expenses", e.category or NO_CATEGORY), cents),
                Posting(account("Assets", source), -cents)]
        if i in owed:
            legs += [Posting(account("Assets", RECEIVABLE), cents),
                     Posting(account("Liabilities", PROVISION), -cents)]
        household = redactor.pseudonym(e.household) if redactor is not None else e.household
        tags = [("entry", e.id), ("kind", e.kind), ("method", e.method)]
        if household:
            tags.append(("household", household))
        if e.outcome:
            tags.append(("outcome", e.outcome))
        items.append((int(book.spends[i]), Transaction(
            date=e.date, code=e.id, team=slug, what="spend", payee=e.category or NO_CATEGORY,
            narration="" if redact else e.note, link=e.id, tags=tuple(tags), postings=tuple(legs))))

    # Repayments and recoveries that count, by date (so the claim on any day is what the
    # loans report says is outstanding then); those on a voided spend are left out with it,
    # as utilisation's repaid leaves them out.
    for line in sorted(_paybacks(book), key=lambda p: p.date):
        i, when, cents, recovered = line.entry, line.date, line.cents, line.recovered
        entry = entries[i]
        if entry.voided:
            continue
        lower = min(cents, owed.get(i, 0))
        if i in owed:
            owed[i] -= lower
        if before(when):
            owed_before -= lower
        if not keep(when):
            continue
        legs = [Posting(account("Assets", BUDGET), cents),
                Posting(account("Income", RECOVERED if recovered else REPAID), -cents)]
        if lower:
            legs += [Posting(account("Liabilities", PROVISION), lower),
                     Posting(account("Assets", RECEIVABLE), -lower)]
        # A recovery's note names the pot that paid (not personal); a repayment's may be anything.
        items.append((line.at, Transaction(
            date=when, code=line.id, team=slug, what="recovered" if recovered else "repay",
            payee="Verhaald" if recovered else "Terugbetaling",
            narration=line.note if recovered or not redact else "", link=entry.id,
            tags=(("entry", entry.id), ("kind", entry.kind)), postings=tuple(legs))))

    # Cash: withdrawals into the box, deposits back out of it, write-offs.
    for move in _cash_lines(book):
        when, cents, what = move.date, move.cents, move.what
        into, out_of = {
            "withdraw": (account("Assets", CASH), account("Assets", BUDGET)),
            "deposit": (account("Assets", BUDGET), account("Assets", CASH)),
            "write-off": (account("Expenses", WRITE_OFF), account("Assets", CASH)),
        }[what]
        if before(when):
            cash_before += cents if what == "withdraw" else -cents
        if not keep(when):
            continue
        items.append((move.at, Transaction(
            date=when, code=move.id, team=slug, what=what, payee="Kasgeld",
            narration="" if redact else move.note, link="", tags=(),
            postings=(Posting(into, cents), Posting(out_of, -cents)))))

    if year is not None and (cash_before or owed_before):
        legs = []
        if cash_before:
            legs += [Posting(account("Assets", CASH), cash_before),
                     Posting(account("Equity", OPENING), -cash_before)]
        if owed_before:
            legs += [Posting(account("Assets", RECEIVABLE), owed_before),
                     Posting(account("Liabilities", PROVISION), -owed_before)]
        items.append((-1, Transaction(
            date=dt.date(year, 1, 1), code="", team=slug, what="opening", payee="Beginsaldo",
            narration=f"kas en vorderingen op 1 januari {year}", link="", tags=(),
            postings=tuple(legs))))
    return items


class _Line(NamedTuple):
    """A repayment, recovery or cash line that counts, as the export lists it: line index,
    id, date, cents, entry index (paybacks), what it is, what was written about it."""

    at: int
    id: str
    date: dt.date
    cents: int
    entry: int
    what: str
    note: str

    @property
    def recovered(self) -> bool:
        return self.what == "recovered"


def _paybacks(book: Book) -> list[_Line]:
    """Repayments and recoveries that count and are about an entry, in file order."""
    from ..core.lines import day

    paid = book.moves("repay", "recovered")
    keep = book.entry_of[paid.at] >= 0
    at = paid.at[keep]
    return [_Line(line, line_id, day(days), cents, entry, ("repay", "recovered")[kind], note)
            for line, line_id, days, cents, entry, kind, note in zip(
                at.tolist(), book.line_ids(at), paid.date[keep].tolist(), paid.cents[keep].tolist(),
                book.entry_of[at].tolist(), paid.kind[keep].tolist(), book.line_texts(at, "note"), strict=True)]


def _cash_lines(book: Book) -> list[_Line]:
    """Withdrawals, deposits and write-offs that count, in file order; the note is a
    withdrawal's note or a settlement's reason."""
    from ..core.fold import CASH_MOVES
    from ..core.lines import day

    box = book.cash_moves()
    keep = box.kind != CASH_MOVES.index("spend")
    at = box.at[keep]
    notes = [note or reason for note, reason in zip(book.line_texts(at, "note"), book.line_texts(at, "reason"),
                                                    strict=True)]
    return [_Line(line, line_id, day(days), cents, -1, CASH_MOVES[kind], note)
            for line, line_id, days, cents, kind, note in zip(
                at.tolist(), book.line_ids(at), box.date[keep].tolist(), box.cents[keep].tolist(),
                box.kind[keep].tolist(), notes, strict=True)]


# ---------------------------------------------------------------------------- tables

#: The tables of the Parquet dataset and their columns (after ``municipality`` and ``year``,
#: which are the partition keys). Money columns are exact Decimals, dates are dates.
TABLES: dict[str, tuple[str, ...]] = {
    "entries": ("team", "team_name", "team_kind", "id", "date", "amount", "category", "method", "kind",
                "household", "note", "repaid", "recovered", "recovered_from", "outstanding", "voided",
                "void_reason", "due", "condition", "tegenprestatie", "tegenprestatie_status", "outcome",
                "avoided_cost", "override_reason", "second_opinion", "personal_data_allowed", "by"),
    "paybacks": ("team", "id", "entry", "entry_voided", "date", "type", "amount", "recovered_from", "note"),
    "cash": ("team", "id", "date", "type", "amount", "note"),
    "budgets": ("team", "team_name", "team_kind", "budget"),
    "refusals": ("team", "id", "date", "amount", "category", "household", "reason", "by"),
}


@dataclass(frozen=True, slots=True)
class Tables:
    """One ledger folder as the dataset's tables.

    municipality: the settings' name, else the folder's name.
    rows: per table of :data:`TABLES` a list of records with ``year`` and that table's
      columns (``municipality`` is the same for all and not repeated).
    problems: journal lines set aside while reading.
    """

    municipality: str
    rows: dict[str, list[dict[str, Any]]]
    problems: tuple[Problem, ...]


def tables(folder: LedgerFolder, redactor: Redactor | None = None) -> Tables:
    """Every budget holder of one folder as rows of :data:`TABLES`.

    entries: every spend as it stands after its events (voided ones too, marked).
    paybacks: repayments (``repay``) and recoveries (``recovered``, with the pot that paid)
    that count, and whether their spend is voided (the reports leave those out).
    cash: withdrawals, deposits and write-offs that count.
    budgets: each team's budget per year. refusals: refused requests that count.
    With a ``redactor``, free text and names are left out and households get pseudonyms.
    """
    from pathlib import Path


    chosen = holders(folder, None)
    books = folder.books([t.slug for t in chosen])
    name = folder.settings.municipality or Path(folder.root).resolve().name
    entries = {t.slug: books[t.slug].book.entries() for t in chosen}
    refusals = {t.slug: books[t.slug].book.refusals() for t in chosen}
    if redactor is not None:
        codes = [e.household for found in entries.values() for e in found]
        codes += [r.household for found in refusals.values() for r in found]
        pseudonyms(redactor, [c for c in codes if c])
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in TABLES}
    for team in chosen:
        book = books[team.slug].book
        about = {"team": team.slug, "team_name": team.name, "team_kind": team.kind}
        for e in entries[team.slug]:
            rows["entries"].append({"year": e.date.year, **about,
                                    **{k: getattr(e, k) for k in TABLES["entries"][3:]}})
        for line in _paybacks(book):
            entry = entries[team.slug][line.entry]
            rows["paybacks"].append({
                "year": line.date.year, "team": team.slug, "id": line.id, "entry": entry.id,
                "entry_voided": entry.voided, "date": line.date,
                "type": "recovered" if line.recovered else "repay", "amount": _money(line.cents),
                "recovered_from": line.note if line.recovered else "",
                "note": "" if line.recovered else line.note})
        for move in _cash_lines(book):
            rows["cash"].append({
                "year": move.date.year, "team": team.slug, "id": move.id, "date": move.date,
                "type": move.what, "amount": _money(move.cents), "note": move.note})
        for y, amount in sorted(team.budgets.items()):
            rows["budgets"].append({"year": int(y), **about, "budget": amount.quantize(_CENT)})
        for r in refusals[team.slug]:
            rows["refusals"].append({"year": r.date.year, **{k: getattr(r, k) for k in TABLES["refusals"]}})
    if redactor is not None:
        rows = {k: redactor.records(v) for k, v in rows.items()}
    return Tables(name, rows, books.problems)


def table_columns(table: str, redactor: Redactor | None = None) -> list[str]:
    """The columns a table has in the files (a redacted export drops the free-text ones)."""
    columns = TABLES[table]
    return [c for c in columns if redactor is None or c not in redactor.drop]
