"""The coordinator's monthly report as one self-contained HTML page, in Dutch.

The page holds its CSS and its charts (inline SVG, :mod:`maatwerk_cli.render.charts`); it
has no script and refers to nothing outside itself, so opening it makes no request. Every
chart stands above the table of its figures. The tables are the views of the reports
(:mod:`maatwerk_cli.render.views` and :mod:`~maatwerk_cli.render.listings`): the same
records and columns as ``--format json`` of each command, written the Dutch way; each cell
also carries the JSON value (``data-key``, ``data-value``) so a test or a script can read
the figures back exactly. The charts are drawn from the same (possibly redacted) records.

For print (and the PDF), A4: every section starts on a new page and no chart is split.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any

from ..analysis.overview import Overview
from ..analysis.reports import ALL_METHODS
from ..core.money import format_eur, format_plain
from . import charts as ch
from .columns import Column, Record, plain, text_human
from .output import View

MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
               "oktober", "november", "december")
STATUS_WORDS = {"under": "achter", "over": "over budget", "on-track": "op koers"}
KIND_WORDS = {"loan": "lening", "conditional": "voorwaardelijk", "gift": "gift"}
TEGENPRESTATIE_WORDS = {"proposed": "voorgesteld", "agreed": "afgesproken", "done": "gedaan",
                        "not-possible": "niet mogelijk"}
OUTCOME_WORDS = {"reached": "bereikt", "partial": "deels bereikt", "not-reached": "niet bereikt"}
RULE_WORDS = {
    "max_per_spend": "boven maximum per uitgave",
    "max_per_household_year": "maximum per huishouden per jaar",
    "max_per_household_total": "maximum per huishouden, alle jaren",
    "repeat_household_days": "huishouden te snel opnieuw",
    "second_opinion_above": "tweede mening nodig",
}


# ---------------------------------------------------------------------------- formatting


def date_nl(day: dt.date) -> str:
    """``31 oktober 2026``."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def eur(value: Any) -> str:
    return format_eur(Decimal(value)) if value is not None else ""


def pct(value: Any) -> str:
    """``7,9%``, as the tables write a fraction."""
    return text_human(value, "fraction")


def whole_pct(value: float | None) -> str:
    """``8%``: a fraction as a whole percentage, rounded half up (for the headline)."""
    if value is None:
        return ""
    return f"{Decimal(str(value * 100)).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def _euro_tick(value: float) -> str:
    return "€ " + f"{value:,.0f}".replace(",", ".")


def _json_literal(value: Any, column: Column) -> str:
    """The value as ``--format json`` writes it (render.text.to_json), for ``data-value``."""
    v = plain(value, column.kind)
    if isinstance(v, Decimal):
        return format_plain(v) if column.kind in ("money", "text") else str(v)
    return json.dumps(v, ensure_ascii=False, default=str)


# ---------------------------------------------------------------------------- the views


def _listing(title: str, records: Sequence[Record], data: Sequence[Column], table: Sequence[Column],
             sheet: str, empty: str) -> View:
    return View(title=title, columns=data, records=records, table=table, sheet=sheet, empty=empty)


MONTH_DATA = [Column("team"), Column("month"), Column("until", kind="date"), Column("spent", kind="money"),
              Column("cumulative", kind="money"), Column("budget", kind="money"), Column("pace", kind="money")]
MONTH_TABLE = [
    Column("month", "maand"),
    Column("spent", "besteed in de maand", "money", meaning="besteed in die maand, zoals utilisation telt"),
    Column("cumulative", "besteed tot en met", "money", meaning="besteed van 1 januari tot het einde van de maand"),
    Column("pace", "tempo", "money", meaning="wat het budget bij een gelijkmatig tempo verwacht tot die dag"),
]
STORY_DATA = [
    Column("id", kind="id"), Column("team"), Column("date", kind="date"), Column("category"),
    Column("amount", kind="money"), Column("kind"), Column("note"), Column("tegenprestatie"),
    Column("tegenprestatie_status"), Column("outcome"), Column("avoided_cost", kind="money"),
    Column("due", kind="date"), Column("condition"), Column("repaid", kind="money"),
    Column("outstanding", kind="money"),
]
LEAD_DATA = [Column("team"), Column("method"), Column("count", kind="int"), Column("median_days", kind="number"),
             Column("p90_days", kind="number"), Column("within_one_day", kind="int")]
LEAD_TABLE = [
    Column("team", "team"), Column("method", "betaalwijze"), Column("count", "aantal", "int"),
    Column("median_days", "mediaan (dagen)", "number", meaning="de middelste doorlooptijd van aanvraag tot betaling"),
    Column("p90_days", "90% binnen (dagen)", "number",
           meaning="negen van de tien uitgaven zijn binnen zoveel dagen betaald"),
    Column("within_one_day", "binnen een dag", "int", meaning="uitgaven betaald binnen een dag na de aanvraag"),
]


