"""Every workbook read back: what a coordinator sends on unedited.

For every report and listing that ``-o x.xlsx`` writes (on the demo ledger and the
Rotterdam and Zaanstad examples) and for the monthly pack, the workbook is read back with
openpyxl and held to the promise of issue 11: a cover sheet first (municipality, report,
period, as-of date, every column defined, when it was made); per sheet a bold header row
that stays in view with a filter over the table, columns as wide as their widest cell as
its number format shows it, money as true numbers in euro format, shares as percentages,
dates as dates, the same Dutch column titles as the terminal table, the totals row bold,
and every figure equal to the command's ``--format json`` to the cent. Where LibreOffice
is installed, each workbook is also converted headless to PDF and CSV: no cell may show
``###`` and the amounts of the JSON must come through as LibreOffice shows them.

The checks here are written out on their own (the test's own kinds of columns, its own
reading of number formats); they do not reuse the renderer's helpers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import pytest

import reference
from conftest import ROOT, Result, assert_refused, snapshot

DEMO = ROOT / "ledgers"
ROTTERDAM = ROOT / "examples" / "rotterdam-2015"
ZAANSTAD = ROOT / "examples" / "zaanstad-2015"
CENT = Decimal("0.01")
#: A text cell may overflow no wider than this; numbers and dates must always fit.
TEXT_CAP = 60

# The contract, written out here: which JSON keys hold which kind of value.
MONEY = {"budget", "spent", "repaid", "net", "projected", "month_spent", "cash_on_hand", "average", "median",
         "max", "loans_outstanding", "amount", "outstanding", "recovered", "avoided_cost", "withdrawn",
         "spent_cash", "written_off", "deposited", "expected_spend", "base", "changes", "loans_only_outstanding",
         "conditional_outstanding"}
FRACTION = {"utilisation", "expected", "pace", "tegenprestatie_share", "share_count", "share_amount"}
DATES = {"date", "due", "requested", "start", "end"}
INTS = {"count", "refusals", "reached", "partial", "not_reached", "cases", "evaluated", "costed", "cheaper",
        "teams", "used", "limit", "remaining", "beyond", "days_overdue", "without_request_date"}
YEARS = {"year"}
BOOLS = {"voided", "personal_data_allowed"}
#: JSON keys that are English words: never a workbook's column title (team, budget, status,
#: id, teams and tegenprestatie read the same in Dutch).
ENGLISH = (MONEY | FRACTION | DATES | INTS | YEARS | BOOLS | {
    "field", "kind", "name", "category", "method", "household", "note", "reason", "by", "rules", "rule",
    "value", "meaning", "source", "municipality", "root", "top_category", "condition", "outcome",
    "second_opinion", "void_reason", "recovered_from", "override_reason", "tegenprestatie_status",
}) - {"budget", "teams"}


@dataclass(frozen=True)
class Case:
    """One workbook: the command, where its ledger is, what its cover must say."""

    ledger: Path | None
    command: tuple[str, ...]
    as_of: str | None = None  # the cover's as-of date (dd-mm-yyyy); None: the day it was made
    table_extra: tuple[str, ...] = ()  # more options for the terminal table of the same figures
    transposed: bool = False
    json_key: str = ""  # the list in a JSON object of several lists

    def args(self) -> list[str]:
        return [*(["--ledgers", str(self.ledger)] if self.ledger else []), *self.command]


def _report_cases(name: str, root: Path, year: str, as_of: str) -> dict[str, Case]:
    y, a = ("--year", year), ("--as-of", as_of)
    return {
        f"{name}-utilisation": Case(root, ("utilisation", *y, *a), as_of),
        f"{name}-compare": Case(root, ("compare", *y, *a), as_of),
        f"{name}-compare-transpose": Case(root, ("compare", *y, *a, "--transpose"), as_of, transposed=True),
        f"{name}-categories": Case(root, ("categories", *y, *a), as_of),
        f"{name}-loans": Case(root, ("loans", *a), as_of),
        f"{name}-outcomes": Case(root, ("outcomes", *y, *a), as_of),
        f"{name}-entries": Case(root, ("entries",)),
        f"{name}-cash": Case(root, ("cash", "status", *a), as_of),
        f"{name}-knipkaart": Case(root, ("knipkaart", "status", *y)),
        f"{name}-teams": Case(root, ("team", "list", *y)),
    }


SUMMARY_ROOTS = (str(DEMO), str(ROTTERDAM), str(ZAANSTAD))
CASES: dict[str, Case] = {
    **_report_cases("demo", DEMO, "2026", "31-10-2026"),
    "demo-utilisation-month": Case(DEMO, ("utilisation", "--month", "2026-10"), "31-10-2026"),
    "demo-loans-overdue": Case(DEMO, ("loans", "--overdue", "--as-of", "31-10-2026"), "31-10-2026"),
    "demo-rules-overrides": Case(DEMO, ("rules", "--year", "2026"), json_key="overrides"),
    **_report_cases("rotterdam", ROTTERDAM, "2015", "30-11-2015"),
    **_report_cases("zaanstad", ZAANSTAD, "2015", "31-12-2015"),
    "summary": Case(None, ("summary", *SUMMARY_ROOTS), table_extra=("--no-transpose",)),
    "summary-by-team": Case(None, ("summary", *SUMMARY_ROOTS, "--by", "team")),
    "summary-transpose": Case(None, ("summary", *SUMMARY_ROOTS, "--transpose"), transposed=True),
    "summary-2015": Case(None, ("summary", str(ROTTERDAM), str(ZAANSTAD), "--year", "2015", "--as-of",
                                "31-12-2015"), "31-12-2015", table_extra=("--no-transpose",)),
}

PACK_SHEETS = ["About this report", "utilisation", "compare", "categories", "loans", "outcomes", "refusals",
               "overrides", "knipkaart", "cash"]


def pack_tabs(*more: str) -> list[str]:
    """The pack's tabs as the product names them in the language the test runs it in (the
    Dutch and English names themselves are checked in test_language_report.py)."""
    import os

    from maatwerk_cli.core.messages import at_edge, plain_option, tr
    from maatwerk_cli.render.xlsx import tab_name

    with at_edge(os.environ.get("MAATWERK_LANG", "nl"), plain_option):
        return [tr(PACK_SHEETS[0]), *(tab_name(s) for s in [*PACK_SHEETS[1:], *more])]


# ---------------------------------------------------------------------------- reading back


def _json(cli: Callable[..., Result], args: Sequence[str]) -> Any:
    got = cli(*args, "--format", "json")
    assert got.code == 0, (args, got.err)
    return json.loads(got.out, parse_float=Decimal)


def _table(cli: Callable[..., Result], args: Sequence[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "2000")  # everything fits: no column is left out
    got = cli(*args)
    monkeypatch.delenv("COLUMNS")
    assert got.code == 0, (args, got.err)
    return got.out


@dataclass
class Shown:
    """A terminal table: its column titles, its rows' cells, its totals row's cells."""

    headers: list[str]
    rows: list[list[str]]
    total: list[str] | None


def _cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def shown_table(text: str, title: str) -> Shown:
    """The table under ``title`` in a command's terminal output."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == title)
    rule = next(i for i in range(at, len(lines)) if "──" in lines[i])
    header = lines[rule - 1]
    rows: list[list[str]] = []
    total = None
    i = rule + 1
    while i < len(lines) and lines[i].strip():
        rows.append(_cells(lines[i]))
        i += 1
    if i + 1 < len(lines) and lines[i + 1].strip().startswith("totaal"):
        total = _cells(lines[i + 1])
    return Shown(_cells(header), rows, total)


