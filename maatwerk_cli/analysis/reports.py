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
  :class:`~maatwerk_cli.core.errors.Problem`); the figures leave them out, so show them;
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

The figure reports (utilisation, compare, categories, outcomes, summary) count with numpy
on :mod:`maatwerk_cli.analysis.figures`; each has a ``*_report`` twin that returns a
:class:`Report` (records and attrs), which the command line renders without importing
pandas at all. pandas comes in for the DataFrames, for loans and stories (which show
text), and when the journals must be read.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, cast

import numpy as np

from ..core import pace as pacing
from ..core.dates import parse_month, today
from ..core.errors import InputError, Problem
from ..core.messages import Opt, msg
from ..core.records import Team
from ..core.text import fold_text, resolve_category
from . import figures as fig

if TYPE_CHECKING:
    import pandas as pd

    from ..store.books import Books
    from ..store.folder import LedgerFolder

    Ledger = Any  # a Ledger, or its LedgerFolder

P = ParamSpec("P")
TOTAL_LABEL = "totaal"
LOAN_KINDS = ("loan", "conditional")
PACE_STATUSES = ("under", "on-track", "over")

#: Columns of :func:`utilisation` (the contract), then its extra columns.
UTILISATION_COLUMNS = (
    "team", "budget", "spent", "repaid", "net", "utilisation", "expected", "status", "projected",
)
UTILISATION_EXTRA = ("month_spent", "cash_on_hand", "kind", "name")
#: Added after the extra columns: the pace as a share, and the expected spend in euro.
UTILISATION_PACE = ("pace", "expected_spend")
#: Columns of :func:`compare` (the contract), then its extra columns.
COMPARE_COLUMNS = (
    "team", "budget", "spent", "utilisation", "count", "average", "median", "max",
    "top_category", "loans_outstanding", "tegenprestatie_share", "refusals",
)
#: ``loans_outstanding`` split: the loans alone and the conditional grants alone (added after
#: the others, so that the columns before them keep their places).
COMPARE_SPLIT = ("loans_only_outstanding", "conditional_outstanding")
COMPARE_EXTRA = ("kind", "name", "pace", *COMPARE_SPLIT)
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
            raise InputError(msg("period.as_of_and_month", as_of=Opt("as-of"), month=Opt("month")))
        y, m = parse_month(month) if isinstance(month, str) else month
        month_start = dt.date(y, m, 1)
        if month_start > now:
            raise InputError(msg("period.month_not_begun", month=f"{y}-{m:02d}"))
        if year is not None and year != y:
            raise InputError(msg("period.month_not_in_year", month=f"{y}-{m:02d}", year=year))
        as_of = min(dt.date(y, m, calendar.monthrange(y, m)[1]), now)
    if year is None:
        year = as_of.year if as_of is not None else now.year
    if as_of is None:
        if year > now.year:
            raise InputError(msg("period.year_not_begun", year=year, this_year=now.year))
        as_of = now if year == now.year else dt.date(year, 12, 31)
    elif as_of.year != year:
        raise InputError(msg("period.as_of_not_in_year", as_of=as_of, year=year))
    return Period(year, as_of, month_start)


def default_year(holders: Sequence[Team], *, on: dt.date | None = None) -> tuple[int | None, str]:
    """The year a report shows when none is asked for: this year, unless no budget holder
    has a budget for it but some have for earlier years (an example ledger of 2015, say):
    then the latest of those, with a note saying so (None: this year, no note)."""
    this_year = (on or today()).year
    if not holders or any(t.budget(this_year) for t in holders):
        return None, ""
    years = sorted({y for t in holders for y in t.years() if t.budget(y) and y < this_year})
    if not years:
        return None, ""
    return years[-1], str(msg("period.latest_budget_year", this_year=this_year, shown=years[-1],
                              option=Opt("year")))


def _share_of(p: Period | pacing.Pace) -> Fraction:
    """The pace as an exact share: of the year's days for a :class:`Period` (a budget of the
    whole year, without changes or profile), else the :class:`~maatwerk_cli.core.pace.Pace`'s."""
    if isinstance(p, Period):
        return Fraction(p.day_of_year, p.days_in_year)
    return p.share


def projected_cents(spent_cents: int, p: Period | pacing.Pace) -> int | None:
    """Year-end spend at the current pace: spent / pace share, rounded half up to the cent;
    None while the pace is still zero (before a budget's own period has begun)."""
    share = _share_of(p)
    if share == 0:
        return None
    return pacing.round_half_up(Fraction(spent_cents) / share)


def pace_status(spent_cents: int, budget_cents: int, p: Period | pacing.Pace, under_share: Decimal) -> str:
    """``over``, ``under`` or ``on-track`` (see :func:`utilisation`); exact, in cents."""
    projected = projected_cents(spent_cents, p)
    if spent_cents > budget_cents or (projected is not None and projected > budget_cents):
        return "over"
    if budget_cents <= 0:
        return "on-track"  # no budget and nothing spent
    # utilisation < under_share * pace, without rounding: spent < share * pace * budget
    if Fraction(spent_cents) < Fraction(under_share) * _share_of(p) * budget_cents:
        return "under"
    return "on-track"


def check_share(value: Decimal | float | str) -> Decimal:
    """An under-share between 0 and 1 (``0.5``, ``"0,5"`` and ``"50%"`` all mean a half)."""
    text = str(value).strip().replace(",", ".")
    percent = text.endswith("%")
    try:
        share = Decimal(text[:-1].strip() if percent else text)
    except InvalidOperation:
        raise InputError(msg("pace.under_share_not_a_number", value=repr(value))) from None
    if percent:
        share /= 100
    if not share.is_finite() or not 0 <= share <= 1:
        raise InputError(msg("pace.under_share_out_of_range", value=repr(value)))
    return share


# ---------------------------------------------------------------------------- reading once


def _eur(cents: int | float | np.integer[Any]) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def _round_cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _folder(ledger: Ledger) -> LedgerFolder:
    from ..store.folder import LedgerFolder

    folder: LedgerFolder = ledger if isinstance(ledger, LedgerFolder) else ledger.folder
    return folder


def _holders(ledger: Ledger, teams: Sequence[str] | str | None) -> list[Team]:
    folder = _folder(ledger)
    folder.require()
    if isinstance(teams, str):
        teams = [teams]
    if not teams:
        return folder.load_teams()
    slugs = dict.fromkeys(t.strip().lower() for t in teams)
    return [folder.load_team(s) for s in slugs]


