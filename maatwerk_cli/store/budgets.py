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
from ..core.errors import MaatwerkError, Problem
from ..core.money import ZERO, format_eur, parse_amount
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


def _date(value: object, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(f"{what} must be a date without a time, like 2026-07-01")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value, what=what, allow_future=True)
        except MaatwerkError as exc:
            raise ValueError(str(exc)) from None
    raise ValueError(f"{what} must be a date, like 2026-07-01")


def read_budgets(raw: Mapping[str, Any], where: str, text: Callable[[], str]) -> tuple[Budgets, list[Problem]]:
    """The budgets of a parsed team file and every problem with them, at its line
    (``text`` gives the file's text, read only to find the line of a problem).

    Problems: a year that is not a year, an amount that is not an amount, a period that
    is not inside its year or ends before it starts, a change without a date or amount,
    of zero, or dated outside its year's period, and a budget that a cut takes below zero.
    """
    problems: list[Problem] = []
    found: _Lines | None = None

    def bad(line_of: Any, message: str) -> None:
        nonlocal found
        if found is None:
            found = _Lines(text)
        problems.append(Problem(where, line_of(found), message))

    budgets: dict[int, Decimal] = {}
    table = raw.get(BUDGET, {})
    if not isinstance(table, dict):
        bad(lambda f: 0, f"[{BUDGET}] must be a table of year = amount")
        table = {}
    for year, amount in table.items():
        key = str(year)
        if not _is_year(key):
            bad(lambda f, k=key: f.table_key(BUDGET, k), f"budget year {year!r} is not a year; write it like 2026")
            continue
        try:
            budgets[int(key)] = toml_amount(amount, f"budget {key}")
        except MaatwerkError as exc:
            bad(lambda f, k=key: f.table_key(BUDGET, k), str(exc))

    periods: dict[int, tuple[dt.date | None, dt.date | None]] = {}
    table = raw.get(PERIOD, {})
    if not isinstance(table, dict):
        bad(lambda f: 0, f"[{PERIOD}] must be a table of year = {{ start = DATE, end = DATE }}")
        table = {}
    for year, value in table.items():
        key = str(year)

        def here(f: _Lines, k: str = key) -> int:
            return f.table_key(PERIOD, k)

        if not _is_year(key):
            bad(here, f"budget period year {year!r} is not a year; write it like 2026")
            continue
        y = int(key)
        if not isinstance(value, dict) or not value or set(value) - {"start", "end"}:
            bad(here, f"budget period {key} must be written like "
                      f"{{ start = {y}-07-01, end = {y}-12-31 }} (start, end or both)")
            continue
        try:
            start = _date(value["start"], f"budget period {key} start") if "start" in value else None
            end = _date(value["end"], f"budget period {key} end") if "end" in value else None
        except ValueError as exc:
            bad(here, str(exc))
            continue
        if any(d is not None and d.year != y for d in (start, end)):
            bad(here, f"budget period {key} must lie within {key} (1-1-{key} to 31-12-{key})")
            continue
        if start is not None and end is not None and end < start:
            bad(here, f"budget period {key} ends ({end:%d-%m-%Y}) before it starts ({start:%d-%m-%Y})")
            continue
        periods[y] = (start, end)

    changes: list[tuple[int, BudgetChange]] = []  # with each block's place in the file
    items = raw.get(CHANGE, [])
    if not isinstance(items, list):
        bad(lambda f: 0, f"budget_change must be written as [[{CHANGE}]] blocks with from and amount")
        items = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            bad(lambda f, n=n: f.change(n), f"[[{CHANGE}]] must be a block with from and amount")
            continue
        unknown = sorted(set(item) - {"from", "amount", "note"})
        if unknown:
            bad(lambda f, n=n, k=unknown[0]: f.change(n, k),
                f"[[{CHANGE}]] has an unknown key {unknown[0]!r}; use from, amount and note")
            continue
        if "from" not in item or "amount" not in item:
            missing = "from" if "from" not in item else "amount"
            bad(lambda f, n=n: f.change(n), f"[[{CHANGE}]] needs {missing} "
                "(from = 2026-07-01, amount = 5000 for a top-up or -2000 for a cut)")
            continue
        try:
            start = _date(item["from"], "budget change date")
        except ValueError as exc:
            bad(lambda f, n=n: f.change(n, "from"), str(exc))
            continue
        try:
            amount = _change_amount(item["amount"])
        except MaatwerkError as exc:
            bad(lambda f, n=n: f.change(n, "amount"), str(exc))
            continue
        if amount == 0:
            bad(lambda f, n=n: f.change(n, "amount"), "a budget change of € 0,00 changes nothing; remove it")
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
            kind = "top-up" if c.amount > 0 else "cut"
            if not first <= c.start <= last:
                bad(lambda f, n=n: f.change(n, "from"),
                    f"the {kind} from {c.start:%d-%m-%Y} lies outside the budget period of {year} "
                    f"({first:%d-%m-%Y} to {last:%d-%m-%Y})")
            level += c.amount
            if level < 0:
                bad(lambda f, n=n: f.change(n, "amount"),
                    f"the cut of {format_eur(-c.amount)} from {c.start:%d-%m-%Y} takes the budget of "
                    f"{year} below zero ({format_eur(level)})")
    return Budgets(budgets, periods, tuple(c for _, c in changes)), problems


def _is_year(key: str) -> bool:
    return len(key) == 4 and key.isascii() and key.isdigit()


def _change_amount(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MaatwerkError(f"budget change amount must be an amount like 5000 or -2000, not {value!r}")
    if isinstance(value, int):
        return Decimal(value).quantize(Decimal("0.01"))
    text = repr(value) if isinstance(value, float) else value
    return parse_amount(text, what="budget change amount", allow_zero=True, allow_negative=True)
