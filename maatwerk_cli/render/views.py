"""Every report and listing as a :class:`~maatwerk_cli.render.output.View`: columns with their
Dutch titles and meanings, the totals row, and the lines under the table.

The data columns (JSON and CSV keys) are the contract with scripts; the table columns are
what people read. Both are defined here once, for the terminal, Markdown, workbooks and the
monthly report alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..analysis.reports import TOTAL_LABEL, Report
from .columns import Column, Record, text_human
from .output import MEANINGS, TITLES, View

# ---------------------------------------------------------------------------- utilisation

UTILISATION_DATA = [
    Column("team"), Column("budget", kind="money"), Column("spent", kind="money"),
    Column("repaid", kind="money"), Column("net", kind="money"), Column("utilisation", kind="fraction"),
    Column("expected", kind="fraction"), Column("status"), Column("projected", kind="money"),
]
UTILISATION_MEANINGS = {
    "team": "de budgethouder (wijkteam of fonds)",
    "budget": "het budget van het jaar",
    "spent": "besteed van 1 januari tot de peildatum, zonder geannuleerde uitgaven, met afgeschreven kasgeld",
    "month_spent": "besteed in de gekozen maand",
    "utilisation": "besteed gedeeld door budget",
    "expected": "het tempo: het deel van het budget dat op de peildatum besteed zou zijn; voor een heel "
                "jaar het deel van het jaar dat voorbij is (in dagen)",
    "status": "over: besteed of prognose boven budget; under: benut onder de helft van het tempo; "
              "anders on-track",
    "projected": "verwachte besteding op 31 december bij het huidige tempo",
    "repaid": "terugbetalingen en verhaalde bedragen in dezelfde periode",
    "net": "besteed min terugbetaald",
    "cash_on_hand": "contant geld in kas: opgenomen min contant besteed, afgeschreven en teruggestort",
    "pace": "het tempo: de verwachte besteding op de peildatum als deel van het budget (eigen periode, "
            "ophogingen en kortingen en het bestedingsprofiel meegerekend)",
    "expected_spend": "de verwachte besteding op de peildatum bij het tempo, in euro",
}


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def _title(base: str, municipality: str) -> str:
    return f"{base} ({municipality})" if municipality else base


def _stretch(year: int, as_of: dt.date) -> str:
    """The stretch a year's report counts, for the workbook's cover."""
    return f"1-1-{year} tot en met {as_of:%d-%m-%Y}"


def utilisation(report: Report, municipality: str = "") -> View:
    month = "month_spent" in report.columns
    data = list(UTILISATION_DATA)
    if month:
        data.append(Column("month_spent", kind="money"))
    data += [Column("cash_on_hand", kind="money"), Column("kind"), Column("name"),
             Column("pace", kind="fraction"), Column("expected_spend", kind="money")]
    m = UTILISATION_MEANINGS
    table = [Column("team", "team", meaning=m["team"]), Column("budget", "budget", "money", meaning=m["budget"]),
             Column("spent", "besteed", "money", meaning=m["spent"])]
    if month:
        table.append(Column("month_spent", "deze maand", "money", wide=True, meaning=m["month_spent"]))
    table.append(Column("utilisation", "benut", "fraction", meaning=m["utilisation"]))
    if report.attrs.get("own_pace"):
        # Only when some budget has its own period, changes or a profile: else the pace is
        # the one figure in the legend.
        table += [Column("pace", "tempo", "fraction", meaning=m["pace"]),
                  Column("expected_spend", "verwacht", "money", wide=True, meaning=m["expected_spend"])]
    table += [
        Column("status", "status", meaning=m["status"]),
        Column("projected", "prognose", "money", wide=True, meaning=m["projected"]),
        Column("repaid", "terugbetaald", "money", wide=True, meaning=m["repaid"]),
        Column("net", "netto", "money", wide=True, meaning=m["net"]),
    ]
    if any(v != 0 for v in report["cash_on_hand"]):
        table.append(Column("cash_on_hand", "kas", "money", wide=True, meaning=m["cash_on_hand"]))
    year, as_of = report.attrs["year"], report.attrs["as_of"]
    return View(
        title=_title(f"Utilisation {year}, as of {as_of:%d-%m-%Y}", municipality),
        columns=data, records=report.records, table=table, total=report.attrs.get("total"),
        footer=utilisation_footer(report), sheet="utilisation",
        empty="no budget holders yet; add one with `maatwerk team add`",
        municipality=municipality, period=_stretch(year, as_of), as_of=as_of,
    )


def utilisation_footer(report: Report) -> list[str]:
    """The legend under the table: the pace, what under and over mean, who is behind."""
    expected = float(report.attrs["expected"])
    share = Decimal(report.attrs["under_share"])
    as_of: dt.date = report.attrs["as_of"]
    year = report.attrs["year"]
    records = report.records
    if report.attrs.get("own_pace"):
        lines = [
            f"Pace: {_pct(expected)} of {year} has passed on {as_of:%d-%m-%Y}; budgets with their own "
            "period, top-ups or cuts, or the spending profile, have their own pace (tempo). "
            f"[yellow]under[/]: used less than {_pct(float(share))} of its pace; "
            "[red]over[/]: spent or projected above the budget."
        ]
    else:
        lines = [
            f"Pace: {_pct(expected)} of {year} has passed on {as_of:%d-%m-%Y}. "
            f"[yellow]under[/]: used less than {_pct(float(share) * expected)} "
            f"({_pct(float(share))} of the pace); [red]over[/]: spent or projected above the budget."
        ]
    behind = [str(r["team"]) for r in records if r.get("status") == "under"]
    over = [str(r["team"]) for r in records if r.get("status") == "over"]
    of = f" ({{}} of {len(records)})" if len(records) > 1 else ""
    lines.append(f"Behind the pace{of.format(len(behind))}: [bold yellow]{', '.join(behind)}[/]."
                 if behind else "No budget holder is behind the pace.")
    if over:
        lines.append(f"Over budget, or heading there{of.format(len(over))}: "
                     f"[bold red]{', '.join(over)}[/].")
    return lines


# ---------------------------------------------------------------------------- compare

COMPARE_DATA = [
    Column("team"), Column("budget", kind="money"), Column("spent", kind="money"),
    Column("utilisation", kind="fraction"), Column("count", kind="int"), Column("average", kind="money"),
    Column("median", kind="money"), Column("max", kind="money"), Column("top_category"),
    Column("loans_outstanding", kind="money"), Column("tegenprestatie_share", kind="fraction"),
    Column("refusals", kind="int"),
]
#: After the compare data and its kind and name: the pace (a share, as in utilisation).
PACE_COLUMN = Column("pace", kind="fraction")
PACE_TABLE = Column("pace", "tempo", "fraction", meaning=UTILISATION_MEANINGS["pace"])
COMPARE_TABLE = [
    Column("team", "team", meaning="de budgethouder"),
    Column("budget", "budget", "money", wide=True, meaning="het budget van het jaar"),
    Column("spent", "besteed", "money", meaning=UTILISATION_MEANINGS["spent"]),
    Column("utilisation", "benut", "fraction", meaning="besteed gedeeld door budget"),
    Column("count", "aantal", "int", meaning="het aantal uitgaven"),
    Column("average", "gemiddeld", "money", meaning="het gemiddelde bedrag per uitgave"),
    Column("median", "mediaan", "money", wide=True, meaning="het middelste bedrag"),
    Column("max", "hoogste", "money", wide=True, meaning="het hoogste bedrag"),
    Column("top_category", "meeste geld", meaning="de categorie met het meeste geld"),
    Column("loans_outstanding", "leningen open", "money", wide=True,
           meaning="nog open op leningen en voorwaardelijke giften"),
    Column("tegenprestatie_share", "tegenprestatie", "fraction", wide=True,
           meaning="deel van de uitgaven met een tegenprestatie"),
    Column("refusals", "weigeringen", "int", wide=True, meaning="geweigerde aanvragen"),
]


def compare(report: Report, municipality: str = "") -> View:
    year = report.attrs["year"]
    footer = []
    off = report.attrs.get("written_off")
    if off:
        footer.append(f"Cash written off ({text_human(off, 'money')}) is in besteed but is no spend: "
                      "aantal, gemiddeld and mediaan count the spends only.")
    table = [*COMPARE_TABLE[:4], PACE_TABLE, *COMPARE_TABLE[4:]] if report.attrs.get("own_pace") else COMPARE_TABLE
    return View(
        title=_title(f"Teams compared, {year}", municipality),
        columns=[*COMPARE_DATA, PACE_COLUMN],
        records=report.records, table=table, total=report.attrs.get("total"), sheet="compare",
        empty="no budget holders yet; add one with `maatwerk team add`", footer=footer,
        municipality=municipality, period=_stretch(year, report.attrs["as_of"]), as_of=report.attrs["as_of"],
    )


def transposed(view: View, key: str, fields: Sequence[Column], *, target: str,
               text: Sequence[Column] = ()) -> View:
    """A view turned so its ``key`` values (teams, municipalities) are columns and the
    figures are rows, like the sources' Rotterdam/Zaanstad table.

    JSON and CSV get the values as they are, one row per figure (``field`` and a key per
    team); a workbook keeps each row's number format and adds a ``totaal`` column; a table
    or Markdown gets each cell formatted for its row.
    """
    titles = {**TITLES, **{c.key: c.header for c in view.shown}}
    meanings = {c.key: c.meaning for c in view.shown if c.meaning}
    labels = [str(r.get(key)) for r in view.records]
    human = target in ("table", "vertical", "markdown")
    rows_of = [*fields, *(text if not human else ())]
    total = view.total if target != "json" and target not in ("csv", "csv-nl") else None
    records: list[dict[str, Any]] = []
    for f in rows_of:
        if human:
            unit = " €" if f.kind == "money" else ""
            row: dict[str, Any] = {"field": titles.get(f.key, f.key.replace("_", " ")) + unit}
            for label, r in zip(labels, view.records, strict=True):
                row[label] = text_human(r.get(f.key), f.kind).removeprefix("€ ")
            if total is not None:
                row[TOTAL_LABEL] = text_human(total.get(f.key), f.kind).removeprefix("€ ")
        else:
            row = {"field": titles.get(f.key, f.key) if target == "xlsx" else f.key}
            for label, r in zip(labels, view.records, strict=True):
                row[label] = r.get(f.key)
            if total is not None:
                row[TOTAL_LABEL] = total.get(f.key)
        records.append(row)
    heads = [*labels, *([TOTAL_LABEL] if total is not None else [])]
    cell = "number" if human else "text"
    # The figures' column has no title (a blank header, as in the table); JSON and CSV call it field.
    columns = [Column("field", " ", "text"), *[Column(h, h, cell) for h in heads]]
    about = [(titles.get(f.key, f.key), meanings.get(f.key) or MEANINGS.get(f.key, "")) for f in rows_of]
    return View(title=view.title, columns=columns, records=records, table=columns, sheet=view.sheet,
                empty=view.empty, row_kinds=[f.kind for f in rows_of] if target == "xlsx" else (),
                transposed=True, municipality=view.municipality, period=view.period, as_of=view.as_of,
                meanings=about)


# ---------------------------------------------------------------------------- categories

CATEGORY_DATA = [
    Column("category"), Column("count", kind="int"), Column("amount", kind="money"),
    Column("share_count", kind="fraction"), Column("share_amount", kind="fraction"),
]
CATEGORY_TABLE = [
    Column("category", "categorie", meaning="waar het geld naartoe ging"),
    Column("count", "aantal", "int", meaning="het aantal uitgaven"),
    Column("amount", "bedrag", "money", meaning="het geld van die uitgaven"),
    Column("share_count", "% van aantal", "fraction", meaning="deel van alle uitgaven"),
    Column("share_amount", "% van geld", "fraction", meaning="deel van al het geld"),
]


def categories(report: Report, municipality: str = "") -> View:
    year = report.attrs["year"]
    footer = []
    off = report.attrs.get("written_off")
    if off:
        footer.append(f"Cash written off ({text_human(off, 'money')}) counts as spent in utilisation, "
                      "but it has no category, so it is not in these totals.")
    return View(title=_title(f"Categories {year}", municipality), columns=CATEGORY_DATA,
                records=report.records, table=CATEGORY_TABLE, total=report.attrs.get("total"),
                footer=footer, sheet="categories", empty=f"no spends in {year}",
                municipality=municipality, period=_stretch(year, report.attrs["as_of"]),
                as_of=report.attrs["as_of"])


# ---------------------------------------------------------------------------- loans

LOAN_DATA = [
    Column("id", kind="id"), Column("team"), Column("date", kind="date"), Column("kind"),
    Column("amount", kind="money"), Column("repaid", kind="money"), Column("recovered", kind="money"),
    Column("outstanding", kind="money"), Column("due", kind="date"), Column("days_overdue", kind="int"),
    Column("condition"), Column("household", kind="id"),
]
LOAN_TABLE = [
    Column("id", "id", "id", meaning="de uitgave"),
    Column("date", "datum", "date", wide=True, meaning="de datum van de uitgave"),
    Column("kind", "soort", meaning="loan (lening) of conditional (voorwaardelijk)"),
    Column("amount", "bedrag", "money", wide=True, meaning="het uitgegeven bedrag"),
    Column("repaid", "terugbetaald", "money", meaning="terugbetaald op de peildatum"),
    Column("recovered", "verhaald", "money", wide=True,
           meaning="terugbetaald door de voorziening die had moeten betalen"),
    Column("outstanding", "open", "money", meaning="nog open"),
    Column("due", "vervaldatum", "date", meaning="de datum waarop de lening terug moet zijn"),
    Column("days_overdue", "dagen te laat", "int", meaning="dagen na de vervaldatum"),
    Column("household", "huishouden", "id", wide=True, meaning="pseudonieme code van het huishouden"),
    Column("condition", "voorwaarde", wide=True, meaning="waar een voorwaardelijke gift van afhangt"),
]


def loans(report: Report, municipality: str = "", *, overdue: bool = False) -> View:
    day: dt.date = report.attrs["as_of"]
    what = "Overdue loans" if overdue else "Open loans and conditional grants"
    return View(
        title=_title(f"{what}, as of {day:%d-%m-%Y}", municipality), columns=LOAN_DATA,
        records=report.records, table=LOAN_TABLE, total=report.attrs.get("total"), sheet="loans",
        styles=lambda r: "red" if r.get("days_overdue") else None,
        empty="no overdue loans" if overdue else "no open loans or conditional grants",
        municipality=municipality, as_of=day,
        period=f"leningen en voorwaardelijke giften van elk jaar; terugbetaald tot en met {day:%d-%m-%Y}",
    )


# ---------------------------------------------------------------------------- outcomes

OUTCOME_DATA = [
    Column("team"), Column("reached", kind="int"), Column("partial", kind="int"),
    Column("not_reached", kind="int"), Column("avoided_cost", kind="money"), Column("cases", kind="int"),
    Column("evaluated", kind="int"), Column("costed", kind="int"), Column("cheaper", kind="int"),
]
OUTCOME_TABLE = [
    Column("team", "team", meaning="de budgethouder"),
    Column("reached", "bereikt", "int", meaning="uitgaven die hun doel bereikten"),
    Column("partial", "deels", "int", meaning="uitgaven die hun doel deels bereikten"),
    Column("not_reached", "niet bereikt", "int", meaning="uitgaven die hun doel niet bereikten"),
    Column("avoided_cost", "vermeden kosten", "money", meaning="de opgetelde vermeden kosten"),
    Column("cases", "zaken", "int", wide=True, meaning="uitgaven in de periode"),
    Column("evaluated", "beoordeeld", "int", wide=True, meaning="uitgaven met een uitkomst"),
    Column("costed", "met kosten", "int", wide=True, meaning="uitgaven met vermeden kosten"),
    Column("cheaper", "goedkoper", "int", wide=True, meaning="uitgaven goedkoper dan niets doen"),
]


def outcomes(report: Report, municipality: str = "") -> View:
    year = report.attrs["year"]
    t = report.attrs["total"]
    footer = [
        f"Of {t['cases']} cases, {t['evaluated']} evaluated: {t['reached']} reached their goal, "
        f"{t['partial']} partly, {t['not_reached']} not. Of {t['costed']} costed, "
        f"{t['cheaper']} cheaper than doing nothing ({text_human(t['avoided_cost'], 'money')} avoided)."
    ]
    return View(title=_title(f"Outcomes {year}", municipality), columns=OUTCOME_DATA,
                records=report.records, table=OUTCOME_TABLE, total=t, footer=footer, sheet="outcomes",
                municipality=municipality, period=_stretch(year, report.attrs["as_of"]),
                as_of=report.attrs["as_of"])


# ---------------------------------------------------------------------------- summary

def summary_columns(by: str) -> list[Column]:
    data = [c for c in COMPARE_DATA if c.key != "team"]
    if by == "team":
        return [Column("municipality"), Column("team"), *data, Column("kind"), Column("name"),
                Column("root"), Column("year", kind="year"), PACE_COLUMN, Column("holder")]
    return [Column("municipality"), *data, Column("teams", kind="int"), Column("root"),
            Column("year", kind="year"), PACE_COLUMN]


def summary_table(by: str, own_pace: bool = False) -> list[Column]:
    table = [c for c in COMPARE_TABLE if c.key != "team"]
    if own_pace:
        table.insert(3, PACE_TABLE)
    year = Column("year", "jaar", "year", meaning="het budgetjaar")
    if by == "team":
        return [Column("municipality", "gemeente", wide=True), year, Column("team", "team"), *table]
    return [Column("municipality", "gemeente"), year, *table,
            Column("teams", "teams", "int", wide=True, meaning="het aantal budgethouders")]


def summary(report: Report, by: str) -> View:
    years = sorted({r["year"] for r in report.records})
    shown = ", ".join(str(y) for y in years) or str(report.attrs.get("year", ""))
    day: dt.date | None = report.attrs.get("as_of")
    if day is not None and len(years) == 1:
        stretch = _stretch(years[0], day)
    else:
        stretch = f"per map het jaar in de kolom jaar ({shown}), tot en met de peildatum"
    places = ", ".join(dict.fromkeys(str(r["municipality"]) for r in report.records))
    return View(title=f"Summary {shown}, by {by}", columns=summary_columns(by), records=report.records,
                table=summary_table(by, bool(report.attrs.get("own_pace"))), sheet="summary",
                municipality=places, period=stretch, as_of=day)


# ---------------------------------------------------------------------------- lead time

LEADTIME_DATA = [
    Column("team"), Column("method"), Column("count", kind="int"), Column("median_days", kind="int"),
    Column("p90_days", kind="int"), Column("within_one_day", kind="int"),
]
LEADTIME_TABLE = [
    Column("team", "team", meaning="de budgethouder"),
    Column("method", "betaalwijze", meaning="pin, factuur of contant; alle: de uitgaven van het team samen"),
    Column("count", "aantal", "int", meaning="het aantal uitgaven"),
    Column("median_days", "mediaan dagen", "int",
           meaning="de helft van de uitgaven was binnen zoveel dagen na de aanvraag betaald"),
    Column("p90_days", "90% binnen dagen", "int",
           meaning="90% van de uitgaven was binnen zoveel dagen na de aanvraag betaald"),
    Column("within_one_day", "binnen 1 dag", "int",
           meaning="uitgaven betaald op de dag van de aanvraag of de dag erna"),
]


def leadtime(report: Report, municipality: str = "") -> View:
    year, as_of = report.attrs["year"], report.attrs["as_of"]
    t = report.attrs["total"]
    footer = ["Days from the request to the payment. median: half of the spends were paid within "
              "that many days; 90%: nine in ten were (nearest rank). Within 1 day: paid on the day "
              "of the request or the next."]
    if t["count"]:
        footer.append(f"{t['within_one_day']} of {t['count']} spends "
                      f"({_pct(t['within_one_day'] / t['count'])}) were paid within one day.")
    missing = report.attrs.get("not_recorded", 0)
    if missing:
        footer.append(f"{missing} of {t['count']} spends have no request date recorded (spend "
                      "--requested) and count as requested on the day they were paid.")
    return View(
        title=_title(f"Lead time {year}, as of {as_of:%d-%m-%Y}", municipality), columns=LEADTIME_DATA,
        records=report.records, table=LEADTIME_TABLE, total=t, footer=footer, sheet="leadtime",
        empty="no budget holders yet; add one with `maatwerk team add`",
        styles=lambda r: "bold" if r.get("method") == "alle" else None,
        municipality=municipality, period=_stretch(year, as_of), as_of=as_of,
    )


# ---------------------------------------------------------------------------- listings

ENTRY_TABLE = [
    Column("id", "id", "id"),
    Column("team", "team", wide=True),
    Column("date", "datum", "date"),
    Column("amount", "bedrag", "money", total=True),
    Column("category", "categorie"),
    Column("method", "betaalwijze", wide=True),
    Column("kind", "soort"),
    Column("household", "huishouden", "id", wide=True),
    Column("repaid", "terugbetaald", "money", total=True, wide=True),
    Column("outstanding", "open", "money", total=True),
    Column("tegenprestatie", "tegenprestatie", wide=True),
    Column("voided", "geannuleerd", "bool"),
    Column("note", "notitie", wide=True),
]


ENTRY_TITLES = {
    "id": "id", "team": "team", "date": "datum", "amount": "bedrag", "category": "categorie",
    "method": "betaalwijze", "kind": "soort", "household": "huishouden", "note": "notitie",
    "repaid": "terugbetaald", "outstanding": "open", "tegenprestatie": "tegenprestatie",
    "tegenprestatie_status": "status tegenprestatie", "voided": "geannuleerd", "void_reason": "reden annulering",
    "due": "vervaldatum", "condition": "voorwaarde", "recovered": "verhaald", "recovered_from": "verhaald bij",
    "outcome": "uitkomst", "avoided_cost": "vermeden kosten", "override_reason": "reden afwijking",
    "second_opinion": "tweede mening", "personal_data_allowed": "persoonsgegevens toegestaan", "by": "door",
    "requested": "aangevraagd",
}


def entry_columns() -> list[Column]:
    """Every field of an entry, for JSON, CSV and workbooks (with Dutch titles)."""
    from ..core.fields import ENTRY_FIELDS

    kinds = {"id": "id", "date": "date", "due": "date", "requested": "date", "voided": "bool",
             "personal_data_allowed": "bool", "household": "id"}
    money = {"amount", "repaid", "outstanding", "recovered", "avoided_cost"}
    return [Column(k, ENTRY_TITLES.get(k, ""), kind="money" if k in money else kinds.get(k, "text"),
                   total=k in money and k != "avoided_cost") for k in ENTRY_FIELDS]


def listing(title: str, records: Sequence[Record], columns: Sequence[Column], *,
            table: Sequence[Column] = (), total: bool = False, sheet: str = "maatwerk",
            empty: str = "nothing to show", footer: Sequence[str] = (), key: str = "",
            styles: Any = None) -> View:
    """A listing (entries, teams, cash, bank lines): its totals row made from the records."""
    from .columns import totals

    shown = list(table or columns)
    row = totals(list(records), shown) if total and records else None
    return View(title=title, columns=columns, records=records, table=shown, total=row, sheet=sheet,
                empty=empty, footer=footer, key=key, styles=styles)
