"""The report commands through the real command line: every report in every format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_reports import Built, build

from conftest import Result, assert_refused, run_process, snapshot
from maatwerk_cli import Ledger

Cli = Callable[..., Result]


@pytest.fixture(autouse=True)
def _no_frame_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test the loader itself, and leave the user's cache folder alone."""
    monkeypatch.setenv("MAATWERK_NO_CACHE", "1")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("reports-cli") / "ledgers")


@pytest.fixture
def rcli(cli: Cli, built: Built) -> Cli:
    """The CLI bound to the hand-made ledger of test_reports."""

    def call(*args: str) -> Result:
        return cli("--ledgers", str(built.root), *args)

    return call


def ok(result: Result) -> Result:
    assert result.code == 0, (result.code, result.out, result.err)
    return result


def as_json(result: Result) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(ok(result).out)
    return data


# ---------------------------------------------------------------------------- utilisation


def test_a_new_coordinator_sees_who_is_behind(rcli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = ok(rcli("utilisation", "--as-of", "30-9-2025"))
    out = result.out
    assert "Utilisation 2025, as of 30-09-2025 (Teststad)" in out
    assert "total" in out
    assert "under" in out and "over" in out and "on-track" in out
    assert "Pace: 74,8% of 2025 has passed on 30-09-2025" in out
    assert "Behind the pace (1 of 4): noord." in out
    assert "Over budget, or heading there (2 of 4): fonds, oost." in out
    noord = next(line for line in out.splitlines() if line.strip().startswith("noord"))
    # At 80 columns the euro sign moves to the headers.
    assert "budget €" in out
    assert "10.000,00" in noord and "1.995,00" in noord and ("19,9%" in noord or "20,0%" in noord)
    assert all(len(line) <= 80 for line in out.splitlines()), out
    # oost has no budget for 2025: said once, on stderr
    assert "no budget set for 2025: oost" in result.err


def test_utilisation_table_is_wider_on_a_wide_terminal(rcli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    out = ok(rcli("utilisation", "--as-of", "30-9-2025")).out
    header = next(line for line in out.splitlines() if "team" in line and "budget" in line)
    assert "repaid" in header and "net" in header and "cash" in header
    assert "€ 40,00" in out  # noord's cash on hand


def test_utilisation_json_keys_and_exact_money(rcli: Cli) -> None:
    raw = ok(rcli("utilisation", "--as-of", "2025-09-30", "--format", "json")).out
    rows = json.loads(raw)
    assert list(rows[0]) == ["team", "budget", "spent", "repaid", "net", "utilisation", "expected",
                             "status", "projected", "cash_on_hand", "kind", "name", "pace", "expected_spend"]
    assert [r["team"] for r in rows] == ["fonds", "noord", "oost", "zuid"]  # no totals row
    noord = next(r for r in rows if r["team"] == "noord")
    assert '"spent": 1995.00' in raw and '"projected": 2667.31' in raw
    assert noord["repaid"] == 600.0 and noord["net"] == 1395.0 and noord["status"] == "under"
    assert noord["expected"] == pytest.approx(273 / 365, abs=1e-4)
    assert noord["pace"] == noord["expected"]  # a whole-year budget: the pace is the share of days
    assert '"expected_spend": 7479.45' in raw  # 10.000 x 273/365 = 7.479,452...
    oost = next(r for r in rows if r["team"] == "oost")
    assert oost["utilisation"] is None and oost["status"] == "over"
    assert next(r for r in rows if r["team"] == "fonds")["kind"] == "fund"


def test_utilisation_month_and_under_share(rcli: Cli) -> None:
    rows = as_json(rcli("utilisation", "noord", "zuid", "--month", "2025-06", "--format", "json"))
    assert [r["team"] for r in rows] == ["noord", "zuid"]
    assert rows[0]["month_spent"] == 60.0
    assert list(rows[0])[9] == "month_spent"
    strict = as_json(rcli("utilisation", "zuid", "--as-of", "30-09-2025", "--under-share", "69%",
                          "--format", "json"))
    assert strict[0]["status"] == "under"
    table = ok(rcli("utilisation", "--month", "2025-06")).out
    assert "this month" in table and "60,00" in table


def test_utilisation_csv_for_scripts_and_for_dutch_excel(rcli: Cli) -> None:
    plain = ok(rcli("utilisation", "--year", "2025", "--format", "csv")).out
    rows = list(csv.DictReader(io.StringIO(plain)))
    assert [r["team"] for r in rows] == ["fonds", "noord", "oost", "zuid"]
    noord = next(r for r in rows if r["team"] == "noord")
    assert noord["spent"] == "2250.00" and noord["utilisation"] == "0.225"
    dutch = ok(rcli("utilisation", "--year", "2025", "--format", "csv-nl")).out
    assert not dutch.startswith("\ufeff")  # the BOM goes into files only (-o)
    nl_rows = list(csv.DictReader(io.StringIO(dutch), delimiter=";"))
    noord_nl = next(r for r in nl_rows if r["team"] == "noord")
    assert noord_nl["spent"] == "2250,00" and noord_nl["utilisation"] == "0,225"
    assert "totaal" not in plain and "totaal" not in dutch


def test_utilisation_markdown_has_totals_and_legend(rcli: Cli) -> None:
    md = ok(rcli("utilisation", "--year", "2025", "--format", "markdown")).out
    assert md.startswith("## Utilisation 2025, as of 31-12-2025 (Teststad)")
    assert "| total | € 25.000,00 | € 12.428,01 |" in md
    assert "Pace: 100,0% of 2025" in md and "[yellow]" not in md


def test_utilisation_to_files_by_extension(rcli: Cli, tmp_path: Path) -> None:
    xlsx = tmp_path / "benutting.xlsx"
    result = ok(rcli("utilisation", "--year", "2025", "--output", str(xlsx)))
    assert result.out == "" and "wrote" in result.err
    ws = load_workbook(xlsx).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("Utilisation 2025")  # a title, an empty row, then the header
    assert rows[2][:9] == ("team", "budget", "spent", "repaid", "net", "utilisation", "expected",
                           "status", "projected")
    noord = next(r for r in rows if r[0] == "noord")
    assert noord[2] == 2250 and isinstance(noord[2], (int, float))  # a number cell, not text
    total = next(r for r in rows if r[0] == "total")
    assert total[1] == 25000.0
    assert rows[-1][0].startswith("Over budget, or heading there")  # the lines under the table follow it
    assert ws.cell(row=4, column=2).number_format.startswith('"€" #,##0.00')
    assert ws.cell(row=4, column=6).number_format == "0.0%"

    texts = {}
    for name in ("b.csv", "b.json", "b.md"):
        ok(rcli("utilisation", "--year", "2025", "-o", str(tmp_path / name)))
        texts[name] = (tmp_path / name).read_text(encoding="utf-8")
    assert texts["b.csv"].startswith("team,budget,spent") and "totaal" not in texts["b.csv"]
    assert json.loads(texts["b.json"])[0]["team"] == "fonds" and "totaal" not in texts["b.json"]
    assert "| total |" in texts["b.md"] and "€ 2.250,00" in texts["b.md"]


# ---------------------------------------------------------------------------- compare


def test_compare_json_and_table(rcli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = as_json(rcli("compare", "--year", "2025", "--format", "json"))
    assert list(rows[0])[:12] == ["team", "budget", "spent", "utilisation", "count", "average",
                                  "median", "max", "top_category", "loans_outstanding",
                                  "tegenprestatie_share", "refusals"]
    noord = next(r for r in rows if r["team"] == "noord")
    assert (noord["count"], noord["average"], noord["median"], noord["max"]) == (5, 449.0, 250.0, 1100.0)
    assert noord["top_category"] == "Opleiding en werk" and noord["loans_outstanding"] == 1550.0
    assert noord["tegenprestatie_share"] == 0.4 and noord["refusals"] == 1
    oost = next(r for r in rows if r["team"] == "oost")
    assert oost["top_category"] == "Vervoer" and oost["median"] == 10.01
    monkeypatch.setenv("COLUMNS", "80")
    table = ok(rcli("compare", "--year", "2025")).out
    assert "total" in table and "Opleiding en" in table
    assert all(len(line) <= 80 for line in table.splitlines()), table
    md = ok(rcli("compare", "--year", "2025", "--format", "markdown")).out
    assert "| total |" in md and "€ 80,00" in md  # the median of all 12 spends


def test_compare_transposed(rcli: Cli) -> None:
    table = ok(rcli("compare", "noord", "zuid", "--year", "2025", "--transpose", "--format", "markdown")).out
    lines = table.splitlines()
    assert lines[2].startswith("|   | noord | zuid | total |") or "| noord | zuid | total |" in lines[2]
    assert "| spent € | 2.250,00 | 2.658,00 | 4.908,00 |" in table
    assert "| most money | Opleiding en werk | Wonen | Wonen |" in table
    assert "| name |" not in table  # long text stays out of the human view
    data = as_json(rcli("compare", "noord", "zuid", "--year", "2025", "--transpose", "--format", "json"))
    spent = next(r for r in data if r["field"] == "spent")
    assert spent == {"field": "spent", "noord": 2250.0, "zuid": 2658.0}
    assert any(r["field"] == "name" for r in data)


def test_summary_of_a_few_municipalities_is_shown_side_by_side(cli: Cli, tmp_path: Path) -> None:
    built = build(tmp_path)
    other = Ledger.init(tmp_path / "ander", municipality="Anderstad", year=2025)
    other.add_team("wijk", name="Wijk", budget=Decimal("1000"), year=2025)
    other.spend("wijk", Decimal("40"), category="Wonen", date=dt.date(2025, 5, 1))
    roots = [str(built.root), str(tmp_path / "ander")]
    table = ok(cli("summary", *roots, "--year", "2025", "--format", "markdown")).out
    lines = table.splitlines()
    assert "| Teststad | Anderstad |" in lines[2]
    assert any(line.startswith("| highest € |") and "| 40,00 |" in line for line in lines)
    assert any(line.startswith("| tegenprestatie |") for line in lines)
    flat = ok(cli("summary", *roots, "--year", "2025", "--format", "markdown", "--no-transpose")).out
    assert flat.splitlines()[2].startswith("| municipality |")
    rows = as_json(cli("summary", *roots, "--year", "2025", "--format", "json"))
    assert [r["municipality"] for r in rows] == ["Teststad", "Anderstad"]  # data stays one row each
    turned = as_json(cli("summary", *roots, "--year", "2025", "--format", "json", "--transpose"))
    assert next(r for r in turned if r["field"] == "spent")["Anderstad"] == 40.0


# ---------------------------------------------------------------------------- the other reports


def test_categories(rcli: Cli) -> None:
    rows = as_json(rcli("categories", "--year", "2025", "--format", "json"))
    assert list(rows[0]) == ["category", "count", "amount", "share_count", "share_amount"]
    assert [r["category"] for r in rows][:3] == ["Wonen", "Opleiding en werk", "Overig"]
    assert rows[0]["amount"] == 11050.0 and rows[0]["count"] == 4
    table = ok(rcli("categories", "--year", "2025")).out
    assert "total" in table and "12.423,01" in table and "Financiën" in table
    listed = ok(rcli("categories", "--list")).out.splitlines()
    assert "Levensmiddelen" in listed and "Financiën" in listed


def test_loans(rcli: Cli, built: Built) -> None:
    rows = as_json(rcli("loans", "--as-of", "30-09-2025", "--format", "json"))
    assert [r["id"] for r in rows] == [built.ids[k] for k in ("n_old", "n_rent", "z_loan", "n_cond")]
    assert rows[0]["days_overdue"] == 253 and rows[0]["outstanding"] == 300.0
    assert rows[3]["due"] is None and rows[3]["kind"] == "conditional"
    overdue = as_json(rcli("loans", "zuid", "--overdue", "--as-of", "30-09-2025", "--format", "json"))
    assert [r["id"] for r in overdue] == [built.ids["z_loan"]]
    table = ok(rcli("loans", "--as-of", "30-09-2025")).out
    assert "total" in table and "1.745,67" in table  # 300 + 600 + 800 + 45,67


def test_outcomes(rcli: Cli) -> None:
    rows = as_json(rcli("outcomes", "--year", "2025", "--format", "json"))
    assert list(rows[0])[:5] == ["team", "reached", "partial", "not_reached", "avoided_cost"]
    noord = next(r for r in rows if r["team"] == "noord")
    assert noord["reached"] == 1 and noord["avoided_cost"] == 7414.0
    table = ok(rcli("outcomes", "--year", "2025")).out
    assert "Of 12 cases, 3 evaluated: 1 reached their goal, 1 partly, 1 not." in " ".join(table.split())
    assert "total" in table


def test_stories_never_show_household_codes(rcli: Cli, tmp_path: Path) -> None:
    text = ok(rcli("stories")).out
    assert text.startswith("# Cases in Teststad")
    for code in ("H-7KXM4P", "H-BCDF23", "H-QRST56"):
        assert code not in text
    assert "boodschappen voor [huishouden], melk" in text
    only = ok(rcli("stories", "--team", "zuid", "--category", "kleding")).out
    assert "## Kleding: 1 case, € 12,34" in only and "## Wonen" not in only
    assert "Tegenprestatie: schildert het hek (agreed)" in only and "Outcome: partial" in only
    big = ok(rcli("stories", "--min-amount", "2.000", "--since", "1-1-2025")).out
    assert "€ 2.500,00" in big and "€ 7.500,00" in big and "€ 35,00" not in big
    path = tmp_path / "verhalen.md"
    ok(rcli("stories", "--output", str(path)))
    assert path.read_text(encoding="utf-8") == text


# ---------------------------------------------------------------------------- summary


def test_summary_over_several_folders(cli: Cli, built: Built, tmp_path: Path) -> None:
    other = Ledger.init(tmp_path / "zaanstad", municipality="Zaanstad", year=2025)
    other.add_team("centrum", name="Centrum", budget=Decimal("400000"), year=2025)
    other.spend("centrum", Decimal("79954"), category="Wonen",
                date=__import__("datetime").date(2025, 6, 1))
    rows = as_json(cli("summary", str(built.root), str(tmp_path / "zaanstad"), "--year", "2025",
                       "--format", "json"))
    assert [r["municipality"] for r in rows] == ["Teststad", "Zaanstad"]
    assert list(rows[0])[:3] == ["municipality", "budget", "spent"]
    assert rows[1]["utilisation"] == pytest.approx(0.1999, abs=1e-4)  # 79.954 / 400.000 = 20%
    teams = as_json(cli("summary", str(built.root), str(tmp_path / "zaanstad"), "--year", "2025",
                        "--by", "team", "--format", "json"))
    assert [(r["municipality"], r["team"]) for r in teams][-1] == ("Zaanstad", "centrum")
    table = ok(cli("summary", str(built.root), str(tmp_path / "zaanstad"), "--year", "2025")).out
    assert "Teststad" in table and "Zaanstad" in table


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--transpose", "--by", "provincie"), "--by"),
        (("--no-transpose", "--format", "pdf"), "format"),
        (("--redact", "--output", "x.pdf"), ".xlsx"),
    ],
)
def test_summary_mistakes_exit_2_with_one_line(cli: Cli, built: Built, args: tuple[str, ...],
                                               needle: str) -> None:
    before = snapshot(built.root)
    result = cli("summary", str(built.root), "--year", "2025", *args)
    assert_refused(result, needle)
    assert result.out == ""
    assert snapshot(built.root) == before


def test_summary_skips_a_folder_that_is_not_a_ledger(cli: Cli, built: Built, tmp_path: Path) -> None:
    """`summary examples/*` works: a path that is not a ledger is skipped, with a warning."""
    (tmp_path / "leeg").mkdir()
    result = ok(cli("summary", str(built.root), str(tmp_path / "leeg"), "--year", "2025", "-f", "json"))
    assert [r["municipality"] for r in json.loads(result.out)] == ["Teststad"]
    assert "leeg is not a ledger folder" in result.err and "skipped" in result.err
    assert_refused(cli("summary", str(built.root), "--by", "provincie"), "--by")
    assert_refused(cli("summary", str(built.root), str(built.root)), "given twice")


# ---------------------------------------------------------------------------- mistakes


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("utilisation", "--year", "twintig"), "year"),
        (("utilisation", "--as-of", "31-2-2025"), "does not exist"),
        (("utilisation", "--as-of", "1-1-2999"), "future"),
        (("utilisation", "--month", "2025-13"), "month"),
        (("utilisation", "--month", "2025-03", "--as-of", "1-3-2025"), "not both"),
        (("utilisation", "--year", "2024", "--as-of", "1-3-2025"), "not in 2024"),
        (("utilisation", "--year", "2099"), "not begun"),
        (("utilisation", "--under-share", "2"), "between 0 and 1"),
        (("utilisation", "noordd"), "did you mean 'noord'"),
        (("utilisation", "--format", "pdf"), "format"),
        (("utilisation", "--output", "x.pdf"), ".xlsx"),
        (("utilisation", "--output", "/nonexistent/dir/x.csv"), "does not exist"),
        (("compare", "--year", "1800"), "year"),
        (("categories", "--list", "noord"), "--list"),
        (("loans", "--as-of", "gisteren-ochtend"), "date"),
        (("stories", "--min-amount", "-5"), "negative"),
        (("stories", "--min-amount", "1,234.5"), "English"),
        (("stories", "--category", "bestaatniet"), "category"),
        (("stories", "--since", "32-1-2025"), "does not exist"),
        (("stories", "--output", "verhalen.pdf"), ".md"),
        (("outcomes", "--bogus"), "no such option"),
        (("compare", "--redact", "--format", "pdf"), "format"),
        (("utilisation", "--redact", "noordd"), "did you mean 'noord'"),
        (("loans", "--redact", "--output", "x.pdf"), ".xlsx"),
        (("categories", "--redact", "--year", "twintig"), "year"),
        (("outcomes", "--redact", "--year", "2099"), "not begun"),
        (("stories", "--redact", "--output", "verhalen.pdf"), ".md"),
    ],
)
def test_mistakes_exit_2_with_one_line_and_write_nothing(
    rcli: Cli, built: Built, args: tuple[str, ...], needle: str
) -> None:
    before = snapshot(built.root)
    result = rcli(*args)
    assert_refused(result, needle)
    assert result.out == ""
    assert snapshot(built.root) == before


