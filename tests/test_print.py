"""Workbooks that print (issue 25, item 1).

Every sheet of a workbook carries a page setup: A4, landscape when it is wide, scaled to one
page wide (as many pages down as it takes), the header row repeated on every page, and a
printed header and footer with the municipality, the report, the cut-off date and
"pagina 2 van 5" (English with --lang en). The cover fits one page.

The page setup is checked with openpyxl on the demo's pack (always); where LibreOffice and
poppler-utils are installed, the pack is printed to PDF as well: the cover is one page, and
every page of a sheet shows all of its column titles (so no sheet is split across pages
side by side, and the titles repeat). Before this, LibreOffice printed the same pack on 31
pages, wide sheets over four.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import ROOT
from maatwerk_cli.core.messages import at_edge, plain_option
from maatwerk_cli.render.columns import Column
from maatwerk_cli.render.xlsx import PORTRAIT_WIDTH, Cover, Sheet, write_workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None or PDFINFO is None,
    reason="LibreOffice (apt-get install libreoffice-calc-nogui) and poppler-utils are needed to print a workbook")


def _pack(tmp: Path, lang: str) -> Path:
    root = tmp / "ledger"
    if not root.exists():
        shutil.copytree(ROOT / "ledgers", root)
    book = tmp / f"pack-{lang}.xlsx"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MAATWERK_CACHE_DIR": str(tmp / "cache")}
    done = subprocess.run([sys.executable, "-m", "maatwerk_cli", "--ledgers", str(root), "--lang", lang, "pack",
                           "--month", "2026-10", "-o", str(book)], capture_output=True, text=True, env=env,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    return book


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("print")
    return {lang: _pack(tmp, lang) for lang in ("nl", "en")}


def _width(ws: object) -> float:
    dims = ws.column_dimensions  # type: ignore[attr-defined]
    return sum(d.width for d in dims.values() if d.width)


# ---------------------------------------------------------------------------- the page setup


def test_every_sheet_of_the_pack_prints_one_page_wide_on_a4(packs: dict[str, Path]) -> None:
    book = load_workbook(packs["nl"])
    cover, *sheets = book.worksheets
    assert cover.title == "Over dit rapport" and len(sheets) >= 9
    for ws in book.worksheets:
        setup = ws.page_setup
        assert str(setup.paperSize) == "9", ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(setup.fitToWidth) == 1, ws.title
    assert int(cover.page_setup.fitToHeight) == 1 and cover.page_setup.orientation == "portrait"
    for ws in sheets:
        assert int(ws.page_setup.fitToHeight) == 0, ws.title  # as many pages down as it takes
        assert ws.print_title_rows == "$3:$3", ws.title  # the column titles on every page
        wide = _width(ws) > PORTRAIT_WIDTH
        assert ws.page_setup.orientation == ("landscape" if wide else "portrait"), (ws.title, _width(ws))
    orientations = {ws.title: ws.page_setup.orientation for ws in sheets}
    assert orientations["benutting"] == "landscape" and orientations["knipkaart"] == "portrait"


def test_every_printed_page_says_what_and_which_page_in_dutch(packs: dict[str, Path]) -> None:
    book = load_workbook(packs["nl"])
    for ws in book.worksheets:
        head, foot = ws.oddHeader, ws.oddFooter
        assert head.left.text == "Demostad", ws.title
        assert head.right.text == "peildatum 31-10-2026", ws.title
        assert foot.right.text == "pagina &P van &N" and foot.left.text == "&A", ws.title
        assert head.center.text == ws["A1"].value, ws.title  # the report, as the sheet's title says
        assert len(head.left.text + head.center.text + head.right.text) < 255  # Excel's limit


def test_in_english_the_header_and_footer_are_english(packs: dict[str, Path]) -> None:
    book = load_workbook(packs["en"])
    for ws in book.worksheets:
        assert ws.oddHeader.right.text == "cut-off date 31-10-2026", ws.title
        assert ws.oddFooter.right.text == "page &P of &N", ws.title


def test_an_ampersand_in_a_name_is_printed_not_read_as_a_code(tmp_path: Path) -> None:
    cols = [Column("team", "team")]
    with at_edge("nl", plain_option):
        write_workbook(tmp_path / "x.xlsx", [Sheet("utilisation", "Kust & Zee &P", cols, [{"team": "a"}])],
                       Cover("Bergen & Zee", "Rapport", "2026", None))
    ws = load_workbook(tmp_path / "x.xlsx")["benutting"]
    assert ws.oddHeader.left.text == "Bergen && Zee"
    assert ws.oddHeader.center.text == "Kust && Zee &&P"
    assert ws.oddHeader.right.text in ("", None)  # no cut-off date: nothing said


# ---------------------------------------------------------------------------- printed by LibreOffice


def _to_pdf(books: list[Path], outdir: Path, profile: Path) -> None:
    """Every book in one headless run, with a profile of this test's own."""
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(outdir), *map(str, books)],
                   check=True, capture_output=True, timeout=600, env={**os.environ, "HOME": str(profile)})


