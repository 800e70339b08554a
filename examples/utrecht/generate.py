"""Utrecht: the OMO fund (onconventionele maatwerkoplossingen), used only by exception.

The published scheme (see README.md): no budget per team but one fund, each case judged
on its own; twelve people so far. Once EUR 12,000 prevented a forced sale of a house, in
the trust that the woman would repay it: here a loan with monthly repayments. The other
cases are those the sources name (a plane ticket to a drier climate for a woman with
rheumatism, a bookkeeper for a self-employed resident in debt, driving lessons) and
invented ones; the year, budget and dates are invented too.

    python examples/utrecht/generate.py [--out DIR]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examplekit import Builder, describe, out_folder  # noqa: E402

YEAR = 2019
FUND = "omo-fonds"

#: (date, amount, category, note)
CASES = [
    ("2019-01-22", "1350", "Financiën", "boekhouder zet administratie zzp'er op orde voor de schuldsanering"),
    ("2019-02-14", "465", "Gezondheid", "vliegticket naar droger klimaat: reuma en een vochtige huurwoning"),
    ("2019-03-07", "1680", "Opleiding en werk", "rijlessen: zonder rijbewijs gaat de baan verloren"),
    ("2019-04-11", "600", "Wonen", "borg tijdelijke huur in een sloopwoning tot er plek in de opvang is"),
    ("2019-05-09", "820", "Financiën", "boete betaald: rijontzegging voor werk opgeheven"),
    ("2019-06-20", "380", "Wonen", "opslag van de inboedel tijdens de wachttijd voor de opvang"),
    ("2019-07-18", "2150", "Wonen", "huurachterstand bij de corporatie; nieuwe start met budgetbeheer"),
    ("2019-09-05", "450", "School", "laptop voor de mbo-opleiding"),
    ("2019-10-03", "975", "Gezondheid", "tandarts: pijn en geen verzekering voor de kosten"),
    ("2019-10-29", "310", "Persoonsbewijs", "paspoort bij de ambassade, reis en pasfoto's"),
    ("2019-11-26", "1240", "Kinderopvang", "opvang zodat vader het werk kan houden"),
]


def build(out: Path) -> Builder:
    b = Builder(out, municipality="Utrecht", year=YEAR, seed=2019_12)
    b.team(FUND, "OMO-fonds (onconventionele maatwerkoplossingen)", {YEAR: 50_000}, kind="fund")
    # The largest case: a forced sale prevented, trusted to be repaid in monthly instalments.
    loan = b.spend(FUND, "2019-03-26", 12_000, "Wonen", method="factuur", household=b.household(),
                   kind="loan", due="2023-03-31", note="executieverkoop van de woning voorkomen; "
                   "zij kan de schuld terugbetalen", by="doorbraaktafel")
    month = dt.date(2019, 4, 28)
    while month <= dt.date(2019, 12, 28):
        b.repay(loan, month, 250)
        month = (month.replace(day=1) + dt.timedelta(days=32)).replace(day=28)
    b.outcome(loan, "2019-12-30", "reached", by="doorbraaktafel")
    for date, amount, cat, note in CASES:
        b.spend(FUND, date, amount, cat, method="factuur", household=b.household(), note=note,
                by="doorbraaktafel")
    return b


def main() -> None:
    out = out_folder(__file__)
    build(out).write()
    print(describe(out, YEAR))


if __name__ == "__main__":
    main()
