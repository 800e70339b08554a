"""Enschede: spends that fit a case plan, and the conditional grant as a stick behind the door.

The published scheme (see README.md): every spend must fit the resident's maatwerkplan;
the budget is often given on a condition. A woman on benefits with debts could not take
student finance (a new debt), so the municipality paid her course: if she does not
finish it, she repays it. Here that grant is recorded with its condition and reached its
goal; a second conditional grant did not, and is being repaid in small amounts, which
shows the drawback the sources name (a failed course leaves a larger debt). Teams,
amounts and dates are invented, deterministically.

    python examples/enschede/generate.py [--out DIR]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examplekit import Builder, describe, out_folder  # noqa: E402

YEAR = 2019
TEAMS = {"wijkteam-1": "Wijkteam 1", "wijkteam-2": "Wijkteam 2"}

OTHERS = [
    ("Wonen", 100, 1500, ["borg, volgens maatwerkplan", "verhuiskosten, stap in het maatwerkplan"]),
    ("Opleiding en werk", 60, 900, ["werkkleding, past in het maatwerkplan", "examengeld, maatwerkplan"]),
    ("Gezondheid", 40, 600, ["eigen bijdrage, afgesproken in het maatwerkplan"]),
    ("Financiën", 100, 1200, ["kleine schuld, voorwaarde voor de schuldregeling in het maatwerkplan"]),
]


def build(out: Path) -> Builder:
    b = Builder(out, municipality="Enschede", year=YEAR, seed=2019_53)
    rng = b.rng
    for slug, name in TEAMS.items():
        b.team(slug, name, {YEAR: 25_000})
    course = b.spend("wijkteam-1", "2019-01-15", 2400, "Opleiding en werk", method="factuur",
                     household=b.household(), kind="conditional",
                     condition="opleiding afmaken; wie stopt, betaalt het bedrag terug",
                     note="opleiding voor bijstandsgerechtigde met schulden: studiefinanciering zou "
                     "een nieuwe schuld zijn")
    b.outcome(course, "2019-12-10", "reached", by="casusregisseur")
    second = b.spend("wijkteam-2", "2019-02-05", 950, "Opleiding en werk", method="factuur",
                     household=b.household(), kind="conditional",
                     condition="cursus administratief medewerker afronden, anders terugbetalen",
                     note="cursus als stap in het maatwerkplan")
    b.outcome(second, "2019-07-02", "not-reached", by="casusregisseur")
    for month in range(8, 13):
        b.repay(second, dt.date(2019, month, 25), 40)
    slugs = list(TEAMS)
    for n in range(16):
        cat, low, high, notes = rng.choice(OTHERS)
        b.spend(slugs[n % 2], dt.date(2019, 1, 7) + dt.timedelta(days=rng.randrange(350)),
                rng.randrange(low, high), cat, method="factuur", household=b.household(),
                note=rng.choice(notes))
    return b


def main() -> None:
    out = out_folder(__file__)
    build(out).write()
    print(describe(out, YEAR))


if __name__ == "__main__":
    main()