def report_views(ov: Overview) -> dict[str, View]:
    """The views behind the report's tables, by name; the same views (and so the same
    records and JSON keys) as the commands' own."""
    from . import listings, views

    m = ov.municipality
    out = {
        "utilisation": views.utilisation(ov.utilisation, m),
        "compare": views.compare(ov.compare, m),
        "categories": views.categories(ov.categories, m),
        "loans": views.loans(ov.loans, m),
        "outcomes": views.outcomes(ov.outcomes, m),
        "refusals": listings.refusals(ov.refusals.records, f"Weigeringen {ov.year}",
                                      ov.refusals.attrs.get("total") if ov.refusals.records else None),
        "overrides": listings.overrides(ov.overrides, f"Afwijkingen {ov.year}"),
        "knipkaart": listings.knipkaart(ov.knipkaart, f"Knipkaart {ov.year}"),
        "cash": listings.cash(ov.cash),
        "months": _listing("Besteding per maand", ov.months.records, MONTH_DATA, MONTH_TABLE, "months",
                           "geen maanden"),
        "months_total": _listing("Besteding per maand, alle budgethouders", ov.months.attrs["total"], MONTH_DATA,
                                 MONTH_TABLE, "months", "geen maanden"),
        "stories": _listing("Verhalen", ov.stories.records, STORY_DATA, STORY_DATA, "stories", "geen verhalen"),
    }
    # Shown once some spend has its request date: a spend without one counts as 0 days.
    if int(ov.leadtime.attrs["total"]["count"] or 0) > int(ov.leadtime.attrs["not_recorded"]):
        out["leadtime"] = _listing("Doorlooptijd", ov.leadtime.records, LEAD_DATA, LEAD_TABLE, "leadtime",
                                   "geen uitgaven met een aanvraagdatum")
    return out


# ---------------------------------------------------------------------------- tables


Show = Callable[[Column, Any], str]


def _cell_text(column: Column, value: Any) -> str:
    """A cell as people read it: Dutch figures (money without the euro sign, which is in the
    header), the status and kind in Dutch words."""
    if column.key == "status":
        return STATUS_WORDS.get(str(value), str(value or ""))
    if column.key == "kind" and isinstance(value, str):
        return KIND_WORDS.get(value, value)
    if column.key == "month" and isinstance(value, str) and len(value) == 7:
        return f"{MONTH_NAMES[int(value[5:]) - 1]} {value[:4]}"
    return text_human(value, column.kind).removeprefix("€ ")


