"""The monthly pack: every report of one cut-off as views, for one workbook.

Sheets: utilisation, compare, categories, loans, outcomes, refusals, rules overrides,
knipkaart, cash and (once request dates are recorded) lead time, all counted up to the same
as-of date, after a cover sheet that says what the workbook is and what every column means.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..core.errors import Problem
from ..core.messages import tr
from .output import View, definitions
from .xlsx import Cover


@dataclass(frozen=True, slots=True)
class Pack:
    """The views of a monthly pack; the cover sheet; every problem met while reading."""

    views: tuple[View, ...]
    cover: Cover
    problems: tuple[Problem, ...]


def monthly(ledger: Any, *, month: str | None = None, as_of: dt.date | None = None) -> Pack:
    """Every monthly report of ``ledger`` with one cut-off (default: today): the views of
    the one overview the HTML report is made from too."""
    from ..analysis.overview import overview
    from . import listings, views

    ov = overview(ledger, as_of=as_of, month=month)
    municipality, year, day = ov.municipality, ov.year, ov.as_of
    lead = ov.leadtime
    # As in the HTML report: days from request to payment only once some request dates are
    # recorded (the report counts only those; without any it has no figure to show).
    recorded = int(lead.attrs["total"]["count"] or 0) > 0
    ref = ov.refusals
    built = (
        views.utilisation(ov.utilisation, municipality),
        views.compare(ov.compare, municipality),
        views.categories(ov.categories, municipality),
        views.loans(ov.loans, municipality),
        views.outcomes(ov.outcomes, municipality),
        listings.refusals(ref.records, tr("Refusals {year}, as of {day:date}", year=year, day=day),
                          ref.attrs.get("total") if ref.records else None),
        listings.overrides(ov.overrides, tr("Overrides {year}, as of {day:date}", year=year, day=day)),
        listings.knipkaart(ov.knipkaart, tr("Knipkaart {year}, as of {day:date}", year=year, day=day)),
        listings.cash(ov.cash),
        *((views.leadtime(lead, municipality),) if recorded else ()),
    )
    period = tr("1-1-{year} up to and including {date:date}", year=year, date=day)
    cover = Cover(municipality=municipality, report=tr("Monthly report of the maatwerk budget, {period}",
                                                       period=ov.month or period),
                  period=period, as_of=day, definitions=sorted(definitions(built)))
    return Pack(built, cover, ov.problems)