def _group(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    return ".".join([digits, *out])


def dutch(value: Any, kind: str) -> str:
    """A value as the terminal table writes it (the test's own formatting)."""
    if kind == "money":
        d = Decimal(str(value)).quantize(CENT)
        whole, frac = f"{abs(d)}".split(".")
        return f"{'-' if d < 0 else ''}€ {_group(whole)},{frac}"
    if kind == "fraction":
        return f"{Decimal(str(value)) * 100:.1f}%".replace(".", ",")
    if kind == "int":
        return ("-" if value < 0 else "") + _group(str(abs(int(value))))
    return str(value)


def displayed(value: Any, number_format: str) -> str:
    """What a spreadsheet shows for a cell under its number format, as wide as it is shown
    (thousands grouped, the decimals of the format, the euro sign; dates day-month-year)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ONWAAR"  # FALSE/TRUE, WAAR/ONWAAR: the longest of them
    if isinstance(value, (dt.date, dt.datetime)):
        assert "yyyy" in number_format.lower(), number_format
        return value.strftime("%d-%m-%Y")
    if isinstance(value, (int, float, Decimal)):
        fmt = number_format.split(";")[0]
        if fmt == "General":
            return repr(value) if isinstance(value, float) else str(value)
        decimals = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
        number = Decimal(str(value)) * (100 if fmt.endswith("%") else 1)
        number = number.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN)
        whole, _, frac = f"{abs(number)}".partition(".")
        body = _group(whole) if "," in fmt else whole
        text = body + (f",{frac}" if frac else "")
        if "€" in fmt:
            text = "€ " + text
        if fmt.endswith("%"):
            text += "%"
        return ("-" if number < 0 else "") + text
    return str(value)


def widths_of(ws: Any) -> dict[int, float]:
    from openpyxl.utils import column_index_from_string

    out: dict[int, float] = {}
    for letter, dim in ws.column_dimensions.items():
        if dim.width and dim.customWidth:
            first = column_index_from_string(letter)
            for n in range(dim.min or first, (dim.max or first) + 1):
                out[n] = dim.width
    return out


def kind_of(key: str) -> str:
    for kind, keys in (("money", MONEY), ("fraction", FRACTION), ("date", DATES), ("int", INTS),
                       ("year", YEARS), ("bool", BOOLS)):
        if key in keys:
            return kind
    return "text"


def check_cell(cell: Any, expected: Any, kind: str, where: str) -> None:
    """One cell against its JSON value: the right type, number format and value."""
    value, fmt = cell.value, cell.number_format
    if expected is None or (expected == "" and kind == "text"):
        assert value in (None, ""), (where, value, expected)
        return
    if kind == "money":
        assert isinstance(value, (int, float, Decimal)) and not isinstance(value, bool), (where, value)
        assert "€" in fmt and "0.00" in fmt, (where, fmt)
        assert Decimal(str(value)).quantize(CENT) == Decimal(str(expected)).quantize(CENT), (where, value, expected)
    elif kind == "fraction":
        assert isinstance(value, (int, float, Decimal)) and not isinstance(value, bool), (where, value)
        assert fmt.endswith("%"), (where, fmt)
        assert round(float(value), 4) == round(float(expected), 4), (where, value, expected)
    elif kind == "date":
        assert isinstance(value, (dt.date, dt.datetime)), (where, value)
        assert "dd" in fmt.lower() and "yyyy" in fmt.lower(), (where, fmt)
        day = value.date() if isinstance(value, dt.datetime) else value
        assert day == dt.date.fromisoformat(expected), (where, value, expected)
    elif kind in ("int", "year"):
        assert isinstance(value, int) and not isinstance(value, bool), (where, value)
        assert value == expected, (where, value, expected)
        assert fmt == ("0" if kind == "year" else "#,##0"), (where, fmt)
    elif kind == "bool":
        assert value is expected, (where, value, expected)
    else:
        text = ", ".join(expected) if isinstance(expected, list) else str(expected)
        # A status or kind is a word in the workbook's language, a fixed value in JSON.
        key = where.split("!")[-1].split("[")[0]
        assert str(value) in (text, people_word(key, text)), (where, value, expected)


def people_word(key: str, value: str) -> str:
    """A JSON value as the workbook shows it to people, in the language the tests run it in."""
    import os

    from maatwerk_cli.core.messages import at_edge, plain_option
    from maatwerk_cli.render.xlsx import cell_word

    with at_edge(os.environ.get("MAATWERK_LANG", "nl"), plain_option):
        return str(cell_word(key, value))


def check_layout(ws: Any, n_records: int, has_total: bool, *, transposed: bool) -> None:
    """Header bold and frozen, the filter over the table, the totals row (or column) bold,
    every column wide enough for every cell as it is shown."""
    from openpyxl.utils import get_column_letter

    name = ws.title
    assert ws["A1"].value and ws["A1"].font.b, (name, "a bold title in A1")
    last = ws.max_column
    header = [ws.cell(row=3, column=n) for n in range(1, last + 1)]
    for cell in header:
        if cell.value not in (None, ""):
            assert cell.font.b, (name, cell.coordinate, "header not bold")
    assert ws.freeze_panes == ("B4" if transposed else "A4"), (name, ws.freeze_panes)
    end = 3 + max(n_records, 0)
    assert ws.auto_filter.ref == f"A3:{get_column_letter(last)}{end}", (name, ws.auto_filter.ref)
    table_end = end + (1 if has_total and not transposed else 0)
    assert ws.max_row >= table_end, (name, ws.max_row, end)
    if ws.max_row > table_end:  # the lines under the table: a blank row, then italic text in A only
        assert all(c.value is None for c in ws[table_end + 1]), (name, "no blank row before the notes")
        for r in range(table_end + 2, ws.max_row + 1):
            note = ws.cell(row=r, column=1)
            assert isinstance(note.value, str) and note.value and note.font.i, (name, note.coordinate)
            assert all(ws.cell(row=r, column=n).value is None for n in range(2, last + 1)), (name, r)
            assert "[" not in note.value or "[/" not in note.value, (name, "rich markup in a note")
    for r in range(4, end + 1):  # no data row is dressed as the total
        assert not ws.cell(row=r, column=1).font.b, (name, r)
    if has_total and not transposed:
        row = [ws.cell(row=end + 1, column=n) for n in range(1, last + 1)]
        assert row[0].value == "totaal", (name, row[0].value)
        assert all(c.font.b for c in row), (name, "totals row not bold")
    if has_total and transposed:
        assert ws.cell(row=3, column=last).value == "totaal", name
        assert all(ws.cell(row=r, column=last).font.b for r in range(3, end + 1)), (name, "totals column not bold")
    widths = widths_of(ws)
    for n in range(1, last + 1):
        assert n in widths, (name, get_column_letter(n), "no width set")
        for r in range(3, table_end + 1):
            cell = ws.cell(row=r, column=n)
            text = displayed(cell.value, cell.number_format)
            need = min(len(text), TEXT_CAP) if isinstance(cell.value, str) else len(text)
            assert widths[n] >= need, (name, cell.coordinate, text, widths[n])


def check_titles(headers: Sequence[str], table: Shown | None, name: str, *, transposed: bool,
                 row_labels: Sequence[str] = ()) -> None:
    """Dutch column titles, the same as the terminal table's (a table may show fewer)."""
    for title in [*headers, *row_labels]:
        if title in (None, ""):
            continue
        assert "_" not in title and title not in ENGLISH, (name, title, "not a Dutch title")
    if table is None:
        return
    if transposed:
        shown = [row[0].removesuffix(" €") for row in table.rows]
        assert list(row_labels)[: len(shown)] == shown, (name, row_labels, shown)
        assert [h for h in headers if h] == table.headers, (name, headers, table.headers)
    else:
        missing = [h for h in table.headers if h not in headers]
        assert not missing, (name, missing, "in the table but not in the workbook")


def check_sheet(ws: Any, records: list[dict[str, Any]], table: Shown | None, *, transposed: bool = False) -> None:
    """One data sheet against its JSON records and its terminal table."""
    name = ws.title
    has_total = table is not None and (table.total is not None if not transposed else table.headers[-1:] == ["totaal"])
    check_layout(ws, len(records), has_total, transposed=transposed)
    headers = [ws.cell(row=3, column=n).value for n in range(1, ws.max_column + 1)]
    keys = [k for k in (records[0] if records else {}) if k != "uses"]
    labels = [str(ws.cell(row=r, column=1).value) for r in range(4, 4 + len(records))] if transposed else []
    check_titles(headers, table, name, transposed=transposed, row_labels=labels)
    if not records:
        return
    extra = 1 if transposed and has_total else 0
    assert len(headers) == len(keys) + extra, (name, headers, keys)
    for i, record in enumerate(records):
        for n, key in enumerate(keys):
            kind = kind_of(str(record["field"])) if transposed and n else kind_of(key)
            if transposed and n == 0:
                continue  # the figure's Dutch name, checked above
            check_cell(ws.cell(row=4 + i, column=n + 1), record[key], kind, f"{name}!{key}[{i}]")
    if has_total and table is not None:
        if transposed:
            for i, (record, row) in enumerate(zip(records, table.rows, strict=False)):
                kind = kind_of(str(record["field"]))
                value = ws.cell(row=4 + i, column=len(headers)).value
                if value is not None and kind in ("money", "fraction", "int"):
                    assert dutch(value, kind).removeprefix("€ ") == row[-1], (name, record["field"], value, row)
        else:
            assert table.total is not None
            for n, key in enumerate(keys):
                value = ws.cell(row=4 + len(records), column=n + 1).value
                if headers[n] not in table.headers:
                    continue  # a column the table leaves out: its total is not shown there
                if value is not None and kind_of(key) in ("money", "fraction", "int"):
                    assert dutch(value, kind_of(key)) in table.total, (name, key, value, table.total)


def check_cover(ws: Any, *, municipality: str, sheets: Sequence[Any], as_of: str | None, report: str) -> None:
    """The first sheet: what the workbook is, for whom, when, and what every column means (its
    labels in the language the test runs the command in: the words themselves are checked in
    test_language_report.py)."""
    import os

    from maatwerk_cli.core.messages import at_edge, plain_option, tr

    with at_edge(os.environ.get("MAATWERK_LANG", "nl"), plain_option):
        said = {k: tr(k) for k in ("About this report", "Municipality", "Report", "Period", "As of", "Made",
                                   "Column", "Meaning", "with")}
    assert ws.title == said["About this report"]
    rows = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value) for r in range(1, ws.max_row + 1)]
    facts = {a: b for a, b in rows if a}
    assert facts.get(said["Municipality"]) == municipality, facts
    assert facts.get(said["Report"]) == report, (facts, report)
    assert facts.get(said["Period"]), facts
    today = dt.date.today().strftime("%d-%m-%Y")
    assert facts.get(said["As of"]) == (as_of or today), (facts, as_of)
    made = dt.datetime.strptime(str(facts.get(said["Made"], "")).split(" ")[0:2][0] + " "
                                + str(facts.get(said["Made"], "")).split(" ")[1], "%d-%m-%Y %H:%M")
    assert abs((made - dt.datetime.now()).total_seconds()) < 600, facts
    start = next(i for i, (a, b) in enumerate(rows) if (a, b) == (said["Column"], said["Meaning"]))
    meanings = {a: b for a, b in rows[start + 1 :] if a}
    for sheet in sheets:
        transposed = sheet.freeze_panes == "B4"
        names = ([sheet.cell(row=r, column=1).value for r in range(4, sheet.max_row + 1)] if transposed else
                 [sheet.cell(row=3, column=n).value for n in range(1, sheet.max_column + 1)])
        for title in names:
            if title:
                assert str(meanings.get(title) or "").strip("- "), (sheet.title, title, "not defined on the cover")


