"""Lead time: the day a request came (``spend --requested``), and days from request to payment.

Percentiles are nearest rank: the value at rank ceil(p/100 x n) of the sorted days, so the
median of an even count is the lower middle value. Every figure is worked out in a comment.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger
from maatwerk_cli.analysis.reports import leadtime_report, nearest_rank

Cli = Callable[..., Result]
D = dt.date


def ok(result: Result) -> Result:
    assert result.code == 0, (result.code, result.out, result.err)
    return result


#: (team, amount, method, paid, requested or None): the days between them in the comment.
SPENDS = [
    ("noord", "20", "pin", "10-3-2025", "10-3-2025"),      # 0
    ("noord", "25", "pin", "12-3-2025", "11-3-2025"),      # 1
    ("noord", "300", "factuur", "20-3-2025", "14-3-2025"),  # 6
    ("noord", "150", "factuur", "21-3-2025", "18-3-2025"),  # 3
    ("noord", "30", "pin", "25-3-2025", None),             # not recorded: counted apart
    ("noord", "200", "factuur", "2-4-2025", "30-3-2025"),   # 3 (across a month's end)
    ("zuid", "45", "pin", "2-5-2025", "28-4-2025"),         # 4
]


@pytest.fixture
def recorded(lcli: Cli, ledger_dir: Path) -> Path:
    for team, amount, method, paid, asked in SPENDS:
        extra = ["--requested", asked] if asked else []
        ok(lcli("spend", team, amount, "-c", "Levensmiddelen", "-m", method, "-d", paid, *extra))
    # a voided spend is left out: 35 days would change every figure of noord
    made = ok(lcli("spend", "noord", "60", "-c", "Wonen", "-d", "5-4-2025", "--requested", "1-3-2025")).out.strip()
    ok(lcli("void", made, "--reason", "twee keer ingevoerd"))
    return ledger_dir


def test_nearest_rank() -> None:
    assert nearest_rank([], 50) is None
    assert nearest_rank([7], 90) == 7
    ten = list(range(1, 11))
    assert nearest_rank(ten, 50) == 5  # rank ceil(5) = 5
    assert nearest_rank(ten, 90) == 9  # rank ceil(9) = 9
    assert nearest_rank([0, 0, 1, 3, 3, 6], 50) == 1  # rank 3
    assert nearest_rank([0, 0, 1, 3, 3, 6], 90) == 6  # rank ceil(5,4) = 6


def test_the_request_date_is_kept_with_the_spend(recorded: Path, lcli: Cli) -> None:
    entries = {e["id"]: e for e in json.loads(ok(lcli("entries", "noord", "-f", "json")).out)}
    assert entries["noord-2025-0002"]["requested"] == "2025-03-11"
    assert entries["noord-2025-0005"]["requested"] is None  # not given: not recorded
    journal = (recorded / "teams" / "noord.csv").read_text(encoding="utf-8")
    assert '{""requested"":""2025-03-11""}' in journal  # in the extra cell; no new column
    assert journal.splitlines()[0].count(",") == 18  # the header is as before: 19 columns
    lg = Ledger(recorded)
    found = {e.id: e for e in lg.entries("noord")}
    assert found["noord-2025-0003"].requested == D(2025, 3, 14)
    assert "requested" not in found["noord-2025-0003"].extra
    assert ok(lcli("check")).out.strip() == "ok: no problems found"


def test_leadtime_per_team_and_method(recorded: Path, lcli: Cli) -> None:
    rows = json.loads(ok(lcli("leadtime", "--year", "2025", "-f", "json")).out)
    assert list(rows[0]) == ["team", "method", "count", "median_days", "p90_days", "within_one_day",
                             "without_request_date"]
    got = {(r["team"], r["method"]): (r["count"], r["median_days"], r["p90_days"], r["within_one_day"],
                                      r["without_request_date"]) for r in rows}
    assert got == {
        # noord pin: 0, 1 (the third has no request date: apart) -> median rank 1 = 0, p90 rank ceil(1,8) = 2 = 1
        ("noord", "pin"): (2, 0, 1, 2, 1),
        # noord factuur: 6, 3, 3 -> 3 3 6: median rank 2 = 3, p90 rank 3 = 6; none within a day
        ("noord", "factuur"): (3, 3, 6, 0, 0),
        # noord together: 0 1 3 3 6: median rank 3 = 3, p90 rank ceil(4,5) = 5 = 6
        ("noord", "alle"): (5, 3, 6, 2, 1),
        ("zuid", "pin"): (1, 4, 4, 0, 0),
        ("zuid", "alle"): (1, 4, 4, 0, 0),
    }
    assert [r["method"] for r in rows if r["team"] == "noord"] == ["pin", "factuur", "alle"]


def test_leadtime_totals_and_the_spends_without_a_request_date(recorded: Path) -> None:
    report = leadtime_report(Ledger(recorded), year=2025)
    # everyone with a request date: 0 1 3 3 4 6: median rank 3 = 3, p90 rank ceil(5,4) = 6 = 6
    assert report.attrs["total"] == {"team": "totaal", "method": "alle", "count": 6, "median_days": 3,
                                     "p90_days": 6, "within_one_day": 2, "without_request_date": 1}
    # every team by method: pin 0 1 4 (median rank 2 = 1, p90 rank ceil(2,7) = 3 = 4), factuur 3 3 6
    assert [(t["method"], t["count"], t["median_days"], t["p90_days"], t["without_request_date"])
            for t in report.attrs["method_totals"]] == [("pin", 3, 1, 4, 1), ("factuur", 3, 3, 6, 0)]
    assert report.attrs["not_recorded"] == 1 and report.attrs["not_recorded_by_team"] == {"noord": 1, "zuid": 0}


def test_leadtime_counts_up_to_the_as_of_date_and_one_team(recorded: Path, lcli: Cli) -> None:
    rows = json.loads(ok(lcli("leadtime", "--team", "noord", "--as-of", "31-3-2025", "-f", "json")).out)
    # up to 31 March the invoice of 2 April is not counted: 0 1 3 6 -> median rank 2 = 1, p90 rank 4 = 6
    assert [(r["method"], r["count"], r["median_days"], r["p90_days"]) for r in rows] == [
        ("pin", 2, 0, 1), ("factuur", 2, 3, 6), ("alle", 4, 1, 6)]
    rows = json.loads(ok(lcli("leadtime", "zuid", "--month", "2025-03", "-f", "json")).out)
    assert rows == [{"team": "zuid", "method": "alle", "count": 0, "median_days": None, "p90_days": None,
                     "within_one_day": None, "without_request_date": 0}]


def test_leadtime_table_and_files(recorded: Path, lcli: Cli, tmp_path: Path) -> None:
    out = ok(lcli("leadtime", "--year", "2025", "-f", "markdown")).out
    assert "method" in out and "median days" in out and "within 1 day" in out
    assert "without request date" in out
    assert "1 spend has no request date recorded (spend --requested): counted apart" in out
    assert "2 of 6 spends with a request date (33,3%) were paid within one day" in out
    ok(lcli("leadtime", "--year", "2025", "-o", str(tmp_path / "lead.csv")))
    header = (tmp_path / "lead.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "team,method,count,median_days,p90_days,within_one_day,without_request_date"
    ok(lcli("leadtime", "--year", "2025", "-o", str(tmp_path / "lead.xlsx")))
    assert (tmp_path / "lead.xlsx").stat().st_size > 0


@pytest.mark.parametrize(("args", "needle"), [
    (["--requested", "13-3-2025"], "after the payment date"),
    (["--requested", "31-2-2025"], "does not exist"),
    (["--requested", "morgen"], "not a date"),
    (["--requested", "1-3-25"], "two-digit year"),
])
def test_a_bad_request_date_writes_nothing(lcli: Cli, ledger_dir: Path, args: list[str], needle: str) -> None:
    before = snapshot(ledger_dir)
    assert_refused(lcli("spend", "noord", "20", "-c", "Wonen", "-d", "12-3-2025", *args), needle)
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize(("args", "needle"), [
    (["--team", "nergens"], "unknown team"),
    (["--as-of", "31-3-2025", "--month", "2025-03"], "not both"),
    (["--year", "20x5"], "not a year"),
    (["-f", "pdf"], "format"),
])
def test_leadtime_refuses_bad_options(lcli: Cli, ledger_dir: Path, args: list[str], needle: str) -> None:
    before = snapshot(ledger_dir)
    assert_refused(lcli("leadtime", *args), needle)
    assert snapshot(ledger_dir) == before


def test_the_library_takes_requested(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    made = lg.spend("noord", "12,50", category="Levensmiddelen", date=D(2025, 6, 3), requested=D(2025, 6, 2))
    assert next(e for e in lg.entries("noord") if e.id == made).requested == D(2025, 6, 2)
    frame = lg.entries_frame()
    assert frame.loc[frame["id"] == made, "requested"].tolist() == [D(2025, 6, 2)]


def test_check_finds_a_damaged_request_date(recorded: Path, lcli: Cli) -> None:
    # A line written by another tool: the checksum is right, the request date is not.
    from maatwerk_cli.store.journal import encode_line

    lg = Ledger(recorded)
    cells = lg.spend_cells("noord", "10", category="Wonen", date=D(2025, 4, 10))
    cells.pop("_team")
    for n, asked in enumerate(["2025-04-11", "11-4-2025"]):
        cells.update(extra=json.dumps({"requested": asked}))
        line = encode_line({**cells, "id": f"noord-2025-{20 + n:04d}", "recorded_at": "2025-04-10T10:00:00Z"})
        with (recorded / "teams" / "noord.csv").open("ab") as f:
            f.write(line.encode("utf-8"))
    result = lcli("check")
    assert result.code == 1
    assert "noord-2025-0020: requested on 2025-04-11, after it was paid on 2025-04-10" in result.out
    assert "noord-2025-0021: requested '11-4-2025' is not a date" in result.out
    # the report counts them apart with the spends without a request date, never as 0 days
    report = leadtime_report(lg, year=2025, teams="noord")
    assert report.attrs["not_recorded"] == 3


def test_import_entries_reads_the_request_date(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text("datum;bedrag;categorie;aangevraagd\n"
                     "14-3-2025;12,50;Levensmiddelen;12-3-2025\n"
                     "15-3-2025;20;Levensmiddelen;\n", encoding="utf-8")
    ok(lcli("import", "entries", str(sheet), "--team", "noord"))
    rows = json.loads(ok(lcli("entries", "-f", "json")).out)
    assert [r["requested"] for r in rows] == ["2025-03-12", None]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,amount,category,requested\n2025-03-14,12.50,Levensmiddelen,2025-03-16\n",
                   encoding="utf-8")
    before = snapshot(ledger_dir)
    result = lcli("import", "entries", str(bad), "--team", "noord")
    assert result.code == 2 and "after the payment date" in result.err
    assert snapshot(ledger_dir) == before


def _demo(tmp_path: Path) -> Path:
    import shutil

    from conftest import ROOT

    copy = tmp_path / "demo"
    shutil.copytree(ROOT / "ledgers", copy)
    return copy


def test_on_the_demo_no_lead_time_is_made_up(cli: Cli, tmp_path: Path) -> None:
    """The demo records no request date: no days, no share paid within a day, only the count."""
    demo = _demo(tmp_path)
    rows = json.loads(ok(cli("--ledgers", str(demo), "leadtime", "--month", "2026-10", "-f", "json")).out)
    assert rows and all(r["count"] == 0 and r["median_days"] is None and r["p90_days"] is None
                        and r["within_one_day"] is None for r in rows)
    every = [r for r in rows if r["method"] == "alle"]
    spends = json.loads(ok(cli("--ledgers", str(demo), "compare", "--month", "2026-10", "-f", "json")).out)
    assert sum(r["without_request_date"] for r in every) == sum(r["count"] for r in spends) == 140
    out = ok(cli("--ledgers", str(demo), "leadtime", "--month", "2026-10", "-f", "markdown")).out
    assert "within one day." not in out and "100,0%" not in out
    assert "No spend has a request date recorded (spend --requested), so no lead time can be given; " \
           "140 spends without one." in out
    # The totals row: 0 measured, no figures, 140 apart.
    assert re.search(r"\| total \| alle \| 0 \|\s*\|\s*\|\s*\| 140 \|", out), out


def test_the_spends_without_a_request_date_in_dutch(cli: Cli, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAATWERK_LANG", "nl")
    demo = _demo(tmp_path)
    out = ok(cli("--ledgers", str(demo), "leadtime", "--month", "2026-10", "-f", "markdown")).out
    assert "zonder aanvraagdatum" in out
    assert "Geen enkele uitgave heeft een aanvraagdatum" in out and "140 uitgaven zonder" in out
    english = ok(cli("--ledgers", str(demo), "--lang", "en", "leadtime", "--month", "2026-10", "-f", "json")).out
    assert ok(cli("--ledgers", str(demo), "leadtime", "--month", "2026-10", "-f", "json")).out == english
