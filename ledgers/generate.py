"""Demostad 2026: the demo ledger in this folder, a fictional municipality.

Five wijkteams and a central doorbraakfonds, about 150 spends from January to mid
November 2026, with every kind of case the tool records: gifts, loans and repayments
(one overdue), a conditional grant, tegenprestaties, refusals, outcomes, card, invoice
and cash payments (with the cash box settled), rule-of-thumb overrides, a spend paid
back by the provision that should have paid, a voided double entry and knipkaart uses.
At the end of October Wijkteam Oost is far behind the pace of the year and Wijkteam
Zuid is over its budget; the others are on track.

    python ledgers/generate.py [--out DIR]
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

from examplekit import Builder, describe, money, out_folder  # noqa: E402

YEAR = 2026
OCT_END = dt.date(2026, 10, 31)
LAST_DAY = dt.date(2026, 11, 15)

SETTINGS = {
    "rules": {"max_per_spend": 500, "repeat_household_days": 30, "second_opinion_above": 1000},
}

#: slug: (name, budget, spends January-October, their total, spends in November).
TEAMS = {
    "noord": ("Wijkteam Noord", 12_000, 32, "8612.40", 3),
    "zuid": ("Wijkteam Zuid", 10_000, 38, "10684.15", 2),
    "oost": ("Wijkteam Oost", 10_000, 11, "2143.70", 1),
    "west": ("Wijkteam West", 8_000, 24, "5893.55", 2),
    "centrum": ("Wijkteam Centrum", 10_000, 26, "7318.90", 2),
}
FUND = "doorbraakfonds"

#: Everyday spends of a wijkteam: (category, low, high, notes); own words, no real people.
EVERYDAY = [
    ("Levensmiddelen", 25, 140, ["boodschappen tot de uitkering komt", "eten voor het weekend",
                                "babyvoeding en luiers", "boodschappen na beslag op de rekening"]),
    ("Wonen", 80, 480, ["borg kamer", "verhuisbus", "slot vervangen na inbraak", "matras en beddengoed",
                        "achterstand servicekosten"]),
    ("Gezondheid", 20, 260, ["medicijnen niet vergoed", "eigen bijdrage tandarts", "bril"]),
    ("Persoonsbewijs", 45, 90, ["identiteitskaart en pasfoto's", "paspoort verlengen"]),
    ("Vervoer", 15, 120, ["OV-kaart opgeladen", "fietsreparatie", "treinkaartje naar sollicitatie"]),
    ("Opleiding en werk", 40, 450, ["diplomageld", "werkschoenen", "examengeld"]),
    ("Water en energie", 60, 420, ["achterstand water, afsluiting voorkomen",
                                   "energienota: afsluiting in de winter voorkomen"]),
    ("School", 20, 150, ["schoolreis", "laptop tweedehands voor school", "gymkleding"]),
    ("Kleding", 30, 160, ["winterjassen kinderen", "kleding voor sollicitatie"]),
    ("Huisdier", 40, 200, ["dierenarts"]),
    ("Overig", 15, 200, ["telefoonabonnement tot het eerste salaris", "kosten uittreksel",
                         "wasmachine tweedehands"]),
]
WEIGHTS = [10, 5, 4, 2, 3, 2, 2, 2, 2, 1, 3]

#: The doorbraakfonds pays what is too big for a team: (date, amount, category, note, team, outcome).
FUND_SPENDS = [
    ("2026-01-27", "2450", "Wonen", "huurachterstand: ontruiming gezin voorkomen", "zuid", "reached"),
    ("2026-02-24", "1850", "Financiën", "schulden saneren zodat bewind kan starten", "noord", "reached"),
    ("2026-04-08", "3900", "Wonen", "koopwoning: gedwongen verkoop uitgesteld, lening", "centrum", ""),
    ("2026-05-19", "1200", "Opleiding en werk", "rijlessen: baan als bezorger", "west", "reached"),
    ("2026-06-16", "2750", "Wonen", "borg en inrichting na opvang", "zuid", "partial"),
    ("2026-07-14", "1480", "Gezondheid", "gebitsherstel voor sollicitaties", "oost", "reached"),
    ("2026-08-25", "3620", "Financiën", "belastingschuld: beslag op loon opgeheven", "centrum", ""),
    ("2026-09-22", "1140", "Kinderopvang", "opvang zodat moeder kan werken", "noord", "reached"),
    ("2026-10-13", "3110", "Wonen", "verhuizing na huiselijk geweld", "west", "reached"),
    ("2026-11-10", "2400", "Wonen", "huurachterstand na ontslag", "zuid", ""),
]


def _dates(rng: random.Random, count: int, first: dt.date, last: dt.date) -> list[dt.date]:
    span = (last - first).days
    return sorted(first + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(count))


def build(out: Path) -> Builder:
    b = Builder(out, municipality="Demostad", year=YEAR, seed=2026_10, settings=SETTINGS)
    rng = b.rng
    for slug, (name, budget, *_rest) in TEAMS.items():
        b.team(slug, name, {YEAR: budget})
    b.team(FUND, "Doorbraakfonds Demostad", {YEAR: 30_000}, kind="fund",
           sections={"rules": {"max_per_spend": False}})

    stories(b)
    fixed = _fixed_totals()
    for slug, (_, _, count, total, november) in TEAMS.items():
        # Everyday spends around the stories, scaled so the October figure is as planned.
        plan = []
        for _ in range(count - fixed[slug][0]):
            cat, low, high, notes = rng.choices(EVERYDAY, WEIGHTS)[0]
            plan.append((cat, money(f"{rng.uniform(low, high):.2f}"), rng.choice(notes)))
        target = money(total) - fixed[slug][1]
        scale = target / sum(p[1] for p in plan)
        plan = [(c, min(money(a * scale), Decimal("495")), n) for c, a, n in plan]
        # What the cap at 495 (under the rule of thumb) took off goes to the smallest ones.
        for i in sorted(range(len(plan)), key=lambda i: plan[i][1]):
            rest = target - sum(p[1] for p in plan)
            if rest == 0:
                break
            step = min(rest, Decimal("495") - plan[i][1])
            plan[i] = (plan[i][0], plan[i][1] + step, plan[i][2])
        for (cat, amount, note), when in zip(plan, _dates(rng, len(plan), dt.date(2026, 1, 5), OCT_END),
                                             strict=True):
            method = "factuur" if amount > 300 else ("pin" if rng.random() < 0.8 else "factuur")
            b.spend(slug, when, amount, cat, method=method, household=b.household(), note=note)
        for when in _dates(rng, november, dt.date(2026, 11, 2), LAST_DAY):
            cat, low, high, notes = rng.choices(EVERYDAY, WEIGHTS)[0]
            b.spend(slug, when, f"{rng.uniform(low, high):.2f}", cat, household=b.household(),
                    note=rng.choice(notes))

    for date, value, cat, note, team, outcome in FUND_SPENDS:
        loan = "lening" in note
        ref = b.spend(FUND, date, value, cat, method="factuur", household=b.household(), note=note,
                      by=f"aanvraag wijkteam {team}", second_opinion="rayonmanager",
                      kind="loan" if loan else "gift",
                      due=dt.date.fromisoformat(date) + dt.timedelta(days=540) if loan else None)
        if loan:
            for month in (5, 6, 7, 8, 9, 10, 11):
                b.repay(ref, dt.date(2026, month, 28 if month != 11 else 14), 150)
        if outcome:
            b.outcome(ref, dt.date.fromisoformat(date) + dt.timedelta(days=35), outcome,
                      avoided_cost="6500" if cat == "Wonen" else "2200", by="coördinator")
    refusals_and_knipkaart(b)
    return b


#: Spends in stories(), per team: how many until the end of October, and their total.
def _fixed_totals() -> dict[str, tuple[int, Decimal]]:
    return {
        "noord": (5, money("35") + money("400") + money("89.90") + money("312") + money("465")),
        "zuid": (7, money("750") + money("120") + money("95") + money("480") + money("310")
                 + money("260") + money("640")),
        "oost": (2, money("64.35") + money("180")),
        "west": (5, money("38.45") + money("45.20") + money("42.80") + money("250") + money("395")),
        "centrum": (4, money("480") + money("420") + money("215") + money("138")),
    }


def stories(b: Builder) -> None:
    """The cases that show what the tool records; their amounts are in _fixed_totals."""
    hh = b.household
    # Noord: a small loan paid back, a loan that is overdue, a double entry, tegenprestaties.
    ref = b.spend("noord", "2026-02-03", 35, "Levensmiddelen", household=hh(), kind="loan",
                  due="2026-02-17", note="boodschappen samen gedaan, uitkering komt volgende week")
    b.repay(ref, "2026-02-16", 35)
    loan = b.spend("noord", "2026-06-02", 400, "Wonen", method="factuur", household=hh(), kind="loan",
                   due="2026-09-01", note="voorschot huur tot de toeslag is hersteld")
    b.repay(loan, "2026-07-30", 100)
    b.repay(loan, "2026-08-31", 50)
    code = hh()
    b.spend("noord", "2026-03-10", "89.90", "Gezondheid", household=code, note="bril voor kind")
    double = b.spend("noord", "2026-03-10", "89.90", "Gezondheid", note="bril")
    b.void(double, "2026-03-11", "twee keer ingevoerd")
    ref = b.spend("noord", "2026-04-21", 312, "Opleiding en werk", method="factuur", household=hh(),
                  note="examengeld heftruckcertificaat", tegenprestatie="helpt in de buurtmoestuin")
    b.tegenprestatie(ref, "2026-07-01", "helpt in de buurtmoestuin", "done")
    b.outcome(ref, "2026-08-03", "reached", avoided_cost="3400", by="coördinator")
    ref = b.spend("noord", "2026-09-08", 465, "Wonen", method="factuur", household=hh(),
                  note="borg kamer voor jongere uit de opvang", tegenprestatie="kookt mee in het buurthuis")
    b.outcome(ref, "2026-10-20", "reached", avoided_cost="4100")

    # Zuid: busy, and over its budget by October; rules of thumb overridden with reasons.
    ref = b.spend("zuid", "2026-02-17", 750, "Wonen", method="factuur", household=hh(),
                  note="huurachterstand: deurwaarder stond al op de stoep",
                  reason="ontruiming volgende week; fonds beslist pas over een maand")
    b.outcome(ref, "2026-04-01", "reached", avoided_cost="5200")
    code = hh()
    b.spend("zuid", "2026-03-03", 120, "Levensmiddelen", household=code, note="boodschappen gezin")
    b.spend("zuid", "2026-03-20", 95, "Levensmiddelen", household=code, note="boodschappen gezin",
            reason="uitkering nog steeds niet binnen; overbrugging van twee weken")
    ref = b.spend("zuid", "2026-05-12", 480, "Opleiding en werk", method="factuur", household=hh(),
                  note="laptop voor de opleiding", tegenprestatie="geeft taalles in het buurthuis")
    b.tegenprestatie(ref, "2026-09-01", "geeft taalles in het buurthuis", "done")
    b.outcome(ref, "2026-09-01", "reached", avoided_cost="1800")
    ref = b.spend("zuid", "2026-06-09", 310, "Wonen", method="factuur", household=hh(),
                  note="verhuisbus en opslag na ontruiming elders",
                  tegenprestatie="helpt zelf met sjouwen", tegenprestatie_status="done")
    b.outcome(ref, "2026-08-11", "partial")
    ref = b.spend("zuid", "2026-07-07", 260, "Gezondheid", household=hh(), note="medicijnen niet vergoed",
                  tegenprestatie="kan nu niets terugdoen: in behandeling",
                  tegenprestatie_status="not-possible")
    b.outcome(ref, "2026-09-15", "not-reached", avoided_cost="-150")
    b.spend("zuid", "2026-09-29", 640, "Water en energie", method="factuur", household=hh(),
            note="energieschuld: afsluiting met baby in huis",
            reason="winter en een baby; geen tijd voor fonds",
            tegenprestatie="energiecoach op bezoek laten komen", tegenprestatie_status="agreed")

    # Oost: hardly uses the budget.
    b.spend("oost", "2026-02-25", "64.35", "Levensmiddelen", household=hh(), note="boodschappen")
    ref = b.spend("oost", "2026-08-18", 180, "Persoonsbewijs", household=hh(),
                  note="paspoort nodig voor de uitkeringsaanvraag")
    b.outcome(ref, "2026-10-06", "reached", avoided_cost="900")

    # West: the cash box, and a loan not yet due.
    b.withdraw("west", "2026-03-10", 100, note="kasgeld voor boodschappen met bewoners")
    b.spend("west", "2026-03-10", "38.45", "Levensmiddelen", method="contant", household=hh(),
            note="boodschappen, contant")
    b.spend("west", "2026-03-11", "45.20", "Levensmiddelen", method="contant", household=hh(),
            note="eten voor het weekend, contant")
    b.settle("west", "2026-03-12", "deposit", reason="restant teruggestort op de rekening")
    b.withdraw("west", "2026-09-15", 50, note="kasgeld")
    b.spend("west", "2026-09-15", "42.80", "Vervoer", method="contant", household=hh(),
            note="treinkaartje naar familie na brand")
    b.settle("west", "2026-09-16", "write-off", reason="restant te klein om terug te storten")
    loan = b.spend("west", "2026-07-21", 250, "Wonen", household=hh(), note="koelkast")
    b.mark_kind(loan, "2026-07-22", "loan", due="2026-12-31", by="teamleider")  # agreed a day later
    b.repay(loan, "2026-09-30", 50)
    b.repay(loan, "2026-10-30", 50)
    ref = b.spend("west", "2026-05-05", 395, "Opleiding en werk", method="factuur", household=hh(),
                  note="startkosten als zzp-schoonmaker", tegenprestatie="vertelt zijn verhaal op de "
                  "wijkavond")
    b.outcome(ref, "2026-09-10", "reached", avoided_cost="2750")

    # Centrum: a conditional grant, and a spend the bijzondere bijstand paid back later.
    b.spend("centrum", "2026-02-09", 480, "Opleiding en werk", method="factuur", household=hh(),
            kind="conditional", condition="terugbetalen als de cursus boekhouden niet wordt afgemaakt",
            note="cursus boekhouden", tegenprestatie="houdt de kas van de voedselbank bij")
    ref = b.spend("centrum", "2026-04-14", 420, "Wonen", method="factuur", household=hh(),
                  note="borg woning; bijzondere bijstand was te traag")
    b.recovered(ref, "2026-06-03", "bijzondere bijstand")
    b.spend("centrum", "2026-06-23", 215, "Kleding", household=hh(), note="kleding na een brand")
    ref = b.spend("centrum", "2026-10-06", 138, "Vervoer", household=hh(),
                  note="OV-abonnement naar de dagbesteding")
    b.outcome(ref, "2026-10-27", "partial")


def refusals_and_knipkaart(b: Builder) -> None:
    """Refused requests kept for learning, and the knipkaart uses of three teams."""
    b.refuse("noord", "2026-05-06", "tweede aanvraag in een maand; eerst budgetcoach", amount=150,
             category="Levensmiddelen", household=b.household(), by="teamleider")
    b.refuse("zuid", "2026-08-04", "bijzondere bijstand betaalt dit binnen een week", amount=480,
             category="Wonen", household=b.household(), by="teamleider")
    b.refuse("centrum", "2026-09-17", "kerstpakketten voor alle cliënten: geen maatwerk", amount=1200,
             category="Levensmiddelen", by="coördinator")
    b.refuse("west", "2026-10-20", "vloerbedekking: gratis tapijttegels aangeboden", amount=600,
             category="Wonen", household=b.household(), by="teamleider")
    b.refuse(FUND, "2026-07-08", "autoschuld: geen zicht op een structurele oplossing", amount=6500,
             category="Financiën", household=b.household(), by="rayonmanager")
    uses = [
        ("zuid", "2026-02-10", "Werk en Inkomen: wachttijd van vier weken voor de uitkering vervalt"),
        ("zuid", "2026-04-15", "Werk en Inkomen: IB60-formulier niet nodig voor ex-ondernemer"),
        ("zuid", "2026-06-02", "Belastingen: kwijtschelding zonder volledige bankafschriften"),
        ("zuid", "2026-08-19", "Werk en Inkomen: uitkering vanaf de aanvraagdatum, niet na intake"),
        ("zuid", "2026-10-07", "Wonen: urgentie zonder uittreksel van de ex-partner"),
        ("noord", "2026-03-24", "Werk en Inkomen: voorschot zonder loonstrook"),
        ("noord", "2026-09-14", "Belastingen: betalingsregeling buiten de vaste termijnen"),
        ("oost", "2026-06-30", "Werk en Inkomen: inschrijving zonder vast adres"),
    ]
    for team, date, reason in uses:
        b.knipkaart(team, date, reason, by="teamleider")
    b.knipkaart("zuid", "2026-11-03", "Werk en Inkomen: bijstand voor een zeventienjarige moeder",
                by="teamleider", force=True)


#: The copy the package ships for `maatwerk demo` (tests/test_demo.py keeps it identical).
PACKAGED = Path(__file__).resolve().parents[1] / "maatwerk_cli" / "demo"


def main() -> None:
    out = out_folder(__file__)
    build(out).write()
    if out == Path(__file__).resolve().parent:
        shutil.rmtree(PACKAGED, ignore_errors=True)
        shutil.copytree(out, PACKAGED, ignore=shutil.ignore_patterns("README.md", "generate.py", "__pycache__"))
    print(describe(out, YEAR))


if __name__ == "__main__":
    main()
