"""The listings as views: entries, teams, cash, bank lines, reconcile, rules and overrides,
the knipkaart, refusals. Data columns keep their JSON/CSV keys; tables get Dutch titles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from .columns import Column, Record
from .output import View
from .views import ENTRY_TABLE, entry_columns, listing

TEAM_DATA = [Column("team"), Column("name"), Column("kind"), Column("year", kind="year"),
             Column("budget", kind="money", total=True), Column("base", kind="money", total=True),
             Column("changes", kind="money", total=True), Column("start", kind="date"),
             Column("end", kind="date")]
TEAM_TABLE = [Column("team", "team"), Column("name", "naam"), Column("kind", "soort"),
              Column("year", "jaar", "year"), Column("budget", "budget", "money", total=True)]
#: Shown when some budget has top-ups, cuts or its own period.
TEAM_CHANGES = [Column("base", "basis", "money", total=True),
                Column("changes", "erbij/eraf", "money", total=True),
                Column("start", "van", "date"), Column("end", "tot en met", "date")]


def team_record(team: Any, year: int) -> dict[str, Any]:
    """A budget holder's budget of ``year``: the whole budget, its base, the top-ups less
    cuts, and the period it runs."""
    plan = team.budget_year(year)
    return {"team": team.slug, "name": team.name, "kind": team.kind, "year": year, "budget": plan.total,
            "base": plan.base, "changes": plan.total - plan.base, "start": plan.first, "end": plan.last}


def teams(title: str, records: Sequence[Record], *, total: bool = True, empty: str = "no teams yet") -> View:
    plain = all(r.get("changes", 0) == 0 and r.get("start") in (None, dt.date(r["year"], 1, 1))
                and r.get("end") in (None, dt.date(r["year"], 12, 31)) for r in records)
    table = TEAM_TABLE if plain else [*TEAM_TABLE, *TEAM_CHANGES]
    return listing(title, records, TEAM_DATA, table=table, total=total, sheet="teams", empty=empty)


def entries(records: Sequence[Record], fmt: str) -> View:
    """Entries: tables show the essentials, machine formats every field."""
    data = entry_columns()
    table = ENTRY_TABLE if fmt in ("table", "vertical", "markdown") else data
    return listing("Entries", records, data, table=table, total=True, sheet="entries", empty="no entries",
                   styles=lambda r: "dim strike" if r.get("voided") else None)


CASH_DATA = [Column("team"), Column("cash_on_hand", kind="money", total=True),
             Column("withdrawn", kind="money", total=True), Column("spent_cash", kind="money", total=True),
             Column("written_off", kind="money", total=True), Column("deposited", kind="money", total=True)]
CASH_TABLE = [
    Column("team", "team"),
    Column("cash_on_hand", "in kas", "money", total=True, meaning="opgenomen min contant besteed, "
           "afgeschreven en teruggestort"),
    Column("withdrawn", "opgenomen", "money", total=True, meaning="contant opgenomen van de pinrekening"),
    Column("spent_cash", "contant besteed", "money", total=True, meaning="contante uitgaven, niet geannuleerd"),
    Column("written_off", "afgeschreven", "money", total=True, meaning="kleine restanten afgeschreven als besteed"),
    Column("deposited", "teruggestort", "money", total=True, meaning="restanten teruggestort op de rekening"),
]


def cash(records: Sequence[Record]) -> View:
    return listing("Cash box", records, CASH_DATA, table=CASH_TABLE, total=len(records) > 1, sheet="cash",
                   empty="no teams yet")


BANK_DATA = [Column("ref", kind="id"), Column("date", kind="date"), Column("amount", kind="money"),
             Column("direction"), Column("status"), Column("id", kind="id"), Column("description"),
             Column("source")]
BANK_TABLE = [Column("ref", "ref", "id"), Column("date", "datum", "date"), Column("amount", "bedrag", "money"),
              Column("direction", "richting", wide=True), Column("status", "status"), Column("id", "id", "id"),
              Column("description", "omschrijving", wide=True), Column("source", "bestand", wide=True)]


def bank_lines(records: Sequence[Record], *, open_only: bool) -> View:
    return listing("Bank lines", records, BANK_DATA, table=BANK_TABLE, sheet="bank",
                   empty="no open bank lines" if open_only else "no bank lines imported")


RECONCILE_DATA = [Column("problem"), Column("date", kind="date"), Column("amount", kind="money"),
                  Column("recorded", kind="money"), Column("ref", kind="id"), Column("id", kind="id"),
                  Column("description")]
RECONCILE_TABLE = [Column("problem", "probleem"), Column("date", "datum", "date"),
                   Column("amount", "bedrag", "money"), Column("recorded", "geboekt", "money"),
                   Column("ref", "ref", "id"), Column("id", "id", "id"),
                   Column("description", "omschrijving", wide=True)]
PROBLEM_WORDS = {
    "bank_without_entry": "bank only",
    "entry_without_bank": "ledger only",
    "amount_mismatch": "amounts differ",
}


def reconcile(records: Sequence[Record], fmt: str) -> View:
    if fmt in ("table", "vertical", "markdown"):
        # People read words; scripts get the contract's names (bank_without_entry, ...).
        records = [{**r, "problem": PROBLEM_WORDS.get(str(r["problem"]), r["problem"])} for r in records]
    return listing("Reconcile", records, RECONCILE_DATA, table=RECONCILE_TABLE, sheet="reconcile",
                   empty="bank and ledger agree")


RULE_DATA = [Column("team"), Column("rule"), Column("category"), Column("value"), Column("meaning"),
             Column("source")]
RULE_TABLE = [Column("team", "team"), Column("rule", "regel"), Column("category", "categorie"),
              Column("value", "waarde"), Column("meaning", "betekenis", wide=True),
              Column("source", "bron", wide=True)]
OVERRIDE_DATA = [Column("id", kind="id"), Column("team"), Column("date", kind="date"),
                 Column("amount", kind="money"), Column("category"), Column("rules"), Column("reason"),
                 Column("by"), Column("second_opinion"), Column("voided", kind="bool")]
OVERRIDE_TABLE = [
    Column("id", "id", "id"), Column("team", "team", wide=True), Column("date", "datum", "date"),
    Column("amount", "bedrag", "money"), Column("category", "categorie"), Column("rules", "regels"),
    Column("reason", "reden"), Column("by", "door", wide=True),
    Column("second_opinion", "tweede mening", wide=True), Column("voided", "geannuleerd", "bool", wide=True),
]


def rules(records: Sequence[Record]) -> View:
    return listing("Rules of thumb in force", records, RULE_DATA, table=RULE_TABLE, sheet="rules", key="rules",
                   empty="no rules of thumb set; add them under [rules] in maatwerk.toml (docs/rules.md)")


def overrides(records: Sequence[Record], title: str = "Overrides") -> View:
    return listing(title, records, OVERRIDE_DATA, table=OVERRIDE_TABLE, sheet="overrides", key="overrides",
                   empty="no overrides recorded")


CARD_DATA = [Column("team"), Column("year", kind="year"), Column("used", kind="int", total=True),
             Column("limit", kind="int", total=True), Column("remaining", kind="int", total=True),
             Column("beyond", kind="int", total=True)]
CARD_TABLE = [Column("team", "team"), Column("year", "jaar", "year"),
              Column("used", "gebruikt", "int", total=True), Column("limit", "op de kaart", "int", total=True),
              Column("remaining", "over", "int", total=True), Column("beyond", "voorbij de kaart", "int", total=True)]
USE_DATA = [Column("team"), Column("id", kind="id"), Column("date", kind="date"), Column("reason"),
            Column("beyond", kind="bool"), Column("by")]
USE_TABLE = [Column("team", "team"), Column("id", "id", "id"), Column("date", "datum", "date"),
             Column("reason", "reden"), Column("beyond", "voorbij de kaart", "bool"), Column("by", "door", wide=True)]


def knipkaart(cards: Sequence[Record], title: str, *, with_uses: bool = False) -> View:
    data = [*CARD_DATA, Column("uses")] if with_uses else CARD_DATA
    return listing(title, cards, data, table=CARD_TABLE, total=True, sheet="knipkaart", key="cards",
                   empty="no teams yet")


def knipkaart_uses(uses: Sequence[Record]) -> View:
    return listing("What the exceptions were used for", uses, USE_DATA, table=USE_TABLE, sheet="knipkaart uses",
                   key="uses", empty="no uses this year")


REFUSAL_DATA = [Column("id", kind="id"), Column("team"), Column("date", kind="date"),
                Column("amount", kind="money"), Column("category"), Column("household", kind="id"),
                Column("reason"), Column("by")]
REFUSAL_TABLE = [Column("id", "id", "id"), Column("team", "team"), Column("date", "datum", "date"),
                 Column("amount", "gevraagd", "money", meaning="het gevraagde bedrag, als dat bekend is"),
                 Column("category", "categorie"), Column("household", "huishouden", "id", wide=True),
                 Column("reason", "reden", meaning="waarom de aanvraag is geweigerd"),
                 Column("by", "door", wide=True)]


def refusals(records: Sequence[Record], title: str, total: Record | None = None) -> View:
    return View(title=title, columns=REFUSAL_DATA, records=records, table=REFUSAL_TABLE, total=total,
                sheet="refusals", empty="no refusals recorded")


def rule_value(value: Any, human: bool) -> Any:
    from decimal import Decimal

    from ..core.money import format_eur

    if isinstance(value, Decimal):
        return format_eur(value) if human else value
    if isinstance(value, int):
        return f"{value} days" if human else value
    return value
