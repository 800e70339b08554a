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
from .output import View, definitions
from .xlsx import Cover


@dataclass(frozen=True, slots=True)
class Pack:
    """The views of a monthly pack; the cover sheet; every problem met while reading."""

    views: tuple[View, ...]
    cover: Cover
    problems: tuple[Problem, ...]


def monthly(ledger: Any, *, month: str | None = None, as_of: dt.date | None = None) -> Pack:
    """Every monthly report of ``ledger`` with one cut-off (default: today)."""
    from ..analysis import reports
    from ..ops.base import folder_of
    from ..ops.cash import cash_status
    from ..ops.knipkaart import status
    from ..ops.rules import overrides
    from . import listings, views

    folder = folder_of(ledger)
    municipality = folder.settings.municipality
    u = reports.utilisation_report(folder, as_of=as_of, month=month)
    year, day = u.attrs["year"], u.attrs["as_of"]
    c = reports.compare_report(folder, year=year, as_of=day)
    cat = reports.categories_report(folder, year=year, as_of=day)
    lo = reports.loans_report(folder, as_of=day)
    out = reports.outcomes_report(folder, year=year, as_of=day)
    ref = reports.refusals_report(folder, year=year, as_of=day)
    found, override_problems = overrides(folder, year=year)
    override_records = [{
        "id": o.id, "team": o.team, "date": o.date, "amount": o.amount, "category": o.category,
        "rules": ", ".join(o.rules), "reason": o.reason, "by": o.by, "second_opinion": o.second_opinion,
        "voided": o.voided} for o in found if o.date <= day]
    cards = []
    for card in status(folder, year=year):
        # The same cut-off as every other sheet: a use after the as-of date does not count yet.
        uses = [u for u in card.uses if u.date <= day]
        cards.append({"team": card.team, "year": card.year, "used": len(uses), "limit": card.limit,
                      "remaining": max(card.limit - len(uses), 0), "beyond": sum(1 for u in uses if u.beyond)})
    cash = [s.record() for s in cash_status(folder, as_of=day)]
    lead = reports.leadtime_report(folder, year=year, as_of=day)
    # As in the HTML report: days from request to payment only once some request dates are
    # recorded; without any, every spend would count as paid on the day it was asked for.
    recorded = lead.attrs["total"]["count"] > lead.attrs["not_recorded"]
    built = (
        views.utilisation(u, municipality),
        views.compare(c, municipality),
        views.categories(cat, municipality),
        views.loans(lo, municipality),
        views.outcomes(out, municipality),
        listings.refusals(ref.records, f"Refusals {year}", ref.attrs.get("total") if ref.records else None),
        listings.overrides(override_records, f"Overrides {year}"),
        listings.knipkaart(cards, f"Knipkaart {year}"),
        listings.cash(cash),
        *((views.leadtime(lead, municipality),) if recorded else ()),
    )
    label = f"{u.attrs['month']}" if u.attrs.get("month") else f"1-1-{year} tot en met {day:%d-%m-%Y}"
    cover = Cover(municipality=municipality, report=f"Maandrapportage maatwerkbudget {label}",
                  period=f"1-1-{year} tot en met {day:%d-%m-%Y}", as_of=day,
                  definitions=sorted(definitions(built)))
    problems = (*u.attrs["problems"], *override_problems)
    return Pack(built, cover, tuple(dict.fromkeys(problems)))
