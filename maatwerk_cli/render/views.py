"""Every report and listing as a :class:`~maatwerk_cli.render.output.View`: columns with their
titles and meanings (English keys, shown in the run's language), the totals row, and the lines under the table.

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
from ..core.messages import N_, language, tr
from .columns import TOTAL_WORD, Column, Record, text_human, word
from .output import MEANINGS, TITLES, View

#: What a report of budget holders says when there are none.
NO_HOLDERS = N_("no budget holders yet; add one with `maatwerk team add`")

# ---------------------------------------------------------------------------- utilisation

UTILISATION_DATA = [
    Column("team"), Column("budget", kind="money"), Column("spent", kind="money"),
    Column("repaid", kind="money"), Column("net", kind="money"), Column("utilisation", kind="fraction"),
    Column("expected", kind="fraction"), Column("status"), Column("projected", kind="money"),
]
UTILISATION_MEANINGS = {
    "team": N_("the budget holder (district team or fund)"),
    "budget": N_("the year's budget"),
    "spent": N_("spent from 1 January up to the cut-off date, without voided spends, with cash written off"),
    "month_spent": N_("spent in the chosen month"),
    "utilisation": N_("spent divided by budget"),
    "expected": N_("the pace: the share of the budget that would be spent by the cut-off date; for a whole year the "
                   "share of the year gone by (in days)"),
    "status": N_("over: spent or projected above the budget; under: utilisation below half the pace; otherwise "
                 "on-track"),
    "projected": N_("the spend expected on 31 December at the current pace"),
    "repaid": N_("repayments and recovered amounts in the same period"),
    "net": N_("spent minus repaid"),
    "cash_on_hand": N_("cash in the cash box: withdrawn minus spent in cash, written off and deposited"),
    "pace": N_("the pace: the spend expected by the cut-off date as a share of the budget (counting the budget's own "
               "period, top-ups and cuts and the spending profile)"),
    "expected_spend": N_("the spend expected by the cut-off date at the pace, in euros"),
}


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def _title(base: str, municipality: str) -> str:
    return f"{base} ({municipality})" if municipality else base


def _stretch(year: int, as_of: dt.date) -> str:
    """The stretch a year's report counts, for the workbook's cover."""
    return tr("1-1-{year} up to and including {day:date}", year=year, day=as_of)


def utilisation(report: Report, municipality: str = "") -> View:
    month = "month_spent" in report.columns
    data = list(UTILISATION_DATA)
    if month:
        data.append(Column("month_spent", kind="money"))
    data += [Column("cash_on_hand", kind="money"), Column("kind"), Column("name"),
             Column("pace", kind="fraction"), Column("expected_spend", kind="money")]
    m = UTILISATION_MEANINGS
    table = [Column("team", N_("team"), meaning=m["team"]),
             Column("budget", N_("budget"), "money", meaning=m["budget"]),
             Column("spent", N_("spent"), "money", meaning=m["spent"])]
    if month:
        table.append(Column("month_spent", N_("this month"), "money", wide=True, meaning=m["month_spent"]))
    table.append(Column("utilisation", N_("utilisation"), "fraction", meaning=m["utilisation"]))
    if report.attrs.get("own_pace"):
        # Only when some budget has its own period, changes or a profile: else the pace is
        # the one figure in the legend.
        table += [Column("pace", N_("pace"), "fraction", meaning=m["pace"]),
                  Column("expected_spend", N_("expected spend"), "money", wide=True, meaning=m["expected_spend"])]
    table += [
        Column("status", N_("status"), meaning=m["status"]),
        Column("projected", N_("projected"), "money", wide=True, meaning=m["projected"]),
        Column("repaid", N_("repaid"), "money", wide=True, meaning=m["repaid"]),
        Column("net", N_("net"), "money", wide=True, meaning=m["net"]),
    ]
    if any(v != 0 for v in report["cash_on_hand"]):
        table.append(Column("cash_on_hand", N_("cash"), "money", wide=True, meaning=m["cash_on_hand"]))
    year, as_of = report.attrs["year"], report.attrs["as_of"]
    return View(
        title=_title(tr("Utilisation {year}, as of {day:date}", year=year, day=as_of), municipality),
        columns=data, records=report.records, table=table, total=report.attrs.get("total"),
        footer=utilisation_footer(report), sheet="utilisation", empty=tr(NO_HOLDERS),
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
        lines = [tr(
            "Pace: {pace} of {year} has passed on {day:date}; budgets with their own "
            "period, top-ups or cuts, or the spending profile, have their own pace (tempo). "
            "[yellow]under[/]: used less than {share} of its pace; "
            "[red]over[/]: spent or projected above the budget.",
            pace=_pct(expected), year=year, day=as_of, share=_pct(float(share)))]
    else:
        lines = [tr(
            "Pace: {pace} of {year} has passed on {day:date}. "
            "[yellow]under[/]: used less than {least} ({share} of the pace); "
            "[red]over[/]: spent or projected above the budget.",
            pace=_pct(expected), year=year, day=as_of, least=_pct(float(share) * expected), share=_pct(float(share)))]
    behind = [str(r["team"]) for r in records if r.get("status") == "under"]
    over = [str(r["team"]) for r in records if r.get("status") == "over"]
    several = len(records) > 1
    if not behind:
        lines.append(tr("No budget holder is behind the pace."))
    elif several:
        lines.append(tr("Behind the pace ({n} of {total}): [bold yellow]{names:list}[/].",
                        n=len(behind), total=len(records), names=behind))
    else:
        lines.append(tr("Behind the pace: [bold yellow]{names:list}[/].", names=behind))
    if over and several:
        lines.append(tr("Over budget, or heading there ({n} of {total}): [bold red]{names:list}[/].",
                        n=len(over), total=len(records), names=over))
    elif over:
        lines.append(tr("Over budget, or heading there: [bold red]{names:list}[/].", names=over))
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
#: Last: ``loans_outstanding`` apart, loans and conditional grants (the columns before keep
#: their places in CSV).
COMPARE_SPLIT = [Column("loans_only_outstanding", kind="money"), Column("conditional_outstanding", kind="money")]
PACE_TABLE = Column("pace", N_("pace"), "fraction", meaning=UTILISATION_MEANINGS["pace"])
COMPARE_TABLE = [
    Column("team", N_("team"), meaning=N_("the budget holder")),
    Column("budget", N_("budget"), "money", wide=True, meaning=N_("the year's budget")),
    Column("spent", N_("spent"), "money", meaning=UTILISATION_MEANINGS["spent"]),
    Column("utilisation", N_("utilisation"), "fraction", meaning=N_("spent divided by budget")),
    Column("count", N_("count"), "int", meaning=N_("the number of spends")),
    Column("average", N_("average"), "money", meaning=N_("the average amount per spend")),
    Column("median", N_("median"), "money", wide=True, meaning=N_("the middle amount")),
    Column("max", N_("highest"), "money", wide=True, meaning=N_("the highest amount")),
    Column("top_category", N_("most money"), meaning=N_("the category with the most money")),
    # Apart: a conditional grant is repaid only if its condition is not met, so it is no loan.
    Column("loans_only_outstanding", N_("loans open"), "money", wide=True,
           meaning=N_("still open on loans (conditional grants apart)")),
    Column("conditional_outstanding", N_("conditional open"), "money", wide=True,
           meaning=N_("still open on conditional grants")),
    Column("tegenprestatie_share", N_("tegenprestatie"), "fraction", wide=True,
           meaning=N_("share of the spends with a tegenprestatie")),
    Column("refusals", N_("refusals"), "int", wide=True, meaning=N_("refused requests")),
]


def compare(report: Report, municipality: str = "") -> View:
    year = report.attrs["year"]
    footer = []
    off = report.attrs.get("written_off")
    if off:
        footer.append(tr("Cash written off ({amount:eur}) is in spent but is no spend: "
                         "count, average and median count the spends only.", amount=off))
    table = [*COMPARE_TABLE[:4], PACE_TABLE, *COMPARE_TABLE[4:]] if report.attrs.get("own_pace") else COMPARE_TABLE
    return View(
        title=_title(tr("Teams compared, {year}, as of {day:date}", year=year, day=report.attrs["as_of"]),
                     municipality),
        columns=[*COMPARE_DATA, PACE_COLUMN, *COMPARE_SPLIT],
        records=report.records, table=table, total=report.attrs.get("total"), sheet="compare",
        empty=tr(NO_HOLDERS), footer=footer,
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
    titles = {**{k: tr(v) if v else v for k, v in TITLES.items()}, **{c.key: c.header for c in view.shown}}
    meanings = {c.key: c.meaning for c in view.shown if c.meaning}
    labels = [str(r.get(key)) for r in view.records]
    human = target in ("table", "vertical", "markdown")
    # Dutch Excel CSV is for people: in Dutch its rows are named as in the workbook.
    named = target == "xlsx" or (target == "csv-nl" and language() != "en")
    rows_of = [*fields, *(text if not human else ())]
    total = view.total if target != "json" and target not in ("csv", "csv-nl") else None
    records: list[dict[str, Any]] = []
    for f in rows_of:
        if human:
            unit = " €" if f.kind == "money" else ""
            row: dict[str, Any] = {"field": titles.get(f.key, f.key.replace("_", " ")) + unit}
            for label, r in zip(labels, view.records, strict=True):
                row[label] = text_human(word(f.key, r.get(f.key)), f.kind).removeprefix("€ ")
            if total is not None:
                row[TOTAL_LABEL] = text_human(word(f.key, total.get(f.key)), f.kind).removeprefix("€ ")
        else:
            row = {"field": titles.get(f.key, f.key) if named else f.key}
            for label, r in zip(labels, view.records, strict=True):
                row[label] = r.get(f.key)
            if total is not None:
                row[TOTAL_LABEL] = total.get(f.key)
        records.append(row)
    heads = [*labels, *([TOTAL_LABEL] if total is not None else [])]
    cell = "number" if human else "text"
    # The figures' column has no title (a blank header, as in the table); JSON and CSV call it field.
    # A team's name is a value; the totals column is titled in the run's language (its key stays).
    columns = [Column("field", " ", "text"),
               *[Column(h, TOTAL_WORD if h == TOTAL_LABEL else h, cell, translate=h == TOTAL_LABEL) for h in heads]]
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
    Column("category", N_("category"), meaning=N_("where the money went")),
    Column("count", N_("count"), "int", meaning=N_("the number of spends")),
    Column("amount", N_("amount"), "money", meaning=N_("the money of those spends")),
    Column("share_count", N_("% of count"), "fraction", meaning=N_("share of all spends")),
    Column("share_amount", N_("% of money"), "fraction", meaning=N_("share of all the money")),
]


def categories(report: Report, municipality: str = "") -> View:
    year = report.attrs["year"]
    footer = []
    off = report.attrs.get("written_off")
    if off:
        footer.append(tr("Cash written off ({amount:eur}) counts as spent in utilisation, "
                         "but it has no category, so it is not in these totals.", amount=off))
    return View(title=_title(tr("Categories {year}, as of {day:date}", year=year, day=report.attrs["as_of"]),
                             municipality), columns=CATEGORY_DATA,
                records=report.records, table=CATEGORY_TABLE, total=report.attrs.get("total"),
                footer=footer, sheet="categories", empty=tr("no spends in {year}", year=year),
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
    Column("id", N_("id"), "id", meaning=N_("the spend")),
    Column("date", N_("date"), "date", wide=True, meaning=N_("the date of the spend")),
    Column("kind", N_("kind"), meaning=N_("loan or conditional")),
    Column("amount", N_("amount"), "money", wide=True, meaning=N_("the amount spent")),
    Column("repaid", N_("repaid"), "money", meaning=N_("repaid by the cut-off date")),
    Column("recovered", N_("recovered"), "money", wide=True,
           meaning=N_("repaid by the provision that should have paid")),
    Column("outstanding", N_("outstanding"), "money", meaning=N_("still open")),
    Column("due", N_("due"), "date", meaning=N_("the date by which the loan must be repaid")),
    Column("days_overdue", N_("days overdue"), "int", meaning=N_("days past the due date")),
    Column("household", N_("household"), "id", wide=True, meaning=N_("the household's pseudonymous code")),
    Column("condition", N_("condition"), wide=True, meaning=N_("what a conditional gift depends on")),
]


def loans(report: Report, municipality: str = "", *, overdue: bool = False) -> View:
    day: dt.date = report.attrs["as_of"]
    what = (tr("Overdue loans, as of {day:date}", day=day) if overdue
            else tr("Open loans and conditional grants, as of {day:date}", day=day))
    return View(
        title=_title(what, municipality), columns=LOAN_DATA,
        records=report.records, table=LOAN_TABLE, total=report.attrs.get("total"), sheet="loans",
        styles=lambda r: "red" if r.get("days_overdue") else None,
        empty=tr("no overdue loans") if overdue else tr("no open loans or conditional grants"),
        municipality=municipality, as_of=day,
        period=tr("loans and conditional grants of every year; repaid up to and including {day:date}", day=day),
    )


# ---------------------------------------------------------------------------- outcomes

OUTCOME_DATA = [
    Column("team"), Column("reached", kind="int"), Column("partial", kind="int"),
    Column("not_reached", kind="int"), Column("avoided_cost", kind="money"), Column("cases", kind="int"),
    Column("evaluated", kind="int"), Column("costed", kind="int"), Column("cheaper", kind="int"),
]
OUTCOME_TABLE = [
    Column("team", N_("team"), meaning=N_("the budget holder")),
    Column("reached", N_("reached"), "int", meaning=N_("spends that reached their goal")),
    Column("partial", N_("partly"), "int", meaning=N_("spends that partly reached their goal")),
    Column("not_reached", N_("not reached"), "int", meaning=N_("spends that did not reach their goal")),
    Column("avoided_cost", N_("avoided cost"), "money", meaning=N_("the avoided costs added up")),
    Column("cases", N_("cases"), "int", wide=True, meaning=N_("spends in the period")),
    Column("evaluated", N_("evaluated"), "int", wide=True, meaning=N_("spends with an outcome")),
    Column("costed", N_("costed"), "int", wide=True, meaning=N_("spends with avoided costs")),
    Column("cheaper", N_("cheaper"), "int", wide=True, meaning=N_("spends cheaper than doing nothing")),
]


def outcomes(report: Report, municipality: str = "") -> View:
    year = report.attrs["year"]
    t = report.attrs["total"]
    footer = [tr(
        "Of {cases} cases, {evaluated} evaluated: {reached} reached their goal, "
        "{partial} partly, {not_reached} not. Of {costed} costed, "
        "{cheaper} cheaper than doing nothing ({avoided} avoided).",
        cases=t["cases"], evaluated=t["evaluated"], reached=t["reached"], partial=t["partial"],
        not_reached=t["not_reached"], costed=t["costed"], cheaper=t["cheaper"],
        avoided=text_human(t["avoided_cost"], "money"))]
    return View(title=_title(tr("Outcomes {year}, as of {day:date}", year=year, day=report.attrs["as_of"]),
                             municipality), columns=OUTCOME_DATA,
                records=report.records, table=OUTCOME_TABLE, total=t, footer=footer, sheet="outcomes",
                municipality=municipality, period=_stretch(year, report.attrs["as_of"]),
                as_of=report.attrs["as_of"])


# ---------------------------------------------------------------------------- summary

def summary_columns(by: str) -> list[Column]:
    data = [c for c in COMPARE_DATA if c.key != "team"]
    if by == "team":
        return [Column("municipality"), Column("team"), *data, Column("kind"), Column("name"),
                Column("root"), Column("year", kind="year"), PACE_COLUMN, Column("holder"), *COMPARE_SPLIT]
    return [Column("municipality"), *data, Column("teams", kind="int"), Column("root"),
            Column("year", kind="year"), PACE_COLUMN, *COMPARE_SPLIT]


def summary_table(by: str, own_pace: bool = False) -> list[Column]:
    table = [c for c in COMPARE_TABLE if c.key != "team"]
    if own_pace:
        table.insert(3, PACE_TABLE)
    year = Column("year", N_("year"), "year", meaning=N_("the budget year"))
    if by == "team":
        return [Column("municipality", N_("municipality"), wide=True), year, Column("team", N_("team")), *table]
    return [Column("municipality", N_("municipality")), year, *table,
            Column("teams", N_("teams"), "int", wide=True, meaning=N_("the number of budget holders"))]


def summary(report: Report, by: str) -> View:
    years = sorted({r["year"] for r in report.records})
    shown = ", ".join(str(y) for y in years) or str(report.attrs.get("year", ""))
    day: dt.date | None = report.attrs.get("as_of")
    if day is not None and len(years) == 1:
        stretch = _stretch(years[0], day)
    else:
        stretch = tr("per folder the year in the column year ({years}), up to and including the cut-off date",
                     years=shown)
    places = ", ".join(dict.fromkeys(str(r["municipality"]) for r in report.records))
    title = (tr("Summary {years}, by {by}, as of {day:date}", years=shown, by=tr(by), day=day) if day is not None
             else tr("Summary {years}, by {by}", years=shown, by=tr(by)))
    return View(title=title, columns=summary_columns(by),
                records=report.records,
                table=summary_table(by, bool(report.attrs.get("own_pace"))), sheet="summary",
                municipality=places, period=stretch, as_of=day)


# ---------------------------------------------------------------------------- lead time

LEADTIME_DATA = [
    Column("team"), Column("method"), Column("count", kind="int"), Column("median_days", kind="int"),
    Column("p90_days", kind="int"), Column("within_one_day", kind="int"), Column("without_request_date", kind="int"),
]
LEADTIME_TABLE = [
    Column("team", N_("team"), meaning=N_("the budget holder")),
    Column("method", N_("method"), meaning=N_("pin (card), factuur (invoice) or contant (cash); alle: the team's "
                                              "spends together")),
    Column("count", N_("count"), "int", meaning=N_("the number of spends with a request date")),
    Column("median_days", N_("median days"), "int",
           meaning=N_("half of the spends were paid within this many days of the request")),
    Column("p90_days", N_("90% within days"), "int",
           meaning=N_("90% of the spends were paid within this many days of the request")),
    Column("within_one_day", N_("within 1 day"), "int",
           meaning=N_("spends paid on the day of the request or the day after")),
    Column("without_request_date", N_("without request date"), "int",
           meaning=N_("spends without a request date recorded: counted apart, not in the days")),
]


def leadtime(report: Report, municipality: str = "") -> View:
    year, as_of = report.attrs["year"], report.attrs["as_of"]
    t = report.attrs["total"]
    footer = [tr("Days from the request to the payment. median: half of the spends were paid within "
                 "that many days; 90%: nine in ten were (nearest rank). Within 1 day: paid on the day "
                 "of the request or the next.")]
    if t["count"]:
        footer.append(tr("{n} of {total} spends with a request date ({share}) were paid within one day.",
                         n=t["within_one_day"], total=t["count"], share=_pct(t["within_one_day"] / t["count"])))
    missing = int(t.get("without_request_date") or 0)
    if missing and t["count"]:
        footer.append(tr("{n:plural:spend has|spends have} no request date recorded (spend --requested): counted "
                         "apart, not in the days.", n=missing))
    elif missing:
        # Nothing is known: no figure is shown rather than one the ledger does not have.
        footer.append(tr("No spend has a request date recorded (spend --requested), so no lead time can be "
                         "given; {n:plural:spend|spends} without one.", n=missing))
    return View(
        title=_title(tr("Lead time {year}, as of {day:date}", year=year, day=as_of), municipality),
        columns=LEADTIME_DATA, records=report.records, table=LEADTIME_TABLE, total=t, footer=footer,
        sheet="leadtime", empty=tr(NO_HOLDERS),
        styles=lambda r: "bold" if r.get("method") == "alle" else None,
        municipality=municipality, period=_stretch(year, as_of), as_of=as_of,
    )


# ---------------------------------------------------------------------------- listings

ENTRY_TABLE = [
    Column("id", N_("id"), "id"),
    Column("team", N_("team"), wide=True),
    Column("date", N_("date"), "date"),
    Column("amount", N_("amount"), "money", total=True),
    # Next to the amount and never left out: a voided line counts for nothing.
    Column("voided", N_("voided"), "bool", marker=True),
    Column("category", N_("category")),
    Column("method", N_("method"), wide=True),
    Column("kind", N_("kind")),
    Column("household", N_("household"), "id", wide=True),
    Column("repaid", N_("repaid"), "money", total=True, wide=True),
    Column("outstanding", N_("outstanding"), "money", total=True),
    Column("tegenprestatie", N_("tegenprestatie"), wide=True),
    Column("note", N_("note"), wide=True),
]


ENTRY_TITLES = {
    "id": N_("id"), "team": N_("team"), "date": N_("date"), "amount": N_("amount"), "category": N_("category"),
    "method": N_("method"), "kind": N_("kind"), "household": N_("household"), "note": N_("note"),
    "repaid": N_("repaid"), "outstanding": N_("outstanding"), "tegenprestatie": N_("tegenprestatie"),
    "tegenprestatie_status": N_("tegenprestatie status"), "voided": N_("voided"), "void_reason": N_("void reason"),
    "due": N_("due"), "condition": N_("condition"), "recovered": N_("recovered"),
    "recovered_from": N_("recovered from"),
    "outcome": N_("outcome"), "avoided_cost": N_("avoided cost"), "override_reason": N_("override reason"),
    "second_opinion": N_("second opinion"), "personal_data_allowed": N_("personal data allowed"), "by": N_("by"),
    "requested": N_("requested"),
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
            empty: str = "", footer: Sequence[str] = (), key: str = "",
            styles: Any = None) -> View:
    """A listing (entries, teams, cash, bank lines): its totals row made from the records."""
    from .columns import totals

    shown = list(table or columns)
    row = totals(list(records), shown) if total and records else None
    voided = [r for r in records if r.get("voided")]
    if row is not None and voided:
        # The totals row is not the sum of the rows shown: say what it leaves out.
        footer = [*footer, tr("The total does not count {n:plural:voided entry|voided entries} ({amount:eur}).",
                              n=len(voided),
                              amount=sum((Decimal(str(r.get("amount") or 0)) for r in voided), Decimal(0)))]
    return View(title=title, columns=columns, records=records, table=shown, total=row, sheet=sheet,
                empty=empty or tr("nothing to show"), footer=footer, key=key, styles=styles)


# ---------------------------------------------------------------------------- receipts

RECEIPTS_DATA = [
    Column("team"), Column("spends", kind="int"), Column("with_receipt", kind="int"),
    Column("without_receipt", kind="int"), Column("amount_without_receipt", kind="money"),
    Column("above", kind="money"), Column("without_receipt_above", kind="int"),
    Column("amount_without_receipt_above", kind="money"),
]
RECEIPTS_TABLE = [
    Column("team", N_("team"), meaning=N_("the budget holder")),
    Column("spends", N_("spends"), "int",
           meaning=N_("spends counted: dated in the year up to the cut-off, not voided")),
    Column("with_receipt", N_("with receipt"), "int", meaning=N_("of those, the spends with a receipt stored")),
    Column("without_receipt", N_("without receipt"), "int", meaning=N_("of those, the spends without a receipt")),
    Column("amount_without_receipt", N_("amount without receipt"), "money",
           meaning=N_("the money of the spends without a receipt")),
    Column("without_receipt_above", N_("without receipt above the limit"), "int",
           meaning=N_("the spends above the amount from which a receipt is asked that have none")),
    Column("amount_without_receipt_above", N_("their amount"), "money", wide=True,
           meaning=N_("the money of the spends above the limit without a receipt")),
]


def receipts(report: Report, municipality: str = "") -> View:
    year, as_of, above = report.attrs["year"], report.attrs["as_of"], report.attrs["above"]
    footer = [tr("A receipt is stored with spend --receipt, amend --receipt or a receipt column of an "
                 "import; maatwerk check says whether the files are still there.")]
    table = RECEIPTS_TABLE
    if above is None:
        # No limit set: the columns about one would show a figure the ledger does not have.
        table = [c for c in RECEIPTS_TABLE if not c.key.endswith("_above")]
        footer.append(tr("No amount from which a receipt is asked: set receipt_required_above in "
                         "maatwerk.toml, or give --above."))
    else:
        footer.append(tr("A receipt is asked for spends above {amount:eur}.", amount=above))
    return View(
        title=_title(tr("Receipts {year}, as of {day:date}", year=year, day=as_of), municipality),
        columns=RECEIPTS_DATA, records=report.records, table=table, total=report.attrs["total"], footer=footer,
        sheet="receipts", empty=tr(NO_HOLDERS), municipality=municipality, period=_stretch(year, as_of),
        as_of=as_of,
    )
