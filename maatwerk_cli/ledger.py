"""The library's face: :class:`Ledger`, one ledger folder and everything it can do.

Every operation the command line offers is a method here, and each delegates to the
layer that does it: recording to :mod:`maatwerk_cli.ops`, reading to the store's one
reader and fold, figures and DataFrames to :mod:`maatwerk_cli.analysis`. Methods take
money as ``Decimal``, ``int`` or ``str`` (read the Dutch way, as the command line reads it)
and dates as ``date`` or ``str`` (``14-3-2025``, ``2025-03-14``); anything else raises
:class:`~maatwerk_cli.core.errors.InputError`.

This module imports no typer, rich, pandas or numpy at load time.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, dataclass, fields, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .core.errors import InputError, Problem
from .core.records import DEFAULT_CATEGORIES, KINDS, Entry, Refusal, Row, Settings, Team
from .store.folder import LedgerFolder

if TYPE_CHECKING:
    import pandas as pd

    from .analysis.export import JournalExport as JournalExport
    from .analysis.export import Tables as Tables
    from .ops.anonymise import Anonymised as Anonymised
    from .ops.bank import BankImport as BankImport
    from .ops.bank import CardAccount as CardAccount
    from .ops.bank import Covered as Covered
    from .ops.bank import ImportUndone as ImportUndone
    from .ops.bank import Mismatch as Mismatch
    from .ops.bank import StatementImport as StatementImport
    from .ops.cash import CashStatus as CashStatus
    from .ops.cash import Settlement as Settlement
    from .ops.importer import ImportResult as ImportResult
    from .ops.knipkaart import Status as KnipkaartStatus
    from .ops.record import Recorded as Recorded
    from .ops.record import Undone as Undone
    from .ops.requests import (
        AmendRequest,
        AnonymiseRequest,
        ImportBankRequest,
        ImportEntriesRequest,
        MarkRequest,
        RefuseRequest,
        RepayRequest,
        SettleRequest,
        SpendRequest,
        VoidRequest,
        WithdrawRequest,
    )
    from .ops.rules import Override as Override
    from .ops.rules import Rules as Rules
    from .ops.show import Story as Story

    Redactor = Any  # render.redact.Redactor: the layer above passes one in

#: Money given to the library: ``Decimal``, ``int``, or Dutch text (``"1.234,56"``).
Money = Decimal | int | str
#: A date given to the library: a ``date``, text (``"14-3-2025"``), or None (the default).
DateLike = dt.date | str | None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything read from a ledger folder at one moment.

    entries: spends as they stand after their events; refusals: refused requests;
    rows: every good journal row (all types); problems: every line set aside.
    """

    entries: tuple[Entry, ...]
    refusals: tuple[Refusal, ...]
    rows: tuple[Row, ...]
    problems: tuple[Problem, ...]


def money(value: Decimal | int | str, what: str = "amount", **options: bool) -> Decimal:
    """An amount given to the library: Decimal or int as it is, str read the Dutch way.

    A float is refused: it cannot hold every amount in cents exactly.
    """
    from .core.money import CENT, parse_amount

    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise InputError(f"{what} {value!r} is not an amount: give a Decimal, an int or text like '12,50'")
    if isinstance(value, str):
        return parse_amount(value, what=what, **options)
    amount = Decimal(value)
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise InputError(f"{what} {value!r} is not an amount in cents")
    return amount.quantize(CENT)


def day(value: dt.date | str | None, what: str = "date") -> dt.date | None:
    """A date given to the library: a ``date`` as it is, ``str`` read as the command line
    reads it; None stays None (the operation's default)."""
    from .core.dates import parse_date

    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value, what=what)
    raise InputError(f"{what} {value!r} is not a date: give a date or text like '14-3-2025'")


#: Options of a spend that hold a date.
_DATE_OPTIONS = ("date", "due", "requested")
#: Fields of a request that hold a date, and what a message calls them.
_DATE_FIELDS = {"date": "date", "due": "due", "requested": "request date", "before": "date"}

R = TypeVar("R")


def _with_days(options: dict[str, Any]) -> dict[str, Any]:
    return {k: day(v, k) if k in _DATE_OPTIONS else v for k, v in options.items()}