class ReportData:
    """A ledger's state for reports, read once: its budget holders (``holders``, ``slugs``),
    their folded journals (``books``), the figures over them (:mod:`maatwerk_cli.analysis.figures`,
    ``f``), the lines set aside (``problems``), and the settings reports use (``municipality``,
    ``profile``, ``under_share``).

    Sums come back per team slug, or for the whole selection under :data:`_ALL`
    (``by_team=False``), in cents.
    """

    def __init__(self, ledger: Ledger, teams: Sequence[str] | str | None,
                 holders: Sequence[Team] | None = None, books: Books | None = None) -> None:
        folder = _folder(ledger)
        self.holders = list(holders) if holders is not None else _holders(folder, teams)
        self.slugs = [t.slug for t in self.holders]
        # ``books``: the holders' journals when the caller read them with others' (summary).
        self.books = books if books is not None else folder.books(self.slugs)
        self.f = fig.from_books(self.books, self.slugs)
        self.problems = self.f.problems
        settings = folder.settings
        self.municipality = settings.municipality
        self.under_share = settings.under_share
        self.profile = pacing.profile_of(settings.profile)
        self._folder = folder

    def receipts_required_above(self) -> Decimal | None:
        """``receipt_required_above`` of maatwerk.toml (None when not set): read only by the
        reports that count receipts."""
        from ..ops.receipts import required_above

        return required_above(self._folder)

    def counted(self, start: dt.date, end: dt.date) -> np.ndarray:
        """Mask of the spends dated from ``start`` to ``end`` that are not voided."""
        e = self.f.entries
        mask: np.ndarray = ~e["voided"] & (e["date"] >= fig.day_number(start)) & (
            e["date"] <= fig.day_number(end))
        return mask

    def rows_of(self, kind: str, start: dt.date | None, end: dt.date) -> np.ndarray:
        """Mask of the withdraw, settle or refusal rows dated from ``start`` (or ever) to ``end``."""
        r = self.f.rows
        mask: np.ndarray = (r["type"] == fig.ROW_CODES[kind]) & (r["date"] <= fig.day_number(end))
        if start is not None:
            mask &= r["date"] >= fig.day_number(start)
        return mask

    def by_team(self, teams: np.ndarray, values: np.ndarray | None, by_team: bool) -> dict[str, int]:
        """``values`` (or 1 each) added up per team, or for all."""
        if not by_team:
            return {_ALL: int(values.sum()) if values is not None else int(len(teams))}
        # Float sums of whole cents are exact while they stay below 2**53 cents (90 trillion euro).
        sums = np.bincount(teams, weights=values, minlength=len(self.slugs))
        return {slug: int(round(v)) for slug, v in zip(self.slugs, sums.tolist(), strict=True)}

    def spent_by(self, start: dt.date, end: dt.date, by_team: bool = True) -> dict[str, int]:
        """Cents spent per team (or for all): spends plus write-offs."""
        e, r = self.f.entries, self.f.rows
        m = self.counted(start, end)
        out = self.by_team(e["team"][m], e["cents"][m], by_team)
        w = self.rows_of("settle", start, end) & r["write_off"]
        for key, cents in self.by_team(r["team"][w], r["cents"][w], by_team).items():
            out[key] = out.get(key, 0) + cents
        return out

    def paid_back_until(self, end: dt.date) -> np.ndarray:
        """Repayments plus recoveries per spend received up to ``end``, in cents."""
        b = self.f.paybacks
        m = b["date"] <= fig.day_number(end)
        total: np.ndarray = np.zeros(self.f.count, dtype=np.int64)
        np.add.at(total, b["spend"][m], b["cents"][m])
        return total

    def paid_back_by(self, start: dt.date, end: dt.date, by_team: bool = True) -> dict[str, int]:
        """Repayments and recoveries received from ``start`` to ``end`` on spends not voided."""
        b, e = self.f.paybacks, self.f.entries
        m = (b["date"] >= fig.day_number(start)) & (b["date"] <= fig.day_number(end))
        m &= ~e["voided"][b["spend"]]
        return self.by_team(e["team"][b["spend"][m]], b["cents"][m], by_team)

    def cash_on_hand_by(self, end: dt.date) -> dict[str, int]:
        """Withdrawn - cash spends (not voided) - written off - deposited, up to ``end``."""
        e, r = self.f.entries, self.f.rows
        cash = ~e["voided"] & e["cash"] & (e["date"] <= fig.day_number(end))
        withdrawn = self.rows_of("withdraw", None, end)
        out = self.by_team(r["team"][withdrawn], r["cents"][withdrawn], True)
        settled = self.rows_of("settle", None, end)
        for teams, cents in ((e["team"][cash], e["cents"][cash]), (r["team"][settled], r["cents"][settled])):
            for key, value in self.by_team(teams, cents, True).items():
                out[key] = out.get(key, 0) - value
        return out


class Report:
    """A report as records: what :func:`utilisation` and the other ``*_report`` functions
    give, and what their DataFrame twins are made of.

    records: one dict per row, keys in ``columns`` order; money as Decimal, dates as dates.
    columns: the column names, the contract.
    attrs: as ``frame.attrs`` of the DataFrame (``problems``, ``total``, ``year``, ...).
    """

    __slots__ = ("attrs", "columns", "records")

    def __init__(self, records: list[dict[str, Any]], columns: Sequence[str], attrs: dict[str, Any]) -> None:
        self.records = records
        self.columns = list(columns)
        self.attrs = attrs

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, column: str) -> list[Any]:
        if column not in self.columns:
            raise KeyError(column)
        return [r.get(column) for r in self.records]

    def frame(self) -> pd.DataFrame:
        """The report as a pandas DataFrame (its ``attrs`` included)."""
        return _finish(self.records, self.columns, **self.attrs)


def _finish(records: list[dict[str, Any]], columns: Sequence[str], **attrs: Any) -> pd.DataFrame:
    import pandas as pd

    if records:
        frame: pd.DataFrame = pd.DataFrame.from_records(records, columns=list(columns))
    else:
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    frame.attrs.update(attrs)
    return frame


def _as_frame(report: Callable[P, Report], doc: str, name: str) -> Callable[P, pd.DataFrame]:
    """The DataFrame twin of a report function: the same arguments (written once, in the
    report), its records as a frame."""

    def frame(*args: P.args, **kwargs: P.kwargs) -> pd.DataFrame:
        return report(*args, **kwargs).frame()

    import inspect

    functools.update_wrapper(frame, report)  # help() and inspect show the report's arguments
    frame.__signature__ = inspect.signature(report).replace(  # type: ignore[attr-defined]
        return_annotation="pd.DataFrame")
    frame.__name__ = frame.__qualname__ = name
    frame.__doc__ = doc
    return frame



# ---------------------------------------------------------------------------- utilisation


def utilisation_report(
    ledger: Ledger,
    teams: Sequence[str] | str | None = None,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    month: str | tuple[int, int] | None = None,
    under_share: Decimal | float | str | None = None,
) -> Report:
    """:func:`utilisation` as a :class:`Report`, without pandas."""
    return utilisation_of(*_prepare(ledger, teams, year, as_of, month), under_share=under_share)


utilisation = _as_frame(utilisation_report, """Each budget holder's spending against its budget and the pace
    of the year.

    Columns:

    * ``team``: the budget holder's slug;
    * ``budget``: its budget for the year, base plus top-ups less cuts (0 when none is set);
    * ``spent``: spends dated in the year up to the as-of date, not voided, plus cash
      remainders written off in that stretch;
    * ``repaid``: repayments and recoveries received in that stretch (on spends not voided);
    * ``net``: spent - repaid;
    * ``utilisation``: spent / budget (0.079 is 7.9%); None without a budget;
    * ``expected``: the pace at the as-of date (:mod:`maatwerk_cli.core.pace`): for a budget
      of the whole year without top-ups, cuts or profile the share of the year elapsed, in
      days: day of the year / days in the year (1 January 1/365, 30 September 273/365,
      31 December 1);
    * ``status``: ``over`` when spent or projected exceeds the budget (with no budget:
      anything spent), else ``under`` when utilisation < under_share x expected, else
      ``on-track``;
    * ``projected``: year-end spend at the current pace, spent / expected (on the period's
      last day it equals spent; None while the pace is 0, before a pilot begins);

    then ``month_spent`` (only with ``month``: spent in that month up to the as-of date),
    ``cash_on_hand`` (withdrawn - cash spends - written off - deposited, up to the as-of
    date), ``kind`` (``team`` or ``fund``), ``name``, ``pace`` (the same share as
    ``expected``, under the name the pace goes by elsewhere) and ``expected_spend`` (the
    spend the pace expects by the as-of date, Decimal euro). ``attrs["own_pace"]`` is true
    when some budget has its own period, top-ups or cuts, or the ledger has a profile.

    ``under_share`` defaults to the settings' ``[pace] under_share`` (0.5). See
    :func:`period` for the defaults of ``year``, ``as_of`` and ``month``.
    """, "utilisation")


