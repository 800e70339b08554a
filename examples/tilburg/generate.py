"""Tilburg: at most EUR 7,500 per resident, configured as a rule of thumb.

The published scheme (see README.md): a professional may spend up to EUR 7,500 per
resident. Here that is ``max_per_household_total = 7500`` in ``maatwerk.toml``: it counts
what a household got over every team and every year. One household reaches the cap
exactly, in two teams; a further request is refused. Teams, amounts and dates are
invented, deterministically.

    python examples/tilburg/generate.py [--out DIR]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examplekit import Builder, describe, out_folder  # noqa: E402

YEAR = 2019
CAP = 7500
TEAMS = {"wijkteam-1": "Wijkteam 1", "wijkteam-2": "Wijkteam 2", "wijkteam-3": "Wijkteam 3"}

OTHERS = [
    ("Wonen", 150, 2500, ["borg", "huurachterstand", "verhuiskosten"]),
    ("Financiën", 200, 3000, ["schuld afgelost zodat beslag stopt", "boete betaald"]),
    ("Gezondheid", 50, 900, ["tandarts", "eigen bijdrage hulpmiddel"]),
    ("Opleiding en werk", 80, 1500, ["cursusgeld", "werkkleding"]),
    ("Levensmiddelen", 30, 150, ["boodschappen"]),
]


def build(out: Path) -> Builder:
    settings = {"rules": {"max_per_household_total": CAP}}
    b = Builder(out, municipality="Tilburg", year=YEAR, seed=2019_7500, settings=settings)
    rng = b.rng
    for slug, name in TEAMS.items():
        b.team(slug, name, {YEAR: 40_000})
    # One household, helped by two teams, up to the cap and not beyond.
    code = b.household()
    b.spend("wijkteam-1", "2019-02-12", 4200, "Wonen", method="factuur", household=code,
            note="huurachterstand ingelost, ontruiming voorkomen")
    b.spend("wijkteam-1", "2019-05-21", 2300, "Wonen", method="factuur", household=code,
            note="verhuizing naar een betaalbare woning")
    b.spend("wijkteam-2", "2019-08-06", 1000, "Wonen", method="factuur", household=code,
            note="inrichting nieuwe woning")
    b.refuse("wijkteam-2", "2019-10-15", f"boven het maximum van {CAP} euro per inwoner; "
             "fonds voor de wasmachine gevonden", household=code, amount=650, category="Overig",
             by="teamleider")
    slugs = list(TEAMS)
    start = dt.date(2019, 1, 7)
    for n in range(27):
        cat, low, high, notes = rng.choice(OTHERS)
        b.spend(slugs[n % 3], start + dt.timedelta(days=rng.randrange(355)), rng.randrange(low, high),
                cat, method="factuur", household=b.household(), note=rng.choice(notes))
    return b


def main() -> None:
    out = out_folder(__file__)
    build(out).write()
    print(describe(out, YEAR))


if __name__ == "__main__":
    main()