def _request(kind: type[R], given: Any, options: dict[str, Any]) -> R:
    """``given`` when it is a request of this kind; else the request built from its fields
    (``given`` is the first)."""
    if isinstance(given, kind):
        extra = sorted(k for k, v in options.items() if v is not None)
        if extra:
            raise TypeError(f"give a {kind.__name__} or its fields, not both ({', '.join(extra)})")
        return given
    from .ops.requests import ids_of

    first = fields(kind)[0].name  # type: ignore[arg-type]
    return kind(**{first: ids_of(given) if first == "ids" else given, **options})


def _normal(request: R) -> R:
    """The request with its money and dates read: text the Dutch way, as the command line reads it."""
    changes: dict[str, Any] = {}
    for f in fields(request):  # type: ignore[arg-type]
        value = getattr(request, f.name)
        if value is None and f.default is not MISSING:
            continue  # not given: the operation's default
        if f.name in _DATE_FIELDS:
            changes[f.name] = day(value, _DATE_FIELDS[f.name])
        elif f.name == "amount":
            changes[f.name] = money(value)
        elif f.name == "avoided_cost":
            changes[f.name] = money(value, "avoided cost", allow_zero=True, allow_negative=True)
    return replace(request, **changes)  # type: ignore[type-var]


class Ledger:
    """One ledger folder: a municipality's budget holders and their journals."""

    def __init__(self, root: str | os.PathLike[str] = "ledgers") -> None:
        self.folder = LedgerFolder(root)

    def __repr__(self) -> str:
        return f"Ledger({str(self.root)!r})"

    @property
    def root(self) -> Path:
        return self.folder.root

    def exists(self) -> bool:
        """Whether the folder is a ledger folder (holds its ``maatwerk.toml``)."""
        return self.folder.exists()

    def require(self) -> None:
        """Raise :class:`~maatwerk_cli.core.errors.NotFoundError` when the folder is no ledger folder."""
        self.folder.require()

    def take_notices(self) -> list[str]:
        """What this ledger's writers did that the user should hear of (a stale lock
        cleared, a half-written line set aside), since last asked; then forgotten."""
        notices = list(self.folder.notices)
        self.folder.notices.clear()
        return notices

    # ------------------------------------------------------------------ set-up

    @classmethod
    def init(cls, root: str | os.PathLike[str], *, municipality: str = "", year: int | None = None,
             language: str = "nl") -> Ledger:
        """Create a ledger folder with a commented ``maatwerk.toml``; ``language`` is the one
        the command line speaks there to people (``nl`` or ``en``)."""
        from .ops.setup import init

        return cls(init(root, municipality=municipality, year=year, language=language).root)

    @classmethod
    def demo(cls, root: str | os.PathLike[str]) -> Ledger:
        """Write Demostad 2026, the demo ledger shipped with the package, into ``root`` (a
        new or empty folder, not inside a ledger folder), and open it."""
        from .ops.setup import demo

        return cls(demo(root).root)

    @property
    def settings(self) -> Settings:
        return self.folder.settings

    @property
    def categories(self) -> tuple[str, ...]:
        return self.settings.categories or DEFAULT_CATEGORIES

    def teams(self) -> list[Team]:
        self.folder.require()
        return self.folder.load_teams()

    def team(self, slug: str) -> Team:
        self.folder.require()
        return self.folder.load_team(slug.strip().lower())

    def team_slugs(self) -> list[str]:
        self.folder.require()
        return self.folder.team_slugs()

    def has_team(self, slug: str) -> bool:
        """Whether a budget holder of this name (any case) exists."""
        self.folder.require()
        return self.folder.has_team(slug.strip().lower())

    def add_team(self, slug: str, *, name: str, budget: Decimal | int | str, year: int,
                 kind: str = "team") -> Team:
        """Add a budget holder (a team, or a central ``fund``) with its budget for ``year``."""
        from .ops.setup import add_team

        return add_team(self.folder, slug, name=name, budget=money(budget, "budget", allow_zero=True),
                        year=year, kind=kind)

    def set_budget(self, slug: str, amount: Decimal | int | str, year: int) -> Team:
        """Set a budget holder's base budget for a year, keeping the file's comments and layout."""
        from .ops.setup import set_budget

        return set_budget(self.folder, slug, money(amount, "budget", allow_zero=True), year)

    def change_budget(self, slug: str, amount: Decimal | int | str, start: dt.date, *,
                      note: str | None = None) -> Team:
        """Record a top-up (positive) or cut (negative) of the budget, counting from ``start``;
        added to the team file, never overwriting the earlier amounts."""
        from .ops.setup import change_budget

        value = money(amount, "top-up or cut", allow_negative=True)
        return change_budget(self.folder, slug, value, start, note=note)

    def set_budget_period(self, slug: str, year: int, *, start: dt.date | None = None,
                          end: dt.date | None = None) -> Team:
        """Give a year's budget its own period (a pilot from 1 July to 31 December)."""
        from .ops.setup import set_period

        return set_period(self.folder, slug, year, start, end)

    def edit_budget(self, slug: str, year: int, *, base: Decimal | int | str | None = None,
                    period: tuple[dt.date | None, dt.date | None] | None = None,
                    change: tuple[Decimal | int | str, dt.date, str | None] | None = None) -> Team:
        """Base budget, period and a top-up or cut of one year in one write (all or nothing)."""
        from .ops.setup import edit_budget

        return edit_budget(
            self.folder, slug, year,
            base=money(base, "budget", allow_zero=True) if base is not None else None, period=period,
            change=(money(change[0], "top-up or cut", allow_negative=True), change[1], change[2])
            if change is not None else None)

    # ------------------------------------------------------------------ reading

    def read(self, teams: Sequence[str] | None = None) -> Snapshot:
        """Entries, refusals, rows and problems of the given teams (default: all)."""
        import numpy as np

        self.folder.require()
        slugs = [self._team_slug(t) for t in teams] if teams else None
        books = self.folder.books(slugs)
        entries: list[Entry] = []
        refusals: list[Refusal] = []
        rows: list[Row] = []
        for folded in books.values():
            book = folded.book
            entries.extend(book.entries())
            refusals.extend(book.refusals())
            rows.extend(book.rows(np.flatnonzero(~book.dup)))
        return Snapshot(tuple(entries), tuple(refusals), tuple(rows), books.problems)

    def entries(
        self,
        team: str | None = None,
        *,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        category: str | None = None,
        kind: str | None = None,
        household: str | None = None,
    ) -> list[Entry]:
        """Entries as they stand now, filtered; voided ones included, marked."""
        return self.select_entries(team, date_from=date_from, date_to=date_to, category=category,
                                   kind=kind, household=household)[0]

    def select_entries(
        self,
        team: str | None = None,
        *,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        category: str | None = None,
        kind: str | None = None,
        household: str | None = None,
    ) -> tuple[list[Entry], tuple[Problem, ...]]:
        """Like :meth:`entries`, with the lines that were set aside while reading."""
        from .core.privacy import household as household_code
        from .core.text import resolve_category

        self.folder.require()
        cat = resolve_category(category, self.categories) if category else None
        hh = household_code(household) if household else None
        if kind and kind not in KINDS:
            raise InputError(f"kind {kind!r} is not one of: {', '.join(KINDS)}")
        books = self.folder.books([self._team_slug(team)] if team else None)
        found = [
            e
            for folded in books.values()
            for e in folded.book.entries()
            if (date_from is None or e.date >= date_from)
            and (date_to is None or e.date <= date_to)
            and (cat is None or e.category == cat)
            and (kind is None or e.kind == kind)
            and (hh is None or e.household == hh)
        ]
        return found, books.problems

    def entries_frame(
        self, team: str | None = None, *, money: str = "decimal", **filters: Any
    ) -> pd.DataFrame:
        """:meth:`entries` as a pandas DataFrame: money as Decimal (``money="decimal"``, the
        default) or exact integer cents (``money="cents"``)."""
        from .analysis.frames import entries_frame

        return entries_frame(self.entries(team, **filters), money=money)

    def entry(self, entry_id: str) -> Entry:
        """One entry by id (``noord-2025-0042``)."""
        from .ops.record import find_entry

        folded, index = find_entry(self.folder, entry_id)
        return folded.book.entry(index)

    def _team_slug(self, team: str) -> str:
        from .ops.base import team_slug

        return team_slug(self.folder, team)

    # ------------------------------------------------------------------ recording
    #
    # Each recording method takes a request object (:mod:`maatwerk_cli.ops.requests`, where
    # every field is documented), or the same fields as keyword arguments, from which it
    # builds the request. Money and dates may be given as text either way.

    @overload
    def spend(self, request: SpendRequest, /) -> str: ...

    @overload
    def spend(self, team: str, amount: Money, *, category: str, household: str | None = None,
              requested: DateLike = None, **options: Any) -> str: ...

    def spend(self, team: str | SpendRequest, amount: Money | None = None, **options: Any) -> str:
        """Record a spend; return its id. Nothing is written when anything is wrong.

        Give a :class:`SpendRequest`, or its fields: ``team``, ``amount``, ``category`` and
        the options ``method`` (pin, factuur, contant), ``date``, ``requested`` (the day the
        request came, on or before ``date``; default: the same day), ``household``, ``note``,
        ``kind`` (gift, loan, conditional), ``due``, ``condition``, ``tegenprestatie``,
        ``tegenprestatie_status``, ``by``, ``reason`` (why a rule of thumb is overridden),
        ``second_opinion``, ``allow_personal_data``, ``extra``, ``bank_line`` (an open line
        of an imported statement that this spend is; the date defaults to its date).
        """
        from .ops.requests import SpendRequest

        return self.record_spend(_request(SpendRequest, team, {"amount": amount, **options})).id

    def record_spend(self, request: SpendRequest) -> Recorded:
        """Record a spend; return it as written: its id, its team and its journal cells
        (what the command line echoes)."""
        from .ops.record import record_spend

        r = _normal(request)
        return record_spend(self.folder, r.team, r.amount, **r.options())

    def spend_cells(self, team: str, amount: Decimal | int | str, *, category: str,
                    household: str | None = None, **options: Any) -> dict[str, str]:
        """Validate a spend and return its journal cells (with ``_team``); writes nothing."""
        from .ops.record import spend_cells

        return spend_cells(self.folder, team, money(amount), category=category, household_code=household,
                           **_with_days(options))

    def mark(self, request: MarkRequest) -> str:
        """Record what became of an entry (a :class:`MarkRequest`): its kind (loan, gift,
        conditional), its tegenprestatie, its outcome, or money recovered; return the line's id.

        The keyword methods :meth:`mark_kind`, :meth:`mark_tegenprestatie`, :meth:`mark_outcome`
        and :meth:`mark_recovered` do each of these."""
        from .core.records import KIND_ALIASES
        from .core.text import resolve_choice
        from .ops.requests import MARK_KINDS

        r = _normal(request)
        what = r.what.strip().lower()
        if what in MARK_KINDS:
            return self.mark_kind(r.entry_id, resolve_choice(what, KIND_ALIASES, "kind"), due=r.due,
                                  condition=r.condition, by=r.by)
        if what == "tegenprestatie":
            return self.mark_tegenprestatie(r.entry_id, r.value or "", status=r.status or "agreed", by=r.by)
        if what == "outcome":
            return self.mark_outcome(r.entry_id, r.value or "", avoided_cost=r.avoided_cost, by=r.by)
        if what == "recovered":
            return self.mark_recovered(r.entry_id, pot=r.pot or "", amount=r.amount, date=r.date, by=r.by)
        raise InputError(f"cannot mark {r.what!r}; use one of: loan, gift, conditional, "
                         "tegenprestatie, outcome, recovered")

    def mark_kind(self, entry_id: str, kind: str, *, due: dt.date | str | None = None,
                  condition: str | None = None, by: str | None = None) -> str:
        """Make an entry a gift, a loan (optionally with a due date) or a conditional grant."""
        from .ops.record import mark_kind

        return mark_kind(self.folder, entry_id, kind, due=day(due, "due"), condition=condition, by=by)

    def mark_tegenprestatie(self, entry_id: str, text: str, *, status: str = "agreed",
                            by: str | None = None) -> str:
        """Record what the resident does in return (tegenprestatie), and how it stands."""
        from .ops.record import mark_tegenprestatie

        return mark_tegenprestatie(self.folder, entry_id, text, status=status, by=by)

    def mark_outcome(self, entry_id: str, outcome: str, *, avoided_cost: Decimal | int | str | None = None,
                     by: str | None = None) -> str:
        """Record whether the case reached its goal, and the cost it avoided (may be negative)."""
        from .ops.record import mark_outcome

        cost = money(avoided_cost, "avoided cost", allow_zero=True, allow_negative=True) \
            if avoided_cost is not None else None
        return mark_outcome(self.folder, entry_id, outcome, avoided_cost=cost, by=by)

    def mark_recovered(self, entry_id: str, *, pot: str, amount: Decimal | int | str | None = None,
                       date: dt.date | str | None = None, by: str | None = None) -> str:
        """Record money paid back by the regular provision that should have paid (default: all)."""
        from .ops.record import mark_recovered

        return mark_recovered(self.folder, entry_id, pot=pot,
                              amount=money(amount) if amount is not None else None, date=day(date), by=by)

    @overload
    def repay(self, request: RepayRequest, /) -> str: ...

    @overload
    def repay(self, entry_id: str, amount: Money, *, date: DateLike = None, by: str | None = None) -> str: ...

    def repay(self, entry_id: str | RepayRequest, amount: Money | None = None, **options: Any) -> str:
        """Record a (partial) repayment of a loan or conditional grant (a :class:`RepayRequest`,
        or its fields); more than owed is refused. Returns the repayment's id."""
        from .ops.record import repay
        from .ops.requests import RepayRequest

        r = _normal(_request(RepayRequest, entry_id, {"amount": amount, **options}))
        return repay(self.folder, r.entry_id, r.amount, date=r.date, by=r.by)

    @overload
    def void(self, request: VoidRequest, /) -> str: ...

    @overload
    def void(self, entry_id: str, *, reason: str, by: str | None = None, with_events: bool = False) -> str: ...

    def void(self, entry_id: str | VoidRequest, **options: Any) -> str:
        """Cancel a line (an entry, or any event) with a reason; the line stays in the journal.
        Returns the void line's id; see :meth:`void_lines`."""
        from .ops.requests import VoidRequest

        r = _request(VoidRequest, entry_id, options)
        done = self.void_lines(r)
        return next(u.void_id for u in done if u.asked)

    @overload
    def void_lines(self, request: VoidRequest, /, *,
                   announce: Callable[[Sequence[Undone]], None] | None = None) -> list[Undone]: ...

    @overload
    def void_lines(self, ids: Sequence[str], *, reason: str, by: str | None = None, with_events: bool = False,
                   dry_run: bool = False, announce: Callable[[Sequence[Undone]], None] | None = None
                   ) -> list[Undone]: ...

    def void_lines(self, ids: Sequence[str] | VoidRequest, *,
                   announce: Callable[[Sequence[Undone]], None] | None = None, **options: Any) -> list[Undone]:
        """Cancel several lines at once (all or none): a :class:`VoidRequest`, or its fields.
        A spend with later events that stand is refused unless they are named too, or
        ``with_events``; a void of a void undoes it. ``announce`` hears what will be voided
        before anything is written (with ``dry_run``, nothing is)."""
        from .ops.record import void_lines
        from .ops.requests import VoidRequest

        r = _request(VoidRequest, ids, options)
        return void_lines(self.folder, r.ids, reason=r.reason, by=r.by, with_events=r.with_events,
                          dry_run=r.dry_run, announce=announce)

    def amend(self, entry_id: str | AmendRequest, **options: Any) -> Recorded:
        """Correct a spend's values, keeping its id (an :class:`AmendRequest`, or its fields:
        ``reason`` and any of category, note, household, date, method, kind, due,
        condition, amount, receipt: a file that proves the spend). Returns the correction as
        written; voiding it undoes it."""
        from .ops.record import amend
        from .ops.requests import AmendRequest

        r = _normal(_request(AmendRequest, entry_id, options))
        return amend(self.folder, r.id, **r.options())

    def anonymise(self, request: AnonymiseRequest | None = None, /, **options: Any) -> Anonymised:
        """Replace the personal text of entries dated before the cut-off (retention): an
        :class:`AnonymiseRequest`, or its fields (``before``, ``dry_run``, ``by``). Every
        figure stays as it was; see :mod:`maatwerk_cli.ops.anonymise`."""
        from .ops.anonymise import anonymise
        from .ops.requests import AnonymiseRequest

        r = _normal(request if request is not None and not options else AnonymiseRequest(**options))
        return anonymise(self, before=r.before, dry_run=r.dry_run, by=r.by)

    def story(self, line_id: str) -> Story:
        """One line's whole story: the entry with every line about it, in file order."""
        from .ops.show import story

        return story(self.folder, line_id)

    @overload
    def refuse(self, request: RefuseRequest, /) -> str: ...

    @overload
    def refuse(self, team: str, *, reason: str, household: str | None = None, amount: Money | None = None,
               category: str | None = None, date: DateLike = None, by: str | None = None,
               allow_personal_data: bool = False) -> str: ...

    def refuse(self, team: str | RefuseRequest, **options: Any) -> str:
        """Record a refused request (weigering) with its reason (a :class:`RefuseRequest`, or
        its fields); return its id."""
        from .ops.requests import RefuseRequest

        return self.record_refusal(_request(RefuseRequest, team, options)).id

    def record_refusal(self, request: RefuseRequest) -> Recorded:
        """Record a refused request; return it as written (id, team, journal cells)."""
        from .ops.record import record_refusal

        r = _normal(request)
        return record_refusal(self.folder, r.team, reason=r.reason, household_code=r.household,
                              amount=r.amount, category=r.category, date=r.date, by=r.by,
                              allow_personal_data=r.allow_personal_data)

    def append_cells(self, team: str, cells: Sequence[Mapping[str, str]]) -> list[str]:
        """Append prepared journal cells for one team under the lock (for importers)."""
        from .ops.record import append_cells

        return append_cells(self.folder, team, cells)

    # ------------------------------------------------------------------ cash, bank, knipkaart, import

    @overload
    def withdraw(self, request: WithdrawRequest, /) -> str: ...

    @overload
    def withdraw(self, team: str, amount: Money, *, date: DateLike = None, note: str | None = None,
                 by: str | None = None, bank_line: str | None = None) -> str: ...

    def withdraw(self, team: str | WithdrawRequest, amount: Money | None = None, **options: Any) -> str:
        """Record cash taken from the team's card account (a :class:`WithdrawRequest`, or its
        fields: ``date``, ``note``, ``by``, ``bank_line``); return its id."""
        from .ops.cash import withdraw
        from .ops.requests import WithdrawRequest

        r = _normal(_request(WithdrawRequest, team, {"amount": amount, **options}))
        return withdraw(self.folder, r.team, r.amount, date=r.date, note=r.note, by=r.by,
                        bank_line=r.bank_line)

    def record_withdrawal(self, request: WithdrawRequest) -> Recorded:
        """Record a cash withdrawal; return it as written: its id, its team, and its ``date``
        (a bank line's, or today, when none was given) and ``amount`` cells."""
        from .core.money import format_plain
        from .ops.record import Recorded, find

        row_id = self.withdraw(request)
        got = find(self.folder, row_id)
        when = got.folded.book.line_day(got.line)
        return Recorded(row_id, got.folded.team, {"date": when.isoformat(),
                                                   "amount": format_plain(money(request.amount))})

    @overload
    def settle(self, request: SettleRequest, /) -> Settlement: ...

    @overload
    def settle(self, team: str, method: str, *, date: DateLike = None, reason: str | None = None,
               by: str | None = None) -> Settlement: ...

    def settle(self, team: str | SettleRequest, method: str | None = None, **options: Any) -> Settlement:
        """End the cash box's remainder: ``deposit`` it, or ``write-off`` a small one (a
        :class:`SettleRequest`, or its fields)."""
        from .ops.cash import settle
        from .ops.requests import SettleRequest

        r = _normal(_request(SettleRequest, team, {"method": method, **options}))
        return settle(self.folder, r.team, r.method, date=r.date, reason=r.reason, by=r.by)

    def cash_status(
        self, teams: Sequence[str] | None = None, as_of: dt.date | str | None = None
    ) -> list[CashStatus]:
        """Each team's cash box: withdrawn, spent in cash, settled, on hand (as of a date)."""
        from .ops.cash import cash_status

        return cash_status(self.folder, teams, day(as_of, "as-of date"))

    def cash_on_hand(self, team: str) -> Decimal:
        """The cash in a team's box now: withdrawn less cash spent, written off and deposited."""
        from .ops.base import team_slug
        from .ops.cash import cash_on_hand

        return cash_on_hand(self.folder, team_slug(self.folder, team))

    @property
    def note_step(self) -> Decimal:
        """Cash machines hand out notes: a withdrawal that is no multiple of this is probably a typo."""
        from .ops.cash import NOTE_STEP

        return NOTE_STEP

    def knipkaart_use(self, team: str, *, reason: str, **options: Any) -> str:
        """Use one exception of the team's knipkaart (options: ``date``, ``force``, ``by``,
        ``allow_personal_data``)."""
        from .ops.knipkaart import use

        return use(self.folder, team, reason=reason, **_with_days(options))

    def knipkaart_status(self, team: str | None = None, *, year: int | None = None) -> list[KnipkaartStatus]:
        """The knipkaart of one team, or of every wijkteam (and any fund that used one), in
        ``year`` (default: this year): used, limit, remaining, and each use."""
        from .ops.knipkaart import status

        return status(self.folder, team, year=year)

    def rules(self, team: str) -> Rules:
        """The rules of thumb in force for a team: the settings' ``[rules]``, overridden by
        the team file's, with where each comes from."""
        from .ops.rules import load_rules

        self.folder.require()
        return load_rules(self.folder, self.team(team).slug)

    def overrides(self, team: str | None = None, *, year: int | None = None,
                  voided: bool = False) -> tuple[list[Override], tuple[Problem, ...]]:
        """Every spend recorded over a rule of thumb (in ``year``, if given), by date, with
        the lines set aside while reading; voided ones only with ``voided``."""
        from .ops.rules import overrides

        return overrides(self.folder, team, year=year, voided=voided)

    @overload
    def import_statement(self, request: ImportBankRequest, /) -> BankImport: ...

    @overload
    def import_statement(self, path: str | os.PathLike[str], team: str, *, fmt: str = "auto",
                         account: str | None = None, dry_run: bool = False) -> BankImport: ...

    def import_statement(self, path: str | os.PathLike[str] | ImportBankRequest, team: str | None = None,
                         **options: Any) -> BankImport:
        """Import a team's card account statement (an :class:`ImportBankRequest`, or its
        fields, the format as ``fmt``) and link each payment to its entry."""
        from .ops.bank import import_statement

        if "fmt" in options:
            options["format"] = options.pop("fmt")
        from .ops.requests import ImportBankRequest

        given = path if isinstance(path, ImportBankRequest) else Path(path)
        r = _request(ImportBankRequest, given, {"team": team, **options})
        return import_statement(self.folder, r.path, r.team, fmt=r.format, account=r.account,
                                dry_run=r.dry_run)

    def bank_lines(self, team: str, *, open_only: bool = False) -> tuple[list[dict[str, Any]], list[Problem]]:
        """A team's imported bank lines with their status (``linked``, ``explained``,
        ``open``, ``credit``), and the lines of its bank file set aside."""
        from .ops.bank import bank_lines

        return bank_lines(self.folder, team, open_only=open_only)

    def explain_bank_line(self, team: str, ref: str, *, reason: str, by: str | None = None) -> str:
        """Close an open payment that has no entry (bank costs, say) with the reason; return
        the line's id."""
        from .ops.bank import explain_bank_line

        return explain_bank_line(self.folder, team, ref, reason=reason, by=by)

    def statement_imports(self, team: str) -> tuple[list[StatementImport], list[Problem]]:
        """A team's imports of statements (undone ones too), in the order they were made, and
        the lines of its bank file set aside."""
        from .ops.bank import statement_imports

        return statement_imports(self.folder, team)

    def set_card_account(self, team: str, account: str, start: dt.date | str) -> CardAccount:
        """Record a team's new card account (a new card, a new bank) from a day: its
        statements are accepted from then on, and the earlier ones still count."""
        from .ops.bank import set_card_account

        when = day(start, "from")
        assert when is not None
        return set_card_account(self.folder, team, account, when)

    def undo_import(self, team: str, import_id: str, *, reason: str, by: str | None = None) -> ImportUndone:
        """Take an import of a statement (its id, ``imp-3fa9c1``) out of the team's accounts;
        voiding the line it writes brings it back."""
        from .ops.bank import undo_import

        return undo_import(self.folder, team, import_id, reason=reason, by=by)

    def reconcile(self, team: str, month: tuple[int, int] | None = None) -> list[Mismatch]:
        """Where a team's bank statements and its journal disagree (optionally in one month)."""
        from .ops.bank import reconcile

        return reconcile(self.folder, team, month)

    def statement_coverage(self, team: str) -> list[Covered]:
        """Per own account, the days a team's imported statements cover (first to last line)."""
        from .ops.bank import statement_coverage

        return statement_coverage(self.folder, team)

    @overload
    def import_entries(self, request: ImportEntriesRequest, /, *,
                       progress: Callable[[int, int], None] | None = None) -> ImportResult: ...

    @overload
    def import_entries(self, path: str | os.PathLike[str], *, team: str | None = None, dry_run: bool = False,
                       allow_future: bool = False, again: bool = False, new_only: bool = False,
                       progress: Callable[[int, int], None] | None = None) -> ImportResult: ...

    def import_entries(self, path: str | os.PathLike[str] | ImportEntriesRequest, *,
                       progress: Callable[[int, int], None] | None = None, **options: Any) -> ImportResult:
        """Bulk entry from a spreadsheet, all rows or none (an :class:`ImportEntriesRequest`,
        or its fields: ``team``, ``dry_run``, ``allow_future``, ``again``, ``new_only``)."""
        from .ops.importer import import_entries
        from .ops.requests import ImportEntriesRequest

        given = path if isinstance(path, ImportEntriesRequest) else Path(path)
        r = _request(ImportEntriesRequest, given, options)
        return import_entries(self.folder, r.path, team=r.team, dry_run=r.dry_run, allow_future=r.allow_future,
                              again=r.again, new_only=r.new_only, progress=progress)

    # ------------------------------------------------------------------ exports

    def journal_export(self, *, year: int | None = None, teams: Sequence[str] | None = None,
                       redactor: Redactor | None = None) -> JournalExport:
        """The transactions and budgets of some teams (default all), for one year or all, as
        the hledger, ledger and beancount writers take them."""
        from .analysis.export import journal_export

        return journal_export(self.folder, year=year, teams=teams, redactor=redactor)

    def export_tables(self, redactor: Redactor | None = None) -> Tables:
        """Every budget holder's entries, paybacks, cash, budgets and refusals as the rows of
        the Parquet dataset's tables."""
        from .analysis.export import tables

        return tables(self.folder, redactor)

    def check(self) -> list[Problem]:
        """Every problem in the folder, with file and line; an empty list means clean."""
        from .ops.check import check_ledger

        return check_ledger(self.folder)


