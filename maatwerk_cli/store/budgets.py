"""A budget holder's budgets in its team file: the base per year, a year's own period, and
the top-ups and cuts during a year. Reading them (with every problem at its line) and the
shape they are written in.

The shape, hand-editable and one line or block per fact, so that git diffs stay small::

    [budget]                 # the base budget per calendar year
    2026 = 10000

    [budget_period]          # only for a budget that does not run the whole year
    2026 = {start = 2026-07-01, end = 2026-12-31}

    [[budget_change]]        # a top-up (or a cut, a negative amount), from its date
    from = 2026-07-01
    amount = 5000
    note = "extra van de gemeenteraad"

Dates are TOML dates (``2026-07-01``) or text the clerk would type (``"1-7-2026"``);
amounts are numbers or Dutch text (``"5.000"``, ``"-2.000,50"``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..core.dates import parse_date
from ..core.errors import InputError, MaatwerkError, Problem
from ..core.messages import Msg, msg
from ..core.money import ZERO, parse_amount
from ..core.pace import BudgetChange
from .toml import toml_amount

BUDGET = "budget"
PERIOD = "budget_period"
CHANGE = "budget_change"


@dataclass(frozen=True, slots=True)
class Budgets:
    """What a team file says about money: see :class:`~maatwerk_cli.core.records.Team`."""

    budgets: dict[int, Decimal]
    periods: dict[int, tuple[dt.date | None, dt.date | None]]
    changes: tuple[BudgetChange, ...]


class _Lines:
    """Where things stand in a TOML file, found by reading its lines (only when a problem
    must be shown: the parser does not keep line numbers)."""

    def __init__(self, text: Callable[[], str]) -> None:
        try:
            self.lines = text().splitlines()
        except (OSError, UnicodeDecodeError):
            self.lines = []

    def _headers(self, pattern: str) -> list[int]:
        rx = re.compile(pattern)
        return [i for i, line in enumerate(self.lines) if rx.match(line)]

    def _key_after(self, start: int, key: str) -> int:
        """The 1-based line of ``key = ...`` in the table whose header is at ``start`` (0-based)."""
        rx = re.compile(r"\s*(?:" + re.escape(key) + r'|"' + re.escape(key) + r'")\s*=')
        for i in range(start + 1, len(self.lines)):
            if re.match(r"\s*\[", self.lines[i]):
                break
            if rx.match(self.lines[i]):
                return i + 1
        return start + 1

    def table_key(self, table: str, key: str) -> int:
        heads = self._headers(r"\s*\[\s*" + re.escape(table) + r"\s*\]")
        return self._key_after(heads[0], key) if heads else 0

    def change(self, index: int, key: str | None = None) -> int:
        heads = self._headers(r"\s*\[\[\s*" + re.escape(CHANGE) + r"\s*\]\]")
        if index >= len(heads):
            return 0
        return self._key_after(heads[index], key) if key else heads[index] + 1


def _date(value: object, what: Msg) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InputError(msg("budget.date_with_time", what=what))
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value, what=what, allow_future=True)
    raise InputError(msg("budget.not_a_date", what=what))


def read_budgets(raw: Mapping[str, Any], where: str, text: Callable[[], str]) -> tuple[Budgets, list[Problem]]:
    """The budgets of a parsed team file and every problem with them, at its line
    (``text`` gives the file's text, read only to find the line of a problem).

    Problems: a year that is not a year, an amount that is not an amount, a period that
    is not inside its year or ends before it starts, a change without a date or amount,
    of zero, or dated outside its year's period, and a budget that a cut takes below zero.
    """
    problems: list[Problem] = []
    found: _Lines | None = None

    def bad(line_of: Any, message: str | Msg) -> None:
        nonlocal found
        if found is None:
            found = _Lines(text)
        problems.append(Problem(where, line_of(found), message))

    budgets: dict[int, Decimal] = {}
    table = raw.get(BUDGET, {})
    if not isinstance(table, dict):
        bad(lambda f: 0, msg("budget.not_a_table", table=BUDGET))
        table = {}
    for year, amount in table.items():
        key = str(year)
        if not _is_year(key):
            bad(lambda f, k=key: f.table_key(BUDGET, k), msg("budget.year_not_a_year", year=repr(year)))
            continue
        try:
            budgets[int(key)] = toml_amount(amount, f"budget {key}")
        except MaatwerkError as exc:
            bad(lambda f, k=key: f.table_key(BUDGET, k), exc.msg or exc.message)

    periods: dict[int, tuple[dt.date | None, dt.date | None]] = {}
    table = raw.get(PERIOD, {})
    if not isinstance(table, dict):
        bad(lambda f: 0, msg("budget.period_not_a_table", table=PERIOD))
        table = {}
    for year, value in table.items():
        key = str(year)

        def here(f: _Lines, k: str = key) -> int:
            return f.table_key(PERIOD, k)

        if not _is_year(key):
            bad(here, msg("budget.period_year_not_a_year", year=repr(year)))
            continue
        y = int(key)
        if not isinstance(value, dict) or not value or set(value) - {"start", "end"}:
            bad(here, msg("budget.period_form", year=key))
            continue
        try:
            start = _date(value["start"], msg("budget.period_start", year=key)) if "start" in value else None
            end = _date(value["end"], msg("budget.period_end", year=key)) if "end" in value else None
        except MaatwerkError as exc:
            bad(here, exc.msg or exc.message)
            continue
        if any(d is not None and d.year != y for d in (start, end)):
            bad(here, msg("budget.period_outside_its_year", year=key))
            continue
        if start is not None and end is not None and end < start:
            bad(here, msg("budget_file.period_ends_before_start", year=key, end=end, start=start))
            continue
        periods[y] = (start, end)

    changes: list[tuple[int, BudgetChange]] = []  # with each block's place in the file
    items = raw.get(CHANGE, [])
    if not isinstance(items, list):
        bad(lambda f: 0, msg("budget.changes_not_blocks", table=CHANGE))
        items = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            bad(lambda f, n=n: f.change(n), msg("budget.change_not_a_block", table=CHANGE))
            continue
        unknown = sorted(set(item) - {"from", "amount", "note"})
        if unknown:
            bad(lambda f, n=n, k=unknown[0]: f.change(n, k),
                msg("budget.change_unknown_key", table=CHANGE, key=repr(unknown[0])))
            continue
        if "from" not in item or "amount" not in item:
            missing = "from" if "from" not in item else "amount"
            bad(lambda f, n=n: f.change(n), msg("budget.change_needs", table=CHANGE, missing=missing))
            continue
        try:
            start = _date(item["from"], msg("budget.change_date"))
        except MaatwerkError as exc:
            bad(lambda f, n=n: f.change(n, "from"), exc.msg or exc.message)
            continue
        try:
            amount = _change_amount(item["amount"])
        except MaatwerkError as exc:
            bad(lambda f, n=n: f.change(n, "amount"), exc.msg or exc.message)
            continue
        if amount == 0:
            bad(lambda f, n=n: f.change(n, "amount"), msg("budget_file.change_zero", amount=ZERO))
            continue
        note = item.get("note", "")
        changes.append((n, BudgetChange(start, amount, str(note))))
    changes.sort(key=lambda nc: nc[1].start)  # stable: same-day changes keep their file order

    # Whole-year checks: each change inside its year's period, no budget below zero.
    for year in sorted({c.start.year for _, c in changes}):
        start, end = periods.get(year, (None, None))
        first, last = start or dt.date(year, 1, 1), end or dt.date(year, 12, 31)
        level = budgets.get(year, ZERO)
        for n, c in ((n, c) for n, c in changes if c.start.year == year):
            kind = msg("budget.top_up") if c.amount > 0 else msg("budget.cut")
            if not first <= c.start <= last:
                bad(lambda f, n=n: f.change(n, "from"),
                    msg("budget.change_outside_period", kind=kind, day=c.start, year=year, first=first, last=last))
            level += c.amount
            if level < 0:
                bad(lambda f, n=n: f.change(n, "amount"),
                    msg("budget.cut_below_zero", cut=-c.amount, day=c.start, year=year, level=level))
    return Budgets(budgets, periods, tuple(c for _, c in changes)), problems


def _is_year(key: str) -> bool:
    return len(key) == 4 and key.isascii() and key.isdigit()


def _change_amount(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MaatwerkError(msg("budget.change_amount_not_amount", value=repr(value)))
    if isinstance(value, int):
        return Decimal(value).quantize(Decimal("0.01"))
    text = repr(value) if isinstance(value, float) else value
    return parse_amount(text, what="budget change amount", allow_zero=True, allow_negative=True)
