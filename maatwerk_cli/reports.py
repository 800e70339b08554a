"""Reports: utilisation against the pace of the year, team comparison, categories, loans,
outcomes, stories for the team meeting, and the researcher's summary over many ledgers.

Every report is a function of a :class:`~maatwerk_cli.ledger.Ledger` that returns a pandas
DataFrame with the columns its docstring lists, in that order. Those names are a contract
with scripts: later versions add columns after them, never rename them. Money columns
hold :class:`~decimal.Decimal` exact to the cent (object dtype); fractions are floats
(0.079 is 7.9%) or ``None`` when there is nothing to divide by; dates are
:class:`datetime.date`; counts are int.

``frame.attrs`` carries what a table needs besides the rows:

* ``problems``: journal lines set aside while reading (a tuple of
  :class:`~maatwerk_cli.errors.Problem`); the figures leave them out, so show them;
* ``total``: the totals row as one record (first column ``totaal``), computed from the
  data, not by adding up rows (a median or a share cannot be added);
* ``year`` and ``as_of``, and for :func:`utilisation` also ``expected``, ``under_share``
  and ``month``.

What counts, in every report:

* a spend counts when it is dated from 1 January of the year up to the as-of date and is
  not voided (a void cancels the spend whenever it was recorded);
* ``spent`` is those spends plus cash remainders written off (``settle`` rows with method
  ``write-off``) in the same stretch: money leaves the budget when it is spent, so a cash
  spend counts on its own date and a withdrawal or a deposit never counts;
* repayments and recoveries count on the date they were received.

pandas is imported by this module: the command line imports it inside the commands only.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .dates import parse_month, today
from .errors import InputError, NotFoundError, Problem
from .frames import entry_frame, load_frame, paid_back, spends_and_events
from .model import Team, resolve_category
from .money import format_eur

if TYPE_CHECKING:
    from .ledger import Ledger

TOTAL_LABEL = "totaal"
LOAN_KINDS = ("loan", "conditional")
PACE_STATUSES = ("under", "on-track", "over")

#: Columns of :func:`utilisation` (the contract), then its extra columns.
UTILISATION_COLUMNS = (
    "team", "budget", "spent", "repaid", "net", "utilisation", "expected", "status", "projected",
)
UTILISATION_EXTRA = ("month_spent", "cash_on_hand", "kind", "name")
#: Columns of :func:`compare` (the contract), then its extra columns.
COMPARE_COLUMNS = (
    "team", "budget", "spent", "utilisation", "count", "average", "median", "max",
    "top_category", "loans_outstanding", "tegenprestatie_share", "refusals",
)
COMPARE_EXTRA = ("kind", "name")
CATEGORY_COLUMNS = ("category", "count", "amount", "share_count", "share_amount")
LOAN_COLUMNS = (
    "id", "team", "date", "kind", "amount", "repaid", "recovered", "outstanding", "due",
    "days_overdue", "condition", "household",
)
OUTCOME_COLUMNS = ("team", "reached", "partial", "not_reached", "avoided_cost")
OUTCOME_EXTRA = ("cases", "evaluated", "costed", "cheaper")
STORY_COLUMNS = (
    "id", "team", "date", "category", "amount", "kind", "note", "tegenprestatie",
    "tegenprestatie_status", "outcome", "avoided_cost", "due", "condition", "repaid",
    "outstanding",
)
SUMMARY_BY = ("municipality", "team")

_ALL = "\x00all"  # the group key when a whole ledger is one group
#: The entry columns the figures need (copying ids and text would cost on a big ledger).
_FIGURE_COLUMNS = ["sidx", "team", "date", "amount_cents", "category", "method", "kind",
                   "has_tegenprestatie", "outcome", "avoided_cents"]
_CENT = Decimal("0.01")


# ---------------------------------------------------------------------------- the period


@dataclass(frozen=True, slots=True)
class Period:
    """The part of a budget year a report counts.

    year: the budget year. as_of: the last day counted (the peildatum).
    month_start: the first day of the month asked for with ``month``, else None.
    """

    year: int
    as_of: dt.date
    month_start: dt.date | None = None

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def day_of_year(self) -> int:
        """1 on 1 January, 365 (366 in a leap year) on 31 December."""
        return self.as_of.timetuple().tm_yday

    @property
    def days_in_year(self) -> int:
        return 366 if calendar.isleap(self.year) else 365

    @property
    def expected(self) -> float:
        """The share of the year elapsed at the as-of date, counted in days."""
        return self.day_of_year / self.days_in_year


def period(
    year: int | None = None,
    as_of: dt.date | None = None,
    month: str | tuple[int, int] | None = None,
    *,
    on: dt.date | None = None,
) -> Period:
    """The period a report covers.

    ``month`` (``"2025-03"`` or ``(2025, 3)``) sets the as-of date to that month's last day,
    or to today while the month runs. ``year`` defaults to the year of the as-of date or the
    month, else the current year; the as-of date defaults to today in the current year and
    to 31 December in a past year. ``on`` stands in for today (tests).
    """
    now = on or today()
    month_start: dt.date | None = None
    if month is not None:
        if as_of is not None:
            raise InputError("give --as-of or --month, not both")
        y, m = parse_month(month) if isinstance(month, str) else month
        month_start = dt.date(y, m, 1)
        if month_start > now:
            raise InputError(f"month {y}-{m:02d} has not begun yet")
        if year is not None and year != y:
            raise InputError(f"month {y}-{m:02d} is not in {year}")
        as_of = min(dt.date(y, m, calendar.monthrange(y, m)[1]), now)
    if year is None:
        year = as_of.year if as_of is not None else now.year
    if as_of is None:
        if year > now.year:
            raise InputError(f"year {year} has not begun yet; give a year up to {now.year}")
        as_of = now if year == now.year else dt.date(year, 12, 31)
    elif as_of.year != year:
        raise InputError(f"the as-of date {as_of:%d-%m-%Y} is not in {year}")
    return Period(year, as_of, month_start)


def projected_cents(spent_cents: int, p: Period) -> int:
    """Year-end spend at the current pace: spent / expected, rounded to the cent."""
    value = Decimal(spent_cents) * p.days_in_year / p.day_of_year
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def pace_status(spent_cents: int, budget_cents: int, p: Period, under_share: Decimal) -> str:
    """``over``, ``under`` or ``on-track`` (see :func:`utilisation`); exact, in cents."""
    if spent_cents > budget_cents or projected_cents(spent_cents, p) > budget_cents:
        return "over"
    if budget_cents <= 0:
        return "on-track"  # no budget and nothing spent
    # utilisation < under_share * expected, without rounding:
    # spent / budget < share * day / days  <=>  spent * days < share * day * budget
    if Decimal(spent_cents) * p.days_in_year < under_share * p.day_of_year * budget_cents:
        return "under"
    return "on-track"


def check_share(value: Decimal | float | str) -> Decimal:
    """An under-share between 0 and 1 (``0.5``, ``"0,5"`` and ``"50%"`` all mean a half)."""
    text = str(value).strip().replace(",", ".")
    percent = text.endswith("%")
    try:
        share = Decimal(text[:-1].strip() if percent else text)
    except InvalidOperation:
        raise InputError(f"under-share {value!r} is not a number; write it like 0,5 or 50%") from None
    if percent:
        share /= 100
    if not share.is_finite() or not 0 <= share <= 1:
        raise InputError(f"under-share {value!r} must lie between 0 and 1 (or 0% and 100%)")
    return share


# ---------------------------------------------------------------------------- reading once


def _eur(cents: int | float | np.integer[Any]) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def _round_cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def _holders(ledger: Ledger, teams: Sequence[str] | str | None) -> list[Team]:
    if isinstance(teams, str):
        teams = [teams]
    if not teams:
        return ledger.teams()
    slugs = dict.fromkeys(t.strip().lower() for t in teams)
    return [ledger.team(s) for s in slugs]


class _Data:
    """One ledger read once for a report: journal rows, spends as they stand, their events."""

    def __init__(self, ledger: Ledger, teams: Sequence[str] | str | None, *, text: bool = False) -> None:
        self.ledger = ledger
        self.holders = _holders(ledger, teams)
        self.slugs = [t.slug for t in self.holders]
        # With no budget holders at all, load_frame reads all (that is: no) journals.
        self.rows, self.problems = load_frame(ledger, self.slugs)
        # Free text is copied only for the reports that show it (loans, stories).
        self.spends, self.events = spends_and_events(self.rows, text=text)
        self.entries = entry_frame(self.rows, self.spends, self.events, text=text)

    def counted(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Spends dated from ``start`` to ``end`` that are not voided (figures, no text)."""
        e = self.entries
        dates = e["date"]
        mask = ~e["voided"].to_numpy() & (dates >= _ts(start)).to_numpy() & (dates <= _ts(end)).to_numpy()
        return e.loc[mask, _FIGURE_COLUMNS]

    def rows_of(self, kind: str, start: dt.date | None, end: dt.date) -> pd.DataFrame:
        """Journal rows of one type dated from ``start`` (or ever) up to ``end``."""
        r = self.rows
        mask = (r["type"] == kind).to_numpy() & (r["date"] <= _ts(end)).to_numpy()
        if start is not None:
            mask &= (r["date"] >= _ts(start)).to_numpy()
        return r.loc[mask, ["team", "date", "amount_cents", "method"]]

    def written_off(self, start: dt.date | None, end: dt.date) -> pd.DataFrame:
        settle = self.rows_of("settle", start, end)
        return settle[settle["method"] == "write-off"]

    def spent_by(self, start: dt.date, end: dt.date, by_team: bool = True) -> dict[str, int]:
        """Cents spent per team (or for all under :data:`_ALL`): spends plus write-offs."""
        out = _sum_by(self.counted(start, end), "amount_cents", by_team)
        for key, cents in _sum_by(self.written_off(start, end), "amount_cents", by_team).items():
            out[key] = out.get(key, 0) + cents
        return out

    def paid_back_by(self, start: dt.date, end: dt.date, by_team: bool = True) -> dict[str, int]:
        """Repayments and recoveries received from ``start`` to ``end`` on spends not voided."""
        ev = self.events
        voided = self.entries["voided"].to_numpy()
        mask = (
            ev["type"].isin(["repay", "recovered"]).to_numpy()
            & (ev["date"] >= _ts(start)).to_numpy()
            & (ev["date"] <= _ts(end)).to_numpy()
        )
        if len(ev):
            mask &= ~voided[ev["sidx"].to_numpy()]
        return _sum_by(ev[mask], "amount_cents", by_team)

    def cash_on_hand_by(self, end: dt.date) -> dict[str, int]:
        """Withdrawn - cash spends (not voided) - written off - deposited, up to ``end``."""
        e = self.entries
        cash = (e["method"] == "contant").to_numpy()
        cash_spends = e[~e["voided"].to_numpy() & cash & (e["date"] <= _ts(end)).to_numpy()]
        out = _sum_by(self.rows_of("withdraw", None, end), "amount_cents", True)
        settled = self.rows_of("settle", None, end)
        for part in (cash_spends, settled):
            for key, cents in _sum_by(part, "amount_cents", True).items():
                out[key] = out.get(key, 0) - cents
        return out


