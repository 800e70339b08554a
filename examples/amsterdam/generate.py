"""Amsterdam: small amounts from each team's budget, larger ones from the doorbraakfonds.

The published scheme (see README.md): professionals pay up to about EUR 500 from their
team budget, so that eight people do not look at a request of EUR 300; anything larger
goes to a central doorbraakfonds. 350 residents were helped. Here that is a rule of thumb
``max_per_spend = 500`` for the teams, switched off for the fund; 350 households (one
spend each) in one fictional year, and one team spend above EUR 500 recorded with a reason.
Amounts, teams and dates are invented, deterministically.

    python examples/amsterdam/generate.py [--out DIR]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examplekit import Builder, describe, out_folder  # noqa: E402

YEAR = 2018
HOUSEHOLDS = 350
FUND = "doorbraakfonds"
TEAMS = {f"buurtteam-{n}": f"Buurtteam {n}" for n in range(1, 5)}

SMALL = [
    ("Levensmiddelen", 20, 150, ["boodschappen tot de uitkering komt", "eten voor de kinderen"]),
    ("Wonen", 60, 480, ["borg kamer", "verhuiskosten", "matras", "slot vervangen"]),
    ("Persoonsbewijs", 40, 90, ["identiteitskaart", "paspoort"]),
    ("Vervoer", 10, 120, ["OV-kaart opgeladen", "fietsreparatie"]),
    ("Opleiding en werk", 50, 450, ["diplomageld", "werkkleding", "examengeld"]),
    ("Gezondheid", 20, 300, ["eigen bijdrage tandarts", "bril", "medicijnen"]),
    ("Water en energie", 60, 450, ["achterstand energie, afsluiting voorkomen"]),
    ("Overig", 15, 300, ["telefoon tot het eerste salaris", "uittreksels", "wasmachine"]),
]
LARGE = [
    ("Wonen", 900, 6500, ["huurachterstand: ontruiming voorkomen", "borg en inrichting na opvang"]),
    ("Financiën", 800, 5000, ["schulden gesaneerd zodat bewind kan starten", "beslag op loon opgeheven"]),
    ("Opleiding en werk", 700, 2500, ["rijlessen voor een baan", "opleiding afmaken"]),
]
FUND_CASES = 21


def build(out: Path) -> Builder:
    settings = {"rules": {"max_per_spend": 500}}
    b = Builder(out, municipality="Amsterdam", year=YEAR, seed=2018_500, settings=settings)
    rng = b.rng
    for slug, name in TEAMS.items():
        b.team(slug, name, {YEAR: 20_000})
    # The fund takes what is too big for a team; the rule of thumb is off there.
    b.team(FUND, "Doorbraakfonds", {YEAR: 80_000}, kind="fund", sections={"rules": {"max_per_spend": False}})
    slugs = list(TEAMS)
    start = dt.date(2018, 1, 8)
    for n in range(HOUSEHOLDS - FUND_CASES - 1):
        cat, low, high, notes = rng.choices(SMALL, [8, 5, 2, 3, 2, 3, 2, 3])[0]
        when = start + dt.timedelta(days=rng.randrange(350))
        b.spend(slugs[n % len(slugs)], when, f"{rng.uniform(low, high):.2f}", cat,
                method="pin" if rng.random() < 0.7 else "factuur", household=b.household(),
                note=rng.choice(notes))
    for _ in range(FUND_CASES):
        cat, low, high, notes = rng.choices(LARGE, [5, 3, 2])[0]
        when = start + dt.timedelta(days=rng.randrange(350))
        team = rng.choice(slugs)
        b.spend(FUND, when, rng.randrange(low, high), cat, method="factuur", household=b.household(),
                note=rng.choice(notes), by=f"aanvraag {TEAMS[team]}")
    # Once a team paid more than 500 itself: the fund would have taken too long.
    b.spend("buurtteam-2", "2018-12-14", 640, "Water en energie", method="factuur",
            household=b.household(), note="afsluiting gas en licht met kinderen in huis",
            reason="afsluiting op vrijdag, het doorbraakfonds beslist pas na het weekend",
            by="teamleider")
    return b


def main() -> None:
    out = out_folder(__file__)
    build(out).write()
    print(describe(out, YEAR))


if __name__ == "__main__":
    main()