def folder_language(root: str | os.PathLike[str]) -> str | None:
    """The ``language`` a ledger folder's ``maatwerk.toml`` sets for people (``nl``, ``en``),
    or None: none set, or no readable settings (the command itself then says what is wrong)."""
    from .store.folder import SETTINGS_FILE
    from .store.toml import read_toml

    try:
        value = read_toml(Path(root) / SETTINGS_FILE).get("language")
    except Exception:  # noqa: BLE001  (a damaged file is reported by the command, in its language)
        return None
    return value if isinstance(value, str) else None


#: The request classes, importable from here; ops.requests is loaded on first use only.
REQUESTS = ("AmendRequest", "AnonymiseRequest", "ImportBankRequest", "ImportEntriesRequest",
            "MarkRequest", "RefuseRequest", "RepayRequest",
            "SettleRequest", "SpendRequest", "VoidRequest", "WithdrawRequest")


def __getattr__(name: str) -> Any:
    # Building the nine frozen request dataclasses costs about 5 ms, which a report, never
    # handed a request, need not pay at start.
    if name in REQUESTS:
        from .ops import requests

        return getattr(requests, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_ledger(root: str | os.PathLike[str] = "ledgers") -> Ledger:
    """Open an existing ledger folder (raises NotFoundError when it is not one)."""
    ledger = Ledger(root)
    ledger.folder.require()
    return ledger


__all__ = [
    "AmendRequest",
    "AnonymiseRequest",
    "DateLike",
    "ImportBankRequest",
    "ImportEntriesRequest",
    "Ledger",
    "MarkRequest",
    "Money",
    "RefuseRequest",
    "RepayRequest",
    "SettleRequest",
    "Snapshot",
    "SpendRequest",
    "VoidRequest",
    "WithdrawRequest",
    "day",
    "money",
    "open_ledger",
]
