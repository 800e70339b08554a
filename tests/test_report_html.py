"""``maatwerk report``: the monthly report opened in a real, headless Chromium.

The page must load with no console error and no request beyond its own file; every chart
must have drawn (an SVG of sensible size with marks in it); a screenshot of the whole page
must not be blank; and the figures in its tables must be those of ``utilisation``,
``compare``, ``categories``, ``loans`` and ``outcomes`` with ``--format json`` for the same
ledger and as-of date, for the demo ledger (October 2026) and Rotterdam 2015 (as of 30
November, the 8% of the source). How the two print (pages, how full, the summary on page
one, names never broken) is tested in ``tests/test_report_scale.py``.

Chromium is driven over the DevTools pipe by ``tests/cdp.py`` (standard library only).
Where no Chromium is installed (Debian: ``apt-get install chromium``) the browser tests
skip and say so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cdp import Browser, find_chromium, grey_variance

from conftest import ROOT, Result, assert_refused, snapshot

Cli = Callable[..., Result]
CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (Debian: apt-get install chromium), so the report "
                             "cannot be opened in a browser here")
LEDGERS = {
    "demo": (ROOT / "ledgers", ("--month", "2026-10")),
    "rotterdam": (ROOT / "examples" / "rotterdam-2015", ("--as-of", "30-11-2015")),
}
#: The figure reports whose JSON the page's tables must repeat, and the options each takes.
REPORTS = ("utilisation", "compare", "categories", "loans", "outcomes", "leadtime")
#: Spends with a request date added to the demo's copy, so its report has a lead time
#: (Rotterdam 2015 recorded none: its page says so instead).
REQUESTED = (("centrum", "25", "20-10-2026", "14-10-2026"), ("centrum", "40", "21-10-2026", "21-10-2026"),
             ("noord", "30", "22-10-2026", "20-10-2026"))

PAGE_SCRIPT = """(() => {
  const tables = {};
  for (const t of document.querySelectorAll('table[data-report]')) {
    tables[t.dataset.report] = [...t.querySelectorAll('tbody tr')].map(tr => ({
      total: tr.dataset.total === '1',
      cells: Object.fromEntries([...tr.querySelectorAll('td[data-key]')].map(
        td => [td.dataset.key, [td.dataset.value, td.textContent]]))}));
  }
  const charts = [...document.querySelectorAll('svg.chart')].map(s => {
    const box = s.getBoundingClientRect();
    return {name: s.dataset.chart, width: box.width, height: box.height,
            marks: s.querySelectorAll('rect, polyline, circle').length, text: s.textContent.trim().length};
  });
  const sections = [...document.querySelectorAll('section[data-section] > h2')].map(h => h.textContent);
  const tiles = Object.fromEntries([...document.querySelectorAll('[data-tile]')].map(
    t => [t.dataset.tile, t.querySelector('.value').textContent]));
  return JSON.stringify({tables, charts, sections, tiles, scripts: document.scripts.length});
})()"""


def _env(tmp: Path) -> dict[str, str]:
    # The worktree's own package first, whatever the current folder; a cache of its own.
    return {"PYTHONPATH": str(ROOT), "MAATWERK_CACHE_DIR": str(tmp / "cache")}


def _run(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "maatwerk_cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, cwd=cwd, timeout=180)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


@dataclass
class Made:
    """One ledger's report and the JSON of the reports it repeats."""

    name: str
    root: Path
    page: Path
    when: tuple[str, ...]
    json: dict[str, list[dict[str, Any]]]


_MADE: dict[str, Made] = {}


def _make(name: str, tmp_path_factory: pytest.TempPathFactory) -> Made:
    """One ledger's report and JSON reports, made once per test run."""
    if name in _MADE:
        return _MADE[name]
    source, when = LEDGERS[name]
    tmp = tmp_path_factory.mktemp(f"report-{name}")
    root = tmp / "ledger"
    shutil.copytree(source, root)
    env = _env(tmp)
    if name == "demo":
        for team, amount, day, asked in REQUESTED:
            _run("--ledgers", str(root), "spend", team, amount, "-c", "Levensmiddelen", "-d", day,
                 "--requested", asked, env=env)
    page = tmp / "out" / "report.html"
    page.parent.mkdir()
    done = _run("--ledgers", str(root), "report", *when, "-o", str(page), env=env)
    assert done.stdout.strip() == str(page)
    data = {}
    for report in REPORTS:
        out = _run("--ledgers", str(root), report, *when, "-f", "json", env=env).stdout
        data[report] = json.loads(out, parse_float=Decimal)
    _MADE[name] = Made(name, root, page, when, data)
    return _MADE[name]