def utilisation_of(spec: ReportSpec, data: ReportData, *, under_share: Decimal | float | str | None = None) -> Report:
    """:func:`utilisation_report` of a resolved spec, over a snapshot read once."""
    share = check_share(under_share if under_share is not None else data.under_share)
    p, note = spec.period, spec.year_note
    spent = data.spent_by(p.start, p.as_of)
    paid = data.paid_back_by(p.start, p.as_of)
    month_spent = data.spent_by(p.month_start, p.as_of) if p.month_start else {}
    cash = data.cash_on_hand_by(p.as_of)
    profile = data.profile
    paces = [pacing.pace(t.budget_year(p.year), p.as_of, profile) for t in data.holders]
    columns = list(UTILISATION_COLUMNS) + [
        c for c in UTILISATION_EXTRA if c != "month_spent" or p.month_start is not None
    ] + list(UTILISATION_PACE)
    records = []
    for team, pc in zip(data.holders, paces, strict=True):
        slug = team.slug
        records.append(_pace_record(
            slug, pc, spent.get(slug, 0), paid.get(slug, 0), share,
            month_spent=month_spent.get(slug, 0) if p.month_start else None,
            cash=cash.get(slug, 0), kind=team.kind, name=team.name,
        ))
    total = _pace_record(
        TOTAL_LABEL, pacing.combined(paces, p.year, p.as_of, profile),
        sum(spent.values()), sum(paid.values()), share,
        month_spent=sum(month_spent.values()) if p.month_start else None,
        cash=sum(cash.values()), kind="", name="",
    )
    return Report(
        records, columns, dict(problems=data.problems, total=total, year=p.year, as_of=p.as_of,
        expected=p.expected, under_share=share, year_note=note,
        month=f"{p.month_start:%Y-%m}" if p.month_start else None,
        own_pace=own_pace(data.holders, p.year, profile)),
    )


def profile_of(ledger: Ledger) -> tuple[Fraction, ...] | None:
    """The ledger's spending profile (``[pace] profile``) as fractions, or None."""
    return pacing.profile_of(_folder(ledger).settings.profile)


def own_pace(holders: Sequence[Team], year: int, profile: pacing.Profile) -> bool:
    """Whether any budget holder's pace differs from the plain share of the year passed:
    a spending profile, or a budget with its own period or changes in ``year``."""
    return profile is not None or any(not t.budget_year(year).plain for t in holders)


def pace_curve(
    ledger: Ledger, *, team: str | None = None, year: int | None = None,
) -> list[tuple[dt.date, Decimal]]:
    """The pace line: the expected cumulative spend at the end of each month of the year,
    in euro rounded to the cent, for one budget holder or (``team=None``) all together.

    The same expected spend as ``expected_spend`` in :func:`utilisation` on those dates.
    ``year`` defaults as for the reports (this year, or the latest budget year of a
    ledger without budgets for this year).
    """
    holders = _holders(ledger, [team] if team else None)
    if year is None:
        year = default_year(holders)[0] or today().year
    profile = profile_of(ledger)
    budgets = [t.budget_year(year) for t in holders]
    return [(end, pacing.round_cents(sum((pacing.expected_spend(b, end, profile) for b in budgets),
                                         Fraction(0))))
            for end in pacing.month_ends(year)]


@dataclass(frozen=True, slots=True)
class ReportSpec:
    """What a report counts, resolved once (by the command line, or by a library call).

    teams: the budget holders' slugs chosen, in order (empty: all). period: the year and
    the cut-off. year_note: why the year shown is not this year ("" when it is, or was asked).
    """

    teams: tuple[str, ...]
    period: Period
    year_note: str = ""


def report_spec(
    ledger: Ledger,
    teams: Sequence[str] | str | None = None,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    month: str | tuple[int, int] | None = None,
    on: dt.date | None = None,
) -> ReportSpec:
    """The spec of a report: the teams checked, the period with its defaults (see :func:`period`
    and :func:`default_year`); ``on`` stands in for today."""
    holders = _holders(ledger, teams)
    note = ""
    if year is None and as_of is None and month is None:
        year, note = default_year(holders, on=on)
    chosen = tuple(t.slug for t in holders) if teams else ()
    return ReportSpec(chosen, period(year, as_of, month, on=on), note)


def snapshot(ledger: Ledger, spec: ReportSpec) -> ReportData:
    """The ledger as the reports of ``spec`` read it: loaded once, shared by every report."""
    return ReportData(ledger, list(spec.teams) or None)


def _prepare(
    ledger: Ledger, teams: Sequence[str] | str | None, year: int | None, as_of: dt.date | None,
    month: str | tuple[int, int] | None = None,
) -> tuple[ReportSpec, ReportData]:
    """A library call's spec and snapshot, for one report."""
    spec = report_spec(ledger, teams, year=year, as_of=as_of, month=month)
    return spec, snapshot(ledger, spec)



class PeriodReport(Protocol):
    """A report of the budget holders over a period, as the library calls it: ``teams``
    (default: all), ``year``, ``as_of`` or ``month`` as :func:`period` reads them."""

    def __call__(self, ledger: Ledger, teams: Sequence[str] | str | None = None, *, year: int | None = None,
                 as_of: dt.date | None = None, month: str | tuple[int, int] | None = None) -> Report: ...


class PeriodFrame(Protocol):
    """A :class:`PeriodReport` as a pandas DataFrame."""

    def __call__(self, ledger: Ledger, teams: Sequence[str] | str | None = None, *, year: int | None = None,
                 as_of: dt.date | None = None, month: str | tuple[int, int] | None = None) -> pd.DataFrame: ...


def _period_report(of: Callable[[ReportSpec, ReportData], Report], doc: str, name: str = "") -> PeriodReport:
    """The library's function for a report that is a function of a spec and a snapshot:
    the period arguments are written once, here."""

    def report(ledger: Ledger, teams: Sequence[str] | str | None = None, *, year: int | None = None,
               as_of: dt.date | None = None, month: str | tuple[int, int] | None = None) -> Report:
        return of(*_prepare(ledger, teams, year, as_of, month))

    report.__name__ = report.__qualname__ = name or of.__name__.removesuffix("_of") + "_report"
    report.__doc__ = doc
    return report


def _period_frame(report: PeriodReport, doc: str) -> PeriodFrame:
    """The DataFrame twin of a :class:`PeriodReport`."""

    def frame(ledger: Ledger, teams: Sequence[str] | str | None = None, *, year: int | None = None,
              as_of: dt.date | None = None, month: str | tuple[int, int] | None = None) -> pd.DataFrame:
        return report(ledger, teams, year=year, as_of=as_of, month=month).frame()

    frame.__name__ = frame.__qualname__ = getattr(report, "__name__", "report").removesuffix("_report")
    frame.__doc__ = doc
    return frame