def _pages(pdf: Path) -> list[str]:
    info = subprocess.run([str(PDFINFO), str(pdf)], check=True, capture_output=True, text=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    text = subprocess.run([str(PDFTOTEXT), "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    assert len(pages) == count
    return pages


def _footer_tab(page: str) -> str:
    """The tab a printed page belongs to: its footer reads "TAB ... pagina N van M"."""
    lines = [line for line in page.splitlines() if line.strip()]
    found = re.match(r"\s*(.+?)\s{2,}pagina \d+ van \d+\s*$", lines[-1])
    assert found is not None, lines[-1]
    return found.group(1)


def _titles_on(page: str) -> str:
    return re.sub(r"\s+", " ", page)


@pytest.mark.slow
@needs_libreoffice
def test_libreoffice_prints_every_sheet_one_page_wide_and_the_cover_on_one_page(
        packs: dict[str, Path], tmp_path: Path) -> None:
    # A sheet three pages long, to see the titles repeat on every page.
    cols = [Column("id", "id", "id"), Column("team", "team"), Column("reason", "reden"),
            Column("amount", "bedrag", "money"), Column("note", "toelichting bij de uitgave")]
    rows = [{"id": f"noord-2026-{n:04d}", "team": "noord", "reason": "lange reden " * 4, "amount": n,
             "note": "nog iets " * 5} for n in range(1, 181)]
    long = tmp_path / "long.xlsx"
    with at_edge("nl", plain_option):
        write_workbook(long, [Sheet("entries", "Uitgaven", cols, rows)], Cover("Demostad", "Uitgaven", "2026", None))
    _to_pdf([packs["nl"], long], tmp_path / "pdf", tmp_path / "profile")

    book = load_workbook(packs["nl"])
    pages = _pages(tmp_path / "pdf" / f"{packs['nl'].stem}.pdf")
    by_tab: dict[str, list[str]] = {}
    for page in pages:
        by_tab.setdefault(_footer_tab(page), []).append(page)
    assert list(by_tab) == book.sheetnames  # every sheet printed, in order
    assert len(by_tab["Over dit rapport"]) == 1  # the cover: one page, labels beside their values
    cover = by_tab["Over dit rapport"][0]
    assert re.search(r"Gemeente\s+Demostad", cover) and re.search(r"Peildatum\s+31-10-2026", cover)
    for ws in book.worksheets[1:]:
        titles = [str(c.value) for c in ws[3] if c.value]
        for page in by_tab[ws.title]:
            text = _titles_on(page)
            missing = [t for t in titles if t not in text]
            assert not missing, (ws.title, missing)  # a page without some columns: split side by side
            assert "Demostad" in page and "peildatum 31-10-2026" in page
    assert len(pages) <= 2 * len(book.sheetnames)  # it was 31 for 10 sheets

    long_pages = _pages(tmp_path / "pdf" / "long.pdf")
    assert len(long_pages) >= 3
    for n, page in enumerate(long_pages[1:], start=2):
        text = _titles_on(page)
        assert all(t in text for t in ("id", "team", "reden", "bedrag", "toelichting bij de uitgave")), n
        assert f"pagina {n} van {len(long_pages)}" in page