@pytest.fixture(scope="module", params=sorted(LEDGERS))
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Made:
    return _make(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def rotterdam(tmp_path_factory: pytest.TempPathFactory) -> Made:
    return _make("rotterdam", tmp_path_factory)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (Debian: apt-get install chromium)")
    with Browser(CHROMIUM, tmp_path_factory.mktemp("chromium-profile")) as b:
        b.open_page(width=1100, height=900)
        yield b


@dataclass
class Opened:
    """What the browser saw: the events up to the load, and what the page holds."""

    events: list[dict[str, Any]]
    seen: dict[str, Any]


def open_in(browser: Browser, page: Path) -> Opened:
    events = browser.navigate(page.resolve().as_uri())
    seen = json.loads(browser.evaluate(PAGE_SCRIPT))
    return Opened(events, seen)


def requests_of(events: list[dict[str, Any]]) -> list[str]:
    return [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]


def errors_of(events: list[dict[str, Any]]) -> list[str]:
    out = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            out.append(json.dumps(params.get("args")))
        elif method == "Runtime.exceptionThrown":
            out.append(json.dumps(params.get("exceptionDetails")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            out.append(params["entry"].get("text", ""))
    return out


# ---------------------------------------------------------------------------- in the browser


@needs_chromium
def test_the_page_loads_offline_without_errors(browser: Browser, made: Made) -> None:
    opened = open_in(browser, made.page)
    assert errors_of(opened.events) == []
    assert requests_of(opened.events) == [made.page.resolve().as_uri()]
    assert opened.seen["scripts"] == 0
    text = made.page.read_text(encoding="utf-8")
    # Nothing in the file points anywhere: the only URL is the SVG namespace name.
    assert set(re.findall(r"(?:https?|ftp|wss?)://[^\s\"'<>)]+", text)) <= {"http://www.w3.org/2000/svg"}


@needs_chromium
def test_the_network_check_catches_a_page_that_reaches_out(browser: Browser, tmp_path: Path) -> None:
    """The check above can fail: a page with one outside image is seen (and blocked)."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><body><img src="https://example.invalid/x.png"></body></html>',
                   encoding="utf-8")
    opened = open_in(browser, bad)
    assert "https://example.invalid/x.png" in requests_of(opened.events)
    failed = [e["params"] for e in opened.events if e.get("method") == "Network.loadingFailed"]
    assert any(f.get("blockedReason") for f in failed), failed  # and it never left the machine


@needs_chromium
def test_every_chart_has_drawn(browser: Browser, made: Made) -> None:
    seen = open_in(browser, made.page).seen
    charts = {c["name"]: c for c in seen["charts"]}
    # A small chart of the spend per month for each budget holder that spent something (a flat
    # line at nothing says nothing: those are named under the charts instead).
    teams = [r["team"] for r in made.json["utilisation"] if r["spent"]]
    expected = {"utilisation", "cumulative", "categories-amount", "categories-count", "refusals", "cash",
                *(f"cumulative-{t}" for t in teams)}
    if made.name == "demo":  # Rotterdam 2015 had no reciprocity, loans, outcomes, overrides or knipkaart recorded
        expected |= {"tegenprestatie", "loans", "outcomes", "avoided-cost", "overrides", "knipkaart", "leadtime"}
    else:
        idle = [r["team"] for r in made.json["utilisation"] if not r["spent"]]
        assert idle and not {f"cumulative-{t}" for t in idle} & {c["name"] for c in seen["charts"]}
        assert "Nog niets besteed (14):" in made.page.read_text(encoding="utf-8")
        assert "knipkaart" not in {c["name"] for c in seen["charts"]}  # 42 empty bars: one line instead
    assert expected <= set(charts), expected - set(charts)
    assert len(charts) == len(seen["charts"])  # each name once
    for chart in seen["charts"]:
        small = chart["name"].startswith("cumulative-")
        assert chart["width"] >= (150 if small else 500), chart
        assert 50 <= chart["height"] <= 1100, chart  # drawn, and short enough for one A4 page
        assert chart["marks"] >= 2 and chart["text"] > 0, chart
    # One bar per budget holder in the utilisation chart (plus the legend's three swatches).
    page = made.page.read_text(encoding="utf-8")
    svg = re.search(r'<svg class="chart" data-chart="utilisation".*?</svg>', page)
    assert svg is not None
    assert svg.group(0).count('class="marker"') == 2  # the pace and the line below which a team is behind


@needs_chromium
def test_a_screenshot_of_the_whole_page_is_not_blank(browser: Browser, made: Made) -> None:
    open_in(browser, made.page)
    mean, variance = grey_variance(browser.screenshot(scale=0.25))
    assert 150 < mean < 254 and variance > 200, (mean, variance)
    # ... while a blank page is: the check can fail.
    browser.navigate("data:text/html,<html><body></body></html>")
    assert grey_variance(browser.screenshot(scale=0.25))[1] < 1


def _dutch_number(text: str) -> Decimal:
    return Decimal(text.replace("€", "").replace("%", "").strip().replace(".", "").replace(",", "."))


def _shown_right(value: Any, text: str) -> bool:
    """``text`` is how the table writes the JSON ``value``."""
    text = text.strip()
    if value is None:
        return text == ""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return _dutch_number(text) == value
    if isinstance(value, Decimal):
        if text.endswith("%"):  # a fraction: JSON has four places, the table one place of a percentage
            return abs(_dutch_number(text) - value * 100) <= Decimal("0.051")
        return _dutch_number(text) == value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        y, m, d = value.split("-")
        return text == f"{d}-{m}-{y}"
    return bool(text) == bool(value)


@needs_chromium
def test_the_tables_hold_the_figures_of_the_json_reports(browser: Browser, made: Made) -> None:
    tables = open_in(browser, made.page).seen["tables"]
    for report in REPORTS:
        rows = [r["cells"] for r in tables.get(report, []) if not r["total"]]
        records = made.json[report]
        if (made.name, report) == ("rotterdam", "leadtime"):
            assert not rows and "nog niet bijgehouden" in made.page.read_text(encoding="utf-8")
            continue
        if (made.name, report) == ("rotterdam", "outcomes"):  # none evaluated: one line, no column of zeros
            assert not any(r["evaluated"] for r in records)
            cases = sum(r["cases"] for r in records)
            assert not rows and f"Nog geen uitgave geëvalueerd ({cases} uitgaven in 2015)." in made.page.read_text(
                encoding="utf-8")
            continue
        assert len(rows) == len(records), report
        # Something to compare (Rotterdam 2015 has no open loans: the page says so instead of a table).
        assert records or (made.name, report) == ("rotterdam", "loans"), report
        for cells, record in zip(rows, records, strict=True):
            assert set(cells) <= set(record), (report, set(cells) - set(record))
            for key, (value, text) in cells.items():
                assert json.loads(value, parse_float=Decimal) == record[key], (report, key, value, record[key])
                assert _shown_right(record[key], text), (report, key, text, record[key])
    money = {"utilisation": {"budget", "spent", "projected"}, "compare": {"average", "median", "max"},
             "categories": {"amount"}, "loans": {"outstanding"}, "outcomes": {"avoided_cost"}}
    for report, keys in money.items():
        if tables.get(report) and made.json[report]:
            assert keys <= set(tables[report][0]["cells"]), report
    # The spend per month ends, for every budget holder, at the spent of utilisation.
    last = {}
    for row in tables["months"]:
        months = sorted(k for k in row["cells"] if k != "team")
        last[json.loads(row["cells"]["team"][0])] = Decimal(row["cells"][months[-1]][0])
    assert last == {r["team"]: r["spent"] for r in made.json["utilisation"]}


@needs_chromium
def test_rotterdam_shows_the_eight_percent(browser: Browser, rotterdam: Made) -> None:
    seen = open_in(browser, rotterdam.page).seen
    assert seen["tiles"]["benut"] == "8%"
    assert seen["tiles"]["besteed"] == "€ 33.135,61"
    assert seen["tiles"]["budget"] == "€ 420.000,00"
    total = next(r["cells"] for r in seen["tables"]["utilisation"] if r["total"])
    assert total["utilisation"] == ["0.0789", "7,9%"]


# ---------------------------------------------------------------------------- the PDF


def _engine_present() -> bool:
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return CHROMIUM is not None
    return True


# ---------------------------------------------------------------------------- the command


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(ROOT / "ledgers", root)
    return root


@pytest.fixture
def dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The report in Dutch, as people get it by default (the suite runs in English): for the
    tests that read the report's Dutch sentences."""
    monkeypatch.setenv("MAATWERK_LANG", "nl")


@pytest.mark.usefixtures("dutch")
def test_without_output_it_writes_the_month_here_and_prints_the_path(
        cli: Cli, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    before = snapshot(demo)
    result = cli("--ledgers", str(demo), "report", "--month", "2026-10")
    assert result.code == 0, result.err
    assert result.out == "maatwerk-2026-10.html\n"
    page = (here / "maatwerk-2026-10.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page
    assert "Maandrapportage oktober 2026" in page
    assert snapshot(demo) == before
    # The same figures give the same page, byte for byte.
    assert cli("--ledgers", str(demo), "report", "--month", "2026-10").code == 0
    assert (here / "maatwerk-2026-10.html").read_text(encoding="utf-8") == page


def test_the_report_never_lands_in_the_ledger_folder(cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(demo)
    assert_refused(cli("--ledgers", str(demo), "report", "-o", str(demo / "teams" / "x.html")), "ledger folder")
    monkeypatch.chdir(demo)
    assert_refused(cli("--ledgers", str(demo), "report", "--month", "2026-10"), "ledger folder")
    assert snapshot(demo) == before


@pytest.mark.parametrize(("args", "needle"), [
    (("-o", "x.xlsx"), ".html or .pdf"),
    (("-o", "nowhere/x.html"), "does not exist"),
    (("--month", "2026-10", "--as-of", "1-10-2026"), "not both"),
    (("--month", "2027-01"), "not begun"),
    (("--team", "nergens"), "nergens"),
    (("--min-amount", "veel"), "amount"),
])
def test_mistakes_are_one_line(cli: Cli, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               args: tuple[str, ...], needle: str) -> None:
    monkeypatch.chdir(tmp_path)
    before = snapshot(demo)
    assert_refused(cli("--ledgers", str(demo), "report", *args), needle)
    assert snapshot(demo) == before
    assert not list(tmp_path.glob("*.html"))


def test_a_pdf_without_an_engine_says_how_to_get_one(cli: Cli, demo: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("MAATWERK_CHROMIUM", raising=False)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if not installed
    out = tmp_path / "x.pdf"
    result = cli("--ledgers", str(demo), "report", "--month", "2026-10", "-o", str(out))
    assert_refused(result, "WeasyPrint", "Chromium", "apt-get install chromium")
    assert not out.exists() and not list(tmp_path.glob(".x.pdf*"))


@pytest.mark.usefixtures("dutch")
def test_the_team_option_keeps_only_those_holders(cli: Cli, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "twee.html"
    assert cli("--ledgers", str(demo), "report", "--month", "2026-10", "--team", "oost", "-t", "zuid",
               "-o", str(out)).code == 0
    page = out.read_text(encoding="utf-8")
    assert 'data-chart="cumulative-oost"' in page and 'data-chart="cumulative-zuid"' in page
    assert 'data-chart="cumulative-noord"' not in page
    assert "noord-2026-0022" not in page  # noord's overdue loan
    assert "Alleen deze budgethouders: oost, zuid." in page


@pytest.mark.usefixtures("dutch")
def test_redact_leaves_out_stories_reasons_and_household_codes(cli: Cli, demo: Path, tmp_path: Path) -> None:
    plain, hidden = tmp_path / "plain.html", tmp_path / "redacted.html"
    assert cli("--ledgers", str(demo), "report", "--month", "2026-10", "-o", str(plain)).code == 0
    assert cli("--ledgers", str(demo), "report", "--month", "2026-10", "--redact", "-o", str(hidden)).code == 0
    a, b = plain.read_text(encoding="utf-8"), hidden.read_text(encoding="utf-8")
    story = "huurachterstand: ontruiming gezin voorkomen"
    reason = "kerstpakketten voor alle cliënten: geen maatwerk"
    assert story in a and reason in a and "H-3NPNCW" in a  # the control: all there unredacted
    assert story not in b and reason not in b
    assert not re.search(r"\bH-[A-Z0-9]{4,10}\b", b)
    assert re.search(r"\bHH-\d{4}\b", b)  # the loans keep a pseudonym for follow-up
    assert "Verhaal weggelaten." in b and "zonder verhalen, redenen en namen" in b
    assert 'data-chart="refusals"' in b and "redenen weggelaten" in b  # by team instead of by reason
    # The figures stay the same.
    for figure in ("56.159,90", "3.880,00", "46.300,00"):
        assert figure in a and figure in b


@pytest.mark.usefixtures("dutch")
def test_the_lead_time_section_says_what_is_missing(cli: Cli, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert cli("--ledgers", str(demo), "report", "--month", "2026-10", "-o", str(out)).code == 0
    page = out.read_text(encoding="utf-8")
    assert 'id="doorlooptijd"' in page and "nog niet bijgehouden" in page
    assert 'data-chart="leadtime"' not in page


@pytest.mark.usefixtures("dutch")
def test_the_lead_time_section_shows_the_days_from_request_to_payment(lcli: Cli, ledger_dir: Path,
                                                                       tmp_path: Path) -> None:
    for amount, day, asked in (("50", "2-3-2025", "1-3-2025"), ("51", "10-3-2025", "3-3-2025"),
                               ("52", "12-3-2025", "12-3-2025")):
        assert lcli("spend", "noord", amount, "-c", "Levensmiddelen", "-d", day, "--requested", asked).code == 0
    out = tmp_path / "r.html"
    assert lcli("report", "--as-of", "31-3-2025", "-o", str(out)).code == 0
    page = out.read_text(encoding="utf-8")
    assert 'data-chart="leadtime"' in page and "nog niet bijgehouden" not in page
    # Days 1, 7 and 0: the median is 1; two of the three were paid within a day.
    section = page[page.index('id="doorlooptijd"'):]
    assert "mediaan 1, 90% " in section


def test_the_spend_per_month_worked_by_hand(ledger_dir: Path) -> None:
    """Spend per month, its running total and the straight pace line, by hand."""
    import datetime as dt

    from maatwerk_cli import Ledger
    from maatwerk_cli.analysis.overview import spend_by_month
    from maatwerk_cli.analysis.reports import utilisation_report

    lg = Ledger(ledger_dir)
    lg.spend("noord", Decimal("100"), category="Levensmiddelen", date=dt.date(2025, 1, 15))
    lg.spend("noord", Decimal("250.50"), category="Wonen", date=dt.date(2025, 3, 2))
    voided = lg.spend("noord", Decimal("999"), category="Wonen", date=dt.date(2025, 3, 3))
    lg.void(voided, reason="twee keer ingevoerd")
    lg.spend("zuid", Decimal("40"), category="Levensmiddelen", date=dt.date(2025, 3, 20))
    lg.spend("zuid", Decimal("60"), category="Levensmiddelen", date=dt.date(2025, 3, 21))  # after the as-of date
    report = spend_by_month(lg, as_of=dt.date(2025, 3, 20))
    noord = [(r["month"], r["until"], r["spent"], r["cumulative"], r["pace"])
             for r in report.records if r["team"] == "noord"]
    assert noord == [
        # 10.000 x 31/365 = 849,315...; x 59/365 = 1.616,438...; x 79/365 (20 March) = 2.164,383...
        ("2025-01", dt.date(2025, 1, 31), Decimal("100.00"), Decimal("100.00"), Decimal("849.32")),
        ("2025-02", dt.date(2025, 2, 28), Decimal("0.00"), Decimal("100.00"), Decimal("1616.44")),
        ("2025-03", dt.date(2025, 3, 20), Decimal("250.50"), Decimal("350.50"), Decimal("2164.38")),
    ]
    total = report.attrs["total"]
    assert [(r["spent"], r["cumulative"], r["budget"]) for r in total] == [
        (Decimal("100.00"), Decimal("100.00"), Decimal("15000.00")),
        (Decimal("0.00"), Decimal("100.00"), Decimal("15000.00")),
        (Decimal("290.50"), Decimal("390.50"), Decimal("15000.00")),
    ]
    # 15.000 x 79/365 = 3.246,575...
    assert total[-1]["pace"] == Decimal("3246.58")
    # The last month ends at what utilisation counts as spent on that day.
    u = utilisation_report(lg, as_of=dt.date(2025, 3, 20))
    assert {r["team"]: r["spent"] for r in u.records} == {"noord": Decimal("350.50"), "zuid": Decimal("40.00")}
    assert {r["team"]: r["expected_spend"] for r in u.records} == {r["team"]: r["pace"] for r in report.records
                                                                   if r["until"] == dt.date(2025, 3, 20)}


def test_the_pace_line_follows_a_top_up_and_a_pilot(lcli: Cli, ledger_dir: Path) -> None:
    """The report's pace line is the pace of utilisation: a top-up from 1 July adds to the
    expected spend from July only; a pilot from 1 July expects nothing before July."""
    import datetime as dt

    from maatwerk_cli import Ledger
    from maatwerk_cli.analysis.overview import spend_by_month

    assert lcli("team", "budget", "noord", "+3.650", "--from", "1-7-2025").code == 0
    assert lcli("team", "budget", "zuid", "--start", "1-7-2025").code == 0
    report = spend_by_month(Ledger(ledger_dir), as_of=dt.date(2025, 9, 30))
    pace = {(r["team"], r["month"]): r["pace"] for r in report.records}
    # noord: 10.000 x 30/365 by June (unchanged: 10.000 x 181/365 = 4.958,90), then 3.650 over
    # 184 days from 1 July: by 31 July 10.000 x 212/365 + 3.650 x 31/184.
    assert pace["noord", "2025-06"] == Decimal("4958.90")
    assert pace["noord", "2025-07"] == (Decimal(10000) * 212 / 365 + Decimal(3650) * 31 / 184).quantize(Decimal("0.01"))
    assert pace["zuid", "2025-06"] == Decimal("0.00")
    assert pace["zuid", "2025-07"] == (Decimal(5000) * 31 / 184).quantize(Decimal("0.01"))
    u = json.loads(lcli("utilisation", "--as-of", "30-9-2025", "-f", "json").out, parse_float=Decimal)
    assert {r["team"]: r["expected_spend"] for r in u} == {t: pace[t, "2025-09"] for t in ("noord", "zuid")}


@pytest.mark.usefixtures("dutch")
def test_a_budget_with_its_own_period_has_its_own_pace_tick(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    """With a pilot from 1 July the utilisation chart marks each bar at its own pace, at the
    place the pace of `utilisation` puts it; without one there is no tick."""
    out = tmp_path / "plain.html"
    assert lcli("report", "--as-of", "30-9-2025", "-o", str(out)).code == 0
    assert 'class="own-pace"' not in out.read_text(encoding="utf-8")
    assert lcli("team", "budget", "zuid", "--start", "1-7-2025").code == 0
    out = tmp_path / "pilot.html"
    assert lcli("report", "--as-of", "30-9-2025", "-o", str(out)).code == 0
    page = out.read_text(encoding="utf-8")
    svg = re.search(r'<svg class="chart" data-chart="utilisation".*?</svg>', page, re.S)
    assert svg is not None
    ticks = re.findall(r'<line class="own-pace" x1="([0-9.]+)"', svg.group(0))
    assert len(ticks) == 2  # noord and zuid
    u = {r["team"]: r for r in json.loads(lcli("utilisation", "--as-of", "30-9-2025", "-f", "json").out)}
    # zuid's pilot is 92 of its 184 days in: 50%; noord's whole year 273 of 365 days: 74,8%.
    assert round(u["zuid"]["pace"], 4) == 0.5 and round(u["noord"]["pace"], 4) == round(273 / 365, 4)
    # The tick of the later pace lies further right.
    assert float(ticks[0]) > float(ticks[1])
    assert "eigen tempo" in page