def _keys(frame: pd.DataFrame, by_team: bool) -> pd.Series:
    """The group of each row: its team, or one group for all (label with :func:`_label`)."""
    if by_team:
        return frame["team"].rename("key")
    return pd.Series(np.zeros(len(frame), dtype=np.int8), index=frame.index, name="key")


def _label(key: Any) -> str:
    return _ALL if isinstance(key, (int, np.integer)) else str(key)


def _sum_by(frame: pd.DataFrame, column: str, by_team: bool) -> dict[str, int]:
    if frame.empty:
        return {}
    if not by_team:
        return {_ALL: int(frame[column].sum())}
    sums = frame[column].groupby(frame["team"], observed=True, sort=False).sum()
    return {str(k): int(v) for k, v in sums.items()}


def _finish(records: list[dict[str, Any]], columns: Sequence[str], **attrs: Any) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(columns)) if records else pd.DataFrame(
        {c: pd.Series([], dtype=object) for c in columns}
    )
    frame.attrs.update(attrs)
    return frame


# ---------------------------------------------------------------------------- utilisation


def utilisation(
    ledger: Ledger,
    teams: Sequence[str] | str | None = None,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    month: str | tuple[int, int] | None = None,
    under_share: Decimal | float | str | None = None,
) -> pd.DataFrame:
    """Each budget holder's spending against its budget and the pace of the year.

    Columns:

    * ``team``: the budget holder's slug;
    * ``budget``: its budget for the year (0 when none is set);
    * ``spent``: spends dated in the year up to the as-of date, not voided, plus cash
      remainders written off in that stretch;
    * ``repaid``: repayments and recoveries received in that stretch (on spends not voided);
    * ``net``: spent - repaid;
    * ``utilisation``: spent / budget (0.079 is 7.9%); None without a budget;
    * ``expected``: the share of the year elapsed at the as-of date, in days: day of the
      year / days in the year (1 January 1/365, 30 September 273/365, 31 December 1);
    * ``status``: ``over`` when spent or projected exceeds the budget (with no budget:
      anything spent), else ``under`` when utilisation < under_share x expected, else
      ``on-track``;
    * ``projected``: year-end spend at the current pace, spent / expected (on 31 December it
      equals spent);

    then ``month_spent`` (only with ``month``: spent in that month up to the as-of date),
    ``cash_on_hand`` (withdrawn - cash spends - written off - deposited, up to the as-of
    date), ``kind`` (``team`` or ``fund``) and ``name``.

    ``under_share`` defaults to the settings' ``[pace] under_share`` (0.5). See
    :func:`period` for the defaults of ``year``, ``as_of`` and ``month``.
    """
    p = period(year, as_of, month)
    share = check_share(under_share if under_share is not None else ledger.settings.under_share)
    data = _Data(ledger, teams)
    spent = data.spent_by(p.start, p.as_of)
    paid = data.paid_back_by(p.start, p.as_of)
    month_spent = data.spent_by(p.month_start, p.as_of) if p.month_start else {}
    cash = data.cash_on_hand_by(p.as_of)
    columns = list(UTILISATION_COLUMNS) + [
        c for c in UTILISATION_EXTRA if c != "month_spent" or p.month_start is not None
    ]
    records = []
    for team in data.holders:
        slug = team.slug
        records.append(_pace_record(
            slug, _cents(team.budget(p.year)), spent.get(slug, 0), paid.get(slug, 0), p, share,
            month_spent=month_spent.get(slug, 0) if p.month_start else None,
            cash=cash.get(slug, 0), kind=team.kind, name=team.name,
        ))
    total = _pace_record(
        TOTAL_LABEL,
        sum(_cents(t.budget(p.year)) for t in data.holders),
        sum(spent.values()), sum(paid.values()), p, share,
        month_spent=sum(month_spent.values()) if p.month_start else None,
        cash=sum(cash.values()), kind="", name="",
    )
    return _finish(
        records, columns, problems=data.problems, total=total, year=p.year, as_of=p.as_of,
        expected=p.expected, under_share=share,
        month=f"{p.month_start:%Y-%m}" if p.month_start else None,
    )


