"""Almere 2016: about EUR 200,000 to start with, less than half of it used.

The published scheme (see README.md): since 2016 about EUR 200,000; the professionals
are careful and use less than half; EUR 250 to 400 per client, sometimes only EUR 50
(an ointment against scabies, so the neighbours do not catch it); once EUR 211 paid
outside the rules (a district-heating bill that would have wrecked a debt settlement);
decisions discussed in the group, like peer review. Here: four teams of EUR 50,000, a
category message on Financiën (the budget is not meant for debts) that the EUR 211 spend
overrides with its reason, and a second opinion from the group above EUR 400. Teams,
the other amounts and the dates are invented, deterministically.

    python examples/almere/generate.py [--out DIR]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examplekit import Builder, describe, out_folder  # noqa: E402

YEAR = 2016
TEAMS = {f"wijkteam-{n}": f"Wijkteam {n}" for n in range(1, 5)}
CLIENTS = 240

EVERYDAY = [
    ("Wonen", 250, 400, ["koelkast", "bed en matras", "borg kamer", "verhuisbus"]),
    ("Levensmiddelen", 60, 200, ["boodschappen tot de uitkering komt"]),
    ("Persoonsbewijs", 150, 320, ["paspoort bij de ambassade, treinkaartje en pasfoto's"]),
    ("Gezondheid", 80, 380, ["eigen bijdrage", "bril"]),
    ("Opleiding en werk", 200, 400, ["werkkleding en gereedschap", "cursusgeld"]),
    ("Overig", 25, 300, ["verjaardagscadeau voor een kind", "telefoon", "wasmachine tweedehands"]),
]
WEIGHTS = [8, 2, 2, 3, 3, 3]


def build(out: Path) -> Builder:
    settings = {"rules": {"second_opinion_above": 400, "categories": {
        "Financiën": "het budget is niet bedoeld om schulden af te lossen; kijk eerst naar schuldhulp"}}}
    b = Builder(out, municipality="Almere", year=YEAR, seed=2016_200, settings=settings)
    rng = b.rng
    for slug, name in TEAMS.items():
        b.team(slug, name, {YEAR: 50_000})
    slugs = list(TEAMS)
    b.spend("wijkteam-1", "2016-03-15", 50, "Gezondheid", household=b.household(),
            note="zalf tegen schurft; flatgenoten blijven gezond")
    b.spend("wijkteam-3", "2016-09-20", 211, "Financiën", method="factuur", household=b.household(),
            note="naheffing stadsverwarming tijdens de schuldsanering",
            reason="van het leefgeld niet te betalen; als schuld brengt het de sanering in gevaar",
            by="intervisiegroep")
    start = dt.date(2016, 2, 1)
    for n in range(CLIENTS - 2):
        household = b.household()
        team = slugs[n % 4]
        cat, low, high, notes = rng.choices(EVERYDAY, WEIGHTS)[0]
        when = start + dt.timedelta(days=rng.randrange(330))
        b.spend(team, when, rng.randrange(low, high), cat, method="pin" if rng.random() < 0.6 else "factuur",
                household=household, note=rng.choice(notes))
        if rng.random() < 0.12:
            # A second, larger step for the same client, agreed in the group.
            later = min(when + dt.timedelta(days=20 + rng.randrange(30)), dt.date(2016, 12, 30))
            b.spend(team, later, rng.randrange(250, 520), "Wonen", method="factuur", household=household,
                    note="inrichting na verhuizing", second_opinion="intervisiegroep")
    return b


def main() -> None:
    out = out_folder(__file__)
    build(out).write()
    print(describe(out, YEAR))


if __name__ == "__main__":
    main()
