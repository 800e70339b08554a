"""Workbooks a coordinator can send on unedited (openpyxl, imported only here).

openpyxl rather than XlsxWriter: it is already a dependency (``import entries`` reads
workbooks with it), it writes true number and date cells with number formats, and the
tests read every workbook back with the same library.

Each workbook starts with a cover sheet (what the report is, for which municipality and
period, as of when, what every column means, when it was made), then one sheet per
report: Dutch column titles (as in the tables), a bold header that stays in view with a
filter on it, money as euro amounts, fractions as percentages, dates as dates, columns
as wide as their content, and the totals row set apart. A sheet with teams as columns
keeps each row's number format. Text that a spreadsheet would run as a formula is written
as text: one pass over every cell of every sheet, the cover included, just before saving
(:func:`_text_only`), so that no part of a workbook can forget it.

Every sheet prints (:func:`print_setup`): A4, landscape when its columns are wider than a
portrait page, scaled to one page wide with the column titles repeated on every page, and a
header and footer naming the municipality, the report, the cut-off date, the tab and "page 2
of 5"; the cover fits one page.

The workbook speaks the run's language: tab names, titles, notes and the cover are
translated while it is written (:func:`~maatwerk_cli.core.messages.tr`), Dutch by default.
In English a tab keeps the name scripts know it by (``utilisation``, ``loans``); numbers and
dates are cells, shown in the reader's own locale.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.messages import LANGUAGES, N_, Said, catalogue, language, tr
from ..core.names import neutralise_cell
from .columns import TOTAL, Column, Record, text_human, word

#: Number formats per column kind (Excel and LibreOffice show them in the reader's locale).
FORMATS = {
    "money": '"€" #,##0.00;[Red]-"€" #,##0.00',
    "fraction": "0.0%",
    "date": "DD-MM-YYYY",
    "int": "#,##0",
    "number": "#,##0.00",
    "year": "0",
}
MAX_WIDTH = 60

#: Each tab's name (the view's ``sheet``, also its key in JSON) as people read it. The key
#: says what it is, since a word alone (``cash``: a kind of payment, or the cash box) may be
#: translated otherwise elsewhere; a tab without a translation keeps its own (English) name.
TAB_NAMES = {
    "utilisation": N_("worksheet tab: utilisation"), "compare": N_("worksheet tab: compare"),
    "categories": N_("worksheet tab: categories"), "loans": N_("worksheet tab: loans"),
    "outcomes": N_("worksheet tab: outcomes"), "refusals": N_("worksheet tab: refusals"),
    "overrides": N_("worksheet tab: overrides"), "knipkaart": N_("worksheet tab: knipkaart"),
    "knipkaart uses": N_("worksheet tab: knipkaart uses"), "cash": N_("worksheet tab: cash"),
    "leadtime": N_("worksheet tab: leadtime"), "teams": N_("worksheet tab: teams"),
    "receipts": N_("worksheet tab: receipts"), "anonymised": N_("worksheet tab: anonymised"),
    "corrected": N_("worksheet tab: corrected"),
    "entries": N_("worksheet tab: entries"), "entry": N_("worksheet tab: entry"), "lines": N_("worksheet tab: lines"),
    "bank": N_("worksheet tab: bank"), "reconcile": N_("worksheet tab: reconcile"),
    "imports": N_("worksheet tab: imports"),
    "rules": N_("worksheet tab: rules"), "problems": N_("worksheet tab: problems"),
    "households": N_("worksheet tab: households"), "import": N_("worksheet tab: import"),
    "skipped": N_("worksheet tab: skipped"), "statement": N_("worksheet tab: statement"),
    "summary": N_("worksheet tab: summary"), "months": N_("worksheet tab: months"),
    "stories": N_("worksheet tab: stories"), "maatwerk": N_("worksheet tab: maatwerk"),
}


#: The values the data keeps in English (``under``, ``loan``), by column, as people read them
#: in another language; in English a cell holds the value itself, as the JSON does.
CELL_WORDS = {
    "status": {"under": N_("behind"), "over": N_("over budget"), "on-track": N_("on track")},
    "kind": {"loan": N_("loan"), "conditional": N_("conditional"), "gift": N_("gift"), "fund": N_("fund")},
    "tegenprestatie_status": {"proposed": N_("proposed"), "agreed": N_("agreed"), "done": N_("done"),
                              "not-possible": N_("not possible")},
    "outcome": {"reached": N_("reached"), "partial": N_("partly reached"), "not-reached": N_("not reached")},
}
#: What a column of such values holds, in those words (the views' own meanings name the values).
CELL_MEANINGS = {
    "status": N_("over budget: spent or at this pace above the budget; behind: spent less than half the pace; "
                 "otherwise on track"),
    "kind": N_("kind: team or fund (budget holder); gift, loan or conditional (to be repaid when the condition "
               "is not met)"),
}


def _translated(key: str, otherwise: str) -> str:
    """``key`` in the run's language; ``otherwise`` where it has no translation (English)."""
    lang = language()
    return (catalogue(lang).get(key) if lang != LANGUAGES[0] else None) or otherwise