def _pace_record(
    team: str, pc: pacing.Pace, spent: int, paid: int, share: Decimal, *,
    month_spent: int | None, cash: int, kind: str, name: str,
) -> dict[str, Any]:
    budget = _cents(pc.total)
    projected = projected_cents(spent, pc)
    record: dict[str, Any] = {
        "team": team,
        "budget": _eur(budget),
        "spent": _eur(spent),
        "repaid": _eur(paid),
        "net": _eur(spent - paid),
        "utilisation": spent / budget if budget > 0 else None,
        "expected": float(pc.share),
        "status": pace_status(spent, budget, pc, share),
        "projected": _eur(projected) if projected is not None else None,
    }
    if month_spent is not None:
        record["month_spent"] = _eur(month_spent)
    record.update(cash_on_hand=_eur(cash), kind=kind, name=name, pace=float(pc.share),
                  expected_spend=pc.expected_eur())
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
    conditional_outstanding: int = 0
    with_tegenprestatie: int = 0
    refusals: int = 0


def _figures(data: ReportData, p: Period, by_team: bool) -> dict[str, _Figures]:
    """Compare figures per team (or for the whole ledger under :data:`_ALL`)."""
    e = data.f.entries
    sel = np.flatnonzero(data.counted(p.start, p.as_of))
    groups = len(data.slugs) if by_team else 1
    keys = e["team"][sel] if by_team else np.zeros(len(sel), dtype=np.int32)
    cents = e["cents"][sel]
    count = np.bincount(keys, minlength=groups)
    ends = np.cumsum(count)
    starts = ends - count
    if groups == 1:
        # The whole ledger: its median and max need no sort, only those three places.
        n_all = len(cents)
        places = sorted({(n_all - 1) // 2, n_all // 2, n_all - 1}) if n_all else []
        ordered = np.partition(cents, places) if n_all else cents
    else:
        # Sorted by group, then amount: each group's max and median are at known places.
        # One sort of (group, amount) packed in an int64: group in the high bits, amounts
        # (below 2**40 cents, checked by the reader's ten-digit limit) in the low ones.
        packed = np.sort((keys.astype(np.int64) << 41) + (cents + (1 << 40)))
        ordered = (packed & ((1 << 41) - 1)) - (1 << 40)
    # Float sums of whole cents are exact while they stay below 2**53 cents.
    total = np.bincount(keys, weights=cents, minlength=groups)
    categories = len(data.f.categories)
    top_code = np.full(groups, -1)
    if len(sel):
        by_cat = np.bincount(keys * categories + e["category"][sel], weights=cents,
                             minlength=groups * categories).reshape(groups, categories)
        # Categories are sorted by name: argmax takes the first of equal sums, as documented.
        top_code = np.where(count > 0, by_cat.argmax(axis=1), -1)
    teg = np.bincount(keys, weights=e["tegenprestatie"][sel], minlength=groups)
    loans = e["loan"][sel]
    at = sel[loans]
    left = np.maximum(e["cents"][at] - data.paid_back_until(p.as_of)[at], 0) if len(at) else at
    owed = np.bincount(keys[loans], weights=left, minlength=groups)
    conditional = e["conditional"][at]
    owed_conditional = np.bincount(keys[loans][conditional], weights=left[conditional], minlength=groups)
    spent = data.spent_by(p.start, p.as_of, by_team)
    r = data.f.rows
    refused_rows = data.rows_of("refusal", p.start, p.as_of)
    refused_keys = r["team"][refused_rows] if by_team else np.zeros(int(refused_rows.sum()), dtype=int)
    refused = np.bincount(refused_keys, minlength=groups)
    labels = data.slugs if by_team else [_ALL]
    out: dict[str, _Figures] = {}
    for g, key in enumerate(labels):
        n = int(count[g])
        if n:
            low, high = int(ordered[starts[g] + (n - 1) // 2]), int(ordered[starts[g] + n // 2])
        out[key] = _Figures(
            spent=spent.get(key, 0),
            spends=int(round(total[g])),
            count=n,
            max=int(ordered[ends[g] - 1]) if n else None,
            median=Decimal(low + high) / 2 if n else None,
            top_category=data.f.categories[top_code[g]] if n else None,
            loans_outstanding=int(round(owed[g])),
            conditional_outstanding=int(round(owed_conditional[g])),
            with_tegenprestatie=int(round(teg[g])),
            refusals=int(refused[g]),
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
        "loans_only_outstanding": _eur(f.loans_outstanding - f.conditional_outstanding),
        "conditional_outstanding": _eur(f.conditional_outstanding),
    }


def compare_of(spec: ReportSpec, data: ReportData) -> Report:
    """:func:`compare_report` of a resolved spec, over a snapshot read once."""
    p, note = spec.period, spec.year_note
    figures = _figures(data, p, by_team=True)
    profile = data.profile
    paces = [pacing.pace(t.budget_year(p.year), p.as_of, profile) for t in data.holders]
    records = []
    for team, pc in zip(data.holders, paces, strict=True):
        record = _compare_record(team.slug, _cents(pc.total), figures.get(team.slug, _Figures()))
        records.append({**record, "kind": team.kind, "name": team.name, "pace": float(pc.share)})
    overall = _figures(data, p, by_team=False).get(_ALL, _Figures())
    whole = pacing.combined(paces, p.year, p.as_of, profile)
    total = {**_compare_record(TOTAL_LABEL, _cents(whole.total), overall), "kind": "", "name": "",
             "pace": float(whole.share)}
    r = data.f.rows
    off = data.rows_of("settle", p.start, p.as_of) & r["write_off"]
    return Report(records, COMPARE_COLUMNS + COMPARE_EXTRA,
                  dict(problems=data.problems, total=total, year=p.year, as_of=p.as_of, year_note=note,
                       own_pace=own_pace(data.holders, p.year, profile),
                       written_off=_eur(int(r["cents"][off].sum()))))


compare_report = _period_report(compare_of, """:func:`compare` as a :class:`Report`, without pandas.""")
compare = _period_frame(compare_report, """One row per budget holder, side by side.

    Columns: ``team``; ``budget``; ``spent`` and ``utilisation`` (as in :func:`utilisation`);
    ``count``: spends counted; ``average``, ``median``, ``max``: of those spends' amounts
    (cash write-offs are in ``spent`` but are not spends), rounded half up to the cent,
    None without spends; ``top_category``: the category with the most money (ties: the
    first by name); ``loans_outstanding``: still owed at the as-of date on the counted
    loans and conditional grants together (amount - repayments and recoveries received by
    then); ``tegenprestatie_share``: share of the counted spends with a tegenprestatie
    recorded; ``refusals``: refused requests dated in the stretch; then ``kind``, ``name``,
    ``pace`` (as in :func:`utilisation`), and ``loans_outstanding`` apart:
    ``loans_only_outstanding`` on the loans, ``conditional_outstanding`` on the conditional
    grants (the two add up to ``loans_outstanding``).

    Counted are spends in ``year`` up to ``as_of`` (defaults as for :func:`utilisation`).
    """)


def transpose(frame: pd.DataFrame, key: str = "team") -> pd.DataFrame:
    """A report with its rows as columns: one row per field, one column per ``key`` value.

    The first column, ``field``, names the figure; like the Rotterdam/Zaanstad table in
    the sources. Values keep their types (so a column mixes money, counts and fractions).
    """
    import pandas as pd

    labels = [str(v) for v in frame[key]]
    fields = [c for c in frame.columns if c != key]
    records = [
        {"field": name, **{label: value for label, value in zip(labels, frame[name], strict=True)}}
        for name in fields
    ]
    out: pd.DataFrame = pd.DataFrame.from_records(records, columns=["field", *labels])
    out.attrs.update(frame.attrs)
    return out


# ---------------------------------------------------------------------------- categories


def categories_of(spec: ReportSpec, data: ReportData) -> Report:
    """:func:`categories_report` of a resolved spec, over a snapshot read once."""
    p, note = spec.period, spec.year_note
    e = data.f.entries
    sel = data.counted(p.start, p.as_of)
    names = data.f.categories
    codes = e["category"][sel]
    sizes = np.bincount(codes, minlength=len(names)).tolist()
    # Float sums of whole cents are exact while they stay below 2**53 cents.
    sums = [int(round(v)) for v in np.bincount(codes, weights=e["cents"][sel], minlength=len(names))]
    found = sorted((i for i in range(len(names)) if sizes[i]), key=lambda i: (-sums[i], -sizes[i], names[i]))
    all_count = sum(sizes)
    all_cents = sum(sums)
    records = [
        {
            "category": names[i],
            "count": sizes[i],
            "amount": _eur(sums[i]),
            "share_count": sizes[i] / all_count,
            "share_amount": sums[i] / all_cents if all_cents else None,
        }
        for i in found
    ]
    total = {
        "category": TOTAL_LABEL,
        "count": all_count,
        "amount": _eur(all_cents),
        "share_count": 1.0 if all_count else None,
        "share_amount": 1.0 if all_cents else None,
    }
    r = data.f.rows
    off = data.rows_of("settle", p.start, p.as_of) & r["write_off"]
    return Report(records, CATEGORY_COLUMNS,
                  dict(problems=data.problems, total=total, year=p.year, as_of=p.as_of, year_note=note,
                       written_off=_eur(int(r["cents"][off].sum()))))


categories_report = _period_report(categories_of, """:func:`categories` as a :class:`Report`, without pandas.""")
categories = _period_frame(categories_report, """Where the money went, by category, most money first.

    Columns: ``category``; ``count``: spends counted (as in :func:`compare`); ``amount``:
    their money; ``share_count`` and ``share_amount``: fractions of all counted spends of
    the chosen teams. Cash write-offs have no category and are left out.
    """)


# ---------------------------------------------------------------------------- loans


def loans_report(
    ledger: Ledger,
    teams: Sequence[str] | str | None = None,
    *,
    overdue: bool = False,
    as_of: dt.date | None = None,
) -> Report:
    """:func:`loans` as a :class:`Report`, without pandas."""
    return loans_of(ReportData(ledger, teams), overdue=overdue, as_of=as_of)


loans = _as_frame(loans_report, """Open loans and conditional grants at the as-of date (default today), any year.

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
    """, "loans")


def loans_of(data: ReportData, *, overdue: bool = False, as_of: dt.date | None = None) -> Report:
    """:func:`loans_report` over a snapshot read once."""
    end = as_of or today()
    until = fig.day_number(end)
    records = []
    for slug in data.slugs:
        book = data.books[slug].book
        owing = np.flatnonzero(book.kind_is(*LOAN_KINDS) & ~book.voided & (book.dates() <= until))
        if not len(owing):
            continue
        repaid, recovered = book.paid("repay", until), book.paid("recovered", until)
        left = book.amounts() - repaid - recovered
        owing = owing[left[owing] > 0]
        for n, entry in zip(owing.tolist(), book.entries(owing), strict=True):
            late = (end - entry.due).days if entry.due is not None and entry.due < end else 0
            if overdue and late <= 0:
                continue
            records.append(cast(dict[str, Any], {
                "id": entry.id,
                "team": slug,
                "date": entry.date,
                "kind": entry.kind,
                "amount": entry.amount,
                "repaid": _eur(repaid[n]),
                "recovered": _eur(recovered[n]),
                "outstanding": _eur(int(left[n])),
                "due": entry.due,
                "days_overdue": late,
                "condition": entry.condition,
                "household": entry.household,
            }))
    records.sort(key=lambda r: (-int(r["days_overdue"]), r["due"] or dt.date.max, r["date"], r["id"]))
    total: dict[str, Any] = {c: None for c in LOAN_COLUMNS}
    total["id"] = TOTAL_LABEL
    for name in ("amount", "repaid", "recovered", "outstanding"):
        total[name] = sum((Decimal(r[name]) for r in records), Decimal("0.00"))
    return Report(records, LOAN_COLUMNS, dict(problems=data.problems, total=total, as_of=end))


# ---------------------------------------------------------------------------- outcomes


def outcomes_of(spec: ReportSpec, data: ReportData) -> Report:
    """:func:`outcomes_report` of a resolved spec, over a snapshot read once."""
    p, note = spec.period, spec.year_note
    e = data.f.entries
    sel = data.counted(p.start, p.as_of)
    records = [_outcome_record(team.slug, sel & (e["team"] == i), e) for i, team in enumerate(data.holders)]
    total = _outcome_record(TOTAL_LABEL, sel, e)
    return Report(records, OUTCOME_COLUMNS + OUTCOME_EXTRA,
                  dict(problems=data.problems, total=total, year=p.year, as_of=p.as_of, year_note=note))


outcomes_report = _period_report(outcomes_of, """:func:`outcomes` as a :class:`Report`, without pandas.""")
outcomes = _period_frame(outcomes_report, """How the cases turned out, per budget holder (like Zaanstad's
    evaluation of 20 cases).

    Columns: ``team``; ``reached``, ``partial``, ``not_reached``: counted spends (as in
    :func:`compare`) whose recorded outcome is that; ``avoided_cost``: the avoided costs
    recorded with them, added up (a negative one lowers it); then ``cases``: spends
    counted; ``evaluated``: those with an outcome; ``costed``: those with an avoided cost;
    ``cheaper``: those whose avoided cost is above zero (cheaper than doing nothing).
    """)


def _outcome_record(label: str, mask: np.ndarray, e: dict[str, np.ndarray]) -> dict[str, Any]:
    outcome = e["outcome"][mask]
    costed = e["costed"][mask]
    avoided = e["avoided"][mask][costed]
    codes = fig.OUTCOME_CODES
    return {
        "team": label,
        "reached": int((outcome == codes["reached"]).sum()),
        "partial": int((outcome == codes["partial"]).sum()),
        "not_reached": int((outcome == codes["not-reached"]).sum()),
        "avoided_cost": _eur(int(avoided.sum())),
        "cases": int(mask.sum()),
        "evaluated": int((outcome != codes[""]).sum()),
        "costed": int(costed.sum()),
        "cheaper": int((avoided > 0).sum()),
    }


# ---------------------------------------------------------------------------- stories


def story_report(
    ledger: Ledger,
    *,
    team: str | None = None,
    category: str | None = None,
    min_amount: Decimal | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Report:
    """:func:`story_cases` as a :class:`Report`, without pandas."""
    folder = _folder(ledger)
    data = ReportData(folder, [team] if team else None)
    entries = []
    households: set[str] = set()
    paid: dict[str, int] = {}  # by id: repaid and recovered by ``until``
    for slug in data.slugs:
        book = data.books[slug].book
        households.update(book.households())
        keep = ~book.voided
        if min_amount is not None:
            keep &= book.amounts() >= _cents(min_amount)
        if since is not None:
            keep &= book.dates() >= fig.day_number(since)
        if until is not None:
            last = fig.day_number(until)
            keep &= book.dates() <= last
            # As at the cut-off: a repayment after it is not yet there.
            back = book.paid("repay", last) + book.paid("recovered", last)
        kept = book.entries(np.flatnonzero(keep))
        if until is not None:
            paid.update((e.id, int(back[n])) for n, e in zip(np.flatnonzero(keep).tolist(), kept, strict=True))
        entries.extend(kept)
    if category:
        found = (e.category for e in entries if e.category)
        known = list(dict.fromkeys([*folder.settings.categories, *found]))
        cat = resolve_category(category, known)
        entries = [e for e in entries if e.category == cat]
    hide = _household_hider(households)
    order = {c: i for i, c in enumerate(folder.settings.categories)}
    entries.sort(key=lambda e: (order.get(e.category, len(order)), e.category, e.date, e.team, e.line))
    records = [
        {
            "id": e.id,
            "team": e.team,
            "date": e.date,
            "category": e.category,
            "amount": e.amount,
            "kind": e.kind,
            "note": hide(e.note),
            "tegenprestatie": hide(e.tegenprestatie),
            "tegenprestatie_status": e.tegenprestatie_status,
            "outcome": e.outcome,
            "avoided_cost": e.avoided_cost,
            "due": e.due,
            "condition": hide(e.condition),
            "repaid": e.repaid + e.recovered if until is None else _eur(paid[e.id]),
            "outstanding": e.outstanding if until is None or e.kind not in LOAN_KINDS
            else max(e.amount - _eur(paid[e.id]), Decimal("0.00")),
        }
        for e in entries
    ]
    filters = {"team": team, "category": category, "min_amount": min_amount, "since": since, "until": until}
    return Report(records, STORY_COLUMNS, dict(problems=data.problems, filters=filters,
                                               municipality=data.municipality))


story_cases = _as_frame(story_report, """The cases behind the figures, for teams to learn from: spends not
    voided, with story.

    Columns: ``id``, ``team``, ``date``, ``category``, ``amount``, ``kind``, ``note``,
    ``tegenprestatie``, ``tegenprestatie_status``, ``outcome``, ``avoided_cost`` (None when
    not recorded), ``due``, ``condition``, ``repaid`` (repayments and recoveries),
    ``outstanding``. Household codes are never included, and any code in the free text is
    replaced by ``[huishouden]``. Filters: one team, one category (case and accents do not
    matter), a minimum amount, a first date, a last date (``until``: the cut-off; ``repaid``
    and ``outstanding`` are then as at that day). Sorted by category, then date.
    """, "story_cases")


#: A generated household code's shape (letters, a hyphen, 4-10 letters and digits with a digit).
_CODE_SHAPE = re.compile(r"[A-Z]{1,4}-(?=[A-Z2-9]*[2-9])[A-Z2-9]{4,10}", re.IGNORECASE)
#: A run of letters, digits, underscores and hyphens with none of those on either side: a
#: code is hidden only where it stands whole.
_RUN = re.compile(r"(?<![\w-])[\w-]+(?![\w-])")
_WORDISH = re.compile(r"[A-Za-z0-9_-]+")


def _household_hider(codes: set[str]) -> Callable[[str], str]:
    """Hides household codes in free text: every code in the ledger, and anything shaped
    like a generated one, where it stands whole, ignoring case.

    A code of letters, digits and hyphens is looked up by the run it would be: one set
    lookup a run, however many codes the ledger has (an alternation of 40,000 codes took
    a regular expression 0.2 ms a text: stories on 100,000 spends, 38 s). A run with
    other than ASCII in it is judged by that alternation, whose case rules (a Kelvin sign
    is a K) a set cannot follow; and a ledger with codes of other characters (a
    municipality's own form may have them) keeps the alternation for every text.
    """
    known = sorted({c for c in codes if c}, key=len, reverse=True)
    parts = [*(re.escape(c) for c in known), _CODE_SHAPE.pattern]
    alternation = r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])"
    if not all(_WORDISH.fullmatch(c) for c in known):
        whole = re.compile(alternation, re.IGNORECASE)
        return lambda text: whole.sub("[huishouden]", text) if text else text
    plain = {c.upper() for c in known}
    full: list[re.Pattern[str]] = []  # compiled only when a run needs it

    def run(m: re.Match[str]) -> str:
        text = m.group()
        if text.isascii():
            hidden = text.upper() in plain or _CODE_SHAPE.fullmatch(text) is not None
        else:
            if not full:
                full.append(re.compile(alternation, re.IGNORECASE))
            hidden = full[0].fullmatch(text) is not None
        return "[huishouden]" if hidden else text

    def hide(text: str) -> str:
        return _RUN.sub(run, text) if text else text

    return hide


# ---------------------------------------------------------------------------- summary


def _summary_labels(named: list[tuple[str, Path]]) -> list[str]:
    """A label per folder that no other folder has: its name, with the end of its path
    where names are alike (folded: ``Teststad`` and ``teststad`` would confuse a reader
    too), as few folders as tell them apart (``ledgers (a/ledgers)``): never a whole
    absolute path, which a redacted export must not show."""
    folded = [fold_text(name) for name, _ in named]
    labels = []
    for (name, root), key in zip(named, folded, strict=True):
        alike = [r for (_, r), k in zip(named, folded, strict=True) if k == key]
        if len(alike) == 1:
            labels.append(name)
            continue
        depth = 1
        while depth < len(root.parts) and sum(r.parts[-depth:] == root.parts[-depth:] for r in alike) > 1:
            depth += 1
        labels.append(f"{name} ({'/'.join(root.parts[-depth:])})")
    taken: set[str] = set()
    out = []
    for label in labels:
        unique, n = label, 1
        while fold_text(unique) in taken:  # a municipality named like another's label
            n += 1
            unique = f"{label} #{n}"
        taken.add(fold_text(unique))
        out.append(unique)
    return out


#: Folders are read together until their journals hold about this many bytes: enough for
#: two processes to share the reading, never every folder of a country in memory at once.
SUMMARY_BATCH_BYTES = 64 * 1024 * 1024


def _summary_books(folders: Sequence[LedgerFolder]) -> Iterator[tuple[list[Team], Books]]:
    """Each folder's budget holders and their folded journals, in order; the journals of
    neighbouring folders read in one pass (``books_of``), a batch at a time."""
    from ..store.folder import books_of

    batch: list[tuple[LedgerFolder, list[Team]]] = []
    size = 0
    for k, folder in enumerate(folders):
        holders = folder.load_teams()
        batch.append((folder, holders))
        for t in holders:
            with contextlib.suppress(OSError):
                size += os.stat(folder.journal_path(t.slug)).st_size
        if size >= SUMMARY_BATCH_BYTES or k == len(folders) - 1:
            books = books_of([(f, [t.slug for t in hs]) for f, hs in batch])
            for (_, hs), b in zip(batch, books, strict=True):
                yield hs, b
            batch, size = [], 0


#: How many folders a note of summary names before it counts the rest.
NOTE_NAMES = 3


def _summary_notes(notes: dict[tuple[str, str], list[str]]) -> str:
    """What summary says about the years it chose, once per thing said: three hundred
    folders without a budget for this year are one note that counts them, not three
    hundred (the ``year`` column says it of every row)."""
    out = []
    for (kind, said), names in notes.items():
        if len(names) == 1:
            out.append(msg("summary.note_of", name=names[0], note=said) if kind == "note"
                       else msg("summary.no_budget", name=names[0], year=said))
            continue
        shown = ", ".join(names[:NOTE_NAMES]) + (", ..." if len(names) > NOTE_NAMES else "")
        out.append(msg("summary.note_of_many", count=len(names), names=shown, note=said) if kind == "note"
                   else msg("summary.no_budget_many", count=len(names), names=shown, year=said))
    return "; ".join(str(m) for m in out)


def summary_report(
    roots: Iterable[str | os.PathLike[str]],
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    by: str = "municipality",
) -> Report:
    """:func:`summary` as a :class:`Report`, without pandas.

    Each folder's year is chosen on its own (as :func:`default_year` says) unless ``year``
    or ``as_of`` is given; the ``year`` column says which. A path that is not a ledger
    folder is skipped and named in ``attrs["skipped"]``; a folder given twice (in any
    spelling) is refused, as it would count twice. Municipalities are keyed by folder,
    not by name: when two folders have the same name each is labelled with the end of its
    path, e.g. ``ledgers (a/ledgers)``. With ``by="team"`` the ``holder`` column names each
    budget holder uniquely across the folders (the slug, or ``municipality/slug`` where
    slugs repeat): the key of a transposed table.
    """
    from ..store.folder import LedgerFolder

    if by not in SUMMARY_BY:
        raise InputError(msg("summary.by_unknown", option=Opt("by"), by=repr(by), known=SUMMARY_BY))
    fixed = period(year, as_of) if (year is not None or as_of is not None) else None
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    skipped: list[str] = []
    notes: dict[tuple[str, str], list[str]] = {}  # (kind, text or year): the folders it is said of
    own = False
    seen: dict[Path, str] = {}
    folders: list[tuple[Path, LedgerFolder]] = []
    for root in roots:
        where = Path(root)
        try:
            real = where.resolve()
        except OSError:
            real = where.absolute()
        if real in seen:  # it would count twice
            raise InputError(msg("summary.folder_twice", root=root, other=seen[real]))
        seen[real] = str(root)
        ledger = LedgerFolder(root)
        if not ledger.exists():
            skipped.append(str(msg("summary.not_a_ledger", root=root)))
            continue
        folders.append((real, ledger))
    names = _summary_labels([(ledger.settings.municipality or real.name, real) for real, ledger in folders])
    for (_, ledger), name, (holders, books) in zip(folders, names, _summary_books([f for _, f in folders]),
                                                    strict=True):
        root = ledger.root
        p = fixed
        if p is None:
            chosen, note = default_year(holders)
            p = period(chosen)
            if note:
                notes.setdefault(("note", str(note)), []).append(name)
        elif not any(t.budget(p.year) for t in holders):
            notes.setdefault(("no_budget", str(p.year)), []).append(name)
        data = ReportData(ledger, None, holders, books)
        problems.extend(data.problems)
        profile = data.profile
        paces = [pacing.pace(t.budget_year(p.year), p.as_of, profile) for t in data.holders]
        own = own or own_pace(data.holders, p.year, profile)
        if by == "team":
            figures = _figures(data, p, by_team=True)
            for team, pc in zip(data.holders, paces, strict=True):
                record = _compare_record(team.slug, _cents(pc.total), figures.get(team.slug, _Figures()))
                records.append({"municipality": name, **record, "kind": team.kind,
                                "name": team.name, "root": str(root), "year": p.year,
                                "pace": float(pc.share)})
        else:
            figures = _figures(data, p, by_team=False)
            whole = pacing.combined(paces, p.year, p.as_of, profile)
            record = _compare_record("", _cents(whole.total), figures.get(_ALL, _Figures()))
            del record["team"]
            records.append({"municipality": name, **record, "teams": len(data.holders),
                            "root": str(root), "year": p.year, "pace": float(whole.share)})
    if by == "team":
        slugs = [r["team"] for r in records]
        repeated = len(set(slugs)) < len(slugs)
        for r in records:
            r["holder"] = f"{r['municipality']}/{r['team']}" if repeated else r["team"]
        columns = ["municipality", *COMPARE_COLUMNS, "kind", "name", "root", "year", "pace", "holder",
                   *COMPARE_SPLIT]
    else:
        columns = ["municipality", *COMPARE_COLUMNS[1:], "teams", "root", "year", "pace", *COMPARE_SPLIT]
    years = sorted({r["year"] for r in records})
    return Report(records, columns, dict(problems=tuple(problems), year=years[0] if len(years) == 1 else None,
                                         years=years, as_of=fixed.as_of if fixed else None,
                                         skipped=skipped, year_note=_summary_notes(notes), own_pace=own))


summary = _as_frame(summary_report, """The researcher's batch: many ledger folders in one call.

    ``by="municipality"`` (default): one row per folder with ``municipality`` (from its
    settings, else the folder name) and the :func:`compare` columns for all its budget
    holders together (``team`` left out); then ``teams`` (number of budget holders) and
    ``root`` (the folder). ``by="team"``: one row per budget holder with ``municipality``,
    ``team`` and the compare columns, then ``kind``, ``name``, ``root``, ``year``, ``pace``
    and ``holder`` (unique over the folders). Both have ``year``: the budget year counted
    for that folder (each folder's own default, see :func:`default_year`, unless ``year``
    or ``as_of`` is given), and ``pace`` (of the folder's budgets together for a
    municipality row). Two folders of the same name are labelled apart (see
    :func:`summary_report`).

    A path that is not a ledger folder is skipped and named in ``attrs["skipped"]``; a
    folder given twice is an InputError. ``attrs["problems"]`` collects the lines set aside
    in all of them.
    """, "summary")


# ---------------------------------------------------------------------------- refusals

REFUSAL_COLUMNS = ("id", "team", "date", "amount", "category", "household", "reason", "by")


def refusals_of(spec: ReportSpec, data: ReportData) -> Report:
    """:func:`refusals_report` of a resolved spec, over a snapshot read once."""
    p, note = spec.period, spec.year_note
    records: list[dict[str, Any]] = []
    for slug in data.slugs:
        for r in data.books[slug].book.refusals():
            if p.start <= r.date <= p.as_of:
                records.append({name: getattr(r, name) for name in REFUSAL_COLUMNS})
    records.sort(key=lambda r: (r["date"], r["team"], r["id"]))
    total: dict[str, Any] = {c: None for c in REFUSAL_COLUMNS}
    total.update(id=TOTAL_LABEL, amount=sum((r["amount"] for r in records if r["amount"] is not None),
                                            Decimal("0.00")))
    return Report(records, REFUSAL_COLUMNS, dict(problems=data.problems, total=total, year=p.year,
                                                 as_of=p.as_of, year_note=note))


refusals_report = _period_report(refusals_of, """The refused requests (weigeringen) dated in the period,
    for learning: ``id``, ``team``, ``date``, ``amount`` (asked, None when not known), ``category``, ``household``,
    ``reason``, ``by``; by date. ``attrs["total"]`` counts them.""")


# ---------------------------------------------------------------------------- lead time

LEADTIME_COLUMNS = ("team", "method", "count", "median_days", "p90_days", "within_one_day", "without_request_date")
#: The ``method`` of the row that counts every method of a team together.
ALL_METHODS = "alle"


def nearest_rank(ordered: Sequence[int], percent: int) -> int | None:
    """The nearest-rank percentile of sorted values: the smallest value such that at least
    ``percent``% of the values are at most it (the value at rank ceil(percent/100 x n));
    None when there are none. Its median (50) is the lower of two middle values."""
    n = len(ordered)
    if not n:
        return None
    rank = -(-percent * n // 100)  # ceil without floats
    return int(ordered[max(rank, 1) - 1])


def leadtime_report(
    ledger: Ledger,
    *,
    teams: Sequence[str] | str | None = None,
    year: int | None = None,
    as_of: dt.date | None = None,
    month: str | tuple[int, int] | None = None,
) -> Report:
    """:func:`leadtime` as a :class:`Report`, without pandas."""
    return leadtime_of(*_prepare(ledger, teams, year, as_of, month))


leadtime = _as_frame(leadtime_report, """Days from request to payment, per budget holder and payment method.

    Columns: ``team``; ``method`` (pin, factuur, contant, then ``alle``: the team's spends
    together); ``count``: spends counted (as in :func:`compare`) that have a request date;
    ``median_days`` and ``p90_days``: nearest-rank percentiles of the days from the request (the
    request date recorded with the spend) to the payment, whole days; ``within_one_day``: of
    those, the spends paid on the day of the request or the day after (these three None when
    ``count`` is 0: nothing is known); ``without_request_date``: the spends counted apart
    because no request date is recorded (or, in a hand-edited file, one after the payment).

    Only what the ledger knows is measured: a spend without a request date is never taken as
    paid on the day it was asked for. ``attrs["not_recorded"]`` says how many spends have none,
    per team in ``attrs["not_recorded_by_team"]``. ``attrs["total"]`` is every team together
    (method ``alle``); ``attrs["method_totals"]`` every team together per method.
    """, "leadtime")


def leadtime_of(spec: ReportSpec, data: ReportData) -> Report:
    """:func:`leadtime_report` of a resolved spec, over a snapshot read once."""
    from ..core.lines import NO_DATE
    from ..core.records import METHODS

    p, note = spec.period, spec.year_note
    first, last = fig.day_number(p.start), fig.day_number(p.as_of)
    records: list[dict[str, Any]] = []
    every: dict[str, list[int]] = {}
    missing: dict[str, int] = {}
    without: dict[str, int] = {}
    for slug in data.slugs:
        book = data.books[slug].book
        dates = book.dates()
        keep = ~book.voided & (dates >= first) & (dates <= last)
        asked = book.requested()
        # Not recorded (or, in a hand-edited file, after the payment: check reports it): not
        # known, so counted apart rather than measured as 0 days.
        unknown = (asked == NO_DATE) | (asked > dates)
        days = np.where(unknown, 0, dates.astype(np.int64) - asked)
        missing[slug] = int((keep & unknown).sum())
        known = keep & ~unknown
        method = book.methods()
        found = method.used_of(keep)
        order = [m for m in METHODS if m in found] + sorted(found - set(METHODS))
        for name in order:
            this = method.codes == method.code(name)
            values, apart = days[known & this], int((keep & unknown & this).sum())
            records.append(_lead_record(slug, name, values, apart))
            every.setdefault(name, []).extend(values.tolist())
            without[name] = without.get(name, 0) + apart
        records.append(_lead_record(slug, ALL_METHODS, days[known], missing[slug]))
        every.setdefault(ALL_METHODS, []).extend(days[known].tolist())
    total = _lead_record(TOTAL_LABEL, ALL_METHODS, np.asarray(every.get(ALL_METHODS, []), dtype=np.int64),
                         sum(missing.values()))
    rank = {m: i for i, m in enumerate(METHODS)}
    method_totals = [_lead_record(TOTAL_LABEL, m, np.asarray(every[m], dtype=np.int64), without[m])
                     for m in sorted(every, key=lambda m: (rank.get(m, len(rank)), m)) if m != ALL_METHODS]
    return Report(records, LEADTIME_COLUMNS, dict(
        problems=data.problems, total=total, method_totals=method_totals, year=p.year, as_of=p.as_of,
        year_note=note, not_recorded=sum(missing.values()), not_recorded_by_team=missing))


def _lead_record(team: str, method: str, days: np.ndarray, without: int) -> dict[str, Any]:
    """The figures of the spends with a request date (``days``); None where there are none,
    never 0, which would claim they were paid at once."""
    ordered = np.sort(days).tolist()
    return {
        "team": team,
        "method": method,
        "count": len(ordered),
        "median_days": nearest_rank(ordered, 50),
        "p90_days": nearest_rank(ordered, 90),
        "within_one_day": int((days <= 1).sum()) if ordered else None,
        "without_request_date": without,
    }


# ---------------------------------------------------------------------------- receipts

RECEIPTS_COLUMNS = ("team", "spends", "with_receipt", "without_receipt", "amount_without_receipt",
                    "above", "without_receipt_above", "amount_without_receipt_above")


def receipts_report(
    ledger: Ledger,
    teams: Sequence[str] | str | None = None,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    month: str | tuple[int, int] | None = None,
    above: Decimal | int | str | None = None,
) -> Report:
    """:func:`receipts` as a :class:`Report`, without pandas."""
    return receipts_of(*_prepare(ledger, teams, year, as_of, month), above=above)


receipts = _as_frame(receipts_report, """Spends with and without a receipt (*bon*), per budget holder.

    Columns: ``team``; ``spends``: spends counted (dated in the year up to the as-of date, not
    voided, as in :func:`compare`); ``with_receipt`` and ``without_receipt`` of those (a
    receipt given later in a correction counts; one whose correction was voided does
    not); ``amount_without_receipt``: their money; ``above``: the amount from which a receipt
    is asked (``above=``, else ``receipt_required_above`` in maatwerk.toml; None when
    neither); ``without_receipt_above`` and ``amount_without_receipt_above``: the spends
    above it without a receipt (None when there is no such amount). ``attrs["total"]`` is
    every team together. Whether the files are still there is ``check``'s business.
    """, "receipts")


def receipts_of(spec: ReportSpec, data: ReportData, *, above: Decimal | int | str | None = None) -> Report:
    """:func:`receipts_report` of a resolved spec, over a snapshot read once."""
    from ..core.money import parse_amount

    p = spec.period
    limit = (above if isinstance(above, Decimal) else parse_amount(str(above))) if above is not None \
        else data.receipts_required_above()
    first, last = fig.day_number(p.start), fig.day_number(p.as_of)
    records: list[dict[str, Any]] = []
    sums = dict.fromkeys(("spends", "with_receipt", "without_receipt", "amount_without_receipt",
                          "without_receipt_above", "amount_without_receipt_above"), 0)
    for slug in data.slugs:
        book = data.books[slug].book
        dates, cents = book.dates(), book.amounts()
        keep = ~book.voided & (dates >= first) & (dates <= last)  # per entry, as compare counts
        has = np.zeros(len(book), dtype=bool)
        has[list(book.receipts())] = True
        lacking = keep & ~has
        over = lacking & (cents > _cents(limit)) if limit is not None else None
        counts = {"spends": int(keep.sum()), "with_receipt": int((keep & has).sum()),
                  "without_receipt": int(lacking.sum()), "amount_without_receipt": int(cents[lacking].sum()),
                  "without_receipt_above": int(over.sum()) if over is not None else 0,
                  "amount_without_receipt_above": int(cents[over].sum()) if over is not None else 0}
        for key, value in counts.items():
            sums[key] += value
        records.append(_receipts_record(slug, counts, limit))
    total = _receipts_record(TOTAL_LABEL, sums, limit)
    return Report(records, RECEIPTS_COLUMNS, dict(problems=data.problems, total=total, year=p.year, as_of=p.as_of,
                                                  year_note=spec.year_note, above=limit))


def _receipts_record(team: str, counts: dict[str, int], limit: Decimal | None) -> dict[str, Any]:
    """One row of :func:`receipts` from its counts (money in cents); the figures about a
    limit are None when there is none, never 0."""
    return {"team": team, "spends": counts["spends"], "with_receipt": counts["with_receipt"],
            "without_receipt": counts["without_receipt"],
            "amount_without_receipt": _eur(counts["amount_without_receipt"]),
            "above": limit,
            "without_receipt_above": counts["without_receipt_above"] if limit is not None else None,
            "amount_without_receipt_above": _eur(counts["amount_without_receipt_above"]) if limit is not None else None}
