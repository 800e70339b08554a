"""The coordinator's monthly report as one self-contained HTML page, in the run's language.

The page holds its CSS and its charts (inline SVG, :mod:`maatwerk_cli.render.charts`); it
has no script and refers to nothing outside itself, so opening it makes no request. Every
chart stands above the table of its figures. The tables are the views of the reports
(:mod:`maatwerk_cli.render.views` and :mod:`~maatwerk_cli.render.listings`): the same
records and columns as ``--format json`` of each command (``compare`` without the budget,
spent and used of the utilisation table), written the Dutch way; each cell
also carries the JSON value (``data-key``, ``data-value``) so a test or a script can read
the figures back exactly. The charts are drawn from the same (possibly redacted) records.

For print (and the PDF), A4: the sections follow one another (a heading never ends a page,
no chart or table row is split), so the report reads the same for 6 budget holders or 42:
the summary tells of a few and names the others, a section with nothing to show is one line,
charts leave out what would be empty bars (the tables keep every budget holder) and a team's
name never breaks at its hyphen.

Every text is English in the code (the key) and Dutch in ``locale/nl/report.po``, made with
:func:`~maatwerk_cli.core.messages.tr` while the page is made: Dutch by default, English with
``--lang en``. Numbers are Dutch in both (``1.234,56``); dates are written out with the
month's name in the language (``31 oktober 2026``, ``31 October 2026``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any

from ..analysis.overview import Overview
from ..analysis.reports import ALL_METHODS, TOTAL_LABEL
from ..core.messages import N_, language, tr
from ..core.money import format_eur, format_plain
from . import charts as ch
from .columns import Column, Record, plain, text_human
from .output import View

#: The months by name (translated where used: :func:`month_name`).
MONTH_NAMES = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
               N_("August"), N_("September"), N_("October"), N_("November"), N_("December"))
#: The words people read for the values the JSON keeps in English (translated where used).
STATUS_WORDS = {"under": N_("behind"), "over": N_("over budget"), "on-track": N_("on track")}
KIND_WORDS = {"loan": N_("loan"), "conditional": N_("conditional"), "gift": N_("gift")}
TEGENPRESTATIE_WORDS = {"proposed": N_("proposed"), "agreed": N_("agreed"), "done": N_("done"),
                        "not-possible": N_("not possible")}
OUTCOME_WORDS = {"reached": N_("reached"), "partial": N_("partly reached"), "not-reached": N_("not reached")}
RULE_WORDS = {
    "max_per_spend": N_("above the maximum per spend"),
    "max_per_household_year": N_("maximum per household per year"),
    "max_per_household_total": N_("maximum per household, all years"),
    "repeat_household_days": N_("household again too soon"),
    "possible_duplicate": N_("possibly entered twice"),
    "second_opinion_above": N_("second opinion needed"),
}


def word(words: Mapping[str, str], value: Any) -> str:
    """A value the data keeps in English (``under``, ``loan``) as people read it."""
    text = str(value or "")
    return tr(words[text]) if text in words else text


# ---------------------------------------------------------------------------- formatting


def month_name(month: int) -> str:
    """``oktober`` (``October`` in English) for 10."""
    return tr(MONTH_NAMES[month - 1])


def date_long(day: dt.date) -> str:
    """``31 oktober 2026`` (``31 October 2026`` in English: the day first, as in the tables)."""
    return tr("{day} {month} {year}", day=day.day, month=month_name(day.month), year=day.year)


def month_year(month: str) -> str:
    """``oktober 2026`` for ``2026-10``."""
    return tr("{month} {year}", month=month_name(int(month[5:])), year=month[:4])


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
#: The report's own tables: titles and meanings marked here, translated where shown (:func:`table`, :func:`notes`).
MONTH_TABLE = [
    Column("month", N_("month")),
    Column("spent", N_("spent in the month"), "money", meaning=N_("spent in that month, as utilisation counts it")),
    Column("cumulative", N_("spent up to"), "money", meaning=N_("spent from 1 January to the end of the month")),
    Column("pace", N_("pace"), "money", meaning=N_("what the budget expects by that day at an even pace")),
]
STORY_DATA = [
    Column("id", kind="id"), Column("team"), Column("date", kind="date"), Column("category"),
    Column("amount", kind="money"), Column("kind"), Column("note"), Column("tegenprestatie"),
    Column("tegenprestatie_status"), Column("outcome"), Column("avoided_cost", kind="money"),
    Column("due", kind="date"), Column("condition"), Column("repaid", kind="money"),
    Column("outstanding", kind="money"),
]
LEAD_DATA = [Column("team"), Column("method"), Column("count", kind="int"), Column("median_days", kind="number"),
             Column("p90_days", kind="number"), Column("within_one_day", kind="int"),
             Column("without_request_date", kind="int")]
LEAD_TABLE = [
    Column("team", N_("team")), Column("method", N_("payment method")), Column("count", N_("number"), "int"),
    Column("median_days", N_("median (days)"), "number",
           meaning=N_("the middle lead time from request to payment")),
    Column("p90_days", N_("90% within (days)"), "number",
           meaning=N_("nine in ten spends are paid within this many days")),
    Column("within_one_day", N_("within a day"), "int", meaning=N_("spends paid within a day of the request")),
    Column("without_request_date", N_("without request date"), "int",
           meaning=N_("spends without a request date recorded: counted apart, not in the days")),
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
        "refusals": listings.refusals(ov.refusals.records,
                                      tr("Refusals {year}, as of {day:date}", year=ov.year, day=ov.as_of),
                                      ov.refusals.attrs.get("total") if ov.refusals.records else None),
        "overrides": listings.overrides(ov.overrides,
                                        tr("Overrides {year}, as of {day:date}", year=ov.year, day=ov.as_of)),
        "knipkaart": listings.knipkaart(ov.knipkaart,
                                        tr("Knipkaart {year}, as of {day:date}", year=ov.year, day=ov.as_of)),
        "cash": listings.cash(ov.cash),
        "months": _listing(tr("Spending per month"), ov.months.records, MONTH_DATA, MONTH_TABLE, "months",
                           tr("no months")),
        "months_total": _listing(tr("Spending per month, all budget holders"), ov.months.attrs["total"],
                                 MONTH_DATA, MONTH_TABLE, "months", tr("no months")),
        "stories": _listing(tr("Stories"), ov.stories.records, STORY_DATA, STORY_DATA, "stories", tr("no stories")),
    }
    # Shown once some spend has its request date (the spends without one are counted apart).
    if int(ov.leadtime.attrs["total"]["count"] or 0) > 0:
        out["leadtime"] = _listing(tr("Lead time"), ov.leadtime.records, LEAD_DATA, LEAD_TABLE, "leadtime",
                                   tr("no spends with a request date"))
    return out


# ---------------------------------------------------------------------------- tables


Show = Callable[[Column, Any], str]


def _cell_text(column: Column, value: Any) -> str:
    """A cell as people read it: Dutch figures (money without the euro sign, which is in the
    header), the status and kind in words of the run's language."""
    if column.key == "status":
        return word(STATUS_WORDS, value)
    if column.key == "kind" and isinstance(value, str):
        return word(KIND_WORDS, value)
    if column.key == "month" and isinstance(value, str) and len(value) == 7:
        return month_year(value)
    return text_human(value, column.kind).removeprefix("€ ")