def tab_name(sheet: str) -> str:
    """The tab of a view's ``sheet`` in the run's language (its own name in English)."""
    key = TAB_NAMES.get(sheet)
    return sheet if key is None else _translated(key, sheet)


def cell_word(column: str, value: Any) -> Any:
    """A cell's value as people read it: a status or kind in the run's language's words; any
    other fixed value (a reconcile problem, the totals label) as the tables show it."""
    if isinstance(value, Said):  # a text the library made for scripts and people alike
        return value.said()
    words = CELL_WORDS.get(column)
    if words is None or not isinstance(value, str) or value not in words:
        return word(column, value)
    return _translated(words[value], value)


@dataclass(frozen=True, slots=True)
class Sheet:
    """One report as a worksheet.

    name: the tab's name; title: the report's title, above the table.
    columns: the columns, in order (their titles are the headers).
    records: the rows; total: the totals row (set apart), or None.
    row_kinds: for a sheet with teams as columns, the kind of each row's values (then the
      first column holds the figures' names and the format goes per row).
    notes: the lines under the table (why totals differ, the pace, ...), as plain text.
    empty: what the sheet says when it has no rows.
    """

    name: str
    title: str
    columns: Sequence[Column]
    records: Sequence[Record]
    total: Record | None = None
    row_kinds: Sequence[str] = field(default_factory=tuple)
    notes: Sequence[str] = field(default_factory=tuple)
    empty: str = ""


@dataclass(frozen=True, slots=True)
class Cover:
    """The workbook's first sheet: what it is.

    municipality, report, period, as_of: as the title says; definitions: (column, meaning).
    """

    municipality: str
    report: str
    period: str
    as_of: dt.date | None
    definitions: Sequence[tuple[str, str]] = ()


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, Decimal):
        return float(value)  # Excel holds numbers as doubles; two decimals survive exactly enough
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


_BAD_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def sheet_name(name: str, taken: set[str]) -> str:
    base = _BAD_NAME.sub(" ", name).strip()[:31] or "blad"
    out, n = base, 1
    while out.lower() in taken:
        n += 1
        out = f"{base[:28]} {n}"
    taken.add(out.lower())
    return out


def write_workbook(path: Path, sheets: Sequence[Sheet], cover: Cover | None = None) -> None:
    """The workbook at ``path`` (atomically: a temporary file, then renamed)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    taken: set[str] = set()
    first = wb.active
    assert first is not None
    names = [sheet_name(tab_name(sheet.name), taken) for sheet in sheets]
    if cover is not None:
        first.title = sheet_name(tr("About this report"), taken)
        keys = {c.header: c.key for sheet in sheets for c in sheet.columns}
        _cover(first, cover, names, keys)
        print_setup(first, landscape=False, one_page=True)
        _header_footer(first, cover, tr(cover.report))
    else:
        wb.remove(first)
    bold = Font(bold=True)
    top = Border(top=Side(style="thin"))
    for sheet, name in zip(sheets, names, strict=True):
        ws = wb.create_sheet(name)
        ws.append([_cell(tr(sheet.title))])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([])
        header_row = 3
        ws.append([_cell(c.header.strip() or None) for c in sheet.columns])  # in the run's language already
        for cell in ws[header_row]:
            cell.font = bold
            cell.alignment = Alignment(vertical="top")
        rows = [*sheet.records, *([sheet.total] if sheet.total is not None and sheet.records else [])]
        widths = [len(c.header.strip()) for c in sheet.columns]
        # Teams as columns: a totals column (the last, titled as the totals row) is set apart.
        total_column = len(sheet.columns) if sheet.row_kinds and sheet.columns[-1].key == TOTAL else 0
        for n, record in enumerate(rows):
            values = [_cell(cell_word(c.key, record.get(c.key))) for c in sheet.columns]
            ws.append(values)
            r = ws.max_row
            kind_of_row = sheet.row_kinds[n] if n < len(sheet.row_kinds) else None
            for idx, c in enumerate(sheet.columns):
                cell = ws.cell(row=r, column=idx + 1)
                kind = c.kind if kind_of_row is None or idx == 0 else kind_of_row
                if not isinstance(cell.value, str) and kind in FORMATS and cell.value is not None:
                    cell.number_format = FORMATS[kind]
                shown = text_human(cell_word(c.key, record.get(c.key)), kind)
                widths[idx] = max(widths[idx], len(shown))
            if sheet.total is not None and n == len(rows) - 1 and sheet.records:
                for cell in ws[r]:
                    cell.font = bold
                    cell.border = top
            if total_column:
                ws.cell(row=r, column=total_column).font = bold
        for idx, w in enumerate(widths):
            ws.column_dimensions[get_column_letter(idx + 1)].width = min(MAX_WIDTH, w + 3)
        last = get_column_letter(len(sheet.columns))
        end = header_row + len(sheet.records)
        # Under the table, out of the filter's range: the sheet says what the table does.
        lines = [tr(line) for line in (*([sheet.empty] if not sheet.records and sheet.empty else []), *sheet.notes)]
        if lines:
            ws.append([])
            for line in lines:
                ws.append([_cell(line)])
                ws.cell(row=ws.max_row, column=1).font = Font(italic=True)
        ws.auto_filter.ref = f"A{header_row}:{last}{max(end, header_row)}"
        ws.freeze_panes = f"B{header_row + 1}" if sheet.row_kinds else f"A{header_row + 1}"
        width = sum(min(MAX_WIDTH, w + 3) for w in widths)
        print_setup(ws, landscape=width > PORTRAIT_WIDTH, title_rows=f"{header_row}:{header_row}")
        _header_footer(ws, cover, tr(sheet.title))
    if cover is not None and sheets:
        # The cover is the first tab; the workbook opens on the (first) report.
        first.sheet_view.tabSelected = False
        wb.active = 1
    _text_only(wb)
    from ..store.atomic import write_via

    write_via(path, wb.save)


#: Column widths (in Excel's units, about a character) that fit A4 portrait at 100%; a wider
#: sheet prints landscape. Either way it is scaled to one page wide.
PORTRAIT_WIDTH = 95
#: Excel keeps a printed header or footer to 255 characters, its codes included.
HEADER_MOST = 250


def print_setup(ws: Any, *, landscape: bool, title_rows: str | None = None, one_page: bool = False) -> None:
    """How ``ws`` prints: A4, landscape when wide, always one page wide (as many pages down
    as it takes, or exactly one with ``one_page``), ``title_rows`` repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages down as needed
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = False


