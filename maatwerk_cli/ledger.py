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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.errors import InputError, Problem
from .core.records import DEFAULT_CATEGORIES, KINDS, Entry, Refusal, Row, Settings, Team
from .store.folder import LedgerFolder

if TYPE_CHECKING:
    import pandas as pd

    from .ops.bank import BankImport, Mismatch
    from .ops.cash import CashStatus, Settlement
    from .ops.importer import ImportResult
    from .ops.record import Undone
    from .ops.show import Story


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


def _with_days(options: dict[str, Any]) -> dict[str, Any]:
    return {k: day(v, k) if k in _DATE_OPTIONS else v for k, v in options.items()}


class Ledger:
    """One ledger folder: a municipality's budget holders and their journals."""

    def __init__(self, root: str | os.PathLike[str] = "ledgers") -> None:
        self.folder = LedgerFolder(root)

    def __repr__(self) -> str:
        return f"Ledger({str(self.root)!r})"

    @property
    def root(self) -> Path:
        return self.folder.root

    # ------------------------------------------------------------------ set-up

    @classmethod
    def init(cls, root: str | os.PathLike[str], *, municipality: str = "", year: int | None = None) -> Ledger:
        """Create a ledger folder with a commented ``maatwerk.toml``."""
        from .ops.setup import init

        return cls(init(root, municipality=municipality, year=year).root)

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

    def spend(self, team: str, amount: Decimal | int | str, *, category: str, household: str | None = None,
              requested: dt.date | str | None = None, **options: Any) -> str:
        """Record a spend; return its id. Nothing is written when anything is wrong.

        Options: ``method`` (pin, factuur, contant), ``date``, ``requested`` (the day the
        request came, on or before ``date``; default: the same day), ``note``, ``kind`` (gift,
        loan, conditional), ``due``, ``condition``, ``tegenprestatie``,
        ``tegenprestatie_status``, ``by``, ``reason`` (why a rule of thumb is overridden),
        ``second_opinion``, ``allow_personal_data``, ``extra``, ``bank_line`` (an open line
        of an imported statement that this spend is; the date defaults to its date).
        """
        from .ops.record import spend

        return spend(self.folder, team, money(amount), category=category, household_code=household,
                     requested=day(requested, "request date"), **_with_days(options))

    def spend_cells(self, team: str, amount: Decimal | int | str, *, category: str,
                    household: str | None = None, **options: Any) -> dict[str, str]:
        """Validate a spend and return its journal cells (with ``_team``); writes nothing."""
        from .ops.record import spend_cells

        return spend_cells(self.folder, team, money(amount), category=category, household_code=household,
                           **_with_days(options))

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

    def repay(self, entry_id: str, amount: Decimal | int | str, *, date: dt.date | str | None = None,
              by: str | None = None) -> str:
        """Record a (partial) repayment of a loan or conditional grant; more than owed is refused."""
        from .ops.record import repay

        return repay(self.folder, entry_id, money(amount), date=day(date), by=by)

    def void(self, entry_id: str, *, reason: str, by: str | None = None, with_events: bool = False) -> str:
        """Cancel a line (an entry, or any event) with a reason; the line stays in the journal.
        Returns the void line's id; see :meth:`void_lines`."""
        from .ops.record import void

        return void(self.folder, entry_id, reason=reason, by=by, with_events=with_events)

    def void_lines(self, ids: Sequence[str], *, reason: str, by: str | None = None,
                   with_events: bool = False, dry_run: bool = False) -> list[Undone]:
        """Cancel several lines at once (all or none). A spend with later events that stand is
        refused unless they are named too, or ``with_events``; a void of a void undoes it."""
        from .ops.record import void_lines

        return void_lines(self.folder, ids, reason=reason, by=by, with_events=with_events,
                          dry_run=dry_run)

    def story(self, line_id: str) -> Story:
        """One line's whole story: the entry with every line about it, in file order."""
        from .ops.show import story

        return story(self.folder, line_id)

    def refuse(self, team: str, *, reason: str, household: str | None = None,
               amount: Decimal | int | str | None = None, category: str | None = None,
               date: dt.date | str | None = None, by: str | None = None, allow_personal_data: bool = False) -> str:
        """Record a refused request (weigering) with its reason."""
        from .ops.record import refuse

        return refuse(self.folder, team, reason=reason, household_code=household,
                      amount=money(amount) if amount is not None else None, category=category,
                      date=day(date), by=by, allow_personal_data=allow_personal_data)

    def append_cells(self, team: str, cells: Sequence[Mapping[str, str]]) -> list[str]:
        """Append prepared journal cells for one team under the lock (for importers)."""
        from .ops.record import append_cells

        return append_cells(self.folder, team, cells)

    # ------------------------------------------------------------------ cash, bank, knipkaart, import

    def withdraw(self, team: str, amount: Decimal | int | str, **options: Any) -> str:
        """Record cash taken from the team's card account (``date``, ``note``, ``by``, ``bank_line``)."""
        from .ops.cash import withdraw

        return withdraw(self.folder, team, money(amount), **_with_days(options))

    def settle(self, team: str, method: str, **options: Any) -> Settlement:
        """End the cash box's remainder: ``deposit`` it, or ``write-off`` a small one."""
        from .ops.cash import settle

        return settle(self.folder, team, method, **_with_days(options))

    def cash_status(
        self, teams: Sequence[str] | None = None, as_of: dt.date | str | None = None
    ) -> list[CashStatus]:
        """Each team's cash box: withdrawn, spent in cash, settled, on hand (as of a date)."""
        from .ops.cash import cash_status

        return cash_status(self.folder, teams, day(as_of, "as-of date"))

    def knipkaart_use(self, team: str, *, reason: str, **options: Any) -> str:
        """Use one exception of the team's knipkaart (options: ``date``, ``force``, ``by``,
        ``allow_personal_data``)."""
        from .ops.knipkaart import use

        return use(self.folder, team, reason=reason, **_with_days(options))

    def import_statement(self, path: str | os.PathLike[str], team: str, **options: Any) -> BankImport:
        """Import a team's card account statement (``fmt``, ``account``, ``dry_run``)."""
        from .ops.bank import import_statement

        return import_statement(self.folder, path, team, **options)

    def reconcile(self, team: str, month: tuple[int, int] | None = None) -> list[Mismatch]:
        from .ops.bank import reconcile

        return reconcile(self.folder, team, month)

    def import_entries(self, path: str | os.PathLike[str], **options: Any) -> ImportResult:
        """Bulk entry from a spreadsheet (``team``, ``dry_run``, ``allow_future``)."""
        from .ops.importer import import_entries

        return import_entries(self.folder, Path(path), **options)

    def check(self) -> list[Problem]:
        """Every problem in the folder, with file and line; an empty list means clean."""
        from .ops.check import check_ledger

        return check_ledger(self.folder)


def open_ledger(root: str | os.PathLike[str] = "ledgers") -> Ledger:
    """Open an existing ledger folder (raises NotFoundError when it is not one)."""
    ledger = Ledger(root)
    ledger.folder.require()
    return ledger


__all__ = ["Ledger", "Snapshot", "money", "open_ledger"]
