"""The workbooks, the HTML report and the Markdown stories in Dutch (what people get by
default) and in English (``--lang en``), on a copy of the repository's demo ledger.

The suite runs in English (conftest sets MAATWERK_LANG=en); these tests ask for Dutch with
``--lang nl`` or MAATWERK_LANG=nl. Only what people read changes: the figures in the report
(its ``data-value`` attributes) are the same in both languages.
"""

from __future__ import annotations

import ast
import html
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Result
from maatwerk_cli.core.messages import at_edge, plain_option

Cli = Callable[..., Result]
MONTH = ("--month", "2026-10")

PACK_NL = ["Over dit rapport", "benutting", "vergelijking", "categorieën", "leningen", "uitkomsten",
           "weigeringen", "afwijkingen", "knipkaart", "kasgeld"]
PACK_EN = ["About this report", "utilisation", "compare", "categories", "loans", "outcomes", "refusals",
           "overrides", "knipkaart", "cash"]
COVER_NL = ("Gemeente", "Rapport", "Periode", "Peildatum", "Bladen", "Gemaakt")
COVER_EN = ("Municipality", "Report", "Period", "As of", "Sheets", "Made")

#: Words only English has. Not "of": it is Dutch too ("besteed of in dit tempo boven het budget").
ENGLISH_ONLY = ["recorded", "loan", "loans", "refused", "under", "on-track", "on track", "not", "the", "shown",
                "written", "spent", "behind", "pace", "budget holder", "repaid", "still owed", "with", "and",
                "cases", "household", "outcome", "story", "total", "overdue", "about this report", "municipality"]
#: Words only Dutch has, that the demo ledger's own texts (notes, categories) do not hold.
DUTCH_ONLY = ["besteed", "lening", "leningen", "achter", "op koers", "benut", "benutting", "budgethouder",
              "terugbetaald", "peildatum", "oktober", "samenvatting", "toelichting", "weigeringen", "kasgeld",
              "voorwaardelijk", "uitkomst", "verhalen", "vermeden"]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(ROOT / "ledgers", root)
    return root


def found(words: list[str], text: str) -> list[str]:
    """The words of ``words`` that ``text`` holds, as whole words, any case."""
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text, re.I)]


def visible(page: str, *, ours: bool = False) -> str:
    """The text of an HTML page as a reader sees it. ``ours``: only the texts the report
    makes itself (the column titles and their meanings among them), without the stories'
    notes (the ledger's own words)."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    if ours:
        page = re.sub(r"(<article[^>]*><h4>.*?</h4>)<p>.*?</p>", r"\1", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def cells(ws: Any) -> str:
    return " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))


def column(ws: Any, title: str) -> list[Any]:
    """The cells under the header ``title`` (row 3) of a report's sheet."""
    n = next(c.column for c in ws[3] if c.value == title)
    return [ws.cell(row=r, column=n).value for r in range(4, ws.max_row + 1)]


def cover_facts(ws: Any) -> dict[str, Any]:
    return {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)}


# ---------------------------------------------------------------------------- workbooks