def table(view: View, report: str, *, columns: Sequence[Column] | None = None, total: bool = True,
          caption: str = "", show: Show = _cell_text) -> str:
    """A view as an HTML table; every cell names its JSON key and value (``data-key``,
    ``data-value``); the totals row is marked ``data-total``."""
    cols = list(columns if columns is not None else view.shown)
    if not view.records:
        return f'<p class="empty" data-report="{escape(report)}">{escape(view.empty)}</p>'
    head = "".join(f'<th class="{_align(c)}" scope="col">{escape(c.header)}{" (€)" if c.kind == "money" else ""}'
                   "</th>" for c in cols)
    rows = [_row(r, cols, show) for r in view.records]
    if total and view.total is not None:
        rows.append(_row(view.total, cols, show, is_total=True))
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    body = "".join(rows)
    return (f'<table class="figures" data-report="{escape(report)}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _align(c: Column) -> str:
    if c.kind in ("money", "fraction", "int", "number"):
        return "num"
    return "txt nowrap" if c.kind in ("date", "id", "year") else "txt"


def _row(record: Record, cols: Sequence[Column], show: Show, is_total: bool = False) -> str:
    cells = []
    for c in cols:
        value = record.get(c.key)
        cells.append(f'<td class="{_align(c)}" data-key="{escape(c.key)}" '
                     f'data-value="{escape(_json_literal(value, c))}">{escape(show(c, value))}</td>')
    mark = ' class="total" data-total="1"' if is_total else ""
    return f"<tr{mark}>{''.join(cells)}</tr>"


# ---------------------------------------------------------------------------- sections


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the report: ``key`` (its id), its title and its HTML."""

    key: str
    title: str
    body: str


def _f(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _name(record: Record) -> str:
    name = str(record.get("name") or "")
    team = str(record.get("team") or "")
    return f"{name} ({team})" if name and name != team else team


def _figure(chart: str, caption: str = "") -> str:
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{chart}{cap}</figure>"


def _p(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def team_sentence(r: Record, year: int) -> str:
    """One sentence on a budget holder that is behind the pace or over its budget."""
    name = _name(r)
    spent, budget = Decimal(r["spent"]), Decimal(r["budget"])
    if r["status"] == "under":
        if spent == 0:
            return f"{name} heeft in {year} nog niets besteed van zijn budget van {eur(budget)}."
        return (f"{name} heeft {pct(r['utilisation'])} besteed ({eur(spent)} van {eur(budget)}) en komt in dit "
                f"tempo op {eur(r['projected'])} aan het eind van het jaar.")
    if budget <= 0:
        return f"{name} heeft geen budget voor {year}, maar wel {eur(spent)} besteed."
    if spent > budget:
        return (f"{name} heeft {eur(spent)} besteed, {pct(r['utilisation'])} van zijn budget van "
                f"{eur(budget)}: het budget is op.")
    return (f"{name} heeft {pct(r['utilisation'])} besteed ({eur(spent)} van {eur(budget)}) en komt in dit "
            f"tempo op {eur(r['projected'])}, meer dan het budget.")


def summary(ov: Overview, v: Mapping[str, View]) -> Section:
    u = v["utilisation"]
    t = u.total or {}
    records = list(u.records)
    expected = float(ov.utilisation.attrs["expected"])
    share = float(ov.utilisation.attrs["under_share"])
    behind = [r for r in records if r["status"] == "under"]
    over = [r for r in records if r["status"] == "over"]
    n = len(records)
    tiles = [
        ("Budget", eur(t.get("budget")), f"{n} budgethouder{'s' if n != 1 else ''}"),
        ("Besteed", eur(t.get("spent")), f"tot en met {date_nl(ov.as_of)}"),
        ("Benut", whole_pct(t.get("utilisation")), f"{pct(t.get('utilisation'))} van het budget"),
        ("Tempo", whole_pct(expected), f"{pct(expected)} van het jaar is voorbij"),
        ("Achter", f"{len(behind)} van {n}", f"minder dan {pct(share * expected)} besteed"),
        ("Over budget", f"{len(over)} van {n}", "besteed of in dit tempo boven het budget"),
    ]
    tile_html = "".join(
        f'<div class="tile" data-tile="{escape(label.lower())}"><div class="label">{escape(label)}</div>'
        f'<div class="value">{escape(value)}</div><div class="sub">{escape(sub)}</div></div>'
        for label, value, sub in tiles)
    parts = [f'<div class="tiles">{tile_html}</div>']
    parts.append(_p(
        f"Op {date_nl(ov.as_of)} is {pct(expected)} van {ov.year} voorbij. Van het budget van "
        f"{eur(t.get('budget'))} is {eur(t.get('spent'))} besteed: {pct(t.get('utilisation'))}. "
        f"Een budgethouder staat achter als hij minder dan {pct(share)} van dat tempo heeft besteed "
        f"({pct(share * expected)} van zijn budget), en over budget als hij meer heeft besteed dan "
        f"zijn budget of in dit tempo meer zal besteden."))
    for group, heading in ((over, "Over budget, of op weg ernaartoe"), (behind, "Achter op het tempo")):
        if group:
            items = "".join(f'<li class="{escape(str(r["status"]))}">{escape(team_sentence(r, ov.year))}</li>'
                            for r in group)
            many = " many" if len(group) > 8 else ""
            parts.append(f"<h3>{heading} ({len(group)} van {n})</h3>"
                         f'<ul class="sentences{many}" data-status="{escape(str(group[0]["status"]))}">{items}</ul>')
    if not behind and not over:
        parts.append(_p("Geen budgethouder staat achter of gaat over zijn budget."))
    more = []
    lt = v["loans"].total or {}
    late = [r for r in v["loans"].records if r.get("days_overdue")]
    if v["loans"].records:
        more.append(f"{len(v['loans'].records)} leningen en voorwaardelijke giften staan open, samen "
                    f"{eur(lt.get('outstanding'))}; {len(late)} daarvan te laat.")
    ot = v["outcomes"].total or {}
    if ot.get("evaluated"):
        more.append(f"Van {ot['evaluated']} beoordeelde uitgaven bereikten {ot['reached']} hun doel, "
                    f"{ot['partial']} deels en {ot['not_reached']} niet; vermeden kosten {eur(ot['avoided_cost'])}.")
    refused = len(v["refusals"].records)
    if refused:
        more.append(f"{refused} aanvra{'gen zijn' if refused != 1 else 'ag is'} geweigerd.")
    if more:
        parts.append("<h3>Verder</h3><ul class='more'>" + "".join(f"<li>{escape(x)}</li>" for x in more) + "</ul>")
    if ov.teams:
        parts.append(_p(f"Alleen deze budgethouders: {', '.join(ov.teams)}."))
    return Section("samenvatting", "Samenvatting", "".join(parts))


def utilisation(ov: Overview, v: Mapping[str, View]) -> Section:
    u = v["utilisation"]
    expected = float(ov.utilisation.attrs["expected"])
    share = float(ov.utilisation.attrs["under_share"])
    own = bool(ov.utilisation.attrs.get("own_pace"))
    rows = [ch.bar(str(r["team"]), _f(r["utilisation"]), pct(r["utilisation"]),
                   ch.STATUS_COLOURS.get(str(r["status"]), ch.BLUE), note=team_sentence(r, ov.year)
                   if r["status"] in ("under", "over") else f"{_name(r)}: {pct(r['utilisation'])} besteed",
                   mark=_f(r["pace"]) if own and r.get("pace") is not None else None)
            for r in u.records]
    chart = ch.bars("utilisation", f"Benutting per budgethouder tegen het tempo op {date_nl(ov.as_of)}", rows,
                    maximum=1.0, ticks=lambda x: pct(x),
                    markers=[ch.Marker(expected, f"tempo {pct(expected)}"),
                             ch.Marker(share * expected, f"achter onder {pct(share * expected)}", ch.AMBER, True)],
                    legend=[(ch.GREEN, "op koers"), (ch.AMBER, "achter"), (ch.RED, "over budget")])
    cols = [*u.shown]
    cols.insert(next(i for i, c in enumerate(cols) if c.key == "utilisation") + 1,
                Column("expected", "tempo", "fraction"))
    caption = ("Elke balk is het deel van het budget dat besteed is; de zwarte lijn is het deel van "
               "het jaar dat voorbij is. Wie links van de oranje stippellijn blijft, staat achter.")
    if own:
        caption += (" Het zwarte streepje op een balk is het eigen tempo van die budgethouder (een eigen "
                    "periode, ophogingen of kortingen, of het bestedingsprofiel); daartegen telt achter of op koers.")
    body = (_figure(chart, caption)
            + table(u, "utilisation", columns=cols))
    return Section("benutting", "Benutting tegen het tempo", body)


def months(ov: Overview, v: Mapping[str, View]) -> Section:
    total = v["months_total"]
    recs = list(total.records)
    budget = _f(recs[0]["budget"]) if recs else 0.0
    start = (dt.date(ov.year, 1, 1), 0.0)

    def spent_line(rs: Sequence[Record]) -> ch.Line:
        return ch.Line("besteed", (start, *((r["until"], _f(r["cumulative"])) for r in rs)), ch.BLUE)

    def pace_line(rs: Sequence[Record]) -> ch.Line:
        return ch.Line("tempo", (start, *((r["until"], _f(r["pace"])) for r in rs)), ch.INK, dash=True, dots=False)

    big = ch.lines("cumulative", f"Besteed in {ov.year} per maand, opgeteld, tegen het tempo", ov.year,
                   [spent_line(recs), pace_line(recs)], levels=[ch.Level(budget, f"budget {eur(budget)}")],
                   frame=ch.Frame(ticks=_euro_tick))
    per: dict[str, list[Record]] = {}
    for r in v["months"].records:
        per.setdefault(str(r["team"]), []).append(r)
    small = []
    for team, rs in per.items():
        last = rs[-1]
        used = _f(last["cumulative"]) / _f(last["budget"]) if _f(last["budget"]) else None
        chart = ch.lines(f"cumulative-{team}", f"{team}: besteed per maand tegen het tempo", ov.year,
                         [spent_line(rs), pace_line(rs)], levels=[ch.Level(_f(last["budget"]), "budget")],
                         frame=ch.Frame(width=200, height=110, small=True))
        figure = f"{eur(last['cumulative'])} ({pct(used)})" if used is not None else eur(last["cumulative"])
        small.append(f'<figure class="multiple"><figcaption><b>{escape(team)}</b> {escape(figure)}'
                     f"</figcaption>{chart}</figure>")
    body = (_figure(big, "De blauwe lijn is wat tot en met elke maand besteed is, de gestippelde lijn wat een "
                    "gelijkmatig tempo over het jaar verwacht.")
            + table(total, "months_total", total=False, caption="Alle budgethouders samen")
            + '<h3>Per budgethouder</h3><div class="multiples">' + "".join(small) + "</div>"
            + _month_matrix(v["months"], ov))
    return Section("verloop", "Besteding per maand", body)


def _month_matrix(view: View, ov: Overview) -> str:
    """Per budget holder (rows) the spend up to each month's end (columns), to the cent."""
    months: list[str] = list(dict.fromkeys(str(r["month"]) for r in view.records))
    if not months:
        return ""
    head = "".join(f'<th class="num" scope="col">{ch.MONTHS[int(m[5:]) - 1]}</th>' for m in months)
    rows = []
    by_team: dict[str, dict[str, Record]] = {}
    for r in view.records:
        by_team.setdefault(str(r["team"]), {})[str(r["month"])] = r
    col = Column("cumulative", kind="money")
    for team, cells in by_team.items():
        tds = "".join(
            f'<td class="num" data-key="{escape(m)}" data-value="{escape(_json_literal(cells[m]["cumulative"], col))}">'
            f'{escape(format_eur(Decimal(cells[m]["cumulative"]), symbol=False))}</td>' for m in months)
        rows.append(f'<tr><td class="txt" data-key="team" data-value="{escape(json.dumps(team))}">{escape(team)}</td>'
                    f"{tds}</tr>")
    return (f'<table class="figures matrix" data-report="months"><caption>Besteed van 1 januari tot en met het einde '
            f'van elke maand, in euro</caption><thead><tr><th class="txt" scope="col">team</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def compare(ov: Overview, v: Mapping[str, View]) -> Section:
    c = v["compare"]
    rows = [ch.bar(str(r["team"]), _f(r["tegenprestatie_share"]),
                   f"{pct(r['tegenprestatie_share'])} van {r['count']}" if r["count"] else "geen uitgaven")
            for r in c.records]
    body = table(c, "compare") + "<h3>Tegenprestatie</h3>"
    if any(_f(r["tegenprestatie_share"]) for r in c.records):
        chart = ch.bars("tegenprestatie", "Deel van de uitgaven met een tegenprestatie", rows,
                        maximum=max([0.1, *(_f(r["tegenprestatie_share"]) for r in c.records)]), ticks=pct)
        body += _figure(chart, "Een tegenprestatie wordt altijd besproken, maar is nooit een reden om te weigeren.")
    else:
        body += _p("Bij geen enkele uitgave is een tegenprestatie vastgelegd.")
    return Section("teams", "Teams naast elkaar", body)


def categories(ov: Overview, v: Mapping[str, View]) -> Section:
    c = v["categories"]
    by_amount = [ch.bar(str(r["category"]), _f(r["amount"]), f"{eur(r['amount'])} ({pct(r['share_amount'])})")
                 for r in c.records]
    by_count = sorted(c.records, key=lambda r: (-int(r["count"]), str(r["category"])))
    count_rows = [ch.bar(str(r["category"]), float(r["count"]), f"{r['count']} ({pct(r['share_count'])})",
                         ch.LIGHT_BLUE) for r in by_count]
    if not c.records:
        return Section("categorieen", "Waar het geld naartoe gaat", table(c, "categories"))
    body = (_figure(ch.bars("categories-amount", "Categorieën naar bedrag", by_amount, ticks=_euro_tick),
                    "Naar bedrag, het meeste geld bovenaan.")
            + _figure(ch.bars("categories-count", "Categorieën naar aantal uitgaven", count_rows,
                              ticks=lambda x: f"{x:.0f}", whole=True), "Naar aantal uitgaven.")
            + table(c, "categories"))
    off = ov.categories.attrs.get("written_off")
    if off:
        body += _p(f"Afgeschreven kasgeld ({eur(off)}) telt mee als besteed, maar heeft geen categorie en staat "
                   "daarom niet in deze tabel.")
    return Section("categorieen", "Waar het geld naartoe gaat", body)


def loans(ov: Overview, v: Mapping[str, View]) -> Section:
    lo = v["loans"]
    open_by: dict[str, list[Decimal]] = {}
    for r in lo.records:
        late = bool(r.get("days_overdue"))
        pair = open_by.setdefault(str(r["team"]), [Decimal(0), Decimal(0)])
        pair[1 if late else 0] += Decimal(r["outstanding"])
    body = ""
    if open_by:
        rows = [ch.Bar(team, eur(a + b) + (f", te laat {eur(b)}" if b else ""),
                       ((float(a), ch.BLUE), (float(b), ch.RED)))
                for team, (a, b) in open_by.items()]
        body += _figure(ch.bars("loans", "Open op leningen en voorwaardelijke giften per budgethouder", rows,
                                ticks=_euro_tick, legend=[(ch.BLUE, "open, niet te laat"), (ch.RED, "te laat")]),
                        "Wat nog open staat op de peildatum; rood is na de vervaldatum.")
    body += table(lo, "loans")
    return Section("leningen", "Leningen en voorwaardelijke giften", body)




def outcomes(ov: Overview, v: Mapping[str, View]) -> Section:
    o = v["outcomes"]
    evaluated = [r for r in o.records if r.get("evaluated")]
    body = ""
    if evaluated:
        rows = [ch.Bar(str(r["team"]), f"{r['reached']} / {r['partial']} / {r['not_reached']}",
                       ((float(r["reached"]), ch.GREEN), (float(r["partial"]), ch.AMBER),
                        (float(r["not_reached"]), ch.RED))) for r in evaluated]
        body += _figure(ch.bars("outcomes", "Uitkomsten per budgethouder", rows, ticks=lambda x: f"{x:.0f}", whole=True,
                                legend=[(ch.GREEN, "bereikt"), (ch.AMBER, "deels"), (ch.RED, "niet bereikt")]),
                        "Aantal beoordeelde uitgaven: doel bereikt, deels, niet.")
        costs = [ch.bar(str(r["team"]), _f(r["avoided_cost"]), eur(r["avoided_cost"]), ch.GREEN)
                 for r in evaluated if r.get("costed")]
        if costs:
            body += _figure(ch.bars("avoided-cost", "Vermeden kosten per budgethouder", costs, ticks=_euro_tick),
                            "De kosten die de uitgaven volgens de professional hebben voorkomen, opgeteld.")
    t = o.total or {}
    body += _p(f"Van {t.get('cases', 0)} uitgaven zijn er {t.get('evaluated', 0)} beoordeeld: {t.get('reached', 0)} "
               f"bereikten hun doel, {t.get('partial', 0)} deels en {t.get('not_reached', 0)} niet. Van "
               f"{t.get('costed', 0)} met vermeden kosten waren er {t.get('cheaper', 0)} goedkoper dan niets doen.")
    body += table(o, "outcomes")
    return Section("uitkomsten", "Uitkomsten", body)


def refusals(ov: Overview, v: Mapping[str, View]) -> Section:
    ref = v["refusals"]
    body = ""
    if ref.records:
        with_reason = all("reason" in r for r in ref.records)
        key = "reason" if with_reason else "team"
        counts: dict[str, int] = {}
        for r in ref.records:
            counts[str(r.get(key) or "zonder reden")] = counts.get(str(r.get(key) or "zonder reden"), 0) + 1
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        rows = [ch.bar(label, float(n), f"{n}", ch.BLUE, note=label) for label, n in ordered]
        what = "reden" if with_reason else "budgethouder (redenen weggelaten)"
        body += _figure(ch.bars("refusals", f"Weigeringen naar {what}", rows, ticks=lambda x: f"{x:.0f}",
                                whole=True, labels_above=with_reason),
                        "Geweigerde aanvragen worden bewaard om van te leren.")
    body += table(ref, "refusals")
    return Section("weigeringen", "Weigeringen", body)


def rules(ov: Overview, v: Mapping[str, View]) -> Section:
    over = v["overrides"]
    cards = v["knipkaart"]
    body = ""
    counts: dict[str, int] = {}
    for r in over.records:
        if r.get("voided"):
            continue
        for rule in str(r.get("rules") or "").split(", "):
            if rule:
                counts[rule] = counts.get(rule, 0) + 1
    if counts:
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        rows = [ch.bar(RULE_WORDS.get(k, k), float(n), str(n)) for k, n in ordered]
        body += _figure(ch.bars("overrides", "Uitgaven over een vuistregel, naar regel", rows,
                                ticks=lambda x: f"{x:.0f}", whole=True),
                        "Een vuistregel verbiedt niets: de professional mag afwijken met een reden.")
    body += table(over, "overrides", total=False)
    if cards.records:
        rows = [ch.Bar(str(r["team"]),
                       f"{r['used']} van {r['limit']}" + (f", {r['beyond']} voorbij" if r["beyond"] else ""),
                       ((float(min(int(r["used"]), int(r["limit"]))), ch.BLUE), (float(r["beyond"]), ch.RED)))
                for r in cards.records]
        top = max([*(int(r["limit"]) for r in cards.records), *(int(r["used"]) for r in cards.records)])
        body += "<h3>Knipkaart</h3>" + _figure(
            ch.bars("knipkaart", f"Knipkaart {ov.year}: gebruikte uitzonderingen", rows, maximum=float(top),
                    ticks=lambda x: f"{x:.0f}", whole=True,
                    legend=[(ch.BLUE, "gebruikt"), (ch.RED, "voorbij de kaart")]),
            "Elk team mag een paar keer per jaar een regel van een andere afdeling buigen; gebruik tot de peildatum.")
    body += table(cards, "knipkaart")
    return Section("vuistregels", "Vuistregels en knipkaart", body)


def cash(ov: Overview, v: Mapping[str, View]) -> Section:
    c = v["cash"]
    active = [r for r in c.records if any(Decimal(r[k]) for k in ("withdrawn", "spent_cash", "written_off",
                                                                   "deposited", "cash_on_hand"))]
    body = ""
    if active:
        rows = []
        for r in active:
            rows.append(ch.Bar(f"{r['team']}: opgenomen", eur(r["withdrawn"]), ((_f(r["withdrawn"]), ch.LIGHT_BLUE),)))
            rows.append(ch.Bar(f"{r['team']}: waarvan", f"in kas {eur(r['cash_on_hand'])}", (
                (_f(r["spent_cash"]), ch.BLUE), (_f(r["written_off"]), ch.AMBER), (_f(r["deposited"]), ch.GREY),
                (_f(r["cash_on_hand"]), ch.GREEN))))
        body += _figure(ch.bars("cash", f"Kasgeld tot en met {date_nl(ov.as_of)}", rows, ticks=_euro_tick,
                                legend=[(ch.BLUE, "contant besteed"), (ch.AMBER, "afgeschreven"),
                                        (ch.GREY, "teruggestort"), (ch.GREEN, "in kas")]),
                        "Contant geld komt van de pinpas in veelvouden van € 10; de restjes worden besteed, "
                        "teruggestort of (klein) afgeschreven.")
    else:
        body += _p("Geen enkele budgethouder heeft contant geld opgenomen.")
    body += table(c, "cash")
    return Section("kas", "Kasgeld", body)


#: At most this many bars in the lead-time chart (it must fit one A4 page).
LEAD_BARS = 30


def leadtime(ov: Overview, v: Mapping[str, View]) -> Section:
    view = v.get("leadtime")
    if view is None:
        return Section("doorlooptijd", "Van aanvraag tot betaling", _p(
            "De datum van de aanvraag wordt in dit grootboek nog niet bijgehouden; zodra dat gebeurt, staat hier "
            "hoe snel een aanvraag betaald wordt (de mediaan, 90% binnen, en hoeveel binnen een dag)."))
    body = ""
    measured = [r for r in view.records if r.get("count")]
    if measured:
        # One bar per team (all methods) when there are several, per method for one team: a bar
        # per team and method would not fit a page for a city with forty teams.
        several = len({r["team"] for r in measured}) > 1
        picked = [r for r in measured if (r["method"] == ALL_METHODS) == several]
        caption = "Zaanstad belooft hulp binnen 24 uur; hier is te zien hoe vaak dat lukt."
        missing = int(ov.leadtime.attrs["not_recorded"])
        if missing:
            caption += (f" {text_human(missing, 'number')} uitgave(n) zonder aanvraagdatum tellen als "
                        "op de dag zelf aangevraagd (0 dagen).")
        if len(picked) > LEAD_BARS:
            picked = sorted(picked, key=lambda r: -_f(r["p90_days"]))[:LEAD_BARS]
            caption += f" De {LEAD_BARS} traagste teams; de tabel eronder heeft ze allemaal."
        rows = [ch.Bar(r["team"] if several else f"{r['team']}, {r['method']}",
                       f"mediaan {text_human(r['median_days'], 'number')}, "
                       f"90% {text_human(r['p90_days'], 'number')} dagen",
                       ((_f(r["median_days"]), ch.BLUE),
                        (max(_f(r["p90_days"]) - _f(r["median_days"]), 0), ch.LIGHT_BLUE)))
                for r in picked]
        body += _figure(ch.bars("leadtime", "Dagen van aanvraag tot betaling", rows, ticks=lambda x: f"{x:.0f}",
                                legend=[(ch.BLUE, "mediaan"), (ch.LIGHT_BLUE, "tot 90% betaald")]), caption)
    body += table(view, "leadtime", total=False)
    return Section("doorlooptijd", "Van aanvraag tot betaling", body)


def stories(ov: Overview, v: Mapping[str, View], *, redacted: bool) -> Section:
    s = v["stories"]
    intro = (f"De uitgaven van {eur(ov.story_min)} en meer in {ov.year}, met het verhaal erachter, om van te leren. "
             "Codes van huishoudens staan er nooit in.")
    if redacted:
        intro += " De verhalen zelf zijn weggelaten (--redact): alleen bedragen, soort en uitkomst."
    cards = []
    for r in s.records:
        head = (f"{eur(r['amount'])} · {r['team']} · {text_human(r['date'], 'date')} · {r['category']} · "
                f"{KIND_WORDS.get(str(r['kind']), r['kind'])}")
        lines = [f'<h4>{escape(head)}</h4>']
        if "note" in r:
            lines.append(_p(str(r["note"])) if r["note"] else '<p class="muted">Geen verhaal vastgelegd.</p>')
        else:
            lines.append('<p class="muted">Verhaal weggelaten.</p>')
        facts = []
        if r.get("tegenprestatie"):
            state = str(r.get("tegenprestatie_status") or "")
            status = f" ({TEGENPRESTATIE_WORDS.get(state, state)})" if state else ""
            facts.append(f"Tegenprestatie: {r['tegenprestatie']}{status}")
        if r.get("outcome"):
            cost = f"; vermeden kosten {eur(r['avoided_cost'])}" if r.get("avoided_cost") is not None else ""
            facts.append(f"Uitkomst: {OUTCOME_WORDS.get(str(r['outcome']), r['outcome'])}{cost}")
        if r.get("kind") in ("loan", "conditional"):
            facts.append(f"Terugbetaald {eur(r['repaid'])}, nog open {eur(r['outstanding'])}")
        if facts:
            lines.append("<ul>" + "".join(f"<li>{escape(f)}</li>" for f in facts) + "</ul>")
        lines.append(f'<p class="muted">{escape(str(r["id"]))}</p>')
        cards.append(f'<article class="story" data-id="{escape(str(r["id"]))}">{"".join(lines)}</article>')
    body = _p(intro) + ("".join(cards) if cards else _p("Geen uitgaven boven die grens."))
    return Section("verhalen", "Verhalen", body)


#: What the report says of a column where the views' meaning names the English keys.
MEANINGS_NL = {
    "status": "over budget: besteed of in dit tempo boven het budget; achter: minder besteed dan de helft van "
              "het tempo; anders op koers",
    "kind": "lening, voorwaardelijk (terugbetalen als de voorwaarde niet wordt gehaald) of gift",
}


def notes(ov: Overview, v: Mapping[str, View]) -> Section:
    seen: dict[str, str] = {}
    for view in v.values():
        for c in view.shown:
            meaning = MEANINGS_NL.get(c.key, c.meaning)
            if meaning and c.header not in seen:
                seen[c.header] = meaning
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(m)}</dd>" for k, m in sorted(seen.items()))
    body = (_p(f"Alle cijfers tellen van 1 januari {ov.year} tot en met {date_nl(ov.as_of)}. Een uitgave telt op haar "
               "eigen datum en niet als ze geannuleerd is; afgeschreven kasgeld telt als besteed. Terugbetalingen "
               "tellen op de dag dat ze binnenkwamen. Leningen tellen uit elk jaar, zolang ze openstaan. De tabellen "
               "zijn dezelfde als die van maatwerk utilisation, compare, categories, loans en outcomes met "
               "dezelfde peildatum.")
            + f"<dl>{items}</dl>")
    return Section("toelichting", "Toelichting", body)


# ---------------------------------------------------------------------------- the page


CSS = """
:root { --ink: #1f1f1f; --muted: #666; --line: #d9d9d9; --green: #2e7d32; --amber: #d08c00; --red: #c62828; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 960px; padding: 24px 32px 64px; line-height: 1.45;
       font-size: 14px; background: #fff; }
header.top { border-bottom: 3px solid var(--ink); margin-bottom: 8px; padding-bottom: 8px; }
header.top h1 { font-size: 26px; margin: 0 0 4px; }
header.top p { margin: 0; color: var(--muted); }
nav ol { columns: 2; color: var(--muted); margin: 8px 0 0; padding-left: 20px; }
nav a { color: inherit; }
section { margin-top: 36px; }
h2 { font-size: 20px; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin: 0 0 12px; }
h3 { font-size: 16px; margin: 24px 0 8px; }
h4 { font-size: 14px; margin: 0 0 4px; }
figure { margin: 12px 0 16px; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 2px; }
svg.chart { display: block; width: 100%; height: auto; }
svg.chart text { font-family: inherit; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 4px 16px; }
figure.multiple { margin: 4px 0; }
figure.multiple figcaption { color: var(--ink); font-size: 12px; margin: 0 0 2px; }
svg.chart.small { max-width: 200px; }
.tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; margin: 8px 0 16px; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.tile .value { font-size: 24px; font-weight: 600; }
.tile .sub { color: var(--muted); font-size: 12px; }
ul.sentences li { margin-bottom: 4px; }
ul.sentences.many { columns: 2; column-gap: 28px; font-size: 12px; }
ul.sentences.many li { break-inside: avoid; }
ul.sentences li.under::marker { color: var(--amber); }
ul.sentences li.over::marker { color: var(--red); }
table.figures { border-collapse: collapse; width: 100%; font-size: 12px; margin: 8px 0 16px;
                font-variant-numeric: tabular-nums; }
table.figures caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
table.figures th, table.figures td { padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.figures th { text-align: left; border-bottom: 2px solid var(--ink); font-weight: 600; }
table.figures .num, table.figures .nowrap { white-space: nowrap; }
table.figures .num { text-align: right; }
table.figures tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
table.matrix { font-size: 10.5px; }
table.matrix th, table.matrix td { padding: 2px 4px; }
p.empty, .muted { color: var(--muted); }
article.story { border-left: 3px solid var(--line); padding: 4px 0 4px 12px; margin: 0 0 14px; }
article.story p { margin: 2px 0; }
article.story ul { margin: 2px 0; padding-left: 18px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 12px; }
dt { font-weight: 600; }
dd { margin: 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@page { size: A4 portrait; margin: 14mm 12mm 16mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; color: #666; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  section { margin-top: 0; break-before: page; }
  section:first-of-type { break-before: auto; }
  h2, h3, h4 { break-after: avoid; }
  figure, svg.chart, .tiles, article.story, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  table.figures { font-size: 8.5pt; }
  table.matrix { font-size: 7pt; }
  .multiples { grid-template-columns: repeat(3, 1fr); }
  footer { display: none; }
}
"""


def page(ov: Overview, views: Mapping[str, View], *, redacted: bool = False) -> str:
    """The whole report as one HTML document."""
    sections = [summary(ov, views), utilisation(ov, views), months(ov, views), compare(ov, views),
                categories(ov, views), loans(ov, views), outcomes(ov, views), refusals(ov, views),
                rules(ov, views), cash(ov, views), leadtime(ov, views), stories(ov, views, redacted=redacted),
                notes(ov, views)]
    where = ov.municipality or "het maatwerkbudget"
    when = (f"Maandrapportage {MONTH_NAMES[int(ov.month[5:]) - 1]} {ov.month[:4]}" if ov.month
            else f"Rapportage tot en met {date_nl(ov.as_of)}")
    title = f"Maatwerkbudget {where} – {when}"
    nav = "".join(f'<li><a href="#{s.key}">{escape(s.title)}</a></li>' for s in sections)
    body = "".join(
        f'<section id="{s.key}" data-section="{s.key}"><h2>{n}. {escape(s.title)}</h2>{s.body}</section>'
        for n, s in enumerate(sections, start=1))
    sub = f"{when}, peildatum {date_nl(ov.as_of)}" if ov.month else when
    if redacted:
        sub += "; zonder verhalen, redenen en namen (--redact)"
    return ("<!DOCTYPE html>\n"
            '<html lang="nl"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f'<header class="top"><h1>Maatwerkbudget {escape(where)}</h1><p>{escape(sub)}</p>'
            f"<nav><ol>{nav}</ol></nav></header>{body}"
            f"<footer>Gemaakt met maatwerk report uit de journalen van het grootboek.</footer></body></html>\n")