def _pace_record(
    team: str, budget: int, spent: int, paid: int, p: Period, share: Decimal, *,
    month_spent: int | None, cash: int, kind: str, name: str,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "team": team,
        "budget": _eur(budget),
        "spent": _eur(spent),
        "repaid": _eur(paid),
        "net": _eur(spent - paid),
        "utilisation": spent / budget if budget > 0 else None,
        "expected": p.expected,
        "status": pace_status(spent, budget, p, share),
        "projected": _eur(projected_cents(spent, p)),
    }
    if month_spent is not None:
        record["month_spent"] = _eur(month_spent)
    record.update(cash_on_hand=_eur(cash), kind=kind, name=name)
    return record


# ---------------------------------------------------------------------------- compare


@dataclass(frozen=True, slots=True)
class _Figures:
    """The compare figures of one group of spends, in cents and counts."""

    spent: int = 0
    spends: int = 0
    count: int = 0
    max: int | None = None
    median: Decimal | None = None
    top_category: str | None = None
    loans_outstanding: int = 0
    with_tegenprestatie: int = 0
    refusals: int = 0


def _figures(data: _Data, p: Period, by_team: bool) -> dict[str, _Figures]:
    """Compare figures per team (or for the whole ledger under :data:`_ALL`)."""
    sel = data.counted(p.start, p.as_of)
    keys = _keys(sel, by_team)
    amounts = sel["amount_cents"]
    grouped = amounts.groupby(keys, sort=False, observed=True)
    count = {_label(k): int(v) for k, v in grouped.size().items()}
    total = {_label(k): int(v) for k, v in grouped.sum().items()}
    biggest = {_label(k): int(v) for k, v in grouped.max().items()}
    middle = {_label(k): float(v) for k, v in grouped.median().items()}
    top: dict[str, str] = {}
    if len(sel):
        by_cat = amounts.groupby([keys, sel["category"]], sort=False, observed=True).sum()
        by_cat = by_cat.reset_index(name="cents")
        by_cat["key"] = [_label(k) for k in by_cat["key"]]
        by_cat["category"] = by_cat["category"].astype(object)
        by_cat = by_cat.sort_values(["key", "cents", "category"], ascending=[True, False, True],
                                    kind="stable").drop_duplicates("key")
        top = dict(zip(by_cat["key"], by_cat["category"], strict=True))
    teg = {_label(k): int(v) for k, v in
           sel["has_tegenprestatie"].groupby(keys, sort=False, observed=True).sum().items()}
    loans = sel[sel["kind"].isin(LOAN_KINDS).to_numpy()]
    owed: dict[str, int] = {}
    if len(loans):
        back = paid_back(data.events, len(data.entries), _ts(p.as_of))[loans["sidx"].to_numpy()]
        left = np.maximum(loans["amount_cents"].to_numpy() - back, 0)
        sums = pd.Series(left, index=loans.index).groupby(keys[loans.index], sort=False, observed=True).sum()
        owed = {_label(k): int(v) for k, v in sums.items()}
    spent = data.spent_by(p.start, p.as_of, by_team)
    refusals = data.rows_of("refusal", p.start, p.as_of)
    refused: dict[str, int] = {}
    if len(refusals):
        refused = {_label(k): int(v) for k, v in _keys(refusals, by_team).value_counts().items() if v}
    out: dict[str, _Figures] = {}
    for key in set(spent) | set(count) | set(refused):
        n = count.get(key, 0)
        out[key] = _Figures(
            spent=spent.get(key, 0),
            spends=total.get(key, 0),
            count=n,
            max=biggest[key] if n else None,
            median=Decimal(repr(middle[key])) if n else None,
            top_category=top.get(key),
            loans_outstanding=owed.get(key, 0),
            with_tegenprestatie=teg.get(key, 0),
            refusals=refused.get(key, 0),
        )
    return out


