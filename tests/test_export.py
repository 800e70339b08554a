"""``maatwerk export``: what the exports hold, and every mistake refused in one line.

The real tools reading the files are in test_export_tools.py; random ledgers in
test_export_roundtrip.py.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result, assert_refused, run_process, snapshot
from maatwerk_cli import Ledger
from maatwerk_cli.analysis.export import journal_export
from maatwerk_cli.render.journal_formats import account_name, account_part, amount
from maatwerk_cli.render.parquet import partition_value

Cli = Callable[..., Result]
D = dt.date


@pytest.fixture
def busy(ledger_dir: Path) -> Path:
    """noord: a loan partly repaid, a voided spend, a recovery; zuid: cash and a write-off;
    noord also spent in 2024 (a loan still owed on 1 January 2025)."""
    lg = Ledger(ledger_dir)
    lg.set_budget("noord", Decimal("8000"), 2024)
    old = lg.spend("noord", "200", category="Wonen", method="factuur", kind="loan", household="H-4RT7QX",
                   date=D(2024, 11, 5), reason="test")
    lg.repay(old, "50", date=D(2024, 12, 1))
    loan = lg.spend("noord", "35", category="Levensmiddelen", kind="loan", household="H-7KXM4P",
                    date=D(2025, 3, 14), note="boodschappen; uitkering | komt")
    lg.repay(loan, "20", date=D(2025, 3, 20))
    gift = lg.spend("noord", "1234,56", category="Financiën", method="factuur", household="H-9PLM2A",
                    date=D(2025, 4, 1), reason="test")
    lg.mark_recovered(gift, pot="bijzondere bijstand", amount=Decimal("100"), date=D(2025, 5, 1))
    twice = lg.spend("noord", "999", category="Wonen", method="factuur", date=D(2025, 4, 2), reason="test")
    lg.void(twice, reason="twee keer ingevoerd")
    lg.withdraw("zuid", "50", date=D(2025, 6, 1))
    lg.spend("zuid", "43,60", category="Water en energie", method="contant", household="H-7KXM4P",
             date=D(2025, 6, 2))
    lg.settle("zuid", "write-off", date=D(2025, 6, 3), reason="restant")
    return ledger_dir


def test_accounts_are_valid_in_every_tool() -> None:
    assert account_part("Financiën") == "Financien"
    assert account_part("Water en energie") == "Water-en-energie"
    assert account_part("Evides (water)") == "Evides-water"
    assert account_part("Meerdere categorieën") == "Meerdere-categorieen"
    assert account_part("straße") == "Strasse"
    assert account_part("zuid-oost") == "Zuid-oost"
    assert account_part("3-west") == "3-west"
    assert account_part("€ !!") == "Overig"
    assert account_name(("Expenses", "Maatwerk", "noord", "Huisdier")) == "Expenses:Maatwerk:Noord:Huisdier"
    assert [amount(c) for c in (0, 5, -123456, 100000000)] == ["0.00", "0.05", "-1234.56", "1000000.00"]
    assert partition_value("Rotterdam, pilot Zorg") == "Rotterdam, pilot Zorg"
    assert partition_value("Sittard/Geleen") == "Sittard%2FGeleen"
    assert partition_value("_x=1") == "%5Fx%3D1"


def test_the_model_maps_every_event(busy: Path) -> None:
    export = journal_export(Ledger(busy).folder, year=2025)
    by_code = {t.code: t for t in export.transactions}
    what = [t.what for t in export.transactions]
    assert what.count("opening") == 1 and what[0] == "opening"
    opening = export.transactions[0]
    assert {p.account[-1]: p.cents for p in opening.postings} == {"Vorderingen": 15000,
                                                                  "Voorziening-vorderingen": -15000}
    loan = next(t for t in export.transactions if dict(t.tags).get("kind") == "loan" and t.what == "spend")
    assert {(p.account[0], p.account[-1]): p.cents for p in loan.postings} == {
        ("Expenses", "Levensmiddelen"): 3500, ("Assets", "Budget"): -3500,
        ("Assets", "Vorderingen"): 3500, ("Liabilities", "Voorziening-vorderingen"): -3500}
    assert dict(loan.tags) == {"entry": loan.code, "kind": "loan", "method": "pin", "household": "H-7KXM4P"}
    repay = next(t for t in export.transactions if t.what == "repay")
    assert repay.link == loan.code and repay.code != loan.code
    assert {p.account[-1]: p.cents for p in repay.postings} == {
        "Budget": 2000, "Terugbetalingen": -2000, "Voorziening-vorderingen": 2000, "Vorderingen": -2000}
    recovered = next(t for t in export.transactions if t.what == "recovered")
    assert {p.account[-1] for p in recovered.postings} == {"Budget", "Verhaald"}  # a gift owes nothing
    assert recovered.narration == "bijzondere bijstand"
    assert not any(t.what == "spend" and "99900" in str(t.postings) for t in export.transactions)
    cash = [t.what for t in export.transactions if t.team == "zuid"]
    assert cash == ["withdraw", "spend", "write-off"]
    assert export.totals() == {"noord": 3500 + 123456, "zuid": 4360 + 640}
    assert export.totals("Income") == {"noord": -12000, "zuid": 0}
    assert all(sum(p.cents for p in t.postings) == 0 for t in export.transactions)
    assert set(by_code) >= {loan.code, repay.code}


def test_voided_spends_and_their_repayments_are_left_out(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    loan = lg.spend("noord", "80", category="Wonen", kind="loan", date=D(2025, 2, 1))
    lg.repay(loan, "30", date=D(2025, 2, 10))
    # The tool refuses to void a repaid spend, but a journal may hold one (merged by hand):
    # the fold voids it, and the export leaves out the spend and its repayment.
    lg.folder.append("noord", [{"type": "void", "date": "2025-02-11", "ref": loan, "reason": "fout"}])
    export = journal_export(lg.folder)
    assert export.transactions == ()
    assert export.totals() == {"noord": 0, "zuid": 0}


@pytest.mark.parametrize("tool", ["hledger", "ledger", "beancount"])
def test_journal_to_stdout_and_to_a_file(cli: Cli, busy: Path, tmp_path: Path, tool: str) -> None:
    shown = cli("--ledgers", str(busy), "export", tool)
    assert shown.code == 0, shown.err
    assert "Expenses:Maatwerk:Noord:Financien" in shown.out
    assert "1234.56 EUR" in shown.out and "999.00" not in shown.out
    assert "H-7KXM4P" in shown.out
    # hledger and ledger would read ; as a comment and | as a payee's end; beancount quotes.
    note = "boodschappen; uitkering | komt" if tool == "beancount" else "boodschappen, uitkering / komt"
    assert note in shown.out
    out = tmp_path / f"export.{tool}"
    written = cli("--ledgers", str(busy), "export", tool, "-o", str(out))
    assert written.code == 0 and written.out == ""
    assert written.err == f"maatwerk: wrote {out}\n"
    assert out.read_text(encoding="utf-8") == shown.out
    assert not list(tmp_path.glob(".*.tmp"))


def test_budgets_in_each_tools_own_construct(cli: Cli, busy: Path) -> None:
    hledger = cli("--ledgers", str(busy), "export", "hledger").out
    assert "~ yearly from 2025-01-01 to 2026-01-01  Budget Wijkteam Noord 2025" in hledger
    assert "~ yearly from 2024-01-01 to 2025-01-01  Budget Wijkteam Noord 2024" in hledger
    ledger = cli("--ledgers", str(busy), "export", "ledger").out
    assert "~ Yearly from 2025/01/01 to 2026/01/01" in ledger
    bean = cli("--ledgers", str(busy), "export", "beancount", "--year", "2025").out
    assert '2025-01-01 custom "budget" Expenses:Maatwerk:Noord "yearly" 10000.00 EUR' in bean
    assert '2025-01-01 custom "budget" Expenses:Maatwerk:Zuid "yearly" 5000.00 EUR' in bean
    # A year without a budget after one with: fava would carry the old one over, so it is 0.
    Ledger(busy).set_budget("zuid", Decimal("0"), 2026)
    lg = Ledger(busy)
    lg.spend("zuid", "10", category="Wonen", date=D(2026, 1, 5), reason="nood, budget volgt")
    every = cli("--ledgers", str(busy), "export", "beancount").out
    assert '2026-01-01 custom "budget" Expenses:Maatwerk:Zuid "yearly" 0.00 EUR' in every


def test_team_and_year_choose_what_is_exported(cli: Cli, busy: Path) -> None:
    one = cli("--ledgers", str(busy), "export", "hledger", "--team", "zuid", "--year", "2025")
    assert one.code == 0, one.err
    assert "Maatwerk:Noord" not in one.out and "Maatwerk:Zuid:Kas" in one.out
    both = cli("--ledgers", str(busy), "export", "ledger", "-t", "zuid", "-t", "NOORD", "--year", "2024")
    assert "Maatwerk:Noord:Wonen" in both.out and "2025-03-14" not in both.out
    empty = cli("--ledgers", str(busy), "export", "hledger", "--year", "2019")
    assert empty.code == 0 and "nothing to export for 2019" in empty.err


def test_redact_leaves_out_texts_and_gives_pseudonyms(cli: Cli, busy: Path) -> None:
    for tool in ("hledger", "ledger", "beancount"):
        out = cli("--ledgers", str(busy), "export", tool, "--redact").out
        assert "H-7KXM4P" not in out and "H-9PLM2A" not in out and "H-4RT7QX" not in out
        assert "boodschappen" not in out and "restant" not in out
        assert "HH-000" in out and "Redacted" in out
        assert "bijzondere bijstand" in out  # the pot that paid back is no personal text
    out = cli("--ledgers", str(busy), "export", "hledger", "--redact").out
    # One household, one pseudonym, within this export.
    codes = [line.split(": ")[1] for line in out.splitlines() if "; household:" in line]
    assert len(codes) == 4 and len(set(codes)) == 3


def test_help_for_every_export(cli: Cli) -> None:
    top = cli("export", "--help")
    assert top.code == 0
    for name in ("hledger", "ledger", "beancount", "parquet"):
        assert name in top.out
        shown = cli("export", name, "--help")
        assert shown.code == 0, shown.err
    assert "--budget" in cli("export", "hledger", "--help").out
    assert "fava" in cli("export", "beancount", "--help").out
    assert "maatwerk-cli[parquet]" in cli("export", "parquet", "--help").out
    assert "--redact" in cli("export", "ledger", "--help").out


# ---------------------------------------------------------------------------- mistakes


def test_unknown_team_is_refused(cli: Cli, busy: Path, tmp_path: Path) -> None:
    before = snapshot(busy)
    out = tmp_path / "x.journal"
    result = cli("--ledgers", str(busy), "export", "hledger", "--team", "nord", "-o", str(out))
    assert_refused(result, "unknown team 'nord'", "noord")
    assert not out.exists() and snapshot(busy) == before


@pytest.mark.parametrize("year", ["20x5", "1800", "vorig jaar"])
def test_bad_year_is_refused(cli: Cli, busy: Path, tmp_path: Path, year: str) -> None:
    out = tmp_path / "x.beancount"
    assert_refused(cli("--ledgers", str(busy), "export", "beancount", "--year", year, "-o", str(out)), "year")
    assert not out.exists()


@pytest.mark.parametrize("tool", ["hledger", "ledger", "beancount"])
def test_output_inside_the_ledger_folder_is_refused(cli: Cli, busy: Path, tool: str) -> None:
    before = snapshot(busy)
    for target in (busy / "export.txt", busy / "teams" / "noord.csv", busy / "maatwerk.toml"):
        result = cli("--ledgers", str(busy), "export", tool, "-o", str(target))
        assert_refused(result, "inside the ledger folder")
    assert snapshot(busy) == before


def test_output_in_a_missing_folder_or_onto_a_folder_is_refused(cli: Cli, busy: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "x.journal"
    assert_refused(cli("--ledgers", str(busy), "export", "hledger", "-o", str(missing)), "does not exist")
    assert_refused(cli("--ledgers", str(busy), "export", "hledger", "-o", str(tmp_path)), "is a folder")


def test_not_a_ledger_folder_is_refused(cli: Cli, tmp_path: Path) -> None:
    assert_refused(cli("--ledgers", str(tmp_path / "none"), "export", "ledger"), "no ledger folder")
    assert_refused(cli("export", "parquet", str(tmp_path / "ds"), str(tmp_path)), "no ledger folder")
    assert not (tmp_path / "ds").exists()


# ---------------------------------------------------------------------------- parquet


def test_parquet_dataset_layout_and_contents(cli: Cli, busy: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed")
    target = tmp_path / "dataset"
    result = cli("--ledgers", str(busy), "export", "parquet", str(target))
    assert result.code == 0, result.err
    assert result.err.startswith(f"maatwerk: wrote {target}") and "5 entries" in result.err
    files = sorted(str(p.relative_to(target)) for p in target.rglob("*.parquet"))
    assert "entries/municipality=Teststad/year=2024/part-0000.parquet" in files
    assert "entries/municipality=Teststad/year=2025/part-0000.parquet" in files
    assert "budgets/municipality=Teststad/year=2024/part-0000.parquet" in files
    assert any(f.startswith("refusals/") for f in files)  # empty, but its columns are there
    table = pq.read_table(target / "entries", partitioning="hive")
    rows = {r["amount"]: r for r in table.to_pylist()}
    assert rows[Decimal("999.00")]["voided"] is True
    assert rows[Decimal("35.00")]["outstanding"] == Decimal("15.00")
    assert rows[Decimal("1234.56")]["recovered"] == Decimal("100.00")
    assert rows[Decimal("35.00")]["municipality"] == "Teststad"
    assert str(table.schema.field("amount").type) == "decimal128(18, 2)"
    about = json.loads((target / "_maatwerk_export.json").read_text(encoding="utf-8"))
    assert about["tables"]["entries"]["rows"] == 5 and about["redacted"] is False


def test_parquet_redacted(cli: Cli, busy: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed")
    target = tmp_path / "dataset"
    assert cli("--ledgers", str(busy), "export", "parquet", str(target), "--redact").code == 0
    entries = pq.read_table(target / "entries", partitioning="hive")
    assert "note" not in entries.column_names and "by" not in entries.column_names
    households = {h for h in entries.column("household").to_pylist() if h}
    assert households and all(h.startswith("HH-") for h in households)
    text = b"".join(p.read_bytes() for p in target.rglob("*.parquet"))
    assert b"H-7KXM4P" not in text and b"boodschappen" not in text


def test_parquet_replaces_an_earlier_export_not_other_folders(cli: Cli, busy: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow is not installed")
    target = tmp_path / "dataset"
    assert cli("--ledgers", str(busy), "export", "parquet", str(target)).code == 0
    stale = target / "entries" / "municipality=Teststad" / "year=1999"
    stale.mkdir()
    (stale / "part-0000.parquet").write_bytes(b"old")
    assert cli("--ledgers", str(busy), "export", "parquet", str(target)).code == 0
    assert not stale.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    assert_refused(cli("--ledgers", str(busy), "export", "parquet", str(other)), "not empty")
    assert (other / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_parquet_inside_a_ledger_folder_is_refused(cli: Cli, busy: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow is not installed")
    before = snapshot(busy)
    inside = "inside the ledger folder"
    assert_refused(cli("--ledgers", str(busy), "export", "parquet", str(busy / "ds")), inside)
    assert_refused(cli("export", "parquet", str(busy / "teams" / "ds"), str(busy)), inside)
    assert_refused(cli("export", "parquet", str(tmp_path), str(busy)), "inside")
    assert snapshot(busy) == before


def test_parquet_without_pyarrow_says_how_to_get_it(cli: Cli, busy: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if it were not installed
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    target = tmp_path / "dataset"
    assert_refused(cli("--ledgers", str(busy), "export", "parquet", str(target)), "pip install",
                   "maatwerk-cli[parquet]")
    assert not target.exists()


def test_export_in_a_real_process(busy: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo.journal"
    done = run_process("--ledgers", str(busy), "export", "hledger", "--year", "2025", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("; Maatwerkbudget Teststad, 2025")
    bad = run_process("--ledgers", str(busy), "export", "hledger", "-o", str(busy / "x.journal"))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
