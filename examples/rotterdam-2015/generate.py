"""Rotterdam 2015: 42 wijkteams with EUR 10,000 each; 264 spends up to 30 November 2015.

Reproduces the published figures of the first year (see README.md): EUR 33,135.61 used
of EUR 420,000, the category counts, the highest spend of EUR 2,500, most money on
Levensmiddelen, cards from July 2015 and no tegenprestaties. The cases the report tells
are here with their amounts; everything else is invented around them, deterministically.

    python examples/rotterdam-2015/generate.py [--out DIR]
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examplekit import Builder, describe, money, out_folder  # noqa: E402

from maatwerk_cli.core.records import DEFAULT_CATEGORIES  # noqa: E402

YEAR = 2015
TEAMS = 42
BUDGET = 10_000
TOTAL = Decimal("33135.61")
LAST_DAY = dt.date(2015, 11, 30)
CARD_FROM = dt.date(2015, 7, 1)
UNSORTED = "Niet ingedeeld"

#: The published table: spends per category (it adds up to 261; see UNSORTED).
PUBLISHED = {
    "Levensmiddelen": 99,
    "Overig": 95,
    "Wonen": 20,
    "Gezondheid": 18,
    "Persoonsbewijs": 9,
    "Huisdier": 3,
    "School": 3,
    "Water en energie": 3,  # "Evides (water)" in the report
    "Meerdere categorieën": 3,
    "Verblijfstatus": 1,
    "Financiën": 1,
    "Veiligheid": 1,
    "Griffiekosten": 1,
    "Kinderopvang": 1,
    "Verzekering": 1,
    "Kleding": 1,
    "Emigratie": 1,
}
#: The three spends the published table leaves out get a category of their own.
COUNTS = {**PUBLISHED, UNSORTED: 264 - sum(PUBLISHED.values())}

#: The cases the report describes: (category, amount, note, extra options).
CASES: list[tuple[str, str, str, dict[str, object]]] = [
    ("Levensmiddelen", "35", "boodschappen samen gedaan, uitkering komt volgende week; geleend",
     {"kind": "loan", "repaid_after_days": 14, "case": "loan35"}),
    ("Levensmiddelen", "62.40", "boodschappen voor oma met inwonende kleinzoon; korting op AOW wordt "
     "rechtgezet", {"case": "oma"}),
    ("Overig", "20", "saldo op OV-chipkaart voor dezelfde oma", {"case": "oma"}),
    ("Levensmiddelen", "118.35", "eten voor gezin met vijf kinderen tot de voedselbank start", {}),
    ("Levensmiddelen", "84.10", "eten tijdens herstel van verkeerd berekende toeslagen", {}),
    ("Wonen", "90", "urgentieaanvraag na vernielingen door ex-partner", {"case": "urgentie-a"}),
    ("Wonen", "37.50", "drie uittreksels bevolkingsregister voor de urgentie (3 x 12,50)",
     {"case": "urgentie-a"}),
    ("Levensmiddelen", "55.80", "boodschappen in afwachting van de verhuizing", {"case": "urgentie-a"}),
    ("Wonen", "127.50", "urgentieaanvraag 90 plus drie uittreksels van 12,50; koophuis moet weg",
     {}),
    ("Wonen", "2000", "huurschuld ingelost: zonder woning geen verlenging van de verblijfsvergunning",
     {"method": "factuur"}),
    ("Wonen", "1000", "huisuitzetting gezin met kinderen uitgesteld; tijd gekocht",
     {"method": "factuur"}),
    ("Water en energie", "2000", "waterschuld betaald, afsluiting bij ziek echtpaar voorkomen",
     {"method": "factuur"}),
    ("Water en energie", "346.20", "achterstand water, afsluiting voorkomen", {"method": "factuur"}),
    ("Emigratie", "177", "vliegticket terug naar land van herkomst", {}),
    ("Veiligheid", "50", "traphekje en rookmelder; achttien bewoners in een vierkamerflat", {}),
    ("School", "15", "treinkaartje naar het examen", {}),
    ("Overig", "195", "diplomageld opleiding beveiliging", {}),
    ("Overig", "312.64", "eenmalige aanslag gemeentelijke belastingen; gezin zat klem",
     {"method": "factuur"}),
    ("Overig", "299", "wasmachine", {"method": "factuur"}),
    ("Overig", "74.50", "OV-abonnement naar speciaal onderwijs tot de vervoersregeling loopt", {}),
    ("Overig", "85", "tweedehands fiets: kind moet meer bewegen", {}),
    ("Gezondheid", "96.25", "bloedonderzoek voor een onverzekerde bewoner", {}),
    ("Gezondheid", "265", "medische keuring voor vrijstelling inburgering", {"method": "factuur"}),
    ("Verzekering", "500", "schuld zorgverzekeraar betaald zodat overstap naar betere polis kan",
     {"method": "factuur"}),
    ("Persoonsbewijs", "28.40", "identiteitskaart", {}),
    ("Kleding", "94.85", "schoenen voor de kinderen, na een melding van de wijkagent", {}),
    ("Financiën", "2500", "eenmalige betaling aan schuldeiser zodat de schuldregeling rond kwam",
     {"method": "factuur"}),
    ("Verblijfstatus", "171", "leges verlenging verblijfsdocument", {"method": "factuur"}),
    ("Griffiekosten", "81", "griffierecht in een huurzaak", {"method": "factuur"}),
    ("Kinderopvang", "238.60", "eigen bijdrage kinderopvang tot de toeslag loopt", {"method": "factuur"}),
]

#: Short notes for the spends around the cases, per category (own words, no real people).
NOTES = {
    "Levensmiddelen": ["boodschappen tot de uitkering komt", "eten voor het weekend", "boodschappen",
                       "babyvoeding en luiers", "boodschappen na beslag op de rekening",
                       "eten tot de voedselbank start"],
    "Overig": ["OV-chipkaart opgeladen", "reiskosten naar afspraak", "telefoonkaart voor contact met "
               "instanties", "kosten uittreksel", "bed en beddengoed", "verhuisdoos en busje",
               "pasfoto's en kopieën", "kookplaat tweedehands"],
    "Wonen": ["borg kamer", "huurachterstand deels betaald", "verhuiskosten", "slot vervangen",
              "matras", "inschrijfgeld woningzoekende"],
    "Gezondheid": ["medicijnen niet vergoed", "eigen bijdrage tandarts", "bril", "eigen risico deels",
                   "steunkousen"],
    "Persoonsbewijs": ["identiteitskaart en pasfoto", "paspoort", "pasfoto's voor ID-kaart"],
    "Huisdier": ["dierenarts", "dierenarts na ongeluk", "hondenvoer tot de uitkering komt"],
    "School": ["schoolreisje", "schoolboeken"],
    "Water en energie": ["achterstand energie"],
    "Meerdere categorieën": ["boodschappen en reiskosten", "medicijnen en eten", "eten en luiers"],
    UNSORTED: ["uitgave zonder categorie in de notitie"],
}

#: Typical amount of a spend per category (low, high), in euros.
RANGES = {
    "Levensmiddelen": (30, 160),
    "Overig": (10, 125),
    "Wonen": (60, 330),
    "Gezondheid": (20, 160),
    "Persoonsbewijs": (28, 75),
    "Huisdier": (40, 190),
    "School": (35, 95),
    "Water en energie": (80, 260),
    "Meerdere categorieën": (90, 380),
    UNSORTED: (30, 120),
}


def team_weights(rng_values: list[float]) -> list[float]:
    """Few teams spend much, many spend little, some nothing: the spread the report saw."""
    return [0.0 if v < 0.1 else v**3 for v in rng_values]


def build(out: Path) -> Builder:
    settings = {"categories": [*DEFAULT_CATEGORIES, UNSORTED]}
    b = Builder(out, municipality="Rotterdam", year=YEAR, seed=2015_11_30, settings=settings)
    rng = b.rng
    slugs = []
    for n in range(1, TEAMS + 1):
        slugs.append(b.team(f"rdam-{n:02d}", f"Wijkteam {n:02d}", {YEAR: BUDGET}))
    weights = team_weights([rng.random() for _ in slugs])

    # Every spend: (category, amount, note, options); cases first, the rest around them.
    spends: list[tuple[str, Decimal, str, dict[str, object]]] = [
        (cat, money(amount), note, dict(opts)) for cat, amount, note, opts in CASES
    ]
    left = dict(COUNTS)
    for cat, *_ in CASES:
        left[cat] -= 1
    for cat, count in left.items():
        low, high = RANGES.get(cat, (0, 0))
        for _ in range(count):
            amount = money(f"{rng.uniform(low, high):.2f}")
            spends.append((cat, amount, rng.choice(NOTES[cat]), {"free": True}))
    # Make the total exact: spread the difference over the invented Overig spends, so the
    # published cases keep their published amounts.
    free = [i for i, s in enumerate(spends) if s[3].get("free") and s[0] == "Overig"]
    gap = TOTAL - sum(s[1] for s in spends)
    share = money(gap / len(free))
    for i in free:
        cat, amount, note, opts = spends[i]
        spends[i] = (cat, amount + share, note, opts)
    cat, amount, note, opts = spends[free[-1]]
    spends[free[-1]] = (cat, amount + TOTAL - sum(s[1] for s in spends), note, opts)

    # Dates: the first half year was slow (invoices only); cards came in July.
    rng.shuffle(spends)
    first_half = 46
    days_first = (CARD_FROM - dt.date(2015, 1, 12)).days
    days_second = (LAST_DAY - CARD_FROM).days + 1
    cases: dict[str, tuple[str, str, dt.date]] = {}
    cash_left = 2  # cash was "not a route" but was used: two teams did
    top_teams = sorted(slugs, key=lambda s: -weights[slugs.index(s)])[:2]
    for n, (cat, amount, note, opts) in enumerate(spends):
        if n < first_half:
            when = dt.date(2015, 1, 12) + dt.timedelta(days=rng.randrange(days_first))
            method = "factuur"
        else:
            when = CARD_FROM + dt.timedelta(days=rng.randrange(days_second))
            method = str(opts.get("method") or ("pin" if rng.random() < 0.72 else "factuur"))
        if opts.get("kind") == "loan" and when > LAST_DAY - dt.timedelta(days=14):
            when = LAST_DAY - dt.timedelta(days=30)
        team = rng.choices(slugs, weights)[0]
        case = str(opts.get("case", ""))
        if case in cases:
            team, household, _ = cases[case]
        else:
            household = b.household()
        if case:
            cases[case] = (team, household, max(when, cases.get(case, ("", "", when))[2]))
        kind = str(opts.get("kind", "gift"))
        due = when + dt.timedelta(days=14) if kind == "loan" else None
        cash = (cash_left > 0 and opts.get("free") and cat == "Levensmiddelen" and amount < 50
                and when >= dt.date(2015, 9, 1))
        if cash:
            # A withdrawal comes in tens; what is left goes back into the account.
            team = top_teams[cash_left - 1]
            cash_left -= 1
            method = "contant"
            b.withdraw(team, when, 50, note="contant voor boodschappen met bewoner")
        ref = b.spend(team, when, amount, cat, method=method, household=household, note=note,
                      kind=kind, due=due)
        if cash:
            b.settle(team, when + dt.timedelta(days=2), "deposit", reason="restant teruggestort")
        if due is not None:
            b.repay(ref, due, amount)  # the envelope came back two weeks later

    # The refusals the report mentions, and some where another pot had to come first.
    team, household, last = cases["oma"]
    b.refuse(team, min(last + dt.timedelta(days=35), LAST_DAY), "tweede aanvraag voor hetzelfde gezin",
             household=household, amount=80, category="Levensmiddelen", by="wijkteammanager")
    b.refuse(top_teams[0], "2015-11-24", "restant van het budget besteden aan kerstpakketten: geen "
             "acute nood", amount=1500, category="Levensmiddelen", by="rayonmanager")
    b.refuse(slugs[11], "2015-08-19", "eerst bijzondere bijstand aanvragen", household=b.household(),
             amount=350, category="Wonen", by="wijkteammanager")
    b.refuse(slugs[20], "2015-10-13", "vloerbedekking: gratis tweedehands tapijttegels aangeboden",
             household=b.household(), amount=400, category="Wonen", by="wijkteammanager")
    b.refuse(slugs[29], "2015-09-02", "eerst een fonds en het eigen netwerk proberen",
             household=b.household(), amount=250, category="Overig", by="wijkteammanager")
    return b


def main() -> None:
    out = out_folder(__file__)
    build(out).write()
    print(describe(out, YEAR))


if __name__ == "__main__":
    main()
