"""The coordinator's monthly report as data: every report of one cut-off, and the spend per
month behind the report's line charts.

Nothing is counted here that the reports do not count already: :func:`overview` calls the
``*_report`` functions of :mod:`maatwerk_cli.analysis.reports` (and the listings of
``ops``) with one as-of date, and :func:`spend_by_month` asks the same figures
(``_Numbers.spent_by``) for the spend up to each month's end, so the last point of a line
is the ``spent`` of ``utilisation``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..core import pace as pacing
from ..core.errors import Problem
from . import reports
from .reports import TOTAL_LABEL, Period, Report, ReportData, ReportSpec

#: Columns of :func:`spend_by_month`.
MONTH_COLUMNS = ("team", "month", "until", "spent", "cumulative", "budget", "pace")
#: Spends from this amount are told as stories in the report (``--min-amount`` changes it).
STORY_MIN = Decimal("500")


def _month_ends(p: Period) -> list[dt.date]:
    """The last day of every month from January up to the as-of date (that day itself last)."""
    ends = []
    for m in range(1, p.as_of.month + 1):
        end = dt.date(p.year, m, calendar.monthrange(p.year, m)[1])
        ends.append(min(end, p.as_of))
    return ends


def spend_by_month_of(spec: ReportSpec, data: ReportData) -> Report:
    """:func:`spend_by_month` of a resolved spec, over a snapshot read once."""
    p, note = spec.period, spec.year_note
    ends = _month_ends(p)
    budgets = {t.slug: Decimal(t.budget(p.year)).quantize(Decimal("0.01")) for t in data.holders}
    whole = sum(budgets.values(), Decimal("0.00"))
    profile = data.profile
    plans = {t.slug: t.budget_year(p.year) for t in data.holders}
    expected = [{slug: pacing.expected_spend(plan, end, profile) for slug, plan in plans.items()} for end in ends]
    # One pass per month over the figures; then the records per budget holder, months in order.
    upto = [data.spent_by(p.start, end) for end in ends]
    within = [data.spent_by(end.replace(day=1), end) for end in ends]
    records = [_month_record(slug, end, within[i].get(slug, 0), upto[i].get(slug, 0), budgets[slug],
                             pacing.round_cents(expected[i].get(slug, Fraction(0))))
               for slug in data.slugs for i, end in enumerate(ends)]
    totals = [_month_record(TOTAL_LABEL, end, sum(within[i].values()), sum(upto[i].values()), whole,
                            pacing.round_cents(sum(expected[i].values(), Fraction(0))))
              for i, end in enumerate(ends)]
    return Report(records, MONTH_COLUMNS, dict(problems=data.problems, total=totals, year=p.year,
                                               as_of=p.as_of, year_note=note))


spend_by_month = reports._period_report(spend_by_month_of, """Spend per budget holder and month, with its running
    total against the pace line.

    One record per budget holder and month, January up to the as-of month: ``team``;
    ``month`` (``2026-03``); ``until`` (the month's last day, or the as-of date in its
    month); ``spent`` (counted as ``utilisation`` counts: spends not voided plus cash
    written off, dated in that month up to ``until``); ``cumulative`` (from 1 January up to
    ``until``, the ``spent`` of ``utilisation`` as of that day); ``budget``; ``pace``
    (the spend expected by ``until``: the ``expected_spend`` of ``utilisation`` on that
    day, with the budget's own period, top-ups, cuts and the spending profile; the same
    line as :func:`reports.pace_curve`). ``attrs["total"]`` holds the same records for all budget holders
    together (team ``totaal``); ``year``, ``as_of`` and ``problems`` as in the reports.
    """, "spend_by_month")


def _month_record(team: str, end: dt.date, within: int, upto: int, budget: Decimal,
                  pace: Decimal) -> dict[str, Any]:
    return {
        "team": team,
        "month": f"{end:%Y-%m}",
        "until": end,
        "spent": reports._eur(within),
        "cumulative": reports._eur(upto),
        "budget": budget,
        "pace": pace,
    }


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the monthly report shows, counted up to one as-of date.

    municipality: from the settings. year, as_of: the period. month: ``2026-10`` when asked
    by month, else None. teams: the budget holders chosen (empty: all).
    utilisation, compare, categories, loans, outcomes, refusals: the reports of
    :mod:`maatwerk_cli.analysis.reports` for that period.
    months: :func:`spend_by_month`.
    overrides: spends over a rule of thumb up to the as-of date (the records of ``maatwerk rules``).
    knipkaart: per team ``team, year, used, limit, remaining, beyond`` of the uses dated up to the
      as-of date (``beyond``: those forced past the limit).
    cash: per team the cash box at the as-of date (the records of ``maatwerk cash status``).
    stories: :func:`~maatwerk_cli.analysis.reports.story_report` of the year's spends from
      ``story_min`` up to the as-of date.
    story_min: the threshold of the stories.
    leadtime: the lead-time report (days from request to payment).
    problems: journal lines set aside while reading, each once.
    """

    municipality: str
    year: int
    as_of: dt.date
    month: str | None
    teams: tuple[str, ...]
    utilisation: Report
    compare: Report
    categories: Report
    loans: Report
    outcomes: Report
    refusals: Report
    months: Report
    overrides: list[dict[str, Any]]
    knipkaart: list[dict[str, Any]]
    cash: list[dict[str, Any]]
    stories: Report
    story_min: Decimal
    leadtime: Report
    problems: tuple[Problem, ...]