def _compare_record(label: str, budget: int, f: _Figures) -> dict[str, Any]:
    n = f.count
    return {
        "team": label,
        "budget": _eur(budget),
        "spent": _eur(f.spent),
        "utilisation": f.spent / budget if budget > 0 else None,
        "count": n,
        "average": _eur(_round_cents(Decimal(f.spends) / n)) if n else None,
        "median": _eur(_round_cents(f.median)) if f.median is not None else None,
        "max": _eur(f.max) if f.max is not None else None,
        "top_category": f.top_category,
        "loans_outstanding": _eur(f.loans_outstanding),
        "tegenprestatie_share": f.with_tegenprestatie / n if n else None,
        "refusals": f.refusals,
    }


def compare(
    ledger: Ledger,
    teams: Sequence[str] | str | None = None,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """One row per budget holder, side by side.

    Columns: ``team``; ``budget``; ``spent`` and ``utilisation`` (as in :func:`utilisation`);
    ``count``: spends counted; ``average``, ``median``, ``max``: of those spends' amounts
    (cash write-offs are in ``spent`` but are not spends), rounded half up to the cent,
    None without spends; ``top_category``: the category with the most money (ties: the
    first by name); ``loans_outstanding``: still owed at the as-of date on the counted
    loans and conditional grants (amount - repayments and recoveries received by then);
    ``tegenprestatie_share``: share of the counted spends with a tegenprestatie recorded;
    ``refusals``: refused requests dated in the stretch; then ``kind`` and ``name``.

    Counted are spends in ``year`` up to ``as_of`` (defaults as for :func:`utilisation`).
    """
    p = period(year, as_of)
    data = _Data(ledger, teams)
    figures = _figures(data, p, by_team=True)
    records = []
    for team in data.holders:
        record = _compare_record(team.slug, _cents(team.budget(p.year)), figures.get(team.slug, _Figures()))
        records.append({**record, "kind": team.kind, "name": team.name})
    overall = _figures(data, p, by_team=False).get(_ALL, _Figures())
    budget = sum(_cents(t.budget(p.year)) for t in data.holders)
    total = {**_compare_record(TOTAL_LABEL, budget, overall), "kind": "", "name": ""}
    return _finish(records, COMPARE_COLUMNS + COMPARE_EXTRA, problems=data.problems, total=total,
                   year=p.year, as_of=p.as_of)


def transpose(frame: pd.DataFrame, key: str = "team") -> pd.DataFrame:
    """A report with its rows as columns: one row per field, one column per ``key`` value.

    The first column, ``field``, names the figure; like the Rotterdam/Zaanstad table in
    the sources. Values keep their types (so a column mixes money, counts and fractions).
    """
    labels = [str(v) for v in frame[key]]
    fields = [c for c in frame.columns if c != key]
    records = [
        {"field": name, **{label: value for label, value in zip(labels, frame[name], strict=True)}}
        for name in fields
    ]
    out = pd.DataFrame.from_records(records, columns=["field", *labels])
    out.attrs.update(frame.attrs)
    return out


# ---------------------------------------------------------------------------- categories


def categories(
    ledger: Ledger,
    teams: Sequence[str] | str | None = None,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """Where the money went, by category, most money first.

    Columns: ``category``; ``count``: spends counted (as in :func:`compare`); ``amount``:
    their money; ``share_count`` and ``share_amount``: fractions of all counted spends of
    the chosen teams. Cash write-offs have no category and are left out.
    """
    p = period(year, as_of)
    data = _Data(ledger, teams)
    sel = data.counted(p.start, p.as_of)
    grouped = (
        sel["amount_cents"].groupby(sel["category"], sort=False, observed=True)
        .agg(["size", "sum"]).reset_index()
    )
    grouped["category"] = grouped["category"].astype(object)
    grouped = grouped.sort_values(["sum", "size", "category"], ascending=[False, False, True],
                                  kind="stable")
    all_count = int(grouped["size"].sum())
    all_cents = int(grouped["sum"].sum())
    records = [
        {
            "category": str(row.category),
            "count": int(row.size),
            "amount": _eur(row.sum),
            "share_count": int(row.size) / all_count,
            "share_amount": int(row.sum) / all_cents if all_cents else None,
        }
        for row in grouped.itertuples(index=False)
    ]
    total = {
        "category": TOTAL_LABEL,
        "count": all_count,
        "amount": _eur(all_cents),
        "share_count": 1.0 if all_count else None,
        "share_amount": 1.0 if all_cents else None,
    }
    return _finish(records, CATEGORY_COLUMNS, problems=data.problems, total=total,
                   year=p.year, as_of=p.as_of)


# ---------------------------------------------------------------------------- loans


def loans(
    ledger: Ledger,
    teams: Sequence[str] | str | None = None,
    *,
    overdue: bool = False,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """Open loans and conditional grants at the as-of date (default today), any year.

    Columns: ``id``, ``team``, ``date`` (of the spend), ``kind`` (``loan`` or
    ``conditional``), ``amount``; ``repaid``: repayments received by the as-of date;
    ``recovered``: paid back by the provision that should have paid; ``outstanding``:
    amount - repaid - recovered (more than zero, or the entry is not listed); ``due``: the
    loan's repayment date (None when not set, and for conditional grants);
    ``days_overdue``: days past ``due`` at the as-of date (0 when not overdue or no due
    date); ``condition``: what a conditional grant depends on; ``household``: the
    pseudonymous code, for follow-up.

    With ``overdue``, only loans past their due date. Sorted most overdue first, then by
    due date (none last), date and id.
    """
    end = as_of or today()
    data = _Data(ledger, teams, text=True)
    e = data.entries
    owing = e["kind"].isin(LOAN_KINDS).to_numpy()
    sel = e[~e["voided"].to_numpy() & owing & (e["date"] <= _ts(end)).to_numpy()]
    n = len(e)
    repaid = _until(data.events, "repay", n, end)[sel["sidx"].to_numpy()]
    recovered = _until(data.events, "recovered", n, end)[sel["sidx"].to_numpy()]
    left = sel["amount_cents"].to_numpy() - repaid - recovered
    records = []
    for i, row in enumerate(sel.itertuples(index=False)):
        if left[i] <= 0:
            continue
        due = row.due.date() if not pd.isna(row.due) else None
        late = (end - due).days if due is not None and due < end else 0
        if overdue and late <= 0:
            continue
        records.append({
            "id": row.id,
            "team": str(row.team),
            "date": row.date.date(),
            "kind": row.kind,
            "amount": _eur(row.amount_cents),
            "repaid": _eur(repaid[i]),
            "recovered": _eur(recovered[i]),
            "outstanding": _eur(left[i]),
            "due": due,
            "days_overdue": late,
            "condition": row.condition,
            "household": row.household,
        })
    records.sort(key=lambda r: (-r["days_overdue"], r["due"] or dt.date.max, r["date"], r["id"]))
    total: dict[str, Any] = {c: None for c in LOAN_COLUMNS}
    total.update(
        id=TOTAL_LABEL,
        amount=sum((r["amount"] for r in records), Decimal("0.00")),
        repaid=sum((r["repaid"] for r in records), Decimal("0.00")),
        recovered=sum((r["recovered"] for r in records), Decimal("0.00")),
        outstanding=sum((r["outstanding"] for r in records), Decimal("0.00")),
    )
    return _finish(records, LOAN_COLUMNS, problems=data.problems, total=total, as_of=end)


def _until(events: pd.DataFrame, kind: str, n: int, end: dt.date) -> np.ndarray:
    rows = events[(events["type"] == kind) & (events["date"] <= _ts(end))]
    out = np.zeros(n, dtype="int64")
    if len(rows):
        sums = rows.groupby("sidx", sort=False)["amount_cents"].sum()
        out[sums.index.to_numpy()] = sums.to_numpy()
    return out


# ---------------------------------------------------------------------------- outcomes


def outcomes(
    ledger: Ledger,
    teams: Sequence[str] | str | None = None,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """How the cases turned out, per budget holder (like Zaanstad's evaluation of 20 cases).

    Columns: ``team``; ``reached``, ``partial``, ``not_reached``: counted spends (as in
    :func:`compare`) whose recorded outcome is that; ``avoided_cost``: the avoided costs
    recorded with them, added up (a negative one lowers it); then ``cases``: spends
    counted; ``evaluated``: those with an outcome; ``costed``: those with an avoided cost;
    ``cheaper``: those whose avoided cost is above zero (cheaper than doing nothing).
    """
    p = period(year, as_of)
    data = _Data(ledger, teams)
    sel = data.counted(p.start, p.as_of)
    records = []
    per_team = {str(slug): part for slug, part in sel.groupby("team", sort=False, observed=True)}
    for team in data.holders:
        records.append(_outcome_record(team.slug, per_team.get(team.slug)))
    total = _outcome_record(TOTAL_LABEL, sel)
    return _finish(records, OUTCOME_COLUMNS + OUTCOME_EXTRA, problems=data.problems, total=total,
                   year=p.year, as_of=p.as_of)


def _outcome_record(label: str, part: pd.DataFrame | None) -> dict[str, Any]:
    if part is None or part.empty:
        return {"team": label, "reached": 0, "partial": 0, "not_reached": 0,
                "avoided_cost": _eur(0), "cases": 0, "evaluated": 0, "costed": 0, "cheaper": 0}
    outcome = part["outcome"]
    avoided = part["avoided_cents"]
    costed = avoided.notna()
    return {
        "team": label,
        "reached": int((outcome == "reached").sum()),
        "partial": int((outcome == "partial").sum()),
        "not_reached": int((outcome == "not-reached").sum()),
        "avoided_cost": _eur(int(avoided[costed].sum())),
        "cases": len(part),
        "evaluated": int((outcome != "").sum()),
        "costed": int(costed.sum()),
        "cheaper": int((avoided[costed] > 0).sum()),
    }


# ---------------------------------------------------------------------------- stories


def story_cases(
    ledger: Ledger,
    *,
    team: str | None = None,
    category: str | None = None,
    min_amount: Decimal | None = None,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """The cases behind the figures, for teams to learn from: spends not voided, with story.

    Columns: ``id``, ``team``, ``date``, ``category``, ``amount``, ``kind``, ``note``,
    ``tegenprestatie``, ``tegenprestatie_status``, ``outcome``, ``avoided_cost`` (None when
    not recorded), ``due``, ``condition``, ``repaid`` (repayments and recoveries),
    ``outstanding``. Household codes are never included, and any code in the free text is
    replaced by ``[huishouden]``. Filters: one team, one category (case and accents do not
    matter), a minimum amount, a first date. Sorted by category, then date.
    """
    data = _Data(ledger, [team] if team else None, text=True)
    e = data.entries[~data.entries["voided"].to_numpy()]
    if category:
        cat = resolve_category(category, _known_categories(ledger, data))
        e = e[e["category"] == cat]
    if min_amount is not None:
        e = e[e["amount_cents"] >= _cents(min_amount)]
    if since is not None:
        e = e[e["date"] >= _ts(since)]
    hide = _household_pattern(data.entries["household"])
    order = {c: i for i, c in enumerate(ledger.categories)}
    e = e.assign(_order=[order.get(c, len(order)) for c in e["category"]])
    e = e.sort_values(["_order", "category", "date", "team", "line"], kind="stable")
    records = [
        {
            "id": row.id,
            "team": str(row.team),
            "date": row.date.date(),
            "category": str(row.category),
            "amount": _eur(row.amount_cents),
            "kind": row.kind,
            "note": _hide(row.note, hide),
            "tegenprestatie": _hide(row.tegenprestatie, hide),
            "tegenprestatie_status": row.tegenprestatie_status,
            "outcome": row.outcome,
            "avoided_cost": None if pd.isna(row.avoided_cents) else _eur(row.avoided_cents),
            "due": row.due.date() if not pd.isna(row.due) else None,
            "condition": _hide(row.condition, hide),
            "repaid": _eur(row.repaid_cents + row.recovered_cents),
            "outstanding": _eur(row.outstanding_cents),
        }
        for row in e.itertuples(index=False)
    ]
    filters = {"team": team, "category": category, "min_amount": min_amount, "since": since}
    return _finish(records, STORY_COLUMNS, problems=data.problems, filters=filters)


def _known_categories(ledger: Ledger, data: _Data) -> list[str]:
    """The settings' categories, and any older name still found in the journals."""
    found = [str(c) for c in data.entries["category"].unique() if c]
    return list(dict.fromkeys([*ledger.categories, *found]))


def _household_pattern(codes: pd.Series) -> re.Pattern[str]:
    """Household codes to hide in free text: every code in the ledger, and anything shaped
    like a generated one (letters, a hyphen, 4-10 letters and digits with a digit)."""
    known = sorted({str(c) for c in codes.unique() if c}, key=len, reverse=True)
    parts = [re.escape(c) for c in known]
    parts.append(r"[A-Z]{1,4}-(?=[A-Z2-9]*[2-9])[A-Z2-9]{4,10}")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


def _hide(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub("[huishouden]", text) if text else text


_KIND_TEXT = {"gift": "gift", "loan": "loan (lening)", "conditional": "conditional grant"}
_MARKDOWN_INLINE = re.compile(r"([\\`*_<>|])")
_MARKDOWN_LINE_START = re.compile(r"[#>+\-]|[0-9]+[.)]")


def _md(text: str) -> str:
    """Free text safe inside Markdown: no accidental headings, lists, links or emphasis."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", text).replace("](", "\\](")
    return "\\" + text if _MARKDOWN_LINE_START.match(text) else text


def stories(
    ledger: Ledger,
    *,
    team: str | None = None,
    category: str | None = None,
    min_amount: Decimal | None = None,
    since: dt.date | None = None,
) -> str:
    """The cases of :func:`story_cases` as Markdown, grouped by category, for the team meeting.

    Each case shows amount, team, date and kind, the note, the tegenprestatie, the outcome
    and, for loans and conditional grants, what is repaid and still owed. No household codes.
    """
    cases = story_cases(ledger, team=team, category=category, min_amount=min_amount, since=since)
    return stories_markdown(cases, municipality=ledger.settings.municipality)


def stories_markdown(cases: pd.DataFrame, *, municipality: str = "") -> str:
    """Markdown for a :func:`story_cases` frame (its ``attrs['filters']`` are named on top)."""
    lines = [f"# Cases{f' in {_md(municipality)}' if municipality else ''}", ""]
    filters = cases.attrs.get("filters", {})
    chosen = []
    if filters.get("team"):
        chosen.append(f"team {_md(str(filters['team']).strip().lower())}")
    if filters.get("category"):
        chosen.append(f"category {_md(str(filters['category']))}")
    if filters.get("min_amount") is not None:
        chosen.append(f"{format_eur(filters['min_amount'])} or more")
    if filters.get("since") is not None:
        chosen.append(f"from {filters['since']:%d-%m-%Y}")
    count = len(cases)
    lines.append(f"{count} case{'s' if count != 1 else ''}" + (f" ({', '.join(chosen)})" if chosen else "")
                 + ". Household codes are left out.")
    if not count:
        lines += ["", "No cases match."]
        return "\n".join(lines) + "\n"
    for cat, group in cases.groupby("category", sort=False):
        money = sum(group["amount"], Decimal("0.00"))
        n = len(group)
        lines += ["", f"## {_md(str(cat))}: {n} case{'s' if n != 1 else ''}, {format_eur(money)}"]
        for case in group.to_dict(orient="records"):
            lines += ["", *_story(case, redacted=bool(cases.attrs.get("redacted")))]
    return "\n".join(lines) + "\n"


def _story(case: dict[str, Any], *, redacted: bool = False) -> list[str]:
    head = (f"### {format_eur(case['amount'])}, {case['team']}, {case['date']:%d-%m-%Y}: "
            f"{_KIND_TEXT.get(case['kind'], case['kind'])}")
    out = [head, ""]
    if redacted:
        out.append("_Story left out (redacted)._")
    else:
        out.append(_md(case["note"]) if case["note"] else "_No story recorded._")
    details = []
    if case["tegenprestatie"]:
        status = f" ({case['tegenprestatie_status']})" if case["tegenprestatie_status"] else ""
        details.append(f"- Tegenprestatie: {_md(case['tegenprestatie'])}{status}")
    if case["outcome"]:
        avoided = case["avoided_cost"]
        cost = f"; avoided cost {format_eur(avoided)}" if avoided is not None else ""
        details.append(f"- Outcome: {case['outcome']}{cost}")
    if case["kind"] == "loan":
        due = f"due {case['due']:%d-%m-%Y}; " if case["due"] else ""
        details.append(f"- Loan: {due}{format_eur(case['repaid'])} repaid, "
                       f"{format_eur(case['outstanding'])} still owed")
    elif case["kind"] == "conditional":
        details.append(f"- Condition: {_md(case['condition'])}; {format_eur(case['repaid'])} repaid")
    if details:
        out += ["", *details]
    out += ["", f"Entry {case['id']}"]
    return out


# ---------------------------------------------------------------------------- summary


def summary(
    roots: Iterable[str | os.PathLike[str]],
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    by: str = "municipality",
) -> pd.DataFrame:
    """The researcher's batch: many ledger folders in one call.

    ``by="municipality"`` (default): one row per folder with ``municipality`` (from its
    settings, else the folder name) and the :func:`compare` columns for all its budget
    holders together (``team`` left out); then ``teams`` (number of budget holders) and
    ``root`` (the folder). ``by="team"``: one row per budget holder with ``municipality``,
    ``team`` and the compare columns, then ``kind``, ``name`` and ``root``.

    Every folder must be a ledger; a NotFoundError or LedgerError names the one that is
    not. ``attrs["problems"]`` collects the lines set aside in all of them.
    """
    from .ledger import Ledger

    if by not in SUMMARY_BY:
        raise InputError(f"--by {by!r} is not one of: {', '.join(SUMMARY_BY)}")
    p = period(year, as_of)
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for root in roots:
        ledger = Ledger(root)
        if not ledger.folder.exists():
            raise NotFoundError(f"{root} is not a ledger folder (there is no maatwerk.toml in it)")
        name = ledger.settings.municipality or Path(root).resolve().name
        data = _Data(ledger, None)
        problems.extend(data.problems)
        if by == "team":
            figures = _figures(data, p, by_team=True)
            for team in data.holders:
                record = _compare_record(team.slug, _cents(team.budget(p.year)),
                                         figures.get(team.slug, _Figures()))
                records.append({"municipality": name, **record, "kind": team.kind,
                                "name": team.name, "root": str(root)})
        else:
            figures = _figures(data, p, by_team=False)
            budget = sum(_cents(t.budget(p.year)) for t in data.holders)
            record = _compare_record("", budget, figures.get(_ALL, _Figures()))
            del record["team"]
            records.append({"municipality": name, **record, "teams": len(data.holders),
                            "root": str(root)})
    if by == "team":
        columns = ["municipality", *COMPARE_COLUMNS, "kind", "name", "root"]
    else:
        columns = ["municipality", *COMPARE_COLUMNS[1:], "teams", "root"]
    return _finish(records, columns, problems=tuple(problems), year=p.year, as_of=p.as_of)
