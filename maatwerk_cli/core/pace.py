"""The pace of a budget: how much of it a budget holder is expected to have spent by a date.

This is the one definition every report uses (utilisation, compare, summary, the pace line
of a chart). It is exact: amounts are :class:`~decimal.Decimal`, the arithmetic is in
:class:`~fractions.Fraction`, and nothing is rounded until a figure is shown.

The rule:

* A year's budget runs over its period: 1 January to 31 December, unless the team file
  gives it its own start and end (a pilot from 1 July).
* Each amount is spent evenly from its own first day up to the end of the period: the base
  budget from the period's start, a top-up (or a cut, a negative amount) from its date.
  "Evenly" means in proportion to the days, counted inclusively (1 January is 1/365 of a
  plain year), or with a spending profile in proportion to each month's weight (a weight
  of 1 is an ordinary month, 2 a month with double the spending; within a month the days
  count alike).
* Worked out, the expected spend on day ``d`` is the sum over the amounts of
  ``amount * W(first day, d) / W(first day, end)``, where ``W(a, b)`` adds up the days'
  weights from ``a`` to ``b``. Equivalently: on the day of a change, what was not yet
  expected to be spent (the new budget less the expected spend of the day before) is
  spread over the days that are left. A cut larger than what was left to spend brings the
  expected spend down to the new budget at once.
* The pace is that expected spend as a share of the year's whole budget (base plus every
  top-up, less every cut, as known); without a budget it is the share of the period's
  weighted days that has passed. Without a period of its own, a profile or changes, this
  is day of the year / days in the year, as it always was.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .money import ZERO

#: The number of weights in a spending profile: one per calendar month.
MONTHS = 12


@dataclass(frozen=True, slots=True)
class BudgetChange:
    """A top-up (a positive amount) or a cut (a negative one) of a year's budget.

    start: the first day the change counts (``--from``). amount: the change, to the cent.
    note: why, as written in the team file.
    """

    start: dt.date
    amount: Decimal
    note: str = ""


@dataclass(frozen=True, slots=True)
class BudgetYear:
    """One year's budget of a budget holder, with its period and its changes.

    year: the calendar year. base: the amount set for the year (``[budget]``).
    start, end: the days the budget runs (the whole year unless the team file says
    otherwise). changes: top-ups and cuts dated in the period, in date order.
    """

    year: int
    base: Decimal = ZERO
    start: dt.date | None = None
    end: dt.date | None = None
    changes: tuple[BudgetChange, ...] = ()

    @property
    def first(self) -> dt.date:
        return self.start or dt.date(self.year, 1, 1)

    @property
    def last(self) -> dt.date:
        return self.end or dt.date(self.year, 12, 31)

    @property
    def total(self) -> Decimal:
        """The year's whole budget as known: base plus top-ups less cuts."""
        return self.base + sum((c.amount for c in self.changes), ZERO)

    @property
    def plain(self) -> bool:
        """The whole calendar year, without changes: the pace is the share of days passed."""
        return self.start is None and self.end is None and not self.changes


@dataclass(frozen=True, slots=True)
class Pace:
    """The pace of one budget (or of several together) on a date.

    expected: the expected spend by then, in euro, exact. total: the year's budget.
    share: ``expected / total`` (without a budget: the share of the period passed), exact.
    """

    expected: Fraction
    total: Decimal
    share: Fraction

    def expected_cents(self) -> Fraction:
        return self.expected * 100

    def expected_eur(self) -> Decimal:
        """The expected spend rounded half up to the cent."""
        return round_cents(self.expected)


def round_half_up(value: Fraction) -> int:
    """A fraction rounded to a whole number, halves away from zero (like ROUND_HALF_UP)."""
    n, d = abs(value.numerator), value.denominator
    whole = (2 * n + d) // (2 * d)
    return whole if value >= 0 else -whole


def round_cents(value: Fraction) -> Decimal:
    """A euro amount in fractions rounded half up to the cent."""
    return Decimal(round_half_up(value * 100)).scaleb(-2)


Profile = Sequence[Fraction] | None


def profile_of(weights: Sequence[Decimal | int | float | Fraction] | None) -> tuple[Fraction, ...] | None:
    """Twelve monthly weights as fractions (checked: none negative, not all zero)."""
    if weights is None:
        return None
    out = tuple(Fraction(Decimal(str(w))) if not isinstance(w, Fraction) else w for w in weights)
    if len(out) != MONTHS:
        raise ValueError(f"a profile has {MONTHS} monthly weights, not {len(out)}")
    if any(w < 0 for w in out) or not any(out):
        raise ValueError("profile weights must be zero or more, and not all zero")
    return out


def weight(a: dt.date, b: dt.date, profile: Profile = None) -> Fraction:
    """``W(a, b)``: the weighted days from ``a`` up to and including ``b`` (0 when b < a)."""
    if b < a:
        return Fraction(0)
    if profile is None:
        return Fraction((b - a).days + 1)
    total = Fraction(0)
    day = a
    while day <= b:
        month_end = dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
        stop = min(month_end, b)
        total += profile[day.month - 1] * ((stop - day).days + 1)
        day = stop + dt.timedelta(days=1)
    return total


def expected_spend(budget: BudgetYear, on: dt.date, profile: Profile = None) -> Fraction:
    """The spend expected by the end of ``on``, in euro (see the module's rule)."""
    first, last = budget.first, budget.last
    if on < first:
        return Fraction(0)
    on = min(on, last)
    expected = Fraction(0)
    level = Fraction(budget.base)
    since = first  # the first day of the stretch with the current level

    def advance(until: dt.date) -> Fraction:
        # The part still to be spent, spread over the days left, as far as ``until``.
        left = weight(since, last, profile)
        if left == 0:  # a profile without weight for the rest of the period: due at once
            return level if until >= since else expected
        return expected + (level - expected) * weight(since, until, profile) / left

    for change in budget.changes:
        start = max(change.start, first)
        if start > on:
            break
        if start > since:
            expected = advance(start - dt.timedelta(days=1))
            since = start
        level += Fraction(change.amount)
        expected = min(expected, level)
    return advance(on)


def pace(budget: BudgetYear, on: dt.date, profile: Profile = None) -> Pace:
    """The pace of one year's budget on ``on``."""
    expected = expected_spend(budget, on, profile)
    total = budget.total
    share = expected / Fraction(total) if total > 0 else time_share(budget.first, budget.last, on, profile)
    return Pace(expected, total, share)


def combined(paces: Sequence[Pace], year: int, on: dt.date, profile: Profile = None) -> Pace:
    """Several budgets together (a totals row, a whole ledger): expected spends added up;
    the share is of the budgets added up (without any: the share of the year passed)."""
    expected = sum((p.expected for p in paces), Fraction(0))
    total = sum((p.total for p in paces), ZERO)
    if total > 0:
        return Pace(expected, total, expected / Fraction(total))
    return Pace(expected, total, time_share(dt.date(year, 1, 1), dt.date(year, 12, 31), on, profile))


def time_share(first: dt.date, last: dt.date, on: dt.date, profile: Profile = None) -> Fraction:
    """The share of the weighted days from ``first`` to ``last`` passed at the end of ``on``."""
    whole = weight(first, last, profile)
    if whole == 0:
        return Fraction(1) if on >= first else Fraction(0)
    return weight(first, min(on, last), profile) / whole


def month_ends(year: int) -> list[dt.date]:
    """The last day of each month of ``year``."""
    return [dt.date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, MONTHS + 1)]