def overview(
    ledger: Any,
    teams: Sequence[str] | None = None,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    month: str | None = None,
    story_min: Decimal = STORY_MIN,
) -> Overview:
    """Every figure of the monthly report, with one cut-off (see :func:`reports.period`)."""
    from ..ops.base import folder_of
    from ..ops.cash import cash_status
    from ..ops.knipkaart import status
    from ..ops.rules import overrides

    folder = folder_of(ledger)
    chosen = list(teams) if teams else None
    # One spec, one snapshot: every report below counts the same journals, read once.
    spec = reports.report_spec(folder, chosen, year=year, as_of=as_of, month=month)
    data = reports.snapshot(folder, spec)
    u = reports.utilisation_of(spec, data)
    y, day = spec.period.year, spec.period.as_of
    slugs = list(data.slugs)
    c = reports.compare_of(spec, data)
    cat = reports.categories_of(spec, data)
    lo = reports.loans_of(data, as_of=day)
    out = reports.outcomes_of(spec, data)
    ref = reports.refusals_of(spec, data)
    months = spend_by_month_of(spec, data)
    found, override_problems = overrides(folder, year=y)
    override_records = [{
        "id": o.id, "team": o.team, "date": o.date, "amount": o.amount, "category": o.category,
        "rules": ", ".join(o.rules), "reason": o.reason, "by": o.by, "second_opinion": o.second_opinion,
        "voided": o.voided} for o in found if o.date <= day and o.team in slugs]
    cards = []
    for s in status(folder, year=y):
        if s.team not in slugs:
            continue
        # The card as it stood on the as-of date: a use in a later month is not counted yet.
        # Beyond: the uses forced past the limit, as `knipkaart status` counts them (a limit
        # changed later, or an earlier use voided, does not unforce a use).
        uses = [use for use in s.uses if use.date <= day]
        cards.append({"team": s.team, "year": s.year, "used": len(uses), "limit": s.limit,
                      "remaining": max(s.limit - len(uses), 0), "beyond": sum(1 for use in uses if use.beyond)})
    cash = [s.record() for s in cash_status(folder, slugs, as_of=day)]
    stories = reports.story_report(folder, min_amount=story_min, since=dt.date(y, 1, 1))
    stories.records = [r for r in stories.records if r["date"] <= day and r["team"] in slugs]
    leadtime = reports.leadtime_of(spec, data)
    problems = (*u.attrs["problems"], *override_problems, *lo.attrs["problems"], *stories.attrs["problems"])
    return Overview(
        municipality=folder.settings.municipality, year=y, as_of=day, month=u.attrs.get("month"),
        teams=tuple(chosen or ()), utilisation=u, compare=c, categories=cat, loans=lo, outcomes=out,
        refusals=ref, months=months, overrides=override_records, knipkaart=cards, cash=cash,
        stories=stories, story_min=story_min, leadtime=leadtime, problems=tuple(dict.fromkeys(problems)),
    )