def test_lines_set_aside_are_warned_about(cli: Cli, built: Built, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(built.root, root)
    journal = root / "teams" / "zuid.csv"
    journal.write_bytes(journal.read_bytes().replace(b"2500.00", b"2400.00"))
    result = ok(cli("--ledgers", str(root), "utilisation", "--year", "2025", "--format", "json"))
    assert "checksum does not match" in result.err and "maatwerk check" in result.err
    zuid = next(r for r in json.loads(result.out) if r["team"] == "zuid")
    assert zuid["spent"] == 158.0  # the damaged 2.500 line is set aside, not guessed at


def test_whole_process_and_no_ledger(tmp_path: Path, built: Built) -> None:
    done = run_process("--ledgers", str(built.root), "compare", "--year", "2025", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["team"] == "fonds"
    missing = run_process("--ledgers", str(tmp_path / "nope"), "utilisation")
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert "maatwerk init" in missing.stderr


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.skipif(not (EXAMPLES / "rotterdam-2015").is_dir(), reason="example ledgers not present")
def test_published_figures_of_rotterdam_and_zaanstad(cli: Cli) -> None:
    """The comparison table of the sources: Rotterdam 8% of 420.000, Zaanstad 20% of 400.000."""
    rows = as_json(cli("summary", str(EXAMPLES / "rotterdam-2015"), str(EXAMPLES / "zaanstad-2015"),
                       "--year", "2015", "--format", "json"))
    rotterdam, zaanstad = rows
    assert (rotterdam["budget"], rotterdam["spent"], rotterdam["count"]) == (420000.0, 33135.61, 264)
    assert round(float(str(rotterdam["utilisation"])) * 100) == 8
    assert rotterdam["max"] == 2500.0 and rotterdam["top_category"] == "Levensmiddelen"
    assert round(float(str(rotterdam["average"]))) == 126  # "about EUR 125"
    assert (zaanstad["budget"], zaanstad["spent"]) == (400000.0, 79954.0)
    assert round(float(str(zaanstad["utilisation"])) * 100) == 20
    assert zaanstad["max"] == 8500.0 and zaanstad["top_category"] == "Wonen"


@pytest.mark.skipif(not (EXAMPLES / "zaanstad-2015").is_dir(), reason="example ledgers not present")
def test_researcher_script(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "summary.csv"
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "researcher_summary.py"), str(EXAMPLES / "zaanstad-2015"),
         "--year", "2015", "--csv", str(out)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Zaanstad" in done.stdout and "79954.00" in done.stdout
    saved = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert saved[0]["spent"] == "79954.00" and saved[0]["max"] == "8500.00"


REPORTS = [
    ("utilisation", "--year", "2025"),
    ("compare", "--year", "2025"),
    ("compare", "--year", "2025", "--transpose"),
    ("categories", "--year", "2025"),
    ("loans", "--as-of", "31-12-2025"),
    ("outcomes", "--year", "2025"),
]


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: "-".join(a for a in r if not a[0].isdigit()))
def test_every_report_in_every_format(rcli: Cli, tmp_path: Path, report: tuple[str, ...]) -> None:
    data = as_json(rcli(*report, "--format", "json"))
    assert data and all(r.get("team") != "totaal" and r.get("id") != "totaal" for r in data)
    keys = list(data[0])
    plain = ok(rcli(*report, "--format", "csv")).out
    assert plain.splitlines()[0].split(",") == keys
    assert len(list(csv.reader(io.StringIO(plain)))) == len(data) + 1  # header + rows, no totals
    dutch = ok(rcli(*report, "--format", "csv-nl")).out
    assert dutch.split("\r\n")[0].split(";") == keys  # no BOM on stdout
    md = ok(rcli(*report, "--format", "markdown")).out
    assert md.startswith("## ") and "| --- |" in md.replace(":", "").replace("---|", "--- |")
    table = ok(rcli(*report)).out
    # The totals label in English (not "totals" in a note); JSON keeps totaal.
    assert re.search(r"\btotal\b", table) and "| total |" in md
    xlsx = tmp_path / "report.xlsx"
    ok(rcli(*report, "--output", str(xlsx)))
    ws = load_workbook(xlsx).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    header = rows[2]  # a title, an empty row, the header (Dutch titles)
    body = list(itertools.takewhile(lambda row: any(v is not None for v in row), rows[3:]))  # notes follow
    if "--transpose" in report:
        assert list(header)[1:] == [*keys[1:], "total"]  # the totals are a column here
        assert len(body) == len(data)
    else:
        assert len(header) == len(keys) and all(isinstance(h, str) and h for h in header)
        assert len(body) == len(data) + 1  # rows, totals
    numbers = [v for row in body for v in row if isinstance(v, (int, float))]
    assert numbers  # money and counts are number cells


def test_summary_and_stories_formats(cli: Cli, built: Built, tmp_path: Path) -> None:
    for fmt in ("table", "csv", "csv-nl", "json", "markdown"):
        result = ok(cli("summary", str(built.root), "--year", "2025", "--format", fmt))
        assert "Teststad" in result.out
    xlsx = tmp_path / "summary.xlsx"
    ok(cli("summary", str(built.root), "--year", "2025", "--by", "team", "-o", str(xlsx)))
    ws = load_workbook(xlsx).active
    assert ws is not None
    assert [c.value for c in ws[3]][:3] == ["municipality", "team", "budget"]


def test_a_ledger_of_an_earlier_year_shows_that_year(cli: Cli, tmp_path: Path) -> None:
    lg = Ledger.init(tmp_path / "oud", municipality="Oudstad", year=2015)
    lg.add_team("wijk", name="Wijk", budget=Decimal("1000"), year=2015)
    lg.spend("wijk", Decimal("40"), category="Wonen", date=dt.date(2015, 5, 1))
    for command in ("utilisation", "compare", "categories", "outcomes"):
        result = ok(cli("--ledgers", str(tmp_path / "oud"), command, "--format", "json"))
        assert "showing 2015" in result.err, command
        assert len(result.err.strip().splitlines()) == 1
        assert json.loads(result.out), command
    spent = json.loads(ok(cli("--ledgers", str(tmp_path / "oud"), "utilisation", "-f", "json")).out)
    assert spent[0]["spent"] == 40 and spent[0]["budget"] == 1000
    both = ok(cli("summary", str(tmp_path / "oud"), "--format", "json"))
    assert "showing 2015" in both.err and json.loads(both.out)[0]["spent"] == 40
    quiet = ok(cli("--ledgers", str(tmp_path / "oud"), "compare", "--year", "2015"))
    assert quiet.err == ""
