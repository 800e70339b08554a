"""`maatwerk import entries`: spreadsheets in, all rows or none."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Result, assert_refused, snapshot

Cli = Callable[..., Result]


def amounts(lcli: Cli) -> list[float]:
    return [r["amount"] for r in json.loads(lcli("entries", "-f", "json").out)]


def test_comma_csv_with_english_headers(lcli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "in.csv"
    f.write_text(
        "date,amount,category,method,kind,household,note,tegenprestatie\n"
        "2025-03-14,12.50,Levensmiddelen,pin,gift,H-7KXM4P,boodschappen,\n"
        '14-3-2025,"1.234,56",Wonen,factuur,loan,,"borg, kamer",schilderen\n',
        encoding="utf-8",
    )
    res = lcli("import", "entries", str(f), "--team", "noord")
    assert res.code == 0, res.err
    assert "imported 2 entries" in res.out
    rows = json.loads(lcli("entries", "-f", "json").out)
    assert [r["amount"] for r in rows] == [12.5, 1234.56]
    assert rows[1]["kind"] == "loan" and rows[1]["note"] == "borg, kamer"
    assert rows[1]["tegenprestatie"] == "schilderen"
    assert lcli("check").code == 0


def test_semicolon_csv_with_bom_dutch_headers_and_team_column(lcli: Cli, tmp_path: Path) -> None:
    assert lcli("cash", "withdraw", "zuid", "20", "-d", "1-2-2025").code == 0
    f = tmp_path / "in.csv"
    f.write_bytes(
        "\ufeffDatum;Bedrag;Categorie;Betaalwijze;Soort;Huishouden;Notitie;Team\n"
        "1-2-2025;€ 35;financien;kaart;lening;;;noord\n"
        "2-2-2025;17,5;Kleding;contant;gift;;;zuid\n".encode()
    )
    res = lcli("import", "entries", str(f))
    assert res.code == 0, res.err
    rows = json.loads(lcli("entries", "-f", "json").out)
    assert {(r["team"], r["amount"], r["category"], r["method"], r["kind"]) for r in rows} == {
        ("noord", 35.0, "Financiën", "pin", "loan"),
        ("zuid", 17.5, "Kleding", "contant", "gift"),
    }


def test_windows_1252_csv_from_dutch_excel(lcli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "in.csv"
    f.write_bytes("datum;bedrag;categorie\n1-2-2025;5;Financiën\n".encode("cp1252"))
    assert lcli("import", "entries", str(f), "--team", "noord").code == 0
    assert json.loads(lcli("entries", "-f", "json").out)[0]["category"] == "Financiën"


def test_xlsx_with_typed_cells(lcli: Cli, tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Datum", "Bedrag", "Categorie", "Notitie"])
    ws.append([dt.datetime(2025, 3, 14), 12.5, "Wonen", "borg"])
    ws.append(["15-3-2025", "1.234,56", "Gezondheid", None])
    ws.append([dt.date(2025, 3, 16), 1100, "Opleiding en werk", "lasmasker"])
    f = tmp_path / "in.xlsx"
    wb.save(f)
    res = lcli("import", "entries", str(f), "--team", "zuid")
    assert res.code == 0, res.err
    assert amounts(lcli) == [12.5, 1234.56, 1100.0]


def test_one_bad_row_means_nothing_is_written_and_every_bad_row_is_listed(
    lcli: Cli, ledger_dir: Path, tmp_path: Path
) -> None:
    f = tmp_path / "in.csv"
    f.write_text(
        "date,amount,category\n"
        "2025-03-14,12.50,Wonen\n"
        "2025-02-30,5,Wonen\n"
        "2025-03-14,1,234.56,Wonen\n"
        "2025-03-14,-5,Wonen\n"
        "2025-03-14,5,Vakantie\n"
        "2025-03-15,7,Wonen\n"
    )
    before = snapshot(ledger_dir)
    res = lcli("import", "entries", str(f), "--team", "noord")
    assert res.code == 2
    err = res.err.splitlines()
    assert any("in.csv:3" in e and "does not exist" in e for e in err)
    assert any("in.csv:4" in e for e in err)
    assert any("in.csv:5" in e and "negative" in e for e in err)
    assert any("in.csv:6" in e and "Vakantie" in e for e in err)
    assert err[-1].endswith("nothing was imported") and "4 bad row" in err[-1]
    assert snapshot(ledger_dir) == before


def test_dry_run_writes_nothing(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "in.csv"
    f.write_text("date,amount,category\n2025-03-14,12.50,Wonen\n")
    before = snapshot(ledger_dir)
    res = lcli("import", "entries", str(f), "--team", "noord", "--dry-run")
    assert res.code == 0 and "would import 1 entries" in res.out
    assert snapshot(ledger_dir) == before


HOSTILE = [
    (b"", "empty"),
    (b"date,amount\n2025-01-01,5\n", "missing column"),
    (b"date,amount,category,colour\n2025-01-01,5,Wonen,red\n", "unknown column"),
    (b"date,amount,category\n", "no rows"),
    ("datum,bedrag,categorie\n".encode("utf-16"), "UTF-16"),
    (b"\x00\x01\x02binary", "binary"),
    (b"date,amount,category\n2025-01-01,5,Wonen,extra\n", "more cells"),
    (b'date,amount,category\n2025-01-01,"5,Wonen\n', "damaged"),
    (b"date,amount,category\n2025-01-01,5," + b"x" * 6000 + b"\n", "longer than"),
    (b"date,amount,category\n2025-01-01,5,=cmd|' /C calc'!A0\n", "unknown category"),
    (b"date,amount,category\n2999-01-01,5,Wonen\n", "future"),
    (b"date,amount,category,team\n2025-01-01,5,Wonen,oost\n", "unknown team"),
]


@pytest.mark.parametrize(("content", "needle"), HOSTILE, ids=[n for _, n in HOSTILE])
def test_hostile_files(lcli: Cli, ledger_dir: Path, tmp_path: Path, content: bytes, needle: str) -> None:
    f = tmp_path / "in.csv"
    f.write_bytes(content)
    before = snapshot(ledger_dir)
    team = [] if b"team" in content else ["--team", "noord"]
    res = lcli("import", "entries", str(f), *team)
    assert res.code == 2
    assert needle.lower() in res.err.lower(), res.err
    assert "Traceback" not in res.err
    assert snapshot(ledger_dir) == before


def test_missing_file_and_damaged_xlsx(lcli: Cli, tmp_path: Path) -> None:
    assert_refused(lcli("import", "entries", str(tmp_path / "nope.csv"), "--team", "noord"), "no such file")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert_refused(lcli("import", "entries", str(bad), "--team", "noord"), "xlsx")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_random_bytes_never_crash_the_importer(tmp_path: Path, lcli: Cli, data: bytes) -> None:
    f = tmp_path / "fuzz.csv"
    f.write_bytes(b"date,amount,category\n" + data)
    res = lcli("import", "entries", str(f), "--team", "noord", "--dry-run")
    assert res.code in (0, 2)
    assert "Traceback" not in res.err


def test_cash_rows_together_must_fit_in_the_box(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    assert lcli("cash", "withdraw", "noord", "50", "-d", "1-2-2025").code == 0
    f = tmp_path / "in.csv"
    f.write_text("datum;bedrag;categorie;betaalwijze\n2-2-2025;30;Kleding;contant\n3-2-2025;30;Kleding;contant\n")
    before = snapshot(ledger_dir)
    res = lcli("import", "entries", str(f), "--team", "noord")
    assert res.code == 2 and "in.csv:3" in res.err and "not enough cash" in res.err
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize(("column", "formula"), [("notitie", "=A1"), ("notitie", '=HYPERLINK("x","y")'),
                                                 ("bedrag", "=10+5"), ("datum", "=TODAY()")])
def test_a_formula_cell_in_a_workbook_is_a_bad_row(lcli: Cli, ledger_dir: Path, tmp_path: Path,
                                                   column: str, formula: str) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    header = ["datum", "bedrag", "categorie", "notitie"]
    ws.append(header)
    ws.append(["3-3-2025", 35, "Wonen", "borg"])
    row = ["4-3-2025", 12, "Wonen", "boodschappen"]
    row[header.index(column)] = formula
    ws.append(row)
    assert ws.cell(row=3, column=header.index(column) + 1).data_type == "f"
    f = tmp_path / "in.xlsx"
    wb.save(f)
    before = snapshot(ledger_dir)
    res = lcli("import", "entries", str(f), "--team", "noord")
    assert res.code == 2, res.err
    lines = res.err.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in res.err, res.err
    assert f"{f}:3:" in lines[0] and repr(column) in lines[0] and "formula" in lines[0], lines[0]
    assert "nothing was imported" in lines[1]
    assert snapshot(ledger_dir) == before
