"""Zaanstad 2015: EUR 400,000 for the maatwerkbudget; EUR 79,954 spent in the first year.

Reproduces the published figures (see README.md): 68 spends with an average of about
EUR 1,175, the highest EUR 8,500, most money on Wonen, tegenprestaties discussed on many
entries, and the evaluation of 20 cases (16 goals reached, 3 partly, 1 not; of 10 cases
costed, 7 cheaper for society). The four cases the evaluation describes are here with
their amounts; everything else is invented around them, deterministically.

    python examples/zaanstad-2015/generate.py [--out DIR]
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examplekit import Builder, Ref, describe, money, out_folder  # noqa: E402

YEAR = 2015
BUDGET = 400_000
TOTAL = Decimal("79954")
SPENDS = 68
TEAM = "zaanstad"

#: The evaluated cases: (category, amount, note, outcome, avoided cost or None).
CASES: list[tuple[str, str, str, str, str | None]] = [
    ("Opleiding en werk", "1100", "lasmasker: eigen uitrusting nodig voor baan als lasser tijdens WSNP",
     "reached", "4200"),
    ("Vervoer", "7586", "autokosten en schoolvervoer kind tijdens schuldsanering, in plaats van een "
     "scootmobiel van 15.000", "reached", "7414"),
    ("Wonen", "800", "borg zorgwoning: moeder kan weg uit te kleine kamer bij zoon", "reached", "2600"),
    ("Wonen", "650", "borg kamer voor zwangere zeventienjarige; uithuisplaatsing baby voorkomen",
     "reached", "9800"),
    ("Wonen", "8500", "huurachterstand ingelost, ontruiming gezin met drie kinderen voorkomen",
     "reached", "11500"),
    ("Gezondheid", "1850", "gebitsherstel: sollicitaties kansrijker", "reached", "3100"),
    ("Wonen", "48", "achterstallig inschrijfgeld woningzoekende: opgebouwde wachttijd blijft",
     "reached", "950"),
    ("Financiën", "2350", "saldo kleine schulden zodat schuldregeling kan starten", "partial", "0"),
    ("Opleiding en werk", "1480", "rijlessen: baan als bezorger alleen met rijbewijs", "partial", "0"),
    ("Wonen", "3900", "inrichting na dakloosheid", "not-reached", "-1250"),
]

#: Further evaluated cases without a costing: (category, amount, note, outcome).
EVALUATED = [
    ("Kinderopvang", "1290", "opvang zodat moeder de opleiding kan afmaken", "reached"),
    ("Opleiding en werk", "640", "examengeld beveiliging", "reached"),
    ("Wonen", "2750", "verhuizing naar goedkopere woning", "reached"),
    ("Financiën", "1875", "boete afgekocht, beslag op uitkering opgeheven", "reached"),
    ("Gezondheid", "720", "bril en gehoorapparaat eigen bijdrage", "reached"),
    ("Wonen", "1150", "borg en eerste huur na scheiding", "reached"),
    ("Vervoer", "395", "fiets en OV tot eerste salaris", "reached"),
    ("Opleiding en werk", "260", "werkschoenen en kleding voor proefplaatsing", "reached"),
    ("Financiën", "1460", "achterstand zorgverzekering: premie weer betaalbaar", "partial"),
    ("Wonen", "2180", "nieuwe start na huiselijk geweld", "reached"),
]

#: The other spends: (category, low, high, notes).
OTHERS = [
    ("Wonen", 450, 3400, ["borg woning", "huurachterstand deels", "verhuiskosten", "inrichting",
                          "borg kamer", "ontruiming uitgesteld"]),
    ("Financiën", 300, 2200, ["afbetaling zodat beslag stopt", "schuld energie betaald",
                              "boete betaald, rijbewijs terug"]),
    ("Opleiding en werk", 150, 1200, ["cursusgeld", "diplomakosten", "werkkleding",
                                      "gereedschap voor werk"]),
    ("Gezondheid", 100, 1300, ["tandarts", "eigen bijdrage hulpmiddel", "medicijnen"]),
    ("Vervoer", 60, 700, ["OV-abonnement", "fietsreparatie", "vervoer naar school"]),
    ("Levensmiddelen", 40, 250, ["boodschappen tot de uitkering"]),
    ("Kinderopvang", 200, 900, ["opvang tijdens re-integratie"]),
]

#: What residents do in return; discussed on most larger spends, never a reason to refuse.
TEGENPRESTATIES = [
    ("vrijwilligerswerk bij het buurthuis", "done"),
    ("budgetcursus volgen", "done"),
    ("afspraken schuldhulp nakomen", "agreed"),
    ("helpen bij de voedselbank", "done"),
    ("sollicitatietraining afmaken", "agreed"),
    ("buurvrouw helpen met boodschappen", "done"),
    ("maandelijks gesprek met de coach", "agreed"),
    ("kan nu niets terugdoen: zwaar ziek", "not-possible"),
    ("meedoen aan taalcafé", "proposed"),
]


def build(out: Path) -> Builder:
    b = Builder(out, municipality="Zaanstad", year=YEAR, seed=2015_400)
    rng = b.rng
    b.team(TEAM, "Maatwerkbudget Zaanstad (sociale wijkteams en jeugdteams)", {YEAR: BUDGET})

    plan: list[tuple[str, Decimal, str, str, str | None]] = [
        (cat, money(a), note, outcome, cost) for cat, a, note, outcome, cost in CASES
    ]
    plan += [(cat, money(a), note, outcome, None) for cat, a, note, outcome in EVALUATED]
    weights = [9, 4, 3, 3, 2, 1, 1]
    while len(plan) < SPENDS:
        cat, low, high, notes = rng.choices(OTHERS, weights)[0]
        plan.append((cat, money(rng.randrange(low, high)), rng.choice(notes), "", None))
    # Make the total exact on the invented spends (scaled, whole euros), keeping the
    # evaluated cases as published.
    free = [i for i, p in enumerate(plan) if not p[3]]
    scale = (TOTAL - sum(p[1] for p in plan if p[3])) / sum(plan[i][1] for i in free)
    for i in free:
        cat, amount, note, outcome, cost = plan[i]
        plan[i] = (cat, money(round(amount * scale)), note, outcome, cost)
    biggest = max(free, key=lambda i: plan[i][1])
    cat, amount, note, outcome, cost = plan[biggest]
    plan[biggest] = (cat, amount + TOTAL - sum(p[1] for p in plan), note, outcome, cost)

    rng.shuffle(plan)
    start = dt.date(2015, 1, 19)
    refs: list[tuple[Ref, dt.date, Decimal, str, str | None]] = []
    for n, (cat, amount, note, outcome, cost) in enumerate(plan):
        # Spread over the year; paid within a day to the organisation that sends the bill.
        when = start + dt.timedelta(days=(n * 338) // SPENDS + rng.randrange(4))
        method = "factuur" if amount >= 150 or rng.random() < 0.5 else "pin"
        ref = b.spend(TEAM, when, amount, cat, method=method, household=b.household(), note=note,
                      by=rng.choice(["SWT Oost", "SWT West", "SWT Noord", "jeugdteam"]))
        refs.append((ref, when, amount, outcome, cost))
        if outcome:
            follow_up = min(when + dt.timedelta(days=90 + rng.randrange(60)), dt.date(2015, 12, 31))
            b.outcome(ref, follow_up, outcome, avoided_cost=cost, by="evaluatie")
    # Tegenprestaties on many entries, mostly the larger ones.
    for ref, when, amount, _, _ in refs:
        if amount >= 500 or rng.random() < 0.3:
            text, status = rng.choice(TEGENPRESTATIES)
            b.tegenprestatie(ref, when, text, status)
    return b


def main() -> None:
    out = out_folder(__file__)
    build(out).write()
    print(describe(out, YEAR))


if __name__ == "__main__":
    main()
