"""The monthly report reads the same for 6 budget holders or 42 (issue 25, item 2).

Both reports (the demo ledger, October 2026, six teams, also with ``--redact``; Rotterdam
2015 as of 30 November, 42 wijkteams) are written as HTML by the command and printed to PDF by the real headless
Chromium that ``render/pdf.py`` finds. Checked on the PDF, with poppler-utils:

* at most 12 A4 pages (``pdfinfo``);
* no page but the last less than a third full: each page is rendered (``pdftoppm``, grey, low
  resolution) and the lowest row with ink above the bottom margin (where the page number
  is) is measured against the printable height;
* the summary on its first page (``pdftotext``);
* no team name broken inside it (``rdam-`` at the end of a line, ``01`` on the next);
* printed at full size: Chromium shrinks every page when something is wider than A4.

And on the HTML: every cell naming a budget holder may not wrap, the names in the
summary's sentences are kept whole, and the summary's regrouping keeps every count and
share (the behind add up to the tile, each share is that of ``utilisation -f json``).

Where Chromium or poppler-utils are not installed the checks that need them skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, SIMULATED_WINDOWS
from maatwerk_cli.render import pdf as pdf_engine

LEDGERS = {
    "demo": (ROOT / "ledgers", ("--month", "2026-10")),
    "rotterdam": (ROOT / "examples" / "rotterdam-2015", ("--as-of", "30-11-2015")),
    # Without the conditions the loans table once had just too few columns to print smaller,
    # and was wider than A4.
    "demo-redacted": (ROOT / "ledgers", ("--month", "2026-10", "--redact")),
}
#: The page limit of the issue, for both.
MOST_PAGES = 12
#: A4 in mm, and the page margins of the report's ``@page`` (top, bottom).
A4_HEIGHT, TOP, BOTTOM = 297.0, 14.0, 16.0
CHROMIUM = pdf_engine.chromium()
POPPLER = all(shutil.which(tool) for tool in ("pdfinfo", "pdftotext", "pdftoppm"))
#: Under the simulated Windows as root, the os without geteuid cannot ask a Linux Chromium
#: for --no-sandbox, which it needs as root: the real printing is checked in the POSIX run.
SIMULATED_ROOT = SIMULATED_WINDOWS and os.getuid() == 0 if hasattr(os, "getuid") else False
needs_pdf = pytest.mark.skipif(CHROMIUM is None or not POPPLER or SIMULATED_ROOT,
                               reason="needs Chromium (apt-get install chromium) and poppler-utils "
                                      "(pdfinfo, pdftotext, pdftoppm) to print and read the PDF, "
                                      "and a Chromium the simulated Windows can start")


def _run(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MAATWERK_CACHE_DIR": str(tmp / "cache"), "MAATWERK_LANG": "nl"}
    done = subprocess.run([sys.executable, "-m", "maatwerk_cli", *args], capture_output=True, text=True, env=env,
                          timeout=180)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


@dataclass
class Made:
    name: str
    html: str
    utilisation: list[dict[str, Any]]
    tmp: Path


_MADE: dict[str, Made] = {}


@pytest.fixture(scope="module", params=sorted(LEDGERS))
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Made:
    name = request.param
    if name not in _MADE:
        source, when = LEDGERS[name]
        tmp = tmp_path_factory.mktemp(f"scale-{name}")
        page = tmp / "report.html"
        _run("--ledgers", str(source), "report", *when, "-o", str(page), tmp=tmp)
        out = _run("--ledgers", str(source), "utilisation", *when[:2], "-f", "json", tmp=tmp).stdout
        _MADE[name] = Made(name, page.read_text(encoding="utf-8"), json.loads(out, parse_float=Decimal), tmp)
    return _MADE[name]


@dataclass
class Printed:
    pages: int
    fill: list[float]
    text: list[str]
    heading: float  # the height of the word "Samenvatting" in the heading of section 1, pt


_PRINTED: dict[str, Printed] = {}


def _ink_fill(pgm: bytes) -> float:
    """How full a page is: the lowest row with ink above the bottom margin, as a share of the
    printable height (0: nothing under the top margin, 1: down to the bottom margin)."""
    magic, width, height, _, pixels = pgm.split(maxsplit=4)
    assert magic == b"P5"
    w, h = int(width), int(height)
    top = round(h * TOP / A4_HEIGHT)
    bottom = round(h * (1 - BOTTOM / A4_HEIGHT))
    last = top
    for y in range(top, bottom):
        if min(pixels[y * w:(y + 1) * w]) < 160:
            last = y
    return (last - top) / (bottom - top)


def printed(made: Made) -> Printed:
    """The report printed by Chromium; its page count, how full each page is and its text."""
    if made.name in _PRINTED:
        return _PRINTED[made.name]
    assert CHROMIUM is not None
    out = made.tmp / "report.pdf"
    pdf_engine._chromium_pdf(CHROMIUM, made.html, out)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Page size:\s+59[45](\.\d+)? x 84[12]", info, re.M), info  # A4 in points
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    fill, text = [], []
    for n in range(1, pages + 1):
        raster = subprocess.run(["pdftoppm", "-gray", "-r", "24", "-f", str(n), "-l", str(n), str(out)],
                                capture_output=True, check=True).stdout
        fill.append(_ink_fill(raster))
        text.append(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(out), "-"],
                                   capture_output=True, text=True, check=True).stdout)
    box = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(out), "-"], capture_output=True, text=True,
                         check=True).stdout
    y = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">Samenvatting<', box)
    assert y is not None, box[:2000]
    _PRINTED[made.name] = Printed(pages, fill, text, float(y.group(2)) - float(y.group(1)))
    return _PRINTED[made.name]


@needs_pdf
def test_at_most_twelve_pages_and_none_but_the_last_less_than_a_third_full(made: Made) -> None:
    p = printed(made)
    assert 2 <= p.pages <= MOST_PAGES, p.pages
    thin = {n: round(f, 2) for n, f in enumerate(p.fill[:-1], start=1) if f < 1 / 3}
    assert not thin, (made.name, thin, p.fill)


@needs_pdf
def test_printed_at_full_size(made: Made) -> None:
    """A table wider than A4 makes Chromium print every page smaller (the 42 teams' pages
    came out at two thirds): the section heading (20 px, 15 pt) must keep its size. A
    line of a font is 1.1 to 1.2 times its size high; shrunk by 5% it would be under 16 pt."""
    assert printed(made).heading >= 16.0, printed(made).heading


@needs_pdf
def test_the_measure_of_a_page_can_fail(tmp_path: Path) -> None:
    """A page of three lines followed by a new page measures well under a third."""
    assert CHROMIUM is not None
    out = tmp_path / "thin.pdf"
    pdf_engine._chromium_pdf(CHROMIUM, "<!DOCTYPE html><html><body><p>one</p><p>two</p><p>three</p>"
                             '<p style="break-before: page">next</p></body></html>', out)
    raster = subprocess.run(["pdftoppm", "-gray", "-r", "24", "-f", "1", "-l", "1", str(out)],
                            capture_output=True, check=True).stdout
    assert _ink_fill(raster) < 0.15


@needs_pdf
def test_the_summary_stays_on_its_first_page(made: Made) -> None:
    first = printed(made).text[0]
    assert "1. Samenvatting" in first
    # The summary's last part, "Verder" (loans, outcomes, refusals in a line each), is on page 1 too.
    assert re.search(r"^Verder$", first, re.M), first
    assert "aanvragen zijn geweigerd" in first or "aanvraag is geweigerd" in first


@needs_pdf
def test_no_team_name_is_broken_in_the_pdf(made: Made) -> None:
    text = "\n".join(printed(made).text)
    for team in (str(r["team"]) for r in made.utilisation):
        assert team in text
        for cut in (m.end() for m in re.finditer(r"[-/]", team)):
            head, tail = team[:cut], team[cut:]
            assert not re.search(re.escape(head) + r"[ \t]*\n\s*" + re.escape(tail), text), team


def test_no_team_name_may_wrap_in_the_page(made: Made) -> None:
    html = made.html
    css = html[html.index("<style>"):html.index("</style>")]
    for rule in (".name", "table.figures .num, table.figures .nowrap"):
        assert re.search(re.escape(rule) + r"\s*\{[^}]*white-space:\s*nowrap", css), rule
    # Every table cell that names a budget holder may not wrap.
    cells = re.findall(r'<td class="([^"]*)" data-key="team"', html)
    assert cells and all("nowrap" in c.split() for c in cells), set(cells)
    # The small multiples name theirs whole, and so do the sentences of the summary.
    summary = html[html.index('id="samenvatting"'):html.index('id="benutting"')]
    for team in (str(r["team"]) for r in made.utilisation):
        for m in re.finditer(rf"(?<![\w-]){re.escape(team)}(?![\w-])", re.sub(r"<[^>]+>", lambda t: " " * len(
                t.group(0)), summary)):
            assert summary[:m.start()].endswith('<span class="name">'), (team, summary[m.start() - 60:m.end()])


def _is_share(text: str, record: dict[str, Any]) -> bool:
    """``text`` (``3,1%``) is the budget holder's spent over budget, to one place of a
    percentage (from the exact figures: JSON's four places would round twice)."""
    if not Decimal(str(record["budget"])):
        return record["utilisation"] is None or text == ""
    exact = Decimal(str(record["spent"])) / Decimal(str(record["budget"])) * 100
    return abs(Decimal(text.rstrip("%").replace(",", ".")) - exact) <= Decimal("0.05")


def test_the_summary_regroups_without_losing_a_team_or_a_figure(made: Made) -> None:
    html = made.html
    summary = html[html.index('id="samenvatting"'):html.index('id="benutting"')]
    records = {str(r["team"]): r for r in made.utilisation}
    for status in ("under", "over"):
        group = {t for t, r in records.items() if r["status"] == status}
        named: list[str] = []
        ul = re.search(rf'<ul class="sentences" data-status="{status}">(.*?)</ul>', summary, re.S)
        if ul is None:
            assert not group, status
            continue
        for item in re.findall(r"<li[^>]*>(.*?)</li>", ul.group(1), re.S):
            names = re.findall(r'<span class="name">([^<]+)</span>', item)
            # A sentence names its one budget holder (perhaps twice: name and code); a list names many.
            named.extend(dict.fromkeys(unescape(n) for n in names))
        others = re.search(rf'<p class="others" data-status="{status}">(.*?)</p>', summary, re.S)
        if others is not None:
            for team, share in re.findall(r'<span class="name">([^<]+)</span> ([\d.,]+%)', others.group(1)):
                team = unescape(team)
                named.append(team)
                assert _is_share(share, records[team]), (team, share)
        assert sorted(named) == sorted(group), status  # every one once, none twice, none made up
        assert len(ul.group(1).split("<li")) - 1 <= 5  # a few sentences, the others named
    tiles = dict(re.findall(r'data-tile="([^"]+)"><div class="label">[^<]*</div><div class="value">([^<]+)<', html))
    behind = sum(r["status"] == "under" for r in made.utilisation)
    assert tiles["achter"] == f"{behind} van {len(made.utilisation)}"