def _total_text(show: Show) -> Show:
    """``show`` for a totals row: its label (``totaal`` in the data) in the run's language."""

    def shown(column: Column, value: Any) -> str:
        return tr("total") if value == TOTAL_LABEL else show(column, value)

    return shown


def table(view: View, report: str, *, columns: Sequence[Column] | None = None, total: bool = True,
          caption: str = "", show: Show = _cell_text) -> str:
    """A view as an HTML table; every cell names its JSON key and value (``data-key``,
    ``data-value``); the totals row is marked ``data-total``."""
    cols = list(columns if columns is not None else view.shown)
    if not view.records:
        return f'<p class="empty" data-report="{escape(report)}">{escape(tr(view.empty))}</p>'
    head = "".join(f'<th class="{_align(c)}" scope="col">{escape(tr(c.header))}{" (€)" if c.kind == "money" else ""}'
                   "</th>" for c in cols)
    cut: list[str] = []
    rows = [_row(r, cols, show, cut=(report, cut)) for r in view.records]
    if total and view.total is not None:
        rows.append(_row(view.total, cols, _total_text(show), is_total=True))
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    dense = " dense" if _min_width(cols, [*view.records, *([view.total] if total and view.total else [])],
                                   show) > DENSE else ""
    body = "".join(rows)
    notes = ""
    if cut:  # the whole of every text cut short in the table, under it, by its number
        notes = (f'<ol class="cut" data-report="{escape(report)}">'
                 + "".join(f'<li id="{escape(report)}-{n}">{escape(text)}</li>' for n, text in enumerate(cut, 1))
                 + "</ol>")
    return (f'<table class="figures{dense}" data-report="{escape(report)}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>{notes}")


#: A table that needs more than this many characters' width (its columns side by side, each
#: as wide as its longest word or unbreakable figure, with its padding) is printed smaller:
#: wider than A4, the browser would print every page smaller. Measured in Chromium, a table
#: of 8.5 pt is at least 5.8 to 6 px wide per character so counted; A4 has 703 px between
#: the margins, some 118 characters; a little is kept in hand for wider fonts.
DENSE = 112
#: A column's padding, in characters.
PADDING = 1.3


def _min_width(cols: Sequence[Column], records: Sequence[Record], show: Show) -> float:
    """The narrowest a table can be, in characters: per column the longest word of its title
    or of a cell (a figure, date, id or name is one word: it never wraps), plus padding."""
    width = 0.0
    for c in cols:
        title = tr(c.header) + (" (€)" if c.kind == "money" else "")
        widest = max((len(w) for w in title.split()), default=0)
        whole = _align(c) != "txt"
        for r in records:
            text = show(c, r.get(c.key))
            if c.key in CUT and len(text) > CUT[c.key]:
                text = shorten(text, CUT[c.key]) + "00"  # and its footnote's number
            widest = max(widest, len(text) if whole else max((len(w) for w in text.split()), default=0))
        width += widest + PADDING
    return width

#: Columns of long free text, cut in a table cell to about this many characters (a condition
#: would wrap to six lines in a narrow column); the whole text is numbered under the table.
CUT = {"condition": 34}


def shorten(text: str, most: int) -> str:
    """``text`` cut at a word to at most ``most`` characters, with an ellipsis; whole if it fits."""
    if len(text) <= most:
        return text
    head = text[: most - 1]
    if " " in head[most // 2:]:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:") + "…"


#: Columns whose text is a name that must never break (``rdam-01`` would at its hyphen).
NAMES = frozenset({"team"})


def _align(c: Column) -> str:
    if c.kind in ("money", "fraction", "int", "number"):
        return "num"
    return "txt nowrap" if c.kind in ("date", "id", "year") or c.key in NAMES else "txt"


def _row(record: Record, cols: Sequence[Column], show: Show, is_total: bool = False,
         cut: tuple[str, list[str]] | None = None) -> str:
    """A row; ``cut``: the report's name and the list the whole texts of cells cut short go to."""
    cells = []
    for c in cols:
        value = record.get(c.key)
        text = show(c, value)
        shown = escape(text)
        if cut is not None and c.key in CUT and len(text) > CUT[c.key]:
            report, whole = cut
            whole.append(text)
            n = len(whole)
            shown = (f'<span title="{escape(text)}">{escape(shorten(text, CUT[c.key]))}</span>'
                     f'<sup><a href="#{escape(report)}-{n}">{n}</a></sup>')
        cells.append(f'<td class="{_align(c)}" data-key="{escape(c.key)}" '
                     f'data-value="{escape(_json_literal(value, c))}">{shown}</td>')
    mark = ' class="total" data-total="1"' if is_total else ""
    return f"<tr{mark}>{''.join(cells)}</tr>"


# ---------------------------------------------------------------------------- sections


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the report: ``key`` (its id), its title and its HTML."""

    key: str
    title: str
    body: str
    #: Nothing to show but one sentence: the section is that one line under its heading, not a page.
    brief: bool = False


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
    figures = {"name": name, "share": pct(r["utilisation"]), "spent": eur(spent), "budget": eur(budget),
               "projected": eur(r["projected"]), "year": year}
    if r["status"] == "under":
        if spent == 0:
            return tr("{name} has spent nothing of its budget of {budget} in {year} yet.", **figures)
        return tr("{name} has spent {share} ({spent} of {budget}) and at this pace will reach {projected} by the "
                  "end of the year.", **figures)
    if budget <= 0:
        return tr("{name} has no budget for {year}, but has spent {spent}.", **figures)
    if spent > budget:
        return tr("{name} has spent {spent}, {share} of its budget of {budget}: the budget is used up.", **figures)
    return tr("{name} has spent {share} ({spent} of {budget}) and at this pace will reach {projected}, more than "
              "the budget.", **figures)


#: The summary tells of at most this many budget holders per group (over budget, behind) in
#: a sentence each, the most urgent first; the others are named with their share in one
#: paragraph, and all are in the utilisation table (so the summary stays on its first page).
SUMMARY_TEAMS = 5


def _urgency(r: Record) -> float:
    """Sorts the most urgent first: over budget, the highest projection to budget; behind, the
    least spent share."""
    if r["status"] == "over":
        budget = _f(r["budget"])
        return -(max(_f(r["projected"]), _f(r["spent"])) / budget) if budget > 0 else -math.inf
    return _f(r["utilisation"])


def _with_names(text: str, names: Sequence[str]) -> str:
    """``text`` escaped, each budget holder's name in it kept on one line (never broken at
    its hyphen: ``rdam-01``)."""
    out = escape(text)
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        safe = escape(name)
        out = re.sub(rf"(?<![\w>&\"=-]){re.escape(safe)}(?![\w<-])",
                     lambda m: f'<span class="name">{m.group(0)}</span>', out)
    return out


#: The summary's tiles: a fixed id (``data-tile``, the same in every language) and the label.
TILES = (("budget", N_("Budget")), ("besteed", N_("Spent")), ("benut", N_("Used")), ("tempo", N_("Pace")),
         ("achter", N_("Behind")), ("over budget", N_("Over budget")))


def summary(ov: Overview, v: Mapping[str, View]) -> Section:
    u = v["utilisation"]
    t = u.total or {}
    records = list(u.records)
    expected = float(ov.utilisation.attrs["expected"])
    share = float(ov.utilisation.attrs["under_share"])
    behind = [r for r in records if r["status"] == "under"]
    over = [r for r in records if r["status"] == "over"]
    n = len(records)
    figures = [
        (eur(t.get("budget")), tr("{n:plural:budget holder|budget holders}", n=n)),
        (eur(t.get("spent")), tr("up to and including {date}", date=date_long(ov.as_of))),
        (whole_pct(t.get("utilisation")), tr("{share} of the budget", share=pct(t.get("utilisation")))),
        (whole_pct(expected), tr("{share} of the year has passed", share=pct(expected))),
        (tr("{count} of {total}", count=len(behind), total=n),
         tr("spent less than {share}", share=pct(share * expected))),
        (tr("{count} of {total}", count=len(over), total=n), tr("spent or at this pace above the budget")),
    ]
    tile_html = "".join(
        f'<div class="tile" data-tile="{escape(key)}"><div class="label">{escape(tr(label))}</div>'
        f'<div class="value">{escape(value)}</div><div class="sub">{escape(sub)}</div></div>'
        for (key, label), (value, sub) in zip(TILES, figures, strict=True))
    parts = [f'<div class="tiles">{tile_html}</div>']
    parts.append(_p(tr(
        "On {date}, {expected} of {year} has passed. Of the budget of {budget}, {spent} has been spent: {used}. "
        "A budget holder is behind when it has spent less than {share} of that pace ({behind} of its budget), "
        "and over budget when it has spent more than its budget or will at this pace.",
        date=date_long(ov.as_of), expected=pct(expected), year=ov.year, budget=eur(t.get("budget")),
        spent=eur(t.get("spent")), used=pct(t.get("utilisation")), share=pct(share), behind=pct(share * expected))))
    names = [str(r["team"]) for r in records]
    headings = ((over, N_("Over budget, or heading there ({count} of {total})")),
                (behind, N_("Behind the pace ({count} of {total})")))
    for group, heading in headings:
        if group:
            status = str(group[0]["status"])
            # The furthest over (or behind) first; a sentence for a few, the others by name.
            ordered = sorted(group, key=lambda r: (_urgency(r), str(r["team"])))
            items = ""
            nothing = [r for r in ordered if status == "under" and Decimal(r["spent"]) == 0]
            if len(group) > SUMMARY_TEAMS and len(nothing) > 1:
                # Many that have spent nothing: one sentence names them all.
                ordered = [r for r in ordered if r not in nothing]
                listed = ", ".join(f'<span class="name">{escape(str(r["team"]))}</span>' for r in nothing)
                said = tr("{n:plural:budget holder has|budget holders have} spent nothing in {year} yet:",
                          n=len(nothing), year=ov.year)
                items += f'<li class="{escape(status)}">{escape(said)} {listed}.</li>'
            room = SUMMARY_TEAMS - (1 if items else 0)
            told, rest = ordered[:room], sorted(ordered[room:], key=lambda r: str(r["team"]))
            items += "".join(f'<li class="{escape(status)}">{_with_names(team_sentence(r, ov.year), names)}</li>'
                             for r in told)
            parts.append(f"<h3>{escape(tr(heading, count=len(group), total=n))}</h3>"
                         f'<ul class="sentences" data-status="{escape(status)}">{items}</ul>')
            if rest:
                said = (tr("Also over budget or heading there ({n}):", n=len(rest)) if status == "over"
                        else tr("Also behind the pace ({n}):", n=len(rest)))
                listed = ", ".join(f'<span class="name">{escape(str(r["team"]))}</span> {escape(pct(r["utilisation"]))}'
                                   for r in rest)
                where = (f'<a href="#benutting">{escape(tr("Utilisation against the pace"))}</a>')
                every = escape(tr("Every budget holder is in the table of {section}.", section="\0")).replace(
                    "\0", where)
                parts.append(f'<p class="others" data-status="{escape(status)}">{escape(said)} {listed}. {every}</p>')
    if not behind and not over:
        parts.append(_p(tr("No budget holder is behind or going over its budget.")))
    more = []
    lt = v["loans"].total or {}
    late = [r for r in v["loans"].records if r.get("days_overdue")]
    if v["loans"].records:
        more.append(tr("Open loans and conditional grants: {n:count}, together {amount}; {late:count} of them "
                       "overdue.", n=len(v["loans"].records), amount=eur(lt.get("outstanding")), late=len(late)))
    ot = v["outcomes"].total or {}
    if ot.get("evaluated"):
        more.append(tr("Of {evaluated} evaluated spends, {reached} reached their goal, {partial} partly and "
                       "{not_reached} not; avoided cost {cost}.", evaluated=ot["evaluated"], reached=ot["reached"],
                       partial=ot["partial"], not_reached=ot["not_reached"], cost=eur(ot["avoided_cost"])))
    refused = len(v["refusals"].records)
    if refused:
        more.append(tr("1 request was refused.") if refused == 1 else
                    tr("{n:count} requests were refused.", n=refused))
    if more:
        parts.append(f"<h3>{escape(tr('More'))}</h3><ul class='more'>"
                     + "".join(f"<li>{escape(x)}</li>" for x in more) + "</ul>")
    if ov.teams:
        parts.append(_p(tr("Only these budget holders: {teams:list}.", teams=ov.teams)))
    return Section("samenvatting", tr("Summary"), "".join(parts))


def utilisation(ov: Overview, v: Mapping[str, View]) -> Section:
    u = v["utilisation"]
    expected = float(ov.utilisation.attrs["expected"])
    share = float(ov.utilisation.attrs["under_share"])
    own = bool(ov.utilisation.attrs.get("own_pace"))
    # The status in words beside each bar's figure: its colour never says it alone.
    rows = [ch.bar(str(r["team"]), _f(r["utilisation"]),
                   tr("{share} {status}", share=pct(r["utilisation"]), status=word(STATUS_WORDS, r["status"])),
                   ch.STATUS_COLOURS.get(str(r["status"]), ch.BLUE), note=team_sentence(r, ov.year)
                   if r["status"] in ("under", "over") else
                   tr("{name}: {share} spent", name=_name(r), share=pct(r["utilisation"])),
                   mark=_f(r["pace"]) if own and r.get("pace") is not None else None)
            for r in u.records]
    chart = ch.bars("utilisation", tr("Utilisation per budget holder against the pace on {date}",
                                      date=date_long(ov.as_of)), rows,
                    maximum=1.0, ticks=lambda x: pct(x),
                    markers=[ch.Marker(expected, tr("pace {share}", share=pct(expected))),
                             ch.Marker(share * expected, tr("behind below {share}", share=pct(share * expected)),
                                       ch.AMBER, True)],
                    legend=[(ch.GREEN, tr("on track")), (ch.AMBER, tr("behind")), (ch.RED, tr("over budget"))])
    cols = [*u.shown]
    cols.insert(next(i for i, c in enumerate(cols) if c.key == "utilisation") + 1,
                Column("expected", N_("pace"), "fraction"))
    caption = tr("Each bar is the share of the budget that has been spent; the black line is the share of the "
                 "year that has passed. Whoever stays left of the orange dotted line is behind.")
    if own:
        caption += " " + tr("The black tick on a bar is that budget holder's own pace (its own period, top-ups or "
                            "cuts, or the spending profile); behind or on track counts against that.")
    body = (_figure(chart, caption)
            + table(u, "utilisation", columns=cols))
    return Section("benutting", tr("Utilisation against the pace"), body)


def months(ov: Overview, v: Mapping[str, View]) -> Section:
    total = v["months_total"]
    recs = list(total.records)
    budget = _f(recs[0]["budget"]) if recs else 0.0
    start = (dt.date(ov.year, 1, 1), 0.0)

    def spent_line(rs: Sequence[Record]) -> ch.Line:
        return ch.Line(tr("spent"), (start, *((r["until"], _f(r["cumulative"])) for r in rs)), ch.BLUE)

    def pace_line(rs: Sequence[Record]) -> ch.Line:
        return ch.Line(tr("pace"), (start, *((r["until"], _f(r["pace"])) for r in rs)), ch.INK, dash=True, dots=False)

    big = ch.lines("cumulative", tr("Spent in {year} per month, added up, against the pace", year=ov.year), ov.year,
                   [spent_line(recs), pace_line(recs)],
                   levels=[ch.Level(budget, tr("budget {amount}", amount=eur(budget)))],
                   frame=ch.Frame(ticks=_euro_tick))
    per: dict[str, list[Record]] = {}
    for r in v["months"].records:
        per.setdefault(str(r["team"]), []).append(r)
    small = []
    idle = [team for team, rs in per.items() if not any(_f(r["spent"]) for r in rs)]
    for team, rs in per.items():
        if team in idle:  # a flat line at nothing: named below instead
            continue
        last = rs[-1]
        used = _f(last["cumulative"]) / _f(last["budget"]) if _f(last["budget"]) else None
        chart = ch.lines(f"cumulative-{team}", tr("{team}: spent per month against the pace", team=team), ov.year,
                         [spent_line(rs), pace_line(rs)], levels=[ch.Level(_f(last["budget"]), tr("budget"))],
                         frame=ch.Frame(width=200, height=110, small=True))
        figure = f"{eur(last['cumulative'])} ({pct(used)})" if used is not None else eur(last["cumulative"])
        small.append(f'<figure class="multiple"><figcaption><b class="name">{escape(team)}</b> {escape(figure)}'
                     f"</figcaption>{chart}</figure>")
    body = (_figure(big, tr("The blue line is what has been spent up to the end of each month, the dotted line what "
                            "an even pace over the year expects."))
            + table(total, "months_total", total=False, caption=tr("All budget holders together"))
            + f'<h3>{escape(tr("Per budget holder"))}</h3>'
            + f'<div class="multiples{" many" if len(small) > MANY_MULTIPLES else ""}">' + "".join(small) + "</div>")
    if idle:
        body += (f'<p class="others">{escape(tr("Nothing spent yet ({n}):", n=len(idle)))} '
                 + ", ".join(f'<span class="name">{escape(t)}</span>' for t in idle) + ".</p>")
    body += _month_matrix(v["months"], ov)
    return Section("verloop", tr("Spending per month"), body)


#: More small charts than this print four to a row rather than three (42 teams: a page less).
MANY_MULTIPLES = 12


def _month_matrix(view: View, ov: Overview) -> str:
    """Per budget holder (rows) the spend up to each month's end (columns), to the cent."""
    months: list[str] = list(dict.fromkeys(str(r["month"]) for r in view.records))
    if not months:
        return ""
    head = "".join(f'<th class="num" scope="col">{escape(tr(ch.MONTHS[int(m[5:]) - 1]))}</th>' for m in months)
    rows = []
    by_team: dict[str, dict[str, Record]] = {}
    for r in view.records:
        by_team.setdefault(str(r["team"]), {})[str(r["month"])] = r
    col = Column("cumulative", kind="money")
    for team, cells in by_team.items():
        tds = "".join(
            f'<td class="num" data-key="{escape(m)}" data-value="{escape(_json_literal(cells[m]["cumulative"], col))}">'
            f'{escape(format_eur(Decimal(cells[m]["cumulative"]), symbol=False))}</td>' for m in months)
        rows.append(f'<tr><td class="txt nowrap" data-key="team" data-value="{escape(json.dumps(team))}">'
                    f"{escape(team)}</td>{tds}</tr>")
    caption = escape(tr("Spent from 1 January up to and including the end of each month, in euros"))
    return (f'<table class="figures matrix" data-report="months"><caption>{caption}</caption><thead><tr>'
            f'<th class="txt" scope="col">{escape(tr("team"))}</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


#: The columns of ``compare`` the utilisation table already shows.
COMPARE_ELSEWHERE = frozenset({"budget", "spent", "utilisation"})


def compare(ov: Overview, v: Mapping[str, View]) -> Section:
    c = v["compare"]
    rows = [ch.bar(str(r["team"]), _f(r["tegenprestatie_share"]),
                   tr("{share} of {count}", share=pct(r["tegenprestatie_share"]), count=r["count"]) if r["count"]
                   else tr("no spends"))
            for r in c.records]
    # Budget, spent and used are in the table of section 2: left out here, so the table fits A4's width
    # (wider, the browser would print every page smaller).
    cols = [col for col in c.shown if col.key not in COMPARE_ELSEWHERE]
    body = (table(c, "compare", columns=cols,
                  caption=tr("Budget, spent and used per budget holder: in the table of {section}.",
                             section=tr("Utilisation against the pace")))
            + f"<h3>{escape(tr('Tegenprestatie'))}</h3>")
    if any(_f(r["tegenprestatie_share"]) for r in c.records):
        chart = ch.bars("tegenprestatie", tr("Share of the spends with a tegenprestatie"), rows,
                        maximum=max([0.1, *(_f(r["tegenprestatie_share"]) for r in c.records)]), ticks=pct)
        body += _figure(chart, tr("A tegenprestatie is always discussed, but is never a reason to refuse."))
    else:
        body += _p(tr("No spend has a tegenprestatie recorded."))
    return Section("teams", tr("Teams side by side"), body)


def categories(ov: Overview, v: Mapping[str, View]) -> Section:
    c = v["categories"]
    by_amount = [ch.bar(str(r["category"]), _f(r["amount"]), f"{eur(r['amount'])} ({pct(r['share_amount'])})")
                 for r in c.records]
    by_count = sorted(c.records, key=lambda r: (-int(r["count"]), str(r["category"])))
    count_rows = [ch.bar(str(r["category"]), float(r["count"]), f"{r['count']} ({pct(r['share_count'])})",
                         ch.LIGHT_BLUE) for r in by_count]
    title = tr("Where the money goes")
    if not c.records:
        return Section("categorieen", title, table(c, "categories"))
    body = (_figure(ch.bars("categories-amount", tr("Categories by amount"), by_amount, ticks=_euro_tick),
                    tr("By amount, the most money at the top."))
            + _figure(ch.bars("categories-count", tr("Categories by number of spends"), count_rows,
                              ticks=lambda x: f"{x:.0f}", whole=True), tr("By number of spends."))
            + table(c, "categories"))
    off = ov.categories.attrs.get("written_off")
    if off:
        body += _p(tr("Cash written off ({amount}) counts as spent, but it has no category and so is not in this "
                      "table.", amount=eur(off)))
    return Section("categorieen", title, body)


def loans(ov: Overview, v: Mapping[str, View]) -> Section:
    lo = v["loans"]
    open_by: dict[str, list[Decimal]] = {}
    for r in lo.records:
        late = bool(r.get("days_overdue"))
        pair = open_by.setdefault(str(r["team"]), [Decimal(0), Decimal(0)])
        pair[1 if late else 0] += Decimal(r["outstanding"])
    body = ""
    if open_by:
        rows = [ch.Bar(team, tr("{open}, overdue {late}", open=eur(a + b), late=eur(b)) if b else eur(a + b),
                       ((float(a), ch.BLUE), (float(b), ch.RED)))
                for team, (a, b) in open_by.items()]
        body += _figure(ch.bars("loans", tr("Open on loans and conditional grants per budget holder"), rows,
                                ticks=_euro_tick,
                                legend=[(ch.BLUE, tr("open, not overdue")), (ch.RED, tr("overdue"))]),
                        tr("What is still open on the cut-off date; red is past the due date."))
    body += table(lo, "loans")
    return Section("leningen", tr("Loans and conditional grants"), body, brief=not lo.records)




def outcomes(ov: Overview, v: Mapping[str, View]) -> Section:
    o = v["outcomes"]
    evaluated = [r for r in o.records if r.get("evaluated")]
    body = ""
    if evaluated:
        rows = [ch.Bar(str(r["team"]), tr("{reached} reached, {partial} partly, {not_reached} not",
                                           reached=r["reached"], partial=r["partial"], not_reached=r["not_reached"]),
                       ((float(r["reached"]), ch.GREEN), (float(r["partial"]), ch.AMBER),
                        (float(r["not_reached"]), ch.RED))) for r in evaluated]
        body += _figure(ch.bars("outcomes", tr("Outcomes per budget holder"), rows, ticks=lambda x: f"{x:.0f}",
                                whole=True, legend=[(ch.GREEN, tr("reached")), (ch.AMBER, tr("partly")),
                                                    (ch.RED, tr("not reached"))]),
                        tr("Number of evaluated spends: goal reached, partly, not."))
        costs = [ch.bar(str(r["team"]), _f(r["avoided_cost"]), eur(r["avoided_cost"]), ch.GREEN)
                 for r in evaluated if r.get("costed")]
        if costs:
            body += _figure(ch.bars("avoided-cost", tr("Avoided cost per budget holder"), costs, ticks=_euro_tick),
                            tr("The costs the spends prevented according to the professional, added up."))
    t = o.total or {}
    if not evaluated:  # nothing to show per team: the table would be a column of zeros
        said = tr("No spend has been evaluated yet ({n:plural:spend|spends} in {year}).", n=t.get("cases", 0),
                  year=ov.year)
        return Section("uitkomsten", tr("Outcomes"), _p(said), brief=True)
    body += _p(tr("Of {cases} spends, {evaluated} have been evaluated: {reached} reached their goal, {partial} "
                  "partly and {not_reached} not. Of {costed} with an avoided cost, {cheaper} were cheaper than doing "
                  "nothing.", cases=t.get("cases", 0), evaluated=t.get("evaluated", 0), reached=t.get("reached", 0),
                  partial=t.get("partial", 0), not_reached=t.get("not_reached", 0), costed=t.get("costed", 0),
                  cheaper=t.get("cheaper", 0)))
    body += table(o, "outcomes")
    return Section("uitkomsten", tr("Outcomes"), body)


def refusal_groups(records: Sequence[Record]) -> tuple[str, list[tuple[str, int]]]:
    """The refusals counted by reason, most first; by budget holder instead when no reason
    comes back (a bar of 1 for every reason says nothing) or when the reasons are left out
    (``--redact``). Returns what they are grouped by (``reason``, ``team``, ``redacted``) and
    the counts, which add up to the number of refusals."""
    def count(key: str) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        none = tr("without a reason") if key == "reason" else ""
        for r in records:
            label = str(r.get(key) or none)
            counts[label] = counts.get(label, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    if not all("reason" in r for r in records):
        by, counts = "redacted", count("team")
    else:
        by, counts = "reason", count("reason")
        if len(records) > 1 and all(n == 1 for _, n in counts):
            by, counts = "team", count("team")
    return by, counts


def refusals(ov: Overview, v: Mapping[str, View]) -> Section:
    ref = v["refusals"]
    body = ""
    if ref.records:
        by, counts = refusal_groups(ref.records)
        rows = [ch.bar(label, float(n), f"{n}", ch.BLUE, note=label) for label, n in counts]
        title = {"reason": tr("Refusals by reason"),
                 "team": tr("Refusals by budget holder (every reason differs: they are in the table below)"),
                 "redacted": tr("Refusals by budget holder (reasons left out)")}[by]
        body += _figure(ch.bars("refusals", title, rows, ticks=lambda x: f"{x:.0f}",
                                whole=True, labels_above=by == "reason"),
                        tr("Refused requests are kept to learn from."))
    body += table(ref, "refusals")
    return Section("weigeringen", tr("Refusals"), body)


def _rules_in_words(column: Column, value: Any) -> str:
    """A cell of the overrides table: the rules by their names, as the chart shows them."""
    if column.key == "rules" and value:
        names = value.split(", ") if isinstance(value, str) else [str(v) for v in value]
        return ", ".join(word(RULE_WORDS, rule) for rule in names)
    return _cell_text(column, value)


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
        rows = [ch.bar(word(RULE_WORDS, k), float(n), str(n)) for k, n in ordered]
        # A rule's name is never cut: a long one goes above its bar.
        long = any(not ch.fits_left(r.label) for r in rows)
        body += _figure(ch.bars("overrides", tr("Spends over a rule of thumb, by rule"), rows,
                                ticks=lambda x: f"{x:.0f}", whole=True, labels_above=long),
                        tr("A rule of thumb forbids nothing: the professional may depart from it with a reason."))
    used = [r for r in cards.records if int(r["used"]) or int(r["beyond"])]
    limits = sorted({int(r["limit"]) for r in cards.records})
    if not counts and not over.records and not used and len(limits) <= 1:
        # Nothing to show: one line rather than an empty table and a chart of empty bars.
        said = tr("No override of a rule of thumb has been recorded.")
        if limits:
            said += " " + tr("No team has used its knipkaart in {year} yet ({n:plural:exception|exceptions} per "
                             "team).", year=ov.year, n=limits[0])
        return Section("vuistregels", tr("Rules of thumb and knipkaart"), _p(said), brief=True)
    body += table(over, "overrides", total=False, show=_rules_in_words)
    body += f"<h3>{escape(tr('Knipkaart'))}</h3>"
    if used:
        # Only the teams that used their card: a bar of nothing says nothing (the table has them all).
        rows = [ch.Bar(str(r["team"]),
                       tr("{used} of {limit}, {beyond} beyond", used=r["used"], limit=r["limit"], beyond=r["beyond"])
                       if r["beyond"] else tr("{count} of {total}", count=r["used"], total=r["limit"]),
                       ((float(min(int(r["used"]), int(r["limit"]))), ch.BLUE), (float(r["beyond"]), ch.RED)))
                for r in used]
        top = max([*(int(r["limit"]) for r in used), *(int(r["used"]) for r in used)])
        caption = tr("Each team may bend a rule of another department a few times a year; use up to the cut-off "
                     "date.")
        if len(used) < len(cards.records):
            caption += " " + tr("Only the teams that used it ({n} of {total}); the table has them all.",
                                n=len(used), total=len(cards.records))
        body += _figure(
            ch.bars("knipkaart", tr("Knipkaart {year}: exceptions used", year=ov.year), rows, maximum=float(top),
                    ticks=lambda x: f"{x:.0f}", whole=True,
                    legend=[(ch.BLUE, tr("used")), (ch.RED, tr("beyond the card"))]), caption)
        body += table(cards, "knipkaart")
    elif cards.records and len(limits) == 1:
        body += _p(tr("No team has used its knipkaart in {year} yet ({n:plural:exception|exceptions} per team).",
                      year=ov.year, n=limits[0]))
    else:
        body += table(cards, "knipkaart")
    return Section("vuistregels", tr("Rules of thumb and knipkaart"), body)


def cash(ov: Overview, v: Mapping[str, View]) -> Section:
    c = v["cash"]
    active = [r for r in c.records if any(Decimal(r[k]) for k in ("withdrawn", "spent_cash", "written_off",
                                                                   "deposited", "cash_on_hand"))]
    body = ""
    if active:
        rows = []
        for r in active:
            rows.append(ch.Bar(tr("{team}: withdrawn", team=r["team"]), eur(r["withdrawn"]),
                               ((_f(r["withdrawn"]), ch.LIGHT_BLUE),)))
            rows.append(ch.Bar(tr("{team}: of which", team=r["team"]),
                               tr("in the cash box {amount}", amount=eur(r["cash_on_hand"])), (
                (_f(r["spent_cash"]), ch.BLUE), (_f(r["written_off"]), ch.AMBER), (_f(r["deposited"]), ch.GREY),
                (_f(r["cash_on_hand"]), ch.GREEN))))
        body += _figure(ch.bars("cash", tr("Cash up to and including {date}", date=date_long(ov.as_of)), rows,
                                ticks=_euro_tick,
                                legend=[(ch.BLUE, tr("spent in cash")), (ch.AMBER, tr("written off")),
                                        (ch.GREY, tr("deposited back")), (ch.GREEN, tr("in the cash box"))]),
                        tr("Cash comes from the bank card in multiples of € 10; what is left is spent, deposited "
                           "back or (when small) written off."))
    else:
        return Section("kas", tr("Cash"), _p(tr("No budget holder has withdrawn any cash.")), brief=True)
    if len(active) < len(c.records):
        # The rows of nothing left out; the total is that of all, the same (it adds zeros).
        body += table(replace(c, records=active), "cash")
        body += _p(tr("Not in the table: {n:plural:other budget holder|other budget holders}, without cash.",
                      n=len(c.records) - len(active)))
    else:
        body += table(c, "cash")
    return Section("kas", tr("Cash"), body)


#: At most this many bars in the lead-time chart (it must fit one A4 page).
LEAD_BARS = 30


def leadtime(ov: Overview, v: Mapping[str, View]) -> Section:
    view = v.get("leadtime")
    title = tr("From request to payment")
    if view is None:
        return Section("doorlooptijd", title, _p(tr(
            "This ledger does not keep the date of the request yet; once it does, this shows how quickly a request "
            "is paid (the median, 90% within, and how many within a day).")), brief=True)
    body = ""
    measured = [r for r in view.records if r.get("count")]
    if measured:
        # One bar per team (all methods) when there are several, per method for one team: a bar
        # per team and method would not fit a page for a city with forty teams.
        several = len({r["team"] for r in measured}) > 1
        picked = [r for r in measured if (r["method"] == ALL_METHODS) == several]
        caption = tr("Zaanstad promises help within 24 hours; this shows how often that works out.")
        missing = int(ov.leadtime.attrs["not_recorded"])
        if missing:
            caption += " " + tr("{n:plural:spend|spends} without a request date: counted apart, not in the days.",
                                n=missing)
        if len(picked) > LEAD_BARS:
            picked = sorted(picked, key=lambda r: -_f(r["p90_days"]))[:LEAD_BARS]
            caption += " " + tr("The {n} slowest teams; the table below has them all.", n=LEAD_BARS)
        rows = [ch.Bar(r["team"] if several else f"{r['team']}, {r['method']}",
                       tr("median {median}, 90% {p90} days", median=text_human(r["median_days"], "number"),
                          p90=text_human(r["p90_days"], "number")),
                       ((_f(r["median_days"]), ch.BLUE),
                        (max(_f(r["p90_days"]) - _f(r["median_days"]), 0), ch.LIGHT_BLUE)))
                for r in picked]
        body += _figure(ch.bars("leadtime", tr("Days from request to payment"), rows, ticks=lambda x: f"{x:.0f}",
                                legend=[(ch.BLUE, tr("median")), (ch.LIGHT_BLUE, tr("until 90% paid"))]), caption)
    body += table(view, "leadtime", total=False)
    return Section("doorlooptijd", title, body)


def stories(ov: Overview, v: Mapping[str, View], *, redacted: bool) -> Section:
    s = v["stories"]
    intro = tr("The spends of {amount} and more in {year}, with the story behind them, to learn from. Household "
               "codes are never in it.", amount=eur(ov.story_min), year=ov.year)
    if redacted:
        intro += " " + tr("The stories themselves are left out (--redact): only amounts, kind and outcome.")
    cards = []
    for r in s.records:
        head = (f"{eur(r['amount'])} · {r['team']} · {text_human(r['date'], 'date')} · {r['category']} · "
                f"{word(KIND_WORDS, r['kind'])}")
        lines = [f'<h4>{escape(head)}</h4>']
        if "note" in r:
            lines.append(_p(str(r["note"])) if r["note"] else
                         f'<p class="muted">{escape(tr("No story recorded."))}</p>')
        else:
            lines.append(f'<p class="muted">{escape(tr("Story left out."))}</p>')
        facts = []
        if r.get("tegenprestatie"):
            state = str(r.get("tegenprestatie_status") or "")
            facts.append(tr("Tegenprestatie: {what} ({status})", what=r["tegenprestatie"],
                            status=word(TEGENPRESTATIE_WORDS, state)) if state else
                         tr("Tegenprestatie: {what}", what=r["tegenprestatie"]))
        if r.get("outcome"):
            outcome = word(OUTCOME_WORDS, r["outcome"])
            facts.append(tr("Outcome: {outcome}; avoided cost {amount}", outcome=outcome, amount=eur(r["avoided_cost"]))
                         if r.get("avoided_cost") is not None else tr("Outcome: {outcome}", outcome=outcome))
        if r.get("kind") in ("loan", "conditional"):
            facts.append(tr("Repaid {repaid}, still open {outstanding}", repaid=eur(r["repaid"]),
                            outstanding=eur(r["outstanding"])))
        if facts:
            lines.append("<ul>" + "".join(f"<li>{escape(f)}</li>" for f in facts) + "</ul>")
        lines.append(f'<p class="muted">{escape(str(r["id"]))}</p>')
        cards.append(f'<article class="story" data-id="{escape(str(r["id"]))}">{"".join(lines)}</article>')
    body = _p(intro) + ("".join(cards) if cards else _p(tr("No spends above that threshold.")))
    return Section("verhalen", tr("Stories"), body)


#: What the report says of a column where the views' meaning names the values the data keeps
#: (``under``, ``loan``): in the words the report shows instead.
REPORT_MEANINGS = {
    "status": N_("over budget: spent or at this pace above the budget; behind: spent less than half the pace; "
                 "otherwise on track"),
    "kind": N_("loan, conditional (to be repaid when the condition is not met) or gift"),
}


def notes(ov: Overview, v: Mapping[str, View]) -> Section:
    seen: dict[str, str] = {}
    for view in v.values():
        for c in view.shown:
            said = REPORT_MEANINGS.get(c.key) or c.meaning
            meaning = tr(said) if said else ""
            header = tr(c.header)
            if meaning and header not in seen:
                seen[header] = meaning
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(m)}</dd>" for k, m in sorted(seen.items()))
    body = (_p(tr("All figures count from 1 January {year} up to and including {date}. A spend counts on its own "
                  "date and not when it has been voided; cash written off counts as spent. Repayments count on the "
                  "day they came in. Loans count from every year, as long as they are open. The tables are the same "
                  "as those of maatwerk utilisation, compare, categories, loans and outcomes with the same cut-off "
                  "date.", year=ov.year, date=date_long(ov.as_of)))
            + f"<dl>{items}</dl>")
    return Section("toelichting", tr("Notes"), body)


# ---------------------------------------------------------------------------- the page


CSS = """
:root { --ink: #1f1f1f; --muted: #666; --line: #d9d9d9; --green: #2e7d32; --amber: #a86400; --red: #c62828; }
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
p.others { font-size: 12px; }
.name { white-space: nowrap; }
section.brief { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 12px; margin-top: 20px; }
section.brief h2 { border: 0; padding: 0; margin: 0; font-size: 16px; }
section.brief p { margin: 0; color: var(--muted); }
ul.sentences li.under::marker { color: var(--amber); }
ul.sentences li.over::marker { color: var(--red); }
table.figures { border-collapse: collapse; width: 100%; font-size: 12px; margin: 8px 0 16px;
                font-variant-numeric: tabular-nums; }
table.figures caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
table.figures th, table.figures td { padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.figures th { text-align: left; border-bottom: 2px solid var(--ink); font-weight: 600; }
table.figures .num, table.figures .nowrap { white-space: nowrap; }
table.figures .num { text-align: right; }
table.figures th.num { white-space: normal; }  /* a long title wraps between its words */
table.figures tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
table.matrix { font-size: 10.5px; }
table.matrix th, table.matrix td { padding: 2px 4px; }
p.empty, .muted { color: var(--muted); }
ol.cut { font-size: 12px; margin: -8px 0 16px; padding-left: 24px; }
table.figures sup { font-size: 9px; line-height: 0; }
table.figures sup a { color: inherit; }
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
  section { margin-top: 18pt; }
  section.brief { margin-top: 10pt; }
  h2, h3, h4, caption { break-after: avoid; }
  figure, svg.chart, .tiles, article.story, tr, li, p.others { break-inside: avoid; }
  thead { display: table-header-group; }
  table.figures { font-size: 8.5pt; }
  table.figures th, table.figures td { padding: 2px 4px; }
  table.matrix, table.figures.dense { font-size: 7pt; }
  table.matrix th, table.matrix td { padding: 2px 3px; }
  .multiples { grid-template-columns: repeat(3, 1fr); }
  .multiples.many { grid-template-columns: repeat(4, 1fr); gap: 2px 12px; }
  .multiples.many figure.multiple figcaption { font-size: 8pt; }
  dl { grid-template-columns: max-content 1fr max-content 1fr; font-size: 8pt; }
  footer { display: none; }
}
"""


BRIEF = ' class="brief"'


def page(ov: Overview, views: Mapping[str, View], *, redacted: bool = False) -> str:
    """The whole report as one HTML document."""
    sections = [summary(ov, views), utilisation(ov, views), months(ov, views), compare(ov, views),
                categories(ov, views), loans(ov, views), outcomes(ov, views), refusals(ov, views),
                rules(ov, views), cash(ov, views), leadtime(ov, views), stories(ov, views, redacted=redacted),
                notes(ov, views)]
    where = ov.municipality or tr("the maatwerk budget")
    when = (tr("Monthly report {month}", month=month_year(ov.month)) if ov.month
            else tr("Report up to and including {date}", date=date_long(ov.as_of)))
    title = tr("Maatwerk budget {where} – {when}", where=where, when=when)
    nav = "".join(f'<li><a href="#{s.key}">{escape(s.title)}</a></li>' for s in sections)
    body = "".join(
        f'<section id="{s.key}" data-section="{s.key}"{BRIEF if s.brief else ""}>'
        f"<h2>{n}. {escape(s.title)}</h2>{s.body}</section>"
        for n, s in enumerate(sections, start=1))
    sub = tr("{report}, cut-off date {date}", report=when, date=date_long(ov.as_of)) if ov.month else when
    if redacted:
        sub = tr("{report}; without stories, reasons and names (--redact)", report=sub)
    heading = tr("Maatwerk budget {where}", where=where)
    made = tr("Made with maatwerk report from the ledger's journals.")
    return ("<!DOCTYPE html>\n"
            f'<html lang="{escape(language())}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f'<header class="top"><h1>{escape(heading)}</h1><p>{escape(sub)}</p>'
            f"<nav><ol>{nav}</ol></nav></header>{body}"
            f"<footer>{escape(made)}</footer></body></html>\n")