def test_the_pack_is_dutch_by_default_and_english_on_request(
        cli: Cli, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    monkeypatch.delenv("MAATWERK_LANG")
    nl, en = tmp_path / "okt.xlsx", tmp_path / "oct.xlsx"
    assert cli("--ledgers", str(demo), "--lang", "nl", "pack", *MONTH, "-o", str(nl)).code == 0
    assert cli("--ledgers", str(demo), "pack", *MONTH, "-o", str(en), "--lang", "en").code == 0
    book = load_workbook(nl)
    assert book.sheetnames == PACK_NL
    cover = book.worksheets[0]
    facts = cover_facts(cover)
    assert all(label in facts for label in COVER_NL), facts
    assert facts["Rapport"] == "Maandrapportage maatwerkbudget 2026-10" == cover["A1"].value
    assert facts["Periode"] == "1-1-2026 tot en met 31-10-2026"
    assert facts["Bladen"] == ", ".join(PACK_NL[1:])
    assert str(facts["Gemaakt"]).endswith(" met maatwerk")
    assert ("Kolom", "Betekenis") in facts.items()
    assert not found(ENGLISH_ONLY, cells(cover).replace("Demostad", "")), found(ENGLISH_ONLY, cells(cover))
    assert [book[n]["A1"].value for n in ("weigeringen", "afwijkingen", "knipkaart")] == [
        "Weigeringen 2026, peildatum 31-10-2026", "Afwijkingen 2026, peildatum 31-10-2026",
        "Knipkaart 2026, peildatum 31-10-2026"]

    # Status and kind in Dutch words; what the status column means, in those words.
    assert {"achter", "op koers"} <= set(column(book["benutting"], "status"))
    assert not {"under", "on-track", "over"} & set(column(book["benutting"], "status"))
    assert set(column(book["leningen"], "soort")) - {"totaal", None} == {"lening", "voorwaardelijk"}
    meanings = {k: v for k, v in facts.items() if k == "status"}
    assert meanings["status"].startswith("over budget: besteed of in dit tempo boven het budget; achter:")

    book = load_workbook(en)
    assert book.sheetnames == PACK_EN
    # In English a cell holds the value as the JSON has it.
    assert {"under", "on-track"} <= set(column(book["utilisation"], "status"))
    assert set(column(book["loans"], "kind")) - {"total", None} == {"loan", "conditional"}
    facts = cover_facts(book.worksheets[0])
    assert all(label in facts for label in COVER_EN), facts
    assert facts["Report"] == "Monthly report of the maatwerk budget, 2026-10"
    assert facts["Period"] == "1-1-2026 up to and including 31-10-2026"
    assert facts["Sheets"] == ", ".join(PACK_EN[1:])
    assert ("Column", "Meaning") in facts.items()
    assert [book[n]["A1"].value for n in ("refusals", "overrides")] == [
        "Refusals 2026, as of 31-10-2026", "Overrides 2026, as of 31-10-2026"]
    # The same figures on the same tabs in both.
    dutch = load_workbook(nl)
    for nl_tab, en_tab in zip(PACK_NL[1:], PACK_EN[1:], strict=True):
        numbers = [[c for c in row if isinstance(c, (int, float))] for row in book[en_tab].iter_rows(values_only=True)]
        assert numbers == [[c for c in row if isinstance(c, (int, float))]
                           for row in dutch[nl_tab].iter_rows(values_only=True)], en_tab


@pytest.mark.parametrize(("args", "dutch", "english"), [
    (("utilisation", *MONTH), "benutting", "utilisation"),
    (("compare", *MONTH), "vergelijking", "compare"),
    (("categories", *MONTH), "categorieën", "categories"),
    (("loans", "--as-of", "31-10-2026"), "leningen", "loans"),
    (("outcomes", *MONTH), "uitkomsten", "outcomes"),
    (("entries",), "boekingen", "entries"),
])
def test_a_report_written_to_a_workbook_has_a_dutch_tab(
        args: tuple[str, ...], dutch: str, english: str, cli: Cli, demo: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "x.xlsx"
    assert cli("--ledgers", str(demo), *args, "-o", str(out)).code == 0
    assert load_workbook(out).sheetnames == ["About this report", english]
    monkeypatch.setenv("MAATWERK_LANG", "nl")
    assert cli("--ledgers", str(demo), *args, "-o", str(out)).code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Over dit rapport", dutch]
    assert cover_facts(book.worksheets[0])["Bladen"] == dutch


def _sheets_in_the_code() -> set[str]:
    """Every ``sheet="..."`` a view is given anywhere in the package."""
    names = set()
    for path in (ROOT / "maatwerk_cli").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "sheet" and isinstance(node.value, ast.Constant):
                names.add(str(node.value.value))
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_listing",) and len(node.args) > 4 \
                    and isinstance(node.args[4], ast.Constant):
                names.add(str(node.args[4].value))
    return names


def test_every_tab_has_a_dutch_name_excel_takes() -> None:
    from maatwerk_cli.render.xlsx import TAB_NAMES, sheet_name, tab_name

    sheets = _sheets_in_the_code()
    assert {"utilisation", "loans", "cash", "entries", "months"} <= sheets
    assert sheets <= set(TAB_NAMES), sheets - set(TAB_NAMES)
    with at_edge("nl", plain_option):
        names = {sheet: tab_name(sheet) for sheet in TAB_NAMES}
    assert names["utilisation"] == "benutting" and names["cash"] == "kasgeld"
    for sheet, name in names.items():
        assert name and len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name), (sheet, name)
        assert sheet_name(name, set()) == name
        if sheet not in ("knipkaart", "teams", "import", "maatwerk"):  # the same word in both languages
            assert name != sheet, sheet
    assert len(set(names.values()) - {"bankregels"}) >= len(names) - 1
    assert {sheet: tab_name(sheet) for sheet in TAB_NAMES} == {sheet: sheet for sheet in TAB_NAMES}  # English


# ---------------------------------------------------------------------------- the HTML report


def test_the_report_is_dutch_by_default_and_english_on_request(
        cli: Cli, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nl, en = tmp_path / "r.html", tmp_path / "r-en.html"
    monkeypatch.setenv("MAATWERK_LANG", "nl")
    assert cli("--ledgers", str(demo), "report", *MONTH, "-o", str(nl)).code == 0
    assert cli("--ledgers", str(demo), "--lang", "en", "report", *MONTH, "-o", str(en)).code == 0
    dutch, english = nl.read_text(encoding="utf-8"), en.read_text(encoding="utf-8")

    assert '<html lang="nl">' in dutch and '<html lang="en">' in english
    # The commands the notes name are not translated.
    text = visible(dutch).replace("maatwerk utilisation, compare, categories, loans en outcomes", "")
    assert not found(ENGLISH_ONLY, text), found(ENGLISH_ONLY, text)
    for phrase in ("Maandrapportage oktober 2026, peildatum 31 oktober 2026", "Samenvatting", "op koers",
                   "achter", "over budget", "besteed", "Leningen en voorwaardelijke giften", "lening",
                   "Alle cijfers tellen van 1 januari 2026 tot en met 31 oktober 2026"):
        assert phrase in text, phrase

    text = visible(english, ours=True)
    assert not found(DUTCH_ONLY, text), found(DUTCH_ONLY, text)
    for phrase in ("Monthly report October 2026, cut-off date 31 October 2026", "Summary", "on track", "behind",
                   "over budget", "Loans and conditional grants", "loan",
                   "All figures count from 1 January 2026 up to and including 31 October 2026"):
        assert phrase in text, phrase
    # Numbers stay Dutch in English, and every figure is the same.
    assert "€ 80.000,00" in text and re.search(r"\b\d+,\d%", text)
    values = re.compile(r'data-(?:key|value|report|chart|tile|section|id)="[^"]*"')
    assert values.findall(dutch) == values.findall(english)


# ---------------------------------------------------------------------------- the stories


def test_the_stories_are_dutch_by_default_and_english_on_request(
        cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAATWERK_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")  # no language of the system's: Dutch, the default
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    dutch = cli("--ledgers", str(demo), "stories")
    english = cli("--ledgers", str(demo), "stories", "--lang", "en")
    assert dutch.code == english.code == 0, (dutch.err, english.err)
    words = ["cases", "household", "repaid", "still owed", "entry", "outcome", "loan", "condition", "left out",
             "due", "avoided"]
    assert not found(words, dutch.out), found(words, dutch.out)
    assert dutch.out.startswith("# Casussen in Demostad\n\n151 casussen. Codes van huishoudens zijn weggelaten.")
    assert "- Lening: vervaldatum 17-02-2026; € 35,00 terugbetaald, € 0,00 nog open" in dutch.out
    assert "- Uitkomst: bereikt; vermeden kosten € 6.500,00" in dutch.out
    assert re.search(r"^## \S.*: 1 casus, € ", dutch.out, re.M) or "1 casus" not in dutch.out
    assert english.out.startswith("# Cases in Demostad\n\n151 cases. Household codes are left out.")
    assert "- Loan: due 17-02-2026; € 35,00 repaid, € 0,00 still owed" in english.out
    assert not found(["casussen", "boeking", "terugbetaald", "nog open", "uitkomst", "vervaldatum"], english.out)
    hidden = cli("--ledgers", str(demo), "stories", "--redact", "--team", "noord", "--min-amount", "100")
    assert hidden.code == 0
    assert "(team noord, € 100,00 of meer). Codes van huishoudens zijn weggelaten." in hidden.out
    assert "_Verhaal weggelaten (--redact)._" in hidden.out