def _municipality(root: Path) -> str:
    found = re.search(r'^municipality = "(.*)"$', (root / "maatwerk.toml").read_text(encoding="utf-8"), re.M)
    assert found, root
    return found.group(1)


def _records(data: Any, key: str) -> list[dict[str, Any]]:
    return list(data[key] if key else data)


# ---------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("name", list(CASES))
def test_workbook_reads_back(name: str, cli: Callable[..., Result], tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAATWERK_LANG", "nl")  # the workbook for people: Dutch titles
    from openpyxl import load_workbook

    case = CASES[name]
    out = tmp_path / f"{name}.xlsx"
    wrote = cli(*case.args(), "-o", str(out))
    assert wrote.code == 0, wrote.err
    records = _records(_json(cli, case.args()), case.json_key)
    wb = load_workbook(out)
    assert len(wb.worksheets) == 2, wb.sheetnames
    ws = wb.worksheets[1]
    # the cover is the first tab; the workbook opens on the report (one tab selected)
    assert wb.active is ws and not wb.worksheets[0].sheet_view.tabSelected
    text = _table(cli, [*case.args(), *case.table_extra], monkeypatch)
    table = shown_table(text, str(ws["A1"].value)) if records else None
    check_sheet(ws, records, table, transposed=case.transposed)
    if case.ledger is not None:
        municipality = _municipality(case.ledger)
    else:
        municipality = ", ".join(dict.fromkeys(_municipality(Path(r)) for r in case.command[1:]
                                               if (Path(r) / "maatwerk.toml").is_file()))
    check_cover(wb.worksheets[0], municipality=municipality, sheets=[ws], as_of=case.as_of,
                report=str(ws["A1"].value))


MONTH = ("--month", "2026-10")
AS_OF = dt.date(2026, 10, 31)


def _pack_expected(cli: Callable[..., Result]) -> dict[str, tuple[list[dict[str, Any]], tuple[str, ...]]]:
    """Each pack sheet's records from the command of its own (same cut-off) and that command."""
    base = ("--ledgers", str(DEMO))
    out: dict[str, tuple[list[dict[str, Any]], tuple[str, ...]]] = {}
    for sheet, command in (("utilisation", ("utilisation", *MONTH)), ("compare", ("compare", *MONTH)),
                           ("categories", ("categories", *MONTH)), ("loans", ("loans", *MONTH)),
                           ("outcomes", ("outcomes", *MONTH)), ("cash", ("cash", "status", "--as-of", "31-10-2026"))):
        out[sheet] = (_json(cli, [*base, *command]), (*base, *command))
    overrides = _json(cli, [*base, "rules", "--year", "2026"])["overrides"]
    out["overrides"] = ([o for o in overrides if dt.date.fromisoformat(o["date"]) <= AS_OF],
                        (*base, "rules", "--year", "2026"))
    cards = []
    for card in _json(cli, [*base, "knipkaart", "status", "--year", "2026"]):
        uses = [u for u in card.pop("uses") if dt.date.fromisoformat(u["date"]) <= AS_OF]
        used = len(uses)
        cards.append({**card, "used": used, "remaining": max(card["limit"] - used, 0),
                      "beyond": sum(1 for u in uses if u["beyond"])})
    out["knipkaart"] = (cards, ())
    return out


def _refusals_by_reference() -> list[tuple[str, str, dt.date, Decimal | None, str]]:
    """The year's refusals up to the cut-off, read and folded by the test's own reference."""
    found = []
    for journal in sorted((DEMO / "teams").glob("*.csv")):
        rows, _ = reference.read(journal.read_bytes(), journal.stem, journal.name)
        for row in reference.fold(rows).counted:
            if row.type == "refusal" and row.date.year == 2026 and row.date <= AS_OF:
                found.append((row.id, journal.stem, row.date, row.amount, row.category))
    return sorted(found)


def test_pack_workbook(cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAATWERK_LANG", "nl")  # the workbook for people: Dutch titles
    from openpyxl import load_workbook

    out = tmp_path / "oktober.xlsx"
    wrote = cli("--ledgers", str(DEMO), "pack", *MONTH, "-o", str(out))
    assert wrote.code == 0, wrote.err
    wb = load_workbook(out)
    assert wb.sheetnames == pack_tabs()
    expected = _pack_expected(cli)
    for name, (records, command) in expected.items():
        ws = wb[pack_tabs(name)[-1]]
        table = None
        if command and records:
            title = str(ws["A1"].value)
            if name == "overrides":  # `rules --year` lists the whole year: its title names no cut-off
                title = title.removesuffix(", peildatum 31-10-2026")
            table = shown_table(_table(cli, command, monkeypatch), title)
            if name == "overrides":
                table = Shown(table.headers, table.rows, None)
        elif name == "knipkaart":
            table = Shown([], [], ["totaal"])  # a totals row; its figures are checked against the cards
        check_sheet(ws, records, table)
        if name == "knipkaart":
            total = [ws.cell(row=4 + len(records), column=n).value for n in range(3, 7)]
            assert total == [sum(c[k] for c in records) for k in ("used", "limit", "remaining", "beyond")]
    # refusals: no command of their own; the test's reference fold reads the journals
    ws = wb[pack_tabs("refusals")[-1]]
    ref = _refusals_by_reference()
    got = sorted((ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value,
                  ws.cell(row=r, column=3).value.date(), ws.cell(row=r, column=4).value,
                  ws.cell(row=r, column=5).value) for r in range(4, 4 + len(ref)))
    assert [(i, t, d, None if a is None else Decimal(str(a)).quantize(CENT), c) for i, t, d, a, c in got] == ref
    check_layout(ws, len(ref), True, transposed=False)
    per_team = {r["team"]: r["refusals"] for r in expected["compare"][0]}
    assert sum(per_team.values()) == len(ref)
    check_titles([ws.cell(row=3, column=n).value for n in range(1, ws.max_column + 1)], None, "refusals",
                 transposed=False)
    check_cover(wb.worksheets[0], municipality=_municipality(DEMO), sheets=wb.worksheets[1:],
                as_of="31-10-2026", report=str(wb.worksheets[0]["A1"].value))
    assert "2026" in str(wb.worksheets[0]["A1"].value)


def test_pack_has_lead_time_once_request_dates_are_recorded(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    monkeypatch.setenv("MAATWERK_LANG", "nl")  # the workbook for people: Dutch titles

    ledgers = tmp_path / "ledgers"
    shutil.copytree(DEMO, ledgers)
    base = ("--ledgers", str(ledgers))
    team = "noord"
    for amount, paid, asked in (("35", "6-10-2026", "1-10-2026"), ("12,50", "14-10-2026", "14-10-2026"),
                                ("80", "20-10-2026", "2-10-2026")):
        made = cli(*base, "spend", team, amount, "-c", "Levensmiddelen", "-d", paid, "--requested", asked,
                   "--reason", "doorlooptijd in het pakket")
        assert made.code == 0, made.err
    out = tmp_path / "oktober.xlsx"
    assert cli(*base, "pack", *MONTH, "-o", str(out)).code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == pack_tabs("leadtime")
    command = (*base, "leadtime", *MONTH)
    records = _json(cli, [*command])
    mine = next(r for r in records if r["team"] == team and r["method"] == "alle")
    assert mine["within_one_day"] == mine["count"] - 2  # asked 5 and 18 days before paying
    ws = wb[pack_tabs("leadtime")[-1]]
    check_sheet(ws, records, shown_table(_table(cli, command, monkeypatch), str(ws["A1"].value)))
    check_cover(wb.worksheets[0], municipality=_municipality(DEMO), sheets=wb.worksheets[1:],
                as_of="31-10-2026", report=str(wb.worksheets[0]["A1"].value))


@pytest.mark.parametrize(("args", "needle"), [
    ((), "--output FILE.xlsx"),
    (("-o", "{tmp}/pack.csv"), "write it to a .xlsx file"),
    (("--month", "2025-03", "--as-of", "31-3-2025", "-o", "{tmp}/pack.xlsx"), "not both"),
    (("--month", "2025-13", "-o", "{tmp}/pack.xlsx"), "2025-13"),
    (("-o", "{ledgers}/teams/noord.xlsx"), "ledger"),
])
def test_pack_mistakes_are_refused_and_write_nothing(
    lcli: Callable[..., Result], ledger_dir: Path, tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    lcli("spend", "noord", "35", "-c", "Wonen", "-d", "3-3-2025")
    before = snapshot(ledger_dir)
    given = [a.format(tmp=tmp_path, ledgers=ledger_dir) for a in args]
    assert_refused(lcli("pack", *given), needle)
    assert snapshot(ledger_dir) == before
    assert not list(tmp_path.glob("pack.*"))


# ---------------------------------------------------------------------------- LibreOffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
#: Every sheet to its own file, cells as shown (number formats applied), UTF-8.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def _convert(books: Sequence[Path], to: str, outdir: Path, profile: Path) -> None:
    """Every book in one headless run, with a profile of this test's own (parallel runs
    do not share one)."""
    subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(outdir), *map(str, books)],
        check=True, capture_output=True, timeout=600, env={**os.environ, "HOME": str(profile)},
    )


def _pdf_text(pdf: Path) -> str:
    return subprocess.run([str(PDFTOTEXT), "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def _amounts(records: list[dict[str, Any]], keys: set[str] | None = None) -> Iterator[Decimal]:
    for record in records:
        for key, value in record.items():
            money = key in MONEY or (key != "field" and kind_of(str(record.get("field", ""))) == "money")
            if (keys is None or key in keys) and money and isinstance(value, Decimal):
                yield value


def _english(amount: Decimal) -> str:
    """An amount as LibreOffice shows the euro format in its default (en-US) locale."""
    d = amount.quantize(CENT)
    return f"{'-' if d < 0 else ''}€ {abs(d):,.2f}"


def _shown_amounts(csv_text: str) -> set[str]:
    return set(re.findall(r"-?€ [0-9][0-9,]*\.[0-9]{2}", csv_text))


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                             "apt-get install libreoffice-calc-nogui to run this check")
@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_libreoffice_shows_every_cell(cli: Callable[..., Result], tmp_path: Path) -> None:
    """LibreOffice renders every workbook: no ``###`` in the PDF, the JSON's amounts in the CSV."""
    from openpyxl import load_workbook

    books = tmp_path / "books"
    books.mkdir()
    wanted: dict[str, list[dict[str, Any]]] = {}
    for name, case in CASES.items():
        assert cli(*case.args(), "-o", str(books / f"{name}.xlsx")).code == 0
        wanted[name] = _records(_json(cli, case.args()), case.json_key)
    assert cli("--ledgers", str(DEMO), "pack", *MONTH, "-o", str(books / "pack.xlsx")).code == 0
    # The check must be able to fail: a money column one character too narrow shows ###.
    narrow = load_workbook(books / "demo-utilisation.xlsx")
    ws = narrow["utilisation"]
    ws.column_dimensions["B"].width = len("€ 80,000.00") - 1
    narrow.save(tmp_path / "narrow.xlsx")
    every = sorted(books.glob("*.xlsx"))
    profile, pdf, csv = tmp_path / "lo-profile", tmp_path / "pdf", tmp_path / "csv"
    _convert([*every, tmp_path / "narrow.xlsx"], "pdf", pdf, profile)
    _convert(every, CSV_FILTER, csv, profile)
    assert "###" in _pdf_text(pdf / "narrow.pdf")
    for book in every:
        text = _pdf_text(pdf / f"{book.stem}.pdf")
        assert "###" not in text, (book.name, [line for line in text.splitlines() if "###" in line])
        assert "Municipality" in text, book.name  # the cover, printed
    for name, records in wanted.items():
        sheets = load_workbook(books / f"{name}.xlsx", read_only=True).sheetnames
        shown = _shown_amounts("".join((csv / f"{name}-{sheet}.csv").read_text(encoding="utf-8")
                                       for sheet in sheets))
        missing = {_english(a) for a in _amounts(records)} - shown
        assert not missing, (name, sorted(missing)[:10])
    pack = _pack_expected(cli)
    for sheet, (records, _) in pack.items():
        shown = _shown_amounts((csv / f"pack-{sheet}.csv").read_text(encoding="utf-8"))
        missing = {_english(a) for a in _amounts(records)} - shown
        assert not missing, (sheet, sorted(missing)[:10])