def _code_safe(text: str) -> str:
    """Text for a printed header: a ``&`` of its own doubled (a single one starts a code)."""
    return text.replace("&", "&&")


def _header_footer(ws: Any, cover: Cover | None, title: str) -> None:
    """On every printed page: the municipality, the report and its cut-off date at the top;
    the tab's name and "page 2 of 5" at the bottom, in the run's language."""
    municipality = cover.municipality if cover is not None else ""
    day = cover.as_of if cover is not None else None
    cut_off = tr("cut-off date {day:date}", day=day) if day is not None else ""
    left, right = _code_safe(municipality)[:60], _code_safe(cut_off)[:60]
    centre = _code_safe(title)[: HEADER_MOST - len(left) - len(right) - 20]
    for header in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        header.left.text, header.center.text, header.right.text = left, centre, right
        header.left.size = header.center.size = header.right.size = 9
    pages = tr("page {page} of {pages}", page="&P", pages="&N")
    for footer in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        footer.left.text, footer.right.text = "&A", pages
        footer.left.size = footer.right.size = 9


def _text_only(wb: Any) -> None:
    """Every text cell as text, never a formula: a leading ``'`` before ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return (as in CSV exports). openpyxl makes any string that
    starts with ``=`` a formula cell; a team called ``=HYPERLINK(...)`` once was one, in
    the one place (a cover's title) that had not escaped it."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = neutralise_cell(cell.value)  # openpyxl re-reads the type
                    cell.data_type = "s"


def _cover(ws: Any, cover: Cover, tabs: Sequence[str], keys: dict[str, str]) -> None:
    """The cover; ``keys``: the key of the column of each title (to say what a column of
    translated values holds in the words its cells show)."""
    from openpyxl.styles import Alignment, Font

    report = tr(cover.report)
    ws.append([report])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    made = dt.datetime.now().astimezone().strftime("%d-%m-%Y %H:%M")
    unknown = tr("unknown")
    facts = [
        (tr("Municipality"), cover.municipality or unknown),
        (tr("Report"), report),
        (tr("Period"), tr(cover.period)),
        (tr("As of"), cover.as_of.strftime("%d-%m-%Y") if cover.as_of else unknown),
        (tr("Sheets"), ", ".join(tabs)),
        (tr("Made"), tr("{when} with maatwerk", when=made)),
    ]
    for label, value in facts:
        ws.append([label, _cell(value)])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    if cover.definitions:
        ws.append([])
        ws.append([tr("Column"), tr("Meaning")])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for name, meaning in cover.definitions:
            key = keys.get(name, "")
            said = _translated(CELL_MEANINGS[key], meaning) if key in CELL_MEANINGS else tr(meaning) if meaning else ""
            ws.append([_cell(name), _cell(said)])  # a column's title, in the run's language already
            ws.cell(row=ws.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90
